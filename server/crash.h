// crash.h — crashes are never silent.
//
// DQ_ASSERT(cond) aborts with the failed condition; a fatal signal (SIGSEGV, SIGBUS, SIGFPE,
// SIGILL, SIGABRT) prints a bug report to the log and stderr naming the command being run and
// its client id, plus a backtrace, then re-raises the signal so the exit status tells too.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

namespace dq::server {

void install_crash_handler();
// The command in progress (set by the dispatcher around each handler; cheap: two stores).
void crash_set_current(uint64_t client_id, std::span<const std::string_view> args);
void crash_clear_current();
[[noreturn]] void assert_failed(const char* cond, const char* file, int line);

}  // namespace dq::server

#define DQ_ASSERT(cond) ((cond) ? (void)0 : ::dq::server::assert_failed(#cond, __FILE__, __LINE__))
