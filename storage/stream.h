// stream.h — the stream value: entries ordered by ID in compact blocks, plus consumer groups.
//
// Owns: StreamObject (entries, metadata, groups), StreamID, the trim and delete rules of Redis 7.
// Must not include: sockets, libuv, protocol, server/. Time comes in as `now_ms` arguments.
//
// Entries live in blocks (one malloc each), as Redis's listpacks inside its radix tree:
//   header: master ID (the block's first entry ID, the base of its delta-encoded IDs), used and
//   allocated bytes, live and deleted entry counts, the offset of the last entry, the number
//   of master fields, and `lp_bytes` (see below);
//   data:   the master fields (the first entry's field names), then the entries:
//     flags:1 (bit 0 deleted, bit 1 same fields as the master)
//     varint ms - master.ms
//     varint seq - master.seq when the ms part is equal, else seq
//     [varint nfields, (field, value)...]  or, with the same-fields flag, (value...) only
//   a field is [varint length][bytes]; a value is [varint length << 1][bytes], or, when it
//   is a canonical integer (as listpacks keep them), one varint: zig-zag(value) << 1 | 1.
// A 5-field entry whose field names repeat the master's costs its values plus 3-5 bytes.
//
// Index: a vector of block pointers sorted by master ID (with a head offset so trimming
// the oldest block is O(1)): seek by ID is a binary search, O(log blocks), then a walk inside
// one block (at most stream-node-max-entries entries). Appends go to the tail block.
//
// Block boundaries follow Redis exactly, because approximate trimming (`~`) only removes
// whole blocks and clients see the result (XLEN after `XADD ... MAXLEN ~ 10`): a new block
// starts when the tail holds stream-node-max-entries entries (live + deleted) or when its
// listpack size plus the new entry's raw field/value bytes reaches stream-node-max-bytes.
// `lp_bytes` is the size Redis's listpack for the same block would have (its integer and
// string encodings and back-lengths), kept up to date on every append and deletion.
//
// Deletion (XDEL, exact trims inside a block) only flags entries, as Redis does; a block
// whose last live entry is XDEL'd is freed, and trims free whole blocks from the head.
//
// Consumer groups: name -> {last delivered ID, entries-read counter, PEL (ID -> delivery
// time, delivery count, consumer) ordered by ID, consumers (name -> seen time, active time,
// own PEL ordered by ID)}. A consumer's PEL points at its group's PEL entries.
#pragma once
#include <array>
#include <charconv>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"
#include "storage/value.h"
#include "storage/varint.h"

namespace dq::storage {

struct StreamID {
  uint64_t ms = 0;
  uint64_t seq = 0;
  friend auto operator<=>(const StreamID&, const StreamID&) = default;
  friend bool operator==(const StreamID&, const StreamID&) = default;
  bool is_zero() const { return ms == 0 && seq == 0; }
  static constexpr StreamID max() { return {UINT64_MAX, UINT64_MAX}; }
  // Successor / predecessor. At the last (first) possible ID they wrap to 0-0 (max) and
  // return false, as Redis's streamIncrID / streamDecrID.
  bool incr();
  bool decr();
};

// "<ms>-<seq>" into buf (at least kStreamIdBuf bytes); returns the length.
inline constexpr size_t kStreamIdBuf = 48;
size_t format_stream_id(StreamID id, char* buf);

struct StreamLimits {
  int64_t node_max_bytes = 4096;   // stream-node-max-bytes (0: no limit)
  int64_t node_max_entries = 100;  // stream-node-max-entries (0: no limit)
};

enum class TrimStrategy : uint8_t { None, MaxLen, MinId };

struct TrimArgs {
  TrimStrategy strategy = TrimStrategy::None;
  bool approx = false;  // remove whole blocks only
  int64_t limit = 0;    // at most this many entries (0: no limit)
  int64_t maxlen = 0;
  StreamID minid;
};

// How XADD picks the new ID: "*", "<ms>-*", or an explicit "<ms>-<seq>".
enum class StreamIdMode : uint8_t { Auto, AutoSeq, Explicit };

struct StreamBlock;

// One entry as iterators yield it. Views stay valid until the stream changes.
class StreamEntry {
 public:
  StreamID id;
  size_t nfields = 0;
  // fn(std::string_view field, std::string_view value) for each pair, in order. An integer
  // value's view points into a buffer that is reused for the next pair: copy it to keep it.
  template <class Fn>
  void for_each(Fn&& fn) const;

