#include "server/lua_alloc.h"

#include <array>
#include <cstdlib>
#include <cstring>
#include <lua5.1/lua.hpp>
#include <vector>

#include "server/log.h"

namespace dq::server {

namespace {

class SmallPool {
 public:
  static constexpr size_t kGrain = 16;
  static constexpr size_t kMaxSmall = 256;
  static constexpr size_t kSlab = 64 * 1024;

  static bool small(size_t n) { return n <= kMaxSmall; }

  void* get(size_t n) {
    size_t c = cls(n);
    if (void* p = free_[c]) {
      free_[c] = *static_cast<void**>(p);
      return p;
    }
    size_t sz = (c + 1) * kGrain;
    if (slab_left_ < sz) {
      slab_ = static_cast<char*>(std::malloc(kSlab));
      if (!slab_) return nullptr;
      slabs_.push_back(slab_);
      slab_left_ = kSlab;
    }
    void* p = slab_;
    slab_ += sz;
    slab_left_ -= sz;
    return p;
  }

  void put(void* p, size_t n) {
    size_t c = cls(n);
    *static_cast<void**>(p) = free_[c];
    free_[c] = p;
  }

  size_t slab_bytes() const { return slabs_.size() * kSlab; }

 private:
  static size_t cls(size_t n) { return n == 0 ? 0 : (n - 1) / kGrain; }

  std::array<void*, kMaxSmall / kGrain> free_{};
  std::vector<void*> slabs_;  // kept for the life of the process
  char* slab_ = nullptr;
  size_t slab_left_ = 0;
};

SmallPool& pool() {
  static SmallPool* p = new SmallPool();  // never destroyed: states may close at exit
  return *p;
}

// lua_Alloc: nsize 0 frees; otherwise (re)allocates ptr from osize to nsize bytes.
void* pooled_alloc(void*, void* ptr, size_t osize, size_t nsize) {
  SmallPool& sp = pool();
  if (nsize == 0) {
    if (ptr) {
      if (SmallPool::small(osize))
        sp.put(ptr, osize);
      else
        std::free(ptr);
    }
    return nullptr;
  }
  if (!ptr) return SmallPool::small(nsize) ? sp.get(nsize) : std::malloc(nsize);
  bool was_small = SmallPool::small(osize), now_small = SmallPool::small(nsize);
  if (!was_small && !now_small) return std::realloc(ptr, nsize);
  if (was_small && now_small && (osize - 1) / SmallPool::kGrain == (nsize - 1) / SmallPool::kGrain)
    return ptr;  // same size class
  void* n = now_small ? sp.get(nsize) : std::malloc(nsize);
  if (!n) return nullptr;  // Lua keeps the old block on failure
  std::memcpy(n, ptr, osize < nsize ? osize : nsize);
  if (was_small)
    sp.put(ptr, osize);
  else
    std::free(ptr);
  return n;
}

int panic(lua_State* L) {
  const char* msg = lua_tostring(L, -1);
  log(LogLevel::Warning, "Lua panic: unprotected error in call to Lua API ({})", msg ? msg : "?");
  std::abort();
}

}  // namespace

lua_State* new_pooled_lua_state() {
  lua_State* L = lua_newstate(pooled_alloc, nullptr);
  if (L) lua_atpanic(L, panic);
  return L;
}

size_t lua_pool_slab_bytes() { return pool().slab_bytes(); }

}  // namespace dq::server
