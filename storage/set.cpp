#include "storage/set.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "storage/memory.h"
#include "storage/varint.h"

namespace dq::storage {

namespace {

void* xmalloc(size_t n) {
  void* p = dq::storage::mem_malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}

void* xrealloc(void* old, size_t n) {
  void* p = dq::storage::mem_realloc(old, n ? n : 1);
  if (!p) throw std::bad_alloc();
  return p;
}

uint8_t width_for(int64_t v) {
  if (v >= INT16_MIN && v <= INT16_MAX) return 2;
  if (v >= INT32_MIN && v <= INT32_MAX) return 4;
  return 8;
}

// Characters of v in decimal, sign included (Redis's sdigits10).
size_t digits(int64_t v) {
  char b[24];
  return set_format_int(v, b).size();
}

// Redis caps intsets at 2^30 entries whatever the configuration says.
size_t intset_max(const SetLimits& l) { return std::min<size_t>(l.max_intset_entries, 1u << 30); }

}  // namespace

std::string_view set_lp_entry(const char* p, const char** next) {
  size_t len;
  size_t h = get_varint(p, &len);
  *next = p + h + len;
  return std::string_view(p + h, len);
}

std::string_view set_format_int(int64_t v, char* buf) {
  char tmp[24];
  size_t n = 0;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  size_t len = 0;
  if (v < 0) buf[len++] = '-';
  while (n) buf[len++] = tmp[--n];
  return std::string_view(buf, len);
}

// --- hashtable nodes ----------------------------------------------------------------

std::string_view SetObject::Node::key() const {
  const char* p = reinterpret_cast<const char*>(this) + sizeof(Node);
  size_t len;
  size_t h = get_varint(p, &len);
  return std::string_view(p + h, len);
}

SetObject::Node* SetObject::Node::make(std::string_view m) {
  size_t h = varint_size(m.size());
  auto* n = static_cast<Node*>(xmalloc(sizeof(Node) + h + m.size()));
  n->next = nullptr;
  char* p = reinterpret_cast<char*>(n) + sizeof(Node);
  put_varint(p, m.size());
  if (!m.empty()) std::memcpy(p + h, m.data(), m.size());
  return n;
}

// --- lifecycle ----------------------------------------------------------------------

SetObject::SetObject(SetLimits limits, Enc enc) : limits_(limits), enc_(enc) {
  if (enc_ == Enc::HashTable) table_ = new Table();
}

SetObject* SetObject::create(std::string_view first, size_t size_hint, SetLimits limits) {
  int64_t v;
  if (string_to_int64(first, &v) && size_hint <= limits.max_intset_entries)
    return new SetObject(limits, Enc::IntSet);
  if (size_hint <= limits.max_listpack_entries) return new SetObject(limits, Enc::ListPack);
  return new SetObject(limits, Enc::HashTable);
}

SetObject::~SetObject() { free_payload(); }

void SetObject::free_payload() {
  dq::storage::mem_free(buf_);
  buf_ = nullptr;
  if (table_) {
    table_->clear([](Node* n) { dq::storage::mem_free(n); });
    delete table_;
    table_ = nullptr;
  }
  count_ = bytes_ = 0;
  width_ = 2;
}

size_t SetObject::memory() const {
  size_t total = sizeof(*this);
  switch (enc_) {
    case Enc::IntSet:
      total += static_cast<size_t>(count_) * width_;
      break;
    case Enc::ListPack:
      total += bytes_;
      break;
    case Enc::HashTable:
      total += sizeof(Table) + table_->bucket_bytes();
      table_->for_each([&](const Node* n) {
        size_t len = n->key().size();
        total += sizeof(Node) + varint_size(len) + len;
      });
      break;
  }
  return total;
}

Object* SetObject::clone() const {
  auto* c = new SetObject(limits_, enc_);
  c->width_ = width_;
  c->count_ = count_;
  c->bytes_ = bytes_;
  if (enc_ == Enc::IntSet && count_) {
    size_t n = static_cast<size_t>(count_) * width_;
    c->buf_ = static_cast<char*>(xmalloc(n));
    std::memcpy(c->buf_, buf_, n);
  } else if (enc_ == Enc::ListPack && bytes_) {
    c->buf_ = static_cast<char*>(xmalloc(bytes_));
    std::memcpy(c->buf_, buf_, bytes_);
  } else if (enc_ == Enc::HashTable) {
    table_->for_each([&](const Node* n) { c->table_->insert(Node::make(n->key())); });
  }
  return c;
}

size_t SetObject::free_effort() const { return enc_ == Enc::HashTable ? size() : 1; }

const char* SetObject::encoding_name() const {
  switch (enc_) {
    case Enc::IntSet:
      return "intset";
    case Enc::ListPack:
      return "listpack";
    case Enc::HashTable:
      break;
  }
  return "hashtable";
}

size_t SetObject::size() const { return enc_ == Enc::HashTable ? table_->size() : count_; }

void SetObject::swap(SetObject& o) {
  std::swap(limits_, o.limits_);
  std::swap(enc_, o.enc_);
  std::swap(width_, o.width_);
  std::swap(count_, o.count_);
  std::swap(bytes_, o.bytes_);
  std::swap(buf_, o.buf_);
  std::swap(table_, o.table_);
}

// --- intset -------------------------------------------------------------------------

int64_t SetObject::is_get(size_t i) const {
  const char* p = buf_ + i * width_;
  switch (width_) {
    case 2: {
      int16_t v;
      std::memcpy(&v, p, 2);
      return v;
    }
    case 4: {
      int32_t v;
      std::memcpy(&v, p, 4);
      return v;
    }
    default: {
      int64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
  }
}

void SetObject::is_set(size_t i, int64_t v) {
  char* p = buf_ + i * width_;
  if (width_ == 2) {
    auto x = static_cast<int16_t>(v);
    std::memcpy(p, &x, 2);
  } else if (width_ == 4) {
    auto x = static_cast<int32_t>(v);
    std::memcpy(p, &x, 4);
  } else {
    std::memcpy(p, &v, 8);
  }
}

bool SetObject::is_find(int64_t v, size_t* pos) const {
  size_t lo = 0, hi = count_;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int64_t x = is_get(mid);
    if (x == v) {
      *pos = mid;
      return true;
    }
    if (x < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  *pos = lo;
  return false;
}

bool SetObject::is_add(int64_t v) {
  uint8_t w = width_for(v);
  if (w > width_) {
    // Upgrade: v is beyond every present value, so it goes first (negative) or last.
    char* nb = static_cast<char*>(xmalloc(static_cast<size_t>(count_ + 1) * w));
    char* old = buf_;
    uint8_t ow = width_;
    size_t n = count_;
    buf_ = nb;
    width_ = w;
    size_t off = v < 0 ? 1 : 0;
    for (size_t i = 0; i < n; ++i) {
      char* src = old + i * ow;
      int64_t x;
      if (ow == 2) {
        int16_t y;
        std::memcpy(&y, src, 2);
        x = y;
      } else {
        int32_t y;
        std::memcpy(&y, src, 4);
        x = y;
      }
      is_set(i + off, x);
    }
    is_set(v < 0 ? 0 : n, v);
    dq::storage::mem_free(old);
    ++count_;
    return true;
  }
  size_t pos;
  if (is_find(v, &pos)) return false;
  buf_ = static_cast<char*>(xrealloc(buf_, static_cast<size_t>(count_ + 1) * width_));
  std::memmove(buf_ + (pos + 1) * width_, buf_ + pos * width_, (count_ - pos) * width_);
  ++count_;
  is_set(pos, v);
  return true;
}

bool SetObject::is_remove(int64_t v) {
  size_t pos;
  if (width_for(v) > width_ || !is_find(v, &pos)) return false;
  std::memmove(buf_ + pos * width_, buf_ + (pos + 1) * width_, (count_ - pos - 1) * width_);
  --count_;
  if (count_ == 0) {
    dq::storage::mem_free(buf_);
    buf_ = nullptr;
  } else {
    buf_ = static_cast<char*>(xrealloc(buf_, static_cast<size_t>(count_) * width_));
  }
  return true;
}

// --- listpack -----------------------------------------------------------------------

const char* SetObject::lp_find(std::string_view m) const {
  const char* p = buf_;
  const char* end = buf_ + bytes_;
  while (p < end) {
    const char* at = p;
    if (set_lp_entry(p, &p) == m) return at;
  }
  return nullptr;
}

void SetObject::lp_append(std::string_view m) {
  size_t need = varint_size(m.size()) + m.size();
  buf_ = static_cast<char*>(xrealloc(buf_, bytes_ + need));
  char* p = buf_ + bytes_;
  size_t h = put_varint(p, m.size());
  if (!m.empty()) std::memcpy(p + h, m.data(), m.size());
  bytes_ += static_cast<uint32_t>(need);
  ++count_;
}

void SetObject::lp_erase(const char* p) {
  const char* next;
  set_lp_entry(p, &next);
  size_t off = static_cast<size_t>(p - buf_), len = static_cast<size_t>(next - p);
  std::memmove(buf_ + off, buf_ + off + len, bytes_ - off - len);
  bytes_ -= static_cast<uint32_t>(len);
  --count_;
  if (bytes_ == 0) {
    dq::storage::mem_free(buf_);
    buf_ = nullptr;
  } else {
    buf_ = static_cast<char*>(xrealloc(buf_, bytes_));
  }
}

// --- hashtable ----------------------------------------------------------------------

bool SetObject::ht_add(std::string_view m) {
  if (table_->find(m)) return false;
  table_->insert(Node::make(m));
  return true;
}

// --- conversions --------------------------------------------------------------------

void SetObject::convert(Enc to) {
  if (to == enc_) return;
  SetObject n(limits_, to);
  for_each([&](std::string_view m) {
    if (to == Enc::HashTable) {
      n.table_->insert(Node::make(m));
    } else if (to == Enc::ListPack) {
      n.lp_append(m);
    } else {
      int64_t v;
      string_to_int64(m, &v);
      n.is_add(v);
    }
  });
  swap(n);
}

void SetObject::maybe_convert(size_t size_hint) {
  if ((enc_ == Enc::ListPack && size_hint > limits_.max_listpack_entries) ||
      (enc_ == Enc::IntSet && size_hint > limits_.max_intset_entries))
    convert(Enc::HashTable);
}

void SetObject::convert_to_intset_if_fits() {
  if (enc_ == Enc::IntSet || size() > intset_max(limits_)) return;
  convert(Enc::IntSet);
}

// --- members ------------------------------------------------------------------------

bool SetObject::add(std::string_view m) {
  switch (enc_) {
    case Enc::IntSet: {
      int64_t v;
      if (string_to_int64(m, &v)) {
        if (!is_add(v)) return false;
        if (count_ > intset_max(limits_)) convert(Enc::HashTable);
        return true;
      }
      // Redis 7.2: a listpack if every current member (at most as long as the widest of
      // min and max) and the new one fit its limits, else a hashtable.
      size_t widest = count_ ? std::max(digits(is_get(0)), digits(is_get(count_ - 1))) : 0;
      if (count_ < limits_.max_listpack_entries && m.size() <= limits_.max_listpack_value &&
          widest <= limits_.max_listpack_value) {
        convert(Enc::ListPack);
        lp_append(m);
      } else {
        convert(Enc::HashTable);
        table_->insert(Node::make(m));
      }
      return true;
    }
    case Enc::ListPack:
      if (lp_find(m)) return false;
      if (count_ < limits_.max_listpack_entries && m.size() <= limits_.max_listpack_value) {
        lp_append(m);
      } else {
        convert(Enc::HashTable);
        table_->insert(Node::make(m));
      }
      return true;
    case Enc::HashTable:
      break;
  }
  return ht_add(m);
}

bool SetObject::remove(std::string_view m) {
  switch (enc_) {
    case Enc::IntSet: {
      int64_t v;
      return string_to_int64(m, &v) && is_remove(v);
    }
    case Enc::ListPack: {
      const char* p = lp_find(m);
      if (!p) return false;
      lp_erase(p);
      return true;
    }
    case Enc::HashTable:
      break;
  }
  Node* n = table_->unlink(m);
  if (!n) return false;
  dq::storage::mem_free(n);
  table_->shrink_if_needed();
  return true;
}

bool SetObject::contains(std::string_view m) const {
  switch (enc_) {
    case Enc::IntSet: {
      int64_t v;
      size_t pos;
      return string_to_int64(m, &v) && width_for(v) <= width_ && is_find(v, &pos);
    }
    case Enc::ListPack:
      return lp_find(m) != nullptr;
    case Enc::HashTable:
      break;
  }
  return table_->find(m) != nullptr;
}

std::string SetObject::random_member() {
  switch (enc_) {
    case Enc::IntSet: {
      char b[24];
      return std::string(set_format_int(is_get(random_u64() % count_), b));
    }
    case Enc::ListPack: {
      size_t k = random_u64() % count_;
      const char* p = buf_;
      std::string_view m = set_lp_entry(p, &p);
      while (k--) m = set_lp_entry(p, &p);
      return std::string(m);
    }
    case Enc::HashTable:
      break;
  }
  return std::string(table_->random()->key());
}

std::string SetObject::pop_random() {
  std::string m = random_member();
  remove(m);
  return m;
}

}  // namespace dq::storage
