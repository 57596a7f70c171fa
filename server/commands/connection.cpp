// connection.cpp — the connection family: PING, ECHO, QUIT, RESET, AUTH, SELECT, HELLO.
// (CLIENT lives in client.cpp.)
#include <algorithm>
#include <cstring>

#include "server/command_context.h"
#include "server/version.h"

namespace dq::cmd {

using namespace dq::server;

namespace {

void ping_cmd(CommandContext& ctx) {
  if (ctx.argc() > 2) return ctx.error_fmt(err::kFmtWrongArity, "ping");
  Client& c = ctx.client;
  // RESP2 subscribed clients get ["pong", msg] (Redis's subscribe-mode PING).
  if (c.reply.proto() == 2 && c.sub_channels + c.sub_patterns + c.sub_shard > 0) {
    ctx.reply().array(2);
    ctx.reply().bulk("pong");
    ctx.reply().bulk(ctx.argc() == 2 ? ctx.arg(1) : "");
    return;
  }
  if (ctx.argc() == 2) return ctx.reply().bulk(ctx.arg(1));
  ctx.reply().simple("PONG");
}

void echo_cmd(CommandContext& ctx) { ctx.reply().bulk(ctx.arg(1)); }

void quit_cmd(CommandContext& ctx) {
  ctx.reply().ok();
  ctx.client.close_after_reply = true;
}

void select_cmd(CommandContext& ctx) {
  int64_t id;
  if (!protocol::parse_int64(ctx.arg(1), &id)) return ctx.error(err::kInvalidDbIndex);
  if (id < 0 || id >= ctx.server.keyspace().count()) return ctx.error(err::kDbIndexOutOfRange);
  ctx.client.db_index = static_cast<int>(id);
  ctx.client.db = &ctx.server.keyspace().db(static_cast<int>(id));
  ctx.reply().ok();
}

// Checks user/password against the default user. Returns true if accepted.
bool check_auth(CommandContext& ctx, std::string_view user, std::string_view pass) {
  const std::string& want = ctx.server.config().requirepass;
  if (user != "default") return false;
  if (want.empty()) return true;  // nopass: any password works for "default"
  return pass.size() == want.size() && std::memcmp(pass.data(), want.data(), want.size()) == 0;
}

void auth_cmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.syntax_error();
  if (ctx.argc() == 2 && ctx.server.config().requirepass.empty())
    return ctx.error(err::kAuthNoPassword);
  std::string_view user = ctx.argc() == 3 ? ctx.arg(1) : "default";
  std::string_view pass = ctx.argc() == 3 ? ctx.arg(2) : ctx.arg(1);
  if (!check_auth(ctx, user, pass)) return ctx.error(err::kWrongPass);
  ctx.client.authenticated = true;
  ctx.reply().ok();
}

void hello_cmd(CommandContext& ctx) {
  Client& c = ctx.client;
  int64_t ver = 0;
  size_t j = 1;
  if (ctx.argc() >= 2) {
    if (!protocol::parse_int64(ctx.arg(1), &ver)) return ctx.error(err::kProtocolVersionNotInteger);
    if (ver < 2 || ver > 3) return ctx.error(err::kNoProto);
    j = 2;
  }
  std::string_view setname;
  bool has_setname = false;
  for (; j < ctx.argc(); ++j) {
    size_t left = ctx.argc() - j - 1;
    if (arg_is(ctx.arg(j), "auth") && left >= 2) {
      std::string_view user = ctx.arg(j + 1), pass = ctx.arg(j + 2);
      if (!check_auth(ctx, user, pass)) return ctx.error(err::kWrongPass);
      c.authenticated = true;
      j += 2;
    } else if (arg_is(ctx.arg(j), "setname") && left >= 1) {
      setname = ctx.arg(j + 1);
      has_setname = true;
      for (char ch : setname)
        if (ch < '!' || ch > '~') return ctx.error(err::kClientNameSpaces);
      ++j;
    } else {
      return ctx.error_fmt("ERR Syntax error in HELLO option '{}'", ctx.arg(j));
    }
  }
  if (!c.authenticated)
    return ctx.error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
        "<proto> AUTH <user> <pass> option can be used to authenticate the client and select the "
        "RESP protocol version at the same time");
  if (has_setname) c.name.assign(setname);
  if (ver) c.reply.set_proto(static_cast<int>(ver));
  auto& r = ctx.reply();
  r.map(7);
  r.bulk("server");
  r.bulk("redis");
  r.bulk("version");
  r.bulk(kRedisVersion);
  r.bulk("proto");
  r.integer(c.reply.proto());
  r.bulk("id");
  r.integer(static_cast<int64_t>(c.id));
  r.bulk("mode");
  r.bulk("standalone");
  r.bulk("role");
  r.bulk("master");
  r.bulk("modules");
  r.array(0);
}

