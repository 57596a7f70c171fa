// PubSub registry: ordering, counts, namespaces, pattern matching, and a randomized model.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/pubsub.h"

using dq::storage::PubSub;
using dq::storage::SubKind;
using dq::storage::Subscriber;

namespace {
int a_, b_, c_;
const Subscriber A = &a_, B = &b_, C = &c_;

// (subscriber, pattern or "") for a publish.
std::vector<std::pair<Subscriber, std::string>> receivers(const PubSub& ps, SubKind k,
                                                          std::string_view ch) {
  std::vector<std::pair<Subscriber, std::string>> out;
  size_t n = ps.for_each_receiver(k, ch, [&](Subscriber s, const std::string* p) {
    out.emplace_back(s, p ? *p : std::string());
  });
  REQUIRE(n == out.size());
  return out;
}
}  // namespace

TEST_CASE("pubsub: subscribe is idempotent and counts per kind") {
  PubSub ps;
  CHECK(ps.subscribe(SubKind::Channel, "news", A));
  CHECK_FALSE(ps.subscribe(SubKind::Channel, "news", A));
  CHECK(ps.subscribe(SubKind::Channel, "sport", A));
  CHECK(ps.subscribe(SubKind::Pattern, "n*", A));
  CHECK(ps.subscribe(SubKind::Shard, "news", A));
  CHECK(ps.count(SubKind::Channel, A) == 2);
  CHECK(ps.count(SubKind::Pattern, A) == 1);
  CHECK(ps.count(SubKind::Shard, A) == 1);
  CHECK(ps.total(A) == 4);
  CHECK(ps.total(B) == 0);
  CHECK(ps.subscribers() == 1);
  CHECK(ps.active(SubKind::Channel) == 2);
  CHECK(ps.active(SubKind::Pattern) == 1);
  CHECK(ps.active(SubKind::Shard) == 1);
}

TEST_CASE("pubsub: delivery order is subscription order, then patterns in creation order") {
  PubSub ps;
  ps.subscribe(SubKind::Channel, "ch", B);
  ps.subscribe(SubKind::Channel, "ch", A);
  ps.subscribe(SubKind::Pattern, "c*", C);
  ps.subscribe(SubKind::Pattern, "?h", A);
  ps.subscribe(SubKind::Pattern, "c*", A);
  ps.subscribe(SubKind::Pattern, "x*", B);
  auto r = receivers(ps, SubKind::Channel, "ch");
  REQUIRE(r.size() == 5);
  CHECK(r[0] == std::make_pair(B, std::string()));
  CHECK(r[1] == std::make_pair(A, std::string()));
  CHECK(r[2] == std::make_pair(C, std::string("c*")));
  CHECK(r[3] == std::make_pair(A, std::string("c*")));
  CHECK(r[4] == std::make_pair(A, std::string("?h")));
  CHECK(receivers(ps, SubKind::Channel, "zz").empty());
  CHECK(ps.numsub(SubKind::Channel, "ch") == 2);
  CHECK(ps.numsub(SubKind::Pattern, "c*") == 2);
}

TEST_CASE("pubsub: shard channels are a separate namespace") {
  PubSub ps;
  ps.subscribe(SubKind::Shard, "s", A);
  ps.subscribe(SubKind::Pattern, "*", B);
  ps.subscribe(SubKind::Channel, "s", C);
  auto shard = receivers(ps, SubKind::Shard, "s");
  REQUIRE(shard.size() == 1);
  CHECK(shard[0].first == A);
  auto plain = receivers(ps, SubKind::Channel, "s");
  REQUIRE(plain.size() == 2);
  CHECK(plain[0].first == C);
  CHECK(plain[1].first == B);
  CHECK(ps.numsub(SubKind::Shard, "s") == 1);
  CHECK(ps.numsub(SubKind::Channel, "s") == 1);
}

