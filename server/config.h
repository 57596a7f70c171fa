// config.h — every directive dq knows: one table serves redis.conf parsing, the command line,
// CONFIG GET / SET / REWRITE and redis.conf.example.
//
// Owns: Config (the values) and the directive table (name, kind, default, bounds, mutable).
// Must not include: libuv.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dq::server {

struct Config {
  std::vector<std::string> bind{"127.0.0.1", "-::1"};
  int port = 6379;
  std::string unixsocket;
  int unixsocketperm = 0;
  int databases = 16;
  std::string requirepass;
  int timeout = 0;
  int tcp_keepalive = 300;
  int tcp_backlog = 511;
  int maxclients = 10000;
  int hz = 10;
  std::string loglevel = "notice";
  std::string logfile;
  bool daemonize = false;
  std::string pidfile;
  int64_t proto_max_bulk_len = 512LL * 1024 * 1024;
  int64_t client_query_buffer_limit = 1024LL * 1024 * 1024;
  bool protected_mode = true;
  std::string dir = ".";
  std::string dbfilename = "dump.rdb";
  std::string enable_protected_configs = "no";
  bool rdbcompression = true;
  bool rdbchecksum = true;
  bool stop_writes_on_bgsave_error = true;
  int64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  int maxmemory_samples = 5;
  int maxmemory_eviction_tenacity = 10;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;
  // client-output-buffer-limit per class: hard, soft, soft_seconds
  struct ObufLimit {
    int64_t hard = 0, soft = 0;
    int seconds = 0;
  };
  ObufLimit obuf_normal{0, 0, 0};
  ObufLimit obuf_replica{256LL << 20, 64LL << 20, 60};
  ObufLimit obuf_pubsub{32LL << 20, 8LL << 20, 60};
  int list_max_listpack_size = -2;
  int list_compress_depth = 0;
  int hash_max_listpack_entries = 128;
  int hash_max_listpack_value = 64;
  int set_max_intset_entries = 512;
  int set_max_listpack_entries = 128;
  int set_max_listpack_value = 64;
  int zset_max_listpack_entries = 128;
  int zset_max_listpack_value = 64;
  int64_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;
  int64_t hll_sparse_max_bytes = 3000;
  bool appendonly = false;
  std::string appendfsync = "everysec";
  std::string save = "3600 1 300 100 60 10000";
  int slowlog_log_slower_than = 10000;
  int slowlog_max_len = 128;
  bool lazyfree_lazy_user_flush = false;
  uint32_t notify_keyspace_events = 0;  // notify::k* flags
  int active_expire_effort = 1;
  bool activerehashing = true;
  int busy_reply_threshold = 5000;            // alias lua-time-limit (Redis 7)
  int64_t tracking_table_max_keys = 1000000;  // CLIENT TRACKING table size (0: no limit)
  int64_t loop_spin_us = 10;  // dq: poll this long before sleeping under load (IdleSpin)
  bool cluster_enabled = false;

  std::string config_file;  // absolute path of the file we were started with, if any
};

enum class DirectiveKind { Int, Memory, Bool, String, Enum, Special };

struct Directive {
  const char* name;
  DirectiveKind kind;
  bool mutable_at_runtime;
  int64_t min = 0, max = 0;
  const char* enum_values = nullptr;  // "a|b|c"
  // Set from the text form; returns an error message (empty on success).
  std::function<std::string(Config&, const std::vector<std::string>&)> set;
  std::function<std::string(const Config&)> get;
  const char* doc = "";
  // CONFIG SET only where enable-protected-configs allows it (dir, dbfilename: Redis 7's
  // PROTECTED_CONFIG, which stops a client from pointing SAVE at any file of the system).
  bool protected_config = false;
};

const std::vector<Directive>& directives();
const Directive* find_directive(std::string_view name);

// Parses redis.conf text; errors name the file and line: returns the message, empty if ok.
std::string load_config_text(Config& cfg, std::string_view text, std::string_view filename);
// Applies one directive with its arguments (from the file, the command line or CONFIG SET).
std::string apply_directive(Config& cfg, std::string_view name,
                            const std::vector<std::string>& args);
// Parses a memory amount as Redis ("1gb", "512mb", "100k", plain bytes).
bool parse_memory(std::string_view s, int64_t* out);
// Splits a config line into words (Redis's rules: quotes and escapes as inline commands).
bool split_config_line(std::string_view line, std::vector<std::string>* out);
// Writes the current config back to cfg.config_file (CONFIG REWRITE). Returns error or "".
std::string rewrite_config(const Config& cfg);

}  // namespace dq::server
