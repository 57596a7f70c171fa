// Unit tests for storage/keyspace: lazy and active expiry with a fake clock, volatile-key
// accounting, rename / take / put between databases, scan, random, glob matching.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "storage/keyspace.h"

using dq::storage::Db;
using dq::storage::Entry;
using dq::storage::glob_match;
using dq::storage::Keyspace;
using dq::storage::KeyspaceObserver;

namespace {

struct Recorder : KeyspaceObserver {
  std::vector<std::string> modified, expired, created;
  void key_modified(int, std::string_view k) override { modified.emplace_back(k); }
  void key_expired(int, std::string_view k) override { expired.emplace_back(k); }
  void key_created(int, std::string_view k) override { created.emplace_back(k); }
};

Entry* str(std::string_view k, std::string_view v, int64_t expire_ms = -1) {
  return Entry::make_string(k, v, expire_ms >= 0, expire_ms);
}

std::string value_of(Entry* e) {
  char buf[24];
  return std::string(e->string_value(buf));
}

constexpr int64_t T0 = 1'700'000'000'000;  // the fake clock starts here

}  // namespace

// --- glob_match -----------------------------------------------------------------------------

TEST_CASE("glob: star and question mark") {
  CHECK(glob_match("*", ""));
  CHECK(glob_match("*", "anything"));
  CHECK(glob_match("a*", "a"));
  CHECK(glob_match("a*", "abc"));
  CHECK_FALSE(glob_match("a*", "bac"));
  CHECK(glob_match("*c", "abc"));
  CHECK(glob_match("a*c*e", "abcde"));
  CHECK(glob_match("a*c*e", "ace"));
  CHECK_FALSE(glob_match("a*c*e", "abcdf"));
  CHECK(glob_match("**a**", "xxaxx"));
  CHECK(glob_match("?", "x"));
  CHECK_FALSE(glob_match("?", ""));
  CHECK_FALSE(glob_match("?", "xy"));
  CHECK(glob_match("h?llo", "hello"));
  CHECK(glob_match("*?", "a"));
  CHECK_FALSE(glob_match("*?", ""));
  CHECK(glob_match("", ""));
  CHECK_FALSE(glob_match("", "a"));
  CHECK(glob_match("a*b*c*d", "aXbXbXcXcXd"));
  CHECK(glob_match(std::string(50, '*') + "x", std::string(60, 'a') + "x"));
  CHECK_FALSE(glob_match(std::string(30, 'a') + "*b", std::string(60, 'a')));
}

TEST_CASE("glob: classes") {
  CHECK(glob_match("h[ae]llo", "hello"));
  CHECK(glob_match("h[ae]llo", "hallo"));
  CHECK_FALSE(glob_match("h[ae]llo", "hillo"));
  CHECK(glob_match("[a-z]", "m"));
  CHECK_FALSE(glob_match("[a-z]", "M"));
  CHECK(glob_match("[z-a]", "m"));  // reversed ranges are swapped
  CHECK(glob_match("[^x]", "y"));
  CHECK_FALSE(glob_match("[^x]", "x"));
  CHECK(glob_match("[^a-c]", "d"));
  CHECK_FALSE(glob_match("[^a-c]", "b"));
  CHECK(glob_match("[\\]]", "]"));
  CHECK(glob_match("[\\-]", "-"));
  CHECK_FALSE(glob_match("[\\-]", "a"));
  CHECK(glob_match("[]]", "]") == false);  // "[]" is an empty class, then a literal ']'
  CHECK(glob_match("[]]", "]]") == false);
  CHECK(glob_match("[a", "a"));  // unterminated: the end closes the class
  CHECK_FALSE(glob_match("[", "a"));
  CHECK_FALSE(glob_match("[", ""));
  CHECK(glob_match("[a-]", "]"));  // "a-]" is a range a..']' as in Redis
}

