// client.cpp — CLIENT: connection introspection and per-connection switches.
//
// ID, SETNAME, GETNAME, SETINFO, INFO, LIST, KILL (old "addr" form and the filter form),
// REPLY ON|OFF|SKIP, NO-EVICT, NO-TOUCH, PAUSE / UNPAUSE, UNBLOCK, HELP, and the client-side
// caching switches TRACKING, CACHING, GETREDIR, TRACKINGINFO (tables in server/tracking.h).
//
// CLIENT LIST lines carry Redis 7.2's fields in Redis's order. Memory figures are dq's own
// (query buffer capacity, output buffer blocks), not jemalloc's. CLIENT PAUSE holds clients'
// commands in the dispatcher (Server::pause_clients).
#include <algorithm>
#include <string>
#include <vector>

#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;

namespace {

bool valid_client_attr(std::string_view s) {
  for (char ch : s)
    if (ch < '!' || ch > '~') return false;
  return true;
}

enum class ClientType { Normal, Master, Replica, PubSub };

// "normal" | "master" | "replica" | "slave" | "pubsub" (Redis's getClientTypeByName).
bool parse_client_type(std::string_view s, ClientType* out) {
  if (arg_is(s, "normal"))
    *out = ClientType::Normal;
  else if (arg_is(s, "master"))
    *out = ClientType::Master;
  else if (arg_is(s, "replica") || arg_is(s, "slave"))
    *out = ClientType::Replica;
  else if (arg_is(s, "pubsub"))
    *out = ClientType::PubSub;
  else
    return false;
  return true;
}

ClientType type_of(const Client& c) {
  if (c.sub_channels + c.sub_patterns + c.sub_shard > 0) return ClientType::PubSub;
  return ClientType::Normal;
}

std::string_view cmd_name(const Client& c, const CommandContext& ctx) {
  // The running client sees its current command (Redis sets lastcmd before calling it).
  if (&c == &ctx.client) return ctx.cmd->fullname;
  return c.last_cmd ? std::string_view(c.last_cmd->fullname) : std::string_view("NULL");
}

// One CLIENT LIST / CLIENT INFO line, with its trailing "\n".
void append_client_line(std::string& out, const Client& c, const CommandContext& ctx) {
  int64_t now = ctx.now;
  size_t argv_mem = 0;
  if (&c == &ctx.client)
    for (auto a : ctx.args) argv_mem += a.size();
  size_t qbuf = c.qlen - c.qpos;
  size_t qfree = c.qcap - c.qlen;
  size_t obl = c.out.size();
  size_t omem = c.out.memory();
  size_t tot = sizeof(Client) + c.qcap + omem + argv_mem;
  bool pending = !c.out.empty() || c.writing_bytes > 0;
  fmt::format_to(
      std::back_inserter(out),
      "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} "
      "ssub={} multi={} qbuf={} qbuf-free={} argv-mem={} multi-mem=0 rbs={} rbp={} obl={} "
      "oll=0 omem={} tot-mem={} events={} cmd={} user=default redir={} resp={} lib-name={} "
      "lib-ver={}\n",
      c.id, c.addr, c.laddr, c.fd, c.name, (now - c.ctime_ms) / 1000,
      (now - c.last_interaction_ms) / 1000, c.flags_string(), c.db_index, c.sub_channels,
      c.sub_patterns, c.sub_shard, c.in_multi ? static_cast<int64_t>(c.multi_count) : -1, qbuf,
      qfree, argv_mem, std::max<size_t>(omem, protocol::OutputBuffer::kBlockSize),
      std::max<size_t>(omem, protocol::OutputBuffer::kBlockSize), obl, omem, tot,
      pending ? "rw" : "r", cmd_name(c, ctx),
      c.tracking.on ? static_cast<int64_t>(c.tracking.redirect) : -1, c.reply.proto(), c.lib_name,
      c.lib_ver);
}

void reply_text(CommandContext& ctx, std::string_view s) {
  // Redis 7 answers CLIENT LIST / INFO with a verbatim string in RESP3.
  ctx.reply().verbatim(s, "txt");
}

void client_id_cmd(CommandContext& ctx) {
  ctx.reply().integer(static_cast<int64_t>(ctx.client.id));
}

void client_setname_cmd(CommandContext& ctx) {
  std::string_view n = ctx.arg(2);
  if (!valid_client_attr(n)) return ctx.error(err::kClientNameSpaces);
  ctx.client.name.assign(n);
  ctx.reply().ok();
}

void client_getname_cmd(CommandContext& ctx) {
  if (ctx.client.name.empty()) return ctx.reply().null();
  ctx.reply().bulk(ctx.client.name);
}

void client_setinfo_cmd(CommandContext& ctx) {
  std::string_view attr = ctx.arg(2), val = ctx.arg(3);
  std::string* dest;
  if (arg_is(attr, "lib-name"))
    dest = &ctx.client.lib_name;
  else if (arg_is(attr, "lib-ver"))
    dest = &ctx.client.lib_ver;
  else
    return ctx.error_fmt("ERR Unrecognized option '{}'", attr);
  if (!valid_client_attr(val)) return ctx.error_fmt(err::kFmtClientInfoSpaces, attr);
  dest->assign(val);
  ctx.reply().ok();
}

void client_info_cmd(CommandContext& ctx) {
  std::string line;
  append_client_line(line, ctx.client, ctx);
  reply_text(ctx, line);
}

void client_list_cmd(CommandContext& ctx) {
  bool by_type = false;
  ClientType type = ClientType::Normal;
  std::vector<uint64_t> ids;
  bool by_id = false;
  if (ctx.argc() == 4 && arg_is(ctx.arg(2), "type")) {
    if (!parse_client_type(ctx.arg(3), &type))
      return ctx.error_fmt("ERR Unknown client type '{}'", ctx.arg(3));
    by_type = true;
  } else if (ctx.argc() >= 4 && arg_is(ctx.arg(2), "id")) {
    by_id = true;
    for (size_t i = 3; i < ctx.argc(); ++i) {
      int64_t id;
      if (!protocol::parse_int64(ctx.arg(i), &id) || id <= 0)
        return ctx.error("ERR Invalid client ID");
      ids.push_back(static_cast<uint64_t>(id));
    }
  } else if (ctx.argc() != 2) {
    return ctx.syntax_error();
  }
  std::string out;
  if (by_id) {
    // In the order given, as Redis does; unknown ids are skipped.
    for (uint64_t id : ids)
      if (Client* c = ctx.server.client_by_id(id)) append_client_line(out, *c, ctx);
  } else {
    for (const auto& [id, c] : ctx.server.clients()) {
      if (c->closing) continue;
      if (by_type && type_of(*c) != type) continue;
      append_client_line(out, *c, ctx);
    }
  }
  reply_text(ctx, out);
}

// Closes `c` (the caller after its reply).
void kill_client(CommandContext& ctx, Client* c) {
  if (c == &ctx.client)
    c->close_after_reply = true;
  else
    ctx.server.close_client(c);
}

void client_kill_cmd(CommandContext& ctx) {
  if (ctx.argc() == 3) {  // old form: CLIENT KILL addr:port
    std::string_view addr = ctx.arg(2);
    for (const auto& [id, c] : ctx.server.clients()) {
      if (c->closing || c->addr != addr) continue;
      kill_client(ctx, c);
      return ctx.reply().ok();
    }
    return ctx.error(err::kNoSuchClient);
  }
  // New form: filters ANDed together, answers the number of killed clients.
  uint64_t id = 0;
  bool has_type = false;
  ClientType type = ClientType::Normal;
  std::string_view addr, laddr, user;
  bool skipme = true;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    if (i + 1 >= ctx.argc()) return ctx.syntax_error();
    std::string_view opt = ctx.arg(i), v = ctx.arg(i + 1);
    if (arg_is(opt, "id")) {
      int64_t n;
      if (!protocol::parse_int64(v, &n) || n <= 0) return ctx.error(err::kClientIdNotInteger);
      id = static_cast<uint64_t>(n);
    } else if (arg_is(opt, "type")) {
      if (!parse_client_type(v, &type)) return ctx.error_fmt(err::kClientKillTypeUnknown, v);
      has_type = true;
    } else if (arg_is(opt, "addr")) {
      addr = v;
    } else if (arg_is(opt, "laddr")) {
      laddr = v;
    } else if (arg_is(opt, "user")) {
      user = v;
      if (user != "default") return ctx.error_fmt("ERR No such user '{}'", v);
    } else if (arg_is(opt, "skipme")) {
      if (arg_is(v, "yes"))
        skipme = true;
      else if (arg_is(v, "no"))
        skipme = false;
      else
        return ctx.syntax_error();
    } else {
      return ctx.syntax_error();
    }
  }
  std::vector<Client*> victims;
  for (const auto& [cid, c] : ctx.server.clients()) {
    if (c->closing) continue;
    if (id && c->id != id) continue;
    if (has_type && type_of(*c) != type) continue;
    if (!addr.empty() && c->addr != addr) continue;
    if (!laddr.empty() && c->laddr != laddr) continue;
    if (skipme && c == &ctx.client) continue;
    victims.push_back(c);
  }
  for (Client* c : victims) kill_client(ctx, c);
  ctx.reply().integer(static_cast<int64_t>(victims.size()));
}

