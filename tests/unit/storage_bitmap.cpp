// storage/bitmap: offsets, counts, first-bit search, BITOP and BITFIELD arithmetic, each
// checked on Redis's documented examples and against a bit-by-bit model on random strings.
#include <doctest/doctest.h>

#include <climits>
#include <random>
#include <string>
#include <vector>

#include "storage/bitmap.h"

namespace bm = dq::storage::bitmap;
using bm::FieldType;
using bm::Overflow;
using bm::Unit;

namespace {

// --- a bit-by-bit model ---
int model_bit(const std::string& s, int64_t i) {
  if (i < 0 || i / 8 >= static_cast<int64_t>(s.size())) return 0;
  return (static_cast<uint8_t>(s[i / 8]) >> (7 - i % 8)) & 1;
}

// Redis's clamping of [start, end] over total units; false when empty.
bool model_clamp(int64_t total, int64_t& start, int64_t& end) {
  if (start < 0) start += total;
  if (end < 0) end += total;
  start = std::max<int64_t>(start, 0);
  end = std::max<int64_t>(end, 0);
  end = std::min(end, total - 1);
  return start <= end;
}

int64_t model_count(const std::string& s, int64_t start, int64_t end, Unit u) {
  if (start < 0 && end < 0 && start > end) return 0;
  int64_t per = u == Unit::Bit ? 1 : 8;
  if (!model_clamp(static_cast<int64_t>(s.size()) * 8 / per, start, end)) return 0;
  int64_t n = 0;
  for (int64_t i = start * per; i < (end + 1) * per; ++i) n += model_bit(s, i);
  return n;
}

int64_t model_pos(const std::string& s, int bit, const bm::PosRange& r) {
  int64_t per = r.unit == Unit::Bit ? 1 : 8;
  int64_t total = static_cast<int64_t>(s.size()) * 8 / per;
  int64_t start = r.has_start ? r.start : 0, end = r.has_end ? r.end : total - 1;
  if (!model_clamp(total, start, end)) return -1;
  for (int64_t i = start * per; i < (end + 1) * per; ++i)
    if (model_bit(s, i) == bit) return i;
  if (bit == 1 || r.has_end) return -1;
  return (end + 1) * per;
}

uint64_t model_field(const std::string& s, uint64_t off, unsigned bits) {
  uint64_t v = 0;
  for (unsigned j = 0; j < bits; ++j) v = (v << 1) | model_bit(s, static_cast<int64_t>(off + j));
  return v;
}

// Exact arithmetic with wrap / saturation on a FieldType (no Redis quirks involved).
bm::FieldWrite model_store(FieldType t, __int128 exact, Overflow ow) {
  __int128 lo = t.is_signed ? -(static_cast<__int128>(1) << (t.bits - 1)) : 0;
  __int128 hi = t.is_signed ? (static_cast<__int128>(1) << (t.bits - 1)) - 1
                            : (static_cast<__int128>(1) << t.bits) - 1;
  if (exact >= lo && exact <= hi) return {true, static_cast<int64_t>(exact)};
  if (ow == Overflow::Fail) return {false, 0};
  if (ow == Overflow::Sat) return {true, static_cast<int64_t>(exact > hi ? hi : lo)};
  __int128 span = static_cast<__int128>(1) << t.bits;
  __int128 m = ((exact - lo) % span + span) % span + lo;
  return {true, static_cast<int64_t>(m)};
}

std::string random_string(std::mt19937_64& rng, size_t max_len) {
  std::string s(rng() % (max_len + 1), '\0');
  int style = static_cast<int>(rng() % 3);  // random bytes, mostly zeros, mostly ones
  for (char& c : s) {
    uint8_t b = static_cast<uint8_t>(rng());
    if (style == 1) b = rng() % 8 ? 0 : b;
    if (style == 2) b = rng() % 8 ? 0xFF : b;
    c = static_cast<char>(b);
  }
  return s;
}

}  // namespace

