#include "storage/hash.h"

#include <malloc.h>

#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_set>

#include "storage/memory.h"
#include "storage/varint.h"

namespace dq::storage {

namespace {

// The packed form stays well below 4 GiB (its offsets are 32-bit); a hash whose packed
// bytes would pass this converts to a table whatever the limits say (Redis: lpSafeToAdd).
constexpr size_t kMaxPackedBytes = size_t{1} << 30;

}  // namespace

HashObject::Field* HashObject::Field::make(std::string_view f, std::string_view v) {
  auto* n = static_cast<Field*>(dq::storage::mem_malloc(sizeof(Field) + pair_bytes(f, v)));
  if (!n) throw std::bad_alloc();
  n->next = nullptr;
  write_pair(n->data(), f, v);
  return n;
}

HashObject::~HashObject() {
  if (Table* t = table()) {
    t->dict.clear([](Field* f) { dq::storage::mem_free(f); });
    delete t;
  } else {
    dq::storage::mem_free(ptr_);
  }
}

size_t HashObject::memory() const {
  size_t m = sizeof(*this);
  if (Table* t = table()) return m + sizeof(Table) + t->dict.bucket_bytes() + t->node_bytes;
  if (ptr_) m += malloc_usable_size(ptr_);
  return m;
}

Object* HashObject::clone() const {
  auto* c = new HashObject;
  if (Table* t = table()) {
    auto* ct = new Table;
    t->dict.for_each([&](const Field* n) {
      Field* f = Field::make(n->key(), n->value());
      ct->node_bytes += malloc_usable_size(f);
      ct->dict.insert(f);
    });
    c->ptr_ = ct;
    c->used_ = kTableMark;
  } else if (ptr_) {
    c->ptr_ = dq::storage::mem_malloc(used_);
    if (!c->ptr_) throw std::bad_alloc();
    std::memcpy(c->ptr_, ptr_, used_);
    c->used_ = used_;
    c->count_ = count_;
  }
  return c;
}

// --- packed form --------------------------------------------------------------------

size_t HashObject::pair_bytes(std::string_view f, std::string_view v) {
  return varint_size(f.size()) + f.size() + varint_size(v.size()) + v.size();
}

void HashObject::write_pair(char* p, std::string_view f, std::string_view v) {
  p += put_varint(p, f.size());
  if (!f.empty()) std::memcpy(p, f.data(), f.size());
  p += f.size();
  p += put_varint(p, v.size());
  if (!v.empty()) std::memcpy(p, v.data(), v.size());
}

HashObject::Packed HashObject::packed_at(uint32_t off) const {
  Packed p;
  p.off = off;
  uint32_t flen, vlen;
  const char* b = buf();
  const char* s = b + off;
  s += read_varint(s, &flen);
  p.field = std::string_view(s, flen);
  s += flen;
  s += read_varint(s, &vlen);
  p.value = std::string_view(s, vlen);
  s += vlen;
  p.next = static_cast<uint32_t>(s - b);
  return p;
}

bool HashObject::packed_find(std::string_view field, Packed* out) const {
  const char* b = buf();
  for (uint32_t off = 0; off < used_;) {
    // Compare the length first, then the bytes: most fields are skipped without a memcmp.
    uint32_t flen;
    size_t h = read_varint(b + off, &flen);
    if (flen == field.size() && std::memcmp(b + off + h, field.data(), flen) == 0) {
      *out = packed_at(off);
      return true;
    }
    uint32_t vlen;
    size_t vh = read_varint(b + off + h + flen, &vlen);
    off = static_cast<uint32_t>(off + h + flen + vh + vlen);
  }
  return false;
}

char* HashObject::packed_splice(uint32_t off, uint32_t old_len, size_t len) {
  char* b = buf();
  size_t tail = used_ - off - old_len;
  size_t need = used_ - old_len + len;
  size_t cap = b ? malloc_usable_size(b) : 0;
  if (need > cap) {
    // Exact growth, as Redis's listpack: the allocator's rounding is the only slack, and the
    // next small growth uses it without a realloc.
    b = static_cast<char*>(dq::storage::mem_realloc(b, need));
    if (!b) throw std::bad_alloc();
    ptr_ = b;
  }
  if (tail && old_len != len) std::memmove(b + off + len, b + off + old_len, tail);
  used_ = static_cast<uint32_t>(need);
  if (used_ == 0) {
    dq::storage::mem_free(b);
    ptr_ = nullptr;
    return nullptr;
  }
  if (used_ < cap / 2 && cap > 64) {
    if (char* s = static_cast<char*>(dq::storage::mem_try_realloc(b, used_))) ptr_ = b = s;
  }
  return b + off;
}

bool HashObject::fits_packed(std::string_view f, std::string_view v, const HashLimits& l) const {
  return f.size() <= l.max_listpack_value && v.size() <= l.max_listpack_value &&
         used_ + pair_bytes(f, v) <= kMaxPackedBytes;
}

void HashObject::convert_to_table() {
  if (table()) return;
  auto* t = new Table;
  for (uint32_t off = 0; off < used_;) {
    Packed p = packed_at(off);
    Field* f = Field::make(p.field, p.value);
    t->node_bytes += malloc_usable_size(f);
    t->dict.insert(f);
    off = p.next;
  }
  dq::storage::mem_free(ptr_);
  ptr_ = t;
  used_ = kTableMark;
  count_ = 0;
}

// --- lookups and changes ------------------------------------------------------------

bool HashObject::get(std::string_view field, std::string_view* value) const {
  if (Table* t = table()) {
    const Field* n = t->dict.find(field);
    if (!n) return false;
    *value = n->value();
    return true;
  }
  Packed p;
  if (!packed_find(field, &p)) return false;
  *value = p.value;
  return true;
}

bool HashObject::contains(std::string_view field) const {
  std::string_view v;
  return get(field, &v);
}

bool HashObject::set(std::string_view field, std::string_view value, const HashLimits& limits) {
  if (!table()) {
    Packed p;
    bool found = packed_find(field, &p);
    // Redis converts when a written field or value is too long (even an overwrite), or when
    // one more field would pass the entry limit.
    if (!fits_packed(field, value, limits) ||
        (!found && count_ + 1 > limits.max_listpack_entries)) {
      convert_to_table();
    } else {
      size_t len = pair_bytes(field, value);
      if (found) {
        write_pair(packed_splice(p.off, p.next - p.off, len), field, value);
        return false;
      }
      write_pair(packed_splice(used_, 0, len), field, value);
      ++count_;
      return true;
    }
  }
  Table* t = table();
  Field** link = t->dict.find_link(field);
  if (link) {
    Field* old = *link;
    std::string_view cur = old->value();
    if (cur.size() == value.size()) {
      if (!value.empty()) std::memcpy(const_cast<char*>(cur.data()), value.data(), value.size());
      return false;
    }
    Field* n = Field::make(field, value);
    t->node_bytes += malloc_usable_size(n);
    t->node_bytes -= malloc_usable_size(old);
    Dict<Field>::replace_at(link, n);
    dq::storage::mem_free(old);
    return false;
  }
  Field* n = Field::make(field, value);
  t->node_bytes += malloc_usable_size(n);
  t->dict.insert(n);
  return true;
}

bool HashObject::erase(std::string_view field) {
  if (Table* t = table()) {
    Field* n = t->dict.unlink(field);
    if (!n) return false;
    t->node_bytes -= malloc_usable_size(n);
    dq::storage::mem_free(n);
    t->dict.shrink_if_needed();
    return true;
  }
  Packed p;
  if (!packed_find(field, &p)) return false;
  packed_splice(p.off, p.next - p.off, 0);
  --count_;
  return true;
}

Status HashObject::incr_by(std::string_view field, int64_t by, const HashLimits& limits,
                           int64_t* out) {
  int64_t cur = 0;
  std::string_view v;
  if (get(field, &v) && !string_to_int64(v, &cur)) return Status::NotInteger;
  if ((by < 0 && cur < 0 && by < INT64_MIN - cur) || (by > 0 && cur > 0 && by > INT64_MAX - cur))
    return Status::Overflow;
  cur += by;
  char buf[24];
  char* end = std::to_chars(buf, buf + sizeof(buf), cur).ptr;
  set(field, std::string_view(buf, end - buf), limits);
  *out = cur;
  return Status::Ok;
}

Status HashObject::incr_by_float(std::string_view field, long double by, const HashLimits& limits,
                                 std::string* out) {
  long double cur = 0;
  std::string_view v;
  if (get(field, &v) && !string_to_long_double(v, &cur)) return Status::NotFloat;
  cur += by;
  if (std::isnan(cur) || std::isinf(cur)) return Status::NanOrInfinity;
  char buf[5200];
  size_t n = format_long_double(cur, buf, sizeof(buf));
  out->assign(buf, n);
  set(field, *out, limits);
  return Status::Ok;
}

// --- random sampling ----------------------------------------------------------------

void HashObject::random_distinct(
    size_t count, const std::function<void(std::string_view, std::string_view)>& fn) {
  size_t n = size();
  if (count >= n) {
    for_each(fn);
    return;
  }
  Table* t = table();
  if (!t) {
    // Selection sampling: one pass, each pair taken with probability needed / remaining,
    // so exactly `count` distinct pairs come out, in hash order.
    size_t need = count, left = n;
    for (uint32_t off = 0; off < used_ && need;) {
      Packed p = packed_at(off);
      if (random_u64() % left < need) {
        fn(p.field, p.value);
        --need;
      }
      --left;
      off = p.next;
    }
    return;
  }
  if (count * 3 > n) {
    // Many of them: a partial shuffle of every node (as Redis, cheaper than retrying picks).
    std::vector<const Field*> all;
    all.reserve(n);
    t->dict.for_each([&](const Field* f) { all.push_back(f); });
    for (size_t i = 0; i < count; ++i) {
      size_t j = i + random_u64() % (n - i);
      std::swap(all[i], all[j]);
      fn(all[i]->key(), all[i]->value());
    }
    return;
  }
  // Few of them: random picks until enough distinct ones came up.
  std::unordered_set<const Field*> seen;
  seen.reserve(count);
  while (seen.size() < count) {
    const Field* f = t->dict.random();
    if (seen.insert(f).second) fn(f->key(), f->value());
  }
}

void HashObject::random_with_repeats(
    size_t count, const std::function<void(std::string_view, std::string_view)>& fn) {
  if (empty()) return;
  if (Table* t = table()) {
    for (size_t i = 0; i < count; ++i) {
      const Field* f = t->dict.random();
      fn(f->key(), f->value());
    }
    return;
  }
  std::vector<uint32_t> offs;
  offs.reserve(count_);
  for (uint32_t off = 0; off < used_;) {
    offs.push_back(off);
    off = packed_at(off).next;
  }
  for (size_t i = 0; i < count; ++i) {
    Packed p = packed_at(offs[random_u64() % offs.size()]);
    fn(p.field, p.value);
  }
}

}  // namespace dq::storage
