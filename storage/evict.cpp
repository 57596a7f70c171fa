// evict.cpp — the access clock, the LFU counter and the eviction pool (see evict.h).
#include "storage/evict.h"

#include <utility>

#include "storage/value.h"

namespace dq::storage {

namespace {
AccessPolicy g_policy;
uint16_t g_lfu_minutes = 0;
uint64_t g_rand_state = 0x2545F4914F6CDD1DULL;

// xorshift64*: cheap, and LFU increments need no more than a fair coin.
double next_unit_random() {
  g_rand_state ^= g_rand_state >> 12;
  g_rand_state ^= g_rand_state << 25;
  g_rand_state ^= g_rand_state >> 27;
  uint64_t x = g_rand_state * 0x2545F4914F6CDD1DULL;
  return static_cast<double>(x >> 11) * (1.0 / 9007199254740992.0);
}
}  // namespace

void set_access_policy(const AccessPolicy& p) { g_policy = p; }
const AccessPolicy& access_policy() { return g_policy; }
void set_lfu_minutes(uint16_t minutes) { g_lfu_minutes = minutes; }
uint16_t lfu_minutes() { return g_lfu_minutes; }

uint32_t initial_access_stamp() {
  return g_policy.lfu ? lfu_stamp(g_lfu_minutes, kLfuInitVal) : lru_clock();
}

void set_access_from_dump(Entry* e, int64_t idle_s, int freq, uint32_t lru_clock) {
  constexpr int64_t kLruClockMax = (1 << 24) - 1;
  if (g_policy.lfu) {
    if (freq >= 0) e->set_lru(lfu_stamp(g_lfu_minutes, static_cast<uint8_t>(freq)));
  } else if (idle_s >= 0) {
    int64_t at = static_cast<int64_t>(lru_clock) - idle_s;
    if (at < 0) at = (static_cast<int64_t>(lru_clock) + kLruClockMax / 2) % kLruClockMax;
    e->set_lru(static_cast<uint32_t>(at));
  }
}

void touch_entry(Entry* e) {
  if (!g_policy.lfu) {
    e->set_lru(lru_clock());
    return;
  }
  uint8_t c = lfu_decayed(e->lru(), g_lfu_minutes, g_policy.lfu_decay_time);
  c = lfu_log_incr(c, g_policy.lfu_log_factor, next_unit_random());
  e->set_lru(lfu_stamp(g_lfu_minutes, c));
}

uint8_t lfu_decayed(uint32_t stamp, uint16_t now_minutes, int decay_time) {
  uint8_t c = lfu_stamp_counter(stamp);
  if (decay_time <= 0) return c;
  uint32_t periods = lfu_minutes_elapsed(lfu_stamp_minutes(stamp), now_minutes) /
                     static_cast<uint32_t>(decay_time);
  return periods >= c ? 0 : static_cast<uint8_t>(c - periods);
}

uint8_t lfu_log_incr(uint8_t counter, int log_factor, double r) {
  if (counter == 255) return 255;
  double base = counter > kLfuInitVal ? static_cast<double>(counter - kLfuInitVal) : 0.0;
  double p = 1.0 / (base * static_cast<double>(log_factor) + 1.0);
  return r < p ? static_cast<uint8_t>(counter + 1) : counter;
}

uint8_t lfu_frequency(const Entry* e) {
  return lfu_decayed(e->lru(), g_lfu_minutes, g_policy.lfu_decay_time);
}

void EvictionPool::offer(uint64_t score, int db, std::string_view key) {
  // First slot whose score is >= ours: we go just before it (ascending order).
  size_t k = 0;
  while (k < n_ && slots_[k].score < score) ++k;
  for (size_t i = 0; i < n_; ++i)
    if (slots_[i].db == db && slots_[i].key == key) return;
  if (n_ == kSize) {
    if (k == 0) return;  // worse than every candidate kept
    // Drop the worst (slot 0), shifting the lower part left; we go at k - 1.
    std::string spare = std::move(slots_[0].key);
    for (size_t i = 0; i + 1 < k; ++i) slots_[i] = std::move(slots_[i + 1]);
    slots_[k - 1].key = std::move(spare);
    k = k - 1;
  } else {
    // Room: shift the upper part right.
    std::string spare = std::move(slots_[n_].key);
    for (size_t i = n_; i > k; --i) slots_[i] = std::move(slots_[i - 1]);
    slots_[k].key = std::move(spare);
    ++n_;
  }
  slots_[k].score = score;
  slots_[k].db = db;
  slots_[k].key.assign(key);
}

bool EvictionPool::pop_best(uint64_t* score, int* db, std::string* key) {
  if (n_ == 0) return false;
  Slot& s = slots_[--n_];
  *score = s.score;
  *db = s.db;
  key->assign(s.key);
  return true;
}

}  // namespace dq::storage
