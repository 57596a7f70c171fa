#include "server/scripting.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <ctime>
#include <lua5.1/lua.hpp>

// Debian's lua-bitop-dev and lua-cjson-dev: the bit and cjson libraries Redis embeds.
extern "C" {
#include <lua5.1/lua-bitop.h>
#include <lua5.1/lua-cjson.h>
}

#include "protocol/resp_parser.h"
#include "server/command_context.h"
#include "server/log.h"
#include "server/lua_alloc.h"
#include "server/lua_libs.h"
#include "server/server.h"
#include "server/sha1.h"
#include "server/version.h"

namespace dq::server {

namespace {

constexpr const char* kEngineKey = "__dq_engine";
constexpr const char* kScriptsKey = "__dq_scripts";
constexpr const char* kRealGlobalsKey = "__dq_globals";

ScriptEngine* engine_of(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kEngineKey);
  auto* e = static_cast<ScriptEngine*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return e;
}

// Pushes Redis's error table {err=msg}.
void push_error_table(lua_State* L, std::string_view msg) {
  lua_newtable(L);
  lua_pushlstring(L, msg.data(), msg.size());
  lua_setfield(L, -2, "err");
}

// Raises a Redis-style error table {err=msg} carrying the script position of the caller.
int raise_error_table(lua_State* L, std::string_view msg) {
  lua_newtable(L);
  lua_pushlstring(L, msg.data(), msg.size());
  lua_setfield(L, -2, "err");
  lua_Debug ar;
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
    lua_pushstring(L, ar.source);
    lua_setfield(L, -2, "source");
    lua_pushinteger(L, ar.currentline);
    lua_setfield(L, -2, "line");
  }
  return lua_error(L);
}

// --- RESP reply (as the handler wrote it) -> Lua value -------------------------------

class ReplyToLua {
 public:
  ReplyToLua(lua_State* L, std::string_view s) : L_(L), s_(s) {}
  // Pushes one value; returns false on malformed input (never expected).
  bool push() {
    if (pos_ >= s_.size()) return false;
    char t = s_[pos_];
    std::string_view line = read_line();
    std::string_view body = line.substr(1);
    switch (t) {
      case '+':
        lua_newtable(L_);
        lua_pushlstring(L_, body.data(), body.size());
        lua_setfield(L_, -2, "ok");
        return true;
      case '-':
        lua_newtable(L_);
        lua_pushlstring(L_, body.data(), body.size());
        lua_setfield(L_, -2, "err");
        return true;
      case ':': {
        int64_t v = 0;
        protocol::parse_int64(body, &v);
        lua_pushnumber(L_, static_cast<lua_Number>(v));
        return true;
      }
      case '$': {
        int64_t n = 0;
        protocol::parse_int64(body, &n);
        if (n < 0) {
          lua_pushboolean(L_, 0);
          return true;
        }
        lua_pushlstring(L_, s_.data() + pos_, static_cast<size_t>(n));
        pos_ += static_cast<size_t>(n) + 2;
        return true;
      }
      case '*':
      case '~':
      case '>': {
        int64_t n = 0;
        protocol::parse_int64(body, &n);
        if (n < 0) {
          lua_pushboolean(L_, 0);
          return true;
        }
        if (t == '~') {  // RESP3 set: {set={member=true, ...}}
          lua_newtable(L_);
          lua_newtable(L_);
          for (int64_t i = 0; i < n; ++i) {
            push();
            lua_pushboolean(L_, 1);
            lua_settable(L_, -3);
          }
          lua_setfield(L_, -2, "set");
          return true;
        }
        lua_createtable(L_, static_cast<int>(n), 0);
        for (int64_t i = 0; i < n; ++i) {
          push();
          lua_rawseti(L_, -2, static_cast<int>(i + 1));
        }
        return true;
      }
      case '%': {  // RESP3 map: {map={k=v, ...}}
        int64_t n = 0;
        protocol::parse_int64(body, &n);
        lua_newtable(L_);
        lua_newtable(L_);
        for (int64_t i = 0; i < n; ++i) {
          push();
          push();
          lua_settable(L_, -3);
        }
        lua_setfield(L_, -2, "map");
        return true;
      }
      case '_':
        lua_pushnil(L_);
        return true;
      case '#':
        lua_pushboolean(L_, body == "t");
        return true;
      case ',': {
        lua_newtable(L_);
        lua_pushnumber(L_, std::strtod(std::string(body).c_str(), nullptr));
        lua_setfield(L_, -2, "double");
        return true;
      }
      case '(':
        lua_newtable(L_);
        lua_pushlstring(L_, body.data(), body.size());
        lua_setfield(L_, -2, "big_number");
        return true;
      case '=': {
        int64_t n = 0;
        protocol::parse_int64(body, &n);
        std::string_view all = s_.substr(pos_, static_cast<size_t>(n));
        pos_ += static_cast<size_t>(n) + 2;
        lua_newtable(L_);
        lua_newtable(L_);
        lua_pushlstring(L_, all.data() + 4, all.size() >= 4 ? all.size() - 4 : 0);
        lua_setfield(L_, -2, "string");
        lua_pushlstring(L_, all.data(), std::min<size_t>(3, all.size()));
        lua_setfield(L_, -2, "format");
        lua_setfield(L_, -2, "verbatim_string");
        return true;
      }
      default:
        return false;
    }
  }

