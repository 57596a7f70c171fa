// memory.h — dq's memory accounting: every byte the server allocates, counted as it is
// allocated, so that used_memory() is one load (INFO, the maxmemory check before every
// command) instead of a walk of the allocator's arenas (mallinfo2 takes milliseconds).
//
// Owns: the counter and the allocation functions that keep it. Must not include: sockets,
// libuv, protocol.
//
// How (after Redis's zmalloc, written anew): memory.cpp replaces the global operator
// new / delete family, and storage's and server's direct malloc / realloc / free go through
// mem_malloc / mem_realloc / mem_free below. Each adds or subtracts the block's usable size
// (malloc_usable_size: what the allocator really reserved, not what was asked for). The
// counter is one relaxed atomic: UNLINK and FLUSHALL ASYNC free values on another thread.
//
// Invariants:
// - A block allocated by mem_* is freed by mem_free (never std::free), and the reverse: the
//   counter would drift. Memory of third-party libraries (libuv's, Lua's: the Lua allocator
//   counts its own for used_memory_lua) is not counted, as Redis counts only zmalloc.
// - used_memory() never goes negative: it counts only what it has seen allocated.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace dq::storage {

namespace detail {
extern std::atomic<int64_t> g_used_memory;
}

// Bytes currently allocated through the counting functions (and operator new).
inline size_t used_memory() {
  int64_t v = detail::g_used_memory.load(std::memory_order_relaxed);
  return v > 0 ? static_cast<size_t>(v) : 0;
}

// Counting replacements of malloc / calloc / realloc / free. Throw std::bad_alloc when the
// allocator fails (as operator new), so callers never see nullptr for a non-zero size.
void* mem_malloc(size_t n);
void* mem_calloc(size_t count, size_t size);
void* mem_realloc(void* p, size_t n);
void mem_free(void* p);
// realloc that returns nullptr on failure (p stays valid), for shrink-to-fit attempts.
void* mem_try_realloc(void* p, size_t n);

}  // namespace dq::storage
