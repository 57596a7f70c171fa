// list.h — the queue: one list key is one FIFO partition.
//
// Owns: QueueList, a chunked deque of packed nodes. Must not include: sockets, libuv, protocol.
//
// Layout: a doubly linked chain of nodes; each node is one malloc'd buffer holding entries
// packed as [len varint][bytes][backlen varint] (the backlen lets us walk and pop from the
// tail), with free space kept at both ends so pushes at either end are O(1) amortised. A node
// holds up to `node_bytes` of entries (list-max-listpack-size: -2 = 8 KiB, or a count when
// positive); an entry larger than that gets a node of its own.
//
// Invariants: no node is empty; size() is the total entry count; bytes() the payload bytes.
// compact() tells whether the list fits one node (Redis 7.2's "listpack"); lists are created
// with the QuickList encoding and OBJECT ENCODING answers "quicklist" for every list, as the
// Redis 7.0 reference does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/value.h"

namespace dq::storage {

struct ListLimits {
  int max_listpack_size = -2;  // list-max-listpack-size
  size_t node_bytes() const;
  size_t node_count() const;  // 0: no count limit
};

class QueueList final : public Object {
 public:
  explicit QueueList(ListLimits limits = {}) : limits_(limits) {}
  ~QueueList() override;
  QueueList(const QueueList&) = delete;
  QueueList& operator=(const QueueList&) = delete;

  size_t memory() const override;
  Object* clone() const override;
  // Redis 7.2: "listpack" while the list fits one node, "quicklist" beyond.
  const char* encoding_name() const override { return compact() ? "listpack" : "quicklist"; }
  size_t free_effort() const override { return nodes_; }

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  bool compact() const;  // "listpack" encoding

  void push_front(std::string_view v);
  void push_back(std::string_view v);
  // Pops into out; false if empty.
  bool pop_front(std::string* out);
  bool pop_back(std::string* out);

  // Element at index (negative from the end); false if out of range.
  bool at(int64_t index, std::string* out) const;
  bool set(int64_t index, std::string_view v);

  // Calls fn(string_view) for elements [start, stop] (normalised, inclusive) in order.
  template <class Fn>
  void range(size_t start, size_t stop, Fn&& fn) const;
  // Same, from the tail backwards: index 0 is the last element.
  template <class Fn>
  void range_reverse(size_t start, size_t stop, Fn&& fn) const;

  // Inserts v before/after the first element equal to pivot. Returns false if no pivot.
  bool insert(std::string_view pivot, std::string_view v, bool after);
  // Removes up to count elements equal to v (count > 0 from the head, < 0 from the tail,
  // 0 all). Returns how many were removed.
  size_t remove(std::string_view v, int64_t count);
  // Keeps only [start, stop] (normalised inclusive; start > stop empties the list).
  void trim(size_t start, size_t stop);

  // Positions of v (LPOS): rank (1-based, negative from the tail), up to count matches (0 =
  // all), looking at no more than maxlen elements (0 = all).
  std::vector<int64_t> positions(std::string_view v, int64_t rank, int64_t count,
                                 int64_t maxlen) const;

 private:
  struct Node {
    Node* prev = nullptr;
    Node* next = nullptr;
    char* buf = nullptr;
    uint32_t cap = 0, head = 0, tail = 0;  // entries live in buf[head, tail)
    uint32_t count = 0;
    size_t used() const { return tail - head; }
  };
  struct Pos {
    Node* node;
    uint32_t off;  // offset of the entry's header in node->buf
  };

  static size_t entry_size(size_t len);
  static std::string_view entry_at(const Node* n, uint32_t off, uint32_t* next_off);
  static uint32_t prev_entry(const Node* n, uint32_t off);  // offset of the entry before off
  static void write_entry(char* p, std::string_view v);

  Node* new_node(size_t need, bool at_front_room);
  void link_front(Node* n);
  void link_back(Node* n);
  void unlink(Node* n);
  bool fits(const Node* n, size_t add) const;
  // Makes room for `need` bytes at the front/back of n (moving content within the node).
  bool room_front(Node* n, size_t need);
  bool room_back(Node* n, size_t need);
  Pos locate(size_t index) const;
  void erase_at(Pos p);
  // Rebuilds node n's entries with `v` inserted at entry offset `off` (entry-granular).
  void insert_at(Pos p, std::string_view v);

  ListLimits limits_;
  Node* head_ = nullptr;
  Node* tail_ = nullptr;
  size_t count_ = 0;
  size_t nodes_ = 0;
  size_t bytes_ = 0;  // bytes held by node buffers
};

template <class Fn>
void QueueList::range(size_t start, size_t stop, Fn&& fn) const {
  if (start > stop || start >= count_) return;
  Pos p = locate(start);
  size_t left = stop - start + 1;
  Node* n = p.node;
  uint32_t off = p.off;
  while (n && left) {
    while (off < n->tail && left) {
      uint32_t next;
      fn(entry_at(n, off, &next));
      off = next;
      --left;
    }
    n = n->next;
    if (n) off = n->head;
  }
}

template <class Fn>
void QueueList::range_reverse(size_t start, size_t stop, Fn&& fn) const {
  if (start > stop || start >= count_) return;
  // Index i from the tail is index count-1-i from the head.
  Pos p = locate(count_ - 1 - start);
  size_t left = stop - start + 1;
  Node* n = p.node;
  uint32_t off = p.off;
  while (n && left) {
    while (left) {
      uint32_t next;
      fn(entry_at(n, off, &next));
      --left;
      if (off == n->head) break;
      off = prev_entry(n, off);
    }
    n = n->prev;
    if (n) off = prev_entry(n, n->tail);
  }
}

}  // namespace dq::storage
