// Unit tests for storage/evict (the LFU counter, the eviction pool, the access clock),
// Db::sample / Db::evict, and storage/memory (the allocation counter).
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "storage/evict.h"
#include "storage/keyspace.h"
#include "storage/memory.h"

using namespace dq::storage;

namespace {
struct Recorder : KeyspaceObserver {
  std::vector<std::string> modified, expired, evicted;
  void key_modified(int, std::string_view k) override { modified.emplace_back(k); }
  void key_expired(int, std::string_view k) override { expired.emplace_back(k); }
  void key_evicted(int, std::string_view k) override { evicted.emplace_back(k); }
};
constexpr int64_t T0 = 1'700'000'000'000;
}  // namespace

TEST_CASE("lfu: log increment probability 1 / ((c - 5) * factor + 1)") {
  // At or below the initial value every access counts.
  CHECK(lfu_log_incr(0, 10, 0.999) == 1);
  CHECK(lfu_log_incr(kLfuInitVal, 10, 0.999) == kLfuInitVal + 1);
  // At 15 with factor 10: p = 1/101.
  CHECK(lfu_log_incr(15, 10, 0.5) == 15);
  CHECK(lfu_log_incr(15, 10, 0.0099) == 16);
  CHECK(lfu_log_incr(15, 10, 0.0100) == 15);
  // Factor 0: always increments; 255 saturates.
  CHECK(lfu_log_incr(200, 0, 0.999) == 201);
  CHECK(lfu_log_incr(255, 0, 0.0) == 255);
}

TEST_CASE("lfu: growth at factor 10 follows Redis's documented table") {
  // Redis's docs for lfu-log-factor 10: 100 hits -> 10, 1K -> 18, 100K -> 142, 1M -> 255.
  // Deterministic pseudo-random sequence.
  uint64_t s = 42;
  auto rnd = [&] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / 9007199254740992.0;
  };
  uint8_t c = kLfuInitVal;
  for (int i = 0; i < 100; ++i) c = lfu_log_incr(c, 10, rnd());
  CHECK(c >= 8);
  CHECK(c <= 13);
  for (int i = 100; i < 1000; ++i) c = lfu_log_incr(c, 10, rnd());
  CHECK(c >= 15);
  CHECK(c <= 22);
  for (int i = 1000; i < 100000; ++i) c = lfu_log_incr(c, 10, rnd());
  CHECK(c >= 120);
  CHECK(c <= 165);
}

TEST_CASE("lfu: decay by elapsed minutes / decay time, wrapping the 16-bit clock") {
  CHECK(lfu_decayed(lfu_stamp(100, 20), 100, 1) == 20);
  CHECK(lfu_decayed(lfu_stamp(100, 20), 105, 1) == 15);
  CHECK(lfu_decayed(lfu_stamp(100, 20), 110, 2) == 15);
  CHECK(lfu_decayed(lfu_stamp(100, 20), 200, 1) == 0);
  CHECK(lfu_decayed(lfu_stamp(100, 20), 200, 0) == 20);  // 0: never decays
  // Clock wrapped: from 65530 to 4 is 65535 - 65530 + 4 = 9 minutes (Redis's arithmetic).
  CHECK(lfu_minutes_elapsed(65530, 4) == 9);
  CHECK(lfu_decayed(lfu_stamp(65530, 20), 4, 1) == 11);
}

TEST_CASE("access clock: new entries and touches under LRU and LFU") {
  set_lru_clock(1000);
  set_access_policy(AccessPolicy{});
  Entry* e = Entry::make_string("k", "v", false, -1);
  CHECK(e->lru() == 1000);
  set_lru_clock(1005);
  touch_entry(e);
  CHECK(e->lru() == 1005);
  Entry::destroy(e);

  AccessPolicy lfu;
  lfu.lfu = true;
  lfu.lfu_log_factor = 0;  // every access counts
  set_access_policy(lfu);
  set_lfu_minutes(77);
  e = Entry::make_string("k", "v", false, -1);
  CHECK(lfu_stamp_minutes(e->lru()) == 77);
  CHECK(lfu_frequency(e) == kLfuInitVal);
  touch_entry(e);
  touch_entry(e);
  CHECK(lfu_frequency(e) == kLfuInitVal + 2);
  set_lfu_minutes(80);  // three minutes later: decayed by 3
  CHECK(lfu_frequency(e) == kLfuInitVal - 1);
  Entry::destroy(e);
  set_access_policy(AccessPolicy{});
}

