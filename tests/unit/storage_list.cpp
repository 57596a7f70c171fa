// QueueList against a std::deque model: random operations, every observable compared.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <random>
#include <string>

#include "storage/list.h"

using dq::storage::ListLimits;
using dq::storage::QueueList;

namespace {
std::string random_value(std::mt19937& rng) {
  static const size_t sizes[] = {0, 1, 5, 20, 127, 128, 300, 5000, 10000};
  size_t n = sizes[rng() % 9];
  std::string s(n, 'a');
  for (auto& c : s) c = static_cast<char>('a' + rng() % 4);
  if (n > 0 && rng() % 3 == 0) s = std::string(1, static_cast<char>('a' + rng() % 4));
  return s;
}
void check_same(const QueueList& l, const std::deque<std::string>& m) {
  REQUIRE(l.size() == m.size());
  size_t i = 0;
  if (!m.empty()) l.range(0, m.size() - 1, [&](std::string_view v) { REQUIRE(v == m[i++]); });
  REQUIRE(i == m.size());
  i = 0;
  if (!m.empty())
    l.range_reverse(0, m.size() - 1,
                    [&](std::string_view v) { REQUIRE(v == m[m.size() - 1 - i++]); });
}
}  // namespace

TEST_CASE("list: push/pop both ends keep FIFO order") {
  QueueList l;
  for (int i = 0; i < 10000; ++i) l.push_back(std::to_string(i));
  std::string out;
  for (int i = 0; i < 10000; ++i) {
    REQUIRE(l.pop_front(&out));
    REQUIRE(out == std::to_string(i));
  }
  CHECK(l.empty());
  CHECK_FALSE(l.pop_back(&out));
}

TEST_CASE("list: compact encoding while it fits one node") {
  QueueList l;
  for (int i = 0; i < 100; ++i) l.push_back("x");
  CHECK(l.compact());
  for (int i = 0; i < 2000; ++i) l.push_back("some longer value");
  CHECK_FALSE(l.compact());
}

TEST_CASE("list: random operations match a deque model") {
  for (int size_class : {-2, -1, 5}) {
    std::mt19937 rng(1234 + size_class);
    QueueList l(ListLimits{size_class});
    std::deque<std::string> m;
    for (int step = 0; step < 4000; ++step) {
      int op = static_cast<int>(rng() % 11);
      std::string v = random_value(rng);
      std::string out;
      switch (op) {
        case 0:
          l.push_back(v);
          m.push_back(v);
          break;
        case 1:
          l.push_front(v);
          m.push_front(v);
          break;
        case 2:
          REQUIRE(l.pop_front(&out) == !m.empty());
          if (!m.empty()) {
            REQUIRE(out == m.front());
            m.pop_front();
          }
          break;
        case 3:
          REQUIRE(l.pop_back(&out) == !m.empty());
          if (!m.empty()) {
            REQUIRE(out == m.back());
            m.pop_back();
          }
          break;
        case 4:
          if (!m.empty()) {
            int64_t i = static_cast<int64_t>(rng() % m.size());
            REQUIRE(l.set(i, v));
            m[i] = v;
          }
          break;
        case 5: {
          std::string pivot = std::string(1, static_cast<char>('a' + rng() % 4));
          bool after = rng() % 2;
          auto it = std::find(m.begin(), m.end(), pivot);
          REQUIRE(l.insert(pivot, v, after) == (it != m.end()));
          if (it != m.end()) m.insert(after ? it + 1 : it, v);
          break;
        }
        case 6: {
          std::string x = std::string(1, static_cast<char>('a' + rng() % 4));
          int64_t count = static_cast<int64_t>(rng() % 5) - 2;
          size_t removed = l.remove(x, count);
          size_t want = 0;
          size_t limit = count == 0 ? SIZE_MAX : static_cast<size_t>(std::abs(count));
          if (count >= 0) {
            for (auto it = m.begin(); it != m.end() && want < limit;) {
              if (*it == x) {
                it = m.erase(it);
                ++want;
              } else
                ++it;
            }
          } else {
            for (size_t i = m.size(); i-- > 0 && want < limit;)
              if (m[i] == x) {
                m.erase(m.begin() + static_cast<long>(i));
                ++want;
              }
          }
          REQUIRE(removed == want);
          break;
        }
        case 7:
          if (!m.empty() && rng() % 4 == 0) {
            size_t a = rng() % m.size(), b = rng() % m.size();
            l.trim(a, b);
            if (a > b)
              m.clear();
            else
              m = std::deque<std::string>(m.begin() + a, m.begin() + b + 1);
          }
          break;
        case 8:
          if (!m.empty()) {
            int64_t i = static_cast<int64_t>(rng() % m.size()) -
                        (rng() % 2 ? static_cast<int64_t>(m.size()) : 0);
            REQUIRE(l.at(i, &out));
            REQUIRE(out == m[i < 0 ? i + m.size() : i]);
          }
          break;
        default:
          l.push_back(v);
          m.push_back(v);
          break;
      }
      if (step % 97 == 0) check_same(l, m);
    }
    check_same(l, m);
  }
}

TEST_CASE("list: positions (LPOS)") {
  QueueList l;
  for (const char* s : {"a", "b", "c", "1", "2", "3", "c", "c"}) l.push_back(s);
  CHECK(l.positions("c", 1, 1, 0) == std::vector<int64_t>{2});
  CHECK(l.positions("c", 2, 1, 0) == std::vector<int64_t>{6});
  CHECK(l.positions("c", -1, 1, 0) == std::vector<int64_t>{7});
  CHECK(l.positions("c", 1, 0, 0) == std::vector<int64_t>{2, 6, 7});
  CHECK(l.positions("c", -1, 2, 0) == std::vector<int64_t>{7, 6});
  CHECK(l.positions("c", 1, 0, 3) == std::vector<int64_t>{2});
  CHECK(l.positions("x", 1, 0, 0).empty());
}
