// Unit tests for storage/zset.h: both encodings against a simple model (a sorted std::set),
// conversion both ways, rank / score range / lex range / erase_range correctness, clone.
// Links only the storage library.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "storage/zset.h"

namespace {

using dq::storage::LexBound;
using dq::storage::ZSetLimits;
using dq::storage::ZSetObject;

struct Model {
  std::map<std::string, double> scores;
  std::vector<std::pair<double, std::string>> sorted() const {
    std::vector<std::pair<double, std::string>> v;
    for (auto& [m, s] : scores) v.emplace_back(s, m);
    std::sort(v.begin(), v.end());
    return v;
  }
};

std::vector<std::pair<double, std::string>> dump(const ZSetObject& z, bool reverse = false) {
  std::vector<std::pair<double, std::string>> v;
  z.for_range(0, z.size(), reverse,
              [&](std::string_view m, double s) { v.emplace_back(s, std::string(m)); });
  return v;
}

void check(const ZSetObject& z, const Model& m) {
  auto want = m.sorted();
  REQUIRE(z.size() == want.size());
  REQUIRE(dump(z) == want);
  auto rev = dump(z, true);
  std::reverse(rev.begin(), rev.end());
  REQUIRE(rev == want);
  for (size_t i = 0; i < want.size(); ++i) {
    size_t r;
    REQUIRE(z.rank(want[i].second, &r));
    CHECK(r == i);
    double s;
    REQUIRE(z.score(want[i].second, &s));
    CHECK(s == want[i].first);
  }
}

void random_ops(ZSetLimits lim, int n, int keyspace, unsigned seed) {
  std::mt19937 rng(seed);
  ZSetObject z(lim);
  Model m;
  for (int i = 0; i < n; ++i) {
    std::string k = "m" + std::to_string(rng() % keyspace);
    double s = static_cast<double>(rng() % 50) / 4;
    int op = rng() % 10;
    if (op < 6) {
      double old;
      if (z.score(k, &old))
        z.update(k, s);
      else
        z.insert(k, s);
      m.scores[k] = s;
    } else if (op < 9) {
      CHECK(z.erase(k) == (m.scores.erase(k) == 1));
    } else if (z.size() > 0) {
      size_t lo = rng() % z.size(), hi = lo + rng() % 5;
      auto v = m.sorted();
      for (size_t r = lo; r < hi && r < v.size(); ++r) m.scores.erase(v[r].second);
      z.erase_range(lo, hi);
    }
  }
  check(z, m);
  // Score ranges against the model.
  auto v = m.sorted();
  for (double a = -1; a < 14; a += 0.75) {
    for (double b = a - 1; b < 14; b += 1.25) {
      for (int ex = 0; ex < 4; ++ex) {
        bool minex = ex & 1, maxex = ex & 2;
        size_t lo, hi;
        z.score_range(a, minex, b, maxex, &lo, &hi);
        size_t want = 0, first = v.size();
        for (size_t i = 0; i < v.size(); ++i) {
          double s = v[i].first;
          bool in = (minex ? s > a : s >= a) && (maxex ? s < b : s <= b);
          if (in) {
            if (first == v.size()) first = i;
            ++want;
          }
        }
        CHECK((hi > lo ? hi - lo : 0) == want);
        if (want) CHECK(lo == first);
      }
    }
  }
}

TEST_CASE("zset listpack basic ops and order") {
  ZSetObject z(ZSetLimits{});
  CHECK(z.packed());
  CHECK(std::string(z.encoding_name()) == "listpack");
  z.insert("b", 2);
  z.insert("a", 2);
  z.insert("c", 1);
  z.insert("", 1);
  auto v = dump(z);
  REQUIRE(v.size() == 4);
  CHECK(v[0].second == "");
  CHECK(v[1].second == "c");
  CHECK(v[2].second == "a");
  CHECK(v[3].second == "b");
  z.update("c", 5);
  size_t r;
  CHECK(z.rank("c", &r));
  CHECK(r == 3);
  CHECK(z.erase("a"));
  CHECK_FALSE(z.erase("a"));
  CHECK(z.size() == 3);
}

TEST_CASE("zset converts to skiplist past the entry limit and back") {
  ZSetObject z(ZSetLimits{4, 8});
  Model m;
  for (int i = 0; i < 4; ++i) {
    z.insert("k" + std::to_string(i), i);
    m.scores["k" + std::to_string(i)] = i;
  }
  CHECK(z.packed());
  z.insert("k4", 4);
  m.scores["k4"] = 4;
  CHECK_FALSE(z.packed());
  CHECK(std::string(z.encoding_name()) == "skiplist");
  check(z, m);
  z.erase("k4");
  m.scores.erase("k4");
  z.shrink_if_fits();
  CHECK(z.packed());
  check(z, m);
}

TEST_CASE("zset converts on a long member, shrink refuses long members") {
  ZSetObject z(ZSetLimits{128, 8});
  z.insert("short", 1);
  z.insert("a-very-long-member", 2);
  CHECK_FALSE(z.packed());
  z.shrink_if_fits();
  CHECK_FALSE(z.packed());
  z.erase("a-very-long-member");
  z.shrink_if_fits();
  CHECK(z.packed());
  ZSetObject big(ZSetLimits{128, 8}, 200, 1);
  CHECK_FALSE(big.packed());
  ZSetObject wide(ZSetLimits{128, 8}, 1, 9);
  CHECK_FALSE(wide.packed());
}

TEST_CASE("zset random ops vs model, listpack") { random_ops(ZSetLimits{1000, 64}, 300, 60, 1); }

TEST_CASE("zset random ops vs model, skiplist") {
  random_ops(ZSetLimits{0, 64}, 5000, 800, 2);
  random_ops(ZSetLimits{0, 64}, 20000, 300, 3);
}

TEST_CASE("zset random ops vs model, crossing the limit") {
  random_ops(ZSetLimits{16, 64}, 2000, 40, 4);
}

TEST_CASE("zset lex ranges") {
  for (size_t limit : {size_t{128}, size_t{0}}) {
    ZSetObject z(ZSetLimits{limit, 64});
    for (const char* m : {"a", "b", "c", "d", "e", "f", "g"}) z.insert(m, 0);
    auto lb = [](const char* s) {
      LexBound b;
      if (s[0] == '-') return b;
      if (s[0] == '+') {
        b.kind = LexBound::Kind::PosInf;
        return b;
      }
      b.kind = LexBound::Kind::Value;
      b.exclusive = s[0] == '(';
      b.value = s + 1;
      return b;
    };
    size_t lo, hi;
    z.lex_range(lb("-"), lb("+"), &lo, &hi);
    CHECK(lo == 0);
    CHECK(hi == 7);
    z.lex_range(lb("[b"), lb("[d"), &lo, &hi);
    CHECK(lo == 1);
    CHECK(hi == 4);
    z.lex_range(lb("(b"), lb("(d"), &lo, &hi);
    CHECK(lo == 2);
    CHECK(hi == 3);
    z.lex_range(lb("[bb"), lb("[zz"), &lo, &hi);
    CHECK(lo == 2);
    CHECK(hi == 7);
    z.lex_range(lb("+"), lb("-"), &lo, &hi);
    CHECK(lo >= hi);
    z.lex_range(lb("[d"), lb("[b"), &lo, &hi);
    CHECK(lo >= hi);
  }
}

TEST_CASE("zset clone, at, erase_range, scan") {
  for (size_t limit : {size_t{128}, size_t{0}}) {
    ZSetObject z(ZSetLimits{limit, 64});
    for (int i = 0; i < 100; ++i) z.insert("m" + std::to_string(i), i % 7);
    std::unique_ptr<ZSetObject> c(static_cast<ZSetObject*>(z.clone()));
    CHECK(dump(*c) == dump(z));
    CHECK(c->packed() == z.packed());
    std::string m;
    double s;
    z.at(0, &m, &s);
    CHECK(m == "m0");
    CHECK(s == 0);
    z.at(99, &m, &s);
    CHECK(s == 6);
    z.erase_range(10, 20);
    CHECK(z.size() == 90);
    z.erase_range(0, 1000);
    CHECK(z.size() == 0);
    CHECK(c->size() == 100);
    std::set<std::string> seen;
    uint64_t cur = 0;
    do {
      cur = c->scan(cur, [&](std::string_view k, double) { seen.insert(std::string(k)); });
    } while (cur);
    CHECK(seen.size() == 100);
    CHECK(c->memory() > 100);
  }
}

TEST_CASE("zset memory per member in the skiplist stays small") {
  ZSetObject z(ZSetLimits{128, 64});
  for (int i = 0; i < 1000; ++i) z.insert("member:" + std::to_string(100000 + i), i);
  CHECK_FALSE(z.packed());
  // Redis 7.0 spends ~120 bytes per such member (node + sds + dictEntry + bucket).
  CHECK(z.memory() / 1000 < 100);
}

}  // namespace
