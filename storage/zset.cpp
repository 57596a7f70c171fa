// zset.cpp — sorted sets: the packed array and the skiplist + dict (see zset.h).
#include "storage/zset.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "storage/memory.h"
#include "storage/varint.h"

namespace dq::storage {

namespace {

int compare_members(std::string_view a, std::string_view b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c) return c < 0 ? -1 : 1;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

size_t lp_entry_size(std::string_view m) { return varint_size(m.size()) + m.size() + 8; }

}  // namespace

int ZSetObject::compare(double s1, std::string_view m1, double s2, std::string_view m2) {
  if (s1 < s2) return -1;
  if (s1 > s2) return 1;
  return compare_members(m1, m2);
}

ZSetObject::ZSetObject(ZSetLimits limits, size_t size_hint, size_t max_len) : limits_(limits) {
  if (size_hint > limits_.max_listpack_entries || max_len > limits_.max_listpack_value) {
    packed_ = false;
    sl_init();
  }
}

ZSetObject::~ZSetObject() {
  dq::storage::mem_free(lp_);
  free_skiplist();
}

void ZSetObject::free_skiplist() {
  dict_.clear([](Node* n) { dq::storage::mem_free(n); });
  dq::storage::mem_free(header_);
  header_ = tail_ = nullptr;
  length_ = 0;
  level_ = 1;
  node_bytes_ = 0;
}

size_t ZSetObject::memory() const {
  size_t m = sizeof(*this) + lp_cap_ + node_bytes_ + dict_.bucket_bytes();
  if (header_) m += header_->alloc_size();
  return m;
}

Object* ZSetObject::clone() const {
  auto* o = new ZSetObject(limits_);
  if (packed_) {
    if (lp_len_) {
      o->lp_ = static_cast<char*>(dq::storage::mem_malloc(lp_len_));
      std::memcpy(o->lp_, lp_, lp_len_);
    }
    o->lp_len_ = o->lp_cap_ = lp_len_;
    o->lp_count_ = lp_count_;
    return o;
  }
  o->packed_ = false;
  o->sl_init();
  for (const Node* x = header_->levels()[0].forward; x; x = x->levels()[0].forward)
    o->insert(x->key(), x->score);
  return o;
}

// --- listpack -------------------------------------------------------------------------------

ZSetObject::LpItem ZSetObject::lp_item(uint32_t off) const {
  uint64_t len;
  size_t used = get_varint(lp_ + off, &len);
  LpItem it;
  it.member = std::string_view(lp_ + off + used, len);
  std::memcpy(&it.score, lp_ + off + used + len, 8);
  it.off = off;
  it.next = static_cast<uint32_t>(off + used + len + 8);
  return it;
}

bool ZSetObject::lp_find(std::string_view m, LpItem* out) const {
  for (uint32_t off = 0; off < lp_len_;) {
    LpItem it = lp_item(off);
    if (it.member == m) {
      *out = it;
      return true;
    }
    off = it.next;
  }
  return false;
}

void ZSetObject::lp_reserve(size_t add) {
  size_t need = lp_len_ + add;
  if (need <= lp_cap_) return;
  char* p = static_cast<char*>(dq::storage::mem_realloc(lp_, need));
  if (!p) throw std::bad_alloc();
  lp_ = p;
  lp_cap_ = static_cast<uint32_t>(need);
}

void ZSetObject::lp_insert(std::string_view m, double score) {
  uint32_t pos = 0;
  while (pos < lp_len_) {
    LpItem it = lp_item(pos);
    if (compare(it.score, it.member, score, m) > 0) break;
    pos = it.next;
  }
  size_t sz = lp_entry_size(m);
  lp_reserve(sz);
  std::memmove(lp_ + pos + sz, lp_ + pos, lp_len_ - pos);
  char* p = lp_ + pos;
  p += put_varint(p, m.size());
  if (!m.empty()) std::memcpy(p, m.data(), m.size());
  std::memcpy(p + m.size(), &score, 8);
  lp_len_ += static_cast<uint32_t>(sz);
  ++lp_count_;
}

void ZSetObject::lp_erase(const LpItem& it) {
  std::memmove(lp_ + it.off, lp_ + it.next, lp_len_ - it.next);
  lp_len_ -= it.next - it.off;
  --lp_count_;
  // Keep the allocation exact-size (a shrinking set gives memory back).
  if (lp_len_ == 0) {
    dq::storage::mem_free(lp_);
    lp_ = nullptr;
    lp_cap_ = 0;
  } else if (lp_cap_ - lp_len_ > 64) {
    char* p = static_cast<char*>(dq::storage::mem_try_realloc(lp_, lp_len_));
    if (p) {
      lp_ = p;
      lp_cap_ = lp_len_;
    }
  }
}

// --- skiplist -------------------------------------------------------------------------------

ZSetObject::Node* ZSetObject::make_node(int level, std::string_view m, double score) {
  size_t sz = sizeof(Node) + level * sizeof(Level) + m.size();
  auto* n = static_cast<Node*>(dq::storage::mem_malloc(sz));
  if (!n) throw std::bad_alloc();
  n->next = nullptr;
  n->backward = nullptr;
  n->score = score;
  n->len = static_cast<uint32_t>(m.size());
  n->level = static_cast<uint32_t>(level);
  for (int i = 0; i < level; ++i) n->levels()[i] = Level{nullptr, 0};
  if (!m.empty()) std::memcpy(reinterpret_cast<char*>(n->levels() + level), m.data(), m.size());
  return n;
}

int ZSetObject::random_level() {
  // p = 1/4, as Redis's ZSKIPLIST_P: 16 random bits per level.
  uint64_t r = random_u64();
  int level = 1;
  while (level < kMaxLevel && (r & 0xFFFF) < 0x4000) {
    ++level;
    r >>= 16;
    if (r == 0) r = random_u64();
  }
  return level;
}

void ZSetObject::sl_init() {
  header_ = make_node(kMaxLevel, {}, 0);
  tail_ = nullptr;
  length_ = 0;
  level_ = 1;
}

void ZSetObject::sl_link(Node* x) {
  Node* update[kMaxLevel];
  size_t rank[kMaxLevel];
  Node* p = header_;
  std::string_view key = x->key();
  for (int i = level_ - 1; i >= 0; --i) {
    rank[i] = i == level_ - 1 ? 0 : rank[i + 1];
    while (Node* f = p->levels()[i].forward) {
      if (compare(f->score, f->key(), x->score, key) >= 0) break;
      rank[i] += p->levels()[i].span;
      p = f;
    }
    update[i] = p;
  }
  int lvl = static_cast<int>(x->level);
  if (lvl > level_) {
    for (int i = level_; i < lvl; ++i) {
      rank[i] = 0;
      update[i] = header_;
      header_->levels()[i].span = length_;
      header_->levels()[i].forward = nullptr;
    }
    level_ = lvl;
  }
  for (int i = 0; i < lvl; ++i) {
    Level& u = update[i]->levels()[i];
    x->levels()[i].forward = u.forward;
    u.forward = x;
    x->levels()[i].span = u.span - (rank[0] - rank[i]);
    u.span = (rank[0] - rank[i]) + 1;
  }
  for (int i = lvl; i < level_; ++i) update[i]->levels()[i].span++;
  x->backward = update[0] == header_ ? nullptr : update[0];
  if (Node* f = x->levels()[0].forward)
    f->backward = x;
  else
    tail_ = x;
  ++length_;
}

void ZSetObject::sl_unlink(Node* x) {
  Node* update[kMaxLevel];
  Node* p = header_;
  std::string_view key = x->key();
  for (int i = level_ - 1; i >= 0; --i) {
    while (Node* f = p->levels()[i].forward) {
      if (compare(f->score, f->key(), x->score, key) >= 0) break;
      p = f;
    }
    update[i] = p;
  }
  for (int i = 0; i < level_; ++i) {
    Level& u = update[i]->levels()[i];
    if (u.forward == x) {
      u.span += x->levels()[i].span - 1;
      u.forward = x->levels()[i].forward;
    } else {
      u.span -= 1;
    }
  }
  if (Node* f = x->levels()[0].forward)
    f->backward = x->backward;
  else
    tail_ = x->backward;
  while (level_ > 1 && header_->levels()[level_ - 1].forward == nullptr) --level_;
  --length_;
}

ZSetObject::Node* ZSetObject::sl_at(size_t rank) const {
  size_t target = rank + 1, traversed = 0;
  Node* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (p->levels()[i].forward && traversed + p->levels()[i].span <= target) {
      traversed += p->levels()[i].span;
      p = p->levels()[i].forward;
    }
    if (traversed == target) return p;
  }
  return nullptr;
}

