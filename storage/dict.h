// dict.h — the hash table under the keyspace (and later under hashes and sets).
//
// Owns: buckets of intrusive singly linked chains. A Node provides `Node* next` and
// `std::string_view key() const`; the table never allocates nodes, only bucket arrays.
// Must not include: sockets, libuv, protocol.
//
// Design (after Redis's dict.c, written anew):
// - Keys hashed with seeded XXH3 (the seed is random per process: no hash flooding).
// - Two tables while resizing; every operation moves one bucket from the old table to the
//   new (incremental rehash), and the server's cron moves more within a time budget, so a
//   resize never pauses the loop. Grows at load factor 1, shrinks below 1/8.
// - scan(): Redis's reverse-binary cursor. Every key present for the whole scan is returned
//   at least once, even when the table grows or shrinks between calls.
// - Pointers to nodes stay valid across rehash (nodes are relinked, never moved); a link
//   pointer from find_link() is valid only until the next mutating call.
#pragma once
#include <xxhash.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "storage/memory.h"

namespace dq::storage {

uint64_t hash_seed();
void set_hash_seed(uint64_t seed);
inline uint64_t hash_key(std::string_view k) {
  return XXH3_64bits_withSeed(k.data(), k.size(), hash_seed());
}
uint64_t random_u64();

template <class Node>
class Dict {
 public:
  Dict() = default;
  Dict(const Dict&) = delete;
  Dict& operator=(const Dict&) = delete;
  Dict(Dict&& o) noexcept { swap(o); }
  Dict& operator=(Dict&& o) noexcept {
    swap(o);
    return *this;
  }
  ~Dict() { release(); }

  void swap(Dict& o) noexcept {
    for (int i = 0; i < 2; ++i) std::swap(t_[i], o.t_[i]);
    std::swap(rehash_idx_, o.rehash_idx_);
    std::swap(size_, o.size_);
  }

  size_t size() const { return size_; }
  size_t buckets() const { return t_[0].size + t_[1].size; }
  bool rehashing() const { return rehash_idx_ >= 0; }

