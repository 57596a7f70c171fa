// persistence.cpp — SAVE, BGSAVE, save points and the startup load (see persistence.h).
#include "server/persistence.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "server/functions.h"
#include "server/log.h"
#include "server/server.h"
#include "storage/rdb_file.h"

namespace dq::server {

namespace {
constexpr int64_t kBgsaveRetryDelayMs = 5000;  // Redis's CONFIG_BGSAVE_RETRY_DELAY
}

storage::rdb::ValueLimits value_limits(const Config& c) {
  auto clamp = [](int v) { return static_cast<size_t>(std::max(v, 0)); };
  storage::rdb::ValueLimits l;
  l.list.max_listpack_size = c.list_max_listpack_size;
  l.hash = {clamp(c.hash_max_listpack_entries), clamp(c.hash_max_listpack_value)};
  l.set = {clamp(c.set_max_intset_entries), clamp(c.set_max_listpack_entries),
           clamp(c.set_max_listpack_value)};
  l.zset = {clamp(c.zset_max_listpack_entries), clamp(c.zset_max_listpack_value)};
  l.stream = {c.stream_node_max_bytes, c.stream_node_max_entries};
  return l;
}

std::string Persistence::path() const {
  const Config& c = s_.config();
  if (!c.dbfilename.empty() && c.dbfilename[0] == '/') return c.dbfilename;
  return c.dir + "/" + c.dbfilename;
}

std::string Persistence::temp_path(pid_t pid) const {
  return s_.config().dir + "/temp-" + std::to_string(pid) + ".rdb";
}

bool Persistence::has_save_points() const {
  const std::string& s = s_.config().save;
  return s.find_first_not_of(' ') != std::string::npos;
}

bool Persistence::writes_denied() const {
  return !last_bgsave_ok_ && s_.config().stop_writes_on_bgsave_error && has_save_points();
}

std::string Persistence::write_snapshot(pid_t pid) {
  const Config& c = s_.config();
  storage::rdb::FileSaveOptions opt;
  opt.checksum = c.rdbchecksum;
  opt.compress = c.rdbcompression;
  opt.save_idle = c.maxmemory_policy.find("lru") != std::string::npos;
  opt.save_freq = c.maxmemory_policy.find("lfu") != std::string::npos;
  opt.now_ms = Server::now_ms();
  opt.used_mem = s_.used_memory();
  for (const auto& [name, lib] : s_.functions().libraries()) opt.libs.push_back(lib->code);
  std::string tmp = temp_path(pid);
  std::string err = storage::rdb::write_file(s_.keyspace(), opt, tmp);
  if (!err.empty()) {
    log(LogLevel::Warning,
        "Failed opening the temp RDB file {} (in server root dir {}) for saving: {}", tmp, c.dir,
        err);
    unlink(tmp.c_str());
    return err;
  }
  if (rename(tmp.c_str(), path().c_str()) != 0) {
    err = std::strerror(errno);
    log(LogLevel::Warning,
        "Error moving temp DB file {} on the final destination {} (in server root dir {}): {}", tmp,
        c.dbfilename, c.dir, err);
    unlink(tmp.c_str());
    return err;
  }
  return "";
}

bool Persistence::save() {
  ++saves_;
  // A failed SAVE leaves rdb_last_bgsave_status as it was (Redis 7).
  if (!write_snapshot(getpid()).empty()) return false;
  log(LogLevel::Notice, "DB saved on disk");
  s_.stats().dirty = 0;
  last_save_unix_ = Server::now_ms() / 1000;
  last_bgsave_ok_ = true;
  return true;
}

bool Persistence::bgsave() {
  int64_t now = Server::now_ms();
  last_bgsave_try_ms_ = now;
  dirty_at_fork_ = s_.stats().dirty;
  pid_t pid = fork();
  if (pid == 0) {
    // The child: the snapshot is this process's memory as it was at the fork.
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    bool ok = write_snapshot(getpid()).empty();
    if (ok) log(LogLevel::Notice, "DB saved on disk");
    _exit(ok ? 0 : 1);
  }
  if (pid < 0) {
    last_bgsave_ok_ = false;
    log(LogLevel::Warning, "Can't save in background: fork: {}", std::strerror(errno));
    return false;
  }
  ++saves_;
  child_pid_ = pid;
  child_start_ms_ = now;
  scheduled_ = false;
  log(LogLevel::Notice, "Background saving started by pid {}", pid);
  return true;
}

void Persistence::kill_child() {
  if (child_pid_ <= 0) return;
  log(LogLevel::Notice, "Killing running BGSAVE child: {}", child_pid_);
  kill(child_pid_, SIGUSR1);
  int status;
  waitpid(child_pid_, &status, 0);
  unlink(temp_path(child_pid_).c_str());
  child_pid_ = -1;
}

bool Persistence::prepare_for_shutdown(bool save_first, bool force) {
  kill_child();
  if (!save_first) return true;
  log(LogLevel::Notice, "Saving the final RDB snapshot before exiting.");
  if (save()) return true;
  if (!force) {
    log(LogLevel::Warning, "Error trying to save the DB, can't exit.");
    return false;
  }
  log(LogLevel::Warning, "Error trying to save the DB. Exit anyway.");
  return true;
}

void Persistence::child_done(bool ok, int64_t now_ms) {
  last_bgsave_time_sec_ = (now_ms - child_start_ms_) / 1000;
  child_pid_ = -1;
  if (ok) {
    log(LogLevel::Notice, "Background saving terminated with success");
    uint64_t& dirty = s_.stats().dirty;
    dirty = dirty > dirty_at_fork_ ? dirty - dirty_at_fork_ : 0;
    last_save_unix_ = now_ms / 1000;
    last_bgsave_ok_ = true;
  } else {
    log(LogLevel::Warning, "Background saving error");
    last_bgsave_ok_ = false;
  }
}

int64_t Persistence::current_bgsave_time_sec(int64_t now_ms) const {
  return child_pid_ > 0 ? (now_ms - child_start_ms_) / 1000 : -1;
}

void Persistence::cron(int64_t now_ms) {
  if (child_pid_ > 0) {
    int status;
    pid_t r = waitpid(child_pid_, &status, WNOHANG);
    if (r == child_pid_) {
      bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
      if (!ok) unlink(temp_path(child_pid_).c_str());
      child_done(ok, now_ms);
    } else if (r < 0 && errno == ECHILD) {
      child_done(false, now_ms);
    }
    return;
  }
  if (scheduled_) {
    bgsave();
    return;
  }
  std::istringstream is(s_.config().save);
  int64_t seconds, changes;
  uint64_t dirty = s_.stats().dirty;
  while (is >> seconds >> changes) {
    if (dirty >= static_cast<uint64_t>(changes) && now_ms / 1000 - last_save_unix_ > seconds &&
        (last_bgsave_ok_ || now_ms - last_bgsave_try_ms_ > kBgsaveRetryDelayMs)) {
      log(LogLevel::Notice, "{} changes in {} seconds. Saving...", changes, seconds);
      bgsave();
      return;
    }
  }
}

std::string Persistence::load() {
  std::string p = path();
  std::ifstream f(p, std::ios::binary);
  if (!f) {
    if (errno == ENOENT) return "";
    return std::string("Can't open ") + p + ": " + std::strerror(errno);
  }
  std::stringstream ss;
  ss << f.rdbuf();
  std::string image = ss.str();
  int64_t t0 = Server::now_ms();
  storage::rdb::FileLoadResult res;
  // Loaded keys are not "new" keyspace events (Redis's dbAddRDBLoad notifies nothing).
  uint32_t& events = s_.config().notify_keyspace_events;
  uint32_t saved_events = events;
  events = 0;
  std::string err = storage::rdb::load_image(image, s_.keyspace(), value_limits(s_.config()), t0,
                                             s_.lru_clock(), &res);
  events = saved_events;
  if (!err.empty()) return err;
  for (const std::string& code : res.libs) {
    std::string e;
    if (s_.functions().load(code, false, &e).empty()) return "Failed loading library: " + e;
  }
  keys_loaded_ = res.keys_loaded;
  keys_expired_ = res.keys_expired;
  log(LogLevel::Notice, "Done loading RDB, keys loaded: {}, keys expired: {}.", res.keys_loaded,
      res.keys_expired);
  log(LogLevel::Notice, "DB loaded from disk: {:.3f} seconds", (Server::now_ms() - t0) / 1000.0);
  return "";
}

}  // namespace dq::server
