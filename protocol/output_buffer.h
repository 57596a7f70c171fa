// output_buffer.h — a connection's pending reply bytes.
//
// Owns: a chain of fixed-capacity blocks. Replies are appended at the tail; the socket layer
// exports the head as iovecs, writes, and consumes what the kernel took.
// Must not include: sockets, libuv, storage.
// Invariants: bytes never move once appended, and a block is freed only by consume(); so an
// asynchronous write in flight may keep pointing at the exported iovecs while new replies are
// appended behind them.
#pragma once
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string_view>

namespace dq::protocol {

class OutputBuffer {
 public:
  static constexpr size_t kBlockSize = 16 * 1024;

  OutputBuffer() = default;
  OutputBuffer(const OutputBuffer&) = delete;
  OutputBuffer& operator=(const OutputBuffer&) = delete;

  // Returns a pointer to at least n contiguous writable bytes at the tail; commit() what was used.
  char* reserve(size_t n) {
    if (!blocks_.empty()) {
      Block& b = blocks_.back();
      if (b.cap - b.end >= n) return b.data.get() + b.end;
    }
    return grow(n);
  }
  void commit(size_t n) {
    blocks_.back().end += n;
    size_ += n;
  }
  void append(const char* p, size_t n);
  void append(std::string_view s) { append(s.data(), s.size()); }
  void append_char(char c) {
    *reserve(1) = c;
    commit(1);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Bytes allocated (what output-buffer limits count).
  size_t memory() const { return allocated_; }

  // Fills up to max iovecs from the head; returns how many.
  int export_iov(iovec* out, int max) const;
  // Drops n bytes from the head (after the kernel took them).
  void consume(size_t n);
  void clear();
  // Removes bytes appended after `mark` (a size() taken earlier): used to undo a partial reply.
  void truncate_to(size_t mark);

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t cap = 0, start = 0, end = 0;
  };
  char* grow(size_t n);

  std::deque<Block> blocks_;
  size_t size_ = 0;
  size_t allocated_ = 0;
};

}  // namespace dq::protocol
