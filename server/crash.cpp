#include "server/crash.h"

#include <execinfo.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "server/log.h"

namespace dq::server {

namespace {
uint64_t g_client_id = 0;
const std::string_view* g_args = nullptr;
size_t g_argc = 0;

void write_str(const char* s) {
  ssize_t r = write(STDERR_FILENO, s, std::strlen(s));
  (void)r;
}

void report(const char* what) {
  char buf[512];
  std::snprintf(buf, sizeof(buf), "\n=== DQ BUG REPORT START ===\n%s\n", what);
  write_str(buf);
  if (g_args && g_argc) {
    std::snprintf(buf, sizeof(buf),
                  "client id=%llu, command:", static_cast<unsigned long long>(g_client_id));
    write_str(buf);
    for (size_t i = 0; i < g_argc && i < 8; ++i) {
      std::snprintf(buf, sizeof(buf), " '%.*s'",
                    static_cast<int>(std::min<size_t>(g_args[i].size(), 64)), g_args[i].data());
      write_str(buf);
    }
    write_str("\n");
    log(LogLevel::Warning, "Crashed running a command for client id={}: '{}'", g_client_id,
        g_args[0].substr(0, 64));
  } else {
    write_str("no command in progress\n");
  }
  void* frames[64];
  int n = backtrace(frames, 64);
  write_str("backtrace:\n");
  backtrace_symbols_fd(frames, n, STDERR_FILENO);
  write_str("=== DQ BUG REPORT END ===\n");
}

void on_signal(int sig) {
  char what[64];
  std::snprintf(what, sizeof(what), "dq crashed by signal %d (%s)", sig, strsignal(sig));
  report(what);
  signal(sig, SIG_DFL);
  raise(sig);
}
}  // namespace

void install_crash_handler() {
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(sig, &sa, nullptr);
  }
}

void crash_set_current(uint64_t client_id, std::span<const std::string_view> args) {
  g_client_id = client_id;
  g_args = args.data();
  g_argc = args.size();
}

void crash_clear_current() {
  g_args = nullptr;
  g_argc = 0;
}

void assert_failed(const char* cond, const char* file, int line) {
  char what[512];
  std::snprintf(what, sizeof(what), "assertion failed: %s (%s:%d)", cond, file, line);
  report(what);
  std::abort();
}

}  // namespace dq::server
