// lua_cmsgpack.cpp — the `cmsgpack` library of Redis scripts: MessagePack encoding and
// decoding with the API and the exact bytes of lua-cmsgpack 0.4.0 as Redis bundles it.
// Written for dq (Debian packages no lua-cmsgpack).
//
//   cmsgpack.pack(v1, v2, ...)          -> the messages of v1, v2, ... concatenated
//   cmsgpack.unpack(s)                  -> every value decoded from s
//   cmsgpack.unpack_one(s [, off])      -> next offset (-1 at the end), one value
//   cmsgpack.unpack_limit(s, n [, off]) -> next offset, up to n values
//
// Encoding, as Redis: a number that is an exact int64 is the smallest msgpack int (positive
// values as fixint/uint*, negative as negative fixint/int*); other numbers are float 32 when
// the float holds the value exactly, else float 64. Strings are fixstr/str8/str16/str32. A
// table whose keys are exactly 1..n is an array, any other table a map (the empty table is
// an empty array). Tables nested 16 deep encode as nil (what makes cycles terminate);
// functions, userdata and threads encode as nil.
// Decoding, as Redis: every type but bin and ext ("Bad data format in input."); uint64 is read
// through a signed int64 (values past 2^63 come back negative); truncated input is "Missing
// bytes in input.". Error texts, the argument checks and their quirks (the offset error prints
// the input length where it announces the limit; unpack_limit(s, 0) decodes everything and
// returns no offset) are Redis's.
//
// Errors longjmp out of these functions: the output buffer lives in a Lua userdata, so an
// error leaves nothing to free, and no C++ object with a destructor is alive across a call
// that can raise.

#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <lua5.1/lua.hpp>
#include <utility>

#include "server/lua_libs.h"