void client_reply_cmd(CommandContext& ctx) {
  Client& c = ctx.client;
  std::string_view m = ctx.arg(2);
  if (arg_is(m, "on")) {
    c.reply_off = false;
    c.skip_next = false;
    ctx.reply().ok();
  } else if (arg_is(m, "off")) {
    c.reply_off = true;  // the dispatcher drops this command's reply too
  } else if (arg_is(m, "skip")) {
    if (!c.reply_off) c.skip_next = true;  // dropped: this reply (none) and the next one
  } else {
    ctx.syntax_error();
  }
}

void on_off(CommandContext& ctx, bool* flag) {
  if (arg_is(ctx.arg(2), "on"))
    *flag = true;
  else if (arg_is(ctx.arg(2), "off"))
    *flag = false;
  else
    return ctx.syntax_error();
  ctx.reply().ok();
}

void client_no_evict_cmd(CommandContext& ctx) { on_off(ctx, &ctx.client.no_evict); }
void client_no_touch_cmd(CommandContext& ctx) { on_off(ctx, &ctx.client.no_touch); }

void client_pause_cmd(CommandContext& ctx) {
  int64_t ms;
  if (!protocol::parse_int64(ctx.arg(2), &ms)) return ctx.error(err::kTimeoutNotInteger);
  if (ms < 0) return ctx.error(err::kTimeoutNegative);
  if (ctx.argc() == 4) {
    if (!arg_is(ctx.arg(3), "write") && !arg_is(ctx.arg(3), "all")) return ctx.syntax_error();
  } else if (ctx.argc() > 4) {
    return ctx.syntax_error();
  }
  ctx.server.pause_clients(ms, ctx.argc() != 4 || arg_is(ctx.arg(3), "all"));
  ctx.reply().ok();
}

