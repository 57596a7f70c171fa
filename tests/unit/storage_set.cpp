// SetObject: each encoding, every conversion (as Redis 7.2), and random operations against
// a std::set model across encodings.
#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "storage/set.h"

using dq::storage::SetLimits;
using dq::storage::SetObject;
using Enc = SetObject::Enc;

namespace {
std::vector<std::string> members(const SetObject& s) {
  std::vector<std::string> out;
  s.for_each([&](std::string_view m) { out.emplace_back(m); });
  return out;
}
std::set<std::string> as_set(const SetObject& s) {
  auto v = members(s);
  return {v.begin(), v.end()};
}
}  // namespace

TEST_CASE("set: create picks the encoding from the first member and the size hint") {
  SetLimits lim;
  std::unique_ptr<SetObject> a(SetObject::create("12", 1, lim));
  CHECK(a->encoding() == Enc::IntSet);
  std::unique_ptr<SetObject> b(SetObject::create("x", 1, lim));
  CHECK(b->encoding() == Enc::ListPack);
  std::unique_ptr<SetObject> c(SetObject::create("12", 513, lim));
  CHECK(c->encoding() == Enc::HashTable);
  std::unique_ptr<SetObject> d(SetObject::create("x", 129, lim));
  CHECK(d->encoding() == Enc::HashTable);
  std::unique_ptr<SetObject> e(SetObject::create("012", 1, lim));  // not canonical
  CHECK(e->encoding() == Enc::ListPack);
  CHECK(std::string(a->encoding_name()) == "intset");
  CHECK(std::string(b->encoding_name()) == "listpack");
  CHECK(std::string(c->encoding_name()) == "hashtable");
}

TEST_CASE("set: intset keeps members sorted and widens 2 -> 4 -> 8 bytes") {
  SetObject s(SetLimits{}, Enc::IntSet);
  CHECK(s.add("5"));
  CHECK(s.add("-3"));
  CHECK_FALSE(s.add("5"));
  CHECK(s.add("100000"));                // 4 bytes
  CHECK(s.add("-9223372036854775808"));  // 8 bytes, goes first
  CHECK(s.add("9223372036854775807"));
  CHECK(s.encoding() == Enc::IntSet);
  CHECK(members(s) == std::vector<std::string>{"-9223372036854775808", "-3", "5", "100000",
                                               "9223372036854775807"});
  CHECK(s.contains("100000"));
  CHECK_FALSE(s.contains("05"));
  CHECK_FALSE(s.contains("x"));
  CHECK(s.remove("-3"));
  CHECK_FALSE(s.remove("-3"));
  CHECK_FALSE(s.remove("abc"));
  CHECK(s.size() == 4);
  CHECK(s.memory() > 0);
}

TEST_CASE("set: intset becomes a listpack on a short non-integer, hashtable otherwise") {
  SetObject s(SetLimits{}, Enc::IntSet);
  for (int i = 0; i < 10; ++i) s.add(std::to_string(i));
  CHECK(s.add("abc"));
  CHECK(s.encoding() == Enc::ListPack);
  // Converted members keep ascending order, the new one appended.
  CHECK(members(s).front() == "0");
  CHECK(members(s).back() == "abc");

  SetObject t(SetLimits{}, Enc::IntSet);
  t.add("1");
  t.add(std::string(65, 'x'));  // longer than set-max-listpack-value
  CHECK(t.encoding() == Enc::HashTable);

  SetObject u(SetLimits{}, Enc::IntSet);
  for (int i = 0; i < 128; ++i) u.add(std::to_string(i));
  u.add("abc");  // 128 integers: no room in a listpack
  CHECK(u.encoding() == Enc::HashTable);
  CHECK(u.size() == 129);

  SetObject w(SetLimits{512, 128, 3}, Enc::IntSet);
  w.add("12345");  // 5 digits > listpack value 3
  w.add("a");
  CHECK(w.encoding() == Enc::HashTable);
}

TEST_CASE("set: intset past set-max-intset-entries becomes a hashtable") {
  SetObject s(SetLimits{4, 128, 64}, Enc::IntSet);
  for (int i = 0; i < 4; ++i) s.add(std::to_string(i));
  CHECK(s.encoding() == Enc::IntSet);
  s.add("4");
  CHECK(s.encoding() == Enc::HashTable);
  CHECK(as_set(s) == std::set<std::string>{"0", "1", "2", "3", "4"});
}

