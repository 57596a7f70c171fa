// server.h — the one place that knows libuv, the protocol layer and the storage layer.
//
// Owns: the event loop (listeners, cron timer at `hz`, before-sleep flush, signals), the
// client registry, the keyspace, statistics, and the storage observer that turns key
// changes into WATCH invalidation, wake-ups and CLIENT TRACKING invalidations (tracking.h).
//
// One request, socket to reply (see STYLE.md): libuv reads into the client's query buffer;
// the parser yields commands as views into it; dispatch() runs the gates then the handler,
// which appends its reply to the client's output buffer; the client is queued for writing;
// before the loop sleeps every queued client is written with uv_try_write, and what the
// kernel does not take goes out with one uv_write in flight per client.
#pragma once
#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/blocking.h"
#include "server/command_table.h"
#include "server/config.h"
#include "server/connection.h"
#include "server/idle_spin.h"
#include "server/notify.h"
#include "server/pubsub_hub.h"
#include "server/slowlog.h"
#include "server/tracking.h"
#include "storage/evict.h"
#include "storage/keyspace.h"

namespace dq::server {

struct CommandContext;
class ScriptEngine;
class FunctionEngine;
class Persistence;

struct Stats {
  uint64_t total_connections = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_commands = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;
  uint64_t expired_keys = 0;
  uint64_t evicted_keys = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t client_qbuf_limit_disconnections = 0;
  uint64_t client_obuf_limit_disconnections = 0;
  uint64_t dirty = 0;                           // changes since the last save
  std::map<std::string, uint64_t> error_codes;  // errorstats
  // instantaneous ops/sec sampling
  uint64_t last_sample_ms = 0, last_sample_cmds = 0;
  double ops_per_sec = 0;
};

class Server : public storage::KeyspaceObserver {
 public:
  explicit Server(Config cfg);
  ~Server() override;

  // Binds listeners; returns an error message or "".
  std::string start();
  // Runs the loop until shutdown.
  int run();
  // Requests shutdown (from SIGTERM or SHUTDOWN).
  void shutdown(bool from_signal);

  Config& config() { return cfg_; }
  storage::Keyspace& keyspace() { return *keyspace_; }
  uv_loop_t* loop() { return loop_; }
  Stats& stats() { return stats_; }
  const std::map<uint64_t, Client*>& clients() const { return clients_; }
  Client* client_by_id(uint64_t id) const;
  int64_t start_time_ms() const { return start_ms_; }
  uint32_t lru_clock() const { return lru_clock_; }
  const std::string& run_id() const { return run_id_; }
  std::vector<Client*>& monitors() { return monitors_; }
  int64_t last_save_unix() const;
  Persistence& persistence() { return *persistence_; }
  // DEBUG SET-ACTIVE-EXPIRE: the cron's active expiry cycle runs only while enabled.
  void set_active_expire(bool on) { active_expire_enabled_ = on; }
  bool active_expire_enabled() const { return active_expire_enabled_; }

  // Current unix time in milliseconds (one snapshot per command: see CommandContext).
  static int64_t now_ms();
  static int64_t monotonic_ns();

  // Called from a script's hook once it runs past busy-reply-threshold: accepts new
  // connections and reads and answers every client but the script's caller (libuv's loop
  // cannot be re-entered, so this polls the sockets itself). Commands other than the
  // allow-busy ones (SCRIPT KILL, SHUTDOWN NOSAVE, ...) get the BUSY error.
  void serve_while_busy(Client* caller);
  // Runs one parsed command for a client (gates, handler, wake-ups).
  void dispatch(Client* c, std::span<const std::string_view> args);
  // Runs a handler and counts it in the command's statistics (dispatch, EXEC, wake-ups).
  void run_handler(CommandContext& ctx);
  // CLIENT PAUSE / UNPAUSE. While paused, a client's command that the pause covers (every
  // command with ALL; with WRITE, writes, may-replicate commands and an EXEC that queued
  // any) is held, with the client's later input, until the pause ends; then they run in
  // the order they arrived. A new pause only extends the end time or widens WRITE to ALL.
  void pause_clients(int64_t timeout_ms, bool all);
  void unpause_clients();
  size_t postponed_count() const { return postponed_.size(); }
  Slowlog& slowlog() { return slowlog_; }
  // Redis 7.2 freezes the clock for a whole transaction or script: every command EXEC runs or
  // a script calls sees the EXEC's / EVAL's time (a key does not expire midway, PTTL counts
  // from that time, XADD * reuses its millisecond). While frozen, run_handler gives each
  // command that time (a nested script or EXEC starts at the frozen time, so it keeps it);
  // now_ms -1 restores real time for the scope (clients a busy script serves).
  class TimeFreeze {
   public:
    TimeFreeze(Server& s, int64_t now_ms) : s_(s), prev_(s.frozen_now_ms_) {
      s.frozen_now_ms_ = now_ms;
    }
    ~TimeFreeze() { s_.frozen_now_ms_ = prev_; }
    TimeFreeze(const TimeFreeze&) = delete;
    TimeFreeze& operator=(const TimeFreeze&) = delete;

