// dispatcher.cpp — the gates a command passes before its handler runs, in Redis 7's order:
// lookup (command, then subcommand) -> arity -> authentication -> maxmemory (eviction, OOM)
// -> RESP2 subscribe mode -> busy script -> pause -> MULTI queueing -> handler -> statistics
// -> MONITOR feed. Each gate answers with one error from errors.h.
#include <strings.h>
#include <time.h>

#include "protocol/errors.h"
#include "server/command_context.h"
#include "server/crash.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/scripting.h"
#include "server/server.h"

namespace dq::server {

namespace {

// "'a' 'b' " as Redis lists the first arguments of an unknown command (128 chars at most).
std::string args_preview(std::span<const std::string_view> args) {
  std::string out;
  for (size_t i = 1; i < args.size() && out.size() < 128; ++i) {
    size_t room = 128 - out.size();
    std::string_view a = args[i];
    size_t nul = a.find('\0');
    if (nul != std::string_view::npos) a = a.substr(0, nul);
    out += '\'';
    out += a.substr(0, room);
    out += "' ";
  }
  return out;
}

std::string_view clip(std::string_view s, size_t n) {
  size_t nul = s.find('\0');
  if (nul != std::string_view::npos) s = s.substr(0, nul);
  return s.substr(0, n);
}

inline int64_t realtime_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Quotes a string as Redis's sdscatrepr (MONITOR lines).
void append_repr(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char ch : s) {
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (isprint(ch))
          out += static_cast<char>(ch);
        else
          out += fmt::format("\\x{:02x}", ch);
    }
  }
  out += '"';
}

using ArgRange = std::pair<size_t, size_t>;

// The arguments Redis 7 shows as "(redacted)" for a kRedactArgs command (MONITOR, SLOWLOG), as
// [from, to): all of AUTH's; HELLO's two values after its AUTH token.
ArgRange redacted_args(std::span<const std::string_view> args) {
  if (!arg_is(args[0], "hello")) return {1, args.size()};
  for (size_t i = 1; i + 2 < args.size(); ++i)
    if (arg_is(args[i], "auth")) return {i + 1, i + 3};
  return {0, 0};
}

// Whether cmd is c's EXEC and runs a queued command with any of `flags`: the gates (OOM,
// MISCONF, CLIENT PAUSE) judge an EXEC by the commands it will run.
bool exec_runs(const Client* c, const Command* cmd, uint32_t flags) {
  if (!c->in_multi || cmd->fullname != "exec") return false;
  for (const QueuedCommand& q : c->queued)
    if (q.cmd->spec->flags & flags) return true;
  return false;
}

}  // namespace

// Answers a gate's error. Inside MULTI it also dooms the transaction (EXECABORT), as
// Redis's rejectCommand does.
void Server::reject(Client* c, Command* cmd, std::string_view msg) {
  if (cmd) ++cmd->stats.rejected;
  // A refused EXEC (wrong arity, ...) aborts the transaction, inside MULTI or not, as
  // Redis 7's execCommandAbort: "-EXECABORT Transaction discarded because of: <error>".
  if (cmd && cmd->fullname == "exec") {
    discard_transaction(c);
    unwatch_all(c);
    if (msg.starts_with("ERR ")) msg.remove_prefix(4);
    std::string abort = fmt::format("EXECABORT Transaction discarded because of: {}", msg);
    count_error(abort);
    c->reply.error(abort);
    return;
  }
  count_error(msg);
  if (c->in_multi) c->multi_error = true;
  c->reply.error(msg);
}

void Server::dispatch(Client* c, std::span<const std::string_view> args) {
  dispatch_command(c, args);
  // CLIENT CACHING YES|NO applies to the next command only (or to the next transaction):
  // Redis clears it after any command but a CLIENT subcommand (even a failed one), unless in
  // MULTI.
  if (c->tracking.caching && !c->in_multi && !c->postponed) {
    const Command* top = CommandTable::instance().find(args[0]);
    bool client_sub =
        top && top->fullname == "client" && args.size() >= 2 && top->find_sub(args[1]);
    if (!client_sub) c->tracking.caching = false;
  }
}