namespace dq::server {

namespace {

constexpr int kMaxNesting = 16;  // Redis's LUACMSGPACK_MAX_NESTING

// --- encoding ------------------------------------------------------------------------

// The growing output; its bytes are a userdata kept at stack slot `slot`.
struct Out {
  lua_State* L;
  int slot;
  unsigned char* data;
  size_t len;
  size_t cap;
};

void out_init(Out& o, lua_State* L) {
  o.L = L;
  o.len = 0;
  o.cap = 64;
  o.data = static_cast<unsigned char*>(lua_newuserdata(L, o.cap));
  o.slot = lua_gettop(L);
}

void out_append(Out& o, const void* p, size_t n) {
  if (o.cap - o.len < n) {
    size_t cap = o.cap;
    while (cap - o.len < n) cap *= 2;
    luaL_checkstack(o.L, 1, "in function mp_buf_append");
    auto* fresh = static_cast<unsigned char*>(lua_newuserdata(o.L, cap));
    std::memcpy(fresh, o.data, o.len);
    lua_replace(o.L, o.slot);
    o.data = fresh;
    o.cap = cap;
  }
  std::memcpy(o.data + o.len, p, n);
  o.len += n;
}

// Appends tag followed by the low `width` bytes of v, big-endian.
void out_tagged(Out& o, unsigned char tag, uint64_t v, int width) {
  unsigned char b[9];
  b[0] = tag;
  for (int i = 0; i < width; i++) b[1 + i] = static_cast<unsigned char>(v >> (8 * (width - 1 - i)));
  out_append(o, b, 1 + width);
}

void encode_int(Out& o, int64_t n) {
  const auto u = static_cast<uint64_t>(n);
  if (n >= 0) {
    if (n <= 127) {
      const auto b = static_cast<unsigned char>(n);  // positive fixint
      return out_append(o, &b, 1);
    }
    if (n <= 0xff) return out_tagged(o, 0xcc, u, 1);
    if (n <= 0xffff) return out_tagged(o, 0xcd, u, 2);
    if (n <= 0xffffffffLL) return out_tagged(o, 0xce, u, 4);
    return out_tagged(o, 0xcf, u, 8);
  }
  if (n >= -32) {
    const auto b = static_cast<unsigned char>(u);  // negative fixint: the byte itself
    return out_append(o, &b, 1);
  }
  if (n >= -128) return out_tagged(o, 0xd0, u, 1);
  if (n >= -32768) return out_tagged(o, 0xd1, u, 2);
  if (n >= INT32_MIN) return out_tagged(o, 0xd2, u, 4);
  out_tagged(o, 0xd3, u, 8);
}

// float 32 when the value survives the round trip through float (so does infinity), else
// float 64; NaN is never equal to itself, so it is a float 64 (as in Redis).
void encode_double(Out& o, double d) {
  const bool fits = !std::isnan(d) && (std::isinf(d) || std::fabs(d) <= FLT_MAX);
  if (fits) {
    const auto f = static_cast<float>(d);
    if (static_cast<double>(f) == d) {
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      return out_tagged(o, 0xca, bits, 4);
    }
  }
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  out_tagged(o, 0xcb, bits, 8);
}

// True when (int64_t)n == n, without the undefined cast for out-of-range values.
bool is_int64(lua_Number n) {
  return n >= -0x1p63 && n < 0x1p63 && static_cast<lua_Number>(static_cast<int64_t>(n)) == n;
}

void encode_number(Out& o, lua_Number n) {
  if (is_int64(n)) return encode_int(o, static_cast<int64_t>(n));
  encode_double(o, n);
}

void encode_string(Out& o, const char* s, size_t len) {
  if (len < 32) {
    const auto b = static_cast<unsigned char>(0xa0 | len);
    out_append(o, &b, 1);
  } else if (len <= 0xff) {
    out_tagged(o, 0xd9, len, 1);
  } else if (len <= 0xffff) {
    out_tagged(o, 0xda, len, 2);
  } else {
    out_tagged(o, 0xdb, len & 0xffffffffu, 4);
  }
  out_append(o, s, len);
}

// Array and map headers: fix (<= 15), 16-bit, 32-bit.
void encode_header(Out& o, unsigned char fix, unsigned char tag16, uint64_t n) {
  if (n <= 15) {
    const auto b = static_cast<unsigned char>(fix | n);
    return out_append(o, &b, 1);
  }
  if (n <= 0xffff) return out_tagged(o, tag16, n, 2);
  out_tagged(o, static_cast<unsigned char>(tag16 + 1), n & 0xffffffffu, 4);
}

// Keys exactly 1..n (a positive number that is an exact int, count == largest key).
bool table_is_array(lua_State* L) {
  const int top = lua_gettop(L);
  int count = 0;
  int max = 0;
  bool array = true;
  luaL_checkstack(L, 2, "in function table_is_an_array");
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    const lua_Number n = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
    if (n <= 0 || n > INT_MAX || static_cast<lua_Number>(static_cast<int>(n)) != n) {
      array = false;
      break;
    }
    if (n > max) max = static_cast<int>(n);
    count++;
  }
  lua_settop(L, top);
  return array && max == count;
}

void encode_value(Out& o, int level);

void encode_table(Out& o, int level) {
  lua_State* L = o.L;
  if (table_is_array(L)) {
    const size_t len = lua_objlen(L, -1);
    encode_header(o, 0x90, 0xdc, len);
    luaL_checkstack(L, 1, "in function mp_encode_lua_table_as_array");
    for (size_t j = 1; j <= len; j++) {
      lua_pushnumber(L, static_cast<lua_Number>(j));
      lua_gettable(L, -2);
      encode_value(o, level + 1);
    }
    return;
  }
  luaL_checkstack(L, 3, "in function mp_encode_lua_table_as_map");
  size_t len = 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    len++;
  }
  encode_header(o, 0x80, 0xde, len);
  lua_pushnil(L);
  while (lua_next(L, -2)) {  // ... key value
    lua_pushvalue(L, -2);    // ... key value key
    encode_value(o, level + 1);
    encode_value(o, level + 1);
  }
}

// Encodes the value on top of the stack and pops it.
void encode_value(Out& o, int level) {
  lua_State* L = o.L;
  int t = lua_type(L, -1);
  if (t == LUA_TTABLE && level == kMaxNesting) t = LUA_TNIL;
  switch (t) {
    case LUA_TSTRING: {
      size_t len;
      const char* s = lua_tolstring(L, -1, &len);
      encode_string(o, s, len);
      break;
    }
    case LUA_TBOOLEAN: {
      const unsigned char b = lua_toboolean(L, -1) ? 0xc3 : 0xc2;
      out_append(o, &b, 1);
      break;
    }
    case LUA_TNUMBER:
      encode_number(o, lua_tonumber(L, -1));
      break;
    case LUA_TTABLE:
      encode_table(o, level);
      break;
    default: {
      const unsigned char b = 0xc0;
      out_append(o, &b, 1);
    }
  }
  lua_pop(L, 1);
}

