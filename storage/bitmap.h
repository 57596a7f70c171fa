// bitmap.h — the bit arithmetic of Redis's bitmap commands, on plain byte ranges:
// GETBIT/SETBIT, population counts (BITCOUNT), first-bit search (BITPOS), BITOP, and
// BITFIELD's integers of 1..64 bits with WRAP / SAT / FAIL overflow control.
//
// Owns: bit offsets, range rules and field arithmetic. The key and its string buffer belong
// to the caller (Db::unshare_string makes a value writable and long enough). Must not
// include: sockets, libuv, protocol.
//
// Bit order is Redis's: bit 0 is the most significant bit of byte 0, so offsets run left to
// right and a byte-aligned field reads as big endian. Bytes past the end of a string read as
// zeros (a missing key is an empty string). Ranges follow Redis 7's index rules: negative
// indexes count from the end, then both ends are clamped to the string.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace dq::storage::bitmap {

// The unit of a BITCOUNT / BITPOS range.
enum class Unit : uint8_t { Byte, Bit };

// Bits set in n bytes from p.
uint64_t popcount(const void* p, size_t n);

// Parses a bit offset as Redis's getBitOffsetFromArgument: a strict integer, or with
// `allow_hash` (BITFIELD) "#N" meaning N * bits. Negative offsets and offsets whose byte
// (offset / 8) is >= max_bytes (proto-max-bulk-len) are refused. Redis multiplies "#N" in
// wrapping 64-bit arithmetic; so does this, so the same offsets are accepted.
bool parse_offset(std::string_view s, bool allow_hash, unsigned bits, int64_t max_bytes,
                  uint64_t* out);

// The bit at offset (0 past the end).
bool get_bit(std::string_view s, uint64_t offset);
// Sets or clears a bit inside data (offset / 8 must be in range); returns its old value.
bool set_bit(char* data, uint64_t offset, bool on);

// BITCOUNT key: every set bit.
int64_t count(std::string_view s);
// BITCOUNT key start end [BYTE|BIT]: set bits in [start, end] (inclusive, in `unit`s).
// Redis 7: both indexes negative with start > end counts nothing; otherwise negative indexes
// count from the end and the range is clamped to the string.
int64_t count(std::string_view s, int64_t start, int64_t end, Unit unit);

// BITPOS key bit [start [end [BYTE|BIT]]] on an existing string: the first bit equal to `bit`
// in the range, as an absolute bit offset, or -1. Without start the range is the whole
// string; without end it runs to the end. An empty range (start > end after clamping) is -1.
// Looking for 0 without an end, the string counts as zero-padded on the right, so a range of
// ones answers the first bit after it; with an explicit end it answers -1.
struct PosRange {
  bool has_start = false;
  bool has_end = false;
  int64_t start = 0;
  int64_t end = 0;
  Unit unit = Unit::Byte;
};
int64_t position(std::string_view s, bool bit, const PosRange& range);

// BITOP: out (the length of the longest source, at least 1 byte) receives op over the
// sources, each read as zero-padded to that length. Not takes exactly one source.
enum class Op : uint8_t { And, Or, Xor, Not };
void combine(Op op, std::span<const std::string_view> srcs, char* out, size_t out_len);

// --- BITFIELD ---

// An integer field type: iN (signed, 1..64 bits) or uN (unsigned, 1..63 bits: a u64 could not
// be returned as a RESP integer).
struct FieldType {
  bool is_signed = false;
  unsigned bits = 0;
};
// Parses "i16" / "u8" as Redis's getBitfieldTypeFromArgument: lower-case i/u, then a strict
// integer (read up to an embedded NUL, as Redis reads a C string).
bool parse_field_type(std::string_view s, FieldType* out);

enum class Overflow : uint8_t { Wrap, Sat, Fail };

// The field at offset (zero-padded past the end of s), sign-extended for signed types.
// Unsigned fields are at most 63 bits, so every value fits an int64.
int64_t get_field(std::string_view s, uint64_t offset, FieldType t);
// Writes the low t.bits bits of v at offset (data must reach offset + t.bits - 1).
void put_field(char* data, uint64_t offset, FieldType t, int64_t v);

// What a SET or INCRBY stores. ok = false: the value overflows under Overflow::Fail and
// nothing may be written (the reply is nil).
struct FieldWrite {
  bool ok = true;
  int64_t value = 0;
};
// SET: the value stored for v (wrapped or saturated when it does not fit the type).
FieldWrite field_set(FieldType t, int64_t v, Overflow ow);
// INCRBY: old + incr, with the overflow rule.
FieldWrite field_incr(FieldType t, int64_t old, int64_t incr, Overflow ow);

}  // namespace dq::storage::bitmap
