// keys.cpp — the generic keyspace family: commands that work on keys whatever their type.
//
// DEL UNLINK EXISTS TYPE TOUCH RENAME RENAMENX COPY MOVE KEYS SCAN RANDOMKEY DBSIZE FLUSHDB
// FLUSHALL SWAPDB EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL EXPIRETIME PEXPIRETIME PERSIST
// OBJECT (ENCODING IDLETIME FREQ REFCOUNT HELP).
//
// Every handler validates all of its arguments before it touches storage, so an error reply
// means nothing changed. Every change is reported with ctx.modified / modified_in (WATCH,
// blocked clients, the dirty counter), once per key changed.
//
// Redis quirks kept on purpose (Redis 7.0 is the specification):
// - SCAN parses its cursor with strtoull: "" is 0 and "-1" is 2^64-1; only a leading space,
//   trailing garbage or overflow are "invalid cursor". COUNT < 1 is a syntax error; an
//   unknown TYPE name filters everything out (7.0 has no "unknown type" error).
// - EXPIRE with a time in the past deletes the key and answers 1; option conflicts are
//   checked before the time, overflow before the key lookup.
// - OBJECT REFCOUNT answers INT_MAX for the shared integers 0..9999 (unless an LRU/LFU
//   maxmemory policy disables sharing), 1 for everything else.
// - RENAME of a key onto itself answers OK (RENAMENX 0) when the key exists, "no such key"
//   otherwise; COPY onto itself in the same db is an error.
#include <uv.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "server/command_context.h"
#include "server/persistence.h"
#include "storage/evict.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Encoding;
using storage::Entry;
using storage::Type;

namespace {

// --- shared helpers ----------------------------------------------------------------------

// A lookup that counts keyspace hits/misses but leaves the LRU clock alone (Redis's
// LOOKUP_NOTOUCH: TYPE, EXISTS, TTL, OBJECT).
// keymiss_event: a miss is a "keymiss" keyspace event (EXISTS, TYPE, TTL), as Redis's
// lookupKeyRead; OBJECT looks up with LOOKUP_NONOTIFY.
Entry* find_notouch(CommandContext& ctx, std::string_view key, bool keymiss_event = true) {
  Entry* e = ctx.db().find(key, ctx.now);
  if (e) {
    ++ctx.server.stats().keyspace_hits;
  } else {
    ++ctx.server.stats().keyspace_misses;
    if (keymiss_event) ctx.notify(notify::kKeyMiss, "keymiss", key);
  }
  return e;
}

// Parses a 32-bit integer argument as Redis's getIntFromObjectOrReply. With a custom message
// both failures use it; otherwise "not an integer" and "out of range" differ.
bool int32_arg(CommandContext& ctx, size_t i, int* out, std::string_view msg = {}) {
  int64_t v;
  if (!protocol::parse_int64(ctx.arg(i), &v)) {
    ctx.error(msg.empty() ? err::kNotInteger : msg);
    return false;
  }
  if (v < INT_MIN || v > INT_MAX) {
    ctx.error(msg.empty() ? err::kIntOutOfRange : msg);
    return false;
  }
  *out = static_cast<int>(v);
  return true;
}

// The database with index id, or nullptr after replying "DB index is out of range".
storage::Db* db_arg(CommandContext& ctx, int id) {
  if (id < 0 || id >= ctx.server.keyspace().count()) {
    ctx.error(err::kDbIndexOutOfRange);
    return nullptr;
  }
  return &ctx.server.keyspace().db(id);
}

// --- DEL UNLINK EXISTS TYPE TOUCH -------------------------------------------------------

void del_cmd(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (ctx.db().del(ctx.arg(i), ctx.now)) {
      ctx.modified(ctx.arg(i));
      ctx.notify(notify::kGeneric, "del", ctx.arg(i));
      ++n;
    }
  }
  ctx.reply().integer(n);
}

void exists_cmd(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i)
    if (find_notouch(ctx, ctx.arg(i))) ++n;
  ctx.reply().integer(n);
}

