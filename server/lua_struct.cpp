// lua_struct.cpp — the `struct` library of Redis scripts: binary packing as Roberto
// Ierusalimschy's struct library (1.7, with Redis's bounds fixes) bundled in Redis 7 does it.
// Written for dq (Debian packages no lua-struct).
//
//   struct.pack(fmt, v1, ...)  -> binary string
//   struct.unpack(fmt, s [, i]) -> the values, then the position after the last byte read
//   struct.size(fmt)           -> the size of what fmt packs
//
// Format options: `<` little endian, `>` big endian, `![n]` maximum alignment n (default 8,
// a power of 2), `x` a zero byte, `b`/`B` signed/unsigned char, `h`/`H` short, `l`/`L` long,
// `T` size_t, `i[n]`/`I[n]` signed/unsigned integer of n bytes (default 4, at most 32), `f`
// float, `d` double, `s` zero-terminated string, `c[n]` n chars (pack: `c0` is the whole
// string; unpack: `c0` takes its length from the value read just before), spaces ignored.
// Sizes and the native byte order are those of x86-64 Linux, where Redis runs.
//
// Where the C library's result depends on the machine (an integer of more than 8 bytes; a
// number out of range for the conversion to an integer), dq reproduces what Redis compiled
// by gcc on x86-64 does (shift counts taken modulo 64, out-of-range conversions giving
// 0x8000000000000000), so replies stay byte-identical. Error texts and quirks are Redis's:
// struct.size ignores unknown letters, "string too short" names the argument after the
// string, alignment of a non-power-of-2 integer size uses the C library's formula.
//
// Errors longjmp out: no C++ object with a destructor is alive across a call that can raise.

#include <bit>
#include <climits>
#include <cstdint>
#include <cstring>
#include <lua5.1/lua.hpp>

#include "server/lua_libs.h"