 private:
  std::string_view read_line() {
    size_t e = s_.find("\r\n", pos_);
    if (e == std::string_view::npos) e = s_.size();
    std::string_view l = s_.substr(pos_, e - pos_);
    pos_ = e + 2;
    return l;
  }
  lua_State* L_;
  std::string_view s_;
  size_t pos_ = 0;
};

// --- Lua value -> reply to the caller --------------------------------------------------

// script_resp is the script's own protocol (redis.setresp): as Redis 7, a Lua boolean is a
// RESP3 boolean only when the script switched to RESP3 (else 1 / null), whatever the caller.
void lua_to_reply(lua_State* L, protocol::ReplyWriter& r, int script_resp, int depth = 0) {
  int t = lua_type(L, -1);
  if (depth > 100) {  // as Redis: refuse absurd nesting instead of overflowing the stack
    r.error("ERR reached lua stack limit");
    lua_pop(L, 1);
    return;
  }
  switch (t) {
    case LUA_TSTRING: {
      size_t n;
      const char* s = lua_tolstring(L, -1, &n);
      r.bulk(std::string_view(s, n));
      break;
    }
    case LUA_TBOOLEAN:
      if (script_resp == 3)
        r.boolean(lua_toboolean(L, -1));
      else if (lua_toboolean(L, -1))
        r.integer(1);
      else
        r.null();
      break;
    case LUA_TNUMBER:
      r.integer(static_cast<int64_t>(lua_tonumber(L, -1)));
      break;
    case LUA_TTABLE: {
      // {err=...}, {ok=...}, RESP3 {double=...}, {map=...}, {set=...}, {big_number=...}
      lua_getfield(L, -1, "err");
      if (lua_type(L, -1) == LUA_TSTRING) {
        size_t n;
        const char* s = lua_tolstring(L, -1, &n);
        r.error(std::string_view(s, n));
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      lua_getfield(L, -1, "ok");
      if (lua_type(L, -1) == LUA_TSTRING) {
        size_t n;
        const char* s = lua_tolstring(L, -1, &n);
        std::string status(s, n);  // one line, as Redis: CR and LF become spaces
        std::replace_if(
            status.begin(), status.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
        r.simple(status);
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      lua_getfield(L, -1, "double");
      if (lua_type(L, -1) == LUA_TNUMBER) {
        r.dbl(lua_tonumber(L, -1));
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      lua_getfield(L, -1, "big_number");
      if (lua_type(L, -1) == LUA_TSTRING) {
        size_t n;
        const char* s = lua_tolstring(L, -1, &n);
        r.big_number(std::string_view(s, n));
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      lua_getfield(L, -1, "map");
      if (lua_type(L, -1) == LUA_TTABLE) {
        size_t pairs = 0;
        lua_pushnil(L);
        while (lua_next(L, -2)) {
          ++pairs;
          lua_pop(L, 1);
        }
        r.map(pairs);
        lua_pushnil(L);
        while (lua_next(L, -2)) {
          lua_pushvalue(L, -2);
          lua_to_reply(L, r, script_resp, depth + 1);  // key
          lua_to_reply(L, r, script_resp, depth + 1);  // value
        }
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      lua_getfield(L, -1, "set");
      if (lua_type(L, -1) == LUA_TTABLE) {
        size_t n = 0;
        lua_pushnil(L);
        while (lua_next(L, -2)) {
          ++n;
          lua_pop(L, 1);
        }
        r.set(n);
        lua_pushnil(L);
        while (lua_next(L, -2)) {
          lua_pop(L, 1);
          lua_pushvalue(L, -1);
          lua_to_reply(L, r, script_resp, depth + 1);
        }
        lua_pop(L, 2);
        return;
      }
      lua_pop(L, 1);
      // An array: elements 1..n up to the first nil.
      size_t n = 0;
      while (true) {
        lua_rawgeti(L, -1, static_cast<int>(n + 1));
        bool nil = lua_isnil(L, -1);
        lua_pop(L, 1);
        if (nil) break;
        ++n;
      }
      r.array(n);
      for (size_t i = 1; i <= n; ++i) {
        lua_rawgeti(L, -1, static_cast<int>(i));
        lua_to_reply(L, r, script_resp, depth + 1);
      }
      break;
    }
    default:
      r.null();
      break;
  }
  lua_pop(L, 1);
}

// --- the redis.* library ----------------------------------------------------------------

int l_call(lua_State* L) { return engine_of(L)->call_from_lua(L, true); }
int l_pcall(lua_State* L) { return engine_of(L)->call_from_lua(L, false); }
int l_setresp(lua_State* L) { return engine_of(L)->setresp_from_lua(L); }

int l_sha1hex(lua_State* L) {
  if (lua_gettop(L) != 1) return raise_error_table(L, "ERR wrong number of arguments");
  size_t n;
  const char* s = lua_tolstring(L, 1, &n);
  std::string h = sha1_hex(std::string_view(s ? s : "", s ? n : 0));
  lua_pushlstring(L, h.data(), h.size());
  return 1;
}

// Redis 7: a wrong call returns (does not raise) an error table.
int l_status_reply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    push_error_table(L, "ERR wrong number or type of arguments");
    return 1;
  }
  lua_newtable(L);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "ok");
  return 1;
}

// Redis's luaPushErrorBuff: "-CODE msg" keeps its code, anything else (or a "-msg" with no
// space) gets "ERR "; trailing CR/LF trimmed.
std::string redis_error_text(std::string_view in) {
  std::string code = "ERR", msg;
  if (!in.empty() && in[0] == '-') {
    size_t sp = in.find(' ');
    if (sp == std::string_view::npos) {
      msg.assign(in.substr(1));
    } else {
      code.assign(in.substr(1, sp - 1));
      msg.assign(in.substr(sp + 1));
    }
  } else {
    msg.assign(in);
  }
  size_t b = msg.find_first_not_of("\r\n");
  size_t e = msg.find_last_not_of("\r\n");
  msg = b == std::string::npos ? "" : msg.substr(b, e - b + 1);
  return code + " " + msg;
}

int l_error_reply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    push_error_table(L, "ERR wrong number or type of arguments");
    return 1;
  }
  size_t n;
  const char* s = lua_tolstring(L, 1, &n);
  std::string_view in(s, n);
  push_error_table(L, redis_error_text(in[0] == '-' ? in : "-" + std::string(in)));
  return 1;
}

int l_log(lua_State* L) {
  int argc = lua_gettop(L);
  if (argc < 2) return raise_error_table(L, "ERR redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1))
    return raise_error_table(L, "ERR First argument must be a number (log level).");
  int level = static_cast<int>(lua_tonumber(L, 1));
  if (level < 0 || level > 3) return raise_error_table(L, "ERR Invalid debug level.");
  std::string msg;
  for (int i = 2; i <= argc; ++i) {
    size_t n;
    const char* s = lua_tolstring(L, i, &n);
    if (!s) continue;
    if (i > 2) msg += ' ';
    msg.append(s, n);
  }
  log(static_cast<LogLevel>(level), "{}", msg);
  return 0;
}

// Accepted and ignored (dq has no replicas yet); argument checks and texts as Redis 7
// (including its "two arguments" wording for a one-argument function).
int l_set_repl(lua_State* L) {
  if (lua_gettop(L) != 1)
    return raise_error_table(L, "ERR redis.set_repl() requires two arguments.");
  int flags = static_cast<int>(lua_tonumber(L, 1));
  if (flags & ~3)
    return raise_error_table(
        L, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
  return 0;
}
int l_replicate_commands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}
int l_false(lua_State* L) {
  lua_pushboolean(L, 0);
  return 1;
}

int l_os_clock(lua_State* L) {
  lua_pushnumber(L, static_cast<lua_Number>(std::clock()) / CLOCKS_PER_SEC);
  return 1;
}

// Globals are read-only: the globals table is an empty proxy over the real one.
// Reads key (argument 2) from the table at idx; a missing one is an error, as Redis's
// protected tables.
int strict_read(lua_State* L, int idx) {
  lua_pushvalue(L, 2);
  lua_rawget(L, idx);
  if (lua_isnil(L, -1)) {
    const char* name = lua_tostring(L, 2);
    return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                      name ? name : "?");
  }
  return 1;
}
int l_global_index(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kRealGlobalsKey);
  return strict_read(L, lua_gettop(L));
}
int l_strict_index(lua_State* L) { return strict_read(L, lua_upvalueindex(1)); }
int l_readonly_newindex(lua_State* L) {
  return luaL_error(L, "Attempt to modify a readonly table");
}

