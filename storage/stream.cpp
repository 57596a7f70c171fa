#include "storage/stream.h"

#include <malloc.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <new>

#include "storage/memory.h"

namespace dq::storage {

// The block: a fixed header, then data (master fields, entries). See stream.h.
struct StreamBlock {
  StreamID master;
  uint32_t used;            // data bytes in use
  uint32_t cap;             // data bytes allocated
  uint32_t live;            // entries not flagged deleted
  uint32_t deleted;         // entries flagged deleted
  uint32_t lp_bytes;        // the size of Redis's listpack for this block
  uint32_t entries_off;     // offset of the first entry (after the master fields)
  uint32_t last_off;        // offset of the last entry
  uint32_t master_nfields;  // number of master fields
  char* data() { return reinterpret_cast<char*>(this + 1); }
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
};
static_assert(sizeof(StreamBlock) == 48);

namespace {

constexpr uint8_t kFlagDeleted = 1;
constexpr uint8_t kFlagSameFields = 2;
constexpr uint64_t kMaxBlockBytes = uint64_t(1) << 30;  // Redis's STREAM_LISTPACK_MAX_SIZE

// --- Redis listpack element sizes (the block boundary rule depends on them) ---------------

uint32_t lp_backlen_size(uint64_t l) {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

uint32_t lp_int_size(int64_t v) {
  uint32_t enc;
  if (v >= 0 && v <= 127)
    enc = 1;
  else if (v >= -4096 && v <= 4095)
    enc = 2;
  else if (v >= -32768 && v <= 32767)
    enc = 3;
  else if (v >= -8388608 && v <= 8388607)
    enc = 4;
  else if (v >= INT32_MIN && v <= INT32_MAX)
    enc = 5;
  else
    enc = 9;
  return enc + 1;  // encodings of up to 9 bytes have a 1-byte back-length
}

// A string that is a canonical int64 is stored by listpacks as an integer.
uint32_t lp_str_size(std::string_view s) {
  int64_t v;
  if (string_to_int64(s, &v)) return lp_int_size(v);
  uint64_t len = s.size();
  uint64_t enc = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return static_cast<uint32_t>(enc + lp_backlen_size(enc));
}

size_t str_size(std::string_view s) { return varint_size(s.size()) + s.size(); }

char* put_str(char* p, std::string_view s) {
  p += put_varint(p, s.size());
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

const char* skip_str(const char* p) {
  uint64_t n;
  p += get_varint(p, &n);
  return p + n;
}

// Values: a canonical integer (as listpacks store them) is its zig-zag varint with the low
// bit set; anything else is varint(length << 1) and the bytes.
constexpr int64_t kIntValueLimit = int64_t(1) << 61;

bool value_as_int(std::string_view v, uint64_t* header) {
  int64_t x;
  if (v.size() > 20 || !string_to_int64(v, &x) || x >= kIntValueLimit || x <= -kIntValueLimit)
    return false;
  uint64_t zz = (static_cast<uint64_t>(x) << 1) ^ static_cast<uint64_t>(x >> 63);
  *header = (zz << 1) | 1;
  return true;
}

size_t value_size(std::string_view v) {
  uint64_t h;
  if (value_as_int(v, &h)) return varint_size(h);
  return varint_size(static_cast<uint64_t>(v.size()) << 1) + v.size();
}

char* put_value(char* p, std::string_view v) {
  uint64_t h;
  if (value_as_int(v, &h)) return p + put_varint(p, h);
  p += put_varint(p, static_cast<uint64_t>(v.size()) << 1);
  if (!v.empty()) std::memcpy(p, v.data(), v.size());
  return p + v.size();
}

const char* skip_value(const char* p) {
  uint64_t h;
  p += get_varint(p, &h);
  return (h & 1) ? p : p + (h >> 1);
}

// One entry of a block, decoded.
struct RawEntry {
  StreamID id;
  uint8_t flags;
  uint32_t nfields;
  const char* body;  // values (same fields) or field/value pairs
  uint32_t next;     // offset of the following entry
};

void decode(const StreamBlock* b, uint32_t off, RawEntry* r) {
  const char* base = b->data();
  const char* p = base + off;
  r->flags = static_cast<uint8_t>(*p++);
  uint64_t msd, sq;
  p += get_varint(p, &msd);
  p += get_varint(p, &sq);
  r->id.ms = b->master.ms + msd;
  r->id.seq = msd == 0 ? b->master.seq + sq : sq;
  size_t strings;
  if (r->flags & kFlagSameFields) {
    r->nfields = b->master_nfields;
    strings = r->nfields;
  } else {
    uint64_t nf;
    p += get_varint(p, &nf);
    r->nfields = static_cast<uint32_t>(nf);
    strings = 2 * nf;
  }
  r->body = p;
  if (r->flags & kFlagSameFields) {
    for (size_t i = 0; i < strings; ++i) p = skip_value(p);
  } else {
    for (size_t i = 0; i < strings; i += 2) p = skip_value(skip_str(p));
  }
  r->next = static_cast<uint32_t>(p - base);
}

// Redis's listpack size of one entry appended to a block with master `master`.
uint32_t lp_entry_size(StreamID master, StreamID id, bool same,
                       std::span<const std::string_view> fv) {
  size_t nf = fv.size() / 2;
  uint32_t n = lp_int_size(same ? kFlagSameFields : 0);
  n += lp_int_size(static_cast<int64_t>(id.ms - master.ms));
  n += lp_int_size(static_cast<int64_t>(id.seq - master.seq));
  if (!same) {
    n += lp_int_size(static_cast<int64_t>(nf));
    for (size_t i = 0; i < nf; ++i) n += lp_str_size(fv[2 * i]);
  }
  for (size_t i = 0; i < nf; ++i) n += lp_str_size(fv[2 * i + 1]);
  int64_t lp_count = static_cast<int64_t>(nf) + 3;
  if (!same) lp_count += static_cast<int64_t>(nf) + 1;
  n += lp_int_size(lp_count);
  return n;
}

StreamBlock* alloc_block(size_t cap) {
  auto* b = static_cast<StreamBlock*>(dq::storage::mem_malloc(sizeof(StreamBlock) + cap));
  if (!b) throw std::bad_alloc();
  b->cap = static_cast<uint32_t>(cap);
  return b;
}

StreamBlock* realloc_block(StreamBlock* b, size_t cap) {
  auto* n = static_cast<StreamBlock*>(dq::storage::mem_realloc(b, sizeof(StreamBlock) + cap));
  if (!n) throw std::bad_alloc();
  n->cap = static_cast<uint32_t>(cap);
  return n;
}

size_t usable(const void* p) { return malloc_usable_size(const_cast<void*>(p)); }

}  // namespace

// ---------------------------------------------------------------------------------------
// StreamID

bool StreamID::incr() {
  if (seq == UINT64_MAX) {
    if (ms == UINT64_MAX) {
      ms = seq = 0;
      return false;
    }
    ++ms;
    seq = 0;
    return true;
  }
  ++seq;
  return true;
}

bool StreamID::decr() {
  if (seq == 0) {
    if (ms == 0) {
      ms = seq = UINT64_MAX;
      return false;
    }
    --ms;
    seq = UINT64_MAX;
    return true;
  }
  --seq;
  return true;
}

size_t format_stream_id(StreamID id, char* buf) {
  char* p = std::to_chars(buf, buf + 20, id.ms).ptr;
  *p++ = '-';
  p = std::to_chars(p, p + 20, id.seq).ptr;
  return static_cast<size_t>(p - buf);
}

// ---------------------------------------------------------------------------------------
// Consumer groups

StreamConsumer* StreamGroup::find_consumer(std::string_view name) {
  auto it = consumers.find(name);
  return it == consumers.end() ? nullptr : it->second.get();
}

StreamConsumer* StreamGroup::create_consumer(std::string_view name, int64_t now_ms) {
  if (consumers.find(name) != consumers.end()) return nullptr;
  auto c = std::make_unique<StreamConsumer>();
  c->name.assign(name);
  c->seen_time = now_ms;
  c->active_time = -1;
  StreamConsumer* p = c.get();
  consumers.emplace(std::string(name), std::move(c));
  return p;
}

size_t StreamGroup::delete_consumer(StreamConsumer* c) {
  size_t n = c->pel.size();
  for (const auto& [id, nack] : c->pel) pel.erase(id);
  std::string name = c->name;
  consumers.erase(name);
  return n;
}

void StreamGroup::deliver(StreamID id, StreamConsumer* c, int64_t now_ms) {
  auto [it, inserted] = pel.try_emplace(id);
  StreamNack& n = it->second;
  if (!inserted && n.consumer) n.consumer->pel.erase(id);
  n.consumer = c;
  n.delivery_time = now_ms;
  n.delivery_count = 1;
  c->pel[id] = &n;
}

void StreamGroup::assign(StreamID id, StreamNack* n, StreamConsumer* c) {
  if (n->consumer == c) return;
  if (n->consumer) n->consumer->pel.erase(id);
  c->pel[id] = n;
  n->consumer = c;
}

bool StreamGroup::ack(StreamID id) {
  auto it = pel.find(id);
  if (it == pel.end()) return false;
  if (it->second.consumer) it->second.consumer->pel.erase(id);
  pel.erase(it);
  return true;
}

// ---------------------------------------------------------------------------------------
// StreamObject

StreamObject::StreamObject() = default;

StreamObject::~StreamObject() {
  for (size_t i = head_; i < blocks_.size(); ++i) dq::storage::mem_free(blocks_[i]);
}

size_t StreamObject::memory() const {
  size_t m = sizeof(*this) + blocks_.capacity() * sizeof(StreamBlock*) + block_bytes_;
  for (const auto& [name, g] : groups_) {
    m += sizeof(StreamGroup) + 48 + name.size();
    m += g->pel.size() * 80;
    for (const auto& [cname, c] : g->consumers)
      m += sizeof(StreamConsumer) + 48 + 2 * cname.size() + c->pel.size() * 64;
  }
  return m;
}

size_t StreamObject::free_effort() const {
  size_t n = block_count();
  for (const auto& [name, g] : groups_) n += 1 + g->pel.size() + g->consumers.size();
  return n;
}

Object* StreamObject::clone() const {
  auto* s = new StreamObject();
  s->blocks_.reserve(block_count());
  for (size_t i = 0; i < block_count(); ++i) {
    const StreamBlock* b = block(i);
    StreamBlock* n = alloc_block(b->used);
    std::memcpy(n, b, sizeof(StreamBlock) + b->used);
    n->cap = b->used;
    s->blocks_.push_back(n);
    s->block_bytes_ += usable(n);
  }
  s->length_ = length_;
  s->last_id_ = last_id_;
  s->first_id_ = first_id_;
  s->max_deleted_ = max_deleted_;
  s->entries_added_ = entries_added_;
  for (const auto& [name, g] : groups_) {
    auto ng = std::make_unique<StreamGroup>();
    ng->last_id = g->last_id;
    ng->entries_read = g->entries_read;
    ng->pel = g->pel;
    for (const auto& [cname, c] : g->consumers) {
      auto nc = std::make_unique<StreamConsumer>();
      nc->name = c->name;
      nc->seen_time = c->seen_time;
      nc->active_time = c->active_time;
      for (const auto& [id, nack] : c->pel) {
        StreamNack* p = &ng->pel.at(id);
        p->consumer = nc.get();
        nc->pel.emplace(id, p);
      }
      ng->consumers.emplace(cname, std::move(nc));
    }
    s->groups_.emplace(name, std::move(ng));
  }
  return s;
}

void StreamObject::erase_block(size_t i) {
  StreamBlock* b = block(i);
  block_bytes_ -= usable(b);
  dq::storage::mem_free(b);
  if (i == 0) {
    ++head_;
    // Compact the trimmed slots once they dominate.
    if (head_ >= 64 && head_ * 2 >= blocks_.size()) {
      blocks_.erase(blocks_.begin(), blocks_.begin() + static_cast<ptrdiff_t>(head_));
      head_ = 0;
    }
  } else {
    blocks_.erase(blocks_.begin() + static_cast<ptrdiff_t>(head_ + i));
  }
  if (head_ == blocks_.size()) {
    blocks_.clear();
    head_ = 0;
  }
}

ptrdiff_t StreamObject::seek_block(StreamID id) const {
  auto first = blocks_.begin() + static_cast<ptrdiff_t>(head_);
  auto it = std::upper_bound(first, blocks_.end(), id,
                             [](StreamID v, const StreamBlock* b) { return v < b->master; });
  return (it - first) - 1;
}

Status StreamObject::add(StreamIdMode mode, StreamID id, int64_t now_ms,
                         std::span<const std::string_view> fv, const StreamLimits& limits,
                         StreamID* added) {
  StreamID nid;
  switch (mode) {
    case StreamIdMode::Explicit:
      nid = id;
      break;
    case StreamIdMode::AutoSeq:
      if (last_id_.ms == id.ms) {
        if (last_id_.seq == UINT64_MAX) return Status::OutOfRange;
        nid = last_id_;
        ++nid.seq;
      } else {
        nid = {id.ms, 0};
      }
      break;
    case StreamIdMode::Auto:
      if (now_ms > 0 && static_cast<uint64_t>(now_ms) > last_id_.ms) {
        nid = {static_cast<uint64_t>(now_ms), 0};
      } else {
        nid = last_id_;
        nid.incr();
      }
      break;
  }
  if (nid <= last_id_) return Status::OutOfRange;

  size_t nf = fv.size() / 2;
  uint64_t raw = 0;
  for (std::string_view s : fv) raw += s.size();
  if (raw > kMaxBlockBytes) return Status::TooLong;

  size_t n = block_count();
  StreamBlock* b = n ? block(n - 1) : nullptr;
  if (b) {
    uint64_t max_bytes = static_cast<uint64_t>(limits.node_max_bytes);
    if (max_bytes == 0 || max_bytes > kMaxBlockBytes) max_bytes = kMaxBlockBytes;
    bool fresh = b->lp_bytes + raw >= max_bytes;
    if (!fresh && limits.node_max_entries > 0 &&
        static_cast<int64_t>(b->live) + b->deleted >= limits.node_max_entries)
      fresh = true;
    if (fresh) {
      // The block is complete: give back its slack.
      if (b->cap > b->used) {
        block_bytes_ -= usable(b);
        b = realloc_block(b, b->used);
        block_bytes_ += usable(b);
        set_block(n - 1, b);
      }
      b = nullptr;
    }
  }

  bool same = true;
  size_t entry_size = 1 + varint_size(0) + varint_size(0);  // recomputed below
  if (!b) {
    size_t mf = 0;
    for (size_t i = 0; i < nf; ++i) mf += str_size(fv[2 * i]);
    size_t values = 0;
    for (size_t i = 0; i < nf; ++i) values += value_size(fv[2 * i + 1]);
    entry_size = 1 + 1 + 1 + values;
    size_t cap = std::max<size_t>(64, 2 * (mf + entry_size));
    b = alloc_block(cap);
    b->master = nid;
    b->used = 0;
    b->live = 0;
    b->deleted = 0;
    b->master_nfields = static_cast<uint32_t>(nf);
    char* p = b->data();
    uint32_t lp = 7 + lp_int_size(0) + lp_int_size(0) + lp_int_size(static_cast<int64_t>(nf)) +
                  lp_int_size(0);
    for (size_t i = 0; i < nf; ++i) {
      p = put_str(p, fv[2 * i]);
      lp += lp_str_size(fv[2 * i]);
    }
    b->used = static_cast<uint32_t>(p - b->data());
    b->entries_off = b->used;
    b->last_off = b->used;
    b->lp_bytes = lp;
    blocks_.push_back(b);
    block_bytes_ += usable(b);
    n = block_count();
  } else {
    same = nf == b->master_nfields;
    const char* p = b->data();
    for (size_t i = 0; same && i < nf; ++i) {
      uint64_t len;
      p += get_varint(p, &len);
      std::string_view f = fv[2 * i];
      if (len != f.size() || (len && std::memcmp(p, f.data(), len) != 0)) same = false;
      p += len;
    }
  }

  uint64_t msd = nid.ms - b->master.ms;
  uint64_t sq = msd == 0 ? nid.seq - b->master.seq : nid.seq;
  entry_size = 1 + varint_size(msd) + varint_size(sq);
  if (!same) {
    entry_size += varint_size(nf);
    for (size_t i = 0; i < nf; ++i) entry_size += str_size(fv[2 * i]);
  }
  for (size_t i = 0; i < nf; ++i) entry_size += value_size(fv[2 * i + 1]);

  if (b->used + entry_size > b->cap) {
    size_t cap = std::max<size_t>(b->used + entry_size, static_cast<size_t>(b->cap) * 2);
    block_bytes_ -= usable(b);
    b = realloc_block(b, cap);
    block_bytes_ += usable(b);
    set_block(n - 1, b);
  }
  char* p = b->data() + b->used;
  *p++ = static_cast<char>(same ? kFlagSameFields : 0);
  p += put_varint(p, msd);
  p += put_varint(p, sq);
  if (!same) p += put_varint(p, nf);
  for (size_t i = 0; i < nf; ++i) {
    if (!same) p = put_str(p, fv[2 * i]);
    p = put_value(p, fv[2 * i + 1]);
  }
  b->last_off = b->used;
  b->used = static_cast<uint32_t>(p - b->data());
  b->lp_bytes += lp_int_size(b->live + 1) - lp_int_size(b->live);
  b->lp_bytes += lp_entry_size(b->master, nid, same, fv);
  ++b->live;

  ++length_;
  ++entries_added_;
  last_id_ = nid;
  if (length_ == 1) first_id_ = nid;
  if (added) *added = nid;
  return Status::Ok;
}

int64_t StreamObject::trim(const TrimArgs& args) {
  if (args.strategy == TrimStrategy::None) return 0;
  bool by_len = args.strategy == TrimStrategy::MaxLen;
  uint64_t maxlen = static_cast<uint64_t>(args.maxlen);
  int64_t deleted = 0;
  while (block_count() > 0) {
    if (by_len && length_ <= maxlen) break;
    StreamBlock* b = block(0);
    int64_t entries = b->live;
    if (args.limit && deleted + entries > args.limit) break;
    bool remove;
    if (by_len) {
      remove = length_ - static_cast<uint64_t>(entries) >= maxlen;
    } else {
      RawEntry last;
      decode(b, b->last_off, &last);
      remove = last.id < args.minid;
    }
    if (remove) {
      length_ -= static_cast<uint64_t>(entries);
      deleted += entries;
      erase_block(0);
      continue;
    }
    if (args.approx) break;
    // Flag entries inside this block until the condition holds.
    uint32_t old_live = b->live, old_del = b->deleted;
    uint32_t off = b->entries_off;
    while (off < b->used) {
      RawEntry r;
      decode(b, off, &r);
      bool stop = by_len ? length_ <= maxlen : r.id >= args.minid;
      if (stop) break;
      if (!(r.flags & kFlagDeleted)) {
        b->data()[off] = static_cast<char>(r.flags | kFlagDeleted);
        --b->live;
        ++b->deleted;
        --length_;
        ++deleted;
      }
      off = r.next;
    }
    b->lp_bytes += lp_int_size(b->live) - lp_int_size(old_live);
    b->lp_bytes += lp_int_size(b->deleted) - lp_int_size(old_del);
    break;
  }
  if (length_ == 0)
    first_id_ = {};
  else if (deleted)
    update_first_id();
  return deleted;
}

void StreamObject::update_first_id() {
  StreamID id;
  if (first_entry_id(&id))
    first_id_ = id;
  else
    first_id_ = StreamID::max();
}

bool StreamObject::find_entry(StreamID id, size_t* bi, uint32_t* off) const {
  ptrdiff_t i = seek_block(id);
  if (i < 0) return false;
  const StreamBlock* b = block(static_cast<size_t>(i));
  uint32_t o = b->entries_off;
  while (o < b->used) {
    RawEntry r;
    decode(b, o, &r);
    if (r.id == id) {
      if (r.flags & kFlagDeleted) return false;
      *bi = static_cast<size_t>(i);
      *off = o;
      return true;
    }
    if (r.id > id) return false;
    o = r.next;
  }
  return false;
}

bool StreamObject::mark_deleted(size_t bi, uint32_t off) {
  StreamBlock* b = block(bi);
  --length_;
  if (b->live == 1) {
    erase_block(bi);
    return true;
  }
  b->data()[off] = static_cast<char>(b->data()[off] | kFlagDeleted);
  b->lp_bytes += lp_int_size(b->live - 1) - lp_int_size(b->live);
  b->lp_bytes += lp_int_size(b->deleted + 1) - lp_int_size(b->deleted);
  --b->live;
  ++b->deleted;
  return false;
}

size_t StreamObject::erase(std::span<const StreamID> ids) {
  size_t deleted = 0;
  bool first_entry = false;
  for (StreamID id : ids) {
    size_t bi;
    uint32_t off;
    if (!find_entry(id, &bi, &off)) continue;
    mark_deleted(bi, off);
    if (id == first_id_) first_entry = true;
    if (id > max_deleted_) max_deleted_ = id;
    ++deleted;
  }
  if (deleted) {
    if (length_ == 0)
      first_id_ = {};
    else if (first_entry)
      update_first_id();
  }
  return deleted;
}

bool StreamObject::exists(StreamID id) const {
  size_t bi;
  uint32_t off;
  return find_entry(id, &bi, &off);
}

bool StreamObject::last_entry_id(StreamID* out) const {
  // The common case: the tail block's last entry is live (no walk of the block).
  if (size_t n = block_count()) {
    const StreamBlock* b = block(n - 1);
    RawEntry r;
    decode(b, b->last_off, &r);
    if (!(r.flags & kFlagDeleted)) {
      *out = r.id;
      return true;
    }
  }
  StreamIterator it(*this, StreamID{}, StreamID::max(), true);
  StreamEntry e;
  if (!it.next(&e)) return false;
  *out = e.id;
  return true;
}

bool StreamObject::first_entry_id(StreamID* out) const {
  StreamIterator it(*this, StreamID{}, StreamID::max(), false);
  StreamEntry e;
  if (!it.next(&e)) return false;
  *out = e.id;
  return true;
}

StreamGroup* StreamObject::find_group(std::string_view name) {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : it->second.get();
}

const StreamGroup* StreamObject::find_group(std::string_view name) const {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : it->second.get();
}

StreamGroup* StreamObject::create_group(std::string_view name, StreamID last_id,
                                        int64_t entries_read) {
  if (groups_.find(name) != groups_.end()) return nullptr;
  auto g = std::make_unique<StreamGroup>();
  g->last_id = last_id;
  g->entries_read = entries_read;
  StreamGroup* p = g.get();
  groups_.emplace(std::string(name), std::move(g));
  return p;
}

bool StreamObject::destroy_group(std::string_view name) {
  auto it = groups_.find(name);
  if (it == groups_.end()) return false;
  groups_.erase(it);
  return true;
}

bool StreamObject::range_has_tombstones(StreamID start, StreamID end) const {
  if (!length_ || max_deleted_.is_zero()) return false;
  if (first_id_ > max_deleted_) return false;
  return start <= max_deleted_ && max_deleted_ <= end;
}

int64_t StreamObject::estimate_distance(StreamID id) const {
  if (!entries_added_) return 0;
  if (!length_ && id <= last_id_) return static_cast<int64_t>(entries_added_);
  if (id == last_id_) return static_cast<int64_t>(entries_added_);
  if (id > last_id_) return kInvalidEntriesRead;
  if (max_deleted_.is_zero() || max_deleted_ < first_id_) {
    if (id < first_id_) return static_cast<int64_t>(entries_added_ - length_);
    if (id == first_id_) return static_cast<int64_t>(entries_added_ - length_ + 1);
  }
  return kInvalidEntriesRead;
}

void StreamObject::group_advance(StreamGroup& g, StreamID id) const {
  if (g.entries_read != kInvalidEntriesRead && !range_has_tombstones(id, StreamID::max()))
    ++g.entries_read;
  else if (entries_added_)
    g.entries_read = estimate_distance(id);
  g.last_id = id;
}

bool StreamObject::group_lag(const StreamGroup& g, int64_t* lag) const {
  if (!entries_added_) {
    *lag = 0;
    return true;
  }
  if (g.entries_read != kInvalidEntriesRead && !range_has_tombstones(g.last_id, StreamID::max())) {
    *lag = static_cast<int64_t>(entries_added_) - g.entries_read;
    return true;
  }
  int64_t read = estimate_distance(g.last_id);
  if (read == kInvalidEntriesRead) return false;
  *lag = static_cast<int64_t>(entries_added_) - read;
  return true;
}

namespace {
using RaxKey = std::array<uint8_t, 16>;

// Nodes of the compressed trie Redis's rax builds for sorted, distinct, equal-length keys:
// the root, every branching node, every child of a branching node, and every leaf.
size_t rax_nodes(const std::vector<RaxKey>& k, size_t lo, size_t hi, size_t depth, bool is_node) {
  if (depth == 16) return 1;
  if (k[lo][depth] == k[hi - 1][depth])
    return (is_node ? 1 : 0) + rax_nodes(k, lo, hi, depth + 1, false);
  size_t n = 1;
  size_t i = lo;
  while (i < hi) {
    size_t j = i;
    while (j < hi && k[j][depth] == k[i][depth]) ++j;
    n += rax_nodes(k, i, j, depth + 1, true);
    i = j;
  }
  return n;
}
}  // namespace

size_t StreamObject::rax_node_count() const {
  size_t n = block_count();
  if (n == 0) return 1;
  std::vector<RaxKey> keys(n);
  for (size_t i = 0; i < n; ++i) {
    StreamID m = block(i)->master;
    for (int j = 0; j < 8; ++j) {
      keys[i][j] = static_cast<uint8_t>(m.ms >> (56 - 8 * j));
      keys[i][8 + j] = static_cast<uint8_t>(m.seq >> (56 - 8 * j));
    }
  }
  return rax_nodes(keys, 0, n, 0, true);
}

std::string StreamObject::check() const {
  uint64_t live_total = 0;
  StreamID prev;
  bool any = false;
  for (size_t i = 0; i < block_count(); ++i) {
    const StreamBlock* b = block(i);
    if (b->used > b->cap) return "used > cap";
    uint32_t lp = 7 + lp_int_size(b->live) + lp_int_size(b->deleted) +
                  lp_int_size(b->master_nfields) + lp_int_size(0);
    const char* p = b->data();
    std::vector<std::string_view> master;
    for (uint32_t f = 0; f < b->master_nfields; ++f) {
      uint64_t len;
      p += get_varint(p, &len);
      master.emplace_back(p, len);
      lp += lp_str_size(master.back());
      p += len;
    }
    if (static_cast<uint32_t>(p - b->data()) != b->entries_off) return "entries_off";
    uint32_t off = b->entries_off, live = 0, del = 0, last = 0;
    bool first = true;
    while (off < b->used) {
      RawEntry r;
      decode(b, off, &r);
      if (first && r.id != b->master) return "master != first id";
      first = false;
      if (any && r.id <= prev) return "ids not increasing";
      prev = r.id;
      any = true;
      if (r.flags & kFlagDeleted)
        ++del;
      else
        ++live;
      std::vector<std::string> copies;
      StreamEntry e;
      e.nfields = r.nfields;
      e.master_fields_ = (r.flags & kFlagSameFields) ? b->data() : nullptr;
      e.data_ = r.body;
      e.for_each([&](std::string_view f, std::string_view v) {
        copies.emplace_back(f);
        copies.emplace_back(v);
      });
      std::vector<std::string_view> fv(copies.begin(), copies.end());
      lp += lp_entry_size(b->master, r.id, r.flags & kFlagSameFields, fv);
      last = off;
      off = r.next;
    }
    if (off != b->used) return "entry overruns block";
    if (first) return "empty block";
    if (last != b->last_off) return "last_off";
    if (live != b->live || del != b->deleted) return "live/deleted counts";
    if (lp != b->lp_bytes)
      return "lp_bytes " + std::to_string(b->lp_bytes) + " != " + std::to_string(lp);
    live_total += live;
  }
  if (live_total != length_) return "length";
  if (any && prev > last_id_) return "last_id below an entry";
  for (const auto& [name, g] : groups_) {
    size_t n = 0;
    for (const auto& [cname, c] : g->consumers) {
      for (const auto& [id, nack] : c->pel) {
        auto it = g->pel.find(id);
        if (it == g->pel.end() || &it->second != nack || nack->consumer != c.get())
          return "consumer PEL mismatch";
        ++n;
      }
    }
    if (n != g->pel.size()) return "group PEL has entries no consumer owns";
  }
  return "";
}

// ---------------------------------------------------------------------------------------
// StreamIterator

StreamIterator::StreamIterator(const StreamObject& s, StreamID start, StreamID end, bool rev)
    : s_(s), start_(start), end_(end), rev_(rev) {
  if (start > end || s.block_count() == 0) {
    done_ = true;
    return;
  }
  if (!rev) {
    bi_ = s.seek_block(start);
    if (bi_ < 0) bi_ = 0;
  } else {
    bi_ = s.seek_block(end);
    if (bi_ < 0) done_ = true;
  }
}

bool StreamIterator::load_block() {
  if (bi_ < 0 || static_cast<size_t>(bi_) >= s_.block_count()) return false;
  b_ = s_.block(static_cast<size_t>(bi_));
  if (!rev_) {
    off_ = b_->entries_off;
  } else {
    offs_.clear();
    uint32_t o = b_->entries_off;
    while (o < b_->used) {
      offs_.push_back(o);
      RawEntry r;
      decode(b_, o, &r);
      o = r.next;
    }
    oi_ = offs_.size();
  }
  return true;
}

bool StreamIterator::next(StreamEntry* e) {
  while (!done_) {
    if (!b_ && !load_block()) {
      done_ = true;
      return false;
    }
    uint32_t off;
    if (!rev_) {
      if (off_ >= b_->used) {
        b_ = nullptr;
        ++bi_;
        continue;
      }
      off = off_;
    } else {
      if (oi_ == 0) {
        b_ = nullptr;
        --bi_;
        continue;
      }
      off = offs_[--oi_];
    }
    RawEntry r;
    decode(b_, off, &r);
    if (!rev_) off_ = r.next;
    if (r.flags & kFlagDeleted) continue;
    if (!rev_) {
      if (r.id < start_) continue;
      if (r.id > end_) break;
    } else {
      if (r.id > end_) continue;
      if (r.id < start_) break;
    }
    e->id = r.id;
    e->nfields = r.nfields;
    e->master_fields_ = (r.flags & kFlagSameFields) ? b_->data() : nullptr;
    e->data_ = r.body;
    return true;
  }
  done_ = true;
  return false;
}

}  // namespace dq::storage