TEST_CASE("bitmap: offsets as Redis parses them") {
  uint64_t off;
  const int64_t k512mb = 512LL * 1024 * 1024;
  CHECK(bm::parse_offset("0", false, 0, k512mb, &off));
  CHECK(off == 0);
  CHECK(bm::parse_offset("4294967295", false, 0, k512mb, &off));  // the last bit of 512 MB
  CHECK(off == 4294967295ULL);
  CHECK_FALSE(bm::parse_offset("4294967296", false, 0, k512mb, &off));
  CHECK_FALSE(bm::parse_offset("-1", false, 0, k512mb, &off));
  CHECK_FALSE(bm::parse_offset("+1", false, 0, k512mb, &off));
  CHECK_FALSE(bm::parse_offset("01", false, 0, k512mb, &off));
  CHECK_FALSE(bm::parse_offset("", false, 0, k512mb, &off));
  CHECK_FALSE(bm::parse_offset("1.0", false, 0, k512mb, &off));
  CHECK_FALSE(bm::parse_offset("#1", false, 0, k512mb, &off));  // SETBIT / GETBIT: no '#'
  CHECK(bm::parse_offset("#3", true, 8, k512mb, &off));
  CHECK(off == 24);
  CHECK(bm::parse_offset("100", true, 8, k512mb, &off));
  CHECK(off == 100);
  CHECK_FALSE(bm::parse_offset("#-1", true, 8, k512mb, &off));
  CHECK_FALSE(bm::parse_offset("#", true, 8, k512mb, &off));
  CHECK_FALSE(bm::parse_offset("#536870912", true, 8, k512mb, &off));  // byte 512 MB
  CHECK(bm::parse_offset("#536870911", true, 8, k512mb, &off));
  // Redis multiplies in wrapping 64-bit arithmetic: 2^61 + 1 fields of 8 bits = bit 8.
  CHECK(bm::parse_offset("#2305843009213693953", true, 8, k512mb, &off));
  CHECK(off == 8);
  // A smaller proto-max-bulk-len lowers the limit.
  CHECK(bm::parse_offset("8388607", false, 0, 1024 * 1024, &off));
  CHECK_FALSE(bm::parse_offset("8388608", false, 0, 1024 * 1024, &off));
}

TEST_CASE("bitmap: get_bit / set_bit use Redis's bit order") {
  std::string s(2, '\0');
  CHECK_FALSE(bm::set_bit(s.data(), 0, true));
  CHECK(s[0] == '\x80');
  CHECK_FALSE(bm::set_bit(s.data(), 15, true));
  CHECK(s[1] == '\x01');
  CHECK(bm::set_bit(s.data(), 15, true));
  CHECK(bm::set_bit(s.data(), 0, false));
  CHECK(s[0] == '\0');
  CHECK(bm::get_bit(s, 15));
  CHECK_FALSE(bm::get_bit(s, 14));
  CHECK_FALSE(bm::get_bit(s, 1000000));  // past the end: 0
  CHECK_FALSE(bm::get_bit("", 0));
  // "1" is 0x31 = 00110001
  CHECK_FALSE(bm::get_bit("1", 1));
  CHECK(bm::get_bit("1", 2));
  CHECK(bm::get_bit("1", 7));
}

TEST_CASE("bitmap: popcount over lengths and alignments") {
  std::mt19937_64 rng(7);
  std::string s = random_string(rng, 300);
  for (size_t from = 0; from < 9 && from <= s.size(); ++from)
    for (size_t n = 0; from + n <= s.size(); n += 1 + n / 3) {
      uint64_t want = 0;
      for (size_t i = from; i < from + n; ++i)
        want += static_cast<uint64_t>(__builtin_popcount(static_cast<uint8_t>(s[i])));
      CHECK(bm::popcount(s.data() + from, n) == want);
    }
}

TEST_CASE("bitmap: BITCOUNT examples of the Redis documentation") {
  CHECK(bm::count("foobar") == 26);
  CHECK(bm::count("foobar", 0, 0, Unit::Byte) == 4);
  CHECK(bm::count("foobar", 1, 1, Unit::Byte) == 6);
  CHECK(bm::count("foobar", 1, 1, Unit::Bit) == 1);
  CHECK(bm::count("foobar", 5, 30, Unit::Bit) == 17);
  CHECK(bm::count("foobar", -1, -2, Unit::Byte) == 0);  // both negative, start > end
  CHECK(bm::count("foobar", 2, 1, Unit::Byte) == 0);
  CHECK(bm::count("foobar", -100, 100, Unit::Byte) == 26);
  CHECK(bm::count("", 0, -1, Unit::Byte) == 0);
  CHECK(bm::count("", 0, -1, Unit::Bit) == 0);
}

