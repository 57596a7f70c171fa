// rdb_format.h — the pieces of Redis's RDB serialization that payloads exchanged with Redis
// need: CRC-64 (Jones polynomial, as Redis's crc64.c), the length and string encodings
// (6/14/32/64-bit lengths; int8/16/32 and LZF-compressed strings), and the DUMP-style footer
// (2-byte RDB version + CRC-64 of everything before it, both little-endian).
//
// FUNCTION DUMP / RESTORE use them, so a payload dumped by Redis 7 restores into dq and
// back. Readers accept every encoding Redis writes; append_string_lzf compresses.
// Must not include: anything beyond the standard library.
// Invariant: readers never read past the end of their input (truncated or lying lengths
// fail instead).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dq::storage::rdb {

inline constexpr uint16_t kVersion = 11;  // Redis 7.2's RDB_VERSION
inline constexpr uint8_t kOpFunctionPreGa = 246;
inline constexpr uint8_t kOpFunction2 = 245;

// Redis's crc64 (crc-64-jones, reflected, no final xor): crc64(0, "123456789") ==
// 0xe9c6d914c4b8d9ca.
uint64_t crc64(uint64_t crc, std::string_view data);

void append_length(std::string& out, uint64_t len);
// A raw (uncompressed) string: its length, then its bytes.
void append_string(std::string& out, std::string_view s);
// As Redis's rdbSaveRawString with rdbcompression: a string longer than 20 bytes whose LZF
// form is at least 4 bytes shorter is written compressed, anything else raw.
void append_string_lzf(std::string& out, std::string_view s);
// Appends the version and the CRC-64 of everything in out so far.
void append_footer(std::string& out);
// A little-endian unsigned of n bytes (n <= 8), as Redis's millisecond times and doubles.
void append_le(std::string& out, uint64_t v, int n);

// Checks a footer as Redis's verifyDumpPayload: at least 10 bytes, version <= kVersion, and
// the checksum. Returns false if any fails.
bool verify_footer(std::string_view payload, uint16_t* version = nullptr);

// Reads from a buffer; each read fails (returns false) rather than overrun.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  size_t remaining() const { return in_.size() - pos_; }
  size_t pos() const { return pos_; }
  bool byte(uint8_t* out);
  bool string(std::string* out);
  // A plain length (a special string encoding here is an error).
  bool length(uint64_t* len);
  // n bytes as they are (a view into the input).
  bool raw(size_t n, std::string_view* out);
  // A little-endian unsigned of n bytes (n <= 8).
  bool le(int n, uint64_t* out);

 private:
  // A length, or (*encoded set) the code of a special string encoding.
  bool length(uint64_t* len, bool* encoded);
  std::string_view in_;
  size_t pos_ = 0;
};

// LZF compression into out (liblzf's format: literal runs of up to 32 bytes, back references
// of 3..264 bytes within 8 KiB). Stops and returns false once out would exceed max_out bytes.
bool lzf_compress(std::string_view in, size_t max_out, std::string* out);
// LZF decompression (the format of liblzf, which Redis uses): exactly out_len bytes must
// come out of in. Returns false on malformed input.
bool lzf_decompress(std::string_view in, size_t out_len, std::string* out);

}  // namespace dq::storage::rdb
