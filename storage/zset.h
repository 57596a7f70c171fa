// zset.h — the sorted set value: unique members ordered by (score, member), in two encodings
// as Redis 7.
//
// Owns: ZSetObject and its encodings. Must not include: sockets, libuv, protocol, server/.
// The encoding limits come in from the caller (the server's Config) as ZSetLimits.
//
// Encodings (OBJECT ENCODING names):
// - "listpack": count <= zset-max-listpack-entries and every member <= zset-max-listpack-value
//   bytes. One exact-size malloc of entries [varint len][member bytes][8-byte double], sorted
//   by (score, member); every operation is a linear walk (the array is small by construction).
// - "skiplist": a skiplist with spans (rank in O(log n)) whose nodes are also the nodes of a
//   Dict keyed by member (score lookup in O(1)). One malloc per member holds the dict link,
//   score, backward link, level array and the member bytes: a 13-byte member at level 1 is
//   one 64-byte chunk plus a bucket pointer (Redis 7.0: a skiplist node, an sds and a
//   dictEntry, three chunks).
//
// Conversions: a listpack becomes a skiplist when an insert would pass either limit (as
// Redis's zsetAdd); shrink_if_fits() turns a skiplist back into a listpack (Redis's
// zsetConvertToListpackIfNeeded, used for STORE results).
//
// Order: members compare by score, then bytewise (memcmp, a shorter prefix first). Lex
// ranges assume equal scores (as Redis: with mixed scores the result is unspecified).
// Ranks are 0-based, ascending. Invariants: size() is the member count; no duplicates;
// scores are never NaN; an empty zset is legal here (the command layer deletes emptied keys).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/dict.h"
#include "storage/value.h"

namespace dq::storage {

struct ZSetLimits {
  size_t max_listpack_entries = 128;  // zset-max-listpack-entries
  size_t max_listpack_value = 64;     // zset-max-listpack-value
};

// One end of a lex range: "-" (NegInf), "+" (PosInf), or "[v" / "(v".
struct LexBound {
  enum class Kind : uint8_t { NegInf, PosInf, Value } kind = Kind::NegInf;
  bool exclusive = false;
  std::string value;
};

class ZSetObject final : public Object {
 public:
  // Redis's zsetTypeCreate: a listpack when size_hint and max_len fit the limits, else a
  // skiplist.
  ZSetObject(ZSetLimits limits, size_t size_hint = 0, size_t max_len = 0);
  ~ZSetObject() override;
  ZSetObject(const ZSetObject&) = delete;
  ZSetObject& operator=(const ZSetObject&) = delete;

  size_t memory() const override;
  Object* clone() const override;
  const char* encoding_name() const override { return packed_ ? "listpack" : "skiplist"; }
  // One allocation per member once a skiplist (UNLINK frees big ones off the loop).
  size_t free_effort() const override { return packed_ ? 1 : size(); }

  bool packed() const { return packed_; }
  size_t size() const { return packed_ ? lp_count_ : length_; }
  bool empty() const { return size() == 0; }

  // Score of m; false if m is not a member.
  bool score(std::string_view m, double* out) const;
  // Inserts a member that is not present (converting to a skiplist first if needed).
  void insert(std::string_view m, double score);
  // Sets the score of a present member.
  void update(std::string_view m, double score);
  // Removes m; false if it was not a member.
  bool erase(std::string_view m);

  // Rank of m (ascending, 0-based); false if not a member.
  bool rank(std::string_view m, size_t* out) const;
  // Number of members with score < s (inclusive=false) or <= s (inclusive=true).
  size_t count_below(double s, bool inclusive) const;
  // Number of members before a lex bound used as a range's lower end (lower=true: the first
  // rank inside) or upper end (lower=false: one past the last rank inside).
  size_t lex_rank(const LexBound& b, bool lower) const;
  // Ranks [lo, hi) of a score range; lo >= hi when empty.
  void score_range(double min, bool minex, double max, bool maxex, size_t* lo, size_t* hi) const;
  void lex_range(const LexBound& min, const LexBound& max, size_t* lo, size_t* hi) const;

  // Calls fn(string_view member, double score) for ranks [lo, hi) ascending, or, reverse,
  // from hi-1 down to lo. fn must not mutate the zset.
  template <class Fn>
  void for_range(size_t lo, size_t hi, bool reverse, Fn&& fn) const;
  // Calls fn(string_view member, double score) for ranks [lo, hi) ascending while it returns
  // true (geo searches stop as soon as COUNT ... ANY has enough).
  template <class Fn>
  void for_range_while(size_t lo, size_t hi, Fn&& fn) const;
  // Member and score at a rank (< size()).
  void at(size_t rank, std::string* member, double* score) const;
  // Removes ranks [lo, hi).
  void erase_range(size_t lo, size_t hi);

