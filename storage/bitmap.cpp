#include "storage/bitmap.h"

#include <bit>
#include <cstring>

#include "storage/value.h"

namespace dq::storage::bitmap {

namespace {

inline uint8_t byte_at(std::string_view s, uint64_t i) {
  return i < s.size() ? static_cast<uint8_t>(s[i]) : 0;
}

// Bits set in one byte.
inline int pop8(uint8_t b) { return std::popcount(static_cast<unsigned>(b)); }

// Offset of the first 1 bit of a non-zero byte, counting from its most significant bit.
inline int first_one(uint8_t b) { return std::countl_zero(b); }

// The first bit equal to `bit` in the bit range [from, to] of s (to < 8 * s.size()); -1 if none.
int64_t find_bit(std::string_view s, bool bit, uint64_t from, uint64_t to) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const uint8_t flip = bit ? 0x00 : 0xFF;  // looking for 0 = looking for 1 in the complement
  uint64_t first = from >> 3, last = to >> 3;
  // Bits of byte i inside the range, as a mask.
  auto in_range = [&](uint64_t i) -> uint8_t {
    uint8_t m = 0xFF;
    if (i == first) m &= static_cast<uint8_t>(0xFF >> (from & 7));
    if (i == last) m &= static_cast<uint8_t>(0xFF << (7 - (to & 7)));
    return m;
  };
  uint64_t i = first;
  uint8_t b = static_cast<uint8_t>((p[i] ^ flip) & in_range(i));
  if (b) return static_cast<int64_t>(i * 8 + first_one(b));
  ++i;
  // Bytes that hold no match are skipped 32, then 8 at a time.
  const uint64_t skip = bit ? 0 : ~uint64_t{0};
  while (i + 32 <= last) {
    uint64_t w[4];
    std::memcpy(w, p + i, 32);
    // All four words equal to skip: their XOR with it ORs to zero.
    if (((w[0] ^ skip) | (w[1] ^ skip) | (w[2] ^ skip) | (w[3] ^ skip)) != 0) break;
    i += 32;
  }
  while (i + 8 <= last) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w != skip) break;
    i += 8;
  }
  for (; i <= last; ++i) {
    b = static_cast<uint8_t>((p[i] ^ flip) & in_range(i));
    if (b) return static_cast<int64_t>(i * 8 + first_one(b));
  }
  return -1;
}

// Redis's index rules: negative counts from the end, then clamp to [0, total - 1].
// Returns false for an empty range.
bool clamp_range(int64_t total, int64_t* start, int64_t* end) {
  if (*start < 0) *start += total;
  if (*end < 0) *end += total;
  if (*start < 0) *start = 0;
  if (*end < 0) *end = 0;
  if (*end >= total) *end = total - 1;
  return *start <= *end;
}

// 64 bits at most, big endian, starting `shift` bits into the 9 bytes at p: the field's bits
// lie in the first (shift + bits + 7) / 8 of them.
inline unsigned __int128 load_be(const uint8_t* bytes, unsigned n) {
  unsigned __int128 acc = 0;
  for (unsigned i = 0; i < 9; ++i) acc = (acc << 8) | (i < n ? bytes[i] : 0);
  return acc;
}

inline uint64_t low_mask(unsigned bits) {
  return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
}

// Overflow checks of Redis's checkUnsignedBitfieldOverflow / checkSignedBitfieldOverflow,
// in wrapping arithmetic where Redis's C relies on it. 0: fits; 1: overflow; -1: underflow.
// *wrapped receives the value wrapped to the type either way.
int check_unsigned(uint64_t value, int64_t incr, unsigned bits, uint64_t* wrapped) {
  const uint64_t max = low_mask(bits);
  const auto maxincr = static_cast<int64_t>(max - value);
  const auto minincr = static_cast<int64_t>(uint64_t{0} - value);
  *wrapped = (value + static_cast<uint64_t>(incr)) & max;
  if (value > max || (incr > 0 && incr > maxincr)) return 1;
  if (incr < 0 && incr < minincr) return -1;
  return 0;
}

int check_signed(int64_t value, int64_t incr, unsigned bits, int64_t* wrapped) {
  const int64_t max =
      bits == 64 ? INT64_MAX : static_cast<int64_t>((uint64_t{1} << (bits - 1)) - 1);
  const int64_t min = -max - 1;
  // Only meaningful once value is known to be in range (as in Redis); may wrap otherwise.
  const auto maxincr =
      static_cast<int64_t>(static_cast<uint64_t>(max) - static_cast<uint64_t>(value));
  const auto minincr =
      static_cast<int64_t>(static_cast<uint64_t>(min) - static_cast<uint64_t>(value));
  uint64_t c = static_cast<uint64_t>(value) + static_cast<uint64_t>(incr);
  if (bits < 64) {
    uint64_t mask = ~uint64_t{0} << bits;
    c = (c & (uint64_t{1} << (bits - 1))) ? (c | mask) : (c & ~mask);
  }
  *wrapped = static_cast<int64_t>(c);
  if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr))
    return 1;
  if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr))
    return -1;
  return 0;
}

