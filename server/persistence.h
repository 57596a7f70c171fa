// persistence.h — RDB persistence for the server: SAVE (synchronous), BGSAVE (a fork()ed
// child writes the snapshot of the fork's moment), save points run from the cron, the load at
// startup, and the figures INFO persistence and LASTSAVE print.
//
// Owns: the background child (at most one), the save history (last save time and status,
// dirty counter at the fork) and the BGSAVE SCHEDULE flag. Must not include: libuv (the
// server drives it from its cron and its shutdown path).
//
// Invariants:
// - At most one child exists; the parent never blocks on it: cron() reaps it with
//   waitpid(WNOHANG), then records success (dirty minus the changes already in the snapshot,
//   last save time) or failure (status "err", the temp file removed).
// - A file is always written to dir/temp-<pid>.rdb, fsync'ed, then renamed over
//   dir/dbfilename: a crash mid-save never leaves a half-written dump under the real name.
// - Save points ("save" directive: seconds changes ...) start a BGSAVE when dirty >= changes
//   and the last successful save is older than seconds; after a failed BGSAVE, retries wait
//   5 seconds (Redis's CONFIG_BGSAVE_RETRY_DELAY).
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>

#include "server/config.h"
#include "storage/rdb_value.h"

namespace dq::server {

class Server;

// The compact-encoding thresholds of the current config, for storage::rdb::read_object.
storage::rdb::ValueLimits value_limits(const Config& c);

class Persistence {
 public:
  explicit Persistence(Server& s) : s_(s) {}

  // The RDB file's path: dir/dbfilename.
  std::string path() const;
  bool has_save_points() const;
  // stop-writes-on-bgsave-error: the last background save failed and save points are set
  // (Redis's writeCommandsDeniedByDiskError for RDB): writes and PING answer MISCONF.
  bool writes_denied() const;

  // SAVE: writes the file now. Returns false (and logs) on failure.
  bool save();
  // BGSAVE: forks a child that writes the file. False if fork failed.
  bool bgsave();
  bool child_running() const { return child_pid_ > 0; }
  // Kills a running child (FLUSHALL, shutdown) and removes its temp file.
  void kill_child();
  // Redis's prepareForShutdown (SHUTDOWN, SIGTERM): kills a running child and, with save_first,
  // writes the file first. False (logged) when that save failed and not `force`: the server
  // keeps running.
  bool prepare_for_shutdown(bool save_first, bool force);
  // Reaps a finished child, runs a scheduled BGSAVE or a due save point.
  void cron(int64_t now_ms);
  void schedule_bgsave() { scheduled_ = true; }

  // Loads dir/dbfilename into the (empty) keyspace and function engine. A missing file is
  // not an error. Returns "" or the reason the file cannot be loaded.
  std::string load();

  // INFO persistence / LASTSAVE
  int64_t last_save_unix() const { return last_save_unix_; }
  bool last_bgsave_ok() const { return last_bgsave_ok_; }
  int64_t last_bgsave_time_sec() const { return last_bgsave_time_sec_; }
  int64_t current_bgsave_time_sec(int64_t now_ms) const;
  uint64_t rdb_saves() const { return saves_; }
  uint64_t last_load_keys_loaded() const { return keys_loaded_; }
  uint64_t last_load_keys_expired() const { return keys_expired_; }
  void set_last_save_unix(int64_t t) { last_save_unix_ = t; }

 private:
  std::string temp_path(pid_t pid) const;
  // Writes the keyspace to a temp file and renames it over path(). "" or the error.
  std::string write_snapshot(pid_t pid);
  void child_done(bool ok, int64_t now_ms);

  Server& s_;
  pid_t child_pid_ = -1;
  int64_t child_start_ms_ = 0;
  uint64_t dirty_at_fork_ = 0;
  bool scheduled_ = false;
  int64_t last_save_unix_ = 0;
  int64_t last_bgsave_try_ms_ = 0;
  bool last_bgsave_ok_ = true;
  int64_t last_bgsave_time_sec_ = -1;
  uint64_t saves_ = 0;
  uint64_t keys_loaded_ = 0;
  uint64_t keys_expired_ = 0;
};

}  // namespace dq::server
