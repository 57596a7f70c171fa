// hash.cpp — the hashes family: HSET/HGET and friends, counters, HRANDFIELD, HSCAN.
//
// A hash key holds a storage::HashObject ("listpack" while small, "hashtable" beyond
// hash-max-listpack-entries / hash-max-listpack-value, never back). The limits are read from
// Config on every write, as Redis reads them when it decides to convert. An emptied hash is
// deleted; every write that changed something reports the key (ctx.modified).
#include "storage/hash.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;
using storage::HashObject;
using storage::Status;
using storage::Type;

namespace {

// Texts particular to this family (as Redis 7 spells them).
constexpr std::string_view kHashNotInteger = "ERR hash value is not an integer";
constexpr std::string_view kHashNotFloat = "ERR hash value is not a float";
constexpr std::string_view kIncrNotFinite = "ERR value is NaN or Infinity";
constexpr std::string_view kFmtCountRange =
    "ERR value is out of range, value must between {} and {}";
constexpr std::string_view kValueOutOfRange = "ERR value is out of range";

storage::HashLimits limits(CommandContext& ctx) {
  const Config& c = ctx.server.config();
  return {static_cast<size_t>(std::max(0, c.hash_max_listpack_entries)),
          static_cast<size_t>(std::max(0, c.hash_max_listpack_value))};
}

// The hash at key, or nullptr when absent. On WRONGTYPE replies and sets *bad.
HashObject* find_hash(CommandContext& ctx, std::string_view key, bool* bad, bool read = false,
                      Entry** entry = nullptr) {
  Entry* e = read ? ctx.find_read(key) : ctx.find_write(key);
  *bad = false;
  if (entry) *entry = e;
  if (!e) return nullptr;
  if (e->type() != Type::Hash) {
    *bad = true;
    ctx.wrong_type();
    return nullptr;
  }
  return static_cast<HashObject*>(e->object());
}

// The hash at key, created empty when absent. nullptr (after replying) on WRONGTYPE.
HashObject* find_or_create(CommandContext& ctx, std::string_view key, Entry** entry) {
  bool bad;
  HashObject* h = find_hash(ctx, key, &bad, false, entry);
  if (bad || h) return h;
  h = new HashObject;
  *entry = Entry::make_heap(key, Type::Hash, storage::Encoding::ListPack, h, false, -1);
  ctx.db().put(*entry);
  return h;
}

// Keeps the entry's encoding tag (DEBUG OBJECT) in step with the object after a write.
void sync_encoding(Entry* e, const HashObject* h) {
  if (!h->compact()) e->set_encoding(storage::Encoding::HashTable);
}

// Deletes the key if its hash became empty.
// Keyspace event "del", after the command's own.
void drop_if_empty(CommandContext& ctx, std::string_view key, const HashObject* h) {
  if (!h->empty()) return;
  ctx.db().del(key, ctx.now);
  ctx.notify(notify::kGeneric, "del", key);
}

// --- writes -------------------------------------------------------------------------

// HSET / HMSET key field value [field value ...]
void hset_generic(CommandContext& ctx, bool hmset) {
  if (ctx.argc() % 2 == 1) return ctx.error_fmt(err::kFmtWrongArity, ctx.cmd->fullname);
  std::string_view key = ctx.arg(1);
  Entry* e;
  HashObject* h = find_or_create(ctx, key, &e);
  if (!h) return;
  storage::HashLimits lim = limits(ctx);
  // Redis 7.2 guesses the fields are distinct: more pairs than the entry limit convert up
  // front, even when duplicates leave fewer fields (7.0 kept those in a listpack).
  if (h->compact() && (ctx.argc() - 2) / 2 > lim.max_listpack_entries) h->convert_to_table();
  int64_t added = 0;
  for (size_t i = 2; i < ctx.argc(); i += 2) added += h->set(ctx.arg(i), ctx.arg(i + 1), lim);
  sync_encoding(e, h);
  ctx.modified(key);
  ctx.notify(notify::kHash, "hset", key);
  if (hmset) return ctx.reply().ok();
  ctx.reply().integer(added);
}
void hset_cmd(CommandContext& ctx) { hset_generic(ctx, false); }
void hmset_cmd(CommandContext& ctx) { hset_generic(ctx, true); }

void hsetnx_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e;
  bool bad;
  HashObject* h = find_hash(ctx, key, &bad, false, &e);
  if (bad) return;
  if (h && h->contains(ctx.arg(2))) return ctx.reply().integer(0);
  if (!h) h = find_or_create(ctx, key, &e);
  h->set(ctx.arg(2), ctx.arg(3), limits(ctx));
  sync_encoding(e, h);
  ctx.modified(key);
  ctx.notify(notify::kHash, "hset", key);
  ctx.reply().integer(1);
}

