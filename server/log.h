// log.h — server log lines in Redis's format: "pid:M 22 Nov 2026 07:30:00.123 * message".
// Levels: debug '.', verbose '-', notice '*', warning '#'. Must not include: libuv.
#pragma once
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace dq::server {

enum class LogLevel { Debug = 0, Verbose = 1, Notice = 2, Warning = 3, Nothing = 4 };

void log_configure(std::string_view level, const std::string& file);
bool log_enabled(LogLevel l);
void log_write(LogLevel l, std::string_view msg);

template <class... A>
void log(LogLevel l, fmt::format_string<A...> f, A&&... a) {
  if (!log_enabled(l)) return;
  log_write(l, fmt::format(f, std::forward<A>(a)...));
}

}  // namespace dq::server
