// transaction.cpp — MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//
// Queueing happens in the dispatcher (commands get +QUEUED and own copies of their
// arguments). EXEC runs the queue back to back on the loop thread, so nothing interleaves;
// runtime errors appear inline in EXEC's array. A queueing error (unknown command, wrong
// arity, a refused command) makes EXEC answer EXECABORT; a WATCHed key changed by anyone
// since WATCH (write, delete, expiry, flush, swap) makes it answer a null array. Blocking
// commands inside EXEC act as their non-blocking forms, and the keys they push to wake
// waiters only after EXEC returns.
#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;

namespace {

void multi_cmd(CommandContext& ctx) {
  if (ctx.client.in_multi) return ctx.error(err::kMultiNested);
  ctx.client.in_multi = true;
  ctx.client.multi_error = false;
  ctx.client.queued.clear();
  ctx.reply().ok();
}

void discard_cmd(CommandContext& ctx) {
  if (!ctx.client.in_multi) return ctx.error(err::kDiscardWithoutMulti);
  ctx.server.discard_transaction(&ctx.client);
  ctx.server.unwatch_all(&ctx.client);
  ctx.reply().ok();
}

void exec_cmd(CommandContext& ctx) {
  Client& c = ctx.client;
  if (!c.in_multi) return ctx.error(err::kExecWithoutMulti);
  if (c.multi_error) {
    ctx.server.discard_transaction(&c);
    ctx.server.unwatch_all(&c);
    return ctx.error(err::kExecAbort);
  }
  // A watched key that expired since WATCH aborts EXEC even if nothing deleted it yet (Redis
  // 7): looking it up expires it lazily, and the expiry dirties the watchers.
  if (!c.dirty_cas) {
    for (const auto& [db, key] : c.watched) ctx.server.keyspace().db(db).find(key, ctx.now);
  }
  if (c.dirty_cas) {
    ctx.server.discard_transaction(&c);
    ctx.server.unwatch_all(&c);
    return ctx.reply().null_array();
  }
  std::vector<QueuedCommand> queue;
  queue.swap(c.queued);
  ctx.server.discard_transaction(&c);
  ctx.server.unwatch_all(&c);  // as Redis: EXEC unwatches before running the queue
  ctx.reply().array(queue.size());
  Server::TimeFreeze frozen(ctx.server, ctx.now);
  for (const QueuedCommand& q : queue) {
    std::vector<std::string_view> args(q.args.begin(), q.args.end());
    CommandContext inner{ctx.server, c, args, q.cmd, ctx.now};
    inner.in_exec = true;
    ctx.server.run_handler(inner);
    ctx.server.monitor_command(&c, q.cmd, args);
  }
}

void watch_cmd(CommandContext& ctx) {
  if (ctx.client.in_multi) return ctx.error(err::kWatchInMulti);
  for (size_t i = 1; i < ctx.argc(); ++i) {
    // A key already expired at WATCH time is removed now, so that EXEC sees it as missing
    // rather than as "expired since WATCH" (Redis remembers such keys as expired instead).
    ctx.db().find(ctx.arg(i), ctx.now);
    ctx.server.watch_key(&ctx.client, ctx.client.db_index, ctx.arg(i));
  }
  ctx.reply().ok();
}

void unwatch_cmd(CommandContext& ctx) {
  ctx.server.unwatch_all(&ctx.client);
  ctx.reply().ok();
}

constexpr uint32_t kTx = kAclTransaction;

constexpr CommandSpec kTransactionCommands[] = {
    {"multi",
     1,
     kNoScript | kLoading | kStale | kFast | kAllowBusy | kTxControl,
     {},
     kTx | kAclFast,
     "transactions",
     "Starts a transaction.",
     "1.2.0",
     "O(1)",
     multi_cmd,
     {},
     ""},
    {"exec",
     1,
     kNoScript | kLoading | kStale | kSkipSlowlog | kTxControl,
     {},
     kTx | kAclSlow,
     "transactions",
     "Executes all commands in a transaction.",
     "1.2.0",
     "Depends on commands in the transaction",
     exec_cmd,
     {},
     ""},
    {"discard",
     1,
     kNoScript | kLoading | kStale | kFast | kAllowBusy | kTxControl,
     {},
     kTx | kAclFast,
     "transactions",
     "Discards a transaction.",
     "2.0.0",
     "O(N), when N is the number of queued commands",
     discard_cmd,
     {},
     ""},
    {"watch",
     -2,
     kNoScript | kLoading | kStale | kFast | kAllowBusy | kTxControl,
     {1, -1, 1},
     kTx | kAclFast,
     "transactions",
     "Monitors changes to keys to determine the execution of a transaction.",
     "2.2.0",
     "O(1) for every key.",
     watch_cmd,
     {},
     "key [key ...]"},
    {"unwatch",
     1,
     kNoScript | kLoading | kStale | kFast | kAllowBusy,
     {},
     kTx | kAclFast,
     "transactions",
     "Forgets about watched keys of a transaction.",
     "2.2.0",
     "O(1)",
     unwatch_cmd,
     {},
     ""},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> transaction_commands() { return cmd::kTransactionCommands; }
}  // namespace dq::server
