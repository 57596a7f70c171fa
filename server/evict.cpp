// evict.cpp — maxmemory: keeping used memory under the limit by evicting keys, as Redis 7's
// evict.c does (written anew from its description and docs).
//
// Owns: Server::perform_evictions (the eviction loop), the eviction timer that continues a
// pass cut short by its time limit, the access-policy wiring (LRU vs LFU clock), and the
// hook where an "evicted" keyspace notification would be sent.
//
// When: dispatch() calls perform_evictions() before every command while maxmemory is set
// (one load of the allocation counter when under the limit: storage/memory.h). If it
// fails (noeviction, or nothing evictable), commands flagged denyoom, every command queued
// in MULTI and an EXEC of denyoom commands get the OOM error; reads, DEL & co. still run.
// CONFIG SET maxmemory evicts at once.
//
// How (policies other than noeviction), until the bytes freed cover the excess:
// - *-random: a random key (one sample) of the next database in turn with candidates.
// - *-lru / *-lfu / volatile-ttl: each database with candidates contributes
//   maxmemory-samples sampled keys to the eviction pool (16 best candidates, kept across
//   passes, storage/evict.h), scored by idle time, 255 - LFU counter, or how soon the TTL
//   ends; the best candidate that still exists is evicted.
// - volatile-*: only keys with a TTL are candidates; none left means failure.
// Work per pass is bounded by maxmemory-eviction-tenacity (the time limit is checked every
// 16 keys); a pass cut short continues from a zero-delay timer, i.e. on the next loop
// iteration, until memory is under the limit.
//
// The bytes freed by a deletion are measured on the allocation counter (before - after), so
// they include the value, the entry and whatever else the deletion released.
#include "storage/evict.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

#include "server/log.h"
#include "server/server.h"
#include "storage/memory.h"