void client_unpause_cmd(CommandContext& ctx) {
  ctx.server.unpause_clients();
  ctx.reply().ok();
}

// CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p ...] [OPTIN] [OPTOUT] [NOLOOP]
// Options are parsed first (syntax, REDIRECT target), then checked against each other and the
// client's current mode in Redis's order. RESP2 without REDIRECT is accepted, as Redis: such a
// client just gets no invalidations.
void client_tracking_cmd(CommandContext& ctx) {
  Client& c = ctx.client;
  int64_t redirect = 0;
  TrackingOptions o;
  std::vector<std::string_view> prefixes;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    std::string_view a = ctx.arg(j);
    if (arg_is(a, "redirect") && more) {
      ++j;
      if (redirect != 0) return ctx.error(err::kTrackingRedirectTwice);
      if (!ctx.int_arg(j, &redirect)) return;
      // The target must exist now (it may disconnect later: tracking-redir-broken).
      if (redirect <= 0 || !ctx.server.client_by_id(static_cast<uint64_t>(redirect)))
        return ctx.error(err::kTrackingRedirectMissing);
    } else if (arg_is(a, "bcast")) {
      o.bcast = true;
    } else if (arg_is(a, "optin")) {
      o.optin = true;
    } else if (arg_is(a, "optout")) {
      o.optout = true;
    } else if (arg_is(a, "noloop")) {
      o.noloop = true;
    } else if (arg_is(a, "prefix") && more) {
      prefixes.push_back(ctx.arg(++j));
    } else {
      return ctx.syntax_error();
    }
  }
  Tracking& t = ctx.server.tracking();
  if (arg_is(ctx.arg(2), "on")) {
    if (!o.bcast && !prefixes.empty()) return ctx.error(err::kTrackingPrefixNeedsBcast);
    if (c.tracking.on && c.tracking.bcast != o.bcast) return ctx.error(err::kTrackingSwitchBcast);
    if (o.bcast && (o.optin || o.optout)) return ctx.error(err::kTrackingOptBcast);
    if (o.optin && o.optout) return ctx.error(err::kTrackingOptinOptout);
    if ((o.optin && c.tracking.optout) || (o.optout && c.tracking.optin))
      return ctx.error(err::kTrackingSwitchOpt);
    if (o.bcast) {
      std::string collision = t.prefix_collision(c, prefixes);
      if (!collision.empty()) return ctx.error(collision);
    }
    t.enable(c, static_cast<uint64_t>(redirect), o, prefixes);
  } else if (arg_is(ctx.arg(2), "off")) {
    t.disable(c);
  } else {
    return ctx.syntax_error();
  }
  ctx.reply().ok();
}