TEST_CASE("pubsub: unsubscribe removes empty names; unsubscribe_all keeps order") {
  PubSub ps;
  ps.subscribe(SubKind::Channel, "c3", A);
  ps.subscribe(SubKind::Channel, "c1", A);
  ps.subscribe(SubKind::Channel, "c2", A);
  ps.subscribe(SubKind::Channel, "c1", B);
  CHECK_FALSE(ps.unsubscribe(SubKind::Channel, "nope", A));
  CHECK_FALSE(ps.unsubscribe(SubKind::Channel, "c1", C));
  CHECK_FALSE(ps.unsubscribe(SubKind::Pattern, "c1", A));
  CHECK(ps.unsubscribe(SubKind::Channel, "c2", A));
  CHECK(ps.active(SubKind::Channel) == 2);
  auto all = ps.unsubscribe_all(SubKind::Channel, A);
  CHECK(all == std::vector<std::string>{"c3", "c1"});
  CHECK(ps.count(SubKind::Channel, A) == 0);
  CHECK(ps.active(SubKind::Channel) == 1);
  CHECK(ps.numsub(SubKind::Channel, "c1") == 1);
  CHECK(ps.subscribers() == 1);
  CHECK(ps.unsubscribe_all(SubKind::Channel, A).empty());
}

TEST_CASE("pubsub: forget drops every kind") {
  PubSub ps;
  ps.subscribe(SubKind::Channel, "a", A);
  ps.subscribe(SubKind::Pattern, "a*", A);
  ps.subscribe(SubKind::Shard, "a", A);
  ps.subscribe(SubKind::Pattern, "a*", B);
  ps.forget(A);
  CHECK(ps.total(A) == 0);
  CHECK(ps.active(SubKind::Channel) == 0);
  CHECK(ps.active(SubKind::Shard) == 0);
  CHECK(ps.active(SubKind::Pattern) == 1);
  CHECK(ps.subscribers() == 1);
  ps.forget(A);  // twice is harmless
  ps.forget(B);
  CHECK(ps.subscribers() == 0);
  CHECK(ps.active(SubKind::Pattern) == 0);
}

TEST_CASE("pubsub: names filter with Redis globs") {
  PubSub ps;
  for (const char* n : {"news.it", "news.art", "sport", "n[x]", "a*b"})
    ps.subscribe(SubKind::Channel, n, A);
  CHECK(ps.names(SubKind::Channel, nullptr).size() == 5);
  std::string_view p1 = "news.*";
  CHECK(ps.names(SubKind::Channel, &p1) == std::vector<std::string_view>{"news.it", "news.art"});
  std::string_view p2 = "[m-o]*";
  CHECK(ps.names(SubKind::Channel, &p2).size() == 3);
  std::string_view p3 = "n\\[x\\]";
  CHECK(ps.names(SubKind::Channel, &p3) == std::vector<std::string_view>{"n[x]"});
  std::string_view p4 = "a\\*b";
  CHECK(ps.names(SubKind::Channel, &p4) == std::vector<std::string_view>{"a*b"});
  std::string_view p5 = "news.?t";
  CHECK(ps.names(SubKind::Channel, &p5) == std::vector<std::string_view>{"news.it"});
}

TEST_CASE("pubsub: pattern receivers use globs with classes and escapes") {
  PubSub ps;
  ps.subscribe(SubKind::Pattern, "h[ae]llo", A);
  ps.subscribe(SubKind::Pattern, "h[^e]llo", B);
  ps.subscribe(SubKind::Pattern, "h\\*", C);
  CHECK(receivers(ps, SubKind::Channel, "hello").size() == 1);
  CHECK(receivers(ps, SubKind::Channel, "hallo").size() == 2);
  CHECK(receivers(ps, SubKind::Channel, "hxllo").size() == 1);
  CHECK(receivers(ps, SubKind::Channel, "h*").size() == 1);
  CHECK(receivers(ps, SubKind::Channel, "hx").empty());
}