   private:
    Server& s_;
    int64_t prev_;
  };
  // MONITOR: shows a command that ran (unless flagged skip_monitor or admin), as Redis's
  // call() does: top-level commands, each command EXEC runs, each command a script calls
  // (origin "lua"). `origin` empty = the client's address.
  void monitor_command(Client* c, const Command* cmd, std::span<const std::string_view> args,
                       std::string_view origin = {});
  // MONITOR: shows args unconditionally (EVAL and EVALSHA show themselves before their
  // script's commands, though flagged skip_monitor).
  void feed_monitors(Client* c, std::span<const std::string_view> args, bool redact,
                     std::string_view origin = {});
  // The client whose command is running (a top-level command, the wake-up re-run of a
  // blocked one). As Redis 7.2 (pending_push_messages), pub/sub messages for it — keyspace
  // notifications of its own writes, a PUBLISH to a channel it listens to — are held until
  // the command has replied, so a push never lands inside its reply (EXEC's array, MGET's).
  // RAII: finish() (or the destructor) appends the held messages and restores the previous
  // current client (a busy script serves other clients from inside a command).
  class CurrentClient {
   public:
    CurrentClient(Server& s, Client* c);
    ~CurrentClient() { finish(); }
    void finish();
    CurrentClient(const CurrentClient&) = delete;
    CurrentClient& operator=(const CurrentClient&) = delete;

   private:
    Server& s_;
    Client* c_;
    Client* prev_;
    std::string prev_held_;
    std::vector<std::optional<std::string>> prev_deferred_;  // Tracking::deferred()
    bool done_ = false;
  };
  // Messages held for current_client() (PubSubHub appends here).
  std::string& held_pushes() { return held_pushes_; }
  BlockingManager& blocking() { return blocking_; }
  PubSubHub& pubsub() { return pubsub_; }
  Tracking& tracking() { return tracking_; }
  // The client whose top-level command is running (Redis's current_client: a script's or
  // EXEC's commands run on its behalf), or null between commands and in the cron.
  Client* current_client() const { return current_client_; }
  // FLUSHDB / FLUSHALL: tracking clients get a null invalidation (once per command).
  void keys_flushed() {
    if (tracking_.enabled()) tracking_.invalidate_all(current_client_);
  }
  ScriptEngine& scripts() { return *scripts_; }
  FunctionEngine& functions() { return *functions_; }

  // WATCH: (db, key) -> clients watching it; a change dirties them (EXEC fails).
  void watch_key(Client* c, int db, std::string_view key);
  void unwatch_all(Client* c);
  // A whole database changed at once (FLUSHDB/FLUSHALL: call before clearing; SWAPDB: after
  // swapping, with the other database as `also`). Dirties WATCHers of keys present in db
  // (or in also), as Redis's touchAllWatchedKeysInDb, and re-checks clients blocked on db.
  // Costs O(watched keys + blocked keys), not O(keys).
  void database_changed(int db, const storage::Db* also = nullptr);
  // Leaves MULTI state (EXEC, DISCARD, RESET, disconnect).
  void discard_transaction(Client* c);
  // Queues a client for the before-sleep flush.
  void queue_write(Client* c);
  // Writes an error reply and closes the client after it is flushed.
  void close_client_after_reply(Client* c);
  // Closes a client now (pending output is dropped).
  void close_client(Client* c);
  // Counts an error reply in INFO errorstats.
  void count_error(std::string_view msg);
  // Applies runtime-changeable config side effects (CONFIG SET).
  void config_changed(std::string_view name);
  // Called after each command with the database changes it made.
  void add_dirty(uint64_t n) { stats_.dirty += n; }
  // Bytes allocated by the server (storage/memory.h's counter: O(1)).
  size_t used_memory() const;
  size_t rss_memory() const;

  // maxmemory (server/evict.cpp). perform_evictions() evicts keys as maxmemory-policy says
  // until used memory is under maxmemory: Ok (under the limit), Running (cut short by its
  // time limit; continues from a timer), Fail (nothing can be evicted: OOM).
  enum class EvictResult { Ok, Running, Fail };
  EvictResult perform_evictions();
  // Whether the running top-level command found the server out of memory (scripts refuse
  // their first write then, as Redis's pre_command_oom_state).
  bool pre_command_oom() const { return pre_command_oom_; }
  // Applies maxmemory-policy / lfu-* to storage's access clock (LRU or LFU counting).
  void apply_access_policy();