void Server::dispatch_command(Client* c, std::span<const std::string_view> args) {
  Command* top = CommandTable::instance().find(args[0]);
  if (!top)
    return reject(c, nullptr,
                  fmt::format(err::kFmtUnknownCommand, clip(args[0], 128), args_preview(args)));
  Command* cmd = top;
  if (top->is_container() && args.size() >= 2) {
    cmd = const_cast<Command*>(top->find_sub(args[1]));
    if (!cmd) {
      std::string upper(top->fullname);
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return reject(c, top, fmt::format(err::kFmtUnknownSubcommand, clip(args[1], 128), upper));
    }
  }
  const CommandSpec& spec = *cmd->spec;
  int argc = static_cast<int>(args.size());
  if ((spec.arity > 0 && argc != spec.arity) || argc < -spec.arity)
    return reject(c, cmd, fmt::format(err::kFmtWrongArity, cmd->fullname));
  if (!c->authenticated && !(spec.flags & kNoAuth)) return reject(c, cmd, err::kNoAuth);
  // maxmemory, as Redis's processCommand: every command first lets eviction run; if nothing
  // can be evicted, denyoom commands, an EXEC of queued denyoom commands, and anything
  // queued in MULTI (but EXEC, DISCARD, QUIT, RESET) get the OOM error. Not while a busy
  // script serves us: its memory is not ours to evict, and it keeps the OOM state it
  // started with (pre_command_oom).
  if (!scripts_->busy()) {
    pre_command_oom_ = cfg_.maxmemory > 0 && perform_evictions() == EvictResult::Fail;
    if (pre_command_oom_) {
      bool deny = (spec.flags & kDenyOom) || exec_runs(c, cmd, kDenyOom);
      if (c->in_multi && cmd->fullname != "exec" && cmd->fullname != "discard" &&
          cmd->fullname != "quit" && cmd->fullname != "reset")
        deny = true;
      if (deny) return reject(c, cmd, err::kOom);
    }
  }
  // stop-writes-on-bgsave-error: after a failed BGSAVE, writes (an EXEC of queued writes
  // too) and PING are refused, as Redis's processCommand.
  if (persistence_->writes_denied()) {
    if ((spec.flags & kWrite) || exec_runs(c, cmd, kWrite) || cmd->fullname == "ping")
      return reject(c, cmd, err::kMisconf);
  }
  if (c->reply.proto() == 2 && (c->sub_channels + c->sub_patterns + c->sub_shard) > 0 &&
      !(spec.flags & kSubscribeOk))
    return reject(c, cmd, fmt::format(err::kFmtSubscribeContext, cmd->fullname));
  // A script past busy-reply-threshold is serving us from its hook (serve_while_busy).
  if (scripts_->busy() && !(spec.flags & kAllowBusy)) return reject(c, cmd, scripts_->busy_error());

  // CLIENT PAUSE holds the command (before MULTI queueing, as Redis) until the pause ends.
  if (pause_end_ms_ != 0 && paused_for(c, cmd)) {
    c->postponed = true;
    c->last_cmd = cmd;  // CLIENT LIST shows the held command, as Redis
    c->postponed_args.assign(args.begin(), args.end());
    postponed_.push_back(c);
    return;
  }

  // tracking-table-max-keys: keep the tracking table within bounds (Redis's processCommand).
  if (tracking_.clients() > 0) tracking_.limit_table(cfg_.tracking_table_max_keys, c);

  // MULTI: everything but the transaction-control commands is queued (with owned args).
  if (c->in_multi && !(spec.flags & kTxControl)) {
    if (spec.flags & kNoMulti) {
      return reject(c, cmd, err::kFmtNotAllowedInMulti);
    }
    QueuedCommand q{cmd, {}};
    q.args.assign(args.begin(), args.end());
    c->queued.push_back(std::move(q));
    c->multi_count = c->queued.size();
    c->reply.raw("+QUEUED\r\n");
    return;
  }

  size_t mark = c->out.size();
  CurrentClient current(*this, c);
  CommandContext ctx{*this, *c, args, cmd, 0};
  run_handler(ctx);
  c->last_interaction_ms = ctx.now;

  // CLIENT REPLY OFF / SKIP: replies are dropped (CLIENT REPLY arms the flags).
  if (c->reply_off || c->skip_current) c->out.truncate_to(mark);
  current.finish();  // invalidations and messages for c caused by its command follow its reply
  c->skip_current = false;
  if (c->skip_next) {
    c->skip_current = true;
    c->skip_next = false;
  }

  monitor_command(c, cmd, args);
  // Keys this command made ready wake their blocked clients now, in blocking order.
  // (Not while a busy script is serving us: its writes wake waiters after it returns.)
  if (blocking_.has_ready() && !scripts_->running()) blocking_.serve_ready();
}

Server::CurrentClient::CurrentClient(Server& s, Client* c)
    : s_(s), c_(c), prev_(s.current_client_) {
  prev_held_.swap(s.held_pushes_);  // empty unless nested (a busy script serving c)
  prev_deferred_.swap(s.tracking_.deferred());
  s.current_client_ = c;
}