namespace dq::server {

namespace {

constexpr int kMaxIntSize = 32;  // bytes of an `i` / `I` integer
constexpr int kMaxAlign = 8;     // max(alignment of double in a struct, sizeof(int))
constexpr int kBig = 0;
constexpr int kLittle = 1;
constexpr int kNative = std::endian::native == std::endian::little ? kLittle : kBig;

struct Header {
  int endian;
  int align;
};

bool is_digit(int c) { return c >= '0' && c <= '9'; }
bool is_alnum(int c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_pow2(int x) { return x > 0 && (x & (x - 1)) == 0; }

int get_num(lua_State* L, const char** fmt, int dflt) {
  if (!is_digit(**fmt)) return dflt;
  int a = 0;
  do {
    const int d = **fmt - '0';
    if (a > INT_MAX / 10 || a * 10 > INT_MAX - d) luaL_error(L, "integral size overflow");
    a = a * 10 + d;
    (*fmt)++;
  } while (is_digit(**fmt));
  return a;
}

// The size of option `opt`, reading its count from fmt; 0 for options that take no room.
size_t opt_size(lua_State* L, int opt, const char** fmt) {
  switch (opt) {
    case 'B':
    case 'b':
      return sizeof(char);
    case 'H':
    case 'h':
      return sizeof(short);
    case 'L':
    case 'l':
      return sizeof(long);
    case 'T':
      return sizeof(size_t);
    case 'f':
      return sizeof(float);
    case 'd':
      return sizeof(double);
    case 'x':
      return 1;
    case 'c':
      return static_cast<size_t>(get_num(L, fmt, 1));
    case 'i':
    case 'I': {
      const int sz = get_num(L, fmt, sizeof(int));
      if (sz > kMaxIntSize)
        luaL_error(L, "integral size %d is larger than limit of %d", sz, kMaxIntSize);
      return static_cast<size_t>(sz);
    }
    default:
      return 0;
  }
}

// Padding before an item of `size` bytes at offset len (the C library's formula, also for
// sizes that are not powers of 2).
size_t to_align(size_t len, const Header& h, int opt, size_t size) {
  if (size == 0 || opt == 'c') return 0;
  if (size > static_cast<size_t>(h.align)) size = static_cast<size_t>(h.align);
  return (size - (len & (size - 1))) & (size - 1);
}

// Endianness, alignment and blanks; anything else is an invalid option.
void control_option(lua_State* L, int opt, const char** fmt, Header& h) {
  switch (opt) {
    case ' ':
      return;
    case '>':
      h.endian = kBig;
      return;
    case '<':
      h.endian = kLittle;
      return;
    case '!': {
      const int a = get_num(L, fmt, kMaxAlign);
      if (!is_pow2(a)) luaL_error(L, "alignment %d is not a power of 2", a);
      h.align = a;
      return;
    }
    default: {
      const char* msg = lua_pushfstring(L, "invalid format option '%c'", opt);
      luaL_argerror(L, 1, msg);
    }
  }
}

// double -> long / unsigned long as gcc's x86-64 code converts (cvttsd2si): values out of
// range give 0x8000000000000000 instead of undefined behaviour.
uint64_t to_signed_bits(double d) {
  if (d >= -0x1p63 && d < 0x1p63) return static_cast<uint64_t>(static_cast<int64_t>(d));
  return uint64_t{1} << 63;
}

uint64_t to_unsigned_bits(double d) {
  if (!(d >= 0x1p63)) return to_signed_bits(d);  // also NaN
  return to_signed_bits(d - 0x1p63) ^ (uint64_t{1} << 63);
}

void put_integer(lua_State* L, luaL_Buffer* b, int arg, int endian, int size) {
  const lua_Number n = luaL_checknumber(L, arg);
  uint64_t value = n < 0 ? to_signed_bits(n) : to_unsigned_bits(n);
  char buf[kMaxIntSize];
  for (int i = 0; i < size; i++) {  // bytes past the 8th are 0
    buf[endian == kLittle ? i : size - 1 - i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  luaL_addlstring(b, buf, static_cast<size_t>(size));
}

// Reverses the bytes of a float/double when the requested order is not the machine's.
void correct_bytes(char* b, int size, int endian) {
  if (endian == kNative) return;
  for (int i = 0, j = size - 1; i < j; i++, j--) {
    const char t = b[i];
    b[i] = b[j];
    b[j] = t;
  }
}

lua_Number get_integer(const char* buf, int endian, bool is_signed, int size) {
  uint64_t l = 0;  // only the last 8 bytes read survive, as in the C library
  for (int i = 0; i < size; i++) {
    l <<= 8;
    l |= static_cast<unsigned char>(buf[endian == kBig ? i : size - 1 - i]);
  }
  if (!is_signed) return static_cast<lua_Number>(l);
  // The sign bit is byte size's top bit; x86 takes the shift count modulo 64.
  const unsigned shift = static_cast<unsigned>(size * 8 - 1) & 63u;
  const uint64_t mask = ~uint64_t{0} << shift;
  if (l & mask) l |= mask;
  return static_cast<lua_Number>(static_cast<int64_t>(l));
}

int l_pack(lua_State* L) {
  luaL_Buffer b;
  const char* fmt = luaL_checkstring(L, 1);
  Header h{kNative, 1};
  int arg = 2;
  size_t total = 0;
  lua_pushnil(L);  // separates the arguments from the buffer's stack slots
  luaL_buffinit(L, &b);
  while (*fmt != '\0') {
    const int opt = *fmt++;
    size_t size = opt_size(L, opt, &fmt);
    size_t pad = to_align(total, h, opt, size);
    total += pad;
    while (pad-- > 0) luaL_addchar(&b, '\0');
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I':
        put_integer(L, &b, arg++, h.endian, static_cast<int>(size));
        break;
      case 'x':
        luaL_addchar(&b, '\0');
        break;
      case 'f': {
        auto f = static_cast<float>(luaL_checknumber(L, arg++));
        correct_bytes(reinterpret_cast<char*>(&f), sizeof f, h.endian);
        luaL_addlstring(&b, reinterpret_cast<char*>(&f), sizeof f);
        break;
      }
      case 'd': {
        double d = luaL_checknumber(L, arg++);
        correct_bytes(reinterpret_cast<char*>(&d), sizeof d, h.endian);
        luaL_addlstring(&b, reinterpret_cast<char*>(&d), sizeof d);
        break;
      }
      case 'c':
      case 's': {
        size_t l;
        const char* s = luaL_checklstring(L, arg++, &l);
        if (size == 0) size = l;
        // Redis names the argument after the string here (arg was already advanced).
        luaL_argcheck(L, l >= size, arg, "string too short");
        luaL_addlstring(&b, s, size);
        if (opt == 's') {
          luaL_addchar(&b, '\0');
          size++;
        }
        break;
      }
      default:
        control_option(L, opt, &fmt, h);
    }
    total += size;
  }
  luaL_pushresult(&b);
  return 1;
}

int l_unpack(lua_State* L) {
  Header h{kNative, 1};
  const char* fmt = luaL_checkstring(L, 1);
  size_t ld;
  const char* data = luaL_checklstring(L, 2, &ld);
  size_t pos = static_cast<size_t>(luaL_optinteger(L, 3, 1));
  luaL_argcheck(L, pos > 0, 3, "offset must be 1 or greater");
  pos--;
  int n = 0;  // results pushed
  while (*fmt) {
    const int opt = *fmt++;
    size_t size = opt_size(L, opt, &fmt);
    pos += to_align(pos, h, opt, size);
    luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
    luaL_checkstack(L, 2, "too many results");  // the item and the final position
    switch (opt) {
      case 'b':
      case 'B':
      case 'h':
      case 'H':
      case 'l':
      case 'L':
      case 'T':
      case 'i':
      case 'I': {
        const bool is_signed = opt >= 'a' && opt <= 'z';
        lua_pushnumber(L, get_integer(data + pos, h.endian, is_signed, static_cast<int>(size)));
        n++;
        break;
      }
      case 'x':
        break;
      case 'f': {
        float f;
        std::memcpy(&f, data + pos, sizeof f);
        correct_bytes(reinterpret_cast<char*>(&f), sizeof f, h.endian);
        lua_pushnumber(L, f);
        n++;
        break;
      }
      case 'd': {
        double d;
        std::memcpy(&d, data + pos, sizeof d);
        correct_bytes(reinterpret_cast<char*>(&d), sizeof d, h.endian);
        lua_pushnumber(L, d);
        n++;
        break;
      }
      case 'c':
        if (size == 0) {  // the length is the value read just before
          if (n == 0 || !lua_isnumber(L, -1)) luaL_error(L, "format 'c0' needs a previous size");
          size = static_cast<size_t>(lua_tonumber(L, -1));
          lua_pop(L, 1);
          n--;
          luaL_argcheck(L, size <= ld && pos <= ld - size, 2, "data string too short");
        }
        lua_pushlstring(L, data + pos, size);
        n++;
        break;
      case 's': {
        const auto* e = static_cast<const char*>(std::memchr(data + pos, '\0', ld - pos));
        if (e == nullptr) luaL_error(L, "unfinished string in data");
        size = static_cast<size_t>(e - (data + pos)) + 1;
        lua_pushlstring(L, data + pos, size - 1);
        n++;
        break;
      }
      default:
        control_option(L, opt, &fmt, h);
    }
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos + 1));
  return n + 1;
}

int l_size(lua_State* L) {
  Header h{kNative, 1};
  const char* fmt = luaL_checkstring(L, 1);
  size_t pos = 0;
  while (*fmt) {
    const int opt = *fmt++;
    const size_t size = opt_size(L, opt, &fmt);
    pos += to_align(pos, h, opt, size);
    if (opt == 's') {
      luaL_argerror(L, 1, "option 's' has no fixed size");
    } else if (opt == 'c' && size == 0) {
      luaL_argerror(L, 1, "option 'c0' has no fixed size");
    }
    if (!is_alnum(opt)) control_option(L, opt, &fmt, h);  // unknown letters are ignored
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos));
  return 1;
}

}  // namespace

int luaopen_dq_struct(lua_State* L) {
  lua_newtable(L);
  const luaL_Reg fns[] = {{"pack", l_pack}, {"unpack", l_unpack}, {"size", l_size}};
  for (const auto& f : fns) {
    lua_pushcfunction(L, f.func);
    lua_setfield(L, -2, f.name);
  }
  return 1;
}

}  // namespace dq::server
