// Unit tests for storage/stream.h: append (auto, ms-*, explicit IDs), seek and ranges in both
// directions, exact and approximate trims, XDEL, block splits by entries and by bytes, the
// listpack-size bookkeeping (check()), consumer-group PELs, clone, and a randomized model test
// against std::map. Links only the storage library.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "storage/stream.h"

namespace {

using dq::storage::Status;
using dq::storage::StreamEntry;
using dq::storage::StreamID;
using dq::storage::StreamIdMode;
using dq::storage::StreamIterator;
using dq::storage::StreamLimits;
using dq::storage::StreamObject;
using dq::storage::TrimArgs;
using dq::storage::TrimStrategy;

using Fields = std::vector<std::pair<std::string, std::string>>;
using Model = std::map<StreamID, Fields>;

StreamID add(StreamObject& s, StreamID id, const Fields& f, StreamLimits lim = {},
             StreamIdMode mode = StreamIdMode::Explicit, int64_t now = 0) {
  std::vector<std::string_view> fv;
  for (const auto& [k, v] : f) {
    fv.push_back(k);
    fv.push_back(v);
  }
  StreamID out;
  REQUIRE(s.add(mode, id, now, fv, lim, &out) == Status::Ok);
  return out;
}

std::vector<std::pair<StreamID, Fields>> range(const StreamObject& s, StreamID a, StreamID b,
                                               bool rev, size_t count = 0) {
  std::vector<std::pair<StreamID, Fields>> out;
  StreamIterator it(s, a, b, rev);
  StreamEntry e;
  while (it.next(&e)) {
    Fields f;
    e.for_each([&](std::string_view k, std::string_view v) { f.emplace_back(k, v); });
    CHECK(f.size() == e.nfields);
    out.emplace_back(e.id, std::move(f));
    if (count && out.size() == count) break;
  }
  return out;
}

std::vector<std::pair<StreamID, Fields>> model_range(const Model& m, StreamID a, StreamID b,
                                                     bool rev, size_t count = 0) {
  std::vector<std::pair<StreamID, Fields>> out;
  if (a > b) return out;
  if (!rev) {
    for (auto it = m.lower_bound(a); it != m.end() && it->first <= b; ++it) {
      out.emplace_back(*it);
      if (count && out.size() == count) break;
    }
  } else {
    auto it = m.upper_bound(b);
    while (it != m.begin()) {
      --it;
      if (it->first < a) break;
      out.emplace_back(*it);
      if (count && out.size() == count) break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("stream: ids order, increment, format") {
  StreamID a{1, 2}, b{1, 3}, c{2, 0};
  CHECK(a < b);
  CHECK(b < c);
  StreamID x{1, UINT64_MAX};
  CHECK(x.incr());
  CHECK(x == StreamID{2, 0});
  CHECK(x.decr());
  CHECK(x == StreamID{1, UINT64_MAX});
  StreamID m = StreamID::max();
  CHECK_FALSE(m.incr());
  CHECK(m.is_zero());
  CHECK_FALSE(m.decr());
  CHECK(m == StreamID::max());
  char buf[dq::storage::kStreamIdBuf];
  size_t n = dq::storage::format_stream_id(StreamID::max(), buf);
  CHECK(std::string(buf, n) == "18446744073709551615-18446744073709551615");
}

TEST_CASE("stream: append with generated and explicit ids") {
  StreamObject s;
  CHECK(add(s, {}, {{"a", "1"}}, {}, StreamIdMode::Auto, 1000) == StreamID{1000, 0});
  CHECK(add(s, {}, {{"a", "2"}}, {}, StreamIdMode::Auto, 1000) == StreamID{1000, 1});
  CHECK(add(s, {}, {{"a", "3"}}, {}, StreamIdMode::Auto, 999) == StreamID{1000, 2});
  CHECK(add(s, {1000, 0}, {{"a", "4"}}, {}, StreamIdMode::AutoSeq) == StreamID{1000, 3});
  CHECK(add(s, {2000, 0}, {{"a", "5"}}, {}, StreamIdMode::AutoSeq) == StreamID{2000, 0});
  CHECK(add(s, {2000, 7}, {{"b", "6"}, {"c", "7"}}) == StreamID{2000, 7});
  std::vector<std::string_view> fv{"x", "y"};
  StreamID out;
  CHECK(s.add(StreamIdMode::Explicit, {2000, 7}, 0, fv, {}, &out) == Status::OutOfRange);
  CHECK(s.add(StreamIdMode::Explicit, {5, 0}, 0, fv, {}, &out) == Status::OutOfRange);
  CHECK(s.add(StreamIdMode::AutoSeq, {1999, 0}, 0, fv, {}, &out) == Status::OutOfRange);
  CHECK(s.length() == 6);
  CHECK(s.entries_added() == 6);
  CHECK(s.last_id() == StreamID{2000, 7});
  CHECK(s.first_id() == StreamID{1000, 0});
  auto all = range(s, {}, StreamID::max(), false);
  REQUIRE(all.size() == 6);
  CHECK(all[5].second == Fields{{"b", "6"}, {"c", "7"}});
  CHECK(all[0].second == Fields{{"a", "1"}});
  CHECK(s.check() == "");
}

TEST_CASE("stream: sequence exhausted for ms-*") {
  StreamObject s;
  add(s, {5, UINT64_MAX}, {{"f", "v"}});
  std::vector<std::string_view> fv{"f", "v"};
  StreamID out;
  CHECK(s.add(StreamIdMode::AutoSeq, {5, 0}, 0, fv, {}, &out) == Status::OutOfRange);
  CHECK(s.add(StreamIdMode::AutoSeq, {6, 0}, 0, fv, {}, &out) == Status::Ok);
  CHECK(out == StreamID{6, 0});
}

TEST_CASE("stream: blocks split by entry count and by bytes") {
  StreamObject s;
  StreamLimits lim{4096, 10};
  for (uint64_t i = 1; i <= 95; ++i) add(s, {i, 0}, {{"f", "v" + std::to_string(i)}}, lim);
  CHECK(s.block_count() == 10);
  CHECK(s.check() == "");

  StreamObject t;
  StreamLimits bytes{200, 0};
  std::string big(60, 'x');
  for (uint64_t i = 1; i <= 20; ++i) add(t, {i, 0}, {{"field", big}}, bytes);
  // Each entry adds ~70 listpack bytes: a block closes once lp + 65 >= 200.
  CHECK(t.block_count() > 5);
  CHECK(t.check() == "");
  auto all = range(t, {}, StreamID::max(), false);
  CHECK(all.size() == 20);
}

TEST_CASE("stream: fields differing from the master entry") {
  StreamObject s;
  add(s, {1, 0}, {{"a", "1"}, {"b", "2"}});
  add(s, {2, 0}, {{"a", "3"}, {"b", "4"}});
  add(s, {3, 0}, {{"a", "5"}});
  add(s, {4, 0}, {{"b", "6"}, {"a", "7"}});
  add(s, {5, 0}, {{"", ""}, {"12345", "-7"}});
  auto all = range(s, {}, StreamID::max(), false);
  REQUIRE(all.size() == 5);
  CHECK(all[1].second == Fields{{"a", "3"}, {"b", "4"}});
  CHECK(all[2].second == Fields{{"a", "5"}});
  CHECK(all[3].second == Fields{{"b", "6"}, {"a", "7"}});
  CHECK(all[4].second == Fields{{"", ""}, {"12345", "-7"}});
  CHECK(s.check() == "");
}

TEST_CASE("stream: integer values stored compactly come back byte for byte") {
  StreamObject s;
  Fields f{{"a", "0"},
           {"b", "-1"},
           {"c", "1999"},
           {"d", "1700000000000"},
           {"e", "-9223372036854775808"},
           {"f", "9223372036854775807"},
           {"g", "2305843009213693951"},
           {"h", "2305843009213693952"},
           {"i", "-2305843009213693951"},
           {"j", "007"},
           {"k", "-0"},
           {"l", "+5"},
           {"m", " 5"},
           {"n", std::string(70, 'x')}};
  add(s, {1, 0}, f);
  add(s, {2, 0}, f);
  Fields g{{"x", "12"}, {"y", "abc"}};
  add(s, {3, 0}, g);
  auto all = range(s, {}, StreamID::max(), false);
  REQUIRE(all.size() == 3);
  CHECK(all[0].second == f);
  CHECK(all[1].second == f);
  CHECK(all[2].second == g);
  CHECK(range(s, {}, StreamID::max(), true)[0].second == g);
  CHECK(s.check() == "");
}

TEST_CASE("stream: seek and ranges both directions across blocks") {
  StreamObject s;
  Model m;
  StreamLimits lim{4096, 7};
  for (uint64_t i = 1; i <= 100; ++i) {
    Fields f{{"k", std::to_string(i)}};
    StreamID id{i * 10, i % 3};
    add(s, id, f, lim);
    m[id] = f;
  }
  CHECK(range(s, {}, StreamID::max(), false) == model_range(m, {}, StreamID::max(), false));
  CHECK(range(s, {}, StreamID::max(), true) == model_range(m, {}, StreamID::max(), true));
  CHECK(range(s, {155, 0}, {455, 0}, false) == model_range(m, {155, 0}, {455, 0}, false));
  CHECK(range(s, {155, 0}, {455, 0}, true) == model_range(m, {155, 0}, {455, 0}, true));
  CHECK(range(s, {500, 2}, {500, 2}, false).size() == 1);
  CHECK(range(s, {500, 1}, {500, 1}, false).empty());
  CHECK(range(s, {0, 0}, {5, 0}, true).empty());
  CHECK(range(s, {2000, 0}, StreamID::max(), false).empty());
  CHECK(range(s, {300, 0}, {200, 0}, false).empty());
  CHECK(range(s, {300, 0}, StreamID::max(), false, 3) ==
        model_range(m, {300, 0}, StreamID::max(), false, 3));
  CHECK(s.exists({500, 2}));
  CHECK_FALSE(s.exists({500, 3}));
}

TEST_CASE("stream: exact and approximate MAXLEN trims") {
  StreamLimits lim{4096, 10};
  {
    StreamObject s;
    for (uint64_t i = 1; i <= 95; ++i) add(s, {i, 0}, {{"f", "v"}}, lim);
    TrimArgs t;
    t.strategy = TrimStrategy::MaxLen;
    t.maxlen = 42;
    CHECK(s.trim(t) == 53);
    CHECK(s.length() == 42);
    CHECK(s.first_id() == StreamID{54, 0});
    CHECK(s.check() == "");
    auto all = range(s, {}, StreamID::max(), false);
    CHECK(all.front().first == StreamID{54, 0});
  }
  {
    StreamObject s;
    for (uint64_t i = 1; i <= 95; ++i) add(s, {i, 0}, {{"f", "v"}}, lim);
    TrimArgs t;
    t.strategy = TrimStrategy::MaxLen;
    t.approx = true;
    t.maxlen = 42;
    t.limit = 1000;
    // Only whole blocks of 10 go: 95 -> 45 (removing one more block would leave 35 < 42).
    CHECK(s.trim(t) == 50);
    CHECK(s.length() == 45);
    CHECK(s.block_count() == 5);
    CHECK(s.first_id() == StreamID{51, 0});
    t.limit = 5;  // less than one block: nothing
    t.maxlen = 0;
    CHECK(s.trim(t) == 0);
    t.limit = 25;  // two blocks
    CHECK(s.trim(t) == 20);
    CHECK(s.length() == 25);
    CHECK(s.check() == "");
  }
}

TEST_CASE("stream: MINID trims, tombstones and empty blocks") {
  StreamLimits lim{4096, 10};
  StreamObject s;
  for (uint64_t i = 1; i <= 30; ++i) add(s, {i, 0}, {{"f", "v"}}, lim);
  TrimArgs t;
  t.strategy = TrimStrategy::MinId;
  t.minid = {15, 0};
  CHECK(s.trim(t) == 14);
  CHECK(s.first_id() == StreamID{15, 0});
  CHECK(s.length() == 16);
  CHECK(s.block_count() == 2);
  // A block whose remaining live entries are all below minid but whose last entry is a
  // tombstone at or above it stays, emptied (as Redis).
  StreamID del[] = {{20, 0}};
  CHECK(s.erase(del) == 1);
  t.minid = {20, 0};
  CHECK(s.trim(t) == 5);
  CHECK(s.length() == 10);
  CHECK(s.block_count() == 2);
  CHECK(s.first_id() == StreamID{21, 0});
  CHECK(s.check() == "");
  CHECK(range(s, {}, StreamID::max(), false).size() == 10);
  t.minid = StreamID::max();
  CHECK(s.trim(t) == 10);
  CHECK(s.length() == 0);
  CHECK(s.first_id() == StreamID{});
  CHECK(s.block_count() == 0);
}

TEST_CASE("stream: XDEL flags entries, frees emptied blocks, tracks first and max deleted") {
  StreamLimits lim{4096, 3};
  StreamObject s;
  for (uint64_t i = 1; i <= 9; ++i) add(s, {i, 0}, {{"f", std::to_string(i)}}, lim);
  CHECK(s.block_count() == 3);
  StreamID a[] = {{1, 0}, {5, 0}, {77, 0}};
  CHECK(s.erase(a) == 2);
  CHECK(s.max_deleted_id() == StreamID{5, 0});
  CHECK(s.first_id() == StreamID{2, 0});
  StreamID b[] = {{4, 0}, {6, 0}};
  CHECK(s.erase(b) == 2);
  CHECK(s.block_count() == 2);  // block 4..6 emptied and freed
  StreamID c[] = {{3, 0}, {3, 0}};
  CHECK(s.erase(c) == 1);
  CHECK(s.length() == 4);
  CHECK(s.check() == "");
  auto all = range(s, {}, StreamID::max(), true);
  REQUIRE(all.size() == 4);
  CHECK(all[0].first == StreamID{9, 0});
  CHECK(all[3].first == StreamID{2, 0});
  StreamID d[] = {{2, 0}, {7, 0}, {8, 0}, {9, 0}};
  CHECK(s.erase(d) == 4);
  CHECK(s.length() == 0);
  CHECK(s.first_id() == StreamID{});
  CHECK(s.block_count() == 0);
  CHECK(s.last_id() == StreamID{9, 0});
  // New entries go to a fresh block.
  add(s, {10, 0}, {{"f", "x"}}, lim);
  CHECK(s.first_id() == StreamID{10, 0});
  CHECK(s.check() == "");
}

TEST_CASE("stream: entries-read estimates and lag") {
  StreamObject s;
  for (uint64_t i = 1; i <= 5; ++i) add(s, {i, 0}, {{"f", "v"}});
  auto* g = s.create_group("g", {}, 0);
  REQUIRE(g);
  CHECK(s.create_group("g", {}, 0) == nullptr);
  int64_t lag;
  CHECK(s.group_lag(*g, &lag));
  CHECK(lag == 5);
  s.group_advance(*g, {1, 0});
  s.group_advance(*g, {2, 0});
  CHECK(g->entries_read == 2);
  CHECK(s.group_lag(*g, &lag));
  CHECK(lag == 3);
  CHECK(s.estimate_distance({0, 1}) == 0);
  CHECK(s.estimate_distance({1, 0}) == 1);
  StreamID d[] = {{4, 0}};
  s.erase(d);
  CHECK_FALSE(s.group_lag(*g, &lag));  // a tombstone ahead of the group
  CHECK(s.estimate_distance({5, 0}) == 5);
  CHECK(s.estimate_distance({0, 1}) == dq::storage::kInvalidEntriesRead);
  CHECK(s.estimate_distance({9, 0}) == dq::storage::kInvalidEntriesRead);
}

TEST_CASE("stream: consumer group PEL ownership") {
  StreamObject s;
  for (uint64_t i = 1; i <= 4; ++i) add(s, {i, 0}, {{"f", "v"}});
  auto* g = s.create_group("g", {}, 0);
  auto* alice = g->create_consumer("alice", 100);
  auto* bob = g->create_consumer("bob", 100);
  CHECK(g->create_consumer("alice", 100) == nullptr);
  g->deliver({1, 0}, alice, 200);
  g->deliver({2, 0}, alice, 200);
  g->deliver({3, 0}, bob, 200);
  CHECK(g->pel.size() == 3);
  CHECK(alice->pel.size() == 2);
  // Delivering a pending entry again moves it and resets its count.
  g->pel.at({2, 0}).delivery_count = 5;
  g->deliver({2, 0}, bob, 300);
  CHECK(alice->pel.size() == 1);
  CHECK(bob->pel.size() == 2);
  CHECK(g->pel.at({2, 0}).delivery_count == 1);
  g->assign({1, 0}, &g->pel.at({1, 0}), bob);
  CHECK(alice->pel.empty());
  CHECK(g->ack({3, 0}));
  CHECK_FALSE(g->ack({3, 0}));
  CHECK(s.check() == "");
  std::unique_ptr<StreamObject> copy(static_cast<StreamObject*>(s.clone()));
  CHECK(copy->check() == "");
  CHECK(copy->find_group("g")->find_consumer("bob")->pel.size() == 2);
  CHECK(g->delete_consumer(bob) == 2);
  CHECK(g->pel.empty());
  CHECK(s.check() == "");
  CHECK(copy->find_group("g")->pel.size() == 2);
  CHECK(s.destroy_group("g"));
  CHECK_FALSE(s.destroy_group("g"));
}

TEST_CASE("stream: rax node count of block keys") {
  StreamObject s;
  CHECK(s.rax_node_count() == 1);
  StreamLimits lim{4096, 1};
  add(s, {1, 0}, {{"f", "v"}}, lim);
  CHECK(s.rax_node_count() == 2);
  add(s, {2, 0}, {{"f", "v"}}, lim);
  // root "0..0" (7 bytes) compressed, a branch on byte 7, two children leading to leaves.
  CHECK(s.rax_node_count() == 6);
}

TEST_CASE("stream: randomized model test against std::map") {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 20; ++round) {
    StreamLimits lim{static_cast<int64_t>(64 + rng() % 600), static_cast<int64_t>(rng() % 12)};
    StreamObject s;
    Model m;
    uint64_t ms = 1;
    for (int op = 0; op < 1500; ++op) {
      int kind = static_cast<int>(rng() % 100);
      if (kind < 60) {
        ms += rng() % 3;
        Fields f;
        size_t nf = 1 + rng() % 3;
        for (size_t i = 0; i < nf; ++i) {
          std::string k = (rng() % 4) ? "f" + std::to_string(i) : "g" + std::to_string(rng() % 5);
          if (rng() % 3 == 0)
            f.emplace_back(k, std::to_string(static_cast<int64_t>(rng()) >> (rng() % 64)));
          else
            f.emplace_back(k, std::string(rng() % 20, static_cast<char>('a' + rng() % 26)));
        }
        StreamID id = add(s, {ms, 0}, f, lim, StreamIdMode::AutoSeq);
        m[id] = f;
      } else if (kind < 75 && !m.empty()) {
        std::vector<StreamID> ids;
        for (int k = 0; k < 3; ++k) {
          auto it = m.begin();
          std::advance(it, static_cast<long>(rng() % m.size()));
          ids.push_back(rng() % 5 ? it->first : StreamID{it->first.ms, it->first.seq + 1000});
        }
        size_t want = 0;
        for (StreamID id : ids) want += m.erase(id);
        CHECK(s.erase(ids) == want);
      } else if (kind < 82) {
        TrimArgs t;
        t.strategy = TrimStrategy::MaxLen;
        t.maxlen = static_cast<int64_t>(rng() % 200);
        t.approx = rng() % 2;
        t.limit = t.approx ? static_cast<int64_t>(rng() % 100) : 0;
        size_t before = m.size();
        int64_t removed = s.trim(t);
        CHECK(static_cast<size_t>(removed) <= before);
        if (!t.approx) CHECK(s.length() == std::min<size_t>(before, static_cast<size_t>(t.maxlen)));
        for (int64_t k = 0; k < removed; ++k) m.erase(m.begin());
      } else if (kind < 87 && !m.empty()) {
        TrimArgs t;
        t.strategy = TrimStrategy::MinId;
        auto it = m.begin();
        std::advance(it, static_cast<long>(rng() % m.size()));
        t.minid = it->first;
        t.approx = rng() % 2;
        t.limit = t.approx ? 1000 : 0;
        int64_t removed = s.trim(t);
        for (int64_t k = 0; k < removed; ++k) m.erase(m.begin());
        if (!t.approx) CHECK((m.empty() || m.begin()->first >= t.minid));
      } else {
        StreamID a{rng() % (ms + 2), rng() % 3}, b{rng() % (ms + 2), rng() % 3};
        if (a > b) std::swap(a, b);
        bool rev = rng() % 2;
        size_t count = rng() % 4 ? 0 : 1 + rng() % 5;
        CHECK(range(s, a, b, rev, count) == model_range(m, a, b, rev, count));
      }
      CHECK(s.length() == m.size());
      if (op % 100 == 0) REQUIRE(s.check() == "");
    }
    REQUIRE(s.check() == "");
    CHECK(range(s, {}, StreamID::max(), false) == model_range(m, {}, StreamID::max(), false));
    CHECK(range(s, {}, StreamID::max(), true) == model_range(m, {}, StreamID::max(), true));
    if (!m.empty()) {
      StreamID first, last;
      CHECK(s.first_entry_id(&first));
      CHECK(s.last_entry_id(&last));
      CHECK(first == m.begin()->first);
      CHECK(last == m.rbegin()->first);
    }
  }
}
