// evict.h — what maxmemory eviction needs from storage: the access clock every entry
// carries (LRU or LFU), Redis's logarithmic LFU counter with its decay, and the eviction
// pool of the best candidates seen so far. The eviction loop itself (when, how much, which
// policy, statistics) lives in server/evict.cpp; sampling and deleting keys is Db's.
//
// Must not include: sockets, libuv, protocol. Time enters through the setters below (the
// server's cron updates the clocks, as it updates the LRU clock).
//
// The 24 bits of an entry's access field (Entry::lru()) mean, as Redis's robj.lru:
// - LRU policies and noeviction: the LRU clock (unix seconds, 24 bits) of the last access.
// - LFU policies: (minutes clock, 16 bits) << 8 | counter (8 bits). The counter grows
//   logarithmically (each access increments it with probability 1 / ((c - 5) * factor + 1))
//   and decays by one every lfu-decay-time minutes without access. New keys start at 5 so
//   that they are not the first evicted.
// Switching the policy does not rewrite existing entries: their field is read in the new
// meaning, as in Redis.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace dq::storage {

class Entry;

inline constexpr uint8_t kLfuInitVal = 5;  // Redis's LFU_INIT_VAL

// --- the access clock (set by the server) ----------------------------------------------
struct AccessPolicy {
  bool lfu = false;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;  // minutes per decrement (0: never decays)
};
void set_access_policy(const AccessPolicy& p);
const AccessPolicy& access_policy();
// The LFU minutes clock: (unix seconds / 60) & 0xFFFF.
void set_lfu_minutes(uint16_t minutes);
uint16_t lfu_minutes();
// What a new entry's access field starts as: the LRU clock, or (minutes, kLfuInitVal).
uint32_t initial_access_stamp();
// A client's access to e (a read through find_touch): refreshes the LRU clock, or decays
// then increments the LFU counter.
void touch_entry(Entry* e);

// --- LFU arithmetic (pure functions; unit-tested) ------------------------------------------
inline uint32_t lfu_stamp(uint16_t minutes, uint8_t counter) {
  return (static_cast<uint32_t>(minutes) << 8) | counter;
}
inline uint16_t lfu_stamp_minutes(uint32_t stamp) { return static_cast<uint16_t>(stamp >> 8); }
inline uint8_t lfu_stamp_counter(uint32_t stamp) { return static_cast<uint8_t>(stamp & 0xFF); }
// Minutes from `then` to `now` on the 16-bit clock (wrapping once, as Redis's LFUTimeElapsed).
inline uint32_t lfu_minutes_elapsed(uint16_t then, uint16_t now) {
  return now >= then ? static_cast<uint32_t>(now - then) : 65535u - then + now;
}
// The counter after decay: one less per decay_time minutes elapsed, floored at 0.
uint8_t lfu_decayed(uint32_t stamp, uint16_t now_minutes, int decay_time);
// One access: the counter plus one with probability 1 / ((counter - 5) * log_factor + 1),
// saturating at 255. `r` is a uniform random number in [0, 1).
uint8_t lfu_log_incr(uint8_t counter, int log_factor, double r);
// The counter OBJECT FREQ reports for an entry (decayed to now).
uint8_t lfu_frequency(const Entry* e);
// Redis's objectSetLRUOrLFU, for RESTORE's IDLETIME / FREQ and an RDB file's IDLE / FREQ:
// under an LFU policy a freq >= 0 becomes e's counter; otherwise an idle time >= 0 (seconds)
// sets its LRU clock from lru_clock (an idle time beyond the clock lands half a period
// away). -1 leaves e's access stamp as it is.
void set_access_from_dump(Entry* e, int64_t idle_s, int freq, uint32_t lru_clock);

// --- the eviction pool ---------------------------------------------------------------------
// The best eviction candidates seen by sampling, kept across calls (as Redis's
// EvictionPoolLRU): up to 16 (score, db, key) in ascending score order; a higher score is
// a better candidate (idle time, 255 - frequency, or UINT64_MAX - expiry time). Keys are
// copies: the entries may be gone when a candidate is taken, and the caller checks.
class EvictionPool {
 public:
  static constexpr size_t kSize = 16;
  // Keeps the candidate if there is room or it beats the worst one kept (which then drops
  // out). A key already in the pool (same db) is not added twice.
  void offer(uint64_t score, int db, std::string_view key);
  // Takes out the best candidate; false when empty.
  bool pop_best(uint64_t* score, int* db, std::string* key);
  size_t size() const { return n_; }
  void clear() { n_ = 0; }

 private:
  struct Slot {
    uint64_t score = 0;
    int db = 0;
    std::string key;  // capacity reused between candidates
  };
  std::array<Slot, kSize> slots_;
  size_t n_ = 0;
};

}  // namespace dq::storage
