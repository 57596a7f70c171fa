#include "server/command_context.h"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <string>

#include "protocol/resp_parser.h"

namespace dq::server {

bool CommandContext::int_arg(size_t i, int64_t* out) {
  if (!protocol::parse_int64(args[i], out)) {
    error(err::kNotInteger);
    return false;
  }
  return true;
}

bool CommandContext::double_arg(size_t i, double* out, std::string_view err_msg) {
  std::string_view s = args[i];
  char buf[128];
  if (s.empty() || s.size() >= sizeof(buf) || std::isspace(static_cast<unsigned char>(s[0]))) {
    error(err_msg);
    return false;
  }
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  char* end;
  errno = 0;
  double v = std::strtod(buf, &end);
  if (static_cast<size_t>(end - buf) != s.size() ||
      (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0)) || std::isnan(v)) {
    error(err_msg);
    return false;
  }
  *out = v;
  return true;
}

bool CommandContext::long_double_arg(size_t i, long double* out) {
  if (!storage::string_to_long_double(args[i], out)) {
    error(err::kNotFloat);
    return false;
  }
  return true;
}

bool CommandContext::cursor_arg(size_t i, uint64_t* out) {
  std::string buf(args[i]);  // NUL-terminated; an embedded NUL ends the number, as in Redis
  errno = 0;
  char* end;
  unsigned long long v = std::strtoull(buf.c_str(), &end, 10);
  if ((!buf.empty() && std::isspace(static_cast<unsigned char>(buf[0]))) || *end != '\0' ||
      errno == ERANGE) {
    error(err::kCursorInvalid);
    return false;
  }
  *out = v;
  return true;
}

bool CommandContext::scan_options(size_t from, ScanOptions* o, bool allow_type) {
  for (size_t i = from; i < argc(); ++i) {
    bool has_value = i + 1 < argc();
    std::string_view a = args[i];
    if (arg_is(a, "count") && has_value) {
      if (!int_arg(++i, &o->count)) return false;
      if (o->count < 1) {
        syntax_error();
        return false;
      }
    } else if (arg_is(a, "match") && has_value) {
      o->pattern = args[++i];
      o->use_pattern = o->pattern != "*";
    } else if (allow_type && arg_is(a, "type") && has_value) {
      o->type = args[++i];
      o->use_type = true;
    } else {
      syntax_error();
      return false;
    }
  }
  return true;
}

bool CommandContext::timeout_arg(size_t i, int64_t* deadline_ms) {
  long double t;
  if (!storage::string_to_long_double(args[i], &t)) {
    error(err::kTimeoutNotFloat);
    return false;
  }
  t *= 1000.0L;
  // Redis 7.0 casts the milliseconds to long long; a value past its range (1e17, inf) comes
  // out as LLONG_MIN, so Redis answers "timeout is negative" for it.
  if (t >= static_cast<long double>(INT64_MAX)) {
    error(err::kTimeoutNegative);
    return false;
  }
  // ceil: a small positive timeout never becomes 0 (which would mean forever).
  return deadline_from_ms(static_cast<int64_t>(std::ceil(t)), deadline_ms);
}

bool CommandContext::deadline_from_ms(int64_t ms, int64_t* deadline_ms) {
  if (ms < 0) {
    error(err::kTimeoutNegative);
    return false;
  }
  if (ms > 0) {
    if (ms > INT64_MAX - now) {
      error("ERR timeout is out of range");
      return false;
    }
    ms += now;
  }
  *deadline_ms = ms;
  return true;
}

bool CommandContext::timeout_ms_arg(size_t i, int64_t* deadline_ms) {
  int64_t ms;
  if (!protocol::parse_int64(args[i], &ms)) {
    error(err::kTimeoutNotInteger);
    return false;
  }
  return deadline_from_ms(ms, deadline_ms);
}

void CommandContext::block(std::span<const std::string_view> keys, int64_t deadline_ms,
                           storage::Type type, TimeoutReply on_timeout,
                           std::span<const std::string_view> rerun_args, bool unblock_on_nokey) {
  if (retry) {
    still_blocked = true;
    return;
  }
  if (in_exec) {
    if (on_timeout == TimeoutReply::NullBulk)
      reply().null();
    else
      reply().null_array();
    return;
  }
  server.blocking().block(&client, cmd, rerun_args.empty() ? args : rerun_args, keys, deadline_ms,
                          type, on_timeout, unblock_on_nokey);
}

storage::Entry* CommandContext::find_read(std::string_view key) {
  storage::Entry* e =
      client.no_touch ? db().find(key, now) : db().find_touch(key, now, server.lru_clock());
  if (e) {
    ++server.stats().keyspace_hits;
  } else {
    ++server.stats().keyspace_misses;
    notify(notify::kKeyMiss, "keymiss", key);
  }
  return e;
}

}  // namespace dq::server
