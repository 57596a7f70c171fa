// HashObject: both encodings against a std::map model, the conversion rules (entry count,
// field and value length, never back), counters, scan coverage and random sampling.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>

#include "storage/hash.h"

using dq::storage::HashLimits;
using dq::storage::HashObject;
using dq::storage::Status;

namespace {

std::map<std::string, std::string> contents(const HashObject& h) {
  std::map<std::string, std::string> out;
  h.for_each([&](std::string_view f, std::string_view v) {
    CHECK(out.emplace(std::string(f), std::string(v)).second);  // fields are unique
  });
  return out;
}

void check_same(const HashObject& h, const std::map<std::string, std::string>& m) {
  REQUIRE(h.size() == m.size());
  CHECK(contents(h) == m);
  for (const auto& [f, v] : m) {
    std::string_view got;
    REQUIRE(h.get(f, &got));
    CHECK(got == v);
  }
}

std::string random_string(std::mt19937& rng, size_t max_len) {
  std::string s(rng() % (max_len + 1), 'a');
  for (auto& c : s) c = static_cast<char>('a' + rng() % 6);
  return s;
}

}  // namespace

TEST_CASE("hash: packed set/get/overwrite/erase keep insertion order") {
  HashObject h;
  HashLimits lim;
  CHECK(h.empty());
  CHECK(h.compact());
  CHECK(std::string(h.encoding_name()) == "listpack");
  CHECK(h.set("a", "1", lim));
  CHECK(h.set("b", "2", lim));
  CHECK(h.set("c", "", lim));
  CHECK_FALSE(h.set("a", "longer value", lim));  // overwrite: not new
  CHECK(h.size() == 3);
  std::string order;
  h.for_each([&](std::string_view f, std::string_view) { order += f; });
  CHECK(order == "abc");
  std::string_view v;
  REQUIRE(h.get("a", &v));
  CHECK(v == "longer value");
  REQUIRE(h.get("c", &v));
  CHECK(v.empty());
  CHECK_FALSE(h.get("zz", &v));
  CHECK(h.contains("b"));
  CHECK(h.erase("b"));
  CHECK_FALSE(h.erase("b"));
  CHECK_FALSE(h.contains("b"));
  CHECK(h.erase("a"));
  CHECK(h.erase("c"));
  CHECK(h.empty());
  CHECK(h.compact());
}

TEST_CASE("hash: binary fields and values") {
  HashObject h;
  HashLimits lim;
  std::string f("a\0b", 3), v("\r\n\0", 3);
  CHECK(h.set(f, v, lim));
  CHECK(h.set("", "empty field", lim));
  std::string_view got;
  REQUIRE(h.get(f, &got));
  CHECK(got == v);
  REQUIRE(h.get("", &got));
  CHECK(got == "empty field");
  CHECK_FALSE(h.get(std::string("a\0c", 3), &got));
}

TEST_CASE("hash: converts past the entry limit, exactly at limit+1") {
  HashObject h;
  HashLimits lim{4, 64};
  for (int i = 0; i < 4; ++i) h.set("f" + std::to_string(i), "v", lim);
  CHECK(h.compact());
  CHECK_FALSE(h.set("f0", "w", lim));  // overwriting never counts as one more
  CHECK(h.compact());
  h.set("f4", "v", lim);
  CHECK_FALSE(h.compact());
  CHECK(std::string(h.encoding_name()) == "hashtable");
  CHECK(h.size() == 5);
  std::string_view v;
  REQUIRE(h.get("f0", &v));
  CHECK(v == "w");
  // Never back, even when emptied down to one field.
  for (int i = 0; i < 4; ++i) CHECK(h.erase("f" + std::to_string(i)));
  CHECK(h.size() == 1);
  CHECK_FALSE(h.compact());
}

TEST_CASE("hash: converts on a long field or value, even on overwrite") {
  HashLimits lim{128, 8};
  {
    HashObject h;
    h.set("f", std::string(8, 'x'), lim);  // at the limit: stays packed
    CHECK(h.compact());
    h.set("f", std::string(9, 'x'), lim);  // overwrite with a longer value
    CHECK_FALSE(h.compact());
    std::string_view v;
    REQUIRE(h.get("f", &v));
    CHECK(v.size() == 9);
  }
  {
    HashObject h;
    h.set("a", "1", lim);
    h.set(std::string(9, 'f'), "1", lim);
    CHECK_FALSE(h.compact());
    CHECK(h.size() == 2);
  }
  {
    // Zero entry limit: the first field already converts (as Redis).
    HashObject h;
    h.set("a", "1", HashLimits{0, 64});
    CHECK_FALSE(h.compact());
  }
}

TEST_CASE("hash: model check in both encodings") {
  for (size_t max_entries : {size_t{16}, size_t{1000}}) {
    std::mt19937 rng(static_cast<unsigned>(max_entries));
    HashObject h;
    HashLimits lim{max_entries, 40};
    std::map<std::string, std::string> m;
    for (int step = 0; step < 20000; ++step) {
      std::string f = "f" + std::to_string(rng() % 300);
      switch (rng() % 4) {
        case 0:
        case 1: {
          std::string v = random_string(rng, 30);
          CHECK(h.set(f, v, lim) == (m.count(f) == 0));
          m[f] = v;
          break;
        }
        case 2:
          CHECK(h.erase(f) == (m.erase(f) == 1));
          break;
        case 3: {
          std::string_view v;
          bool has = h.get(f, &v);
          REQUIRE(has == (m.count(f) == 1));
          if (has) CHECK(v == m[f]);
          break;
        }
      }
      if (step % 1000 == 0) check_same(h, m);
    }
    check_same(h, m);
    CHECK(h.compact() == (max_entries == 1000));
  }
}

