// keys.cpp — the generic keyspace family: DEL, EXISTS, TYPE, DBSIZE, FLUSHDB, FLUSHALL, ...
#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;

namespace {

void del_cmd(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    if (ctx.db().del(ctx.arg(i), ctx.now)) {
      ctx.modified(ctx.arg(i));
      ++n;
    }
  }
  ctx.reply().integer(n);
}

void exists_cmd(CommandContext& ctx) {
  int64_t n = 0;
  for (size_t i = 1; i < ctx.argc(); ++i)
    if (ctx.find_write(ctx.arg(i))) ++n;
  ctx.reply().integer(n);
}

void dbsize_cmd(CommandContext& ctx) { ctx.reply().integer(static_cast<int64_t>(ctx.db().size())); }

void flushall_cmd(CommandContext& ctx) {
  ctx.server.keyspace().flush_all();
  ctx.reply().ok();
}

constexpr CommandSpec kKeyCommands[] = {
    {"del", -2, kWrite, {1, -1, 1}, kAclKeyspace | kAclWrite | kAclSlow, "generic",
     "Deletes one or more keys.", "1.0.0", "O(N)", del_cmd, {}, "key [key ...]"},
    {"exists", -2, kReadOnly | kFast, {1, -1, 1}, kAclKeyspace | kAclRead | kAclFast, "generic",
     "Determines whether one or more keys exist.", "1.0.0", "O(N)", exists_cmd, {},
     "key [key ...]"},
    {"dbsize", 1, kReadOnly | kFast, {}, kAclKeyspace | kAclRead | kAclFast, "server",
     "Returns the number of keys in the database.", "1.0.0", "O(1)", dbsize_cmd, {}, ""},
    {"flushall", -1, kWrite, {}, kAclKeyspace | kAclWrite | kAclSlow | kAclDangerous, "server",
     "Removes all keys from all databases.", "1.0.0", "O(N)", flushall_cmd, {}, "[ASYNC|SYNC]"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> key_commands() { return cmd::kKeyCommands; }
}  // namespace dq::server