// --- operations -----------------------------------------------------------------------------

bool ZSetObject::score(std::string_view m, double* out) const {
  if (packed_) {
    LpItem it;
    if (!lp_find(m, &it)) return false;
    *out = it.score;
    return true;
  }
  const Node* n = dict_.find(m);
  if (!n) return false;
  *out = n->score;
  return true;
}

void ZSetObject::insert(std::string_view m, double score) {
  if (packed_) {
    if (lp_count_ + 1 <= limits_.max_listpack_entries && m.size() <= limits_.max_listpack_value) {
      lp_insert(m, score);
      return;
    }
    convert_to_skiplist();
  }
  Node* n = make_node(random_level(), m, score);
  sl_link(n);
  dict_.insert(n);
  node_bytes_ += n->alloc_size();
}

void ZSetObject::update(std::string_view m, double score) {
  if (packed_) {
    LpItem it;
    if (!lp_find(m, &it)) return;
    std::string copy(m);  // m may point into the buffer
    lp_erase(it);
    lp_insert(copy, score);
    return;
  }
  Node* n = dict_.find(m);
  if (!n) return;
  const Node* b = n->backward;
  const Node* f = n->levels()[0].forward;
  if ((!b || compare(b->score, b->key(), score, n->key()) < 0) &&
      (!f || compare(f->score, f->key(), score, n->key()) > 0)) {
    n->score = score;  // the order is unchanged
    return;
  }
  sl_unlink(n);
  n->score = score;
  sl_link(n);
}