  // storage::KeyspaceObserver
  void key_modified(int db, std::string_view key) override;
  void key_expired(int db, std::string_view key) override;
  void key_created(int db, std::string_view key) override { notify(notify::kNew, "new", key, db); }

  // Keyspace notifications (notify.h): publishes `event` for key in db when its class is
  // enabled by notify-keyspace-events. Off, this is one test of the flags word.
  void notify(uint32_t type, std::string_view event, std::string_view key, int db) {
    if (cfg_.notify_keyspace_events & type) [[unlikely]]
      publish_keyspace_event(event, key, db);
  }
  bool notify_enabled() const { return cfg_.notify_keyspace_events != 0; }
  void key_evicted(int db, std::string_view key) override;

 private:
  friend struct ServerCallbacks;
  // A Client whose libuv handle is initialized (nullptr if libuv refuses).
  Client* new_client(ClientKind kind);
  void on_connection(uv_stream_t* listener, ClientKind kind);
  // A connection accepted outside libuv (while a script is busy): wraps the socket.
  void adopt_connection(int fd, ClientKind kind);
  // Everything after the accept: limits, protected mode, registration, reading.
  void register_client(Client* c, ClientKind kind);
  void on_read(Client* c, ssize_t nread);
  void process_input(Client* c);
  void flush(Client* c);
  void flush_pending(Client* except);
  void before_sleep();
  void update_spin();
  void cron();
  void publish_keyspace_event(std::string_view event, std::string_view key, int db);
  std::string notify_channel_;  // reused buffer for keyspace notification channel names
  void active_expire(int64_t budget_us);
  void check_output_limits(Client* c);
  void start_eviction_timer();
  void reject(Client* c, Command* cmd, std::string_view msg);
  void dispatch_command(Client* c, std::span<const std::string_view> args);
  void free_client(Client* c);

  Config cfg_;
  uv_loop_t* loop_;
  std::vector<uv_tcp_t*> tcp_listeners_;
  uv_pipe_t* unix_listener_ = nullptr;
  uv_timer_t cron_timer_;
  uv_prepare_t before_sleep_;
  Slowlog slowlog_;
  Client* current_client_ = nullptr;  // CurrentClient
  std::string held_pushes_;
  int64_t frozen_now_ms_ = -1;  // TimeFreeze: the time of the running EXEC or script
  int64_t pause_end_ms_ = 0;    // CLIENT PAUSE: paused until then (0: not paused)
  bool pause_all_ = false;
  uv_timer_t pause_timer_;
  std::vector<Client*> postponed_;  // clients held by the pause, in arrival order
  bool paused_for(const Client* c, const Command* cmd) const;
  void resume_postponed();
  uv_idle_t spin_idle_;
  IdleSpin idle_spin_;
  bool read_this_iteration_ = false;
  uv_signal_t sigterm_, sigint_;
  std::unique_ptr<storage::Keyspace> keyspace_;
  std::map<uint64_t, Client*> clients_;
  std::vector<Client*> pending_;
  std::vector<Client*> monitors_;
  BlockingManager blocking_{*this};
  PubSubHub pubsub_{*this};
  Tracking tracking_{*this};
  Client* executing_client_ = nullptr;  // whose handler runs now (a script's own client too)
  // A key changed: WATCH, blocked clients, tracking (writer: for BCAST NOLOOP, null if none).
  void key_changed(int db, std::string_view key, const Client* writer);
  std::unique_ptr<ScriptEngine> scripts_;
  std::unique_ptr<FunctionEngine> functions_;  // after scripts_: built from it
  std::unique_ptr<Persistence> persistence_;
  struct WatchKeyHash {
    size_t operator()(const std::pair<int, std::string>& k) const {
      return std::hash<std::string>()(k.second) ^ static_cast<size_t>(k.first);
    }
  };
  std::unordered_map<std::pair<int, std::string>, std::vector<Client*>, WatchKeyHash> watched_;
  uint64_t next_client_id_ = 1;
  Stats stats_;
  int64_t start_ms_;
  uint32_t lru_clock_ = 0;
  std::string run_id_;
  bool shutting_down_ = false;
  bool active_expire_enabled_ = true;
  int64_t cron_loops_ = 0;
  int64_t cached_now_ms_ = 0;  // refreshed before each sleep and by every command
  // maxmemory (evict.cpp)
  storage::EvictionPool evict_pool_;
  uv_timer_t evict_timer_;
  bool pre_command_oom_ = false;
  int evict_next_db_ = 0;  // *-random policies visit the databases in turn
};

}  // namespace dq::server