  Node* find(std::string_view key) const {
    if (size_ == 0) return nullptr;
    uint64_t h = hash_key(key);
    for (int i = 0; i <= 1; ++i) {
      const Table& t = t_[i];
      if (t.size == 0) continue;
      for (Node* n = t.b[h & t.mask()]; n; n = n->next)
        if (n->key() == key) return n;
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Pointer to the link that points at the node with this key, or nullptr. Does a rehash step.
  Node** find_link(std::string_view key) {
    if (size_ == 0) return nullptr;
    if (rehashing()) rehash_steps(1);
    uint64_t h = hash_key(key);
    for (int i = 0; i <= 1; ++i) {
      Table& t = t_[i];
      if (t.size == 0) continue;
      for (Node** l = &t.b[h & t.mask()]; *l; l = &(*l)->next)
        if ((*l)->key() == key) return l;
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Inserts a node whose key is not present.
  void insert(Node* n) {
    expand_if_needed();
    if (rehashing()) rehash_steps(1);
    Table& t = rehashing() ? t_[1] : t_[0];
    Node** b = &t.b[hash_key(n->key()) & t.mask()];
    n->next = *b;
    *b = n;
    ++size_;
  }

  // Replaces the node at `link` (from find_link) with `n` (same key).
  static void replace_at(Node** link, Node* n) {
    n->next = (*link)->next;
    *link = n;
  }

  // Unlinks the node at `link` and returns it.
  Node* unlink_at(Node** link) {
    Node* n = *link;
    *link = n->next;
    n->next = nullptr;
    --size_;
    return n;
  }

  Node* unlink(std::string_view key) {
    Node** l = find_link(key);
    return l ? unlink_at(l) : nullptr;
  }

  // Moves up to n buckets from the old table (visiting at most 10*n empty ones).
  // Returns true while more work remains.
  bool rehash_steps(int n) {
    if (!rehashing()) return false;
    int empty_visits = n * 10;
    Table& old = t_[0];
    while (n-- > 0 && static_cast<size_t>(rehash_idx_) < old.size) {
      while (old.b[rehash_idx_] == nullptr) {
        ++rehash_idx_;
        if (static_cast<size_t>(rehash_idx_) >= old.size) break;
        if (--empty_visits == 0) return true;
      }
      if (static_cast<size_t>(rehash_idx_) >= old.size) break;
      Node* e = old.b[rehash_idx_];
      while (e) {
        Node* next = e->next;
        Node** b = &t_[1].b[hash_key(e->key()) & t_[1].mask()];
        e->next = *b;
        *b = e;
        e = next;
      }
      old.b[rehash_idx_] = nullptr;
      ++rehash_idx_;
    }
    if (static_cast<size_t>(rehash_idx_) >= old.size) {
      dq::storage::mem_free(old.b);
      t_[0] = t_[1];
      t_[1] = Table{};
      rehash_idx_ = -1;
      return false;
    }
    return true;
  }

  // Starts a shrink when the table is sparse. Returns true if a resize started.
  bool shrink_if_needed() {
    if (rehashing() || t_[0].size <= kMinSize) return false;
    if (size_ * 8 >= t_[0].size) return false;
    return resize(size_);
  }

  // Calls fn(Node*) for every node; fn must not mutate the table.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (int i = 0; i <= 1; ++i)
      for (size_t j = 0; j < t_[i].size; ++j)
        for (Node* n = t_[i].b[j]; n; n = n->next) fn(n);
  }

  // One scan step: calls fn(Node*) for the nodes of one logical bucket; returns the next
  // cursor (0 when the scan is complete). fn must not mutate the table.
  template <class Fn>
  uint64_t scan(uint64_t v, Fn&& fn) const {
    if (size_ == 0) return 0;
    if (!rehashing()) {
      const Table& t = t_[0];
      uint64_t m0 = t.mask();
      for (Node* n = t.b[v & m0]; n; n = n->next) fn(n);
      v |= ~m0;
      v = rev(v);
      ++v;
      v = rev(v);
      return v;
    }
    const Table* small = &t_[0];
    const Table* large = &t_[1];
    if (small->size > large->size) std::swap(small, large);
    uint64_t m0 = small->mask(), m1 = large->mask();
    for (Node* n = small->b[v & m0]; n; n = n->next) fn(n);
    do {
      for (Node* n = large->b[v & m1]; n; n = n->next) fn(n);
      v |= ~m1;
      v = rev(v);
      ++v;
      v = rev(v);
    } while (v & (m0 ^ m1));
    return v;
  }

  // A random node (nullptr when empty). Chooses a random non-empty bucket, then a random
  // node of its chain (slightly favours keys in short chains, as Redis does).
  Node* random() {
    if (size_ == 0) return nullptr;
    if (rehashing()) rehash_steps(1);
    Node* head = nullptr;
    if (rehashing()) {
      size_t s0 = t_[0].size, total = s0 + t_[1].size;
      while (!head) {
        size_t i = rehash_idx_ + random_u64() % (total - rehash_idx_);
        head = i >= s0 ? t_[1].b[i - s0] : t_[0].b[i];
      }
    } else {
      while (!head) head = t_[0].b[random_u64() & t_[0].mask()];
    }
    size_t len = 0;
    for (Node* n = head; n; n = n->next) ++len;
    size_t k = random_u64() % len;
    while (k--) head = head->next;
    return head;
  }

  // Up to `count` nodes for which keep(node) holds, from a run of consecutive buckets that
  // starts at a random one (both tables while rehashing), visiting at most max_buckets
  // buckets (after Redis's dictGetSomeKeys). A run of empty buckets jumps elsewhere. The
  // same node is never returned twice in one call; fewer than count may come back.
  template <class Keep>
  size_t sample(Node** out, size_t count, size_t max_buckets, Keep&& keep) {
    if (size_ == 0 || count == 0) return 0;
    if (rehashing()) rehash_steps(1);
    uint64_t mask = t_[0].mask();
    if (rehashing() && t_[1].mask() > mask) mask = t_[1].mask();
    uint64_t i = random_u64() & mask;
    size_t stored = 0, empty_run = 0;
    while (max_buckets-- > 0) {
      bool any = false;
      for (int j = 0; j <= 1; ++j) {
        const Table& t = t_[j];
        if (i < t.size) {
          for (Node* n = t.b[i]; n; n = n->next) {
            any = true;
            if (!keep(n)) continue;
            out[stored++] = n;
            if (stored == count) return stored;
          }
        }
        if (!rehashing()) break;
      }
      if (any) {
        empty_run = 0;
      } else if (++empty_run >= 5 && empty_run > count) {
        i = random_u64() & mask;
        empty_run = 0;
        continue;
      }
      i = (i + 1) & mask;
    }
    return stored;
  }

  // Removes every node, handing each to del(Node*).
  template <class Del>
  void clear(Del&& del) {
    for (int i = 0; i <= 1; ++i) {
      for (size_t j = 0; j < t_[i].size; ++j) {
        Node* n = t_[i].b[j];
        while (n) {
          Node* next = n->next;
          del(n);
          n = next;
        }
      }
    }
    release();
  }

  // Memory held by bucket arrays.
  size_t bucket_bytes() const { return (t_[0].size + t_[1].size) * sizeof(Node*); }

 private:
  static constexpr size_t kMinSize = 4;
  struct Table {
    Node** b = nullptr;
    size_t size = 0;
    uint64_t mask() const { return size - 1; }
  };

  static uint64_t rev(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    return __builtin_bswap64(v);
  }

  static size_t next_power(size_t n) {
    size_t s = kMinSize;
    while (s < n) s <<= 1;
    return s;
  }

  void expand_if_needed() {
    if (rehashing()) return;
    if (t_[0].size == 0) {
      resize(kMinSize);
      return;
    }
    if (size_ + 1 > t_[0].size) resize((size_ + 1) * 2);
  }

  bool resize(size_t want) {
    size_t s = next_power(want);
    if (s == t_[0].size) return false;
    Table nt;
    nt.size = s;
    nt.b = static_cast<Node**>(dq::storage::mem_calloc(s, sizeof(Node*)));
    if (t_[0].size == 0) {
      t_[0] = nt;
      return true;
    }
    t_[1] = nt;
    rehash_idx_ = 0;
    return true;
  }

  void release() {
    dq::storage::mem_free(t_[0].b);
    dq::storage::mem_free(t_[1].b);
    t_[0] = t_[1] = Table{};
    rehash_idx_ = -1;
    size_ = 0;
  }

  Table t_[2];
  int64_t rehash_idx_ = -1;
  size_t size_ = 0;
};

}  // namespace dq::storage