TEST_CASE("bitmap: BITCOUNT ranges against the model") {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 3000; ++round) {
    std::string s = random_string(rng, 40);
    Unit u = rng() % 2 ? Unit::Bit : Unit::Byte;
    int64_t span = static_cast<int64_t>(s.size()) * (u == Unit::Bit ? 8 : 1) + 3;
    int64_t a = static_cast<int64_t>(rng() % (2 * span + 1)) - span;
    int64_t b = static_cast<int64_t>(rng() % (2 * span + 1)) - span;
    INFO("len=", s.size(), " start=", a, " end=", b, " bit=", u == Unit::Bit);
    CHECK(bm::count(s, a, b, u) == model_count(s, a, b, u));
  }
  CHECK(bm::count("ab", INT64_MIN, INT64_MAX, Unit::Bit) == bm::count("ab"));
  CHECK(bm::count("ab", INT64_MAX, INT64_MAX, Unit::Byte) == 0);
}

TEST_CASE("bitmap: BITPOS examples of the Redis documentation") {
  bm::PosRange all;
  CHECK(bm::position("\xff\xf0\x00", false, all) == 12);
  std::string s("\x00\xff\xf0", 3);
  bm::PosRange r;
  r.has_start = true;
  CHECK(bm::position(s, true, r) == 8);
  r.start = 2;
  CHECK(bm::position(s, true, r) == 16);
  r.has_end = true;
  r.end = -1;
  CHECK(bm::position(s, true, r) == 16);
  r.start = 7;
  r.end = 15;
  r.unit = Unit::Bit;
  CHECK(bm::position(s, true, r) == 8);
  std::string zeros(3, '\0');
  CHECK(bm::position(zeros, true, all) == -1);
  r.end = -3;
  CHECK(bm::position(zeros, true, r) == -1);
}

TEST_CASE("bitmap: BITPOS of a clear bit past the range") {
  bm::PosRange all;
  CHECK(bm::position("\xff\xff", false, all) == 16);  // zero-padded on the right
  bm::PosRange r;
  r.has_start = r.has_end = true;
  r.end = -1;
  CHECK(bm::position("\xff\xff", false, r) == -1);  // an explicit end: no padding
  r.has_end = false;
  r.start = 1;
  CHECK(bm::position("\xff\xff", false, r) == 16);
  r.start = 2;  // starts past the end: empty range
  CHECK(bm::position("\xff\xff", false, r) == -1);
  CHECK(bm::position("", false, all) == -1);  // an empty string is an empty range
  CHECK(bm::position("", true, all) == -1);
  r.start = 3;
  r.unit = Unit::Bit;
  CHECK(bm::position("\xff\xff", false, r) == 16);
}

TEST_CASE("bitmap: BITPOS against the model") {
  std::mt19937_64 rng(13);
  for (int round = 0; round < 5000; ++round) {
    std::string s = random_string(rng, 40);
    bm::PosRange r;
    r.has_start = rng() % 4 != 0;
    r.has_end = r.has_start && rng() % 2;
    r.unit = r.has_end && rng() % 2 ? Unit::Bit : Unit::Byte;
    int64_t span = static_cast<int64_t>(s.size()) * (r.unit == Unit::Bit ? 8 : 1) + 3;
    r.start = static_cast<int64_t>(rng() % (2 * span + 1)) - span;
    r.end = static_cast<int64_t>(rng() % (2 * span + 1)) - span;
    int bit = static_cast<int>(rng() % 2);
    INFO("len=", s.size(), " start=", r.start, " end=", r.end, " has=", r.has_start, r.has_end,
         " unit=", r.unit == Unit::Bit, " bit=", bit);
    CHECK(bm::position(s, bit, r) == model_pos(s, bit, r));
  }
}