void type_cmd(CommandContext& ctx) {
  Entry* e = find_notouch(ctx, ctx.arg(1));
  ctx.reply().simple(e ? storage::type_name(e->type()) : "none");
}

void touch_cmd(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i)
    if (ctx.find_read(ctx.arg(i))) ++n;
  ctx.reply().integer(n);
}

// --- RENAME RENAMENX COPY MOVE ----------------------------------------------------------

void rename_generic(CommandContext& ctx, bool nx) {
  std::string_view from = ctx.arg(1), to = ctx.arg(2);
  storage::Db& db = ctx.db();
  if (!db.find(from, ctx.now)) return ctx.error(err::kNoSuchKey);
  if (from == to) return nx ? ctx.reply().integer(0) : ctx.reply().ok();
  if (nx && db.find(to, ctx.now)) return ctx.reply().integer(0);
  db.rename(from, to, ctx.now);
  ctx.modified(from);
  ctx.modified(to);
  ctx.notify(notify::kGeneric, "rename_from", from);
  ctx.notify(notify::kGeneric, "rename_to", to);
  nx ? ctx.reply().integer(1) : ctx.reply().ok();
}
void rename_cmd(CommandContext& ctx) { rename_generic(ctx, false); }
void renamenx_cmd(CommandContext& ctx) { rename_generic(ctx, true); }

// COPY source destination [DB destination-db] [REPLACE]
void copy_cmd(CommandContext& ctx) {
  storage::Db* dst = &ctx.db();
  bool replace = false;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    if (arg_is(ctx.arg(j), "replace")) {
      replace = true;
    } else if (arg_is(ctx.arg(j), "db") && j + 1 < ctx.argc()) {
      int id;
      if (!int32_arg(ctx, ++j, &id)) return;
      if (!(dst = db_arg(ctx, id))) return;
    } else {
      return ctx.syntax_error();
    }
  }
  std::string_view from = ctx.arg(1), to = ctx.arg(2);
  if (dst == &ctx.db() && from == to) return ctx.error(err::kSameObject);
  Entry* e = ctx.find_read(from);
  if (!e) return ctx.reply().integer(0);
  if (dst->find(to, ctx.now)) {
    if (!replace) return ctx.reply().integer(0);
    dst->del(to, ctx.now);  // Redis deletes then adds: the copy is a "new" key
  }
  Entry* copy = e->clone(to);
  copy->set_lru(storage::initial_access_stamp());  // a new object, as Redis's dup
  dst->put(copy, /*keep_lfu=*/false);
  ctx.modified_in(*dst, to);
  ctx.server.notify(notify::kGeneric, "copy_to", to, dst->index());
  ctx.reply().integer(1);
}

// MOVE key db
void move_cmd(CommandContext& ctx) {
  int id;
  if (!int32_arg(ctx, 2, &id)) return;
  storage::Db* dst = db_arg(ctx, id);
  if (!dst) return;
  storage::Db& src = ctx.db();
  if (dst == &src) return ctx.error(err::kSameObject);
  std::string_view key = ctx.arg(1);
  if (!src.find(key, ctx.now) || dst->find(key, ctx.now)) return ctx.reply().integer(0);
  dst->put(src.take(key));  // value, TTL and LRU clock move as they are
  ctx.modified(key);
  ctx.modified_in(*dst, key);
  ctx.notify(notify::kGeneric, "move_from", key);
  ctx.server.notify(notify::kGeneric, "move_to", key, dst->index());
  ctx.reply().integer(1);
}

// --- KEYS SCAN RANDOMKEY DBSIZE ---------------------------------------------------------