TEST_CASE("glob: escapes") {
  CHECK(glob_match("\\*", "*"));
  CHECK_FALSE(glob_match("\\*", "a"));
  CHECK(glob_match("\\?", "?"));
  CHECK_FALSE(glob_match("\\?", "x"));
  CHECK(glob_match("a\\[b", "a[b"));
  CHECK(glob_match("\\\\", "\\"));
  CHECK(glob_match("x\\", "x\\"));  // a trailing backslash is literal
  CHECK(glob_match("*\\*", "abc*"));
  CHECK_FALSE(glob_match("*\\*", "abc"));
}

TEST_CASE("glob: nocase") {
  CHECK(glob_match("HeLLo", "hello", true));
  CHECK_FALSE(glob_match("HeLLo", "hello", false));
  CHECK(glob_match("h[A-Z]llo", "hello", true));
  CHECK_FALSE(glob_match("h[A-Z]llo", "hello", false));
  CHECK(glob_match("[^A]", "b", true));
  CHECK_FALSE(glob_match("[^A]", "a", true));
  CHECK(glob_match("\\A", "a", true));
  CHECK_FALSE(glob_match("[\\A]", "a", true));  // escapes inside a class are exact (Redis)
  CHECK_FALSE(glob_match("[Z-a]", "m", true));  // bounds ordered before folding (Redis)
}

TEST_CASE("glob: binary bytes") {
  std::string k("a\0b", 3);
  CHECK(glob_match("a?b", k));
  CHECK(glob_match(std::string("a\0*", 3), k));
}

// --- expiry with a fake clock ---------------------------------------------------------------

TEST_CASE("keyspace: find hides and deletes expired keys") {
  Recorder rec;
  Db db(0, &rec);
  db.put(str("k", "v", T0 + 100));
  db.put(str("p", "v"));
  CHECK(db.size() == 2);
  CHECK(db.volatile_count() == 1);
  CHECK(db.find("k", T0) != nullptr);
  CHECK(db.find("k", T0 + 99) != nullptr);
  CHECK(db.find("k", T0 + 100) == nullptr);  // expire time reached: gone
  CHECK(db.size() == 1);
  CHECK(db.volatile_count() == 0);
  CHECK(rec.expired == std::vector<std::string>{"k"});
  CHECK(db.find("p", T0 + 1'000'000) != nullptr);
}

TEST_CASE("keyspace: del reports whether a live key was removed") {
  Recorder rec;
  Db db(0, &rec);
  db.put(str("a", "1", T0 + 10));
  db.put(str("b", "1"));
  CHECK(db.del("b", T0));
  CHECK_FALSE(db.del("b", T0));
  CHECK_FALSE(db.del("a", T0 + 10));  // already expired: not a live delete
  CHECK(rec.expired == std::vector<std::string>{"a"});
  CHECK(db.size() == 0);
  CHECK(db.volatile_count() == 0);
}

TEST_CASE("keyspace: set_expire adds, changes and clears TTLs with accounting") {
  Db db(0, nullptr);
  db.put(str("k", "value"));
  Entry* e = db.find("k", T0);
  CHECK_FALSE(e->has_expire());
  e = db.set_expire(e, T0 + 500);  // reallocates to make room for the expiry
  CHECK(e->has_expire());
  CHECK(e->expire_ms() == T0 + 500);
  CHECK(db.volatile_count() == 1);
  CHECK(db.find("k", T0) == e);
  CHECK(value_of(e) == "value");
  e = db.set_expire(e, T0 + 900);
  CHECK(db.volatile_count() == 1);
  e = db.set_expire(e, -1);
  CHECK_FALSE(e->has_expire());
  CHECK(db.volatile_count() == 0);
  e = db.set_expire(e, -1);
  CHECK(db.volatile_count() == 0);
  e = db.set_expire(e, T0 + 5);  // slot kept: no reallocation needed
  CHECK(db.volatile_count() == 1);
  CHECK(db.find("k", T0 + 5) == nullptr);
  CHECK(db.volatile_count() == 0);
}

