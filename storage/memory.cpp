// memory.cpp — the counting allocator (see memory.h) and the global operator new / delete
// replacements that route every C++ allocation of the server through it.
#include "storage/memory.h"

#include <malloc.h>

#include <cstdlib>
#include <new>

namespace dq::storage {

namespace detail {
std::atomic<int64_t> g_used_memory{0};
}

namespace {
inline void count_alloc(void* p) {
  if (p)
    detail::g_used_memory.fetch_add(static_cast<int64_t>(malloc_usable_size(p)),
                                    std::memory_order_relaxed);
}
inline void count_free(void* p) {
  if (p)
    detail::g_used_memory.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)),
                                    std::memory_order_relaxed);
}
}  // namespace

void* mem_malloc(size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  count_alloc(p);
  return p;
}

void* mem_calloc(size_t count, size_t size) {
  void* p = std::calloc(count ? count : 1, size ? size : 1);
  if (!p) throw std::bad_alloc();
  count_alloc(p);
  return p;
}

void* mem_try_realloc(void* p, size_t n) {
  if (!p) {
    void* q = std::malloc(n ? n : 1);
    count_alloc(q);
    return q;
  }
  size_t old = malloc_usable_size(p);
  void* q = std::realloc(p, n ? n : 1);
  if (!q) return nullptr;
  detail::g_used_memory.fetch_add(
      static_cast<int64_t>(malloc_usable_size(q)) - static_cast<int64_t>(old),
      std::memory_order_relaxed);
  return q;
}

void* mem_realloc(void* p, size_t n) {
  void* q = mem_try_realloc(p, n);
  if (!q) throw std::bad_alloc();
  return q;
}

void mem_free(void* p) {
  count_free(p);
  std::free(p);
}

}  // namespace dq::storage

// --- global operator new / delete: every C++ allocation is counted ---------------------

namespace {
void* counted_new(size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  dq::storage::detail::g_used_memory.fetch_add(static_cast<int64_t>(malloc_usable_size(p)),
                                               std::memory_order_relaxed);
  return p;
}
void* counted_new_aligned(size_t n, std::align_val_t al) {
  size_t a = static_cast<size_t>(al);
  if (a < sizeof(void*)) a = sizeof(void*);
  void* p = nullptr;
  if (posix_memalign(&p, a, n ? n : 1) != 0) throw std::bad_alloc();
  dq::storage::detail::g_used_memory.fetch_add(static_cast<int64_t>(malloc_usable_size(p)),
                                               std::memory_order_relaxed);
  return p;
}
void counted_delete(void* p) noexcept {
  if (!p) return;
  dq::storage::detail::g_used_memory.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)),
                                               std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(size_t n) { return counted_new(n); }
void* operator new[](size_t n) { return counted_new(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_new(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  try {
    return counted_new(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(size_t n, std::align_val_t al) { return counted_new_aligned(n, al); }
void* operator new[](size_t n, std::align_val_t al) { return counted_new_aligned(n, al); }
void* operator new(size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  try {
    return counted_new_aligned(n, al);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
  try {
    return counted_new_aligned(n, al);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { counted_delete(p); }
void operator delete[](void* p) noexcept { counted_delete(p); }
void operator delete(void* p, size_t) noexcept { counted_delete(p); }
void operator delete[](void* p, size_t) noexcept { counted_delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { counted_delete(p); }
void operator delete(void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { counted_delete(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  counted_delete(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  counted_delete(p);
}