TEST_CASE("bitmap: BITOP pads shorter sources with zeros") {
  std::string a("\xf0\x0f\xaa", 3), b("\xff", 1), out(3, '?');
  std::vector<std::string_view> srcs{a, b};
  bm::combine(bm::Op::And, srcs, out.data(), 3);
  CHECK(out == std::string("\xf0\x00\x00", 3));
  bm::combine(bm::Op::Or, srcs, out.data(), 3);
  CHECK(out == std::string("\xff\x0f\xaa", 3));
  bm::combine(bm::Op::Xor, srcs, out.data(), 3);
  CHECK(out == std::string("\x0f\x0f\xaa", 3));
  std::vector<std::string_view> one{b};
  bm::combine(bm::Op::Not, one, out.data(), 1);
  CHECK(out[0] == '\0');
  // A missing (empty) first source.
  std::vector<std::string_view> holes{std::string_view(), a};
  bm::combine(bm::Op::Or, holes, out.data(), 3);
  CHECK(out == a);
  bm::combine(bm::Op::And, holes, out.data(), 3);
  CHECK(out == std::string(3, '\0'));
}

TEST_CASE("bitmap: BITOP against a byte model") {
  std::mt19937_64 rng(17);
  for (int round = 0; round < 500; ++round) {
    int n = 1 + static_cast<int>(rng() % 4);
    std::vector<std::string> keep;
    for (int i = 0; i < n; ++i) keep.push_back(random_string(rng, 70));
    std::vector<std::string_view> srcs(keep.begin(), keep.end());
    size_t maxlen = 1;
    for (auto& k : keep) maxlen = std::max(maxlen, k.size());
    for (bm::Op op : {bm::Op::And, bm::Op::Or, bm::Op::Xor, bm::Op::Not}) {
      if (op == bm::Op::Not && n != 1) continue;
      std::string out(maxlen, '?');
      bm::combine(op, srcs, out.data(), maxlen);
      for (size_t j = 0; j < maxlen; ++j) {
        auto at = [&](int i) { return j < keep[i].size() ? static_cast<uint8_t>(keep[i][j]) : 0; };
        uint8_t want = at(0);
        if (op == bm::Op::Not) want = static_cast<uint8_t>(~want);
        for (int i = 1; i < n; ++i) {
          if (op == bm::Op::And) want &= at(i);
          if (op == bm::Op::Or) want |= at(i);
          if (op == bm::Op::Xor) want ^= at(i);
        }
        REQUIRE(static_cast<uint8_t>(out[j]) == want);
      }
    }
  }
}

TEST_CASE("bitmap: BITFIELD types") {
  FieldType t;
  CHECK(bm::parse_field_type("i64", &t));
  CHECK((t.is_signed && t.bits == 64));
  CHECK(bm::parse_field_type("u63", &t));
  CHECK((!t.is_signed && t.bits == 63));
  CHECK(bm::parse_field_type("u1", &t));
  for (const char* bad : {"u64", "i65", "i0", "u0", "I8", "U8", "8", "i", "", "i08", "i+8", "i-1",
                          "x8", "i 8", "i8 "})
    CHECK_FALSE(bm::parse_field_type(bad, &t));
  // Redis reads the width as a C string: an embedded NUL ends it.
  CHECK(bm::parse_field_type(std::string_view("i8\0zz", 5), &t));
  CHECK(t.bits == 8);
}

TEST_CASE("bitmap: BITFIELD get / put follow the documented layout") {
  // u5 = 23 at offset 7 into zeros: 00000001 01110000
  std::string s(2, '\0');
  bm::put_field(s.data(), 7, {false, 5}, 23);
  CHECK(s == std::string("\x01\x70", 2));
  CHECK(bm::get_field(s, 7, {false, 5}) == 23);
  CHECK(bm::get_field(s, 7, {true, 5}) == 23 - 32);
  CHECK(bm::get_field(s, 0, {false, 16}) == 0x0170);
  // Past the end reads zeros; a 64-bit field at an odd offset spans 9 bytes.
  CHECK(bm::get_field("", 1000, {true, 64}) == 0);
  std::string w(10, '\0');
  bm::put_field(w.data(), 3, {true, 64}, -2);
  CHECK(bm::get_field(w, 3, {true, 64}) == -2);
  CHECK(bm::get_field(w, 3, {false, 63}) == INT64_MAX);  // the top 63 bits of ...fffe
  CHECK(w[9] == '\0');
  CHECK(static_cast<uint8_t>(w[0]) == 0x1F);
  CHECK(static_cast<uint8_t>(w[8]) == 0xC0);
}