TEST_CASE("hash: clone is deep in both encodings") {
  for (bool table : {false, true}) {
    HashObject h;
    HashLimits lim;
    for (int i = 0; i < 50; ++i) h.set("f" + std::to_string(i), "v" + std::to_string(i), lim);
    if (table) h.convert_to_table();
    auto* c = static_cast<HashObject*>(h.clone());
    CHECK(c->compact() == !table);
    CHECK(contents(*c) == contents(h));
    h.set("f0", "changed", lim);
    std::string_view v;
    REQUIRE(c->get("f0", &v));
    CHECK(v == "v0");
    delete c;
  }
}

TEST_CASE("hash: memory follows the payload") {
  HashObject h;
  HashLimits lim;
  size_t empty = h.memory();
  for (int i = 0; i < 100; ++i) h.set("field:" + std::to_string(i), "value", lim);
  size_t packed = h.memory();
  CHECK(packed > empty);
  CHECK(packed < empty + 100 * 20);  // ~15 payload bytes a pair, no per-pair allocation
  h.convert_to_table();
  size_t table = h.memory();
  CHECK(table > packed);
  for (int i = 0; i < 100; ++i) h.erase("field:" + std::to_string(i));
  CHECK(h.memory() < table);
}

TEST_CASE("hash: incr_by and incr_by_float") {
  HashObject h;
  HashLimits lim;
  int64_t out;
  CHECK(h.incr_by("n", 5, lim, &out) == Status::Ok);
  CHECK(out == 5);
  CHECK(h.incr_by("n", -7, lim, &out) == Status::Ok);
  CHECK(out == -2);
  h.set("s", "abc", lim);
  CHECK(h.incr_by("s", 1, lim, &out) == Status::NotInteger);
  h.set("s", " 1", lim);
  CHECK(h.incr_by("s", 1, lim, &out) == Status::NotInteger);
  h.set("max", "9223372036854775807", lim);
  CHECK(h.incr_by("max", 1, lim, &out) == Status::Overflow);
  h.set("min", "-9223372036854775808", lim);
  CHECK(h.incr_by("min", -1, lim, &out) == Status::Overflow);
  CHECK(h.incr_by("min", 0, lim, &out) == Status::Ok);

  std::string s;
  CHECK(h.incr_by_float("x", 10.5L, lim, &s) == Status::Ok);
  CHECK(s == "10.5");
  CHECK(h.incr_by_float("x", 0.1L, lim, &s) == Status::Ok);
  CHECK(s == "10.6");
  CHECK(h.incr_by_float("n", 2, lim, &s) == Status::Ok);  // an integer value is a number
  CHECK(s == "0");
  h.set("e", "1.5e3", lim);
  CHECK(h.incr_by_float("e", 1, lim, &s) == Status::Ok);
  CHECK(s == "1501");
  CHECK(h.incr_by_float("s", 1, lim, &s) == Status::NotFloat);
  h.set("inf", "inf", lim);
  CHECK(h.incr_by_float("inf", 1, lim, &s) == Status::NanOrInfinity);
  // A long result converts the packed form (the value limit applies to every write).
  CHECK(h.compact());
  CHECK(h.incr_by_float("big", 1e100L, lim, &s) == Status::Ok);
  CHECK(s.size() > 64);
  CHECK_FALSE(h.compact());
}

TEST_CASE("hash: scan returns every field of a table at least once, packed in one call") {
  HashObject h;
  HashLimits lim{16, 64};
  for (int i = 0; i < 10; ++i) h.set("f" + std::to_string(i), "v", lim);
  size_t calls = 0;
  uint64_t cursor = h.scan(12345, [&](std::string_view, std::string_view) { ++calls; });
  CHECK(cursor == 0);
  CHECK(calls == 10);

  for (int i = 10; i < 1000; ++i) h.set("f" + std::to_string(i), "v", lim);
  REQUIRE_FALSE(h.compact());
  std::set<std::string> seen;
  cursor = 0;
  int rounds = 0;
  do {
    cursor = h.scan(cursor, [&](std::string_view f, std::string_view) { seen.emplace(f); });
    // Mutations between steps: fields present all along must still come back.
    if (++rounds % 7 == 0) h.set("extra" + std::to_string(rounds), "v", lim);
  } while (cursor != 0);
  for (int i = 0; i < 1000; ++i) CHECK(seen.count("f" + std::to_string(i)) == 1);
}

TEST_CASE("hash: random sampling in both encodings") {
  for (bool table : {false, true}) {
    HashObject h;
    HashLimits lim;
    for (int i = 0; i < 100; ++i) h.set("f" + std::to_string(i), "v" + std::to_string(i), lim);
    if (table) h.convert_to_table();
    for (size_t count : {size_t{1}, size_t{10}, size_t{40}, size_t{99}, size_t{100}, size_t{500}}) {
      std::set<std::string> got;
      size_t calls = 0;
      h.random_distinct(count, [&](std::string_view f, std::string_view v) {
        ++calls;
        got.emplace(f);
        CHECK(v.substr(1) == f.substr(1));  // the pair belongs together
      });
      CHECK(calls == std::min<size_t>(count, 100));
      CHECK(got.size() == calls);  // distinct
    }
    std::set<std::string> any;
    size_t calls = 0;
    h.random_with_repeats(2000, [&](std::string_view f, std::string_view) {
      ++calls;
      any.emplace(f);
    });
    CHECK(calls == 2000);
    CHECK(any.size() > 50);  // spread over the hash
  }
  HashObject empty;
  size_t calls = 0;
  empty.random_with_repeats(5, [&](std::string_view, std::string_view) { ++calls; });
  empty.random_distinct(5, [&](std::string_view, std::string_view) { ++calls; });
  CHECK(calls == 0);
}