void keys_cmd(CommandContext& ctx) {
  std::string_view pattern = ctx.arg(1);
  bool all = pattern == "*";
  std::vector<std::string_view> out;
  const storage::Db& db = ctx.db();
  db.for_each([&](Entry* e) {
    if (storage::Db::expired(e, ctx.now)) return;
    if (all || storage::glob_match(pattern, e->key())) out.push_back(e->key());
  });
  ctx.reply().array(out.size());
  for (std::string_view k : out) ctx.reply().bulk(k);
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
void scan_cmd(CommandContext& ctx) {
  uint64_t cursor;
  if (!ctx.cursor_arg(1, &cursor)) return;
  CommandContext::ScanOptions opt;
  if (!ctx.scan_options(2, &opt, true)) return;
  // Visit buckets until COUNT keys were gathered, the scan ended, or 10*COUNT buckets were
  // visited (so a sparse table cannot make one call walk it all).
  std::vector<Entry*> batch;
  uint64_t max_steps = opt.max_steps();
  const storage::Db& db = ctx.db();
  do {
    cursor = db.scan(cursor, ctx.now, &batch);
  } while (cursor && max_steps-- && !opt.reached(batch.size()));

  std::vector<std::string_view> out;
  out.reserve(batch.size());
  for (Entry* e : batch) {
    if (!opt.matches(e->key())) continue;
    if (opt.use_type) {
      std::string_view tn = storage::type_name(e->type());
      bool same = tn.size() == opt.type.size();
      for (size_t k = 0; same && k < tn.size(); ++k)
        same = std::tolower(static_cast<unsigned char>(opt.type[k])) == tn[k];
      if (!same) continue;
    }
    out.push_back(e->key());
  }
  auto& r = ctx.reply();
  r.array(2);
  r.bulk(std::to_string(cursor));
  r.array(out.size());
  for (std::string_view k : out) r.bulk(k);
}

void randomkey_cmd(CommandContext& ctx) {
  Entry* e = ctx.db().random_entry(ctx.now);
  if (!e) return ctx.reply().null();
  ctx.reply().bulk(e->key());
}

void dbsize_cmd(CommandContext& ctx) { ctx.reply().integer(static_cast<int64_t>(ctx.db().size())); }

// --- FLUSHDB FLUSHALL SWAPDB ------------------------------------------------------------

// [ASYNC|SYNC] as Redis's getFlushCommandFlags; replies a syntax error and returns false.
bool flush_mode(CommandContext& ctx, bool* async) {
  if (ctx.argc() == 1) {
    *async = ctx.server.config().lazyfree_lazy_user_flush;
  } else if (ctx.argc() == 2 && arg_is(ctx.arg(1), "sync")) {
    *async = false;
  } else if (ctx.argc() == 2 && arg_is(ctx.arg(1), "async")) {
    *async = true;
  } else {
    ctx.syntax_error();
    return false;
  }
  return true;
}

// A database's former contents, freed on libuv's thread pool (FLUSH... ASYNC). Entries and
// their values are plain heap memory owned by nobody else once unlinked.
struct LazyFree {
  uv_work_t req;
  storage::Dict<Entry> dict;
};

constexpr size_t kLazyFreeThreshold = 64;  // Redis's LAZYFREE_THRESHOLD: smaller is freed now

// One unlinked entry whose value is big: freed on libuv's thread pool so the loop never
// stalls on a collection with millions of members.
struct LazyFreeEntry {
  uv_work_t req;
  Entry* entry;
};

void free_entry_lazily(CommandContext& ctx, Entry* e) {
  if (e->type() == storage::Type::String || !e->object() ||
      e->object()->free_effort() <= kLazyFreeThreshold)
    return Entry::destroy(e);
  auto* lf = new LazyFreeEntry{{}, e};
  lf->req.data = lf;
  int rc = uv_queue_work(
      ctx.server.loop(), &lf->req,
      [](uv_work_t* req) { Entry::destroy(static_cast<LazyFreeEntry*>(req->data)->entry); },
      [](uv_work_t* req, int) { delete static_cast<LazyFreeEntry*>(req->data); });
  if (rc != 0) {
    Entry::destroy(e);
    delete lf;
  }
}

// UNLINK key [key ...]: DEL whose big values are freed off the loop thread.
void unlink_cmd(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view key = ctx.arg(i);
    if (!ctx.db().find(key, ctx.now)) continue;  // expired keys are gone, not counted
    free_entry_lazily(ctx, ctx.db().take(key));
    ctx.modified(key);
    ctx.notify(notify::kGeneric, "del", key);
    ++n;
  }
  ctx.reply().integer(n);
}

