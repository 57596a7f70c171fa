#include "server/log.h"

#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace dq::server {

namespace {
LogLevel g_level = LogLevel::Notice;
std::string g_file;
}  // namespace

void log_configure(std::string_view level, const std::string& file) {
  if (level == "debug")
    g_level = LogLevel::Debug;
  else if (level == "verbose")
    g_level = LogLevel::Verbose;
  else if (level == "notice")
    g_level = LogLevel::Notice;
  else if (level == "warning")
    g_level = LogLevel::Warning;
  else
    g_level = LogLevel::Nothing;
  g_file = file;
}

bool log_enabled(LogLevel l) { return l >= g_level && g_level != LogLevel::Nothing; }

void log_write(LogLevel l, std::string_view msg) {
  static const char kMarks[] = ".-*#";
  timeval tv;
  gettimeofday(&tv, nullptr);
  tm t;
  localtime_r(&tv.tv_sec, &t);
  char ts[64];
  size_t n = strftime(ts, sizeof(ts), "%d %b %Y %H:%M:%S", &t);
  std::snprintf(ts + n, sizeof(ts) - n, ".%03d", static_cast<int>(tv.tv_usec / 1000));
  std::string line = fmt::format("{}:M {} {} {}\n", getpid(), ts, kMarks[static_cast<int>(l)], msg);
  FILE* f = g_file.empty() ? stdout : std::fopen(g_file.c_str(), "a");
  if (!f) return;
  std::fwrite(line.data(), 1, line.size(), f);
  std::fflush(f);
  if (f != stdout) std::fclose(f);
}

}  // namespace dq::server