TEST_CASE("pubsub: a name passed as a view into the registry survives unsubscribe") {
  PubSub ps;
  ps.subscribe(SubKind::Channel, "only", A);
  std::string_view view = ps.names(SubKind::Channel, nullptr)[0];
  CHECK(ps.unsubscribe(SubKind::Channel, view, A));
  CHECK(ps.active(SubKind::Channel) == 0);
}

TEST_CASE("pubsub: randomized against a model") {
  std::mt19937 rng(12345);
  PubSub ps;
  std::vector<int> ids(8);
  std::vector<Subscriber> subs;
  for (int& i : ids) subs.push_back(&i);
  // model: kind -> name -> ordered subscribers; subscriber -> kind -> ordered names
  std::map<int, std::map<std::string, std::vector<Subscriber>>> by_name;
  std::map<Subscriber, std::map<int, std::vector<std::string>>> by_sub;
  auto erase_from = [](auto& v, const auto& x) {
    auto it = std::find(v.begin(), v.end(), x);
    if (it == v.end()) return false;
    v.erase(it);
    return true;
  };
  for (int step = 0; step < 20000; ++step) {
    int kind = static_cast<int>(rng() % 3);
    SubKind k = static_cast<SubKind>(kind);
    Subscriber s = subs[rng() % subs.size()];
    std::string name = std::string(1, static_cast<char>('a' + rng() % 5)) +
                       (kind == 1 && rng() % 2 ? "*" : std::to_string(rng() % 3));
    int op = static_cast<int>(rng() % 10);
    if (op < 5) {
      auto& names = by_sub[s][kind];
      bool fresh = std::find(names.begin(), names.end(), name) == names.end();
      CHECK(ps.subscribe(k, name, s) == fresh);
      if (fresh) {
        names.push_back(name);
        by_name[kind][name].push_back(s);
      }
    } else if (op < 8) {
      bool had = erase_from(by_sub[s][kind], name);
      CHECK(ps.unsubscribe(k, name, s) == had);
      if (had) {
        erase_from(by_name[kind][name], s);
        if (by_name[kind][name].empty()) by_name[kind].erase(name);
      }
    } else if (op == 8) {
      auto want = by_sub[s][kind];
      CHECK(ps.unsubscribe_all(k, s) == want);
      for (auto& n : want) {
        erase_from(by_name[kind][n], s);
        if (by_name[kind][n].empty()) by_name[kind].erase(n);
      }
      by_sub[s][kind].clear();
    } else {
      for (int kk = 0; kk < 3; ++kk) {
        for (auto& n : by_sub[s][kk]) {
          erase_from(by_name[kk][n], s);
          if (by_name[kk][n].empty()) by_name[kk].erase(n);
        }
        by_sub[s][kk].clear();
      }
      ps.forget(s);
    }
    // Observables.
    for (int kk = 0; kk < 3; ++kk) {
      SubKind kx = static_cast<SubKind>(kk);
      REQUIRE(ps.active(kx) == by_name[kk].size());
      CHECK(ps.count(kx, s) == by_sub[s][kk].size());
      for (auto& [n, v] : by_name[kk]) REQUIRE(ps.numsub(kx, n) == v.size());
    }
    if (step % 50 == 0) {
      std::string ch =
          std::string(1, static_cast<char>('a' + rng() % 5)) + std::to_string(rng() % 3);
      std::vector<Subscriber> got, want;
      ps.for_each_receiver(SubKind::Channel, ch, [&](Subscriber x, const std::string* p) {
        if (!p) got.push_back(x);
      });
      auto it = by_name[0].find(ch);
      if (it != by_name[0].end()) want = it->second;
      CHECK(got == want);
    }
  }
  size_t holders = 0;
  for (auto& [s, m] : by_sub) {
    size_t t = 0;
    for (auto& [kk, v] : m) t += v.size();
    if (t) ++holders;
  }
  CHECK(ps.subscribers() == holders);
}