namespace dq::server {

namespace {

enum class PolicyKind { NoEviction, Lru, Lfu, Ttl, Random };

constexpr size_t kMaxSamples = 256;

PolicyKind policy_kind(const std::string& p) {
  if (p == "noeviction") return PolicyKind::NoEviction;
  if (p.ends_with("-lru")) return PolicyKind::Lru;
  if (p.ends_with("-lfu")) return PolicyKind::Lfu;
  if (p.ends_with("-ttl")) return PolicyKind::Ttl;
  return PolicyKind::Random;
}

// Microseconds one eviction pass may take (Redis's evictionTimeLimitUs): linear up to
// tenacity 10 (500 us), then +15% per step, unlimited at 100.
int64_t eviction_time_limit_us(int tenacity) {
  if (tenacity <= 10) return 50LL * tenacity;
  if (tenacity < 100) return static_cast<int64_t>(500.0 * std::pow(1.15, tenacity - 10.0));
  return INT64_MAX;
}

// Buckets one sampling call may visit in a database: enough to meet `samples` candidates
// on average. The table may be sparse (after mass eviction or deletion, until the cron
// shrinks it), and for volatile policies the keys with a TTL may be rare in it (dq keeps no
// separate table of them, unlike Redis), so the budget grows with buckets per candidate,
// capped so that one call stays bounded.
size_t sample_buckets(const storage::Db& d, size_t samples, bool volatile_only) {
  size_t candidates = volatile_only ? d.volatile_count() : d.size();
  if (candidates == 0) return 0;
  size_t ratio = d.buckets() / candidates;
  if (ratio < 1) ratio = 1;
  size_t b = (samples < 7 ? 64 : samples * 10) * ratio;
  return b > 65536 ? 65536 : b;
}

}  // namespace

size_t Server::used_memory() const { return storage::used_memory(); }

void Server::apply_access_policy() {
  storage::AccessPolicy p;
  p.lfu = policy_kind(cfg_.maxmemory_policy) == PolicyKind::Lfu;
  p.lfu_log_factor = cfg_.lfu_log_factor;
  p.lfu_decay_time = cfg_.lfu_decay_time;
  storage::set_access_policy(p);
}

void Server::key_evicted(int db, std::string_view key) {
  ++stats_.evicted_keys;
  key_modified(db, key);  // WATCH dirtied; blocked clients re-check and find nothing
  notify(notify::kEvicted, "evicted", key, db);
}

void Server::start_eviction_timer() {
  if (shutting_down_ || uv_is_active(reinterpret_cast<uv_handle_t*>(&evict_timer_))) return;
  uv_timer_start(
      &evict_timer_,
      [](uv_timer_t* t) {
        static_cast<Server*>(t->data)->perform_evictions();  // re-arms it if cut short again
      },
      0, 0);
}

Server::EvictResult Server::perform_evictions() {
  if (cfg_.maxmemory <= 0) return EvictResult::Ok;
  size_t limit = static_cast<size_t>(cfg_.maxmemory);
  size_t used = used_memory();
  if (used <= limit) return EvictResult::Ok;
  PolicyKind kind = policy_kind(cfg_.maxmemory_policy);
  if (kind == PolicyKind::NoEviction) return EvictResult::Fail;

  const bool volatile_only = cfg_.maxmemory_policy.starts_with("volatile-");
  // Redis accepts any positive sample count; dq samples at most kMaxSamples per database
  // and pass (more is never useful with a 16-candidate pool).
  const size_t samples = std::min(static_cast<size_t>(cfg_.maxmemory_samples), kMaxSamples);
  const int64_t time_limit_us = eviction_time_limit_us(cfg_.maxmemory_eviction_tenacity);
  const int ndb = keyspace_->count();
  const uint32_t lru_now = storage::lru_clock();
  const uint16_t lfu_now = storage::lfu_minutes();
  const int decay = cfg_.lfu_decay_time;
  auto t0 = std::chrono::steady_clock::now();
  auto score = [&](const storage::Entry* e) -> uint64_t {
    switch (kind) {
      case PolicyKind::Lru:
        return (lru_now - e->lru()) & 0xFFFFFF;  // idle seconds (24-bit clock wraps)
      case PolicyKind::Lfu:
        return 255u - storage::lfu_decayed(e->lru(), lfu_now, decay);
      default:  // Ttl: the sooner it expires, the better the candidate
        return UINT64_MAX - static_cast<uint64_t>(e->expire_ms());
    }
  };
  auto eligible = [&](const storage::Db& d) {
    return volatile_only ? d.volatile_count() > 0 : d.size() > 0;
  };

  size_t to_free = used - limit, freed = 0;
  uint64_t evicted = 0;
  storage::Entry* picked[kMaxSamples];
  std::string key;
  while (freed < to_free) {
    int best_db = -1;
    if (kind == PolicyKind::Random) {
      for (int n = 0; n < ndb && best_db < 0; ++n) {
        int i = evict_next_db_;
        evict_next_db_ = (evict_next_db_ + 1) % ndb;
        storage::Db& d = keyspace_->db(i);
        if (!eligible(d)) continue;
        // A sampling run may meet only empty buckets: retry a few times (a database with
        // candidates must not read as "nothing to evict").
        for (int tries = 0; tries < 16 && best_db < 0; ++tries) {
          if (d.sample(picked, 1, volatile_only, sample_buckets(d, 1, volatile_only)) == 1) {
            key.assign(picked[0]->key());
            best_db = i;
          }
        }
      }
    } else {
      // Refill the pool and take its best live candidate; a few rounds at most (a
      // volatile key may be rare enough for sampling to miss it).
      for (int round = 0; round < 32 && best_db < 0; ++round) {
        bool any = false;
        for (int i = 0; i < ndb; ++i) {
          storage::Db& d = keyspace_->db(i);
          if (!eligible(d)) continue;
          any = true;
          size_t n =
              d.sample(picked, samples, volatile_only, sample_buckets(d, samples, volatile_only));
          for (size_t k = 0; k < n; ++k) evict_pool_.offer(score(picked[k]), i, picked[k]->key());
        }
        if (!any) break;
        uint64_t sc;
        int dbi;
        while (evict_pool_.pop_best(&sc, &dbi, &key)) {
          if (dbi >= ndb) continue;
          const storage::Entry* e = keyspace_->db(dbi).peek(key);
          if (e && (!volatile_only || e->has_expire())) {
            best_db = dbi;
            break;
          }
        }
      }
    }
    if (best_db < 0) break;  // nothing left to evict

    size_t before = used_memory();
    keyspace_->db(best_db).evict(key);  // -> key_evicted()
    size_t after = used_memory();
    if (before > after) freed += before - after;
    ++evicted;
    if (evicted % 16 == 0 && freed < to_free) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
      if (us >= time_limit_us) {
        start_eviction_timer();
        return EvictResult::Running;
      }
    }
  }
  return freed >= to_free ? EvictResult::Ok : EvictResult::Fail;
}

}  // namespace dq::server
