// lua_alloc.h — the allocator of dq's Lua states (EVAL scripts and functions).
//
// Why: every EVAL builds KEYS and ARGV tables and strings that Lua's collector frees in bulk
// a little later; through glibc malloc those bursts of small frees overflow its per-thread
// caches and send the next allocations down the slow path (a measurable share of an EVALSHA's
// CPU). Small blocks (<= 256 bytes) come instead from per-size free lists carved out of 64 KiB
// slabs; larger ones go to malloc. The pool serves the loop thread only (scripts run there)
// and keeps its slabs for the life of the process: its size is bounded by the peak small-
// object use of the scripts.
#pragma once
#include <cstddef>

struct lua_State;

namespace dq::server {

// A new Lua state whose memory comes from the pool (as luaL_newstate, with a panic handler
// that logs and aborts).
lua_State* new_pooled_lua_state();

// Bytes currently held in slabs (for tests and INFO-style reporting).
size_t lua_pool_slab_bytes();

}  // namespace dq::server
