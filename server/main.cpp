// main.cpp — dq-server [config-file] [--directive value ...], as redis-server.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "server/config.h"
#include "server/log.h"
#include "server/server.h"
#include "server/version.h"

namespace {

void usage() {
  std::fprintf(stderr,
               "Usage: ./dq-server [/path/to/redis.conf] [options] [-]\n"
               "       ./dq-server - (read config from stdin)\n"
               "       ./dq-server -v or --version\n"
               "       ./dq-server -h or --help\n"
               "       ./dq-server --test-config [/path/to/redis.conf] [options]\n\n"
               "Examples:\n"
               "       ./dq-server (run the server with default conf)\n"
               "       ./dq-server /etc/redis/6379.conf\n"
               "       ./dq-server --port 7777\n"
               "       ./dq-server /etc/myredis.conf --loglevel verbose -\n"
               "       ./dq-server --bind 127.0.0.1 ::1 --save \"\"\n");
}

std::string quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    if (c == '\n') {
      q += "\\n";
      continue;
    }
    q += c;
  }
  return q + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace dq::server;
  std::vector<std::string> a(argv + 1, argv + argc);
  bool test_config = false;
  if (!a.empty() && (a[0] == "-v" || a[0] == "--version")) {
    std::printf("dq-server v=%s dq_version=%s bits=64 build=libuv-%s\n", dq::kRedisVersion,
                dq::kDqVersion, uv_version_string());
    return 0;
  }
  if (!a.empty() && (a[0] == "-h" || a[0] == "--help")) {
    usage();
    return 0;
  }
  if (!a.empty() && a[0] == "--test-config") {
    test_config = true;
    a.erase(a.begin());
  }

  Config cfg;
  std::string file;
  size_t i = 0;
  if (!a.empty() && a[0].rfind("--", 0) != 0 && a[0] != "-") {
    file = a[0];
    i = 1;
  }
  // Command-line directives: "--name v1 v2 --other v" become config lines after the file.
  std::string cmdline;
  bool read_stdin = false;
  for (; i < a.size(); ++i) {
    if (a[i] == "-" ) {
      read_stdin = true;
      continue;
    }
    if (a[i].rfind("--", 0) == 0 && a[i].size() > 2) {
      if (!cmdline.empty()) cmdline += "\n";
      cmdline += a[i].substr(2);
    } else {
      if (cmdline.empty()) {
        std::fprintf(stderr, "Invalid option '%s'\n", a[i].c_str());
        usage();
        return 1;
      }
      cmdline += " " + quote(a[i]);
    }
  }
  if (!file.empty()) {
    std::ifstream f(file);
    if (!f) {
      std::fprintf(stderr, "Fatal error, can't open config file '%s': No such file or directory\n",
                   file.c_str());
      return 1;
    }
    std::stringstream ss;
    ss << f.rdbuf();
    std::string e = load_config_text(cfg, ss.str(), file);
    if (!e.empty()) {
      std::fprintf(stderr, "%s\n", e.c_str());
      return 1;
    }
    char real[4096];
    cfg.config_file = realpath(file.c_str(), real) ? real : file;
  }
  if (read_stdin) {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    std::string e = load_config_text(cfg, ss.str(), "(stdin)");
    if (!e.empty()) {
      std::fprintf(stderr, "%s\n", e.c_str());
      return 1;
    }
  }
  if (!cmdline.empty()) {
    std::string e = load_config_text(cfg, cmdline, "(command line)");
    if (!e.empty()) {
      std::fprintf(stderr, "%s\n", e.c_str());
      return 1;
    }
  }
  if (test_config) {
    std::printf("Configuration test passed.\n");
    return 0;
  }

  signal(SIGPIPE, SIG_IGN);
  log_configure(cfg.loglevel, cfg.logfile);
  log(LogLevel::Notice, "oO0OoO0OoO0Oo dq is starting oO0OoO0OoO0Oo");
  log(LogLevel::Notice, "dq version={} (redis_version={}), bits=64, pid={}, just started",
      dq::kDqVersion, dq::kRedisVersion, getpid());
  if (file.empty())
    log(LogLevel::Warning,
        "Warning: no config file specified, using the default config. In order to specify a "
        "config file use ./dq-server /path/to/redis.conf");
  Server server(cfg);
  std::string e = server.start();
  if (!e.empty()) {
    log(LogLevel::Warning, "{}", e);
    return 1;
  }
  log(LogLevel::Notice, "Running mode=standalone, port={}.", cfg.port);
  server.run();
  return 0;
}
