// HyperLogLog: hashing and register positions (checked against values read from
// redis-server with PFDEBUG DECODE), dense register access, sparse updates against a model
// array, sparse -> dense promotion, merging, corrupt values, and estimates (checked against
// PFCOUNT of redis-server).
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "storage/hyperloglog.h"

namespace hll = dq::storage::hll;
using dq::storage::HeapString;

namespace {

struct Owned {
  HeapString* h;
  explicit Owned(HeapString* p) : h(p) {}
  explicit Owned(std::string_view v) : h(HeapString::create(v, v.size())) {}
  ~Owned() { std::free(h); }
  std::string_view view() const { return h->view(); }
};

std::vector<uint8_t> registers(std::string_view v) {
  std::vector<uint8_t> r(hll::kRegisters, 0);
  REQUIRE(hll::merge_into(r.data(), v));
  return r;
}

std::string header(uint8_t enc) {
  std::string h("HYLL");
  h.push_back(static_cast<char>(enc));
  h.append(11, '\0');
  return h;
}

std::string xzero(int n) {
  --n;
  return {static_cast<char>(0x40 | (n >> 8)), static_cast<char>(n & 0xff)};
}

// Adds elements "c0".."c<n-1>" to a fresh HLL.
Owned filled(int n, size_t sparse_max = hll::kDefaultSparseMaxBytes) {
  Owned o(hll::create_empty());
  for (int i = 0; i < n; ++i) REQUIRE(hll::add(o.h, "c" + std::to_string(i), sparse_max) >= 0);
  return o;
}

}  // namespace

TEST_CASE("hll: an empty value is Redis's 18-byte sparse HLL") {
  Owned o(hll::create_empty());
  std::string want = header(hll::kSparse) + xzero(16384);
  CHECK(o.view() == want);
  CHECK(hll::valid_header(o.view()));
  CHECK(hll::cache_valid(o.view()));
  CHECK(hll::cached_card(o.view()) == 0);
  CHECK(hll::decode_sparse(o.view()) == "Z:16384");
  bool invalid = false;
  CHECK(hll::count(o.view(), &invalid) == 0);
  CHECK_FALSE(invalid);
}

TEST_CASE("hll: elements land in the registers redis-server puts them in") {
  // From redis-server 7.0: PFADD k <element>; PFDEBUG DECODE k.
  struct Case {
    const char* element;
    const char* decoded;
  } cases[] = {
      {"a", "Z:12711 v:2,1 Z:3672"},
      {"hello", "Z:9216 v:1,1 Z:7167"},
      {"", "Z:5938 v:2,1 Z:10445"},
      {"abcdefgh", "Z:1383 v:1,1 Z:15000"},  // exactly one 8-byte block
      {"abcdefghijklmno", "Z:12377 v:4,1 Z:4006"},
  };
  for (const Case& c : cases) {
    Owned o(hll::create_empty());
    CHECK(hll::add(o.h, c.element, 3000) == 1);
    CHECK(hll::decode_sparse(o.view()) == c.decoded);
    CHECK_FALSE(hll::cache_valid(o.view()));  // a sparse update marks the cache stale
    CHECK(hll::add(o.h, c.element, 3000) == 0);
  }
  uint32_t index;
  CHECK(hll::pattern_len("a", &index) == 2);
  CHECK(index == 12711);
}

TEST_CASE("hll: murmur hash reads blocks little endian and mixes every tail length") {
  std::string data = "0123456789abcdefghijklmnopqrstuv";
  std::vector<uint64_t> seen;
  for (size_t n = 0; n <= data.size(); ++n) {
    uint64_t h = hll::murmur_hash64a(data.data(), n, hll::kHashSeed);
    for (uint64_t s : seen) CHECK(s != h);
    seen.push_back(h);
  }
  CHECK(hll::murmur_hash64a("", 0, 0) == 0);  // seed 0 and no data: all mixing of zero
  CHECK(hll::murmur_hash64a("a", 1, 1) != hll::murmur_hash64a("a", 1, 2));
}

