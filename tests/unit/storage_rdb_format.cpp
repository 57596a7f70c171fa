// rdb_format: CRC-64 check value, length encodings, a payload written by redis-server 7.0
// (FUNCTION DUMP, LZF-compressed), truncated and corrupted inputs.
#include <doctest/doctest.h>

#include <string>

#include "storage/rdb_format.h"

namespace rdb = dq::storage::rdb;

namespace {
std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}
}  // namespace

TEST_CASE("crc64 as Redis") {
  CHECK(rdb::crc64(0, "123456789") == 0xe9c6d914c4b8d9caULL);
  CHECK(rdb::crc64(0, "") == 0);
}

TEST_CASE("lengths and strings round-trip") {
  for (size_t n : {0u, 1u, 63u, 64u, 16383u, 16384u, 70000u}) {
    std::string buf;
    rdb::append_string(buf, std::string(n, 'x'));
    buf += '!';
    rdb::Reader r(buf);
    std::string s;
    REQUIRE(r.string(&s));
    CHECK(s == std::string(n, 'x'));
    CHECK(r.remaining() == 1);
  }
}

TEST_CASE("footer") {
  std::string p = "\xf5";
  rdb::append_string(p, "code");
  rdb::append_footer(p);
  uint16_t ver = 0;
  CHECK(rdb::verify_footer(p, &ver));
  CHECK(ver == rdb::kVersion);
  std::string bad = p;
  bad[2] ^= 1;
  CHECK_FALSE(rdb::verify_footer(bad));
  CHECK_FALSE(rdb::verify_footer("short"));
  CHECK_FALSE(rdb::verify_footer(""));
}

TEST_CASE("a FUNCTION DUMP payload from redis-server 7.0 (LZF)") {
  std::string p = unhex(
      "f5c3405d40731f23216c7561206e616d653d6d796c69620a72656469732e72656769737465725f0b66756e63"
      "74696f6e28276d79400b02272c2040066012196b6579732c2061726773292072657475726e202768656c6c6f"
      "20e00e05052720656e64290a00784430b067798f9f");
  uint16_t ver = 0;
  REQUIRE(rdb::verify_footer(p, &ver));
  CHECK(ver == 10);
  rdb::Reader r(std::string_view(p).substr(0, p.size() - 10));
  uint8_t type;
  REQUIRE(r.byte(&type));
  CHECK(type == rdb::kOpFunction2);
  std::string code;
  REQUIRE(r.string(&code));
  CHECK(code ==
        "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return "
        "'hello hello hello hello hello' end)");
  CHECK(r.remaining() == 0);
}

TEST_CASE("integer-encoded strings") {
  const std::string in("\xc0\xfe\xc1\x39\x30\xc2\x00\x00\x00\x80", 10);
  rdb::Reader r(in);
  std::string s;
  REQUIRE(r.string(&s));
  CHECK(s == "-2");
  REQUIRE(r.string(&s));
  CHECK(s == "12345");
  REQUIRE(r.string(&s));
  CHECK(s == "-2147483648");
}

TEST_CASE("truncated and malformed input fails") {
  std::string s;
  CHECK_FALSE(rdb::Reader(std::string_view("\x05"
                                           "abc",
                                           4))
                  .string(&s));                                          // short body
  CHECK_FALSE(rdb::Reader(std::string_view("\x40", 1)).string(&s));      // 14-bit, no 2nd
  CHECK_FALSE(rdb::Reader(std::string_view("\x80\x00", 2)).string(&s));  // 32-bit, short
  CHECK_FALSE(rdb::Reader(std::string_view("\xc4", 1)).string(&s));      // unknown encoding
  CHECK_FALSE(rdb::Reader(std::string_view("", 0)).string(&s));
  // LZF: back reference before the start, literal run past the end, wrong final size.
  CHECK_FALSE(rdb::lzf_decompress(std::string_view("\x20\x05", 2), 3, &s));
  CHECK_FALSE(rdb::lzf_decompress(std::string_view("\x05"
                                                   "ab",
                                                   3),
                                  6, &s));
  CHECK_FALSE(rdb::lzf_decompress(std::string_view("\x01"
                                                   "ab",
                                                   3),
                                  3, &s));
  CHECK(rdb::lzf_decompress(std::string_view("\x00"
                                             "a\x40\x00",
                                             4),
                            5, &s));
  CHECK(s == "aaaaa");
}
