// dispatcher.cpp — the gates a command passes before its handler runs, in Redis 7's order:
// lookup (command, then subcommand) -> arity -> authentication -> RESP2 subscribe mode ->
// handler -> statistics -> MONITOR feed. Each gate answers with one error from errors.h.
#include <time.h>

#include "protocol/errors.h"
#include "server/command_context.h"
#include "server/log.h"
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
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      default:
        if (isprint(ch))
          out += static_cast<char>(ch);
        else
          out += fmt::format("\\x{:02x}", ch);
    }
  }
  out += '"';
}

}  // namespace

void Server::dispatch(Client* c, std::span<const std::string_view> args) {
  protocol::ReplyWriter& reply = c->reply;
  Command* top = CommandTable::instance().find(args[0]);
  if (!top) {
    std::string msg = fmt::format(err::kFmtUnknownCommand, clip(args[0], 128), args_preview(args));
    count_error(msg);
    reply.error(msg);
    return;
  }
  Command* cmd = top;
  if (top->is_container() && args.size() >= 2) {
    cmd = const_cast<Command*>(top->find_sub(args[1]));
    if (!cmd) {
      std::string upper(top->fullname);
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      std::string msg = fmt::format(err::kFmtUnknownSubcommand, clip(args[1], 128), upper);
      count_error(msg);
      ++top->stats.rejected;
      reply.error(msg);
      return;
    }
  }
  const CommandSpec& spec = *cmd->spec;
  int argc = static_cast<int>(args.size());
  if ((spec.arity > 0 && argc != spec.arity) || argc < -spec.arity) {
    std::string msg = fmt::format(err::kFmtWrongArity, cmd->fullname);
    count_error(msg);
    ++cmd->stats.rejected;
    reply.error(msg);
    return;
  }
  if (!c->authenticated && !(spec.flags & kNoAuth)) {
    count_error(err::kNoAuth);
    ++cmd->stats.rejected;
    reply.error(err::kNoAuth);
    return;
  }
  if (c->reply.proto() == 2 && (c->sub_channels + c->sub_patterns + c->sub_shard) > 0 &&
      !(spec.flags & kSubscribeOk)) {
    std::string msg = fmt::format(err::kFmtSubscribeContext, cmd->fullname);
    count_error(msg);
    ++cmd->stats.rejected;
    reply.error(msg);
    return;
  }

  size_t mark = c->out.size();
  uint64_t errors_before = stats_.total_error_replies;
  // One clock read gives both the command's time snapshot and the start of its duration.
  int64_t t0 = realtime_ns();
  CommandContext ctx{*this, *c, args, cmd, t0 / 1000000};
  spec.handler(ctx);
  int64_t dt = realtime_ns() - t0;
  if (dt < 0) dt = 0;
  cached_now_ms_ = ctx.now;
  c->last_interaction_ms = ctx.now;

  ++cmd->stats.calls;
  cmd->stats.usec += static_cast<uint64_t>(dt / 1000);
  if (stats_.total_error_replies != errors_before) ++cmd->stats.failed;
  ++stats_.total_commands;
  ++c->commands_processed;
  c->last_cmd = cmd;

  // CLIENT REPLY OFF / SKIP: replies are dropped (CLIENT REPLY arms the flags).
  if (c->reply_off || c->skip_current) c->out.truncate_to(mark);
  c->skip_current = false;
  if (c->skip_next) {
    c->skip_current = true;
    c->skip_next = false;
  }

  if (!monitors_.empty() && !(spec.flags & (kSkipMonitor | kAdmin))) feed_monitors(c, args);
}

void Server::feed_monitors(Client* c, std::span<const std::string_view> args) {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  std::string line = fmt::format("+{}.{:06} [{} {}]", ts.tv_sec, ts.tv_nsec / 1000, c->db_index,
                                 c->kind == ClientKind::Unix ? "unix:" + cfg_.unixsocket : c->addr);
  for (std::string_view a : args) {
    line += ' ';
    append_repr(line, a);
  }
  line += "\r\n";
  for (Client* m : monitors_) {
    if (m == c || m->closing) continue;
    m->out.append(line);
    queue_write(m);
  }
}

}  // namespace dq::server