constexpr const char* kReadOnlyKey = "__dq_readonly";  // weak set of protected proxies

bool is_readonly(lua_State* L, int idx) {
  if (!lua_istable(L, idx)) return false;
  lua_getfield(L, LUA_REGISTRYINDEX, kReadOnlyKey);
  lua_pushvalue(L, idx);
  lua_rawget(L, -2);
  bool ro = lua_toboolean(L, -1);
  lua_pop(L, 2);
  return ro;
}

// Redis raises this one from C without a script position.
int raise_readonly(lua_State* L) {
  lua_pushstring(L, "Attempt to modify a readonly table");
  return lua_error(L);
}

// rawset and setmetatable refuse the protected tables (Redis 7's read-only tables).
int l_rawset(lua_State* L) {
  if (is_readonly(L, 1)) return raise_readonly(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}
int l_setmetatable(lua_State* L) {
  if (is_readonly(L, 1)) return raise_readonly(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// Replaces the table at the top of the stack by a read-only proxy over it.
void make_readonly(lua_State* L, lua_CFunction index = nullptr) {
  lua_newtable(L);  // proxy
  lua_newtable(L);  // its metatable
  lua_pushvalue(L, -3);
  if (index) lua_pushcclosure(L, index, 1);  // the table behind the proxy as its upvalue
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, l_readonly_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_remove(L, -2);
  lua_getfield(L, LUA_REGISTRYINDEX, kReadOnlyKey);
  lua_pushvalue(L, -2);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

// Redis 7's pcall: an error table caught by a script becomes its err string.
int l_pcall_override(lua_State* L) {
  int argc = lua_gettop(L);
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) != 0) {
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1))
        lua_replace(L, -2);
      else
        lua_pop(L, 1);
    }
    lua_pushboolean(L, 0);
    lua_replace(L, 1);
    return 2;
  }
  return lua_gettop(L);
}