void flush_db(CommandContext& ctx, storage::Db& d, bool async) {
  if (d.size() == 0) return;
  ctx.server.database_changed(d.index());
  ctx.server.add_dirty(d.size());
  if (!async || d.size() < kLazyFreeThreshold) return d.clear();
  auto* lf = new LazyFree{};
  lf->dict = d.take_all();
  lf->req.data = lf;
  int rc = uv_queue_work(
      ctx.server.loop(), &lf->req,
      [](uv_work_t* req) {
        static_cast<LazyFree*>(req->data)->dict.clear([](Entry* e) { Entry::destroy(e); });
      },
      [](uv_work_t* req, int) { delete static_cast<LazyFree*>(req->data); });
  if (rc != 0) {  // no thread pool: free here
    lf->dict.clear([](Entry* e) { Entry::destroy(e); });
    delete lf;
  }
}

void flushdb_cmd(CommandContext& ctx) {
  bool async;
  if (!flush_mode(ctx, &async)) return;
  flush_db(ctx, ctx.db(), async);
  ctx.server.keys_flushed();  // CLIENT TRACKING: a null invalidation, even for an empty db
  ctx.reply().ok();
}

void flushall_cmd(CommandContext& ctx) {
  bool async;
  if (!flush_mode(ctx, &async)) return;
  storage::Keyspace& ks = ctx.server.keyspace();
  for (int i = 0; i < ks.count(); ++i) flush_db(ctx, ks.db(i), async);
  ctx.server.keys_flushed();
  // Redis 7's flushAllDataAndResetRDB: a running BGSAVE is killed, and with save points the
  // (now empty) dataset is saved at once.
  Persistence& p = ctx.server.persistence();
  p.kill_child();
  if (p.has_save_points()) p.save();
  ctx.server.add_dirty(1);  // Redis counts the FLUSHALL itself too
  ctx.reply().ok();
}

// SWAPDB index1 index2
void swapdb_cmd(CommandContext& ctx) {
  int a, b;
  if (!int32_arg(ctx, 1, &a, err::kInvalidFirstDbIndex)) return;
  if (!int32_arg(ctx, 2, &b, err::kInvalidSecondDbIndex)) return;
  storage::Keyspace& ks = ctx.server.keyspace();
  if (a < 0 || a >= ks.count() || b < 0 || b >= ks.count())
    return ctx.error(err::kDbIndexOutOfRange);
  if (a != b) {
    ks.swap(a, b);
    // A key of either database may have changed in both.
    ctx.server.database_changed(a, &ks.db(b));
    ctx.server.database_changed(b, &ks.db(a));
  }
  ctx.server.add_dirty(1);
  ctx.reply().ok();
}

// --- EXPIRE family ------------------------------------------------------------------------

constexpr uint32_t kExpNx = 1, kExpXx = 2, kExpGt = 4, kExpLt = 8;