void hdel_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  bool bad;
  HashObject* h = find_hash(ctx, key, &bad);
  if (bad) return;
  if (!h) return ctx.reply().integer(0);
  int64_t removed = 0;
  for (size_t i = 2; i < ctx.argc() && !h->empty(); ++i) removed += h->erase(ctx.arg(i));
  if (removed) {
    ctx.notify(notify::kHash, "hdel", key);
    drop_if_empty(ctx, key, h);
    ctx.modified(key);
  }
  ctx.reply().integer(removed);
}

void hincrby_cmd(CommandContext& ctx) {
  int64_t by;
  if (!ctx.int_arg(3, &by)) return;
  std::string_view key = ctx.arg(1);
  Entry* e;
  bool bad;
  HashObject* h = find_hash(ctx, key, &bad, false, &e);
  if (bad) return;
  storage::HashLimits lim = limits(ctx);
  int64_t v = 0;
  if (h) {
    // Check before creating anything: an error reply means nothing changed.
    Status s = h->incr_by(ctx.arg(2), by, lim, &v);
    if (s == Status::NotInteger) return ctx.error(kHashNotInteger);
    if (s == Status::Overflow) return ctx.error(err::kOverflow);
  } else {
    h = find_or_create(ctx, key, &e);
    h->incr_by(ctx.arg(2), by, lim, &v);
  }
  sync_encoding(e, h);
  ctx.modified(key);
  ctx.notify(notify::kHash, "hincrby", key);
  ctx.reply().integer(v);
}

void hincrbyfloat_cmd(CommandContext& ctx) {
  long double by;
  if (!ctx.long_double_arg(3, &by)) return;
  if (std::isnan(by) || std::isinf(by)) return ctx.error(kIncrNotFinite);
  std::string_view key = ctx.arg(1);
  Entry* e;
  bool bad;
  HashObject* h = find_hash(ctx, key, &bad, false, &e);
  if (bad) return;
  storage::HashLimits lim = limits(ctx);
  std::string out;
  if (h) {
    Status s = h->incr_by_float(ctx.arg(2), by, lim, &out);
    if (s == Status::NotFloat) return ctx.error(kHashNotFloat);
    if (s == Status::NanOrInfinity) return ctx.error(err::kIncrNanInf);
  } else {
    h = find_or_create(ctx, key, &e);
    h->incr_by_float(ctx.arg(2), by, lim, &out);
  }
  sync_encoding(e, h);
  ctx.modified(key);
  ctx.notify(notify::kHash, "hincrbyfloat", key);
  ctx.reply().bulk(out);
}

// --- reads --------------------------------------------------------------------------

