// bitmap.cpp — the bitmap family: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.
//
// A bitmap is a string value: these commands read any string (an "int" one through its
// decimal text, as Redis) and write through Db::unshare_string, which moves the value to a
// growable heap buffer ("raw") zero-padded up to the highest byte touched, so GET / APPEND /
// SETRANGE / STRLEN / GETRANGE see the same bytes. The bit arithmetic lives in
// storage/bitmap.*; handlers parse, look up, call it and reply.
//
// Argument checks follow Redis 7.2's order, including its quirks: BITCOUNT and BITPOS look the
// key up before parsing their range (a missing key answers 0, or -1 for BITPOS 1, whatever
// the range says; Redis 8 changed this), and BITFIELD parses every operation before it looks
// at the key. Bit offsets are limited by proto-max-bulk-len as in Redis: offset / 8 must be
// below it.
#include "storage/bitmap.h"

#include <array>
#include <memory>
#include <vector>

#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;
using storage::HeapString;
using storage::Type;
namespace bm = storage::bitmap;

namespace {

// Parses a bit offset (BITFIELD: "#N" too, N fields of `bits`); replies on error.
bool offset_arg(CommandContext& ctx, size_t i, bool allow_hash, unsigned bits, uint64_t* out) {
  if (bm::parse_offset(ctx.arg(i), allow_hash, bits, ctx.server.config().proto_max_bulk_len, out))
    return true;
  ctx.error(err::kBitOffsetNotInteger);
  return false;
}

// The key's string as a writable buffer of at least `bytes` bytes, creating it (zero-filled)
// if missing; *grown tells whether it was created or lengthened. nullptr after replying a
// WRONGTYPE or a too-long error.
Entry* writable_string(CommandContext& ctx, std::string_view key, Entry* e, uint64_t bytes,
                       bool* grown) {
  if (e && e->type() != Type::String) {
    ctx.wrong_type();
    return nullptr;
  }
  // Only reachable when proto-max-bulk-len is set above 4 GiB: a dq string's length is 32 bits.
  if (bytes > storage::kMaxStringBytes) {
    ctx.error(err::kStringTooLong);
    return nullptr;
  }
  size_t old_len = e ? e->string_length() : 0;
  *grown = !e || bytes > old_len;
  return e ? ctx.db().unshare_string(e, bytes) : ctx.db().put_zero_string(key, bytes);
}

HeapString* heap_string(Entry* e) { return static_cast<HeapString*>(e->heap_ptr()); }

// SETBIT key offset value
void setbit_cmd(CommandContext& ctx) {
  uint64_t offset;
  if (!offset_arg(ctx, 2, false, 0, &offset)) return;
  int64_t on;
  if (!storage::string_to_int64(ctx.arg(3), &on) || (on & ~int64_t{1}))
    return ctx.error(err::kBitNotInteger);
  std::string_view key = ctx.arg(1);
  bool grown;
  Entry* e = writable_string(ctx, key, ctx.find_write(key), offset / 8 + 1, &grown);
  if (!e) return;
  bool old = bm::set_bit(heap_string(e)->data, offset, on);
  // Redis 7: nothing to report when the bit already had that value and the string kept its size.
  if (grown || old != static_cast<bool>(on)) {
    ctx.modified(key);
    // Redis 7.2 notifies "setbit" only then too (7.0 notified every SETBIT).
    ctx.notify(notify::kString, "setbit", key);
  }
  ctx.reply().integer(old);
}

// GETBIT key offset
void getbit_cmd(CommandContext& ctx) {
  uint64_t offset;
  if (!offset_arg(ctx, 2, false, 0, &offset)) return;
  Entry* e = ctx.find_read(ctx.arg(1));
  if (!e) return ctx.reply().integer(0);
  if (e->type() != Type::String) return ctx.wrong_type();
  char buf[24];
  ctx.reply().integer(bm::get_bit(e->string_value(buf), offset));
}

// Parses BYTE | BIT at argument i; replies a syntax error otherwise.
bool unit_arg(CommandContext& ctx, size_t i, bm::Unit* unit) {
  if (arg_is(ctx.arg(i), "bit")) {
    *unit = bm::Unit::Bit;
  } else if (arg_is(ctx.arg(i), "byte")) {
    *unit = bm::Unit::Byte;
  } else {
    ctx.syntax_error();
    return false;
  }
  return true;
}

// BITCOUNT key [start end [BYTE|BIT]]
void bitcount_cmd(CommandContext& ctx) {
  // Redis 7.2 answers a missing key (0) and a wrong type before looking at the range.
  Entry* e = ctx.find_read(ctx.arg(1));
  if (!e) return ctx.reply().integer(0);
  if (e->type() != Type::String) return ctx.wrong_type();
  char buf[24];
  std::string_view s = e->string_value(buf);
  if (ctx.argc() == 2) return ctx.reply().integer(bm::count(s));
  if (ctx.argc() != 4 && ctx.argc() != 5) return ctx.syntax_error();
  int64_t start, end;
  if (!ctx.int_arg(2, &start) || !ctx.int_arg(3, &end)) return;
  // Redis 7.2 answers this empty range before it checks the unit word.
  if (start < 0 && end < 0 && start > end) return ctx.reply().integer(0);
  bm::Unit unit = bm::Unit::Byte;
  if (ctx.argc() == 5 && !unit_arg(ctx, 4, &unit)) return;
  ctx.reply().integer(bm::count(s, start, end, unit));
}

// BITPOS key bit [start [end [BYTE|BIT]]]
void bitpos_cmd(CommandContext& ctx) {
  int64_t bit;
  if (!ctx.int_arg(2, &bit)) return;
  if (bit != 0 && bit != 1) return ctx.error(err::kBitposBit);
  // Redis 7.2: a missing key is an endless run of zeros, whatever the range (0 for bit 0).
  Entry* e = ctx.find_read(ctx.arg(1));
  if (!e) return ctx.reply().integer(bit ? -1 : 0);
  if (e->type() != Type::String) return ctx.wrong_type();
  bm::PosRange range;
  if (ctx.argc() > 6) return ctx.syntax_error();
  if (ctx.argc() >= 4) {
    range.has_start = true;
    if (!ctx.int_arg(3, &range.start)) return;
    if (ctx.argc() == 6 && !unit_arg(ctx, 5, &range.unit)) return;  // before end, as Redis
    if (ctx.argc() >= 5) {
      range.has_end = true;
      if (!ctx.int_arg(4, &range.end)) return;
    }
  }
  char buf[24];
  ctx.reply().integer(bm::position(e->string_value(buf), bit == 1, range));
}

// BITOP AND|OR|XOR|NOT destkey key [key ...]
void bitop_cmd(CommandContext& ctx) {
  std::string_view name = ctx.arg(1);
  bm::Op op;
  if (arg_is(name, "and")) {
    op = bm::Op::And;
  } else if (arg_is(name, "or")) {
    op = bm::Op::Or;
  } else if (arg_is(name, "xor")) {
    op = bm::Op::Xor;
  } else if (arg_is(name, "not")) {
    op = bm::Op::Not;
  } else {
    return ctx.syntax_error();
  }
  if (op == bm::Op::Not && ctx.argc() != 4) return ctx.error(err::kBitopNotOneKey);
  size_t n = ctx.argc() - 3;
  // Missing keys are empty strings; int-encoded ones are read through their decimal text.
  std::vector<std::string_view> srcs(n);
  std::vector<std::array<char, 24>> bufs(n);
  size_t maxlen = 0;
  for (size_t j = 0; j < n; ++j) {
    Entry* e = ctx.find_read(ctx.arg(3 + j));
    if (!e) continue;
    if (e->type() != Type::String) return ctx.wrong_type();
    srcs[j] = e->string_value(bufs[j].data());
    maxlen = std::max(maxlen, srcs[j].size());
  }
  std::string_view dest = ctx.arg(2);
  if (maxlen == 0) {
    // An empty result deletes the destination, whatever it held (Redis 7).
    if (ctx.db().del(dest, ctx.now)) {
      ctx.modified(dest);
      ctx.notify(notify::kGeneric, "del", dest);
    }
    return ctx.reply().integer(0);
  }
  HeapString* h = HeapString::create("", maxlen);
  bm::combine(op, srcs, h->data, maxlen);
  h->len = static_cast<uint32_t>(maxlen);
  // The result replaces the destination as a new "raw" string without a TTL (Redis's setKey).
  ctx.db().put(Entry::make_heap(dest, Type::String, storage::Encoding::Raw, h, false, -1));
  ctx.modified(dest);
  ctx.notify(notify::kString, "set", dest);
  ctx.reply().integer(static_cast<int64_t>(maxlen));
}

// One parsed BITFIELD operation.
struct FieldOp {
  enum Kind : uint8_t { Get, Set, Incr } kind;
  bm::Overflow overflow;
  bm::FieldType type;
  uint64_t offset;
  int64_t value;  // SET's value or INCRBY's increment
};

// BITFIELD key [GET type offset] [OVERFLOW WRAP|SAT|FAIL] [SET type offset value]
//              [INCRBY type offset increment] ...; BITFIELD_RO takes GET only.
void bitfield_generic(CommandContext& ctx, bool read_only_cmd) {
  // Every operation takes at least three arguments: a small array on the stack covers usual calls.
  constexpr size_t kInline = 16;
  size_t max_ops = (ctx.argc() - 2) / 3;
  FieldOp inline_ops[kInline];
  std::unique_ptr<FieldOp[]> heap_ops;
  FieldOp* ops = inline_ops;
  if (max_ops > kInline) {
    heap_ops = std::make_unique<FieldOp[]>(max_ops);
    ops = heap_ops.get();
  }
  size_t nops = 0;
  bm::Overflow overflow = bm::Overflow::Wrap;
  bool writes = false;
  uint64_t highest_bit = 0;  // the last bit a SET / INCRBY touches
  for (size_t j = 2; j < ctx.argc(); ++j) {
    size_t rem = ctx.argc() - j - 1;
    std::string_view sub = ctx.arg(j);
    FieldOp op{};
    if (arg_is(sub, "get") && rem >= 2) {
      op.kind = FieldOp::Get;
    } else if (arg_is(sub, "set") && rem >= 3) {
      op.kind = FieldOp::Set;
    } else if (arg_is(sub, "incrby") && rem >= 3) {
      op.kind = FieldOp::Incr;
    } else if (arg_is(sub, "overflow") && rem >= 1) {
      std::string_view mode = ctx.arg(++j);
      if (arg_is(mode, "wrap"))
        overflow = bm::Overflow::Wrap;
      else if (arg_is(mode, "sat"))
        overflow = bm::Overflow::Sat;
      else if (arg_is(mode, "fail"))
        overflow = bm::Overflow::Fail;
      else
        return ctx.error(err::kBitfieldOverflow);
      continue;
    } else {
      return ctx.syntax_error();
    }
    if (!bm::parse_field_type(ctx.arg(j + 1), &op.type)) return ctx.error(err::kBitfieldType);
    if (!offset_arg(ctx, j + 2, true, op.type.bits, &op.offset)) return;
    if (op.kind != FieldOp::Get) {
      writes = true;
      highest_bit = std::max(highest_bit, op.offset + op.type.bits - 1);
      if (!ctx.int_arg(j + 3, &op.value)) return;
    }
    op.overflow = overflow;
    ops[nops++] = op;
    j += op.kind == FieldOp::Get ? 2 : 3;
  }

  std::string_view key = ctx.arg(1);
  Entry* e;
  bool grown = false;
  if (!writes) {
    e = ctx.find_read(key);
    if (e && e->type() != Type::String) return ctx.wrong_type();
  } else {
    if (read_only_cmd) return ctx.error(err::kBitfieldRoGetOnly);
    e = writable_string(ctx, key, ctx.find_write(key), highest_bit / 8 + 1, &grown);
    if (!e) return;
  }

  auto& r = ctx.reply();
  r.array(nops);
  char buf[24];
  bool changed = false;
  bool wrote = false;  // a SET / INCRBY that did not FAIL: Redis notifies "setbit" then
  for (size_t i = 0; i < nops; ++i) {
    const FieldOp& op = ops[i];
    std::string_view s = e ? e->string_value(buf) : std::string_view();
    int64_t old = bm::get_field(s, op.offset, op.type);
    if (op.kind == FieldOp::Get) {
      r.integer(old);
      continue;
    }
    bm::FieldWrite w = op.kind == FieldOp::Set
                           ? bm::field_set(op.type, op.value, op.overflow)
                           : bm::field_incr(op.type, old, op.value, op.overflow);
    if (!w.ok) {  // OVERFLOW FAIL: nothing written, nil
      r.null();
      continue;
    }
    bm::put_field(heap_string(e)->data, op.offset, op.type, w.value);
    changed |= w.value != old;
    wrote = true;
    r.integer(op.kind == FieldOp::Set ? old : w.value);
  }
  // Redis 7.2 reports the key only when a write changed a value or the string grew; a string
  // created or grown by writes that all FAILed is reported too (newer Redis fixed that case).
  if (changed || grown) ctx.modified(key);
  if (wrote) ctx.notify(notify::kString, "setbit", key);
}

void bitfield_cmd(CommandContext& ctx) { bitfield_generic(ctx, false); }
void bitfield_ro_cmd(CommandContext& ctx) { bitfield_generic(ctx, true); }

constexpr uint32_t kRW = kAclWrite | kAclBitmap;
constexpr uint32_t kRO = kAclRead | kAclBitmap;

constexpr CommandSpec kBitmapCommands[] = {
    {"setbit",
     4,
     kWrite | kDenyOom,
     {1, 1, 1},
     kRW | kAclSlow,
     "bitmap",
     "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.",
     "2.2.0",
     "O(1)",
     setbit_cmd,
     {},
     "key offset value:integer"},
    {"getbit",
     3,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "bitmap",
     "Returns a bit value by offset.",
     "2.2.0",
     "O(1)",
     getbit_cmd,
     {},
     "key offset"},
    {"bitcount",
     -2,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "bitmap",
     "Counts the number of set bits (population counting) in a string.",
     "2.6.0",
     "O(N)",
     bitcount_cmd,
     {},
     "key [start:integer end:integer [BYTE|BIT]]"},
    {"bitpos",
     -3,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "bitmap",
     "Finds the first set (1) or clear (0) bit in a string.",
     "2.8.7",
     "O(N)",
     bitpos_cmd,
     {},
     "key bit:integer [start:integer [end:integer [BYTE|BIT]]]"},
    {"bitop",
     -4,
     kWrite | kDenyOom,
     {2, -1, 1},
     kRW | kAclSlow,
     "bitmap",
     "Performs bitwise operations on multiple strings, and stores the result.",
     "2.6.0",
     "O(N)",
     bitop_cmd,
     {},
     "AND|OR|XOR|NOT destkey:key key [key ...]"},
    {"bitfield",
     -2,
     kWrite | kDenyOom,
     {1, 1, 1},
     kRW | kAclSlow,
     "bitmap",
     "Performs arbitrary bitfield integer operations on strings.",
     "3.2.0",
     "O(1) for each subcommand specified",
     bitfield_cmd,
     {},
     "key [GET encoding offset|[OVERFLOW (WRAP|SAT|FAIL)] (SET encoding offset "
     "value:integer|INCRBY encoding offset increment:integer) ...]"},
    {"bitfield_ro",
     -2,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "bitmap",
     "Performs arbitrary read-only bitfield integer operations on strings.",
     "6.0.0",
     "O(1) for each subcommand specified",
     bitfield_ro_cmd,
     {},
     "key [GET encoding offset [GET encoding offset ...]]"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> bitmap_commands() { return cmd::kBitmapCommands; }
}  // namespace dq::server
