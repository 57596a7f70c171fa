// hyperloglog.cpp — the HyperLogLog family: PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST.
//
// An HLL is a string key holding Redis's representation (storage/hyperloglog.h), so GET, SET,
// DUMP/RESTORE and friends carry it as they carry any string, and values move between dq and
// Redis unchanged. Commands that change an HLL first move the value to a growable heap buffer
// ("raw", as Redis's dbUnshareStringValue), then update it in place.
//
// Redis 7's checks, in its order: another type answers the usual WRONGTYPE; a string that is
// not an HLL (too short, no "HYLL" magic, unknown encoding, dense of the wrong size, or an
// integer) answers "WRONGTYPE Key is not a valid HyperLogLog string value."; a sparse value
// whose opcodes do not cover exactly 16384 registers is only found while reading it and
// answers "INVALIDOBJ Corrupted HLL object detected".
//
// PFCOUNT of one key returns the cardinality cached in the header, or computes it and stores
// it (a change of the value: WATCHers see it, as in Redis). PFCOUNT of several keys merges
// them into a scratch array and changes nothing.
#include "storage/hyperloglog.h"

#include <chrono>
#include <cstring>

#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;
using storage::HeapString;
using storage::Type;
namespace hll = storage::hll;

namespace {

// Redis's isHLLObjectOrReply: replies and returns false unless e holds an HLL string.
bool check_hll(CommandContext& ctx, const Entry* e) {
  if (e->type() != Type::String) {
    ctx.wrong_type();
    return false;
  }
  char buf[24];
  if (e->is_int() || !hll::valid_header(e->string_value(buf))) {
    ctx.error(err::kHllNotValid);
    return false;
  }
  return true;
}

size_t sparse_max(CommandContext& ctx) {
  return static_cast<size_t>(ctx.server.config().hll_sparse_max_bytes);
}

// The HLL under key as a raw heap string to change in place: created empty when missing
// (*created set), else converted if needed. The caller stores the (possibly moved) buffer
// back with e->set_heap_ptr. Requires check_hll to have passed for an existing entry.
HeapString* writable_hll(CommandContext& ctx, std::string_view key, Entry*& e, bool* created) {
  if (!e) {
    HeapString* h = hll::create_empty();
    e = Entry::make_heap(key, Type::String, storage::Encoding::Raw, h, false, -1);
    ctx.db().put(e);
    if (created) *created = true;
    return h;
  }
  e = ctx.db().unshare_string(e, 0);
  return static_cast<HeapString*>(e->heap_ptr());
}

// PFADD key [element ...]
void pfadd_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.find_write(key);
  if (e && !check_hll(ctx, e)) return;
  bool created = false;
  HeapString* h = writable_hll(ctx, key, e, &created);
  uint64_t updated = created ? 1 : 0;
  size_t max_bytes = sparse_max(ctx);
  for (size_t j = 2; j < ctx.argc(); ++j) {
    int r = hll::add(h, ctx.arg(j), max_bytes);
    if (r < 0) {
      // Redis keeps whatever earlier elements changed and reports nothing as modified.
      e->set_heap_ptr(h);
      return ctx.error(err::kHllCorrupt);
    }
    updated += static_cast<uint64_t>(r);
  }
  e->set_heap_ptr(h);
  if (updated) {
    hll::invalidate_cache(h->data);
    ctx.db().notify_modified(key);
    ctx.server.add_dirty(updated);
    ctx.notify(notify::kString, "pfadd", key);
  }
  ctx.reply().integer(updated ? 1 : 0);
}

// PFCOUNT key [key ...]
void pfcount_cmd(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    // The union: registers merged into one byte each, nothing stored.
    uint8_t max[hll::kRegisters] = {};
    for (size_t j = 1; j < ctx.argc(); ++j) {
      const Entry* e = ctx.find_read(ctx.arg(j));
      if (!e) continue;
      if (!check_hll(ctx, e)) return;
      char buf[24];
      if (!hll::merge_into(max, e->string_value(buf))) return ctx.error(err::kHllCorrupt);
    }
    return ctx.reply().integer(static_cast<int64_t>(hll::count_registers(max)));
  }
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.find_read(key);
  if (!e) return ctx.reply().integer(0);
  if (!check_hll(ctx, e)) return;
  e = ctx.db().unshare_string(e, 0);
  auto* h = static_cast<HeapString*>(e->heap_ptr());
  std::string_view v = h->view();
  uint64_t card;
  if (hll::cache_valid(v)) {
    card = hll::cached_card(v);
  } else {
    bool invalid = false;
    card = hll::count(v, &invalid);
    if (invalid) return ctx.error(err::kHllCorrupt);
    hll::set_cached_card(h->data, card);
    ctx.modified(key);
  }
  ctx.reply().integer(static_cast<int64_t>(card));
}

