// hyperloglog.cpp — see hyperloglog.h. The update steps of the sparse encoding follow
// Redis's hllSparseSet so the bytes come out the same; comments name the Redis step.
#include "storage/hyperloglog.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "storage/memory.h"

namespace dq::storage::hll {

namespace {

// ---------------------------------------------------------------------------------------
// Sparse opcodes.

constexpr uint8_t kXZeroBit = 0x40;
constexpr uint8_t kValBit = 0x80;
constexpr int kZeroMaxLen = 64;
constexpr int kXZeroMaxLen = 16384;
constexpr int kValMaxLen = 4;

inline bool is_zero(uint8_t b) { return (b & 0xc0) == 0; }
inline bool is_xzero(uint8_t b) { return (b & 0xc0) == kXZeroBit; }
inline bool is_val(uint8_t b) { return (b & kValBit) != 0; }
inline int zero_len(uint8_t b) { return (b & 0x3f) + 1; }
inline int xzero_len(uint8_t b0, uint8_t b1) { return (((b0 & 0x3f) << 8) | b1) + 1; }
inline int val_value(uint8_t b) { return ((b >> 2) & 0x1f) + 1; }
inline int val_len(uint8_t b) { return (b & 0x3) + 1; }
inline uint8_t make_val(int val, int len) {
  return static_cast<uint8_t>(((val - 1) << 2 | (len - 1)) | kValBit);
}
inline uint8_t make_zero(int len) { return static_cast<uint8_t>(len - 1); }
inline void make_xzero(uint8_t* p, int len) {
  int l = len - 1;
  p[0] = static_cast<uint8_t>((l >> 8) | kXZeroBit);
  p[1] = static_cast<uint8_t>(l & 0xff);
}

// One decoded opcode of a sparse value.
struct Op {
  enum Kind { Zero, XZero, Val } kind;
  int len;    // registers covered
  int value;  // VAL only
  int size;   // bytes: 1, or 2 for XZERO
};

// Decodes the opcode at s[p] (p < end). The second byte of an XZERO at the very end reads as
// 0: Redis reads the terminator its sds strings carry.
inline Op decode_op(const uint8_t* s, size_t p, size_t end) {
  uint8_t b = s[p];
  if (is_zero(b)) return {Op::Zero, zero_len(b), 0, 1};
  if (is_xzero(b)) return {Op::XZero, xzero_len(b, p + 1 < end ? s[p + 1] : 0), 0, 2};
  return {Op::Val, val_len(b), val_value(b), 1};
}

// Walks the sparse opcodes of v, calling fn(op, first_register) for each. Returns false if the
// runs do not add up to exactly kRegisters (stopping at the first run that overflows).
template <class Fn>
bool walk_sparse(std::string_view v, Fn&& fn) {
  auto* s = reinterpret_cast<const uint8_t*>(v.data());
  size_t end = v.size();
  long idx = 0;
  for (size_t p = kHeaderSize; p < end;) {
    Op op = decode_op(s, p, end);
    if (idx + op.len > static_cast<long>(kRegisters)) return false;
    fn(op, idx);
    idx += op.len;
    p += op.size;
  }
  return idx == static_cast<long>(kRegisters);
}

// ---------------------------------------------------------------------------------------
// Estimator (Otmar Ertl, "New cardinality estimation algorithms for HyperLogLog sketches",
// arXiv:1702.01284), computed in the same order as Redis so the rounding matches.

constexpr double kAlphaInf = 0.721347520444481703680;  // 0.5 / ln(2)

double sigma(double x) {
  if (x == 1.) return INFINITY;
  double z_prev, y = 1, z = x;
  do {
    x *= x;
    z_prev = z;
    z += x * y;
    y += y;
  } while (z_prev != z);
  return z;
}

double tau(double x) {
  if (x == 0. || x == 1.) return 0.;
  double z_prev, y = 1.0, z = 1 - x;
  do {
    x = std::sqrt(x);
    z_prev = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (z_prev != z);
  return z / 3;
}

// histo[v] = number of registers holding v (v < 64; values above kQ+1 are not counted, as in
// Redis, which only sums indexes 0..kQ+1).
uint64_t estimate(const int* histo) {
  double m = kRegisters;
  double z = m * tau((m - histo[kQ + 1]) / m);
  for (int j = kQ; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  return static_cast<uint64_t>(llroundl(kAlphaInf * m * m / z));
}

void dense_histogram(const uint8_t* r, int* histo) {
  // 4 registers in every 3 bytes.
  for (uint32_t j = 0; j < kRegisters / 4; ++j, r += 3) {
    ++histo[r[0] & 63];
    ++histo[(r[0] >> 6 | r[1] << 2) & 63];
    ++histo[(r[1] >> 4 | r[2] << 4) & 63];
    ++histo[(r[2] >> 2) & 63];
  }
}

int dense_set(uint8_t* regs, uint32_t index, uint8_t count) {
  if (count <= dense_get(regs, index)) return 0;
  dense_put(regs, index, count);
  return 1;
}

uint8_t* registers_of(HeapString* h) { return reinterpret_cast<uint8_t*>(h->data) + kHeaderSize; }

int promote_and_set(HeapString*& h, uint32_t index, uint8_t count) {
  if (!to_dense(h)) return -1;
  // The register needed to grow (that is why the sparse form could not hold it), so this
  // always changes it, as Redis asserts.
  return dense_set(registers_of(h), index, count);
}

// Redis's hllSparseSet, step by step.
int sparse_set(HeapString*& h, uint32_t index, uint8_t count, size_t sparse_max_bytes) {
  if (count > kSparseValMax) return promote_and_set(h, index, count);

  // Room for the worst case (XZERO split into XZERO-VAL-XZERO: 3 more bytes).
  h = HeapString::grow(h, h->len + 3);
  auto* s = reinterpret_cast<uint8_t*>(h->data);
  const size_t start = kHeaderSize;
  size_t end = h->len;

  // Step 1: find the opcode covering `index`.
  size_t p = start, prev = 0;
  bool has_prev = false;
  long first = 0, span = 0;
  while (p < end) {
    Op op = decode_op(s, p, end);
    span = op.len;
    if (static_cast<long>(index) <= first + span - 1) break;
    prev = p;
    has_prev = true;
    p += op.size;
    first += span;
  }
  if (span == 0 || p >= end) return -1;

  Op op = decode_op(s, p, end);
  size_t next = p + op.size;
  bool has_next = next < end;
  long runlen = op.len;

  // Step 2: cases A-C need no split.
  bool rewritten_in_place = false;
  if (op.kind == Op::Val) {
    if (op.value >= count) return 0;  // A: already as high
    if (runlen == 1) {                // B: a VAL of one register
      s[p] = make_val(count, 1);
      rewritten_in_place = true;
    }
  }
  if (!rewritten_in_place && op.kind == Op::Zero && runlen == 1) {  // C: a ZERO of one
    s[p] = make_val(count, 1);
    rewritten_in_place = true;
  }

  if (!rewritten_in_place) {
    // D: split the run into (before, our register, after).
    uint8_t seq[5], *n = seq;
    long last = first + span - 1;
    long len;
    if (op.kind == Op::Zero || op.kind == Op::XZero) {
      if (index != first) {
        len = index - first;
        if (len > kZeroMaxLen) {
          make_xzero(n, static_cast<int>(len));
          n += 2;
        } else {
          *n++ = make_zero(static_cast<int>(len));
        }
      }
      *n++ = make_val(count, 1);
      if (index != last) {
        len = last - index;
        if (len > kZeroMaxLen) {
          make_xzero(n, static_cast<int>(len));
          n += 2;
        } else {
          *n++ = make_zero(static_cast<int>(len));
        }
      }
    } else {
      int cur = op.value;
      if (index != first) *n++ = make_val(cur, static_cast<int>(index - first));
      *n++ = make_val(count, 1);
      if (index != last) *n++ = make_val(cur, static_cast<int>(last - index));
    }

    // Step 3: put the new sequence in place of the old opcode.
    long seqlen = n - seq;
    long oldlen = op.kind == Op::XZero ? 2 : 1;
    long delta = seqlen - oldlen;
    if (delta > 0 && h->len + static_cast<size_t>(delta) > sparse_max_bytes)
      return promote_and_set(h, index, count);
    if (delta && has_next) std::memmove(s + next + delta, s + next, end - next);
    h->len = static_cast<uint32_t>(static_cast<long>(h->len) + delta);
    std::memcpy(s + p, seq, seqlen);
    end = static_cast<size_t>(static_cast<long>(end) + delta);
  }

  // Step 4: merge adjacent VALs of the same value, scanning up to 5 opcodes from the one
  // before ours.
  p = has_prev ? prev : start;
  int scanlen = 5;
  while (p < end && scanlen--) {
    if (is_xzero(s[p])) {
      p += 2;
      continue;
    }
    if (is_zero(s[p])) {
      ++p;
      continue;
    }
    if (p + 1 < end && is_val(s[p + 1])) {
      int v1 = val_value(s[p]), v2 = val_value(s[p + 1]);
      if (v1 == v2) {
        int len = val_len(s[p]) + val_len(s[p + 1]);
        if (len <= kValMaxLen) {
          s[p + 1] = make_val(v1, len);
          std::memmove(s + p, s + p + 1, end - p - 1);
          --h->len;
          --end;
          continue;  // try to merge the merged one with its right neighbour too
        }
      }
    }
    ++p;
  }
  invalidate_cache(h->data);
  return 1;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Hashing.

uint64_t murmur_hash64a(const void* data, size_t len, uint64_t seed) {
  constexpr uint64_t m = 0xc6a4a7935bd1e995ULL;
  constexpr int r = 47;
  auto* p = static_cast<const uint8_t*>(data);
  uint64_t h = seed ^ (static_cast<uint64_t>(len) * m);
  size_t blocks = len / 8;
  for (size_t i = 0; i < blocks; ++i, p += 8) {
    uint64_t k = 0;
    for (int b = 7; b >= 0; --b) k = (k << 8) | p[b];  // little endian on any host
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  size_t tail = len & 7;
  if (tail) {
    for (size_t b = tail; b-- > 0;) h ^= static_cast<uint64_t>(p[b]) << (8 * b);
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

uint8_t pattern_len(std::string_view element, uint32_t* index) {
  uint64_t hash = murmur_hash64a(element.data(), element.size(), kHashSeed);
  *index = static_cast<uint32_t>(hash & (kRegisters - 1));
  hash >>= kP;
  hash |= uint64_t{1} << kQ;  // the run ends by bit kQ at the latest: count <= kQ + 1
  return static_cast<uint8_t>(__builtin_ctzll(hash) + 1);
}

// ---------------------------------------------------------------------------------------
// Header.

bool valid_header(std::string_view v) {
  if (v.size() < kHeaderSize) return false;
  if (v.substr(0, 4) != "HYLL") return false;
  uint8_t enc = encoding(v);
  if (enc > kMaxEncoding) return false;
  if (enc == kDense && v.size() != kDenseSize) return false;
  return true;
}

bool cache_valid(std::string_view v) { return (static_cast<uint8_t>(v[15]) & 0x80) == 0; }

uint64_t cached_card(std::string_view v) {
  uint64_t c = 0;
  for (int i = 7; i >= 0; --i) c = (c << 8) | static_cast<uint8_t>(v[8 + i]);
  return c;
}

void set_cached_card(char* value, uint64_t card) {
  for (int i = 0; i < 8; ++i) value[8 + i] = static_cast<char>((card >> (8 * i)) & 0xff);
}

void invalidate_cache(char* value) {
  value[15] = static_cast<char>(static_cast<uint8_t>(value[15]) | 0x80);
}

HeapString* create_empty() {
  // Enough XZERO opcodes for every register (one, with 14 bits of length).
  constexpr size_t kOps = (kRegisters + kXZeroMaxLen - 1) / kXZeroMaxLen;
  char buf[kHeaderSize + 2 * kOps] = {};
  std::memcpy(buf, "HYLL", 4);
  buf[4] = static_cast<char>(kSparse);
  auto* p = reinterpret_cast<uint8_t*>(buf) + kHeaderSize;
  for (uint32_t left = kRegisters; left;) {
    int run = left > static_cast<uint32_t>(kXZeroMaxLen) ? kXZeroMaxLen : static_cast<int>(left);
    make_xzero(p, run);
    p += 2;
    left -= run;
  }
  return HeapString::create(std::string_view(buf, sizeof(buf)), sizeof(buf));
}

// ---------------------------------------------------------------------------------------
// Updates.

bool to_dense(HeapString*& h) {
  std::string_view v = h->view();
  if (encoding(v) == kDense) return true;
  HeapString* d = HeapString::create("", kDenseSize);
  std::memset(d->data, 0, kDenseSize);
  d->len = static_cast<uint32_t>(kDenseSize);
  std::memcpy(d->data, v.data(), kHeaderSize);  // magic, unused bytes, cached cardinality
  d->data[4] = static_cast<char>(kDense);
  uint8_t* regs = registers_of(d);
  bool ok = walk_sparse(v, [&](const Op& op, long first) {
    if (op.kind != Op::Val) return;
    for (long i = first; i < first + op.len; ++i)
      dense_put(regs, static_cast<uint32_t>(i), static_cast<uint8_t>(op.value));
  });
  if (!ok) {
    dq::storage::mem_free(d);
    return false;
  }
  dq::storage::mem_free(h);
  h = d;
  return true;
}

int set_register(HeapString*& h, uint32_t index, uint8_t count, size_t sparse_max_bytes) {
  switch (static_cast<uint8_t>(h->data[4])) {
    case kDense:
      return dense_set(registers_of(h), index, count);
    case kSparse:
      return sparse_set(h, index, count, sparse_max_bytes);
    default:
      return -1;
  }
}

int add(HeapString*& h, std::string_view element, size_t sparse_max_bytes) {
  uint32_t index;
  uint8_t count = pattern_len(element, &index);
  return set_register(h, index, count, sparse_max_bytes);
}

// ---------------------------------------------------------------------------------------
// Reads.

bool merge_into(uint8_t* max, std::string_view v) {
  if (encoding(v) == kDense) {
    auto* regs = reinterpret_cast<const uint8_t*>(v.data()) + kHeaderSize;
    for (uint32_t i = 0; i < kRegisters; ++i) {
      uint8_t r = dense_get(regs, i);
      if (r > max[i]) max[i] = r;
    }
    return true;
  }
  return walk_sparse(v, [&](const Op& op, long first) {
    if (op.kind != Op::Val) return;
    auto val = static_cast<uint8_t>(op.value);
    for (long i = first; i < first + op.len; ++i)
      if (val > max[i]) max[i] = val;
  });
}

uint64_t count(std::string_view v, bool* invalid) {
  int histo[64] = {};
  if (encoding(v) == kDense) {
    dense_histogram(reinterpret_cast<const uint8_t*>(v.data()) + kHeaderSize, histo);
  } else {
    bool ok = walk_sparse(
        v, [&](const Op& op, long) { histo[op.kind == Op::Val ? op.value : 0] += op.len; });
    if (!ok) {
      if (invalid) *invalid = true;
      return 0;
    }
  }
  return estimate(histo);
}

uint64_t count_registers(const uint8_t* regs) {
  int histo[64] = {};
  for (uint32_t i = 0; i < kRegisters; ++i) ++histo[regs[i] & 63];
  return estimate(histo);
}

std::string decode_sparse(std::string_view v) {
  auto* s = reinterpret_cast<const uint8_t*>(v.data());
  std::string out;
  for (size_t p = kHeaderSize; p < v.size();) {
    Op op = decode_op(s, p, v.size());
    if (!out.empty()) out += ' ';
    switch (op.kind) {
      case Op::Zero:
        out += fmt::format("z:{}", op.len);
        break;
      case Op::XZero:
        out += fmt::format("Z:{}", op.len);
        break;
      case Op::Val:
        out += fmt::format("v:{},{}", op.value, op.len);
        break;
    }
    p += op.size;
  }
  return out;
}

std::string self_test(uint64_t seed, size_t sparse_max_bytes) {
  std::mt19937_64 rng(seed);
  std::vector<uint8_t> dense(kDenseSize + 1, 0), bytes(kRegisters);
  uint8_t* regs = dense.data() + kHeaderSize;

  // 1: every register keeps its value and leaves its neighbours alone.
  for (int cycle = 0; cycle < 1000; ++cycle) {
    for (uint32_t i = 0; i < kRegisters; ++i) {
      auto r = static_cast<uint8_t>(rng() & kRegisterMax);
      bytes[i] = r;
      dense_put(regs, i, r);
    }
    for (uint32_t i = 0; i < kRegisters; ++i) {
      uint8_t got = dense_get(regs, i);
      if (got != bytes[i])
        return fmt::format("TESTFAILED Register {} should be {} but is {}", i, bytes[i], got);
    }
  }

  // 2: estimation error, dense and sparse fed the same elements must agree.
  std::memset(regs, 0, kDenseSize - kHeaderSize);
  std::memcpy(dense.data(), "HYLL", 4);
  HeapString* h = create_empty();
  std::string error;
  double relerr = 1.04 / std::sqrt(static_cast<double>(kRegisters));
  int64_t checkpoint = 1;
  uint64_t base = rng();
  std::string_view dense_view(reinterpret_cast<const char*>(dense.data()), kDenseSize);
  for (int64_t j = 1; j <= 10000000; ++j) {
    uint64_t ele = static_cast<uint64_t>(j) ^ base;
    char buf[8];
    std::memcpy(buf, &ele, 8);
    uint32_t index;
    uint8_t cnt = pattern_len(std::string_view(buf, 8), &index);
    dense_set(regs, index, cnt);
    add(h, std::string_view(buf, 8), sparse_max_bytes);
    if (j != checkpoint) continue;
    if (static_cast<uint64_t>(j) < sparse_max_bytes / 2 && encoding(h->view()) != kSparse) {
      error = "TESTFAILED sparse encoding not used";
      break;
    }
    uint64_t est = count(dense_view, nullptr);
    if (est != count(h->view(), nullptr)) {
      error = "TESTFAILED dense/sparse disagree";
      break;
    }
    int64_t abserr = checkpoint - static_cast<int64_t>(est);
    auto maxerr = static_cast<uint64_t>(std::ceil(relerr * 6 * static_cast<double>(checkpoint)));
    if (j == 10) maxerr = 1;  // collisions make a larger error likely at 10, as Redis allows
    if (abserr < 0) abserr = -abserr;
    if (abserr > static_cast<int64_t>(maxerr)) {
      error = fmt::format("TESTFAILED Too big error. card:{} abserr:{}", checkpoint, abserr);
      break;
    }
    checkpoint *= 10;
  }
  dq::storage::mem_free(h);
  return error;
}

}  // namespace dq::storage::hll
