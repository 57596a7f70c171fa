// Unit tests for storage/dict.h: growth, shrink, incremental rehash, the SCAN guarantee,
// random sampling. Links only the storage library.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "storage/dict.h"

namespace {

struct Node {
  Node* next = nullptr;
  std::string k;
  explicit Node(std::string s) : k(std::move(s)) {}
  std::string_view key() const { return k; }
};

using D = dq::storage::Dict<Node>;

void finish_rehash(D& d) {
  while (d.rehash_steps(100)) {
  }
}

// Removes and frees the node with key k; returns whether it was present.
bool erase(D& d, const std::string& k) {
  Node* n = d.unlink(k);
  delete n;
  return n != nullptr;
}

void free_all(D& d) {
  d.clear([](Node* n) { delete n; });
}

}  // namespace

TEST_CASE("dict: insert, find, unlink") {
  D d;
  CHECK(d.size() == 0);
  CHECK(d.find("x") == nullptr);
  for (int i = 0; i < 1000; ++i) d.insert(new Node("k" + std::to_string(i)));
  CHECK(d.size() == 1000);
  for (int i = 0; i < 1000; ++i) {
    Node* n = d.find("k" + std::to_string(i));
    REQUIRE(n != nullptr);
    CHECK(n->key() == "k" + std::to_string(i));
  }
  CHECK(d.find("k1000") == nullptr);
  CHECK(erase(d, "k5"));
  CHECK_FALSE(erase(d, "k5"));
  CHECK(d.size() == 999);
  free_all(d);
  CHECK(d.size() == 0);
  CHECK(d.buckets() == 0);
}

TEST_CASE("dict: grows at load factor 1 and shrinks when sparse") {
  D d;
  d.insert(new Node("first"));
  CHECK(d.buckets() == 4);
  for (int i = 0; i < 5000; ++i) d.insert(new Node(std::to_string(i)));
  finish_rehash(d);
  CHECK_FALSE(d.rehashing());
  CHECK(d.buckets() >= d.size());
  size_t big = d.buckets();
  CHECK(big >= 4096);
  // Remove almost everything, then shrink.
  for (int i = 0; i < 4990; ++i) CHECK(erase(d, std::to_string(i)));
  finish_rehash(d);
  CHECK(d.shrink_if_needed());
  CHECK(d.rehashing());
  // Lookups work mid-rehash (both tables are searched).
  for (int i = 4990; i < 5000; ++i) CHECK(d.find(std::to_string(i)) != nullptr);
  CHECK(d.find("first") != nullptr);
  finish_rehash(d);
  CHECK(d.buckets() < big);
  CHECK(d.buckets() <= 64);
  CHECK(d.size() == 11);
  CHECK_FALSE(d.shrink_if_needed());  // not sparse any more
  free_all(d);
}

TEST_CASE("dict: nodes stay valid across rehash") {
  D d;
  std::vector<Node*> nodes;
  for (int i = 0; i < 100; ++i) {
    nodes.push_back(new Node("n" + std::to_string(i)));
    d.insert(nodes.back());
  }
  for (int i = 0; i < 3000; ++i) d.insert(new Node("m" + std::to_string(i)));
  finish_rehash(d);
  for (int i = 0; i < 100; ++i) CHECK(d.find("n" + std::to_string(i)) == nodes[i]);
  free_all(d);
}

TEST_CASE("dict: a full scan returns every key exactly once on a stable table") {
  D d;
  for (int i = 0; i < 777; ++i) d.insert(new Node(std::to_string(i)));
  finish_rehash(d);
  std::multiset<std::string> seen;
  uint64_t cur = 0;
  do {
    cur = d.scan(cur, [&](Node* n) { seen.insert(n->k); });
  } while (cur != 0);
  CHECK(seen.size() == 777);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 777);
  free_all(d);
}

TEST_CASE("dict: scan of an empty table ends at once") {
  D d;
  int calls = 0;
  CHECK(d.scan(0, [&](Node*) { ++calls; }) == 0);
  CHECK(calls == 0);
}

TEST_CASE("dict: SCAN guarantee while the table grows and shrinks between calls") {
  // Keys present for the whole scan must be returned at least once, even when the table
  // is resized (and caught mid-rehash) between cursor calls.
  for (int seed = 0; seed < 4; ++seed) {
    D d;
    std::set<std::string> stable;
    for (int i = 0; i < 300; ++i) {
      std::string k = "s" + std::to_string(seed) + ":" + std::to_string(i);
      stable.insert(k);
      d.insert(new Node(k));
    }
    std::set<std::string> seen;
    uint64_t cur = 0;
    int step = 0, tmp = 0;
    std::vector<std::string> temps;
    do {
      cur = d.scan(cur, [&](Node* n) { seen.insert(n->k); });
      ++step;
      switch ((step + seed) % 4) {
        case 0:  // grow a lot (starts a rehash that stays in progress)
          for (int i = 0; i < 2000; ++i) {
            temps.push_back("t" + std::to_string(tmp++));
            d.insert(new Node(temps.back()));
          }
          break;
        case 1:  // a few rehash steps only
          d.rehash_steps(3);
          break;
        case 2:  // shrink back
          for (const auto& k : temps) erase(d, k);
          temps.clear();
          finish_rehash(d);
          d.shrink_if_needed();
          d.rehash_steps(2);
          break;
        default:
          finish_rehash(d);
          break;
      }
    } while (cur != 0);
    for (const auto& k : stable) CHECK_MESSAGE(seen.count(k) == 1, k);
    free_all(d);
  }
}

TEST_CASE("dict: random() returns members and reaches all of them") {
  D d;
  CHECK(d.random() == nullptr);
  std::set<std::string> all;
  for (int i = 0; i < 40; ++i) {
    all.insert("r" + std::to_string(i));
    d.insert(new Node("r" + std::to_string(i)));
  }
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) {
    Node* n = d.random();
    REQUIRE(n != nullptr);
    CHECK(all.count(n->k) == 1);
    seen.insert(n->k);
  }
  CHECK(seen == all);
  // Also while rehashing.
  for (int i = 0; i < 200; ++i) d.insert(new Node("x" + std::to_string(i)));
  for (int i = 0; i < 200; ++i) REQUIRE(d.random() != nullptr);
  free_all(d);
}

TEST_CASE("dict: move and swap carry the contents") {
  D a;
  for (int i = 0; i < 10; ++i) a.insert(new Node(std::to_string(i)));
  D b(std::move(a));
  CHECK(a.size() == 0);
  CHECK(b.size() == 10);
  CHECK(b.find("3") != nullptr);
  D c;
  c.insert(new Node("c"));
  c.swap(b);
  CHECK(c.size() == 10);
  CHECK(b.size() == 1);
  free_all(b);
  free_all(c);
}