// EXPIRE key time [NX|XX|GT|LT]; base_ms is now for relative forms, 0 for absolute ones.
void expire_generic(CommandContext& ctx, int64_t base_ms, bool seconds, const char* name) {
  uint32_t flags = 0;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view o = ctx.arg(j);
    if (arg_is(o, "nx")) {
      flags |= kExpNx;
    } else if (arg_is(o, "xx")) {
      flags |= kExpXx;
    } else if (arg_is(o, "gt")) {
      flags |= kExpGt;
    } else if (arg_is(o, "lt")) {
      flags |= kExpLt;
    } else {
      std::string clean(o);  // error replies carry no newlines (Redis replaces them)
      for (char& ch : clean)
        if (ch == '\r' || ch == '\n') ch = ' ';
      return ctx.error_fmt(err::kFmtUnsupportedOption, clean);
    }
  }
  if ((flags & kExpNx) && (flags & (kExpXx | kExpGt | kExpLt))) return ctx.error(err::kNxXxGtLt);
  if ((flags & kExpGt) && (flags & kExpLt)) return ctx.error(err::kGtAndLt);

  int64_t when;
  if (!ctx.int_arg(2, &when)) return;
  if (seconds) {
    if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000)
      return ctx.error_fmt(err::kFmtInvalidExpire, name);
    when *= 1000;
  }
  if (when > LLONG_MAX - base_ms) return ctx.error_fmt(err::kFmtInvalidExpire, name);
  when += base_ms;

  std::string_view key = ctx.arg(1);
  Entry* e = ctx.find_write(key);
  if (!e) return ctx.reply().integer(0);
  int64_t cur = e->has_expire() ? e->expire_ms() : -1;
  if ((flags & kExpNx) && cur != -1) return ctx.reply().integer(0);
  if ((flags & kExpXx) && cur == -1) return ctx.reply().integer(0);
  // GT: no TTL counts as infinite, so GT always fails on it; LT always passes.
  if ((flags & kExpGt) && (cur == -1 || when <= cur)) return ctx.reply().integer(0);
  if ((flags & kExpLt) && cur != -1 && when >= cur) return ctx.reply().integer(0);

  if (when <= ctx.now) {
    ctx.db().del(key, ctx.now);  // already expired: Redis deletes and answers 1
    ctx.modified(key);
    ctx.notify(notify::kGeneric, "del", key);
  } else {
    ctx.db().set_expire(e, when);
    ctx.modified(key);
    ctx.notify(notify::kGeneric, "expire", key);
  }
  ctx.reply().integer(1);
}

void expire_cmd(CommandContext& ctx) { expire_generic(ctx, ctx.now, true, "expire"); }
void pexpire_cmd(CommandContext& ctx) { expire_generic(ctx, ctx.now, false, "pexpire"); }
void expireat_cmd(CommandContext& ctx) { expire_generic(ctx, 0, true, "expireat"); }
void pexpireat_cmd(CommandContext& ctx) { expire_generic(ctx, 0, false, "pexpireat"); }

// TTL / PTTL / EXPIRETIME / PEXPIRETIME: -2 no key, -1 no TTL. Seconds are rounded to the
// nearest, as Redis does ((ms + 500) / 1000).
void ttl_generic(CommandContext& ctx, bool ms, bool absolute) {
  Entry* e = find_notouch(ctx, ctx.arg(1));
  if (!e) return ctx.reply().integer(-2);
  if (!e->has_expire()) return ctx.reply().integer(-1);
  int64_t t = e->expire_ms();
  if (!absolute) {
    t -= ctx.now;
    if (t < 0) t = 0;
  }
  ctx.reply().integer(ms ? t : (t + 500) / 1000);
}
void ttl_cmd(CommandContext& ctx) { ttl_generic(ctx, false, false); }
void pttl_cmd(CommandContext& ctx) { ttl_generic(ctx, true, false); }
void expiretime_cmd(CommandContext& ctx) { ttl_generic(ctx, false, true); }
void pexpiretime_cmd(CommandContext& ctx) { ttl_generic(ctx, true, true); }

void persist_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.find_write(key);
  if (!e || !e->has_expire()) return ctx.reply().integer(0);
  ctx.db().set_expire(e, -1);
  ctx.modified(key);
  ctx.notify(notify::kGeneric, "persist", key);
  ctx.reply().integer(1);
}

// --- OBJECT -------------------------------------------------------------------------------

bool policy_is_lfu(const Config& cfg) {
  return cfg.maxmemory_policy.find("lfu") != std::string::npos;
}
bool policy_is_lru_or_lfu(const Config& cfg) {
  return policy_is_lfu(cfg) || cfg.maxmemory_policy.find("lru") != std::string::npos;
}

void object_encoding_cmd(CommandContext& ctx) {
  Entry* e = find_notouch(ctx, ctx.arg(2), false);
  if (!e) return ctx.reply().null();
  ctx.reply().bulk(e->encoding_label());
}