TEST_CASE("set: listpack limits (entries, value length), never converts back") {
  SetObject s(SetLimits{512, 3, 5}, Enc::ListPack);
  s.add("a");
  s.add("b");
  s.add("c");
  CHECK(s.encoding() == Enc::ListPack);
  CHECK(members(s) == std::vector<std::string>{"a", "b", "c"});
  s.remove("b");
  CHECK(members(s) == std::vector<std::string>{"a", "c"});
  s.add("toolong");
  CHECK(s.encoding() == Enc::HashTable);
  s.remove("toolong");
  s.remove("a");
  CHECK(s.encoding() == Enc::HashTable);
  CHECK(members(s) == std::vector<std::string>{"c"});

  SetObject t(SetLimits{512, 2, 64}, Enc::ListPack);
  t.add("a");
  t.add("b");
  t.add("c");
  CHECK(t.encoding() == Enc::HashTable);
}

TEST_CASE("set: maybe_convert and convert_to_intset_if_fits") {
  SetObject s(SetLimits{}, Enc::ListPack);
  s.add("1");
  s.maybe_convert(128);
  CHECK(s.encoding() == Enc::ListPack);
  s.maybe_convert(129);
  CHECK(s.encoding() == Enc::HashTable);
  s.add("7");
  s.add("-2");
  s.convert_to_intset_if_fits();
  CHECK(s.encoding() == Enc::IntSet);
  CHECK(members(s) == std::vector<std::string>{"-2", "1", "7"});
}

TEST_CASE("set: clone, swap, random, pop and scan in every encoding") {
  for (Enc e : {Enc::IntSet, Enc::ListPack, Enc::HashTable}) {
    SetObject s(SetLimits{}, e);
    for (int i = 0; i < 50; ++i) s.add(std::to_string(i * 3));
    CHECK(s.encoding() == e);
    std::unique_ptr<SetObject> c(static_cast<SetObject*>(s.clone()));
    CHECK(c->encoding() == e);
    CHECK(as_set(*c) == as_set(s));
    for (int i = 0; i < 20; ++i) CHECK(s.contains(s.random_member()));
    std::set<std::string> seen;
    uint64_t cursor = 0;
    do {
      cursor = s.scan(cursor, [&](std::string_view m) { seen.emplace(m); });
    } while (cursor);
    CHECK(seen == as_set(s));
    std::set<std::string> popped;
    while (!s.empty()) {
      std::string m = s.pop_random();
      CHECK(popped.insert(m).second);
      CHECK_FALSE(s.contains(m));
    }
    CHECK(popped.size() == 50);
    s.swap(*c);
    CHECK(s.size() == 50);
    CHECK(c->empty());
  }
}

TEST_CASE("set: random operations agree with std::set across conversions") {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    SetLimits lim{static_cast<size_t>(rng() % 40), static_cast<size_t>(rng() % 40),
                  static_cast<size_t>(rng() % 10)};
    std::unique_ptr<SetObject> s(SetObject::create("1", 1, lim));
    std::set<std::string> model;
    for (int op = 0; op < 600; ++op) {
      std::string m = rng() % 2 ? std::to_string(static_cast<int>(rng() % 200) - 100)
                                : std::string(1 + rng() % 12, static_cast<char>('a' + rng() % 3));
      if (rng() % 3) {
        CHECK(s->add(m) == model.insert(m).second);
      } else {
        CHECK(s->remove(m) == (model.erase(m) == 1));
      }
      CHECK(s->size() == model.size());
      CHECK(s->contains(m) == (model.count(m) == 1));
    }
    CHECK(as_set(*s) == model);
  }
}

TEST_CASE("set: a hashtable of 100k members shrinks back as members go") {
  SetObject s(SetLimits{}, Enc::HashTable);
  for (int i = 0; i < 100000; ++i) s.add("member:" + std::to_string(i));
  size_t big = s.memory();
  for (int i = 0; i < 99990; ++i) CHECK(s.remove("member:" + std::to_string(i)));
  CHECK(s.size() == 10);
  // The shrink is incremental (a step per operation), as Redis's.
  for (int i = 0; i < 20000; ++i) {
    s.add("x");
    s.remove("x");
  }
  CHECK(s.memory() < big / 100);
}
