// set.h — the set value: unordered unique byte strings, in three encodings as Redis 7.2.
//
// Owns: SetObject and its encodings. Must not include: sockets, libuv, protocol, server/.
// The encoding limits come in from the caller (the server's Config) as SetLimits.
//
// Encodings (OBJECT ENCODING names), converted only upwards, never back:
// - "intset": every member is a canonical int64 (Redis's string2ll) and count <=
//   set-max-intset-entries. A sorted array of integers whose width (2, 4 or 8 bytes) is the
//   smallest that holds every member; one exact-size malloc. Iterates in ascending order.
// - "listpack": count <= set-max-listpack-entries and every member <= set-max-listpack-value
//   bytes. Members packed as [varint len][bytes] in insertion order in one exact-size malloc;
//   lookups are linear (the array is small by construction).
// - "hashtable": a Dict of nodes, each one malloc of [next pointer][varint len][bytes]: a
//   13-byte member costs a 32-byte chunk plus a bucket pointer (Redis 7.0: a 24-byte
//   dictEntry, a 24-byte sds and a bucket pointer).
//
// Conversions follow Redis 7.2's t_set.c: an intset takes a non-integer by becoming a
// listpack if it would fit (count < listpack entries, and the longest integer's digits and
// the new member <= listpack value), else a hashtable; an intset past its entry limit becomes
// a hashtable; a listpack that would pass either listpack limit becomes a hashtable.
//
// Invariants: size() is the member count; a set never holds duplicates; an empty set is
// legal here (the command layer deletes emptied keys).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/dict.h"
#include "storage/value.h"

namespace dq::storage {

struct SetLimits {
  size_t max_intset_entries = 512;    // set-max-intset-entries
  size_t max_listpack_entries = 128;  // set-max-listpack-entries
  size_t max_listpack_value = 64;     // set-max-listpack-value
};

class SetObject final : public Object {
 public:
  enum class Enc : uint8_t { IntSet, ListPack, HashTable };

  // Redis 7.2's setTypeCreate: an intset when `first` is an integer and size_hint fits the
  // intset limit, else a listpack when size_hint fits the listpack limit, else a hashtable
  // presized for size_hint.
  static SetObject* create(std::string_view first, size_t size_hint, SetLimits limits);
  // An empty set of the given encoding (STORE results start as an intset, as in Redis).
  explicit SetObject(SetLimits limits, Enc enc = Enc::IntSet);
  ~SetObject() override;
  SetObject(const SetObject&) = delete;
  SetObject& operator=(const SetObject&) = delete;

  size_t memory() const override;
  Object* clone() const override;
  const char* encoding_name() const override;
  // One allocation per member once a hash table (UNLINK frees big ones off the loop).
  size_t free_effort() const override;

  Enc encoding() const { return enc_; }
  size_t size() const;
  bool empty() const { return size() == 0; }
  const SetLimits& limits() const { return limits_; }

  // Adds m; false if it was already a member.
  bool add(std::string_view m);
  // Removes m; false if it was not a member.
  bool remove(std::string_view m);
  bool contains(std::string_view m) const;

  // SADD's pre-conversion: a listpack or intset that `size_hint` more members would overflow
  // becomes a hashtable now (setTypeMaybeConvert).
  void maybe_convert(size_t size_hint);
  // When every member is known to be an integer: becomes an intset if the count fits
  // (SINTERSTORE's maybeConvertToIntset).
  void convert_to_intset_if_fits();
  void convert(Enc to);

  // Calls fn(std::string_view) for every member: intset ascending, listpack insertion order,
  // hashtable bucket order. fn must not mutate the set.
  template <class Fn>
  void for_each(Fn&& fn) const;

  // A uniformly chosen member (hashtable: Dict::random's bucket-then-chain choice).
  // Requires !empty().
  std::string random_member();
  // Removes and returns a random member. Requires !empty().
  std::string pop_random();

  // One SSCAN step. Intset and listpack sets are returned whole with cursor 0 (as Redis);
  // a hashtable visits one Dict scan step. Returns the next cursor.
  template <class Fn>
  uint64_t scan(uint64_t cursor, Fn&& fn) const;

  // Swaps contents (encoding, members) with another set (SPOP's "keep the remainder").
  void swap(SetObject& o);

 private:
  struct Node {
    Node* next;
    std::string_view key() const;
    static Node* make(std::string_view m);
  };
  using Table = Dict<Node>;

  // --- intset ---
  int64_t is_get(size_t i) const;
  void is_set(size_t i, int64_t v);
  bool is_find(int64_t v, size_t* pos) const;
  bool is_add(int64_t v);
  bool is_remove(int64_t v);
  // --- listpack ---
  const char* lp_find(std::string_view m) const;
  void lp_append(std::string_view m);
  void lp_erase(const char* p);
  // --- hashtable ---
  bool ht_add(std::string_view m);

  void free_payload();
  void add_unchecked_to_table(std::string_view m);

  SetLimits limits_;
  Enc enc_;
  uint8_t width_ = 2;    // intset: bytes per integer
  uint32_t count_ = 0;   // intset / listpack member count
  uint32_t bytes_ = 0;   // listpack: bytes used in buf_
  char* buf_ = nullptr;  // intset / listpack storage
  Table* table_ = nullptr;
};

// Decodes one listpack-style entry at p: returns the member and sets *next.
std::string_view set_lp_entry(const char* p, const char** next);
// Formats an int64 in decimal into buf (>= 21 bytes); returns the view.
std::string_view set_format_int(int64_t v, char* buf);

template <class Fn>
void SetObject::for_each(Fn&& fn) const {
  switch (enc_) {
    case Enc::IntSet: {
      char b[24];
      for (size_t i = 0; i < count_; ++i) fn(set_format_int(is_get(i), b));
      break;
    }
    case Enc::ListPack: {
      const char* p = buf_;
      const char* end = buf_ + bytes_;
      while (p < end) fn(set_lp_entry(p, &p));
      break;
    }
    case Enc::HashTable:
      table_->for_each([&](const Node* n) { fn(n->key()); });
      break;
  }
}

template <class Fn>
uint64_t SetObject::scan(uint64_t cursor, Fn&& fn) const {
  if (enc_ != Enc::HashTable) {
    for_each(fn);
    return 0;
  }
  return table_->scan(cursor, [&](const Node* n) { fn(n->key()); });
}

}  // namespace dq::storage