 private:
  friend class StreamIterator;
  friend class StreamObject;
  const char* master_fields_ = nullptr;  // set when the entry shares the master's fields
  const char* data_ = nullptr;           // values, or field/value pairs
};

struct StreamConsumer;

// A pending entry (Redis's streamNACK): delivered to a consumer, not yet acknowledged.
struct StreamNack {
  int64_t delivery_time = 0;
  uint64_t delivery_count = 1;
  StreamConsumer* consumer = nullptr;
};

struct StreamConsumer {
  std::string name;
  int64_t seen_time = 0;     // last interaction (read, claim attempt)
  int64_t active_time = -1;  // last successful delivery or claim (-1: never)
  std::map<StreamID, StreamNack*> pel;
};

inline constexpr int64_t kInvalidEntriesRead = -1;

struct StreamGroup {
  StreamID last_id;
  int64_t entries_read = kInvalidEntriesRead;
  std::map<StreamID, StreamNack> pel;
  std::map<std::string, std::unique_ptr<StreamConsumer>, std::less<>> consumers;

  StreamConsumer* find_consumer(std::string_view name);
  // A new consumer seen now; nullptr if one with that name exists.
  StreamConsumer* create_consumer(std::string_view name, int64_t now_ms);
  // Deletes a consumer and its pending entries (from the group PEL too); returns how many
  // entries it had pending.
  size_t delete_consumer(StreamConsumer* c);
  // Records the delivery of id to c (XREADGROUP without NOACK): a new PEL entry, or an
  // existing one handed to c with its delivery count reset to 1 (Redis's rule).
  void deliver(StreamID id, StreamConsumer* c, int64_t now_ms);
  // Hands a pending entry to c (XCLAIM, XAUTOCLAIM); the NACK keeps its counters.
  void assign(StreamID id, StreamNack* n, StreamConsumer* c);
  // Removes id from the PEL (and its consumer's); false if it was not pending.
  bool ack(StreamID id);
};

class StreamObject final : public Object {
 public:
  StreamObject();
  ~StreamObject() override;
  StreamObject(const StreamObject&) = delete;
  StreamObject& operator=(const StreamObject&) = delete;

  size_t memory() const override;
  Object* clone() const override;
  const char* encoding_name() const override { return "stream"; }
  size_t free_effort() const override;

  // --- metadata (XINFO STREAM) ---
  uint64_t length() const { return length_; }
  StreamID last_id() const { return last_id_; }
  StreamID first_id() const { return first_id_; }  // recorded-first-entry-id
  StreamID max_deleted_id() const { return max_deleted_; }
  uint64_t entries_added() const { return entries_added_; }
  void set_last_id(StreamID id) { last_id_ = id; }
  void set_entries_added(uint64_t n) { entries_added_ = n; }
  void set_max_deleted_id(StreamID id) { max_deleted_ = id; }
  size_t block_count() const { return blocks_.size() - head_; }
  // The node count of the radix tree Redis would hold for these blocks (XINFO's
  // radix-tree-nodes), computed from the block keys in O(blocks).
  size_t rax_node_count() const;

  // --- entries ---
  // Appends one entry (fv: field, value, field, value...). mode/id as XADD's ID argument.
  // OutOfRange: the ID is not greater than the last ID (or its sequence is exhausted);
  // TooLong: the fields and values exceed what one block may hold.
  Status add(StreamIdMode mode, StreamID id, int64_t now_ms, std::span<const std::string_view> fv,
             const StreamLimits& limits, StreamID* added);
  // XTRIM / XADD's trimming; returns the number of entries removed.
  int64_t trim(const TrimArgs& args);
  // XDEL: deletes the listed IDs that exist; updates max-deleted and first IDs.
  size_t erase(std::span<const StreamID> ids);
  bool exists(StreamID id) const;
  // The last entry's ID (not a tombstone); false when empty.
  bool last_entry_id(StreamID* out) const;
  // The first entry's ID (not a tombstone); false when empty.
  bool first_entry_id(StreamID* out) const;

