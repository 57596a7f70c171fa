#include "server/command_context.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

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
  if (static_cast<size_t>(end - buf) != s.size() || (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || v == 0)) || std::isnan(v)) {
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

storage::Entry* CommandContext::find_read(std::string_view key) {
  storage::Entry* e = client.no_touch ? db().find(key, now)
                                      : db().find_touch(key, now, server.lru_clock());
  if (e)
    ++server.stats().keyspace_hits;
  else
    ++server.stats().keyspace_misses;
  return e;
}

}  // namespace dq::server
