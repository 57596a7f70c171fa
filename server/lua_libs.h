// lua_libs.h — the Lua libraries Redis embeds that Debian does not package: `cmsgpack`
// (MessagePack, lua-cmsgpack 0.4.0 as bundled in Redis) and `struct` (Roberto
// Ierusalimschy's struct library as bundled in Redis). Written for dq; `bit` and `cjson`
// come from Debian's lua-bitop / lua-cjson instead.
//
// Each opener follows Lua's convention for luaopen_* functions: called with the library
// name as its argument, it returns (leaves on the stack) the library table; it sets no
// global itself. ScriptEngine::init_state sets the globals and makes them read-only.
//
// Errors are raised with lua_error (longjmp), so the implementations keep no object with a
// destructor alive across a call that can raise.
#pragma once

struct lua_State;

namespace dq::server {

int luaopen_dq_cmsgpack(lua_State* L);
int luaopen_dq_struct(lua_State* L);

}  // namespace dq::server