TEST_CASE("keyspace: set_expire on a chained entry keeps the chain intact") {
  Db db(0, nullptr);
  for (int i = 0; i < 64; ++i) db.put(str("k" + std::to_string(i), "v"));
  for (int i = 0; i < 64; ++i) {
    Entry* e = db.find("k" + std::to_string(i), T0);
    REQUIRE(e);
    db.set_expire(e, T0 + 1000 + i);
  }
  CHECK(db.volatile_count() == 64);
  for (int i = 0; i < 64; ++i) REQUIRE(db.find("k" + std::to_string(i), T0) != nullptr);
  size_t n = 0;
  db.for_each([&](Entry*) { ++n; });
  CHECK(n == 64);
}

TEST_CASE("keyspace: put replacing volatile and non-volatile entries") {
  Db db(0, nullptr);
  db.put(str("k", "1", T0 + 100));
  CHECK(db.volatile_count() == 1);
  db.put(str("k", "2"));
  CHECK(db.volatile_count() == 0);
  db.put(str("k", "3", T0 + 100));
  db.put(str("k", "4", T0 + 200));
  CHECK(db.volatile_count() == 1);
  CHECK(db.size() == 1);
  Entry* e = Entry::make_string("k", "5", false, -1);
  CHECK_FALSE(db.insert_if_absent(e, T0));
  Entry::destroy(e);
  CHECK(db.insert_if_absent(str("k", "6"), T0 + 200));  // the old one expired
  CHECK(db.volatile_count() == 0);
  CHECK(value_of(db.find("k", T0)) == "6");
}

TEST_CASE("keyspace: expire_step reclaims expired keys nobody touches") {
  Recorder rec;
  Db db(0, &rec);
  for (int i = 0; i < 10000; ++i) db.put(str("v" + std::to_string(i), "x", T0 + 1000));
  for (int i = 0; i < 100; ++i) db.put(str("p" + std::to_string(i), "x"));
  for (int i = 0; i < 100; ++i) db.put(str("later" + std::to_string(i), "x", T0 + 100000));
  CHECK(db.volatile_count() == 10100);
  auto r = db.expire_step(T0, 1 << 20);  // nothing due yet
  CHECK(r.expired == 0);
  CHECK(r.volatile_seen == 10100);
  CHECK(db.size() == 10200);
  size_t expired = 0;
  int steps = 0;
  while (db.volatile_count() > 100 && steps < 100000) {
    expired += db.expire_step(T0 + 1000, 64).expired;
    ++steps;
  }
  CHECK(expired == 10000);
  CHECK(db.size() == 200);
  CHECK(db.volatile_count() == 100);
  CHECK(rec.expired.size() == 10000);
  for (int i = 0; i < 100; ++i) CHECK(db.find("p" + std::to_string(i), T0 + 1000) != nullptr);
  // A keyspace without volatile keys costs nothing.
  Db plain(1, nullptr);
  plain.put(str("a", "b"));
  CHECK(plain.expire_step(T0, 64).visited == 0);
}

TEST_CASE("keyspace: scan skips expired keys, random_entry reclaims them") {
  Db db(0, nullptr);
  for (int i = 0; i < 50; ++i) db.put(str("live" + std::to_string(i), "x"));
  for (int i = 0; i < 50; ++i) db.put(str("dead" + std::to_string(i), "x", T0 + 1));
  std::set<std::string> seen;
  uint64_t cur = 0;
  do {
    std::vector<Entry*> out;
    cur = db.scan(cur, T0 + 1, &out);
    for (Entry* e : out) seen.emplace(e->key());
  } while (cur);
  CHECK(seen.size() == 50);
  for (const auto& k : seen) CHECK(k.rfind("live", 0) == 0);
  for (int i = 0; i < 200; ++i) {
    Entry* e = db.random_entry(T0 + 1);
    REQUIRE(e);
    CHECK(std::string(e->key()).rfind("live", 0) == 0);
  }
  Db dead(1, nullptr);
  for (int i = 0; i < 5; ++i) dead.put(str("d" + std::to_string(i), "x", T0));
  CHECK(dead.random_entry(T0) == nullptr);
  CHECK(dead.size() == 0);
}

// --- rename / move / clear / swap -----------------------------------------------------------