TEST_CASE("bitmap: BITFIELD get / put against the model") {
  std::mt19937_64 rng(19);
  for (int round = 0; round < 5000; ++round) {
    std::string s = random_string(rng, 24);
    if (s.size() < 10) s.resize(10, '\x5a');
    FieldType t{rng() % 2 == 0, 1 + static_cast<unsigned>(rng() % 63)};
    if (t.is_signed && rng() % 8 == 0) t.bits = 64;
    uint64_t max_off = s.size() * 8 - t.bits;
    uint64_t off = rng() % (max_off + 1);
    uint64_t raw = model_field(s, off, t.bits);
    int64_t want = static_cast<int64_t>(raw);
    if (t.is_signed && t.bits < 64 && (raw >> (t.bits - 1)))
      want = static_cast<int64_t>(raw | (~uint64_t{0} << t.bits));
    REQUIRE(bm::get_field(s, off, t) == want);
    // Beyond the end the field reads as zero-padded.
    REQUIRE(bm::get_field(s.substr(0, off / 8), off, t) ==
            bm::get_field(s.substr(0, off / 8) + std::string(16, '\0'), off, t));
    int64_t v = static_cast<int64_t>(rng());
    std::string before = s;
    bm::put_field(s.data(), off, t, v);
    uint64_t mask = t.bits == 64 ? ~uint64_t{0} : (uint64_t{1} << t.bits) - 1;
    REQUIRE(model_field(s, off, t.bits) == (static_cast<uint64_t>(v) & mask));
    for (int64_t i = 0; i < static_cast<int64_t>(s.size()) * 8; ++i)
      if (i < static_cast<int64_t>(off) || i >= static_cast<int64_t>(off + t.bits))
        REQUIRE(model_bit(s, i) == model_bit(before, i));
  }
}

TEST_CASE("bitmap: BITFIELD overflow, documented cases") {
  FieldType i8{true, 8}, u2{false, 2}, u8{false, 8}, i64{true, 64};
  // i8 at 127 + 1 wraps to -128; SAT keeps 127; FAIL refuses.
  CHECK(bm::field_incr(i8, 127, 1, Overflow::Wrap).value == -128);
  CHECK(bm::field_incr(i8, 120, 10, Overflow::Sat).value == 127);
  CHECK_FALSE(bm::field_incr(i8, 127, 1, Overflow::Fail).ok);
  CHECK(bm::field_incr(i8, -128, -1, Overflow::Sat).value == -128);
  CHECK(bm::field_incr(i8, -128, -1, Overflow::Wrap).value == 127);
  // The documented u2 sequence: 3 + 1 wraps to 0, saturates at 3.
  CHECK(bm::field_incr(u2, 3, 1, Overflow::Wrap).value == 0);
  CHECK(bm::field_incr(u2, 3, 1, Overflow::Sat).value == 3);
  CHECK_FALSE(bm::field_incr(u2, 3, 1, Overflow::Fail).ok);
  CHECK(bm::field_incr(u2, 0, -1, Overflow::Sat).value == 0);
  CHECK(bm::field_incr(u2, 0, -1, Overflow::Wrap).value == 3);
  // SET wraps / saturates the value to the type.
  CHECK(bm::field_set(u8, 256, Overflow::Wrap).value == 0);
  CHECK(bm::field_set(u8, 300, Overflow::Sat).value == 255);
  CHECK_FALSE(bm::field_set(u8, 300, Overflow::Fail).ok);
  CHECK(bm::field_set(i8, 200, Overflow::Wrap).value == -56);
  CHECK(bm::field_set(i8, -200, Overflow::Sat).value == -128);
  CHECK(bm::field_set(i8, -128, Overflow::Fail).ok);
  // 64-bit signed fields overflow at INT64's limits.
  CHECK(bm::field_incr(i64, INT64_MAX, 1, Overflow::Wrap).value == INT64_MIN);
  CHECK(bm::field_incr(i64, INT64_MAX, 1, Overflow::Sat).value == INT64_MAX);
  CHECK(bm::field_incr(i64, INT64_MIN, -1, Overflow::Sat).value == INT64_MIN);
  CHECK_FALSE(bm::field_incr(i64, INT64_MIN, -1, Overflow::Fail).ok);
  CHECK(bm::field_incr(i64, -5, INT64_MAX, Overflow::Fail).value == INT64_MAX - 5);
  CHECK(bm::field_set(i64, INT64_MIN, Overflow::Fail).ok);
}