// PFMERGE destkey [sourcekey ...]
void pfmerge_cmd(CommandContext& ctx) {
  uint8_t max[hll::kRegisters] = {};
  bool use_dense = false;
  // The destination is read as a source too (it is argument 1).
  for (size_t j = 1; j < ctx.argc(); ++j) {
    const Entry* e = ctx.find_read(ctx.arg(j));
    if (!e) continue;
    if (!check_hll(ctx, e)) return;
    char buf[24];
    std::string_view v = e->string_value(buf);
    if (hll::encoding(v) == hll::kDense) use_dense = true;
    if (!hll::merge_into(max, v)) return ctx.error(err::kHllCorrupt);
  }
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.find_write(key);
  HeapString* h = writable_hll(ctx, key, e, nullptr);
  if (use_dense && !hll::to_dense(h)) {
    e->set_heap_ptr(h);
    return ctx.error(err::kHllCorrupt);
  }
  size_t max_bytes = sparse_max(ctx);
  for (uint32_t j = 0; j < hll::kRegisters; ++j)
    if (max[j]) hll::set_register(h, j, max[j], max_bytes);
  hll::invalidate_cache(h->data);
  e->set_heap_ptr(h);
  ctx.modified(key);
  ctx.notify(notify::kString, "pfadd", key);
  ctx.reply().ok();
}

// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
void pfdebug_cmd(CommandContext& ctx) {
  std::string_view sub = ctx.arg(1), key = ctx.arg(2);
  Entry* e = ctx.find_write(key);
  if (!e) return ctx.error(err::kHllKeyMissing);
  if (!check_hll(ctx, e)) return;
  e = ctx.db().unshare_string(e, 0);
  auto* h = static_cast<HeapString*>(e->heap_ptr());
  bool sparse = hll::encoding(h->view()) == hll::kSparse;
  // Converting to dense changes the value; Redis counts it as a change for propagation
  // but does not signal the key (no WATCH invalidation), and neither does dq.
  auto densify = [&]() {
    bool ok = hll::to_dense(h);
    e->set_heap_ptr(h);
    if (ok) ctx.server.add_dirty(1);
    return ok;
  };
  if (arg_is(sub, "getreg")) {
    if (sparse && !densify()) return ctx.error(err::kHllCorrupt);
    auto* regs = reinterpret_cast<const uint8_t*>(h->data) + hll::kHeaderSize;
    ctx.reply().array(hll::kRegisters);
    for (uint32_t j = 0; j < hll::kRegisters; ++j) ctx.reply().integer(hll::dense_get(regs, j));
  } else if (arg_is(sub, "decode")) {
    if (!sparse) return ctx.error(err::kHllNotSparse);
    ctx.reply().bulk(hll::decode_sparse(h->view()));
  } else if (arg_is(sub, "encoding")) {
    ctx.reply().simple(sparse ? "sparse" : "dense");
  } else if (arg_is(sub, "todense")) {
    if (sparse && !densify()) return ctx.error(err::kHllCorrupt);
    ctx.reply().integer(sparse ? 1 : 0);
  } else {
    std::string clean(sub);  // error replies carry no newlines (Redis replaces them)
    for (char& ch : clean)
      if (ch == '\r' || ch == '\n') ch = ' ';
    ctx.error_fmt(err::kFmtPfdebugUnknown, clean);
  }
}

// PFSELFTEST
void pfselftest_cmd(CommandContext& ctx) {
  auto seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  std::string failed = hll::self_test(seed, sparse_max(ctx));
  if (!failed.empty()) return ctx.error(failed);
  ctx.reply().ok();
}

constexpr uint32_t kRW = kAclWrite | kAclHyperLogLog;
constexpr uint32_t kRO = kAclRead | kAclHyperLogLog;

constexpr CommandSpec kHyperLogLogCommands[] = {
    {"pfadd",
     -2,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "hyperloglog",
     "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist.",
     "2.8.9",
     "O(1) to add every element.",
     pfadd_cmd,
     {},
     "key [element [element ...]]"},
    {"pfcount",
     -2,
     kReadOnly | kMayReplicate,
     {1, -1, 1},
     kRO | kAclSlow,
     "hyperloglog",
     "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).",
     "2.8.9",
     "O(1) with a very small average constant time when called with a single key. O(N) with N "
     "being the number of keys, and much bigger constant times, when called with multiple keys.",
     pfcount_cmd,
     {},
     "key [key ...]"},
    {"pfmerge",
     -2,
     kWrite | kDenyOom,
     {1, -1, 1},
     kRW | kAclSlow,
     "hyperloglog",
     "Merges one or more HyperLogLog values into a single key.",
     "2.8.9",
     "O(N) to merge N HyperLogLogs, but with high constant times.",
     pfmerge_cmd,
     {},
     "destkey [sourcekey [sourcekey ...]]"},
    {"pfdebug",
     3,
     kWrite | kDenyOom | kAdmin,
     {2, 2, 1},
     kRW | kAclAdmin | kAclSlow | kAclDangerous,
     "hyperloglog",
     "Internal commands for debugging HyperLogLog values.",
     "2.8.9",
     "N/A",
     pfdebug_cmd,
     {},
     "subcommand:string key"},
    {"pfselftest",
     1,
     kAdmin,
     {0, 0, 0},
     kAclHyperLogLog | kAclAdmin | kAclSlow | kAclDangerous,
     "hyperloglog",
     "An internal command for testing HyperLogLog values.",
     "2.8.9",
     "N/A",
     pfselftest_cmd,
     {},
     ""},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> hyperloglog_commands() { return cmd::kHyperLogLogCommands; }
}  // namespace dq::server