// CLIENT CACHING YES|NO: whether the next command's keys are tracked (OPTIN / OPTOUT).
void client_caching_cmd(CommandContext& ctx) {
  ClientTracking& t = ctx.client.tracking;
  if (!t.on) return ctx.error(err::kCachingNotTracking);
  std::string_view a = ctx.arg(2);
  if (arg_is(a, "yes")) {
    if (!t.optin) return ctx.error(err::kCachingYesNeedsOptin);
  } else if (arg_is(a, "no")) {
    if (!t.optout) return ctx.error(err::kCachingNoNeedsOptout);
  } else {
    return ctx.syntax_error();
  }
  t.caching = true;  // cleared after the next command (Server::dispatch)
  ctx.reply().ok();
}

void client_getredir_cmd(CommandContext& ctx) {
  const ClientTracking& t = ctx.client.tracking;
  ctx.reply().integer(t.on ? static_cast<int64_t>(t.redirect) : -1);
}

// CLIENT TRACKINGINFO: a map (RESP2: flat array) of flags (a set), redirect, prefixes.
void client_trackinginfo_cmd(CommandContext& ctx) {
  const ClientTracking& t = ctx.client.tracking;
  auto& r = ctx.reply();
  std::vector<std::string_view> flags;
  flags.push_back(t.on ? "on" : "off");
  if (t.bcast) flags.push_back("bcast");
  if (t.optin) {
    flags.push_back("optin");
    if (t.caching) flags.push_back("caching-yes");
  }
  if (t.optout) {
    flags.push_back("optout");
    if (t.caching) flags.push_back("caching-no");
  }
  if (t.noloop) flags.push_back("noloop");
  if (t.broken_redir) flags.push_back("broken_redirect");
  r.map(3);
  r.bulk("flags");
  r.set(flags.size());
  for (auto f : flags) r.bulk(f);
  r.bulk("redirect");
  r.integer(t.on ? static_cast<int64_t>(t.redirect) : -1);
  r.bulk("prefixes");
  r.array(t.prefixes.size());
  for (const std::string& p : t.prefixes) r.bulk(p);
}