// math.random / math.randomseed as Redis 7: a 48-bit linear congruential generator (the
// lrand48 recurrence) whose state lives for the whole process, so the sequence is the same
// as redis-server's from start-up (Redis 7 no longer reseeds it before each script).
uint64_t g_rand48 = 0x1234ABCD330EULL;
int32_t rand48_next() {
  g_rand48 = (0x5DEECE66DULL * g_rand48 + 0xB) & ((1ULL << 48) - 1);
  return static_cast<int32_t>(g_rand48 >> 17);
}
int l_math_random(lua_State* L) {
  constexpr int32_t kMax = INT32_MAX;
  lua_Number r = static_cast<lua_Number>(rand48_next() % kMax) / static_cast<lua_Number>(kMax);
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      break;
    case 1: {
      int u = luaL_checkint(L, 1);
      luaL_argcheck(L, 1 <= u, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * u) + 1);
      break;
    }
    case 2: {
      int lo = luaL_checkint(L, 1), hi = luaL_checkint(L, 2);
      luaL_argcheck(L, lo <= hi, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (hi - lo + 1)) + lo);
      break;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}
int l_math_randomseed(lua_State* L) {
  auto seed = static_cast<uint32_t>(luaL_checkint(L, 1));
  g_rand48 = (static_cast<uint64_t>(seed) << 16) | 0x330E;
  return 0;
}

// Every 100,000 instructions (as Redis): past busy-reply-threshold other clients are served
// from here, and a SCRIPT KILL aborts the script. Nothing with a destructor lives in this
// frame: lua_error unwinds it with longjmp.
void count_hook(lua_State* L, lua_Debug*) {
  if (!engine_of(L)->check_busy()) return;
  // Fire on every instruction from now on, so a pcall in the script cannot swallow the kill.
  lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
  lua_pushstring(L, "Script killed by user with SCRIPT KILL...");
  lua_error(L);
}
constexpr int kHookEvery = 100000;

// Error handler: string errors become {err="ERR <msg>", source, line} of the Lua frame that
// raised them; error tables (from redis.call) pass through.
int l_error_handler(lua_State* L) {
  if (!lua_istable(L, 1)) {
    std::string text = "ERR ";
    if (const char* msg = lua_tostring(L, 1))
      text += msg;
    else if (lua_isnil(L, 1))
      text += "nil";
    else if (lua_isboolean(L, 1))
      text += lua_toboolean(L, 1) ? "true" : "false";
    else
      text += luaL_typename(L, 1);
    lua_newtable(L);
    lua_pushlstring(L, text.data(), text.size());
    lua_setfield(L, -2, "err");
  } else {
    lua_pushvalue(L, 1);
  }
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "Sl", &ar)) continue;
    if (std::strcmp(ar.what, "C") == 0) continue;
    lua_pushstring(L, ar.source);
    lua_setfield(L, -2, "source");
    lua_pushinteger(L, ar.currentline);
    lua_setfield(L, -2, "line");
    break;
  }
  return 1;
}

}  // namespace

// --- building blocks shared with FUNCTION (server/functions.cpp) -------------------------

uint32_t script_flag(std::string_view name, bool ignore_case) {
  for (const ScriptFlagName& f : kScriptFlagNames) {
    std::string_view n = f.name;
    if (n.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < n.size() && same; ++i) {
      char c = name[i];
      if (ignore_case) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      same = c == n[i];
    }
    if (same) return f.flag;
  }
  return 0;
}

void sandbox_push_error(lua_State* L, std::string_view msg) { push_error_table(L, msg); }

void sandbox_make_readonly(lua_State* L, bool strict_reads) {
  make_readonly(L, strict_reads ? l_strict_index : nullptr);
}

void sandbox_add_log_api(lua_State* L) {
  lua_pushcfunction(L, l_log);
  lua_setfield(L, -2, "log");
  const std::pair<const char*, int> levels[] = {
      {"LOG_DEBUG", 0}, {"LOG_VERBOSE", 1}, {"LOG_NOTICE", 2}, {"LOG_WARNING", 3}};
  for (auto [name, v] : levels) {
    lua_pushinteger(L, v);
    lua_setfield(L, -2, name);
  }
  lua_pushstring(L, kRedisVersion);
  lua_setfield(L, -2, "REDIS_VERSION");
  lua_pushinteger(L, kRedisVersionNum);
  lua_setfield(L, -2, "REDIS_VERSION_NUM");
}

void sandbox_push_strings(lua_State* L, std::span<const std::string_view> items) {
  lua_createtable(L, static_cast<int>(items.size()), 0);
  for (size_t i = 0; i < items.size(); ++i) {
    lua_pushlstring(L, items[i].data(), items[i].size());
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
}

void sandbox_swap_globals(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kRealGlobalsKey);
  lua_insert(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, kRealGlobalsKey);
}

std::string sandbox_error_text(lua_State* L, int idx) {
  if (idx < 0) idx = lua_gettop(L) + idx + 1;
  if (lua_istable(L, idx)) {
    lua_getfield(L, idx, "err");
    std::string msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "ERR unknown error";
    lua_pop(L, 1);
    return msg;
  }
  const char* s = lua_tostring(L, idx);
  return std::string("ERR ") + (s ? s : "unknown error");
}

