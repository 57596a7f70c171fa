// persistence.cpp — the persistence family: DUMP and RESTORE (a key's value as Redis's RDB
// object payload), SAVE and BGSAVE (the RDB file: server/persistence.cpp does the work).
//
// The payload codec lives in storage/rdb_value (types, validation); this file parses the
// arguments, applies TTL / REPLACE / IDLETIME / FREQ as Redis 7's restoreCommand does, and
// reports the change through ctx.modified like every write (WATCH, blocked clients, dirty).
//
// Redis 7 behaviour kept on purpose:
// - The checks run in Redis's order: options (syntax, IDLETIME / FREQ values), then BUSYKEY,
//   then the TTL, then the payload's footer, then its contents.
// - A TTL already in the past (only possible with ABSTTL) restores nothing: the old key is
//   deleted when REPLACE was given, and the reply is OK.
// - FREQ is validated but only has an effect under an LFU policy; dq keeps no LFU counter.
//   IDLETIME sets the key's LRU clock (OBJECT IDLETIME reads it back) unless the policy is LFU.
#include "server/persistence.h"

#include <string>

#include "server/command_context.h"
#include "server/log.h"
#include "server/notify.h"
#include "storage/evict.h"
#include "storage/rdb_value.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;

namespace {

// DUMP key
void dump_cmd(CommandContext& ctx) {
  Entry* e = ctx.find_read(ctx.arg(1));
  if (!e) return ctx.reply().null();
  // As Redis, rdbcompression also compresses DUMP payloads' strings.
  ctx.reply().bulk(storage::rdb::dump_payload(*e, ctx.server.config().rdbcompression));
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
void restore_cmd(CommandContext& ctx) {
  bool replace = false, absttl = false;
  int64_t idle = -1, freq = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    std::string_view a = ctx.arg(j);
    if (arg_is(a, "replace")) {
      replace = true;
    } else if (arg_is(a, "absttl")) {
      absttl = true;
    } else if (arg_is(a, "idletime") && more && freq == -1) {
      if (!ctx.int_arg(++j, &idle)) return;
      if (idle < 0) return ctx.error(err::kInvalidIdletime);
    } else if (arg_is(a, "freq") && more && idle == -1) {
      if (!ctx.int_arg(++j, &freq)) return;
      if (freq < 0 || freq > 255) return ctx.error(err::kInvalidFreq);
    } else {
      return ctx.syntax_error();
    }
  }
  std::string_view key = ctx.arg(1);
  if (!replace && ctx.find_write(key)) return ctx.error(err::kBusyKey);
  int64_t ttl;
  if (!ctx.int_arg(2, &ttl)) return;
  if (ttl < 0) return ctx.error(err::kInvalidTtl);
  // Redis adds without an overflow check: a sum past INT64_MAX wraps negative and then reads
  // as already expired (unsigned arithmetic here, to wrap without undefined behaviour).
  if (ttl && !absttl) ttl = static_cast<int64_t>(static_cast<uint64_t>(ttl) + ctx.now);
  storage::rdb::RestoreStatus st;
  Entry* e = storage::rdb::restore_payload(ctx.arg(3), key, ttl ? ttl : -1,
                                           value_limits(ctx.server.config()), ctx.now, &st);
  if (st == storage::rdb::RestoreStatus::BadFooter) return ctx.error(err::kDumpPayload);
  if (!e) return ctx.error(err::kBadDataFormat);
  bool deleted = replace && ctx.db().del(key, ctx.now);
  if (ttl && ttl <= ctx.now) {  // already expired: nothing is stored
    Entry::destroy(e);
    if (deleted) {
      ctx.modified(key);
      ctx.notify(notify::kGeneric, "del", key);
    }
    return ctx.reply().ok();
  }
  // FREQ sets the LFU counter under an LFU policy, IDLETIME the LRU clock otherwise; a new
  // key's access stamp (set when the value was built) otherwise.
  storage::set_access_from_dump(e, idle, static_cast<int>(freq), ctx.server.lru_clock());
  ctx.db().put(e, /*keep_lfu=*/false);
  ctx.modified(key);
  ctx.notify(notify::kGeneric, "restore", key);
  ctx.reply().ok();
}

// SAVE
void save_cmd(CommandContext& ctx) {
  Persistence& p = ctx.server.persistence();
  if (p.child_running()) return ctx.error(err::kBgsaveInProgress);
  if (!p.save()) return ctx.error("ERR");
  ctx.reply().ok();
}

// BGSAVE [SCHEDULE]
void bgsave_cmd(CommandContext& ctx) {
  bool schedule = false;
  if (ctx.argc() > 1) {
    if (ctx.argc() == 2 && arg_is(ctx.arg(1), "schedule"))
      schedule = true;
    else
      return ctx.syntax_error();
  }
  Persistence& p = ctx.server.persistence();
  if (p.child_running()) return ctx.error(err::kBgsaveInProgress);
  // Inside MULTI / EXEC Redis schedules it (the fork would copy a half-run transaction).
  if (ctx.in_exec) {
    p.schedule_bgsave();
    return ctx.reply().simple("Background saving scheduled");
  }
  (void)schedule;  // no other child kind exists in dq (no AOF rewrite): start now
  if (!p.bgsave()) return ctx.error("ERR");
  ctx.reply().simple("Background saving started");
}

constexpr uint32_t kKR = kAclKeyspace | kAclRead;
constexpr uint32_t kKW = kAclKeyspace | kAclWrite;

constexpr CommandSpec kPersistenceCommands[] = {
    {"dump",
     2,
     kReadOnly,
     {1, 1, 1},
     kKR | kAclSlow,
     "generic",
     "Return a serialized version of the value stored at the specified key.",
     "2.6.0",
     "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of "
     "Redis objects composing the value and M their average size. For small string values the "
     "time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
     dump_cmd,
     {},
     "key",
     "nondeterministic_output"},
    {"restore",
     -4,
     kWrite | kDenyOom,
     {1, 1, 1},
     kKW | kAclSlow | kAclDangerous,
     "generic",
     "Create a key using the provided serialized value, previously obtained using DUMP.",
     "2.6.0",
     "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, "
     "where N is the number of Redis objects composing the value and M their average size. For "
     "small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply "
     "O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting "
     "values into sorted sets is O(log(N)).",
     restore_cmd,
     {},
     "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]"},
    {"save",
     1,
     kAdmin | kNoScript | kNoAsyncLoading | kNoMulti,
     {},
     kAclAdmin | kAclSlow | kAclDangerous,
     "server",
     "Synchronously save the dataset to disk",
     "1.0.0",
     "O(N) where N is the total number of keys in all databases",
     save_cmd,
     {},
     ""},
    {"bgsave",
     -1,
     kAdmin | kNoScript | kNoAsyncLoading,
     {},
     kAclAdmin | kAclSlow | kAclDangerous,
     "server",
     "Asynchronously save the dataset to disk",
     "1.0.0",
     "O(1)",
     bgsave_cmd,
     {},
     "[SCHEDULE]"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> persistence_commands() { return cmd::kPersistenceCommands; }
}  // namespace dq::server