void client_unblock_cmd(CommandContext& ctx) {
  int64_t id;
  if (!ctx.int_arg(2, &id)) return;
  bool error = false;
  if (ctx.argc() == 4) {
    if (arg_is(ctx.arg(3), "error"))
      error = true;
    else if (!arg_is(ctx.arg(3), "timeout"))
      return ctx.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  } else if (ctx.argc() > 4) {
    return ctx.syntax_error();
  }
  Client* c = id > 0 ? ctx.server.client_by_id(static_cast<uint64_t>(id)) : nullptr;
  bool done = c && ctx.server.blocking().unblock_by_request(c, error);
  ctx.reply().integer(done ? 1 : 0);
}

void client_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CACHING (YES|NO)",
      "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
      "GETREDIR",
      "    Return the client ID we are redirecting to when tracking is enabled.",
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are:",
      "    * ADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made from the specified address",
      "    * LADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made to specified local address",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Kill connections by type.",
      "    * USER <username>",
      "      Kill connections authenticated by <username>.",
      "    * SKIPME (YES|NO)",
      "      Skip killing current connection (default: yes).",
      "    * ID <client-id>",
      "      Kill connections by client id.",
      "LIST [options ...]",
      "    Return information about client connections. Options:",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Return clients of specified type.",
      "UNPAUSE",
      "    Stop the current client pause, resuming traffic.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    Unblock the specified blocked client.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Suspend all, or just write, clients for <timeout> milliseconds.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "SETINFO <option> <value>",
      "    Set client meta attr. Options are:",
      "    * LIB-NAME: the client lib name.",
      "    * LIB-VER: the client lib version.",
      "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
      "         [OPTIN] [OPTOUT] [NOLOOP]",
      "    Control server assisted client side caching.",
      "TRACKINGINFO",
      "    Report tracking status for the current connection.",
      "NO-EVICT (ON|OFF)",
      "    Protect current client connection from eviction.",
      "NO-TOUCH (ON|OFF)",
      "    Will not touch LRU/LFU stats when this mode is on.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply().array(std::size(kLines));
  for (auto l : kLines) ctx.reply().simple(l);
}

constexpr uint32_t kBase = kNoScript | kLoading | kStale;
constexpr uint32_t kAdm = kAdmin | kNoScript | kLoading | kStale;
constexpr uint32_t kAclC = kAclSlow | kAclConnection;
constexpr uint32_t kAclAdm = kAclAdmin | kAclSlow | kAclDangerous | kAclConnection;