ScriptEngine::ScriptEngine(Server& s) : server_(s) {
  client_ = std::make_unique<Client>(&s, ClientKind::Unix);
  client_->authenticated = true;
  client_->addr = "?:0";  // as Redis's Lua client shows in SLOWLOG
  init_state();
}

ScriptEngine::~ScriptEngine() {
  if (L_) lua_close(L_);
}

void ScriptEngine::init_state() {
  if (L_) lua_close(L_);
  L_ = new_state();
  scripts_.clear();
}

lua_State* ScriptEngine::new_state() {
  lua_State* L = new_pooled_lua_state();
  // Libraries as Redis: base, table, string, math (no io, os, package, debug).
  lua_pushcfunction(L, luaopen_base);
  lua_pushstring(L, "");
  lua_call(L, 1, 0);
  lua_pushcfunction(L, luaopen_table);
  lua_pushstring(L, LUA_TABLIBNAME);
  lua_call(L, 1, 0);
  lua_pushcfunction(L, luaopen_string);
  lua_pushstring(L, LUA_STRLIBNAME);
  lua_call(L, 1, 0);
  lua_pushcfunction(L, luaopen_math);
  lua_pushstring(L, LUA_MATHLIBNAME);
  lua_call(L, 1, 0);
  // Redis 7 removes these from the base library.
  for (const char* name : {"loadfile", "dofile", "print", "getfenv", "setfenv", "newproxy"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  lua_getglobal(L, LUA_MATHLIBNAME);
  lua_pushcfunction(L, l_math_random);
  lua_setfield(L, -2, "random");
  lua_pushcfunction(L, l_math_randomseed);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);
  lua_pushcfunction(L, l_pcall_override);
  lua_setglobal(L, "pcall");
  lua_newtable(L);  // the set of read-only proxies, weak keys
  lua_newtable(L);
  lua_pushstring(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, kReadOnlyKey);
  const std::pair<const char*, lua_CFunction> guarded[] = {{"rawset", l_rawset},
                                                           {"setmetatable", l_setmetatable}};
  for (auto [name, fn] : guarded) {
    lua_getglobal(L, name);
    lua_pushcclosure(L, fn, 1);
    lua_setglobal(L, name);
  }

  // os, with only clock (Redis 7.2).
  lua_newtable(L);
  lua_pushcfunction(L, l_os_clock);
  lua_setfield(L, -2, "clock");
  lua_setglobal(L, "os");

  // The redis library.
  lua_newtable(L);
  const std::pair<const char*, lua_CFunction> fns[] = {
      {"call", l_call},
      {"pcall", l_pcall},
      {"sha1hex", l_sha1hex},
      {"status_reply", l_status_reply},
      {"error_reply", l_error_reply},
      {"setresp", l_setresp},
      {"set_repl", l_set_repl},
      {"replicate_commands", l_replicate_commands},
      {"breakpoint", l_false},
      {"debug", l_false},
  };
  for (auto [name, fn] : fns) {
    lua_pushcfunction(L, fn);
    lua_setfield(L, -2, name);
  }
  const std::pair<const char*, int> consts[] = {
      {"REPL_NONE", 0}, {"REPL_AOF", 1}, {"REPL_SLAVE", 2}, {"REPL_REPLICA", 2}, {"REPL_ALL", 3},
  };
  for (auto [name, v] : consts) {
    lua_pushinteger(L, v);
    lua_setfield(L, -2, name);
  }
  sandbox_add_log_api(L);
  lua_setglobal(L, "redis");

  lua_pushlightuserdata(L, this);
  lua_setfield(L, LUA_REGISTRYINDEX, kEngineKey);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kScriptsKey);
  lua_pushcfunction(L, l_error_handler);
  lua_setfield(L, LUA_REGISTRYINDEX, "__dq_errh");

  // The libraries Redis embeds: bit and cjson (Debian's builds of the same libraries),
  // cmsgpack and struct (dq's own, server/lua_libs.h).
  const std::pair<const char*, lua_CFunction> extra_libs[] = {{"bit", luaopen_bit},
                                                              {"cjson", luaopen_cjson},
                                                              {"cmsgpack", luaopen_dq_cmsgpack},
                                                              {"struct", luaopen_dq_struct}};
  for (auto [name, open] : extra_libs) {
    lua_pushcfunction(L, open);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    lua_setglobal(L, name);
  }

  // Read-only libraries (Redis 7): scripts cannot change them for the scripts that follow.
  for (const char* name : {LUA_STRLIBNAME, LUA_TABLIBNAME, LUA_MATHLIBNAME, "os", "redis", "bit",
                           "cjson", "cmsgpack", "struct"}) {
    lua_getglobal(L, name);
    if (!lua_istable(L, -1)) {
      lua_pop(L, 1);
      continue;
    }
    make_readonly(L);
    lua_setglobal(L, name);
  }
  // Strings' metatable: methods through the read-only string table; the metatable itself
  // is hidden behind a read-only proxy.
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_getglobal(L, LUA_STRLIBNAME);
    lua_setfield(L, -2, "__index");
    lua_pushvalue(L, -1);
    make_readonly(L);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);

  // Read-only globals: replace the globals table by an empty proxy over the real one;
  // _G is the proxy too.
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  lua_setfield(L, LUA_REGISTRYINDEX, kRealGlobalsKey);
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  make_readonly(L, l_global_index);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "_G");
  lua_replace(L, LUA_GLOBALSINDEX);
  return L;
}