  // Skiplist -> listpack when the zset fits the listpack limits (STORE results).
  void shrink_if_fits();
  void convert_to_skiplist();

  // One ZSCAN step: a listpack is returned whole with cursor 0 (as Redis); a skiplist visits
  // one Dict scan step. Returns the next cursor.
  template <class Fn>
  uint64_t scan(uint64_t cursor, Fn&& fn) const;

  static int compare(double s1, std::string_view m1, double s2, std::string_view m2);

 private:
  static constexpr int kMaxLevel = 32;
  struct Node;
  struct Level {
    Node* forward;
    size_t span;
  };
  struct Node {
    Node* next;  // Dict chain
    Node* backward;
    double score;
    uint32_t len;
    uint32_t level;
    Level* levels() { return reinterpret_cast<Level*>(this + 1); }
    const Level* levels() const { return reinterpret_cast<const Level*>(this + 1); }
    std::string_view key() const {
      return std::string_view(reinterpret_cast<const char*>(levels() + level), len);
    }
    size_t alloc_size() const { return sizeof(Node) + level * sizeof(Level) + len; }
  };

  // --- listpack ---
  struct LpItem {
    std::string_view member;
    double score;
    uint32_t off, next;  // this entry's offset and the next one's
  };
  LpItem lp_item(uint32_t off) const;
  bool lp_find(std::string_view m, LpItem* out) const;
  void lp_insert(std::string_view m, double score);
  void lp_erase(const LpItem& it);
  void lp_reserve(size_t add);

  // --- skiplist ---
  static Node* make_node(int level, std::string_view m, double score);
  static int random_level();
  void sl_init();
  void sl_link(Node* x);           // inserts x at its (score, member) position
  void sl_unlink(Node* x);         // removes x from the skiplist (not from the dict)
  Node* sl_at(size_t rank) const;  // 0-based
  void free_skiplist();

  ZSetLimits limits_;
  bool packed_ = true;
  // listpack
  char* lp_ = nullptr;
  uint32_t lp_len_ = 0, lp_cap_ = 0, lp_count_ = 0;
  // skiplist
  Dict<Node> dict_;
  Node* header_ = nullptr;
  Node* tail_ = nullptr;
  size_t length_ = 0;
  int level_ = 1;
  size_t node_bytes_ = 0;
};

template <class Fn>
void ZSetObject::for_range(size_t lo, size_t hi, bool reverse, Fn&& fn) const {
  if (hi > size()) hi = size();
  if (lo >= hi) return;
  if (packed_) {
    // Collect offsets (the array is small) so both directions are one walk.
    uint32_t offs_small[256];
    std::vector<uint32_t> offs_big;
    uint32_t* offs = offs_small;
    size_t n = hi - lo;
    if (n > 256) {
      offs_big.resize(n);
      offs = offs_big.data();
    }
    uint32_t off = 0;
    for (size_t i = 0; i < hi; ++i) {
      LpItem it = lp_item(off);
      if (i >= lo) offs[i - lo] = off;
      off = it.next;
    }
    for (size_t k = 0; k < n; ++k) {
      LpItem it = lp_item(offs[reverse ? n - 1 - k : k]);
      fn(it.member, it.score);
    }
    return;
  }
  if (!reverse) {
    const Node* x = sl_at(lo);
    for (size_t i = lo; i < hi && x; ++i, x = x->levels()[0].forward) fn(x->key(), x->score);
  } else {
    const Node* x = sl_at(hi - 1);
    for (size_t i = hi; i > lo && x; --i, x = x->backward) fn(x->key(), x->score);
  }
}

template <class Fn>
void ZSetObject::for_range_while(size_t lo, size_t hi, Fn&& fn) const {
  if (hi > size()) hi = size();
  if (lo >= hi) return;
  if (packed_) {
    uint32_t off = 0;
    for (size_t i = 0; i < hi; ++i) {
      LpItem it = lp_item(off);
      if (i >= lo && !fn(it.member, it.score)) return;
      off = it.next;
    }
    return;
  }
  const Node* x = sl_at(lo);
  for (size_t i = lo; i < hi && x; ++i, x = x->levels()[0].forward)
    if (!fn(x->key(), x->score)) return;
}

template <class Fn>
uint64_t ZSetObject::scan(uint64_t cursor, Fn&& fn) const {
  if (packed_) {
    for_range(0, size(), false, fn);
    return 0;
  }
  return dict_.scan(cursor, [&](Node* n) { fn(n->key(), n->score); });
}

}  // namespace dq::storage