TEST_CASE("hll: dense registers keep their values and leave neighbours alone") {
  std::vector<uint8_t> regs(hll::kDenseSize - hll::kHeaderSize, 0);
  std::vector<uint8_t> model(hll::kRegisters, 0);
  std::mt19937 rng(1);
  for (int round = 0; round < 3; ++round) {
    for (uint32_t i = 0; i < hll::kRegisters; ++i) {
      model[i] = static_cast<uint8_t>(rng() & 63);
      hll::dense_put(regs.data(), i, model[i]);
    }
    for (uint32_t i = 0; i < hll::kRegisters; ++i)
      REQUIRE(hll::dense_get(regs.data(), i) == model[i]);
  }
  // The last register ends exactly at the last byte.
  std::fill(regs.begin(), regs.end(), 0);
  hll::dense_put(regs.data(), hll::kRegisters - 1, 63);
  CHECK(regs.back() == 0xfc);
  CHECK(hll::dense_get(regs.data(), hll::kRegisters - 2) == 0);
}

TEST_CASE("hll: sparse updates match a model and stay valid") {
  std::mt19937 rng(42);
  Owned o(hll::create_empty());
  std::vector<uint8_t> model(hll::kRegisters, 0);
  for (int step = 0; step < 3000; ++step) {
    // Clustered indexes exercise ZERO, XZERO and VAL splits and the merging of neighbours.
    uint32_t index = step % 3 == 0 ? rng() % hll::kRegisters : (rng() % 64) + 8000;
    auto count = static_cast<uint8_t>(1 + rng() % 32);
    int r = hll::set_register(o.h, index, count, 1 << 20);
    REQUIRE(r >= 0);
    CHECK(r == (count > model[index] ? 1 : 0));
    if (count > model[index]) model[index] = count;
    REQUIRE(hll::encoding(o.view()) == hll::kSparse);
    if (step % 100 == 0) REQUIRE(registers(o.view()) == model);
  }
  REQUIRE(registers(o.view()) == model);
  // Adjacent equal VALs are merged: the representation is no longer than one opcode per
  // register.
  CHECK(o.view().size() < hll::kHeaderSize + hll::kRegisters);

  // to_dense keeps every register and the header bytes.
  hll::set_cached_card(o.h->data, 77);
  CHECK(hll::to_dense(o.h));
  CHECK(o.view().size() == hll::kDenseSize);
  CHECK(hll::encoding(o.view()) == hll::kDense);
  CHECK(hll::cached_card(o.view()) == 77);
  CHECK(registers(o.view()) == model);
  CHECK(hll::to_dense(o.h));  // no-op on dense
}

TEST_CASE("hll: a value above 32 or a size above the limit promotes to dense") {
  Owned a(hll::create_empty());
  CHECK(hll::set_register(a.h, 5, 33, 3000) == 1);
  CHECK(hll::encoding(a.view()) == hll::kDense);
  CHECK(registers(a.view())[5] == 33);

  Owned b(hll::create_empty());
  CHECK(hll::set_register(b.h, 100, 3, 20) == 1);  // 18 -> 21 bytes > 20
  CHECK(hll::encoding(b.view()) == hll::kDense);

  Owned c(hll::create_empty());
  CHECK(hll::set_register(c.h, 0, 3, 19) == 1);  // VAL + XZERO: 19 bytes, fits
  CHECK(hll::encoding(c.view()) == hll::kSparse);
  CHECK(hll::decode_sparse(c.view()) == "v:3,1 Z:16383");

  // Growing past the default limit while adding elements.
  Owned d = filled(5000);
  CHECK(hll::encoding(d.view()) == hll::kDense);
  Owned e = filled(300);
  CHECK(hll::encoding(e.view()) == hll::kSparse);
  CHECK(e.view().size() <= 3000);
}

