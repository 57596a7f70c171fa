#include "storage/keyspace.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <random>
#include <thread>

namespace dq::storage {

namespace {
uint64_t g_seed = 0x9E3779B97F4A7C15ULL;
std::mt19937_64& rng() {
  static std::mt19937_64 r(std::random_device{}());
  return r;
}
}  // namespace

uint64_t hash_seed() { return g_seed; }
void set_hash_seed(uint64_t seed) { g_seed = seed; }
uint64_t random_u64() { return rng()(); }

Entry* Db::find(std::string_view key, int64_t now_ms) {
  Entry* e = dict_.find(key);
  if (e && expired(e, now_ms)) {
    expire_entry(e);
    return nullptr;
  }
  return e;
}

Entry* Db::find_touch(std::string_view key, int64_t now_ms, uint32_t lru_clock) {
  Entry* e = find(key, now_ms);
  if (e) e->set_lru(lru_clock);
  return e;
}

void Db::put(Entry* e) {
  if (e->has_expire()) ++volatile_;
  Entry** link = dict_.find_link(e->key());
  if (link) {
    Entry* old = *link;
    if (old->has_expire()) --volatile_;
    Dict<Entry>::replace_at(link, e);
    Entry::destroy(old);
  } else {
    dict_.insert(e);
    if (obs_) obs_->key_created(index_, e->key());
  }
}

bool Db::insert_if_absent(Entry* e, int64_t now_ms) {
  if (find(e->key(), now_ms)) return false;
  if (e->has_expire()) ++volatile_;
  dict_.insert(e);
  if (obs_) obs_->key_created(index_, e->key());
  return true;
}

void Db::replace(Entry* old_e, Entry* new_e) {
  Entry** link = dict_.find_link(old_e->key());
  if (old_e->has_expire()) --volatile_;
  if (new_e->has_expire()) ++volatile_;
  Dict<Entry>::replace_at(link, new_e);
}

bool Db::del(std::string_view key, int64_t now_ms) {
  Entry** link = dict_.find_link(key);
  if (!link) return false;
  Entry* e = dict_.unlink_at(link);
  bool live = !expired(e, now_ms);
  if (e->has_expire()) --volatile_;
  if (!live && obs_) obs_->key_expired(index_, key);
  Entry::destroy(e);
  return live;
}

Entry* Db::take(std::string_view key) {
  Entry* e = dict_.unlink(key);
  if (e && e->has_expire()) --volatile_;
  return e;
}

Entry* Db::rename(std::string_view from, std::string_view to, int64_t now_ms) {
  Entry* e = find(from, now_ms);
  if (!e || from == to) return e;
  find(to, now_ms);  // an expired destination is reclaimed (and reported) first
  Entry* ne = rekey_entry(take(from), to);
  // Redis deletes the destination and adds the key anew (keyspace event "new").
  if (Entry* old = take(to)) Entry::destroy(old);
  put(ne);
  return ne;
}

Entry* rekey_entry(Entry* old, std::string_view key) {
  Entry* e;
  bool slot = old->has_expire_slot();
  int64_t exp = old->expire_ms();
  switch (old->encoding()) {
    case Encoding::Int:
      e = Entry::make_int(key, old->int_value(), slot, exp);
      break;
    case Encoding::Embstr: {
      char buf[24];
      e = Entry::make_string(key, old->string_value(buf), slot, exp);
      break;
    }
    default:
      e = Entry::make_heap(key, old->type(), old->encoding(), old->heap_ptr(), slot, exp);
      old->set_heap_ptr(nullptr);  // the value now belongs to e
      break;
  }
  e->set_lru(old->lru());
  Entry::destroy(old);
  return e;
}

Entry* Db::set_expire(Entry* e, int64_t ms) {
  bool had = e->has_expire();
  if (ms < 0) {
    if (had) {
      e->set_expire_ms(-1);
      --volatile_;
    }
    return e;
  }
  if (!e->has_expire_slot()) {
    // with_expire_slot frees e: take its chain link first (replace_at would read freed memory).
    Entry** link = dict_.find_link(e->key());
    Entry* next = e->next;
    Entry* ne = Entry::with_expire_slot(e, true);
    ne->next = next;
    *link = ne;
    e = ne;
  }
  e->set_expire_ms(ms);
  if (!had) ++volatile_;
  return e;
}

Entry* Db::unshare_string(Entry* e, size_t min_len) {
  if (e->encoding() != Encoding::Raw) {
    char buf[24];
    std::string_view cur = e->string_value(buf);
    HeapString* h = HeapString::create(cur, std::max(cur.size(), min_len));
    Entry* ne = Entry::make_heap(e->key(), Type::String, Encoding::Raw, h, e->has_expire_slot(),
                                 e->expire_ms());
    ne->set_lru(e->lru());
    replace(e, ne);
    Entry::destroy(e);
    e = ne;
  }
  auto* h = static_cast<HeapString*>(e->heap_ptr());
  if (h->len < min_len) {
    h = HeapString::grow(h, min_len);
    std::memset(h->data + h->len, 0, min_len - h->len);
    h->len = static_cast<uint32_t>(min_len);
    e->set_heap_ptr(h);
  }
  return e;
}

Entry* Db::put_zero_string(std::string_view key, size_t len) {
  HeapString* h = HeapString::create("", len);
  std::memset(h->data, 0, len);
  h->len = static_cast<uint32_t>(len);
  Entry* e = Entry::make_heap(key, Type::String, Encoding::Raw, h, false, -1);
  put(e);
  return e;
}

void Db::expire_entry(Entry* e) {
  // Copy the key: the entry is freed before observers may need it... observers run first.
  std::string_view key = e->key();
  if (obs_) obs_->key_expired(index_, key);
  Entry** link = dict_.find_link(key);
  dict_.unlink_at(link);
  --volatile_;
  Entry::destroy(e);
}

uint64_t Db::scan(uint64_t cursor, int64_t now_ms, std::vector<Entry*>* out) const {
  return dict_.scan(cursor, [&](Entry* e) {
    if (!expired(e, now_ms)) out->push_back(e);
  });
}

Entry* Db::random_entry(int64_t now_ms) {
  // Try a bounded number of samples: a keyspace of only expired keys yields nullptr.
  for (int i = 0; i < 100 && dict_.size() > 0; ++i) {
    Entry* e = dict_.random();
    if (!expired(e, now_ms)) return e;
    expire_entry(e);
  }
  return nullptr;
}

void Db::clear() {
  dict_.clear([](Entry* e) { Entry::destroy(e); });
  volatile_ = 0;
  expire_cursor_ = 0;
}

Dict<Entry> Db::take_all() {
  Dict<Entry> out;
  out.swap(dict_);
  volatile_ = 0;
  expire_cursor_ = 0;
  return out;
}

void Db::swap_contents(Db& other) {
  dict_.swap(other.dict_);
  std::swap(volatile_, other.volatile_);
  std::swap(expire_cursor_, other.expire_cursor_);
}

ExpireStepResult Db::expire_step(int64_t now_ms, size_t max_buckets) {
  ExpireStepResult r;
  if (volatile_ == 0 || dict_.size() == 0) return r;
  std::vector<Entry*> dead;
  for (size_t i = 0; i < max_buckets; ++i) {
    expire_cursor_ = dict_.scan(expire_cursor_, [&](Entry* e) {
      ++r.visited;
      if (e->has_expire()) {
        ++r.volatile_seen;
        if (e->expire_ms() <= now_ms) dead.push_back(e);
      }
    });
    if (expire_cursor_ == 0) break;
  }
  for (Entry* e : dead) expire_entry(e);
  r.expired = dead.size();
  return r;
}

Keyspace::Keyspace(int databases, KeyspaceObserver* obs) {
  for (int i = 0; i < databases; ++i) dbs_.push_back(std::make_unique<Db>(i, obs));
}

size_t Keyspace::total_keys() const {
  size_t n = 0;
  for (const auto& d : dbs_) n += d->size();
  return n;
}

void Keyspace::swap(int a, int b) { dbs_[a]->swap_contents(*dbs_[b]); }

void Keyspace::flush_all() {
  for (auto& d : dbs_) d->clear();
}

// --- glob matching -------------------------------------------------------------------

namespace {
inline char fold(char c, bool nocase) {
  return nocase ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
}

// Matches one non-'*' pattern token at p against c. Sets *len to the token's length.
bool match_token(std::string_view p, char c, bool nocase, size_t* len) {
  char pc = p[0];
  if (pc == '?') {
    *len = 1;
    return true;
  }
  if (pc == '\\' && p.size() >= 2) {
    *len = 2;
    return fold(p[1], nocase) == fold(c, nocase);
  }
  if (pc == '[') {
    size_t i = 1;
    bool negate = false;
    if (i < p.size() && p[i] == '^') {
      negate = true;
      ++i;
    }
    bool match = false;
    while (true) {
      if (i >= p.size()) {  // unterminated class: Redis treats the end as its close
        break;
      }
      if (p[i] == '\\' && i + 1 < p.size()) {
        if (p[i + 1] == c) match = true;  // Redis compares escapes exactly, even with nocase
        i += 2;
      } else if (p[i] == ']') {
        break;
      } else if (i + 2 < p.size() && p[i + 1] == '-') {
        // As Redis: order the bounds first, then fold case ([Z-a] with nocase is empty).
        char a = p[i], b = p[i + 2];
        if (a > b) std::swap(a, b);
        a = fold(a, nocase);
        b = fold(b, nocase);
        char x = fold(c, nocase);
        if (x >= a && x <= b) match = true;
        i += 3;
      } else {
        if (fold(p[i], nocase) == fold(c, nocase)) match = true;
        ++i;
      }
    }
    *len = i < p.size() ? i + 1 : i;
    return negate ? !match : match;
  }
  *len = 1;
  return fold(pc, nocase) == fold(c, nocase);
}
}  // namespace

bool glob_match(std::string_view pattern, std::string_view s, bool nocase) {
  // Iterative wildcard matching with backtracking to the last '*': every non-star token
  // matches exactly one character, so this is exact and O(len(p) * len(s)) at worst.
  size_t p = 0, i = 0;
  size_t star_p = std::string_view::npos, star_i = 0;
  while (i < s.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      if (p == pattern.size()) return true;
      star_p = p;
      star_i = i;
      continue;
    }
    size_t len = 0;
    if (p < pattern.size() && match_token(pattern.substr(p), s[i], nocase, &len)) {
      p += len;
      ++i;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    i = ++star_i;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace dq::storage