void object_refcount_cmd(CommandContext& ctx) {
  Entry* e = find_notouch(ctx, ctx.arg(2), false);
  if (!e) return ctx.reply().null();
  // Redis shares the integers 0..9999 (refcount INT_MAX) unless maxmemory with an LRU/LFU
  // policy needs a per-object clock.
  const Config& cfg = ctx.server.config();
  bool sharing = cfg.maxmemory == 0 || !policy_is_lru_or_lfu(cfg);
  bool shared = sharing && e->is_int() && e->int_value() >= 0 && e->int_value() < 10000;
  ctx.reply().integer(shared ? INT_MAX : 1);
}

void object_idletime_cmd(CommandContext& ctx) {
  Entry* e = find_notouch(ctx, ctx.arg(2), false);
  if (!e) return ctx.reply().null();
  if (policy_is_lfu(ctx.server.config())) return ctx.error(err::kLfuSelectedNoIdle);
  // Both clocks are 24-bit seconds; the difference wraps as Redis's estimateObjectIdleTime.
  uint32_t idle = (ctx.server.lru_clock() - e->lru()) & 0xFFFFFF;
  ctx.reply().integer(idle);
}

void object_freq_cmd(CommandContext& ctx) {
  Entry* e = find_notouch(ctx, ctx.arg(2), false);
  if (!e) return ctx.reply().null();
  if (!policy_is_lfu(ctx.server.config())) return ctx.error(err::kLfuNotSelected);
  // The counter decayed to now, as Redis's LFUDecrAndReturn (OBJECT itself does not count).
  ctx.reply().integer(storage::lfu_frequency(e));
}

void object_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply().array(std::size(kLines));
  for (std::string_view l : kLines) ctx.reply().simple(l);
}

// --- the table ----------------------------------------------------------------------------

constexpr uint32_t kKW = kAclKeyspace | kAclWrite;
constexpr uint32_t kKR = kAclKeyspace | kAclRead;
constexpr const char* kExpireSummary = "O(1)";

constexpr CommandSpec kObjectSubcommands[] = {
    {"encoding",
     3,
     kReadOnly,
     {2, 2, 1},
     kKR | kAclSlow,
     "generic",
     "Inspect the internal encoding of a Redis object",
     "2.2.3",
     "O(1)",
     object_encoding_cmd,
     {},
     "key",
     "nondeterministic_output"},
    {"freq",
     3,
     kReadOnly,
     {2, 2, 1},
     kKR | kAclSlow,
     "generic",
     "Get the logarithmic access frequency counter of a Redis object",
     "4.0.0",
     "O(1)",
     object_freq_cmd,
     {},
     "key",
     "nondeterministic_output"},
    {"help",
     2,
     kLoading | kStale,
     {},
     kAclKeyspace | kAclSlow,
     "generic",
     "Show helpful text about the different subcommands",
     "6.2.0",
     "O(1)",
     object_help_cmd,
     {},
     ""},
    {"idletime",
     3,
     kReadOnly,
     {2, 2, 1},
     kKR | kAclSlow,
     "generic",
     "Get the time since a Redis object was last accessed",
     "2.2.3",
     "O(1)",
     object_idletime_cmd,
     {},
     "key",
     "nondeterministic_output"},
    {"refcount",
     3,
     kReadOnly,
     {2, 2, 1},
     kKR | kAclSlow,
     "generic",
     "Get the number of references to the value of the key",
     "2.2.3",
     "O(1)",
     object_refcount_cmd,
     {},
     "key",
     "nondeterministic_output"},
};