bool ZSetObject::erase(std::string_view m) {
  if (packed_) {
    LpItem it;
    if (!lp_find(m, &it)) return false;
    lp_erase(it);
    return true;
  }
  Node** link = dict_.find_link(m);
  if (!link) return false;
  Node* n = *link;
  sl_unlink(n);
  dict_.unlink_at(link);
  node_bytes_ -= n->alloc_size();
  dq::storage::mem_free(n);
  return true;
}

bool ZSetObject::rank(std::string_view m, size_t* out) const {
  if (packed_) {
    size_t r = 0;
    for (uint32_t off = 0; off < lp_len_; ++r) {
      LpItem it = lp_item(off);
      if (it.member == m) {
        *out = r;
        return true;
      }
      off = it.next;
    }
    return false;
  }
  const Node* n = dict_.find(m);
  if (!n) return false;
  size_t r = 0;
  const Node* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (const Node* f = p->levels()[i].forward) {
      if (compare(f->score, f->key(), n->score, m) > 0) break;
      r += p->levels()[i].span;
      p = f;
    }
    if (p == n) break;
  }
  *out = r - 1;
  return true;
}

size_t ZSetObject::count_below(double s, bool inclusive) const {
  auto before = [&](double v) { return inclusive ? v <= s : v < s; };
  if (packed_) {
    size_t r = 0;
    for (uint32_t off = 0; off < lp_len_; ++r) {
      LpItem it = lp_item(off);
      if (!before(it.score)) break;
      off = it.next;
    }
    return r;
  }
  size_t r = 0;
  const Node* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (const Node* f = p->levels()[i].forward) {
      if (!before(f->score)) break;
      r += p->levels()[i].span;
      p = f;
    }
  }
  return r;
}