void Server::CurrentClient::finish() {
  if (done_) return;
  done_ = true;
  // As Redis 7.2's afterCommand: tracking invalidations of keys the command (its EXEC, its
  // script) changed come first (tracking_pending_keys), then other held push messages.
  if (s_.tracking_.has_deferred()) s_.tracking_.flush_deferred(c_);
  s_.tracking_.deferred().swap(prev_deferred_);
  if (!s_.held_pushes_.empty()) {
    c_->out.append(s_.held_pushes_);
    s_.held_pushes_.clear();
    s_.queue_write(c_);
  }
  s_.held_pushes_.swap(prev_held_);
  s_.current_client_ = prev_;
}

bool Server::paused_for(const Client* c, const Command* cmd) const {
  if (pause_all_) return true;
  constexpr uint32_t kReplicated = kWrite | kMayReplicate;
  return (cmd->spec->flags & kReplicated) || exec_runs(c, cmd, kReplicated);
}

void Server::run_handler(CommandContext& ctx) {
  Command* cmd = const_cast<Command*>(ctx.cmd);
  uint64_t errors_before = stats_.total_error_replies;
  // One clock read gives both the command's time snapshot and the start of its duration.
  int64_t t0 = realtime_ns();
  ctx.now = frozen_now_ms_ >= 0 ? frozen_now_ms_ : t0 / 1000000;
  crash_set_current(ctx.client.id, ctx.args);
  Client* prev_executing = executing_client_;
  executing_client_ = &ctx.client;
  cmd->spec->handler(ctx);
  executing_client_ = prev_executing;
  crash_clear_current();
  // CLIENT TRACKING: keys read by a read-only command are remembered for the client whose
  // command runs (a script's or EXEC's commands count; EVAL_RO & co. themselves do not).
  if (tracking_.enabled() && (cmd->spec->flags & kReadOnly) && current_client_ &&
      current_client_->tracking.on && !current_client_->tracking.bcast &&
      cmd->fullname != "eval_ro" && cmd->fullname != "evalsha_ro" && cmd->fullname != "fcall_ro")
    tracking_.remember_keys(*current_client_, *cmd, ctx.args);
  int64_t dt = realtime_ns() - t0;
  if (dt < 0) dt = 0;
  cached_now_ms_ = ctx.now;
  ++cmd->stats.calls;
  cmd->stats.usec += static_cast<uint64_t>(dt / 1000);
  if (stats_.total_error_replies != errors_before) ++cmd->stats.failed;
  ++stats_.total_commands;
  ++ctx.client.commands_processed;
  ctx.client.last_cmd = cmd;
  // SLOWLOG: every command that ran, also those EXEC runs and a script calls (as Redis 7).
  int64_t us = dt / 1000;
  if (cfg_.slowlog_log_slower_than >= 0 && us >= cfg_.slowlog_log_slower_than &&
      cfg_.slowlog_max_len > 0 && !(cmd->spec->flags & kSkipSlowlog)) {
    auto [redact_from, redact_to] =
        cmd->spec->flags & kRedactArgs ? redacted_args(ctx.args) : ArgRange{0, 0};
    slowlog_.add(ctx.args, redact_from, redact_to, t0 / 1000000000, us, ctx.client.addr,
                 ctx.client.name, static_cast<size_t>(cfg_.slowlog_max_len));
  }
}

void Server::monitor_command(Client* c, const Command* cmd, std::span<const std::string_view> args,
                             std::string_view origin) {
  if (monitors_.empty()) return;
  uint32_t flags = cmd->spec->flags;
  if (!(flags & (kSkipMonitor | kAdmin))) feed_monitors(c, args, flags & kRedactArgs, origin);
}

void Server::feed_monitors(Client* c, std::span<const std::string_view> args, bool redact,
                           std::string_view origin) {
  if (monitors_.empty()) return;
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  std::string line = fmt::format("+{}.{:06} [{} {}]", ts.tv_sec, ts.tv_nsec / 1000, c->db_index,
                                 !origin.empty()               ? std::string(origin)
                                 : c->kind == ClientKind::Unix ? "unix:" + cfg_.unixsocket
                                                               : c->addr);
  auto [hide_from, hide_to] = redact ? redacted_args(args) : ArgRange{0, 0};
  for (size_t i = 0; i < args.size(); ++i) {
    line += ' ';
    bool hide = i >= hide_from && i < hide_to;
    append_repr(line, hide ? std::string_view("(redacted)") : args[i]);
  }
  line += "\r\n";
  for (Client* m : monitors_) {
    if (m == c || m->closing) continue;
    m->out.append(line);
    queue_write(m);
  }
}

}  // namespace dq::server