int l_pack(lua_State* L) {
  const int nargs = lua_gettop(L);
  if (nargs == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  if (!lua_checkstack(L, nargs))
    return luaL_argerror(L, 0, "Too many arguments for MessagePack pack.");
  Out o;
  out_init(o, L);
  for (int i = 1; i <= nargs; i++) {
    luaL_checkstack(L, 1, "in function mp_check");
    lua_pushvalue(L, i);
    encode_value(o, 0);
  }
  lua_pushlstring(L, reinterpret_cast<const char*>(o.data), o.len);
  return 1;
}

// --- decoding ------------------------------------------------------------------------

enum class DecodeError { kNone, kEof, kBadFormat };

struct Cursor {
  const unsigned char* p;
  size_t left;
  DecodeError err;
};

bool need(Cursor& c, size_t n) {
  if (c.left >= n) return true;
  c.err = DecodeError::kEof;
  return false;
}

void consume(Cursor& c, size_t n) {
  c.p += n;
  c.left -= n;
}

// The `width` bytes after the type byte, big-endian.
uint64_t read_be(const Cursor& c, int width) {
  uint64_t v = 0;
  for (int i = 1; i <= width; i++) v = (v << 8) | c.p[i];
  return v;
}

void decode_value(lua_State* L, Cursor& c);

void decode_array(lua_State* L, Cursor& c, size_t len) {
  lua_newtable(L);
  luaL_checkstack(L, 1, "in function mp_decode_to_lua_array");
  lua_Number index = 1;
  while (len--) {
    lua_pushnumber(L, index++);
    decode_value(L, c);
    if (c.err != DecodeError::kNone) return;
    lua_settable(L, -3);
  }
}

void decode_map(lua_State* L, Cursor& c, size_t len) {
  lua_newtable(L);
  while (len--) {
    decode_value(L, c);  // key
    if (c.err != DecodeError::kNone) return;
    decode_value(L, c);  // value
    if (c.err != DecodeError::kNone) return;
    lua_settable(L, -3);
  }
}

// A number of `width` bytes (1, 2, 4, 8) after the type byte; signed or not.
void decode_int(lua_State* L, Cursor& c, int width, bool is_signed) {
  if (!need(c, 1 + width)) return;
  const uint64_t u = read_be(c, width);
  int64_t v;
  if (!is_signed || width == 8) {
    v = static_cast<int64_t>(u);  // uint64 past 2^63 wraps negative, as in Redis
  } else {
    const int shift = 64 - 8 * width;
    v = static_cast<int64_t>(u << shift) >> shift;
  }
  lua_pushnumber(L, static_cast<lua_Number>(v));
  consume(c, 1 + width);
}

// A string whose length takes `width` bytes after the type byte (0: in the type byte).
void decode_string(lua_State* L, Cursor& c, int width, size_t fix_len) {
  if (!need(c, 1 + width)) return;
  const size_t len = width ? read_be(c, width) : fix_len;
  consume(c, 1 + width);
  if (!need(c, len)) return;
  lua_pushlstring(L, reinterpret_cast<const char*>(c.p), len);
  consume(c, len);
}

// An array or map whose count takes `width` bytes after the type byte (0: in the byte).
void decode_container(lua_State* L, Cursor& c, int width, size_t fix_len, bool map) {
  if (!need(c, 1 + width)) return;
  const size_t len = width ? read_be(c, width) : fix_len;
  consume(c, 1 + width);
  if (map) {
    decode_map(L, c, len);
  } else {
    decode_array(L, c, len);
  }
}

// Decodes one value at the cursor and pushes it; on error sets c.err (pushing maybe nothing).
void decode_value(lua_State* L, Cursor& c) {
  if (!need(c, 1)) return;
  luaL_checkstack(L, 1, "too many return values at once; use unpack_one or unpack_limit instead.");
  const unsigned char t = c.p[0];
  switch (t) {
    case 0xcc:
      return decode_int(L, c, 1, false);
    case 0xcd:
      return decode_int(L, c, 2, false);
    case 0xce:
      return decode_int(L, c, 4, false);
    case 0xcf:
      return decode_int(L, c, 8, false);
    case 0xd0:
      return decode_int(L, c, 1, true);
    case 0xd1:
      return decode_int(L, c, 2, true);
    case 0xd2:
      return decode_int(L, c, 4, true);
    case 0xd3:
      return decode_int(L, c, 8, true);
    case 0xc0:
      lua_pushnil(L);
      return consume(c, 1);
    case 0xc2:
    case 0xc3:
      lua_pushboolean(L, t == 0xc3);
      return consume(c, 1);
    case 0xca: {
      if (!need(c, 5)) return;
      const auto bits = static_cast<uint32_t>(read_be(c, 4));
      float f;
      std::memcpy(&f, &bits, 4);
      lua_pushnumber(L, f);
      return consume(c, 5);
    }
    case 0xcb: {
      if (!need(c, 9)) return;
      const uint64_t bits = read_be(c, 8);
      double d;
      std::memcpy(&d, &bits, 8);
      lua_pushnumber(L, d);
      return consume(c, 9);
    }
    case 0xd9:
      return decode_string(L, c, 1, 0);
    case 0xda:
      return decode_string(L, c, 2, 0);
    case 0xdb:
      return decode_string(L, c, 4, 0);
    case 0xdc:
      return decode_container(L, c, 2, 0, false);
    case 0xdd:
      return decode_container(L, c, 4, 0, false);
    case 0xde:
      return decode_container(L, c, 2, 0, true);
    case 0xdf:
      return decode_container(L, c, 4, 0, true);
    default:
      break;
  }
  if (t < 0x80) {  // positive fixint
    lua_pushnumber(L, t);
    return consume(c, 1);
  }
  if (t >= 0xe0) {  // negative fixint
    lua_pushnumber(L, static_cast<signed char>(t));
    return consume(c, 1);
  }
  if ((t & 0xe0) == 0xa0) return decode_string(L, c, 0, t & 0x1f);
  if ((t & 0xf0) == 0x90) return decode_container(L, c, 0, t & 0xf, false);
  if ((t & 0xf0) == 0x80) return decode_container(L, c, 0, t & 0xf, true);
  c.err = DecodeError::kBadFormat;  // 0xc1, bin 8/16/32, ext, fixext
}

// Decodes up to `limit` values of argument 1 from `offset`. limit == offset == 0 means all
// values and no offset returned (so unpack_limit(s, 0) behaves as unpack, as in Redis).
int unpack_full(lua_State* L, lua_Integer limit, lua_Integer offset) {
  size_t len;
  const char* s = luaL_checklstring(L, 1, &len);
  const bool decode_all = limit == 0 && offset == 0;
  if (offset < 0 || limit < 0) {  // Redis prints the input length as the "limit"
    return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                      static_cast<int>(offset), static_cast<int>(len));
  }
  if (static_cast<size_t>(offset) > len) {
    return luaL_error(L, "Start offset %d greater than input length %d.", static_cast<int>(offset),
                      static_cast<int>(len));
  }
  if (decode_all) limit = INT_MAX;
  Cursor c{reinterpret_cast<const unsigned char*>(s) + offset, len - static_cast<size_t>(offset),
           DecodeError::kNone};
  int count = 0;
  for (; c.left > 0 && count < limit; count++) {
    decode_value(L, c);
    if (c.err == DecodeError::kEof) return luaL_error(L, "Missing bytes in input.");
    if (c.err == DecodeError::kBadFormat) return luaL_error(L, "Bad data format in input.");
  }
  if (decode_all) return count;
  luaL_checkstack(L, 1, "in function mp_unpack_full");
  lua_pushinteger(L, c.left == 0 ? -1 : static_cast<lua_Integer>(len - c.left));
  lua_insert(L, 2);  // the offset comes first, after the input string
  return count + 1;
}