size_t ZSetObject::lex_rank(const LexBound& b, bool lower) const {
  if (b.kind == LexBound::Kind::NegInf) return 0;
  if (b.kind == LexBound::Kind::PosInf) return size();
  // Members that come before the range (lower) or up to its end (upper).
  bool le = lower ? b.exclusive : !b.exclusive;
  std::string_view v = b.value;
  auto before = [&](std::string_view m) {
    int c = compare_members(m, v);
    return le ? c <= 0 : c < 0;
  };
  if (packed_) {
    size_t r = 0;
    for (uint32_t off = 0; off < lp_len_; ++r) {
      LpItem it = lp_item(off);
      if (!before(it.member)) break;
      off = it.next;
    }
    return r;
  }
  size_t r = 0;
  const Node* p = header_;
  for (int i = level_ - 1; i >= 0; --i) {
    while (const Node* f = p->levels()[i].forward) {
      if (!before(f->key())) break;
      r += p->levels()[i].span;
      p = f;
    }
  }
  return r;
}

void ZSetObject::score_range(double min, bool minex, double max, bool maxex, size_t* lo,
                             size_t* hi) const {
  *lo = count_below(min, minex);
  *hi = count_below(max, !maxex);
}

void ZSetObject::lex_range(const LexBound& min, const LexBound& max, size_t* lo, size_t* hi) const {
  *lo = lex_rank(min, true);
  *hi = lex_rank(max, false);
}

void ZSetObject::at(size_t rank, std::string* member, double* score) const {
  for_range(rank, rank + 1, false, [&](std::string_view m, double s) {
    if (member) member->assign(m);
    *score = s;
  });
}

void ZSetObject::erase_range(size_t lo, size_t hi) {
  if (hi > size()) hi = size();
  if (lo >= hi) return;
  if (packed_) {
    uint32_t off = 0, start = 0;
    for (size_t i = 0; i < hi; ++i) {
      if (i == lo) start = off;
      off = lp_item(off).next;
    }
    LpItem span{{}, 0, start, off};
    lp_erase(span);
    lp_count_ -= static_cast<uint32_t>(hi - lo - 1);  // lp_erase counted one
    return;
  }
  Node* x = sl_at(lo);
  for (size_t i = lo; i < hi && x; ++i) {
    Node* next = x->levels()[0].forward;
    sl_unlink(x);
    dict_.unlink(x->key());
    node_bytes_ -= x->alloc_size();
    dq::storage::mem_free(x);
    x = next;
  }
}

void ZSetObject::convert_to_skiplist() {
  if (!packed_) return;
  char* old = lp_;
  uint32_t len = lp_len_;
  lp_ = nullptr;
  lp_len_ = lp_cap_ = lp_count_ = 0;
  packed_ = false;
  sl_init();
  lp_ = old;  // lp_item reads from lp_
  for (uint32_t off = 0; off < len;) {
    LpItem it = lp_item(off);
    Node* n = make_node(random_level(), it.member, it.score);
    sl_link(n);
    dict_.insert(n);
    node_bytes_ += n->alloc_size();
    off = it.next;
  }
  dq::storage::mem_free(old);
  lp_ = nullptr;
}

void ZSetObject::shrink_if_fits() {
  if (packed_ || length_ > limits_.max_listpack_entries) return;
  size_t bytes = 0;
  for (const Node* x = header_->levels()[0].forward; x; x = x->levels()[0].forward) {
    if (x->len > limits_.max_listpack_value) return;
    bytes += lp_entry_size(x->key());
  }
  char* buf = bytes ? static_cast<char*>(dq::storage::mem_malloc(bytes)) : nullptr;
  if (bytes && !buf) throw std::bad_alloc();
  char* p = buf;
  uint32_t count = 0;
  for (const Node* x = header_->levels()[0].forward; x; x = x->levels()[0].forward) {
    std::string_view m = x->key();
    p += put_varint(p, m.size());
    if (!m.empty()) std::memcpy(p, m.data(), m.size());
    std::memcpy(p + m.size(), &x->score, 8);
    p += m.size() + 8;
    ++count;
  }
  free_skiplist();
  packed_ = true;
  lp_ = buf;
  lp_len_ = lp_cap_ = static_cast<uint32_t>(bytes);
  lp_count_ = count;
}

}  // namespace dq::storage
