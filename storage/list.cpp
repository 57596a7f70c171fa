#include "storage/list.h"

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "storage/memory.h"
#include "storage/varint.h"

namespace dq::storage {

namespace {
// Redis's list-max-listpack-size: -1..-5 = 4, 8, 16, 32, 64 KiB; positive = entry count.
constexpr size_t kSizeClasses[] = {4096, 8192, 16384, 32768, 65536};
constexpr size_t kInitialCap = 64;

// The back length is the varint's bytes reversed, so it reads backwards from the entry end.
void put_backlen(char* end, size_t v) {
  char tmp[10];
  size_t n = put_varint(tmp, v);
  for (size_t i = 0; i < n; ++i) end[-1 - static_cast<ptrdiff_t>(i)] = tmp[i];
}
size_t get_backlen(const char* end) {
  size_t r = 0, shift = 0;
  for (ptrdiff_t i = -1;; --i) {
    unsigned char b = static_cast<unsigned char>(end[i]);
    r |= static_cast<size_t>(b & 127) << shift;
    if (!(b & 128)) break;
    shift += 7;
  }
  return r;
}
}  // namespace

size_t ListLimits::node_bytes() const {
  if (max_listpack_size >= 0) return 64 * 1024;  // count-limited nodes still cap their bytes
  int i = std::min(5, std::max(1, -max_listpack_size)) - 1;
  return kSizeClasses[i];
}
size_t ListLimits::node_count() const {
  return max_listpack_size > 0 ? static_cast<size_t>(max_listpack_size) : 0;
}

QueueList::~QueueList() {
  Node* n = head_;
  while (n) {
    Node* next = n->next;
    dq::storage::mem_free(n->buf);
    delete n;
    n = next;
  }
}

size_t QueueList::memory() const { return sizeof(*this) + bytes_ + nodes_ * sizeof(Node); }

Object* QueueList::clone() const {
  auto* c = new QueueList(limits_);
  range(0, count_ ? count_ - 1 : 0, [&](std::string_view v) { c->push_back(v); });
  return c;
}

bool QueueList::compact() const { return nodes_ <= 1; }

size_t QueueList::entry_size(size_t len) { return 2 * varint_size(len) + len; }

std::string_view QueueList::entry_at(const Node* n, uint32_t off, uint32_t* next_off) {
  size_t len;
  size_t h = get_varint(n->buf + off, &len);
  *next_off = static_cast<uint32_t>(off + h + len + varint_size(len));
  return std::string_view(n->buf + off + h, len);
}

uint32_t QueueList::prev_entry(const Node* n, uint32_t off) {
  size_t len = get_backlen(n->buf + off);
  return static_cast<uint32_t>(off - entry_size(len));
}

void QueueList::write_entry(char* p, std::string_view v) {
  size_t h = put_varint(p, v.size());
  if (!v.empty()) std::memcpy(p + h, v.data(), v.size());
  put_backlen(p + h + v.size() + varint_size(v.size()), v.size());
}

QueueList::Node* QueueList::new_node(size_t need, bool room_at_front) {
  auto* n = new Node;
  size_t cap = std::max(need, std::min(kInitialCap, limits_.node_bytes()));
  n->buf = static_cast<char*>(dq::storage::mem_malloc(cap));
  if (!n->buf) throw std::bad_alloc();
  n->cap = static_cast<uint32_t>(cap);
  n->head = n->tail = room_at_front ? n->cap : 0;
  bytes_ += cap;
  ++nodes_;
  return n;
}

void QueueList::link_front(Node* n) {
  n->next = head_;
  n->prev = nullptr;
  if (head_) head_->prev = n;
  head_ = n;
  if (!tail_) tail_ = n;
}

void QueueList::link_back(Node* n) {
  n->prev = tail_;
  n->next = nullptr;
  if (tail_) tail_->next = n;
  tail_ = n;
  if (!head_) head_ = n;
}

void QueueList::unlink(Node* n) {
  if (n->prev)
    n->prev->next = n->next;
  else
    head_ = n->next;
  if (n->next)
    n->next->prev = n->prev;
  else
    tail_ = n->prev;
  bytes_ -= n->cap;
  --nodes_;
  dq::storage::mem_free(n->buf);
  delete n;
}

bool QueueList::fits(const Node* n, size_t add) const {
  if (n->used() + add > limits_.node_bytes()) return false;
  size_t maxc = limits_.node_count();
  return maxc == 0 || n->count < maxc;
}

bool QueueList::room_back(Node* n, size_t need) {
  if (n->cap - n->tail >= need) return true;
  size_t used = n->used();
  if (n->cap >= used + need) {  // slide content to the front of the buffer
    std::memmove(n->buf, n->buf + n->head, used);
    n->head = 0;
    n->tail = static_cast<uint32_t>(used);
    return true;
  }
  size_t cap = std::max<size_t>({used + need, static_cast<size_t>(n->cap) * 2, kInitialCap});
  cap = std::min(cap, std::max(limits_.node_bytes(), used + need));
  char* b = static_cast<char*>(dq::storage::mem_malloc(cap));
  if (!b) throw std::bad_alloc();
  std::memcpy(b, n->buf + n->head, used);
  dq::storage::mem_free(n->buf);
  bytes_ += cap - n->cap;
  n->buf = b;
  n->cap = static_cast<uint32_t>(cap);
  n->head = 0;
  n->tail = static_cast<uint32_t>(used);
  return true;
}

bool QueueList::room_front(Node* n, size_t need) {
  if (n->head >= need) return true;
  size_t used = n->used();
  size_t cap = n->cap;
  if (cap < used + need) {
    cap = std::max<size_t>({used + need, cap * 2, kInitialCap});
    cap = std::min(cap, std::max(limits_.node_bytes(), used + need));
  }
  char* b = static_cast<char*>(dq::storage::mem_malloc(cap));
  if (!b) throw std::bad_alloc();
  // Place the content at the end so the free space is in front.
  std::memcpy(b + cap - used, n->buf + n->head, used);
  dq::storage::mem_free(n->buf);
  bytes_ += cap - n->cap;
  n->buf = b;
  n->cap = static_cast<uint32_t>(cap);
  n->tail = static_cast<uint32_t>(cap);
  n->head = static_cast<uint32_t>(cap - used);
  return true;
}

void QueueList::push_back(std::string_view v) {
  size_t es = entry_size(v.size());
  Node* n = tail_;
  if (!n || !fits(n, es)) {
    n = new_node(es, false);
    link_back(n);
  }
  room_back(n, es);
  write_entry(n->buf + n->tail, v);
  n->tail += static_cast<uint32_t>(es);
  ++n->count;
  ++count_;
}

void QueueList::push_front(std::string_view v) {
  size_t es = entry_size(v.size());
  Node* n = head_;
  if (!n || !fits(n, es)) {
    n = new_node(es, true);
    link_front(n);
  }
  room_front(n, es);
  n->head -= static_cast<uint32_t>(es);
  write_entry(n->buf + n->head, v);
  ++n->count;
  ++count_;
}

bool QueueList::pop_front(std::string* out) {
  Node* n = head_;
  if (!n) return false;
  uint32_t next;
  std::string_view v = entry_at(n, n->head, &next);
  if (out) out->assign(v);
  n->head = next;
  --n->count;
  --count_;
  if (n->count == 0) unlink(n);
  return true;
}

bool QueueList::pop_back(std::string* out) {
  Node* n = tail_;
  if (!n) return false;
  uint32_t off = prev_entry(n, n->tail);
  uint32_t next;
  std::string_view v = entry_at(n, off, &next);
  if (out) out->assign(v);
  n->tail = off;
  --n->count;
  --count_;
  if (n->count == 0) unlink(n);
  return true;
}

QueueList::Pos QueueList::locate(size_t index) const {
  if (index < count_ / 2 + 1) {
    Node* n = head_;
    while (index >= n->count) {
      index -= n->count;
      n = n->next;
    }
    uint32_t off = n->head;
    while (index--) entry_at(n, off, &off);
    return {n, off};
  }
  size_t from_end = count_ - 1 - index;  // 0 = last element
  Node* n = tail_;
  while (from_end >= n->count) {
    from_end -= n->count;
    n = n->prev;
  }
  uint32_t off = prev_entry(n, n->tail);
  while (from_end--) off = prev_entry(n, off);
  return {n, off};
}

bool QueueList::at(int64_t index, std::string* out) const {
  if (index < 0) index += static_cast<int64_t>(count_);
  if (index < 0 || static_cast<size_t>(index) >= count_) return false;
  Pos p = locate(static_cast<size_t>(index));
  uint32_t next;
  out->assign(entry_at(p.node, p.off, &next));
  return true;
}

void QueueList::erase_at(Pos p) {
  Node* n = p.node;
  uint32_t next;
  entry_at(n, p.off, &next);
  std::memmove(n->buf + p.off, n->buf + next, n->tail - next);
  n->tail -= next - p.off;
  --n->count;
  --count_;
  if (n->count == 0) unlink(n);
}

void QueueList::insert_at(Pos p, std::string_view v) {
  Node* n = p.node;
  size_t es = entry_size(v.size());
  if (fits(n, es)) {
    uint32_t rel = p.off - n->head;
    room_back(n, es);
    uint32_t off = n->head + rel;
    std::memmove(n->buf + off + es, n->buf + off, n->tail - off);
    write_entry(n->buf + off, v);
    n->tail += static_cast<uint32_t>(es);
    ++n->count;
    ++count_;
    return;
  }
  // Split n at p.off: [head, off) stays, [off, tail) moves to a new node after n; v goes
  // into its own node between them (or at the end of n if it fits there).
  Node* right = nullptr;
  if (p.off > n->head) {
    size_t moved = n->tail - p.off;
    if (moved) {
      right = new_node(moved, false);
      std::memcpy(right->buf, n->buf + p.off, moved);
      right->tail = static_cast<uint32_t>(moved);
      uint32_t off = p.off;
      while (off < n->tail) {
        entry_at(n, off, &off);
        ++right->count;
      }
      n->count -= right->count;
      n->tail = p.off;
      right->prev = n;
      right->next = n->next;
      if (n->next)
        n->next->prev = right;
      else
        tail_ = right;
      n->next = right;
    }
  }
  Node* single = new_node(es, false);
  write_entry(single->buf, v);
  single->tail = static_cast<uint32_t>(es);
  single->count = 1;
  if (p.off == n->head && !right) {  // before n
    single->next = n;
    single->prev = n->prev;
    if (n->prev)
      n->prev->next = single;
    else
      head_ = single;
    n->prev = single;
  } else {  // after n (before right, if any)
    single->prev = n;
    single->next = n->next;
    if (n->next)
      n->next->prev = single;
    else
      tail_ = single;
    n->next = single;
  }
  ++count_;
}

bool QueueList::set(int64_t index, std::string_view v) {
  if (index < 0) index += static_cast<int64_t>(count_);
  if (index < 0 || static_cast<size_t>(index) >= count_) return false;
  size_t i = static_cast<size_t>(index);
  Pos p = locate(i);
  uint32_t next;
  std::string_view cur = entry_at(p.node, p.off, &next);
  if (cur.size() == v.size()) {
    std::memcpy(const_cast<char*>(cur.data()), v.data(), v.size());
    return true;
  }
  erase_at(p);
  if (i == count_)
    push_back(v);
  else if (i == 0)
    push_front(v);
  else
    insert_at(locate(i), v);
  return true;
}

bool QueueList::insert(std::string_view pivot, std::string_view v, bool after) {
  size_t idx = 0;
  bool found = false;
  range(0, count_ ? count_ - 1 : 0, [&](std::string_view e) {
    if (found) return;
    if (e == pivot)
      found = true;
    else
      ++idx;
  });
  if (!found) return false;
  size_t at_idx = after ? idx + 1 : idx;
  if (at_idx == count_)
    push_back(v);
  else if (at_idx == 0)
    push_front(v);
  else
    insert_at(locate(at_idx), v);
  return true;
}

size_t QueueList::remove(std::string_view v, int64_t count) {
  size_t removed = 0;
  size_t limit = count == 0 ? SIZE_MAX : static_cast<size_t>(count < 0 ? -count : count);
  if (count >= 0) {
    Node* n = head_;
    while (n && removed < limit) {
      Node* next_node = n->next;
      uint32_t off = n->head;
      bool node_gone = false;
      while (off < n->tail && removed < limit) {
        uint32_t next;
        std::string_view e = entry_at(n, off, &next);
        if (e == v) {
          node_gone = n->count == 1;
          erase_at({n, off});
          ++removed;
          if (node_gone) break;
        } else {
          off = next;
        }
      }
      n = next_node;
    }
  } else {
    Node* n = tail_;
    while (n && removed < limit) {
      Node* prev_node = n->prev;
      uint32_t off = prev_entry(n, n->tail);
      while (removed < limit) {
        uint32_t next;
        bool first = off == n->head;
        uint32_t before = first ? 0 : prev_entry(n, off);
        std::string_view e = entry_at(n, off, &next);
        if (e == v) {
          bool gone = n->count == 1;
          erase_at({n, off});
          ++removed;
          if (gone) break;
        }
        if (first) break;
        off = before;
      }
      n = prev_node;
    }
  }
  return removed;
}

void QueueList::trim(size_t start, size_t stop) {
  if (start > stop || start >= count_) {
    while (pop_front(nullptr)) {
    }
    return;
  }
  size_t tail_drop = stop + 1 < count_ ? count_ - 1 - stop : 0;
  for (size_t i = 0; i < start; ++i) pop_front(nullptr);
  for (size_t i = 0; i < tail_drop; ++i) pop_back(nullptr);
}

std::vector<int64_t> QueueList::positions(std::string_view v, int64_t rank, int64_t count,
                                          int64_t maxlen) const {
  std::vector<int64_t> out;
  if (count_ == 0) return out;
  int64_t skip = (rank > 0 ? rank : -rank) - 1;
  size_t want = count == 0 ? SIZE_MAX : static_cast<size_t>(count);
  size_t look = maxlen == 0 ? count_ : std::min<size_t>(count_, static_cast<size_t>(maxlen));
  int64_t idx = 0;
  auto visit = [&](std::string_view e, int64_t pos) {
    if (out.size() >= want) return;
    if (e == v) {
      if (skip > 0)
        --skip;
      else
        out.push_back(pos);
    }
  };
  if (rank > 0) {
    range(0, look - 1, [&](std::string_view e) { visit(e, idx++); });
  } else {
    range_reverse(0, look - 1, [&](std::string_view e) {
      visit(e, static_cast<int64_t>(count_) - 1 - idx);
      ++idx;
    });
  }
  return out;
}

}  // namespace dq::storage