TEST_CASE("bitmap: BITFIELD overflow quirks kept from Redis") {
  // Redis checks an unsigned SET's value as an unsigned 64-bit number: -1 overflows upwards,
  // so SAT stores the maximum.
  CHECK(bm::field_set({false, 8}, -1, Overflow::Sat).value == 255);
  CHECK(bm::field_set({false, 8}, -1, Overflow::Wrap).value == 255);
  CHECK(bm::field_set({false, 63}, INT64_MIN, Overflow::Sat).value == INT64_MAX);
  // For a signed SET whose value lies within 2^bits of INT64_MIN, Redis's maxincr wraps and
  // the value counts as an overflow: SAT stores the maximum.
  CHECK(bm::field_set({true, 8}, INT64_MIN, Overflow::Sat).value == 127);
  CHECK(bm::field_set({true, 8}, INT64_MIN + 127, Overflow::Sat).value == 127);
  CHECK(bm::field_set({true, 8}, INT64_MIN + 128, Overflow::Sat).value == -128);
  CHECK(bm::field_set({true, 8}, INT64_MIN, Overflow::Wrap).value == 0);
}

TEST_CASE("bitmap: BITFIELD arithmetic against an exact model") {
  std::mt19937_64 rng(23);
  const Overflow modes[] = {Overflow::Wrap, Overflow::Sat, Overflow::Fail};
  for (int round = 0; round < 20000; ++round) {
    FieldType t{rng() % 2 == 0, 1 + static_cast<unsigned>(rng() % 63)};
    if (t.is_signed && rng() % 8 == 0) t.bits = 64;
    Overflow ow = modes[rng() % 3];
    __int128 lo = t.is_signed ? -(static_cast<__int128>(1) << (t.bits - 1)) : 0;
    __int128 hi = t.is_signed ? (static_cast<__int128>(1) << (t.bits - 1)) - 1
                              : (static_cast<__int128>(1) << t.bits) - 1;
    // An old value in range, and an increment that is small, near the type or any int64.
    __int128 width = hi - lo + 1;
    auto old = static_cast<int64_t>(lo + static_cast<__int128>(rng()) % width);
    uint64_t mag;
    switch (rng() % 3) {
      case 0:
        mag = rng() % 4;
        break;
      case 1:
        mag = t.bits >= 63 ? rng() >> 1 : rng() >> (63 - t.bits);
        break;
      default:
        mag = rng() >> 1;
    }
    int64_t incr = rng() % 2 ? static_cast<int64_t>(mag) : -static_cast<int64_t>(mag);
    INFO("signed=", t.is_signed, " bits=", t.bits, " old=", old, " incr=", incr);
    bm::FieldWrite got = bm::field_incr(t, old, incr, ow);
    bm::FieldWrite want = model_store(t, static_cast<__int128>(old) + incr, ow);
    REQUIRE(got.ok == want.ok);
    if (got.ok) REQUIRE(got.value == want.value);
    // SET: unsigned values are read as unsigned 64-bit numbers (see the quirks above); signed
    // ones away from INT64_MIN's quirk window.
    uint64_t raw = rng() >> (rng() % 64);
    auto v = static_cast<int64_t>(rng() % 2 ? raw : 0 - raw);
    if (t.is_signed && v < INT64_MIN + (int64_t{1} << 62)) continue;
    __int128 exact =
        t.is_signed ? static_cast<__int128>(v) : static_cast<__int128>(static_cast<uint64_t>(v));
    got = bm::field_set(t, v, ow);
    want = model_store(t, exact, ow);
    REQUIRE(got.ok == want.ok);
    if (got.ok) REQUIRE(got.value == want.value);
  }
}