constexpr CommandSpec kKeyCommands[] = {
    {"del",
     -2,
     kWrite,
     {1, -1, 1},
     kKW | kAclSlow,
     "generic",
     "Delete a key",
     "1.0.0",
     "O(N) where N is the number of keys that will be removed. When a key to remove holds a "
     "value other than a string, the individual complexity for this key is O(M) where M is the "
     "number of elements in the list, set, sorted set or hash. Removing a single key that holds "
     "a string value is O(1).",
     del_cmd,
     {},
     "key [key ...]",
     "request_policy:multi_shard response_policy:agg_sum"},
    {"unlink",
     -2,
     kWrite | kFast,
     {1, -1, 1},
     kKW | kAclFast,
     "generic",
     "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non "
     "blocking.",
     "4.0.0",
     "O(1) for each key removed regardless of its size. Then the command does O(N) work in a "
     "different thread in order to reclaim memory, where N is the number of allocations the "
     "deleted objects where composed of.",
     unlink_cmd,
     {},
     "key [key ...]",
     "request_policy:multi_shard response_policy:agg_sum"},
    {"exists",
     -2,
     kReadOnly | kFast,
     {1, -1, 1},
     kKR | kAclFast,
     "generic",
     "Determine if a key exists",
     "1.0.0",
     "O(N) where N is the number of keys to check.",
     exists_cmd,
     {},
     "key [key ...]",
     "request_policy:multi_shard response_policy:agg_sum"},
    {"type",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kKR | kAclFast,
     "generic",
     "Determine the type stored at key",
     "1.0.0",
     "O(1)",
     type_cmd,
     {},
     "key"},
    {"touch",
     -2,
     kReadOnly | kFast,
     {1, -1, 1},
     kKR | kAclFast,
     "generic",
     "Alters the last access time of a key(s). Returns the number of existing keys specified.",
     "3.2.1",
     "O(N) where N is the number of keys that will be touched.",
     touch_cmd,
     {},
     "key [key ...]",
     "request_policy:multi_shard response_policy:agg_sum"},
    {"rename",
     3,
     kWrite,
     {1, 2, 1},
     kKW | kAclSlow,
     "generic",
     "Rename a key",
     "1.0.0",
     "O(1)",
     rename_cmd,
     {},
     "key newkey"},
    {"renamenx",
     3,
     kWrite | kFast,
     {1, 2, 1},
     kKW | kAclFast,
     "generic",
     "Rename a key, only if the new key does not exist",
     "1.0.0",
     "O(1)",
     renamenx_cmd,
     {},
     "key newkey"},
    {"copy",
     -3,
     kWrite | kDenyOom,
     {1, 2, 1},
     kKW | kAclSlow,
     "generic",
     "Copy a key",
     "6.2.0",
     "O(N) worst case for collections, where N is the number of nested items. O(1) for string "
     "values.",
     copy_cmd,
     {},
     "source:key destination:key [DB destination-db:integer] [REPLACE]"},
    {"move",
     3,
     kWrite | kFast,
     {1, 1, 1},
     kKW | kAclFast,
     "generic",
     "Move a key to another database",
     "1.0.0",
     "O(1)",
     move_cmd,
     {},
     "key db:integer"},
    {"keys",
     2,
     kReadOnly,
     {},
     kKR | kAclSlow | kAclDangerous,
     "generic",
     "Find all keys matching the given pattern",
     "1.0.0",
     "O(N) with N being the number of keys in the database, under the assumption that the key "
     "names in the database and the given pattern have limited length.",
     keys_cmd,
     {},
     "pattern",
     "request_policy:all_shards nondeterministic_output_order"},
    {"scan",
     -2,
     kReadOnly,
     {},
     kKR | kAclSlow,
     "generic",
     "Incrementally iterate the keys space",
     "2.8.0",
     "O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
     "cursor to return back to 0. N is the number of elements inside the collection.",
     scan_cmd,
     {},
     "cursor:integer [MATCH pattern] [COUNT count] [TYPE type:string]",
     "nondeterministic_output request_policy:special"},
    {"randomkey",
     1,
     kReadOnly,
     {},
     kKR | kAclSlow,
     "generic",
     "Return a random key from the keyspace",
     "1.0.0",
     "O(1)",
     randomkey_cmd,
     {},
     "",
     "request_policy:all_shards nondeterministic_output"},
    {"dbsize",
     1,
     kReadOnly | kFast,
     {},
     kKR | kAclFast,
     "server",
     "Return the number of keys in the selected database",
     "1.0.0",
     "O(1)",
     dbsize_cmd,
     {},
     "",
     "request_policy:all_shards response_policy:agg_sum"},
    {"flushdb",
     -1,
     kWrite,
     {},
     kKW | kAclSlow | kAclDangerous,
     "server",
     "Remove all keys from the current database",
     "1.0.0",
     "O(N) where N is the number of keys in the selected database",
     flushdb_cmd,
     {},
     "[ASYNC|SYNC]",
     "request_policy:all_shards response_policy:all_succeeded"},
    {"flushall",
     -1,
     kWrite,
     {},
     kKW | kAclSlow | kAclDangerous,
     "server",
     "Remove all keys from all databases",
     "1.0.0",
     "O(N) where N is the total number of keys in all databases",
     flushall_cmd,
     {},
     "[ASYNC|SYNC]",
     "request_policy:all_shards response_policy:all_succeeded"},
    {"swapdb",
     3,
     kWrite | kFast,
     {},
     kKW | kAclFast | kAclDangerous,
     "server",
     "Swaps two Redis databases",
     "4.0.0",
     "O(N) where N is the count of clients watching or blocking on keys from both databases.",
     swapdb_cmd,
     {},
     "index1:integer index2:integer"},
    {"expire",
     -3,
     kWrite | kFast,
     {1, 1, 1},
     kKW | kAclFast,
     "generic",
     "Set a key's time to live in seconds",
     "1.0.0",
     kExpireSummary,
     expire_cmd,
     {},
     "key seconds:integer [NX|XX|GT|LT]"},
    {"pexpire",
     -3,
     kWrite | kFast,
     {1, 1, 1},
     kKW | kAclFast,
     "generic",
     "Set a key's time to live in milliseconds",
     "2.6.0",
     kExpireSummary,
     pexpire_cmd,
     {},
     "key milliseconds:integer [NX|XX|GT|LT]"},
    {"expireat",
     -3,
     kWrite | kFast,
     {1, 1, 1},
     kKW | kAclFast,
     "generic",
     "Set the expiration for a key as a UNIX timestamp",
     "1.2.0",
     kExpireSummary,
     expireat_cmd,
     {},
     "key unix-time-seconds:unix-time [NX|XX|GT|LT]"},
    {"pexpireat",
     -3,
     kWrite | kFast,
     {1, 1, 1},
     kKW | kAclFast,
     "generic",
     "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
     "2.6.0",
     kExpireSummary,
     pexpireat_cmd,
     {},
     "key unix-time-milliseconds:unix-time [NX|XX|GT|LT]"},
    {"ttl",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kKR | kAclFast,
     "generic",
     "Get the time to live for a key in seconds",
     "1.0.0",
     "O(1)",
     ttl_cmd,
     {},
     "key",
     "nondeterministic_output"},
    {"pttl",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kKR | kAclFast,
     "generic",
     "Get the time to live for a key in milliseconds",
     "2.6.0",
     "O(1)",
     pttl_cmd,
     {},
     "key",
     "nondeterministic_output"},
    {"expiretime",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kKR | kAclFast,
     "generic",
     "Get the expiration Unix timestamp for a key",
     "7.0.0",
     "O(1)",
     expiretime_cmd,
     {},
     "key"},
    {"pexpiretime",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kKR | kAclFast,
     "generic",
     "Get the expiration Unix timestamp for a key in milliseconds",
     "7.0.0",
     "O(1)",
     pexpiretime_cmd,
     {},
     "key"},
    {"persist",
     2,
     kWrite | kFast,
     {1, 1, 1},
     kKW | kAclFast,
     "generic",
     "Remove the expiration from a key",
     "2.2.0",
     "O(1)",
     persist_cmd,
     {},
     "key"},
    {"object",
     -2,
     0,
     {},
     kAclSlow,
     "generic",
     "A container for object introspection commands",
     "2.2.3",
     "Depends on subcommand.",
     nullptr,
     kObjectSubcommands,
     ""},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> key_commands() { return cmd::kKeyCommands; }
}  // namespace dq::server