void reset_cmd(CommandContext& ctx) {
  Client& c = ctx.client;
  c.db_index = 0;
  c.db = &ctx.server.keyspace().db(0);
  c.reply.set_proto(2);
  c.name.clear();
  c.reply_off = c.skip_next = c.skip_current = false;
  c.no_evict = c.no_touch = false;
  if (c.monitor) {
    c.monitor = false;
    auto& m = ctx.server.monitors();
    m.erase(std::remove(m.begin(), m.end(), &c), m.end());
  }
  ctx.server.pubsub().forget(c);
  ctx.server.tracking().disable(c);  // CLIENT TRACKING off, as Redis's RESET
  c.authenticated = ctx.server.config().requirepass.empty();
  ctx.reply().simple("RESET");
}

constexpr uint32_t kConn = kAclConnection;

constexpr CommandSpec kConnectionCommands[] = {
    {"ping",
     -1,
     kFast | kSubscribeOk,
     {},
     kConn | kAclFast,
     "connection",
     "Returns the server's liveliness response.",
     "1.0.0",
     "O(1)",
     ping_cmd,
     {},
     "[message]"},
    {"echo",
     2,
     kLoading | kStale | kFast,
     {},
     kConn | kAclFast,
     "connection",
     "Returns the given string.",
     "1.0.0",
     "O(1)",
     echo_cmd,
     {},
     "message"},
    {"quit",
     -1,
     kNoScript | kAllowBusy | kNoAuth | kFast | kLoading | kStale | kSubscribeOk | kTxControl,
     {},
     kConn | kAclFast,
     "connection",
     "Closes the connection.",
     "1.0.0",
     "O(1)",
     quit_cmd,
     {},
     ""},
    {"reset",
     1,
     kNoScript | kLoading | kStale | kNoAuth | kFast | kSubscribeOk | kAllowBusy | kTxControl,
     {},
     kConn | kAclFast,
     "connection",
     "Resets the connection.",
     "6.2.0",
     "O(1)",
     reset_cmd,
     {},
     ""},
    {"auth",
     -2,
     kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy | kRedactArgs,
     {},
     kConn | kAclFast,
     "connection",
     "Authenticates the connection.",
     "1.0.0",
     "O(N) where N is the number of passwords defined for the user",
     auth_cmd,
     {},
     "[username] password"},
    {"select",
     2,
     kLoading | kStale | kFast,
     {},
     kConn | kAclFast,
     "connection",
     "Changes the selected database.",
     "1.0.0",
     "O(1)",
     select_cmd,
     {},
     "index"},
    {"hello",
     -1,
     kNoScript | kLoading | kStale | kFast | kNoAuth | kAllowBusy | kRedactArgs,
     {},
     kConn | kAclFast,
     "connection",
     "Handshakes with the Redis server.",
     "6.0.0",
     "O(1)",
     hello_cmd,
     {},
     "[protover [AUTH username password] [SETNAME clientname]]"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> connection_commands() { return cmd::kConnectionCommands; }
}  // namespace dq::server