constexpr CommandSpec kClientSubs[] = {
    {"caching",
     3,
     kBase,
     {},
     kAclC,
     "connection",
     "Instructs the server whether to track the keys in the next request.",
     "6.0.0",
     "O(1)",
     client_caching_cmd,
     {},
     "YES|NO"},
    {"getname",
     2,
     kBase,
     {},
     kAclC,
     "connection",
     "Returns the name of the connection.",
     "2.6.9",
     "O(1)",
     client_getname_cmd,
     {},
     ""},
    {"getredir",
     2,
     kBase,
     {},
     kAclC,
     "connection",
     "Returns the client ID to which the connection's tracking notifications are redirected.",
     "6.0.0",
     "O(1)",
     client_getredir_cmd,
     {},
     ""},
    {"help",
     2,
     kLoading | kStale,
     {},
     kAclC,
     "connection",
     "Returns helpful text about the different subcommands.",
     "5.0.0",
     "O(1)",
     client_help_cmd,
     {},
     ""},
    {"id",
     2,
     kBase,
     {},
     kAclC,
     "connection",
     "Returns the unique client ID of the connection.",
     "5.0.0",
     "O(1)",
     client_id_cmd,
     {},
     ""},
    {"info",
     2,
     kBase,
     {},
     kAclC,
     "connection",
     "Returns information about the connection.",
     "6.2.0",
     "O(1)",
     client_info_cmd,
     {},
     "",
     "nondeterministic_output"},
    {"kill",
     -3,
     kAdm,
     {},
     kAclAdm,
     "connection",
     "Terminates open connections.",
     "2.4.0",
     "O(N) where N is the number of client connections",
     client_kill_cmd,
     {},
     "(ip:port|[ID client-id] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] [USER username] "
     "[ADDR ip:port] [LADDR ip:port] [SKIPME YES|NO])"},
    {"list",
     -2,
     kAdm,
     {},
     kAclAdm,
     "connection",
     "Lists open connections.",
     "2.4.0",
     "O(N) where N is the number of client connections",
     client_list_cmd,
     {},
     "[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]",
     "nondeterministic_output"},
    {"no-evict",
     3,
     kAdm,
     {},
     kAclAdm,
     "connection",
     "Sets the client eviction mode of the connection.",
     "7.0.0",
     "O(1)",
     client_no_evict_cmd,
     {},
     "ON|OFF"},
    {"no-touch",
     3,
     kNoScript | kLoading | kStale,
     {},
     kAclC,
     "connection",
     "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
     "7.2.0",
     "O(1)",
     client_no_touch_cmd,
     {},
     "ON|OFF"},
    {"pause",
     -3,
     kAdm,
     {},
     kAclAdm,
     "connection",
     "Suspends commands processing.",
     "3.0.0",
     "O(1)",
     client_pause_cmd,
     {},
     "timeout [WRITE|ALL]"},
    {"reply",
     3,
     kBase,
     {},
     kAclC,
     "connection",
     "Instructs the server whether to reply to commands.",
     "3.2.0",
     "O(1)",
     client_reply_cmd,
     {},
     "ON|OFF|SKIP"},
    {"setinfo",
     4,
     kBase,
     {},
     kAclC,
     "connection",
     "Sets information specific to the client or connection.",
     "7.2.0",
     "O(1)",
     client_setinfo_cmd,
     {},
     "(LIB-NAME libname|LIB-VER libver)",
     "request_policy:all_nodes response_policy:all_succeeded"},
    {"setname",
     3,
     kBase,
     {},
     kAclC,
     "connection",
     "Sets the connection name.",
     "2.6.9",
     "O(1)",
     client_setname_cmd,
     {},
     "connection-name",
     "request_policy:all_nodes response_policy:all_succeeded"},
    {"tracking",
     -3,
     kBase,
     {},
     kAclC,
     "connection",
     "Controls server-assisted client-side caching for the connection.",
     "6.0.0",
     "O(1). Some options may introduce additional complexity.",
     client_tracking_cmd,
     {},
     "ON|OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] "
     "[NOLOOP]"},
    {"trackinginfo",
     2,
     kBase,
     {},
     kAclC,
     "connection",
     "Returns information about server-assisted client-side caching for the connection.",
     "6.2.0",
     "O(1)",
     client_trackinginfo_cmd,
     {},
     ""},
    {"unblock",
     -3,
     kAdm,
     {},
     kAclAdm,
     "connection",
     "Unblocks a client blocked by a blocking command from a different connection.",
     "5.0.0",
     "O(log N) where N is the number of client connections",
     client_unblock_cmd,
     {},
     "client-id [TIMEOUT|ERROR]"},
    {"unpause",
     2,
     kAdm,
     {},
     kAclAdm,
     "connection",
     "Resumes processing commands from paused clients.",
     "6.2.0",
     "O(N) Where N is the number of paused clients",
     client_unpause_cmd,
     {},
     ""},
};

constexpr CommandSpec kClientCommands[] = {
    {"client",
     -2,
     0,
     {},
     kAclSlow,
     "connection",
     "A container for client connection commands.",
     "2.4.0",
     "Depends on subcommand.",
     nullptr,
     kClientSubs,
     ""},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> client_commands() { return cmd::kClientCommands; }
}  // namespace dq::server