FieldWrite resolve(int overflow, int64_t exact, int64_t wrapped, int64_t sat_max, int64_t sat_min,
                   Overflow ow) {
  if (!overflow) return {true, exact};
  switch (ow) {
    case Overflow::Wrap:
      return {true, wrapped};
    case Overflow::Sat:
      return {true, overflow > 0 ? sat_max : sat_min};
    case Overflow::Fail:
      break;
  }
  return {false, 0};
}

int64_t type_max(FieldType t) {
  if (t.is_signed)
    return t.bits == 64 ? INT64_MAX : static_cast<int64_t>((uint64_t{1} << (t.bits - 1)) - 1);
  return static_cast<int64_t>(low_mask(t.bits));
}
int64_t type_min(FieldType t) { return t.is_signed ? -type_max(t) - 1 : 0; }

}  // namespace

// GCC builds a popcnt clone and a portable one, picked once at load time by CPU support (Redis
// checks __builtin_cpu_supports("popcnt") per call instead).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
uint64_t
popcount(const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t c0 = 0, c1 = 0, c2 = 0, c3 = 0;  // independent sums keep the CPU's pipes busy
  while (n >= 32) {
    uint64_t w[4];
    std::memcpy(w, p, 32);
    c0 += std::popcount(w[0]);
    c1 += std::popcount(w[1]);
    c2 += std::popcount(w[2]);
    c3 += std::popcount(w[3]);
    p += 32;
    n -= 32;
  }
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    c0 += std::popcount(w);
    p += 8;
    n -= 8;
  }
  while (n--) c1 += pop8(*p++);
  return c0 + c1 + c2 + c3;
}

bool parse_offset(std::string_view s, bool allow_hash, unsigned bits, int64_t max_bytes,
                  uint64_t* out) {
  bool hash = allow_hash && bits > 0 && !s.empty() && s[0] == '#';
  int64_t v;
  if (!string_to_int64(hash ? s.substr(1) : s, &v)) return false;
  // Redis: loffset *= bits, a signed multiply that wraps in practice; done here unsigned.
  if (hash) v = static_cast<int64_t>(static_cast<uint64_t>(v) * bits);
  if (v < 0 || (v >> 3) >= max_bytes) return false;
  *out = static_cast<uint64_t>(v);
  return true;
}

bool get_bit(std::string_view s, uint64_t offset) {
  return (byte_at(s, offset >> 3) >> (7 - (offset & 7))) & 1;
}

bool set_bit(char* data, uint64_t offset, bool on) {
  auto& b = reinterpret_cast<uint8_t&>(data[offset >> 3]);
  const uint8_t m = static_cast<uint8_t>(0x80 >> (offset & 7));
  bool old = b & m;
  b = on ? (b | m) : (b & static_cast<uint8_t>(~m));
  return old;
}

int64_t count(std::string_view s) { return static_cast<int64_t>(popcount(s.data(), s.size())); }

int64_t count(std::string_view s, int64_t start, int64_t end, Unit unit) {
  if (start < 0 && end < 0 && start > end) return 0;
  int64_t total = static_cast<int64_t>(s.size()) * (unit == Unit::Bit ? 8 : 1);
  if (!clamp_range(total, &start, &end)) return 0;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  if (unit == Unit::Byte) return static_cast<int64_t>(popcount(p + start, end - start + 1));
  int64_t first = start >> 3, last = end >> 3;
  auto n = static_cast<int64_t>(popcount(p + first, last - first + 1));
  // Take out the edge bytes' bits that lie outside the range.
  n -= pop8(p[first] & static_cast<uint8_t>(0xFF00 >> (start & 7)));
  n -= pop8(p[last] & static_cast<uint8_t>((1u << (7 - (end & 7))) - 1));
  return n;
}

int64_t position(std::string_view s, bool bit, const PosRange& r) {
  const int64_t per = r.unit == Unit::Bit ? 8 : 1;
  const int64_t total = static_cast<int64_t>(s.size()) * per;
  int64_t start = r.has_start ? r.start : 0;
  int64_t end = r.has_end ? r.end : total - 1;
  if (!clamp_range(total, &start, &end)) return -1;
  uint64_t from = static_cast<uint64_t>(start), to = static_cast<uint64_t>(end);
  if (r.unit == Unit::Byte) {
    from *= 8;
    to = to * 8 + 7;
  }
  int64_t pos = find_bit(s, bit, from, to);
  if (pos >= 0 || bit) return pos;
  // No clear bit: without an explicit end the string is zero-padded on the right.
  return r.has_end ? -1 : static_cast<int64_t>(to + 1);
}

