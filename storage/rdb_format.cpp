#include "storage/rdb_format.h"

#include <algorithm>
#include <array>
#include <vector>

namespace dq::storage::rdb {

namespace {

// Reflected form of the Jones polynomial 0xad93d23594c935a9.
constexpr uint64_t kPoly = 0x95ac9329ac4bc9b5ULL;

constexpr std::array<uint64_t, 256> make_table() {
  std::array<uint64_t, 256> t{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr std::array<uint64_t, 256> kTable = make_table();

constexpr uint8_t kLen6 = 0, kLen14 = 1, kLenEncoded = 3;
constexpr uint8_t kLen32 = 0x80, kLen64 = 0x81;
constexpr uint8_t kEncInt8 = 0, kEncInt16 = 1, kEncInt32 = 2, kEncLzf = 3;

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t get_le(std::string_view s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<uint64_t>(static_cast<uint8_t>(s[at + i])) << (8 * i);
  return v;
}

}  // namespace

uint64_t crc64(uint64_t crc, std::string_view data) {
  for (unsigned char ch : data) crc = kTable[(crc ^ ch) & 0xff] ^ (crc >> 8);
  return crc;
}

void append_length(std::string& out, uint64_t len) {
  if (len < (1u << 6)) {
    out.push_back(static_cast<char>((kLen6 << 6) | len));
  } else if (len < (1u << 14)) {
    out.push_back(static_cast<char>((kLen14 << 6) | (len >> 8)));
    out.push_back(static_cast<char>(len & 0xff));
  } else if (len <= UINT32_MAX) {
    out.push_back(static_cast<char>(kLen32));
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  } else {
    out.push_back(static_cast<char>(kLen64));
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  }
}

void append_string(std::string& out, std::string_view s) {
  append_length(out, s.size());
  out.append(s);
}

void append_footer(std::string& out) {
  put_le(out, kVersion, 2);
  put_le(out, crc64(0, out), 8);
}

bool verify_footer(std::string_view payload, uint16_t* version) {
  if (payload.size() < 10) return false;
  size_t footer = payload.size() - 10;
  auto ver = static_cast<uint16_t>(get_le(payload, footer, 2));
  if (ver > kVersion) return false;
  if (version) *version = ver;
  return crc64(0, payload.substr(0, payload.size() - 8)) == get_le(payload, footer + 2, 8);
}

void append_le(std::string& out, uint64_t v, int n) { put_le(out, v, n); }

bool Reader::length(uint64_t* len) {
  bool encoded;
  return length(len, &encoded) && !encoded;
}

bool Reader::raw(size_t n, std::string_view* out) {
  if (remaining() < n) return false;
  *out = in_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool Reader::le(int n, uint64_t* out) {
  if (n > 8 || remaining() < static_cast<size_t>(n)) return false;
  *out = get_le(in_, pos_, n);
  pos_ += n;
  return true;
}

bool Reader::byte(uint8_t* out) {
  if (remaining() < 1) return false;
  *out = static_cast<uint8_t>(in_[pos_++]);
  return true;
}

bool Reader::length(uint64_t* len, bool* encoded) {
  uint8_t b;
  if (!byte(&b)) return false;
  *encoded = false;
  switch (b >> 6) {
    case kLen6:
      *len = b & 0x3f;
      return true;
    case kLen14: {
      uint8_t lo;
      if (!byte(&lo)) return false;
      *len = (static_cast<uint64_t>(b & 0x3f) << 8) | lo;
      return true;
    }
    case kLenEncoded:
      *encoded = true;
      *len = b & 0x3f;
      return true;
    default: {
      int n = b == kLen32 ? 4 : b == kLen64 ? 8 : 0;
      if (n == 0 || remaining() < static_cast<size_t>(n)) return false;
      uint64_t v = 0;
      for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
      *len = v;
      return true;
    }
  }
}

bool Reader::string(std::string* out) {
  uint64_t len;
  bool encoded;
  if (!length(&len, &encoded)) return false;
  if (!encoded) {
    if (remaining() < len) return false;
    out->assign(in_.substr(pos_, len));
    pos_ += len;
    return true;
  }
  if (len == kEncInt8 || len == kEncInt16 || len == kEncInt32) {
    int n = len == kEncInt8 ? 1 : len == kEncInt16 ? 2 : 4;
    if (remaining() < static_cast<size_t>(n)) return false;
    uint64_t raw = get_le(in_, pos_, n);
    pos_ += n;
    int64_t v = n == 1   ? static_cast<int8_t>(raw)
                : n == 2 ? static_cast<int16_t>(raw)
                         : static_cast<int32_t>(raw);
    *out = std::to_string(v);
    return true;
  }
  if (len != kEncLzf) return false;
  uint64_t clen, ulen;
  bool e1, e2;
  if (!length(&clen, &e1) || !length(&ulen, &e2) || e1 || e2) return false;
  if (remaining() < clen || ulen > (1ULL << 32)) return false;
  // A back reference (at most 3 input bytes) yields at most 264 bytes: a larger claimed
  // size is a lie, refused before anything is allocated for it.
  if (ulen > clen * 90 + 64) return false;
  std::string_view packed = in_.substr(pos_, clen);
  pos_ += clen;
  return lzf_decompress(packed, ulen, out);
}

bool lzf_compress(std::string_view in, size_t max_out, std::string* out) {
  out->clear();
  constexpr size_t kHashBits = 14, kMaxOff = 8192, kMaxLen = 264;
  std::vector<uint32_t> table(1u << kHashBits, UINT32_MAX);
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t n = in.size(), ip = 0, lit = 0;
  auto flush_literals = [&](size_t end) {
    while (lit < end) {
      size_t run = std::min<size_t>(32, end - lit);
      out->push_back(static_cast<char>(run - 1));
      out->append(in.substr(lit, run));
      lit += run;
    }
    return out->size() <= max_out;
  };
  while (ip + 2 < n) {
    uint32_t h = ((p[ip] << 16) | (p[ip + 1] << 8) | p[ip + 2]) * 2654435761u >> (32 - kHashBits);
    uint32_t ref = table[h];
    table[h] = static_cast<uint32_t>(ip);
    if (ref == UINT32_MAX || ip - ref > kMaxOff || p[ref] != p[ip] || p[ref + 1] != p[ip + 1] ||
        p[ref + 2] != p[ip + 2]) {
      ++ip;
      continue;
    }
    size_t len = 3, max_len = std::min(kMaxLen, n - ip);
    while (len < max_len && p[ref + len] == p[ip + len]) ++len;
    if (!flush_literals(ip)) return false;
    size_t off = ip - ref - 1, l = len - 2;
    if (l < 7) {
      out->push_back(static_cast<char>((l << 5) | (off >> 8)));
    } else {
      out->push_back(static_cast<char>((7 << 5) | (off >> 8)));
      out->push_back(static_cast<char>(l - 7));
    }
    out->push_back(static_cast<char>(off & 0xff));
    ip += len;
    lit = ip;
  }
  return flush_literals(n);
}

void append_string_lzf(std::string& out, std::string_view s) {
  std::string packed;
  if (s.size() <= 20 || !lzf_compress(s, s.size() - 5, &packed)) return append_string(out, s);
  out.push_back(static_cast<char>(0xC0 | kEncLzf));
  append_length(out, packed.size());
  append_length(out, s.size());
  out.append(packed);
}

bool lzf_decompress(std::string_view in, size_t out_len, std::string* out) {
  out->clear();
  out->reserve(out_len);
  size_t ip = 0;
  while (ip < in.size()) {
    unsigned ctrl = static_cast<uint8_t>(in[ip++]);
    if (ctrl < 32) {  // a literal run of ctrl + 1 bytes
      size_t run = ctrl + 1;
      if (ip + run > in.size() || out->size() + run > out_len) return false;
      out->append(in.substr(ip, run));
      ip += run;
      continue;
    }
    // A back reference: length in the top 3 bits (7 = more in the next byte), offset in
    // the low 5 bits and the following byte.
    size_t len = ctrl >> 5;
    if (len == 7) {
      if (ip >= in.size()) return false;
      len += static_cast<uint8_t>(in[ip++]);
    }
    if (ip >= in.size()) return false;
    size_t back = ((ctrl & 0x1f) << 8) + static_cast<uint8_t>(in[ip++]) + 1;
    len += 2;
    if (back > out->size() || out->size() + len > out_len) return false;
    size_t from = out->size() - back;
    for (size_t i = 0; i < len; ++i) out->push_back((*out)[from + i]);  // may overlap
  }
  return out->size() == out_len;
}

}  // namespace dq::storage::rdb
