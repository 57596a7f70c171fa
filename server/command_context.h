// command_context.h — what a handler sees: its arguments, its client, one time snapshot,
// the reply writer and the database, plus the argument-parsing helpers every family shares.
//
// A handler validates every argument first, then changes storage, then writes exactly one
// reply. An error reply means nothing changed.
#pragma once
#include <fmt/format.h>

#include <span>
#include <string_view>

#include "protocol/errors.h"
#include "protocol/reply_writer.h"
#include "server/blocking.h"
#include "server/connection.h"
#include "server/server.h"
#include "storage/keyspace.h"

namespace dq::server {

struct CommandContext {
  Server& server;
  Client& client;
  std::span<const std::string_view> args;
  const Command* cmd;
  int64_t now;                 // unix ms, one snapshot per command
  bool retry = false;          // re-run of a blocked command after a wake-up
  bool still_blocked = false;  // set by block() during a retry that found nothing
  bool in_exec = false;        // running inside EXEC: blocking commands don't block
  bool in_script = false;      // called by a Lua script (redis.call)

  protocol::ReplyWriter& reply() { return client.reply; }
  storage::Db& db() { return *client.db; }
  size_t argc() const { return args.size(); }
  std::string_view arg(size_t i) const { return args[i]; }

  void error(std::string_view msg) {
    server.count_error(msg);
    client.reply.error(msg);
  }
  template <class... A>
  void error_fmt(fmt::format_string<A...> f, A&&... a) {
    error(fmt::format(f, std::forward<A>(a)...));
  }
  void wrong_type() { error(err::kWrongType); }
  void syntax_error() { error(err::kSyntax); }

  // Parses argument i as a strict int64; on failure replies kNotInteger and returns false.
  bool int_arg(size_t i, int64_t* out);
  // Parses argument i as a finite double (Redis's getDoubleFromObject); replies on failure.
  bool double_arg(size_t i, double* out, std::string_view err_msg = err::kNotFloat);
  bool long_double_arg(size_t i, long double* out);
  // Parses a SCAN-family cursor as Redis's parseScanCursorOrReply (strtoull: an embedded NUL
  // ends the number); replies "invalid cursor" on failure.
  bool cursor_arg(size_t i, uint64_t* out);
  // SCAN-family options from argument `from` on: [MATCH pattern] [COUNT count], and
  // [TYPE type] when allow_type (SCAN). Replies the syntax / integer error and returns false.
  struct ScanOptions {
    int64_t count = 10;
    std::string_view pattern;  // empty when absent or "*"
    bool use_pattern = false;
    std::string_view type;
    bool use_type = false;
    // Bucket visits one call may make (10 * COUNT, so a sparse table cannot make one call
    // walk it all).
    uint64_t max_steps() const {
      auto c = static_cast<uint64_t>(count);
      return c > UINT64_MAX / 10 ? UINT64_MAX : c * 10;
    }
    bool reached(size_t n) const { return n >= static_cast<uint64_t>(count); }
    bool matches(std::string_view s) const {
      return !use_pattern || storage::glob_match(pattern, s);
    }
  };
  bool scan_options(size_t from, ScanOptions* o, bool allow_type = false);
  // A scan of a missing key: cursor "0" and no items (Redis answers it before the options).
  void reply_empty_scan() {
    reply().array(2);
    reply().bulk("0");
    reply().array(0);
  }

  // Parses a blocking timeout (seconds as a double, Redis's rules) into an absolute unix-ms
  // deadline (0 = forever). Replies on error.
  bool timeout_arg(size_t i, int64_t* deadline_ms);
  // Nothing to serve: park the client on keys until deadline (or, inside MULTI/EXEC, reply
  // the timeout reply now; during a wake-up retry, stay parked).
  // args: what the wake-up re-runs (default: this command as sent; XREAD passes its `$`
  // IDs resolved). unblock_on_nokey: see BlockedState.
  void block(std::span<const std::string_view> keys, int64_t deadline_ms, storage::Type type,
             TimeoutReply on_timeout, std::span<const std::string_view> rerun_args = {},
             bool unblock_on_nokey = false);
  // Parses a blocking timeout in milliseconds (XREAD's BLOCK: an integer) into an absolute
  // unix-ms deadline (0 = forever). Replies on error.
  bool timeout_ms_arg(size_t i, int64_t* deadline_ms);
  // A timeout in ms (>= 0) as an absolute deadline; replies the negative / overflow errors.
  bool deadline_from_ms(int64_t ms, int64_t* deadline_ms);

  // Key lookups. find_read counts keyspace hits/misses and refreshes the LRU clock (unless
  // the client set CLIENT NO-TOUCH); find_write does neither.
  storage::Entry* find_read(std::string_view key);
  storage::Entry* find_write(std::string_view key) { return db().find(key, now); }

  // Reports a change to key (WATCH, wake-ups, persistence dirty counter).
  void modified(std::string_view key) {
    db().notify_modified(key);
    server.add_dirty(1);
  }
  // Keyspace notification (notify.h) for key in the client's database, e.g.
  // ctx.notify(notify::kList, "lpush", key); call it where Redis calls notifyKeyspaceEvent.
  void notify(uint32_t type, std::string_view event, std::string_view key) {
    server.notify(type, event, key, client.db->index());
  }
  // Same for a key in another database.
  void modified_in(storage::Db& d, std::string_view key) {
    d.notify_modified(key);
    server.add_dirty(1);
  }
};

// Redis-style case-insensitive comparison of an argument with a keyword.
inline bool arg_is(std::string_view a, std::string_view kw) {
  if (a.size() != kw.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (x != kw[i]) return false;  // kw is lower case
  }
  return true;
}

}  // namespace dq::server