TEST_CASE("hll: estimates match redis-server's PFCOUNT") {
  // From redis-server 7.0: PFADD c c0 .. c<n-1>; PFCOUNT c.
  struct Case {
    int n;
    uint64_t count;
  } cases[] = {{1, 1}, {10, 10}, {100, 100}, {1000, 999}, {5000, 4987}, {20000, 20016}};
  for (const Case& c : cases) {
    Owned o = filled(c.n);
    bool invalid = false;
    CHECK(hll::count(o.view(), &invalid) == c.count);
    CHECK_FALSE(invalid);
    // The same registers in the other encodings give the same estimate.
    std::vector<uint8_t> regs = registers(o.view());
    CHECK(hll::count_registers(regs.data()) == c.count);
    Owned dense(o.view());
    REQUIRE(hll::to_dense(dense.h));
    CHECK(hll::count(dense.view(), nullptr) == c.count);
  }
}

TEST_CASE("hll: merging takes the maximum of every register") {
  Owned a = filled(200), b = filled(2000);
  Owned c(hll::create_empty());
  for (int i = 100; i < 400; ++i) hll::add(c.h, "c" + std::to_string(i), 3000);
  std::vector<uint8_t> max(hll::kRegisters, 0);
  REQUIRE(hll::merge_into(max.data(), a.view()));
  REQUIRE(hll::merge_into(max.data(), c.view()));
  Owned abc = filled(400);
  CHECK(max == registers(abc.view()));
  REQUIRE(hll::merge_into(max.data(), b.view()));  // b (dense) holds all of them
  CHECK(max == registers(b.view()));
}

TEST_CASE("hll: corrupt and invalid values") {
  CHECK_FALSE(hll::valid_header("HYLL"));
  CHECK_FALSE(hll::valid_header(std::string("HYLX") + header(1).substr(4) + xzero(16384)));
  CHECK_FALSE(hll::valid_header(header(2) + xzero(16384)));
  CHECK_FALSE(hll::valid_header(header(0) + std::string(100, '\0')));
  CHECK(hll::valid_header(header(0) + std::string(hll::kDenseSize - hll::kHeaderSize, '\0')));
  CHECK(hll::valid_header(header(1)));  // header only: valid header, corrupt body

  for (std::string body :
       {std::string(), xzero(16000), xzero(16384) + xzero(1), std::string(1, '\x40')}) {
    std::string v = header(1) + body;
    bool invalid = false;
    hll::count(v, &invalid);
    CHECK(invalid);
    std::vector<uint8_t> max(hll::kRegisters, 0);
    CHECK_FALSE(hll::merge_into(max.data(), v));
    Owned o(v);
    CHECK_FALSE(hll::to_dense(o.h));
    CHECK(o.view() == v);  // untouched
  }
  // Runs that stop short: a register past them cannot be found.
  Owned shortv(header(1) + xzero(100));
  CHECK(hll::set_register(shortv.h, 5000, 1, 3000) == -1);
  CHECK(hll::set_register(shortv.h, 50, 1, 3000) == 1);    // inside the runs: updated
  CHECK(hll::set_register(shortv.h, 60, 40, 3000) == -1);  // promotion finds the corruption
}

TEST_CASE("hll: cached cardinality bytes") {
  std::string v = header(1) + xzero(16384);
  hll::set_cached_card(v.data(), 0x0102030405060708ULL);
  CHECK(static_cast<uint8_t>(v[8]) == 0x08);
  CHECK(static_cast<uint8_t>(v[15]) == 0x01);
  CHECK(hll::cache_valid(v));
  CHECK(hll::cached_card(v) == 0x0102030405060708ULL);
  hll::invalidate_cache(v.data());
  CHECK_FALSE(hll::cache_valid(v));
  CHECK(static_cast<uint8_t>(v[15]) == 0x81);
}

TEST_CASE("hll: self test passes") { CHECK(hll::self_test(12345, 3000) == ""); }