void combine(Op op, std::span<const std::string_view> srcs, char* out, size_t out_len) {
  auto* o = reinterpret_cast<uint8_t*>(out);
  std::string_view first = srcs.empty() ? std::string_view() : srcs[0];
  if (!first.empty()) std::memcpy(o, first.data(), first.size());  // a missing key: no data
  std::memset(o + first.size(), 0, out_len - first.size());
  if (op == Op::Not) {
    for (size_t j = 0; j < out_len; ++j) o[j] = static_cast<uint8_t>(~o[j]);
    return;
  }
  for (size_t k = 1; k < srcs.size(); ++k) {
    const auto* p = reinterpret_cast<const uint8_t*>(srcs[k].data());
    size_t n = srcs[k].size();
    switch (op) {
      case Op::And:
        for (size_t j = 0; j < n; ++j) o[j] &= p[j];
        std::memset(o + n, 0, out_len - n);  // past its end a source reads as zeros
        break;
      case Op::Or:
        for (size_t j = 0; j < n; ++j) o[j] |= p[j];
        break;
      case Op::Xor:
        for (size_t j = 0; j < n; ++j) o[j] ^= p[j];
        break;
      case Op::Not:
        break;
    }
  }
}

bool parse_field_type(std::string_view s, FieldType* out) {
  if (s.empty() || (s[0] != 'i' && s[0] != 'u')) return false;
  bool is_signed = s[0] == 'i';
  std::string_view digits = s.substr(1);
  digits = digits.substr(0, digits.find('\0'));  // Redis reads the type as a C string
  int64_t bits;
  if (!string_to_int64(digits, &bits) || bits < 1 || bits > (is_signed ? 64 : 63)) return false;
  out->is_signed = is_signed;
  out->bits = static_cast<unsigned>(bits);
  return true;
}

int64_t get_field(std::string_view s, uint64_t offset, FieldType t) {
  uint64_t first = offset >> 3;
  unsigned shift = offset & 7;
  uint8_t bytes[9];
  for (unsigned i = 0; i < 9; ++i) bytes[i] = byte_at(s, first + i);
  unsigned __int128 acc = load_be(bytes, 9);
  uint64_t v = static_cast<uint64_t>(acc >> (72 - shift - t.bits)) & low_mask(t.bits);
  if (t.is_signed && t.bits < 64 && (v >> (t.bits - 1)) & 1) v |= ~uint64_t{0} << t.bits;
  return static_cast<int64_t>(v);
}

void put_field(char* data, uint64_t offset, FieldType t, int64_t v) {
  auto* p = reinterpret_cast<uint8_t*>(data) + (offset >> 3);
  unsigned shift = offset & 7;
  unsigned n = (shift + t.bits + 7) / 8;  // bytes the field touches (<= 9)
  unsigned __int128 acc = load_be(p, n);
  unsigned low = 72 - shift - t.bits;
  unsigned __int128 mask = static_cast<unsigned __int128>(low_mask(t.bits)) << low;
  unsigned __int128 field =
      static_cast<unsigned __int128>(static_cast<uint64_t>(v) & low_mask(t.bits)) << low;
  acc = (acc & ~mask) | field;
  for (unsigned i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(acc >> (8 * (8 - i)));
}

FieldWrite field_set(FieldType t, int64_t v, Overflow ow) {
  if (t.is_signed) {
    int64_t wrapped;
    int o = check_signed(v, 0, t.bits, &wrapped);
    return resolve(o, v, wrapped, type_max(t), type_min(t), ow);
  }
  uint64_t wrapped;
  // Redis checks the value as unsigned: a negative one is an overflow (SAT stores the max).
  int o = check_unsigned(static_cast<uint64_t>(v), 0, t.bits, &wrapped);
  return resolve(o, v, static_cast<int64_t>(wrapped), type_max(t), 0, ow);
}

FieldWrite field_incr(FieldType t, int64_t old, int64_t incr, Overflow ow) {
  int64_t sum = static_cast<int64_t>(static_cast<uint64_t>(old) + static_cast<uint64_t>(incr));
  if (t.is_signed) {
    int64_t wrapped;
    int o = check_signed(old, incr, t.bits, &wrapped);
    return resolve(o, sum, wrapped, type_max(t), type_min(t), ow);
  }
  uint64_t wrapped;
  int o = check_unsigned(static_cast<uint64_t>(old), incr, t.bits, &wrapped);
  return resolve(o, sum, static_cast<int64_t>(wrapped), type_max(t), 0, ow);
}

}  // namespace dq::storage::bitmap