void ScriptEngine::flush() { init_state(); }

size_t ScriptEngine::memory() const {
  return L_ ? static_cast<size_t>(lua_gc(L_, LUA_GCCOUNT, 0)) * 1024 : 0;
}

namespace {

// Redis 7's evalExtractShebangFlags: "#!lua [flags=f1,f2]" on the first line. Without a
// shebang the script runs in EVAL's compatibility mode (its flags mean nothing).
bool parse_eval_shebang(std::string_view body, uint32_t* flags, size_t* skip, std::string* err) {
  *flags = kScriptEvalCompat;
  *skip = 0;
  if (!body.starts_with("#!")) return true;
  size_t eol = body.find('\n');
  if (eol == std::string_view::npos) {
    *err = "ERR Invalid script shebang";
    return false;
  }
  std::vector<std::string> parts;
  if (!protocol::split_inline_args(body.substr(0, eol), &parts) || parts.empty()) {
    *err = "ERR Invalid engine in script shebang";
    return false;
  }
  if (parts[0] != "#!lua") {
    *err = "ERR Unexpected engine in script shebang: " + parts[0];
    return false;
  }
  *flags = 0;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string_view p = parts[i];
    if (!p.starts_with("flags=")) {
      *err = "ERR Unknown lua shebang option: " + parts[i];
      return false;
    }
    p.remove_prefix(6);
    while (!p.empty()) {  // sdssplitlen: "a,,b" has an empty flag, "" none at all
      size_t comma = p.find(',');
      std::string_view name = p.substr(0, comma);
      uint32_t f = script_flag(name, /*ignore_case=*/false);
      if (!f) {
        *err = "ERR Unexpected flag in script shebang: " + std::string(name);
        return false;
      }
      *flags |= f;
      if (comma == std::string_view::npos) break;
      p.remove_prefix(comma + 1);
      if (p.empty()) {
        *err = "ERR Unexpected flag in script shebang: ";
        return false;
      }
    }
  }
  *skip = eol;  // the body starts at the newline: line numbers stay the script's
  return true;
}

}  // namespace

bool ScriptEngine::compile(const std::string& sha, std::string_view body, std::string* err) {
  uint32_t flags;
  size_t skip;
  if (!parse_eval_shebang(body, &flags, &skip, err)) return false;
  if (luaL_loadbuffer(L_, body.data() + skip, body.size() - skip, "@user_script") != 0) {
    *err = std::string("ERR Error compiling script (new function): ") + lua_tostring(L_, -1);
    lua_pop(L_, 1);
    return false;
  }
  // Functions see the (read-only proxy) globals.
  lua_getfield(L_, LUA_REGISTRYINDEX, kScriptsKey);
  lua_pushvalue(L_, -2);
  lua_setfield(L_, -2, sha.c_str());
  lua_pop(L_, 2);
  scripts_[sha] = {body.size(), flags};
  return true;
}

bool ScriptEngine::refuse_for_oom(CommandContext& ctx, uint32_t flags) {
  // Redis 7's scriptPrepareForRun (and the denyoom its flags give EVAL / FCALL in
  // processCommand): a script that declares flags and may write (neither no-writes nor
  // allow-oom) does not start while the server is out of memory.
  allow_oom_ = flags & kScriptAllowOom;
  if (flags & (kScriptEvalCompat | kScriptNoWrites | kScriptAllowOom)) return false;
  if (!ctx.server.pre_command_oom() || ctx.server.config().maxmemory <= 0) return false;
  ctx.error(err::kOom);
  return true;
}

std::string ScriptEngine::load(std::string_view body, std::string* err) {
  std::string sha = sha1_hex(body);
  if (!exists(sha) && !compile(sha, body, err)) return "";
  return sha;
}

