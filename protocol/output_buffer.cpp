#include "protocol/output_buffer.h"

#include <algorithm>

namespace dq::protocol {

char* OutputBuffer::grow(size_t n) {
  // A fully drained single block is reused from its start instead of allocating.
  if (!blocks_.empty()) {
    Block& b = blocks_.back();
    if (b.start == b.end && blocks_.size() == 1 && b.cap >= n) {
      b.start = b.end = 0;
      return b.data.get();
    }
  }
  Block nb;
  nb.cap = std::max(n, kBlockSize);
  nb.data.reset(new char[nb.cap]);
  allocated_ += nb.cap;
  blocks_.push_back(std::move(nb));
  return blocks_.back().data.get();
}

void OutputBuffer::append(const char* p, size_t n) {
  // Fill the tail block first, then put the remainder in one new block.
  if (!blocks_.empty()) {
    Block& b = blocks_.back();
    size_t room = b.cap - b.end;
    if (room >= n) {
      std::memcpy(b.data.get() + b.end, p, n);
      b.end += n;
      size_ += n;
      return;
    }
    if (room > 0 && n > room) {
      std::memcpy(b.data.get() + b.end, p, room);
      b.end += room;
      size_ += room;
      p += room;
      n -= room;
    }
  }
  char* dst = grow(n);
  std::memcpy(dst, p, n);
  commit(n);
}

int OutputBuffer::export_iov(iovec* out, int max) const {
  int k = 0;
  for (const Block& b : blocks_) {
    if (k == max) break;
    if (b.end == b.start) continue;
    out[k].iov_base = b.data.get() + b.start;
    out[k].iov_len = b.end - b.start;
    ++k;
  }
  return k;
}

void OutputBuffer::consume(size_t n) {
  size_ -= n;
  while (n > 0 && !blocks_.empty()) {
    Block& b = blocks_.front();
    size_t have = b.end - b.start;
    if (n < have) {
      b.start += n;
      return;
    }
    n -= have;
    if (blocks_.size() == 1) {
      b.start = b.end = 0;
      // Keep one standard block for reuse; free an oversized one.
      if (b.cap > kBlockSize) {
        allocated_ -= b.cap;
        blocks_.pop_front();
      }
      return;
    }
    allocated_ -= b.cap;
    blocks_.pop_front();
  }
}

void OutputBuffer::clear() {
  blocks_.clear();
  size_ = 0;
  allocated_ = 0;
}

void OutputBuffer::truncate_to(size_t mark) {
  while (size_ > mark && !blocks_.empty()) {
    Block& b = blocks_.back();
    size_t have = b.end - b.start;
    size_t drop = std::min(have, size_ - mark);
    b.end -= drop;
    size_ -= drop;
    if (b.end == b.start && blocks_.size() > 1) {
      allocated_ -= b.cap;
      blocks_.pop_back();
    }
  }
}

}  // namespace dq::protocol