TEST_CASE("keyspace: key_created for new keys only (keyspace event \"new\")") {
  Recorder rec;
  Db db(0, &rec);
  db.put(str("a", "1"));
  db.put(str("a", "2"));  // overwrite: not new
  CHECK(db.insert_if_absent(str("b", "1"), T0));
  Entry* dup = str("b", "2");
  CHECK_FALSE(db.insert_if_absent(dup, T0));
  Entry::destroy(dup);
  CHECK(rec.created == std::vector<std::string>{"a", "b"});
  // RENAME onto an existing key deletes it and adds the key anew, as Redis's dbAdd.
  db.rename("a", "b", T0);
  CHECK(rec.created == std::vector<std::string>{"a", "b", "b"});
  CHECK(db.size() == 1);
  CHECK(value_of(db.find("b", T0)) == "2");
}

TEST_CASE("keyspace: rename moves value, TTL and LRU") {
  Db db(0, nullptr);
  db.put(str("a", "hello", T0 + 500));
  db.find("a", T0)->set_lru(1234);
  db.put(str("b", "old"));
  Entry* e = db.rename("a", "b", T0);
  REQUIRE(e);
  CHECK(e->key() == "b");
  CHECK(value_of(e) == "hello");
  CHECK(e->expire_ms() == T0 + 500);
  CHECK(e->lru() == 1234);
  CHECK(db.find("a", T0) == nullptr);
  CHECK(db.size() == 1);
  CHECK(db.volatile_count() == 1);
  CHECK(db.rename("nokey", "x", T0) == nullptr);
  CHECK(db.rename("b", "b", T0) == e);              // onto itself: untouched
  CHECK(db.rename("b", "c", T0 + 500) == nullptr);  // expired meanwhile
  CHECK(db.size() == 0);
  CHECK(db.volatile_count() == 0);
}

TEST_CASE("keyspace: rename keeps int and heap encodings without copying heap values") {
  Db db(0, nullptr);
  db.put(Entry::make_int("i", 42, false, -1));
  auto* h = dq::storage::HeapString::create("raw value", 32);
  db.put(
      Entry::make_heap("r", dq::storage::Type::String, dq::storage::Encoding::Raw, h, false, -1));
  Entry* i2 = db.rename("i", "i2", T0);
  CHECK(i2->is_int());
  CHECK(i2->int_value() == 42);
  Entry* r2 = db.rename("r", "r2", T0);
  CHECK(r2->encoding() == dq::storage::Encoding::Raw);
  CHECK(r2->heap_ptr() == h);  // the same buffer moved
  CHECK(value_of(r2) == "raw value");
}

TEST_CASE("keyspace: take + put moves an entry between databases") {
  Keyspace ks(4, nullptr);
  Db& a = ks.db(0);
  Db& b = ks.db(3);
  a.put(str("k", "v", T0 + 100));
  CHECK(a.volatile_count() == 1);
  b.put(a.take("k"));
  CHECK(a.size() == 0);
  CHECK(a.volatile_count() == 0);
  CHECK(b.volatile_count() == 1);
  CHECK(value_of(b.find("k", T0)) == "v");
  CHECK(ks.total_keys() == 1);
}

TEST_CASE("keyspace: swap, clear, take_all and flush_all keep counts right") {
  Keyspace ks(2, nullptr);
  ks.db(0).put(str("a", "1", T0 + 100));
  ks.db(0).put(str("b", "1"));
  ks.db(1).put(str("c", "1"));
  ks.swap(0, 1);
  CHECK(ks.db(0).size() == 1);
  CHECK(ks.db(0).volatile_count() == 0);
  CHECK(ks.db(1).size() == 2);
  CHECK(ks.db(1).volatile_count() == 1);
  CHECK(ks.db(0).find("c", T0) != nullptr);
  CHECK(ks.db(0).index() == 0);
  auto taken = ks.db(1).take_all();
  CHECK(taken.size() == 2);
  CHECK(ks.db(1).size() == 0);
  CHECK(ks.db(1).volatile_count() == 0);
  taken.clear([](Entry* e) { Entry::destroy(e); });
  ks.db(1).put(str("x", "1", T0 + 5));
  ks.flush_all();
  CHECK(ks.total_keys() == 0);
  CHECK(ks.db(1).volatile_count() == 0);
}