TEST_CASE("eviction pool: keeps the 16 best in order, drops the worst, no duplicates") {
  EvictionPool pool;
  uint64_t score;
  int db;
  std::string key;
  CHECK_FALSE(pool.pop_best(&score, &db, &key));
  for (int i = 0; i < 20; ++i)
    pool.offer(static_cast<uint64_t>(i * 10), 0, "k" + std::to_string(i));
  CHECK(pool.size() == EvictionPool::kSize);
  pool.offer(5, 0, "low");     // worse than all kept: ignored
  pool.offer(190, 0, "k19");   // already there
  pool.offer(1000, 1, "top");  // best
  CHECK(pool.size() == EvictionPool::kSize);
  REQUIRE(pool.pop_best(&score, &db, &key));
  CHECK(score == 1000);
  CHECK(db == 1);
  CHECK(key == "top");
  std::vector<uint64_t> got;
  while (pool.pop_best(&score, &db, &key)) got.push_back(score);
  // 1000 pushed out the worst remaining (k4 = 40): 190 .. 50 remain, in descending order.
  REQUIRE(got.size() == 15);
  CHECK(got.front() == 190);
  CHECK(got.back() == 50);
  for (size_t i = 1; i < got.size(); ++i) CHECK(got[i - 1] > got[i]);
}

TEST_CASE("eviction pool: same key in another database is another candidate") {
  EvictionPool pool;
  pool.offer(10, 0, "k");
  pool.offer(10, 1, "k");
  pool.offer(10, 0, "k");
  CHECK(pool.size() == 2);
}

TEST_CASE("Db::sample: distinct entries, bounded, volatile filter") {
  Recorder rec;
  Db db(0, &rec);
  for (int i = 0; i < 1000; ++i) {
    bool ttl = i % 10 == 0;
    db.put(Entry::make_string("k" + std::to_string(i), "v", ttl, ttl ? T0 + 100000 : -1));
  }
  Entry* out[64];
  size_t n = db.sample(out, 16, false, 160);
  CHECK(n == 16);
  std::set<Entry*> uniq(out, out + n);
  CHECK(uniq.size() == n);
  n = db.sample(out, 5, true, 2000);
  CHECK(n == 5);
  for (size_t i = 0; i < n; ++i) CHECK(out[i]->has_expire());
  // A budget of one bucket returns at most that bucket's chain.
  CHECK(db.sample(out, 64, false, 1) < 64);
}

TEST_CASE("Db::evict: removes the key, keeps the volatile count, notifies key_evicted") {
  Recorder rec;
  Db db(0, &rec);
  db.put(Entry::make_string("a", "1", true, T0 + 1000));
  db.put(Entry::make_string("b", "2", false, -1));
  CHECK(db.volatile_count() == 1);
  CHECK(db.evict("a"));
  CHECK_FALSE(db.evict("a"));
  CHECK(db.volatile_count() == 0);
  CHECK(db.size() == 1);
  REQUIRE(rec.evicted.size() == 1);
  CHECK(rec.evicted[0] == "a");
  CHECK(rec.expired.empty());
}

TEST_CASE("memory: the counter follows allocations and frees") {
  size_t before = used_memory();
  void* p = mem_malloc(1000);
  CHECK(used_memory() >= before + 1000);
  p = mem_realloc(p, 100000);
  CHECK(used_memory() >= before + 100000);
  mem_free(p);
  CHECK(used_memory() == before);
  size_t b2 = used_memory();
  auto* v = new std::vector<char>(5000);
  CHECK(used_memory() >= b2 + 5000);
  delete v;
  CHECK(used_memory() == b2);
}