void hget_cmd(CommandContext& ctx) {
  bool bad;
  HashObject* h = find_hash(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  std::string_view v;
  if (!h || !h->get(ctx.arg(2), &v)) return ctx.reply().null();
  ctx.reply().bulk(v);
}

void hmget_cmd(CommandContext& ctx) {
  bool bad;
  HashObject* h = find_hash(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::string_view v;
    if (h && h->get(ctx.arg(i), &v))
      ctx.reply().bulk(v);
    else
      ctx.reply().null();
  }
}

void hexists_cmd(CommandContext& ctx) {
  bool bad;
  HashObject* h = find_hash(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().integer(h && h->contains(ctx.arg(2)) ? 1 : 0);
}

void hlen_cmd(CommandContext& ctx) {
  bool bad;
  HashObject* h = find_hash(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().integer(h ? static_cast<int64_t>(h->size()) : 0);
}

void hstrlen_cmd(CommandContext& ctx) {
  bool bad;
  HashObject* h = find_hash(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  std::string_view v;
  ctx.reply().integer(h && h->get(ctx.arg(2), &v) ? static_cast<int64_t>(v.size()) : 0);
}

enum class Part { Keys, Values, Both };

void getall_generic(CommandContext& ctx, Part part) {
  bool bad;
  HashObject* h = find_hash(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  auto& r = ctx.reply();
  size_t n = h ? h->size() : 0;
  if (part == Part::Both)
    r.map(n);
  else
    r.array(n);
  if (!h) return;
  h->for_each([&](std::string_view f, std::string_view v) {
    if (part != Part::Values) r.bulk(f);
    if (part != Part::Keys) r.bulk(v);
  });
}
void hkeys_cmd(CommandContext& ctx) { getall_generic(ctx, Part::Keys); }
void hvals_cmd(CommandContext& ctx) { getall_generic(ctx, Part::Values); }
void hgetall_cmd(CommandContext& ctx) { getall_generic(ctx, Part::Both); }

// HRANDFIELD key [count [WITHVALUES]]
void hrandfield_cmd(CommandContext& ctx) {
  if (ctx.argc() == 2) {
    bool bad;
    HashObject* h = find_hash(ctx, ctx.arg(1), &bad, true);
    if (bad) return;
    if (!h) return ctx.reply().null();
    h->random_with_repeats(1, [&](std::string_view f, std::string_view) { ctx.reply().bulk(f); });
    return;
  }
  int64_t count;
  if (!ctx.int_arg(2, &count)) return;
  // Redis reads the count as a long within [-LONG_MAX, LONG_MAX].
  if (count == LLONG_MIN) return ctx.error_fmt(kFmtCountRange, -LLONG_MAX, LLONG_MAX);
  bool withvalues = false;
  if (ctx.argc() == 4 && arg_is(ctx.arg(3), "withvalues")) {
    withvalues = true;
    // Twice as many reply items: Redis refuses counts whose double would overflow.
    if (count < -(LLONG_MAX / 2) || count > LLONG_MAX / 2) return ctx.error(kValueOutOfRange);
  } else if (ctx.argc() >= 4) {
    return ctx.syntax_error();
  }
  bool bad;
  HashObject* h = find_hash(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  auto& r = ctx.reply();
  if (!h || count == 0) return r.array(0);
  // RESP3 with values answers an array of [field, value] pairs; RESP2 a flat array.
  bool pairs = withvalues && r.resp3();
  auto emit = [&](std::string_view f, std::string_view v) {
    if (pairs) r.array(2);
    r.bulk(f);
    if (withvalues) r.bulk(v);
  };
  size_t items = withvalues && !pairs ? 2 : 1;
  if (count < 0) {
    size_t n = static_cast<size_t>(-count);
    r.array(n * items);
    h->random_with_repeats(n, emit);
    return;
  }
  size_t n = std::min(static_cast<size_t>(count), h->size());
  r.array(n * items);
  h->random_distinct(n, emit);
}

// HSCAN key cursor [MATCH pattern] [COUNT count]
void hscan_cmd(CommandContext& ctx) {
  uint64_t cursor;
  if (!ctx.cursor_arg(2, &cursor)) return;
  bool bad;
  HashObject* h = find_hash(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  auto& r = ctx.reply();
  if (!h) return ctx.reply_empty_scan();  // before the options, as Redis
  CommandContext::ScanOptions opt;
  if (!ctx.scan_options(3, &opt)) return;
  std::vector<std::pair<std::string_view, std::string_view>> batch;
  auto take = [&](std::string_view f, std::string_view v) { batch.emplace_back(f, v); };
  if (h->compact()) {
    // A packed hash is answered whole, whatever the cursor, and the scan ends (as Redis).
    h->scan(0, take);
    cursor = 0;
  } else {
    // Redis counts fields and values against COUNT (two items per pair), and visits at
    // most 10*COUNT buckets per call.
    uint64_t max_steps = opt.max_steps();
    do {
      cursor = h->scan(cursor, take);
    } while (cursor && max_steps-- && !opt.reached(batch.size() * 2));
  }
  size_t kept = 0;
  for (auto& p : batch)
    if (opt.matches(p.first)) batch[kept++] = p;
  batch.resize(kept);
  r.array(2);
  r.bulk(std::to_string(cursor));
  r.array(batch.size() * 2);
  for (auto& [f, v] : batch) {
    r.bulk(f);
    r.bulk(v);
  }
}

constexpr uint32_t kRW = kAclWrite | kAclHash;
constexpr uint32_t kRO = kAclRead | kAclHash;

constexpr CommandSpec kHashCommands[] = {
    {"hset",
     -4,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "hash",
     "Creates or modifies the value of a field in a hash.",
     "2.0.0",
     "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command "
     "is called with multiple field/value pairs.",
     hset_cmd,
     {},
     "key field value [field value ...]"},
    {"hsetnx",
     4,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "hash",
     "Sets the value of a field in a hash only when the field doesn't exist.",
     "2.0.0",
     "O(1)",
     hsetnx_cmd,
     {},
     "key field value"},
    {"hmset",
     -4,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "hash",
     "Sets the values of multiple fields.",
     "2.0.0",
     "O(N) where N is the number of fields being set.",
     hmset_cmd,
     {},
     "key field value [field value ...]"},
    {"hget",
     3,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "hash",
     "Returns the value of a field in a hash.",
     "2.0.0",
     "O(1)",
     hget_cmd,
     {},
     "key field"},
    {"hmget",
     -3,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "hash",
     "Returns the values of all fields in a hash.",
     "2.0.0",
     "O(N) where N is the number of fields being requested.",
     hmget_cmd,
     {},
     "key field [field ...]"},
    {"hdel",
     -3,
     kWrite | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "hash",
     "Deletes one or more fields and their values from a hash. Deletes the hash if no fields "
     "remain.",
     "2.0.0",
     "O(N) where N is the number of fields to be removed.",
     hdel_cmd,
     {},
     "key field [field ...]"},
    {"hexists",
     3,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "hash",
     "Determines whether a field exists in a hash.",
     "2.0.0",
     "O(1)",
     hexists_cmd,
     {},
     "key field"},
    {"hlen",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "hash",
     "Returns the number of fields in a hash.",
     "2.0.0",
     "O(1)",
     hlen_cmd,
     {},
     "key"},
    {"hstrlen",
     3,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "hash",
     "Returns the length of the value of a field.",
     "3.2.0",
     "O(1)",
     hstrlen_cmd,
     {},
     "key field"},
    {"hkeys",
     2,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "hash",
     "Returns all fields in a hash.",
     "2.0.0",
     "O(N) where N is the size of the hash.",
     hkeys_cmd,
     {},
     "key",
     "nondeterministic_output_order"},
    {"hvals",
     2,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "hash",
     "Returns all values in a hash.",
     "2.0.0",
     "O(N) where N is the size of the hash.",
     hvals_cmd,
     {},
     "key",
     "nondeterministic_output_order"},
    {"hgetall",
     2,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "hash",
     "Returns all fields and values of a hash.",
     "2.0.0",
     "O(N) where N is the size of the hash.",
     hgetall_cmd,
     {},
     "key",
     "nondeterministic_output_order"},
    {"hincrby",
     4,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "hash",
     "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if "
     "the field doesn't exist.",
     "2.0.0",
     "O(1)",
     hincrby_cmd,
     {},
     "key field increment"},
    {"hincrbyfloat",
     4,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "hash",
     "Increments the floating point value of a field by a number. Uses 0 as initial value if "
     "the field doesn't exist.",
     "2.6.0",
     "O(1)",
     hincrbyfloat_cmd,
     {},
     "key field increment"},
    {"hrandfield",
     -2,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "hash",
     "Returns one or more random fields from a hash.",
     "6.2.0",
     "O(N) where N is the number of fields returned",
     hrandfield_cmd,
     {},
     "key [count [WITHVALUES]]",
     "nondeterministic_output"},
    {"hscan",
     -3,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "hash",
     "Iterates over fields and values of a hash.",
     "2.8.0",
     "O(1) for every call. O(N) for a complete iteration, including enough command calls for "
     "the cursor to return back to 0. N is the number of elements inside the collection.",
     hscan_cmd,
     {},
     "key cursor [MATCH pattern] [COUNT count]",
     "nondeterministic_output"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> hash_commands() { return std::span(cmd::kHashCommands); }
}  // namespace dq::server