  // --- consumer groups ---
  StreamGroup* find_group(std::string_view name);
  const StreamGroup* find_group(std::string_view name) const;
  // nullptr when a group with that name exists.
  StreamGroup* create_group(std::string_view name, StreamID last_id, int64_t entries_read);
  bool destroy_group(std::string_view name);
  const std::map<std::string, std::unique_ptr<StreamGroup>, std::less<>>& groups() const {
    return groups_;
  }
  // A group read id (greater than its last ID): advances last_id and the entries-read
  // counter as Redis's streamReplyWithRange does.
  void group_advance(StreamGroup& g, StreamID id) const;
  // The group's lag; false when it cannot be known (Redis replies nil).
  bool group_lag(const StreamGroup& g, int64_t* lag) const;
  // Redis's streamEstimateDistanceFromFirstEverEntry (kInvalidEntriesRead if unknown).
  int64_t estimate_distance(StreamID id) const;
  bool range_has_tombstones(StreamID start, StreamID end) const;

  // Checks internal invariants (tests): counts, ordering, lp_bytes. Returns "" or a problem.
  std::string check() const;

 private:
  friend class StreamIterator;
  StreamBlock* block(size_t i) const { return blocks_[head_ + i]; }
  void set_block(size_t i, StreamBlock* b) { blocks_[head_ + i] = b; }
  void erase_block(size_t i);
  // Index of the last block whose master ID <= id, or -1.
  ptrdiff_t seek_block(StreamID id) const;
  // Finds a live entry; sets *bi and *off.
  bool find_entry(StreamID id, size_t* bi, uint32_t* off) const;
  // Flags the entry at off deleted (it must be live). Frees the block when it was its last
  // live entry (returns true then).
  bool mark_deleted(size_t bi, uint32_t off);
  void update_first_id();

  std::vector<StreamBlock*> blocks_;
  size_t head_ = 0;  // blocks_[0, head_) are trimmed slots not yet compacted
  size_t block_bytes_ = 0;
  uint64_t length_ = 0;
  StreamID last_id_;
  StreamID first_id_;
  StreamID max_deleted_;
  uint64_t entries_added_ = 0;
  std::map<std::string, std::unique_ptr<StreamGroup>, std::less<>> groups_;
};

// Walks entries with IDs in [start, end] (inclusive), ascending or descending; tombstones
// are skipped. The stream must not change while an iterator is in use.
class StreamIterator {
 public:
  StreamIterator(const StreamObject& s, StreamID start, StreamID end, bool rev);
  bool next(StreamEntry* e);

 private:
  bool load_block();
  const StreamObject& s_;
  StreamID start_, end_;
  bool rev_;
  bool done_ = false;
  ptrdiff_t bi_;  // current block
  const StreamBlock* b_ = nullptr;
  uint32_t off_ = 0;            // forward: next entry offset
  std::vector<uint32_t> offs_;  // reverse: entry offsets of the block
  size_t oi_ = 0;               // reverse: entries left in offs_
};

template <class Fn>
void StreamEntry::for_each(Fn&& fn) const {
  const char* d = data_;
  const char* f = master_fields_;
  char num[24];  // an integer value, formatted back (valid during the call of fn)
  for (size_t i = 0; i < nfields; ++i) {
    uint64_t n;
    std::string_view field, value;
    if (f) {
      f += get_varint(f, &n);
      field = std::string_view(f, n);
      f += n;
    } else {
      d += get_varint(d, &n);
      field = std::string_view(d, n);
      d += n;
    }
    d += get_varint(d, &n);
    if (n & 1) {
      uint64_t zz = n >> 1;
      int64_t x = static_cast<int64_t>(zz >> 1) ^ -static_cast<int64_t>(zz & 1);
      value = std::string_view(num, static_cast<size_t>(std::to_chars(num, num + 24, x).ptr - num));
    } else {
      value = std::string_view(d, n >> 1);
      d += n >> 1;
    }
    fn(field, value);
  }
}

}  // namespace dq::storage