void ScriptEngine::eval(CommandContext& ctx, bool by_sha, bool read_only) {
  // EVAL/EVALSHA are flagged skip_monitor: they show themselves first, so that MONITOR lists
  // the script's own commands (origin "lua") after them, as Redis does, errors or not.
  ctx.server.feed_monitors(&ctx.client, ctx.args, false);
  int64_t numkeys;
  if (!protocol::parse_int64(ctx.arg(2), &numkeys)) return ctx.error(err::kNotInteger);
  if (numkeys < 0) return ctx.error(err::kNumkeysNegative);
  if (static_cast<size_t>(numkeys) > ctx.argc() - 3) return ctx.error(err::kNumkeysTooBig);
  char lower[41];
  std::string loaded;
  std::string_view sha;
  if (by_sha) {
    std::string_view given = ctx.arg(1);
    if (given.size() != 40) return ctx.error(err::kNoScript);
    for (size_t i = 0; i < 40; ++i)
      lower[i] = static_cast<char>(given[i] >= 'A' && given[i] <= 'Z' ? given[i] + 32 : given[i]);
    lower[40] = '\0';
    sha = std::string_view(lower, 40);
  } else {
    std::string e;
    loaded = load(ctx.arg(1), &e);
    if (loaded.empty()) return ctx.error(e);
    sha = loaded;
  }
  auto it = scripts_.find(sha);
  if (it == scripts_.end()) return ctx.error(err::kNoScript);
  // A shebang script declares what it does (Redis 7's scriptPrepareForRun): without
  // no-writes it may not run from EVAL_RO; with it, it runs read-only from EVAL too.
  uint32_t flags = it->second.flags;
  if (refuse_for_oom(ctx, flags)) return;
  if (!(flags & kScriptEvalCompat)) {
    if (!(flags & kScriptNoWrites) && read_only) return ctx.error(err::kScriptWriteFlagRo);
    if (flags & kScriptNoWrites) read_only = true;
  }

  // KEYS and ARGV live in the real globals table.
  lua_getfield(L_, LUA_REGISTRYINDEX, kRealGlobalsKey);
  size_t first_arg = 3 + static_cast<size_t>(numkeys);
  sandbox_push_strings(L_, ctx.args.subspan(3, first_arg - 3));
  lua_setfield(L_, -2, "KEYS");
  sandbox_push_strings(L_, ctx.args.subspan(first_arg));
  lua_setfield(L_, -2, "ARGV");
  lua_pop(L_, 1);

  lua_getfield(L_, LUA_REGISTRYINDEX, kScriptsKey);
  lua_getfield(L_, -1, sha.data());  // NUL-terminated: lower[] or loaded
  lua_remove(L_, -2);
  run(ctx, L_, 0, sha, read_only, /*is_eval=*/true);
}

void ScriptEngine::run(CommandContext& ctx, lua_State* L, int nargs, std::string_view name,
                       bool read_only, bool is_eval) {
  Client& sc = *client_;
  sc.db_index = ctx.client.db_index;
  sc.db = ctx.client.db;
  sc.reply.set_proto(2);
  sc.out.clear();
  read_only_ = read_only;
  caller_proto_ = ctx.client.reply.proto();
  current_name_.assign(name);
  running_eval_ = is_eval;
  caller_ = &ctx;
  started_ms_ = ctx.now;
  running_ = true;
  timed_out_ = killed_ = wrote_ = false;
  // The busy hook (re-armed each run: FUNCTION LOAD uses a hook of its own, and a killed
  // script left it firing at every instruction).
  lua_sethook(L, count_hook, LUA_MASKCOUNT, kHookEvery);

  lua_getfield(L, LUA_REGISTRYINDEX, "__dq_errh");
  lua_insert(L, -(nargs + 2));  // below the function and its arguments
  int rc;
  {
    Server::TimeFreeze frozen(server_, started_ms_);
    rc = lua_pcall(L, nargs, 1, -(nargs + 2));
  }
  running_ = false;
  caller_ = nullptr;
  if (killed_) lua_sethook(L, count_hook, LUA_MASKCOUNT, kHookEvery);
  timed_out_ = killed_ = false;
  if (rc != 0) {
    // {err=..., source=..., line=...}: Redis appends where the script failed.
    std::string msg = "ERR unknown error";
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (const char* s = lua_tostring(L, -1)) msg = s;
      lua_pop(L, 1);
      lua_getfield(L, -1, "source");
      lua_getfield(L, -2, "line");
      const char* src = lua_tostring(L, -2);
      msg += " script: " + current_name_;
      if (src) msg += fmt::format(", on {}:{}.", src, lua_tointeger(L, -1));
      lua_pop(L, 2);
    } else if (const char* s = lua_tostring(L, -1)) {
      msg = std::string("ERR ") + s;
    }
    lua_pop(L, 2);  // error value, handler
    if (!msg.empty() && msg[0] == '-') msg.erase(0, 1);
    ctx.error(msg);
  } else {
    lua_to_reply(L, ctx.reply(), client_->reply.proto());
    lua_pop(L, 1);  // handler
  }
  lua_gc(L, LUA_GCSTEP, 1);
}

std::string_view ScriptEngine::busy_error() const {
  return running_eval_ ? err::kBusyEval : err::kBusyFunction;
}

std::string_view ScriptEngine::kill(bool eval_kill) {
  if (!running_) return err::kNotBusy;
  if (wrote_) return err::kUnkillable;
  if (eval_kill && !running_eval_) return err::kBusyFunction;
  if (!eval_kill && running_eval_) return err::kBusyEval;
  killed_ = true;
  return {};
}

bool ScriptEngine::check_busy() {
  if (!running_) return false;
  if (!killed_) {
    int64_t threshold = server_.config().busy_reply_threshold;
    if (threshold <= 0) return false;
    int64_t elapsed = Server::now_ms() - started_ms_;
    if (elapsed < threshold) return false;
    if (!timed_out_) {
      timed_out_ = true;
      log(LogLevel::Warning,
          "Slow script detected: still in execution after {} milliseconds. You can try killing "
          "the script using the {} command. Script name is: {}.",
          elapsed, running_eval_ ? "SCRIPT KILL" : "FUNCTION KILL", current_name_);
    }
    server_.serve_while_busy(&caller_->client);
  }
  if (!killed_) return false;
  log(LogLevel::Warning, "Lua script killed by user with SCRIPT KILL.");
  return true;
}

