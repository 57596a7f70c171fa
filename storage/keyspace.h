// keyspace.h — databases of keys: find (with lazy expiry), put, delete, rename, scan, expire.
//
// Owns: the Dict of entries per database and every mutation of it. Must not include:
// sockets, libuv, protocol. Time enters as `now_ms` (unix milliseconds) on each call.
//
// Invariants:
// - An expired key is invisible: every find*() deletes it first (lazy expiry), and the
//   active cycle (expire_step) reclaims keys nobody touches.
// - Every change to a key is reported to the observer (modified / deleted / expired), so the
//   server can dirty WATCHers, wake blocked clients and count changes for persistence,
//   without storage knowing about any of them.
// - volatile_count() is the number of keys with a TTL (INFO keyspace "expires").
//
// Active expiry walks the main table with a scan cursor instead of keeping a second table of
// volatile keys (the expiry lives in the entry): each step visits a bounded number of
// buckets; the server keeps stepping while many of the visited volatile keys were expired
// and its time budget lasts, so bulk expiry is fast and a quiet keyspace costs little.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/dict.h"
#include "storage/status.h"
#include "storage/value.h"

namespace dq::storage {

class KeyspaceObserver {
 public:
  virtual ~KeyspaceObserver() = default;
  // A key's value or TTL changed, or it was created or deleted (WATCH, blocking wake-ups).
  virtual void key_modified(int db, std::string_view key) = 0;
  // A key was removed because its TTL passed.
  virtual void key_expired(int db, std::string_view key) = 0;
  // A key was added that did not exist (Redis's dbAdd: keyspace notification "new").
  virtual void key_created(int db, std::string_view key) {}
};

enum class SetCondition : uint8_t { Always, IfAbsent, IfPresent };

struct ExpireStepResult {
  size_t visited = 0;        // entries looked at
  size_t volatile_seen = 0;  // of which had a TTL
  size_t expired = 0;        // of which were deleted
};

class Db {
 public:
  Db(int index, KeyspaceObserver* obs) : index_(index), obs_(obs) {}
  ~Db() { clear(); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  int index() const { return index_; }
  size_t size() const { return dict_.size(); }
  size_t volatile_count() const { return volatile_; }

  // The live entry for key, or nullptr (an expired one is deleted first).
  Entry* find(std::string_view key, int64_t now_ms);
  // Like find, and also refreshes the LRU clock (a read access by a client).
  Entry* find_touch(std::string_view key, int64_t now_ms, uint32_t lru_clock);

  // Inserts or replaces key's entry with `e` (which must carry the same key). The old
  // value is freed. Does not call key_modified (the caller's command does, once).
  void put(Entry* e);
  // Inserts if the key is absent (live); returns false (and frees nothing) if present.
  bool insert_if_absent(Entry* e, int64_t now_ms);
  // Replaces an existing entry by a new one (same key), e.g. after re-encoding.
  void replace(Entry* old_e, Entry* new_e);

  // Deletes the key if present. Returns true if a live key was deleted.
  bool del(std::string_view key, int64_t now_ms);
  // Unlinks without freeing (caller owns the entry).
  Entry* take(std::string_view key);
  // RENAME: the live entry under `from` moves to `to` with its value, TTL and LRU clock,
  // replacing whatever `to` held. Returns the moved entry, or nullptr if `from` is absent.
  // from == to leaves the key untouched and returns it.
  Entry* rename(std::string_view from, std::string_view to, int64_t now_ms);

  // Sets or clears (ms < 0) the TTL of a present entry. Returns the (possibly reallocated) entry.
  Entry* set_expire(Entry* e, int64_t ms);

  // In-place string writes (APPEND, SETRANGE, SETBIT, BITFIELD, PFADD...): e's string value as a
  // growable heap buffer ("raw", as Redis's dbUnshareStringValue) at least min_len bytes long,
  // the growth zero-filled (sdsgrowzero). An int or inline value moves to the heap, which
  // replaces e by a new entry (same key, TTL and LRU clock): use the returned one, whose
  // heap_ptr() is the HeapString. Requires a string entry and min_len <= kMaxStringBytes.
  Entry* unshare_string(Entry* e, size_t min_len);
  // A new raw string of len zero bytes under key, replacing whatever was there (no TTL).
  Entry* put_zero_string(std::string_view key, size_t len);

  // Whether e is expired at now_ms.
  static bool expired(const Entry* e, int64_t now_ms) {
    return e->has_expire_slot() && e->expire_ms() >= 0 && e->expire_ms() <= now_ms;
  }

  // SCAN step: appends live keys of one cursor step to out; returns the next cursor.
  uint64_t scan(uint64_t cursor, int64_t now_ms, std::vector<Entry*>* out) const;
  template <class Fn>
  void for_each(Fn&& fn) const {
    dict_.for_each(fn);
  }
  Entry* random_entry(int64_t now_ms);

  void clear();
  // Moves the contents out (FLUSHALL ASYNC frees them elsewhere).
  Dict<Entry> take_all();
  void swap_contents(Db& other);

  // Active expiry: visits up to max_buckets scan buckets from the cycle's cursor.
  ExpireStepResult expire_step(int64_t now_ms, size_t max_buckets);
  // Incremental rehash / shrink for the cron. Returns true if work remains.
  bool rehash_steps(int n) { return dict_.rehash_steps(n); }
  void shrink_if_needed() { dict_.shrink_if_needed(); }
  size_t bucket_bytes() const { return dict_.bucket_bytes(); }

  void notify_modified(std::string_view key) {
    if (obs_) obs_->key_modified(index_, key);
  }

 private:
  void expire_entry(Entry* e);  // removes an expired entry, notifying the observer

  int index_;
  KeyspaceObserver* obs_;
  Dict<Entry> dict_;
  size_t volatile_ = 0;
  uint64_t expire_cursor_ = 0;
};

// A new entry under `key` that takes over old's value, TTL and LRU clock; old is freed
// (without its value). For RENAME: values are never copied.
Entry* rekey_entry(Entry* old, std::string_view key);

class Keyspace {
 public:
  Keyspace(int databases, KeyspaceObserver* obs);
  int count() const { return static_cast<int>(dbs_.size()); }
  Db& db(int i) { return *dbs_[i]; }
  const Db& db(int i) const { return *dbs_[i]; }
  size_t total_keys() const;
  void swap(int a, int b);
  void flush_all();

 private:
  std::vector<std::unique_ptr<Db>> dbs_;
};

// Redis glob matching (KEYS, SCAN MATCH, PSUBSCRIBE): * ? [a-z] [^x] \x, optional nocase.
bool glob_match(std::string_view pattern, std::string_view s, bool nocase = false);

}  // namespace dq::storage
