#include "storage/value.h"

#include <malloc.h>

#include <cctype>
#include <cerrno>
#include <cfloat>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "storage/evict.h"
#include "storage/memory.h"

namespace dq::storage {

std::string_view type_name(Type t) {
  switch (t) {
    case Type::String:
      return "string";
    case Type::List:
      return "list";
    case Type::Set:
      return "set";
    case Type::ZSet:
      return "zset";
    case Type::Hash:
      return "hash";
    case Type::Stream:
      return "stream";
  }
  return "none";
}

namespace {
uint32_t g_lru_clock = 0;
}
void set_lru_clock(uint32_t clock) { g_lru_clock = clock & 0xFFFFFF; }
uint32_t lru_clock() { return g_lru_clock; }

HeapString* HeapString::create(std::string_view s, size_t cap) {
  if (cap < s.size()) cap = s.size();
  auto* h = static_cast<HeapString*>(dq::storage::mem_malloc(sizeof(HeapString) + cap));
  if (!h) throw std::bad_alloc();
  h->len = static_cast<uint32_t>(s.size());
  h->cap = static_cast<uint32_t>(cap);
  if (!s.empty()) std::memcpy(h->data, s.data(), s.size());
  return h;
}

HeapString* HeapString::grow(HeapString* h, size_t need) {
  if (need <= h->cap) return h;
  // Greedy growth as sds: double below 1 MiB, then +1 MiB.
  size_t cap = need < 1024 * 1024 ? need * 2 : need + 1024 * 1024;
  if (cap > UINT32_MAX) cap = need;
  auto* n = static_cast<HeapString*>(dq::storage::mem_realloc(h, sizeof(HeapString) + cap));
  if (!n) throw std::bad_alloc();
  n->cap = static_cast<uint32_t>(cap);
  return n;
}

Entry* Entry::alloc(std::string_view key, Type t, Encoding e, bool expire_slot, int64_t expire_ms,
                    size_t payload) {
  size_t sz = kHeader + (expire_slot ? 8 : 0) + key.size() + payload;
  auto* ent = static_cast<Entry*>(dq::storage::mem_malloc(sz));
  if (!ent) throw std::bad_alloc();
  ent->next = nullptr;
  ent->key_len_ = static_cast<uint32_t>(key.size());
  ent->meta_ = static_cast<uint32_t>(t) | (static_cast<uint32_t>(e) << 3) |
               (expire_slot ? kSlotBit : 0) | (initial_access_stamp() << 8);
  if (expire_slot) ent->set_expire_ms(expire_ms);
  std::memcpy(reinterpret_cast<char*>(ent) + ent->key_off(), key.data(), key.size());
  return ent;
}

Entry* Entry::make_int(std::string_view key, int64_t v, bool expire_slot, int64_t expire_ms) {
  Entry* e = alloc(key, Type::String, Encoding::Int, expire_slot, expire_ms, 8);
  e->set_int_value(v);
  return e;
}

Entry* Entry::make_string(std::string_view key, std::string_view value, bool expire_slot,
                          int64_t expire_ms, bool allow_int) {
  int64_t iv;
  if (allow_int && value.size() <= 20 && string_to_int64(value, &iv))
    return make_int(key, iv, expire_slot, expire_ms);
  Entry* e = alloc(key, Type::String, Encoding::Embstr, expire_slot, expire_ms, 4 + value.size());
  uint32_t n = static_cast<uint32_t>(value.size());
  e->store<uint32_t>(e->payload_off(), n);
  if (n) std::memcpy(reinterpret_cast<char*>(e) + e->payload_off() + 4, value.data(), n);
  return e;
}

Entry* Entry::make_heap(std::string_view key, Type t, Encoding enc, void* ptr, bool expire_slot,
                        int64_t expire_ms) {
  Entry* e = alloc(key, t, enc, expire_slot, expire_ms, sizeof(void*));
  e->set_heap_ptr(ptr);
  return e;
}

std::string_view Entry::string_value(char* buf) const {
  switch (encoding()) {
    case Encoding::Int: {
      char* end = std::to_chars(buf, buf + 24, int_value()).ptr;
      return std::string_view(buf, end - buf);
    }
    case Encoding::Embstr: {
      uint32_t n = load<uint32_t>(payload_off());
      return std::string_view(reinterpret_cast<const char*>(this) + payload_off() + 4, n);
    }
    case Encoding::Raw:
      return static_cast<const HeapString*>(heap_ptr())->view();
    default:
      return {};
  }
}

std::string_view Entry::encoding_label() const {
  if (type() != Type::String) return heap_ptr() ? object()->encoding_name() : "unknown";
  switch (encoding()) {
    case Encoding::Int:
      return "int";
    case Encoding::Embstr:
      return string_length() <= kEmbstrReportLimit ? "embstr" : "raw";
    default:
      return "raw";
  }
}

size_t Entry::string_length() const {
  char buf[24];
  return string_value(buf).size();
}

size_t Entry::memory() const {
  size_t m = malloc_usable_size(const_cast<Entry*>(this));
  if (type() == Type::String) {
    if (encoding() == Encoding::Raw) m += malloc_usable_size(heap_ptr());
  } else if (heap_ptr()) {
    m += object()->memory();
  }
  return m;
}

Entry* Entry::clone(std::string_view new_key) const {
  int64_t exp = expire_ms();
  bool slot = has_expire_slot();
  switch (encoding()) {
    case Encoding::Int:
      return make_int(new_key, int_value(), slot, exp);
    case Encoding::Embstr: {
      char buf[24];
      return make_string(new_key, string_value(buf), slot, exp);
    }
    case Encoding::Raw: {
      auto* h = static_cast<const HeapString*>(heap_ptr());
      return make_heap(new_key, Type::String, Encoding::Raw, HeapString::create(h->view(), h->len),
                       slot, exp);
    }
    default:
      return make_heap(new_key, type(), encoding(), object()->clone(), slot, exp);
  }
}

Entry* Entry::with_expire_slot(Entry* old, bool slot) {
  if (old->has_expire_slot() == slot) return old;
  size_t payload;
  switch (old->encoding()) {
    case Encoding::Int:
      payload = 8;
      break;
    case Encoding::Embstr:
      payload = 4 + old->load<uint32_t>(old->payload_off());
      break;
    default:
      payload = sizeof(void*);
      break;
  }
  Entry* e = alloc(old->key(), old->type(), old->encoding(), slot, -1, payload);
  e->meta_ = (e->meta_ & 0xFF) | (old->meta_ & ~0xFFu);  // keep the LRU clock
  std::memcpy(reinterpret_cast<char*>(e) + e->payload_off(),
              reinterpret_cast<const char*>(old) + old->payload_off(), payload);
  dq::storage::mem_free(old);
  return e;
}

void Entry::destroy(Entry* e) {
  if (e->type() == Type::String) {
    if (e->encoding() == Encoding::Raw) dq::storage::mem_free(e->heap_ptr());
  } else {
    delete e->object();
  }
  dq::storage::mem_free(e);
}

bool string_to_int64(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-') {
    if (s.size() == 1) return false;
    neg = true;
    i = 1;
  }
  if (s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

bool string_to_long_double(std::string_view s, long double* out) {
  if (s.empty() || s.size() >= 5120) return false;
  char buf[5121];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  if (std::isspace(static_cast<unsigned char>(buf[0]))) return false;
  char* end;
  errno = 0;
  long double v = std::strtold(buf, &end);
  if (static_cast<size_t>(end - buf) != s.size()) return false;
  // As Redis's string2ld: out of range only when it overflowed or underflowed to zero.
  if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || v == 0.0L)) return false;
  if (std::isnan(v)) return false;
  *out = v;
  return true;
}

size_t format_long_double(long double v, char* buf, size_t cap) {
  if (std::isinf(v)) {
    int n = std::snprintf(buf, cap, v > 0 ? "inf" : "-inf");
    return static_cast<size_t>(n);
  }
  int n = std::snprintf(buf, cap, "%.17Lf", v);
  if (n <= 0 || static_cast<size_t>(n) >= cap) return 0;
  // Trim trailing zeros, then a trailing dot (Redis's LD_STR_HUMAN mode).
  if (std::memchr(buf, '.', n)) {
    while (n > 0 && buf[n - 1] == '0') --n;
    if (n > 0 && buf[n - 1] == '.') --n;
  }
  if (n == 2 && buf[0] == '-' && buf[1] == '0') {
    buf[0] = '0';
    n = 1;
  }
  buf[n] = 0;
  return static_cast<size_t>(n);
}

}  // namespace dq::storage