int ScriptEngine::setresp_from_lua(lua_State* L) {
  if (lua_gettop(L) != 1) return raise_error_table(L, "ERR redis.setresp() requires one argument.");
  int v = static_cast<int>(lua_tonumber(L, 1));
  if (v != 2 && v != 3) return raise_error_table(L, "ERR RESP version must be 2 or 3.");
  client_->reply.set_proto(v);
  return 0;
}

// Lua errors unwind with longjmp, which skips C++ destructors: every C++ object of a call
// lives inside run_call(), and the error is raised only after it has returned (the message
// is kept in a member, not on the stack).
int ScriptEngine::call_from_lua(lua_State* L, bool raise) {
  bool reply_is_error = false;
  if (!run_call(L, &reply_is_error)) {
    if (raise) return raise_error_table(L, call_error_);
    push_error_table(L, call_error_);  // redis.pcall returns its errors, argument errors too
    return 1;
  }
  if (raise && reply_is_error) {
    lua_pop(L, 1);
    return raise_error_table(L, call_error_);
  }
  return 1;
}

bool ScriptEngine::run_call(lua_State* L, bool* reply_is_error) {
  int argc = lua_gettop(L);
  if (argc == 0) {
    call_error_ = "ERR Please specify at least one argument for this redis lib call";
    return false;
  }
  // Views into the Lua strings (they stay on the stack for the whole call) and into
  // call_numbers_ for numbers (reserved up front, so the views stay valid).
  call_args_.clear();
  call_numbers_.clear();
  call_numbers_.reserve(static_cast<size_t>(argc) * 64);
  for (int i = 1; i <= argc; ++i) {
    int t = lua_type(L, i);
    if (t == LUA_TNUMBER) {
      char buf[64];
      size_t n = protocol::ReplyWriter::format_double(lua_tonumber(L, i), buf);
      size_t at = call_numbers_.size();
      call_numbers_.append(buf, n);
      call_args_.emplace_back(call_numbers_.data() + at, n);
    } else if (t == LUA_TSTRING) {
      size_t n;
      const char* s = lua_tolstring(L, i, &n);
      call_args_.emplace_back(s, n);
    } else {
      call_error_ = "ERR Lua redis lib command arguments must be strings or integers";
      return false;
    }
  }
  std::span<const std::string_view> args(call_args_);

  Command* cmd = CommandTable::instance().find(args[0]);
  if (cmd && cmd->is_container() && args.size() >= 2) {
    const Command* sub = cmd->find_sub(args[1]);
    cmd = const_cast<Command*>(sub);
  }
  const char* refusal = nullptr;
  if (!cmd) {
    refusal = "ERR Unknown Redis command called from script";
  } else {
    const CommandSpec& spec = *cmd->spec;
    int n = static_cast<int>(args.size());
    if ((spec.arity > 0 && n != spec.arity) || n < -spec.arity)
      refusal = "ERR Wrong number of args calling Redis command from script";
    else if (spec.flags & kNoScript)
      refusal = "ERR This Redis command is not allowed from script";
    // Redis 7 counts may-replicate commands (PFCOUNT, which may rewrite its cache) as
    // writes here.
    else if (read_only_ && (spec.flags & (kWrite | kMayReplicate)))
      refusal = "ERR Write commands are not allowed from read-only scripts.";
    // Redis's scriptVerifyOOM: a script started while out of memory may not make its first
    // write with a denyoom command (once it has written, it cannot stop midway).
    else if ((spec.flags & kDenyOom) && !allow_oom_ && !wrote_ && server_.pre_command_oom() &&
             server_.config().maxmemory > 0)
      refusal = err::kOom.data();
  }
  if (refusal) {
    call_error_ = refusal;
    return false;
  }

  if (cmd->spec->flags & kWrite) wrote_ = true;  // SCRIPT KILL refuses from now on
  Client& sc = *client_;
  sc.out.clear();
  CommandContext inner{server_, sc, args, cmd, 0};
  inner.in_exec = true;  // blocking commands act as their non-blocking forms
  inner.in_script = true;
  server_.run_handler(inner);
  server_.monitor_command(&sc, cmd, args, "lua");

  // The reply as one contiguous string (a small reply is one block: no copy).
  iovec iov[64];
  int k = sc.out.export_iov(iov, 64);
  std::string_view reply;
  if (k == 1 && sc.out.size() == iov[0].iov_len) {
    reply = std::string_view(static_cast<const char*>(iov[0].iov_base), iov[0].iov_len);
  } else {
    call_reply_.clear();
    while (k > 0) {
      size_t taken = 0;
      for (int i = 0; i < k; ++i) {
        call_reply_.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
        taken += iov[i].iov_len;
      }
      sc.out.consume(taken);
      k = sc.out.export_iov(iov, 64);
    }
    reply = call_reply_;
  }
  ReplyToLua conv(L, reply);
  bool pushed = conv.push();
  sc.out.clear();
  if (!pushed) lua_pushboolean(L, 0);
  *reply_is_error = false;
  if (lua_istable(L, -1)) {
    lua_getfield(L, -1, "err");
    if (lua_isstring(L, -1)) {
      *reply_is_error = true;
      call_error_ = lua_tostring(L, -1);
    }
    lua_pop(L, 1);
  }
  return true;
}

}  // namespace dq::server