int l_unpack(lua_State* L) { return unpack_full(L, 0, 0); }

int l_unpack_one(lua_State* L) {
  const lua_Integer offset = luaL_optinteger(L, 2, 0);
  lua_pop(L, lua_gettop(L) - 1);  // keeps the input (no argument at all stays none)
  return unpack_full(L, 1, offset);
}

int l_unpack_limit(lua_State* L) {
  const lua_Integer limit = luaL_checkinteger(L, 2);
  const lua_Integer offset = luaL_optinteger(L, 3, 0);
  lua_pop(L, lua_gettop(L) - 1);
  return unpack_full(L, limit, offset);
}

}  // namespace

int luaopen_dq_cmsgpack(lua_State* L) {
  lua_newtable(L);
  const luaL_Reg fns[] = {{"pack", l_pack},
                          {"unpack", l_unpack},
                          {"unpack_one", l_unpack_one},
                          {"unpack_limit", l_unpack_limit}};
  for (const auto& f : fns) {
    lua_pushcfunction(L, f.func);
    lua_setfield(L, -2, f.name);
  }
  // The metadata fields Redis 7's bundled library carries.
  const std::pair<const char*, const char*> meta[] = {
      {"_NAME", "cmsgpack"},
      {"_VERSION", "lua-cmsgpack 0.4.0"},
      {"_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"},
      {"_DESCRIPTION", "MessagePack C implementation for Lua"},
  };
  for (auto [k, v] : meta) {
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
  }
  return 1;
}

}  // namespace dq::server
