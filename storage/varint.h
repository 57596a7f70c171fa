// varint.h — the length prefix of packed entries (lists, sets, hashes, sorted sets):
// little-endian base-128, 7 bits a byte, the high bit set on every byte but the last.
// Must not include: anything beyond the standard library.
#pragma once
#include <cstddef>
#include <cstdint>

namespace dq::storage {

inline size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 128) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Writes v at p; returns the bytes written (varint_size(v)).
inline size_t put_varint(char* p, uint64_t v) {
  size_t n = 0;
  while (v >= 128) {
    p[n++] = static_cast<char>((v & 127) | 128);
    v >>= 7;
  }
  p[n++] = static_cast<char>(v);
  return n;
}

// Reads a varint at p into *v; returns the bytes read.
template <class T>
inline size_t get_varint(const char* p, T* v) {
  uint64_t r = 0;
  unsigned shift = 0;
  size_t n = 0;
  while (true) {
    unsigned char b = static_cast<unsigned char>(p[n++]);
    r |= static_cast<uint64_t>(b & 127) << shift;
    if (!(b & 128)) break;
    shift += 7;
  }
  *v = static_cast<T>(r);
  return n;
}

}  // namespace dq::storage
