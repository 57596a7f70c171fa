// hash.h — hash values: field -> value maps with a packed small form and a table form.
//
// Owns: HashObject and its two encodings. Must not include: sockets, libuv, protocol,
// server/ (limits come in as HashLimits from the caller's Config on every write).
//
// Encodings (what OBJECT ENCODING prints, as Redis 7):
// - "listpack": one malloc'd buffer of pairs packed as [varint flen][field][varint vlen][value],
//   in insertion order. Lookups are a linear walk, which is what makes it small: no pointer,
//   no header and no allocation per field. Used while the hash has at most
//   `max_listpack_entries` fields and no field or value longer than `max_listpack_value`.
// - "hashtable": a Dict of Field nodes, one malloc per pair holding the chain link, both
//   the pair packed as above (Redis spends a dictEntry and two sds per pair).
// A write that would break a limit converts the packed form to a table first; a hash never
// converts back (as Redis), even when it shrinks.
//
// Invariants: size() counts fields; fields are unique; string views handed out by get() or
// the iterators stay valid only until the next change to the hash.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/dict.h"
#include "storage/status.h"
#include "storage/value.h"
#include "storage/varint.h"

namespace dq::storage {

struct HashLimits {
  size_t max_listpack_entries = 128;  // hash-max-listpack-entries
  size_t max_listpack_value = 64;     // hash-max-listpack-value
};

class HashObject final : public Object {
 public:
  HashObject() = default;
  ~HashObject() override;
  HashObject(const HashObject&) = delete;
  HashObject& operator=(const HashObject&) = delete;

  size_t memory() const override;
  Object* clone() const override;
  const char* encoding_name() const override { return table() ? "hashtable" : "listpack"; }
  // One allocation per field for a table (UNLINK frees big ones off the loop), one packed.
  size_t free_effort() const override { return table() ? size() : 1; }

  bool compact() const { return !table(); }
  size_t size() const { return table() ? table()->dict.size() : count_; }
  bool empty() const { return size() == 0; }

  // The value of field; false when absent.
  bool get(std::string_view field, std::string_view* value) const;
  bool contains(std::string_view field) const;
  // Sets field to value; returns true when the field is new. Converts to a table first when
  // the pair (or one more field) would break `limits`.
  bool set(std::string_view field, std::string_view value, const HashLimits& limits);
  // Removes field; false when absent.
  bool erase(std::string_view field);

  // HINCRBY: adds `by` to the integer at field (absent = 0). NotInteger when the value is not
  // a canonical integer, Overflow past int64. On Ok the new value is in *out.
  Status incr_by(std::string_view field, int64_t by, const HashLimits& limits, int64_t* out);
  // HINCRBYFLOAT: adds `by` (finite) to the number at field. NotFloat when the value is not a
  // number, NanOrInfinity when the sum is not finite. On Ok the stored text is in *out.
  Status incr_by_float(std::string_view field, long double by, const HashLimits& limits,
                       std::string* out);

  // Converts to the table encoding (no-op when already there).
  void convert_to_table();

  // Calls fn(field, value) for every pair (packed: insertion order). fn must not change
  // the hash.
  template <class Fn>
  void for_each(Fn&& fn) const;

  // One HSCAN step from cursor: calls fn(field, value) for the pairs of one table bucket
  // (packed: every pair, and the scan ends). Returns the next cursor, 0 at the end.
  template <class Fn>
  uint64_t scan(uint64_t cursor, Fn&& fn) const;

  // HRANDFIELD with a positive count: min(count, size()) distinct pairs, fn(field, value).
  void random_distinct(size_t count,
                       const std::function<void(std::string_view, std::string_view)>& fn);
  // HRANDFIELD with a negative count: `count` independent picks (repeats allowed).
  void random_with_repeats(size_t count,
                           const std::function<void(std::string_view, std::string_view)>& fn);

  // Buckets of the table (0 when packed), for tests.
  size_t table_buckets() const { return table() ? table()->dict.buckets() : 0; }

 private:
  // A table pair: the chain link, then the pair packed as in the listpack form
  // ([varint flen][field][varint vlen][value]) in the same allocation.
  struct Field {
    Field* next;
    char* data() { return reinterpret_cast<char*>(this + 1); }
    const char* data() const { return reinterpret_cast<const char*>(this + 1); }
    std::string_view key() const {
      uint32_t n;
      size_t h = read_varint(data(), &n);
      return {data() + h, n};
    }
    std::string_view value() const {
      std::string_view k = key();
      uint32_t n;
      size_t h = read_varint(k.data() + k.size(), &n);
      return {k.data() + k.size() + h, n};
    }
    static Field* make(std::string_view f, std::string_view v);
  };
  static_assert(sizeof(Field) == 8);

  static size_t read_varint(const char* p, uint32_t* v) { return get_varint(p, v); }

  // A decoded packed pair.
  struct Packed {
    std::string_view field, value;
    uint32_t off;   // offset of the pair's first byte
    uint32_t next;  // offset just past the pair
  };
  Packed packed_at(uint32_t off) const;
  bool packed_find(std::string_view field, Packed* out) const;
  // Replaces buf_[off, off+old_len) by `len` bytes of room; returns where they start.
  char* packed_splice(uint32_t off, uint32_t old_len, size_t len);
  static size_t pair_bytes(std::string_view f, std::string_view v);
  static void write_pair(char* p, std::string_view f, std::string_view v);
  bool fits_packed(std::string_view f, std::string_view v, const HashLimits& l) const;

  struct Table {
    Dict<Field> dict;
    size_t node_bytes = 0;  // malloc'd bytes of the nodes
  };
  static constexpr uint32_t kTableMark = UINT32_MAX;
  Table* table() const { return used_ == kTableMark ? static_cast<Table*>(ptr_) : nullptr; }
  char* buf() const { return used_ == kTableMark ? nullptr : static_cast<char*>(ptr_); }

  // 24 bytes, so an object is one 32-byte malloc chunk: ptr_ is the packed buffer (null when
  // empty) or, when used_ == kTableMark, the Table.
  void* ptr_ = nullptr;
  uint32_t used_ = 0;   // packed bytes
  uint32_t count_ = 0;  // packed pairs
};
static_assert(sizeof(HashObject) == 24);

template <class Fn>
void HashObject::for_each(Fn&& fn) const {
  if (Table* t = table()) {
    t->dict.for_each([&](const Field* n) { fn(n->key(), n->value()); });
    return;
  }
  for (uint32_t off = 0; off < used_;) {
    Packed p = packed_at(off);
    fn(p.field, p.value);
    off = p.next;
  }
}

template <class Fn>
uint64_t HashObject::scan(uint64_t cursor, Fn&& fn) const {
  if (Table* t = table())
    return t->dict.scan(cursor, [&](const Field* n) { fn(n->key(), n->value()); });
  for_each(fn);
  return 0;
}

}  // namespace dq::storage
