#include "server/config.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "protocol/resp_parser.h"
#include "server/notify.h"

namespace dq::server {

namespace {

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::string join(const std::vector<std::string>& v) {
  std::string r;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) r += ' ';
    r += v[i];
  }
  return r;
}

using Setter = std::function<std::string(Config&, const std::vector<std::string>&)>;
using Getter = std::function<std::string(const Config&)>;

template <class T>
Directive int_dir(const char* name, T Config::*field, int64_t lo, int64_t hi, bool mut,
                  const char* doc) {
  Directive d{name, DirectiveKind::Int, mut, lo, hi};
  d.set = [field, lo, hi](Config& c, const std::vector<std::string>& a) -> std::string {
    if (a.size() != 1) return "wrong number of arguments";
    int64_t v;
    if (!protocol::parse_int64(a[0], &v)) return "argument couldn't be parsed into an integer";
    if (v < lo || v > hi)
      return fmt::format("argument must be between {} and {} inclusive", lo, hi);
    c.*field = static_cast<T>(v);
    return "";
  };
  d.get = [field](const Config& c) { return std::to_string(c.*field); };
  d.doc = doc;
  return d;
}

Directive mem_dir(const char* name, int64_t Config::*field, int64_t lo, int64_t hi, bool mut,
                  const char* doc) {
  Directive d{name, DirectiveKind::Memory, mut, lo, hi};
  d.set = [field, lo, hi](Config& c, const std::vector<std::string>& a) -> std::string {
    if (a.size() != 1) return "wrong number of arguments";
    int64_t v;
    if (!parse_memory(a[0], &v)) return "argument must be a memory value";
    if (v < lo || v > hi)
      return fmt::format("argument must be between {} and {} inclusive", lo, hi);
    c.*field = v;
    return "";
  };
  d.get = [field](const Config& c) { return std::to_string(c.*field); };
  d.doc = doc;
  return d;
}

Directive bool_dir(const char* name, bool Config::*field, bool mut, const char* doc) {
  Directive d{name, DirectiveKind::Bool, mut};
  d.set = [field](Config& c, const std::vector<std::string>& a) -> std::string {
    if (a.size() != 1) return "wrong number of arguments";
    std::string v = lower(a[0]);
    if (v == "yes")
      c.*field = true;
    else if (v == "no")
      c.*field = false;
    else
      return "argument must be 'yes' or 'no'";
    return "";
  };
  d.get = [field](const Config& c) { return std::string(c.*field ? "yes" : "no"); };
  d.doc = doc;
  return d;
}

Directive str_dir(const char* name, std::string Config::*field, bool mut, const char* doc) {
  Directive d{name, DirectiveKind::String, mut};
  d.set = [field](Config& c, const std::vector<std::string>& a) -> std::string {
    if (a.size() != 1) return "wrong number of arguments";
    c.*field = a[0];
    return "";
  };
  d.get = [field](const Config& c) { return c.*field; };
  d.doc = doc;
  return d;
}

Directive enum_dir(const char* name, std::string Config::*field, const char* values, bool mut,
                   const char* doc) {
  Directive d{name, DirectiveKind::Enum, mut, 0, 0, values};
  d.set = [field, values](Config& c, const std::vector<std::string>& a) -> std::string {
    if (a.size() != 1) return "wrong number of arguments";
    std::string v = lower(a[0]);
    std::string_view all(values);
    size_t start = 0;
    while (start <= all.size()) {
      size_t bar = all.find('|', start);
      if (bar == std::string_view::npos) bar = all.size();
      if (all.substr(start, bar - start) == v) {
        c.*field = v;
        return "";
      }
      start = bar + 1;
    }
    // Redis 7 lists the choices separated by ", ".
    std::string opts;
    for (char ch : std::string_view(values)) {
      if (ch == '|')
        opts += ", ";
      else
        opts += ch;
    }
    return "argument(s) must be one of the following: " + opts;
  };
  d.get = [field](const Config& c) { return c.*field; };
  d.doc = doc;
  return d;
}

std::string obuf_get(const Config& c) {
  auto one = [](const char* n, const Config::ObufLimit& l) {
    return fmt::format("{} {} {} {}", n, l.hard, l.soft, l.seconds);
  };
  return one("normal", c.obuf_normal) + " " + one("slave", c.obuf_replica) + " " +
         one("pubsub", c.obuf_pubsub);
}

std::string obuf_set(Config& c, const std::vector<std::string>& a) {
  // Either "class hard soft seconds" groups (possibly several, as CONFIG SET takes one
  // string that is split), or one string holding them.
  std::vector<std::string> w;
  for (const auto& s : a) {
    std::istringstream is(s);
    std::string t;
    while (is >> t) w.push_back(t);
  }
  if (w.empty() || w.size() % 4 != 0) return "wrong number of arguments";
  Config tmp = c;
  for (size_t i = 0; i < w.size(); i += 4) {
    std::string cls = lower(w[i]);
    Config::ObufLimit* l;
    if (cls == "normal")
      l = &tmp.obuf_normal;
    else if (cls == "slave" || cls == "replica")
      l = &tmp.obuf_replica;
    else if (cls == "pubsub")
      l = &tmp.obuf_pubsub;
    else
      return "Invalid client class specified in buffer limit configuration.";
    int64_t hard, soft, secs;
    if (!parse_memory(w[i + 1], &hard) || !parse_memory(w[i + 2], &soft) ||
        !protocol::parse_int64(w[i + 3], &secs) || hard < 0 || soft < 0 || secs < 0)
      return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
    l->hard = hard;
    l->soft = soft;
    l->seconds = static_cast<int>(secs);
  }
  c.obuf_normal = tmp.obuf_normal;
  c.obuf_replica = tmp.obuf_replica;
  c.obuf_pubsub = tmp.obuf_pubsub;
  return "";
}

// Wraps the last directive so that only `allowed` (the default) is accepted: the feature
// behind it is not implemented yet, and accepting another value would be a silent lie.
void only_default(std::vector<Directive>& v, const char* why) {
  Directive& d = v.back();
  auto inner = d.set;
  auto get = d.get;
  d.set = [inner, get, why](Config& c, const std::vector<std::string>& a) -> std::string {
    Config probe = c;
    std::string e = inner(probe, a);
    if (!e.empty()) return e;
    if (get(probe) != get(Config{})) return why;
    c = probe;
    return "";
  };
}

std::vector<Directive> build() {
  std::vector<Directive> v;
  {
    Directive d{"bind", DirectiveKind::Special, true};
    d.set = [](Config& c, const std::vector<std::string>& a) -> std::string {
      std::vector<std::string> addrs;
      for (const auto& s : a) {
        std::istringstream is(s);
        std::string t;
        while (is >> t) addrs.push_back(t);
      }
      if (addrs.empty()) return "wrong number of arguments";
      if (addrs.size() > 16) return "Too many bind addresses specified.";
      c.bind = addrs;
      return "";
    };
    d.get = [](const Config& c) { return join(c.bind); };
    d.doc = "Addresses to listen on (IPv4/IPv6); a leading '-' makes an address optional.";
    v.push_back(d);
  }
  v.push_back(int_dir("port", &Config::port, 0, 65535, false, "TCP port (0: no TCP)."));
  v.push_back(str_dir("unixsocket", &Config::unixsocket, false, "Unix socket path (empty: none)."));
  {
    Directive d{"unixsocketperm", DirectiveKind::Int, false, 0, 0777};
    d.set = [](Config& c, const std::vector<std::string>& a) -> std::string {
      if (a.size() != 1) return "wrong number of arguments";
      char* end;
      long p = std::strtol(a[0].c_str(), &end, 8);
      if (*end || p < 0 || p > 0777) return "Invalid socket file permissions";
      c.unixsocketperm = static_cast<int>(p);
      return "";
    };
    d.get = [](const Config& c) { return fmt::format("{:o}", c.unixsocketperm); };
    d.doc = "Unix socket permissions, octal (0: leave the umask's).";
    v.push_back(d);
  }
  v.push_back(int_dir("databases", &Config::databases, 1, 1 << 20, false, "Number of databases."));
  v.push_back(str_dir("requirepass", &Config::requirepass, true,
                      "Password of the default user (empty: no AUTH needed)."));
  v.push_back(int_dir("timeout", &Config::timeout, 0, INT32_MAX, true,
                      "Close a client idle this many seconds (0: never)."));
  v.push_back(int_dir("tcp-keepalive", &Config::tcp_keepalive, 0, INT32_MAX, true,
                      "TCP keepalive period in seconds (0: off)."));
  v.push_back(
      int_dir("tcp-backlog", &Config::tcp_backlog, 0, INT32_MAX, false, "listen() backlog."));
  v.push_back(int_dir("maxclients", &Config::maxclients, 1, INT32_MAX, true,
                      "Maximum simultaneous clients."));
  v.push_back(int_dir("hz", &Config::hz, 1, 500, true, "Background task frequency (1-500)."));
  v.push_back(enum_dir("loglevel", &Config::loglevel, "debug|verbose|notice|warning|nothing", true,
                       "Log verbosity."));
  v.push_back(str_dir("logfile", &Config::logfile, false, "Log file (empty: standard output)."));
  v.push_back(bool_dir("daemonize", &Config::daemonize, false,
                       "Only 'no' is supported: dq runs in the foreground."));
  v.back().set = [](Config& c, const std::vector<std::string>& a) -> std::string {
    if (a.size() != 1) return "wrong number of arguments";
    std::string x = lower(a[0]);
    if (x == "no") {
      c.daemonize = false;
      return "";
    }
    if (x == "yes") return "daemonize yes is not supported by dq (run it under a supervisor)";
    return "argument must be 'yes' or 'no'";
  };
  v.push_back(str_dir("pidfile", &Config::pidfile, false, "Pid file (empty: none)."));
  v.push_back(mem_dir("proto-max-bulk-len", &Config::proto_max_bulk_len, 1024 * 1024, INT64_MAX,
                      true, "Largest bulk string a request may carry."));
  v.push_back(mem_dir("client-query-buffer-limit", &Config::client_query_buffer_limit, 1024 * 1024,
                      INT64_MAX, true, "Largest query buffer of one client."));
  v.push_back(bool_dir("protected-mode", &Config::protected_mode, true,
                       "Refuse non-loopback clients when no password and no explicit bind."));
  v.push_back(str_dir("dir", &Config::dir, true, "Working directory (persistence files)."));
  v.back().protected_config = true;
  v.push_back(str_dir("dbfilename", &Config::dbfilename, true, "RDB file name."));
  v.back().protected_config = true;
  v.push_back(
      enum_dir("enable-protected-configs", &Config::enable_protected_configs, "no|yes|local", false,
               "Whether CONFIG SET may change protected configs (dir, dbfilename): no, yes, "
               "or local (unix socket and loopback clients only)."));
  v.push_back(
      bool_dir("rdbcompression", &Config::rdbcompression, true,
               "LZF-compress strings longer than 20 bytes in RDB files and DUMP payloads."));
  v.push_back(bool_dir("stop-writes-on-bgsave-error", &Config::stop_writes_on_bgsave_error, true,
                       "After a failed background save (with save points set), refuse writes "
                       "and PING with MISCONF until a save succeeds."));
  v.push_back(bool_dir("rdbchecksum", &Config::rdbchecksum, true,
                       "End RDB files with a CRC-64 (no: write 0, which loaders do not check)."));
  v.push_back(mem_dir("maxmemory", &Config::maxmemory, 0, INT64_MAX, true,
                      "Memory limit (0: none). Above it, keys are evicted as maxmemory-policy "
                      "says; a lower CONFIG SET evicts at once."));
  v.push_back(enum_dir("maxmemory-policy", &Config::maxmemory_policy,
                       "volatile-lru|volatile-lfu|volatile-random|volatile-ttl|allkeys-lru|"
                       "allkeys-lfu|allkeys-random|noeviction",
                       true,
                       "What to do when maxmemory is reached: noeviction refuses writes "
                       "(OOM error); the others evict keys (volatile-*: only keys with a TTL)."));
  v.push_back(int_dir("maxmemory-samples", &Config::maxmemory_samples, 1, INT32_MAX, true,
                      "Keys sampled per database for each eviction (more: closer to true "
                      "LRU/LFU, slower)."));
  v.push_back(int_dir("maxmemory-eviction-tenacity", &Config::maxmemory_eviction_tenacity, 0, 100,
                      true,
                      "How long one eviction pass may run before the rest continues in the "
                      "background (10: ~500 us; 100: unlimited)."));
  v.push_back(int_dir("lfu-log-factor", &Config::lfu_log_factor, 0, INT32_MAX, true,
                      "LFU counter growth: higher needs more accesses per increment."));
  v.push_back(int_dir("lfu-decay-time", &Config::lfu_decay_time, 0, INT32_MAX, true,
                      "Minutes without access for the LFU counter to drop by one (0: never)."));
  {
    Directive d{"client-output-buffer-limit", DirectiveKind::Special, true};
    d.set = obuf_set;
    d.get = obuf_get;
    d.doc = "Output buffer limits per client class: class hard soft soft-seconds.";
    v.push_back(d);
  }
  v.push_back(int_dir("list-max-listpack-size", &Config::list_max_listpack_size, INT32_MIN,
                      INT32_MAX, true, "Max size of a list node (negative: bytes class)."));
  v.push_back(int_dir("list-compress-depth", &Config::list_compress_depth, 0, INT32_MAX, true,
                      "Accepted for compatibility."));
  v.push_back(int_dir("hash-max-listpack-entries", &Config::hash_max_listpack_entries, 0, INT32_MAX,
                      true, "Compact hash up to this many fields."));
  v.push_back(int_dir("hash-max-listpack-value", &Config::hash_max_listpack_value, 0, INT32_MAX,
                      true, "Compact hash while values are at most this long."));
  v.push_back(int_dir("set-max-intset-entries", &Config::set_max_intset_entries, 0, INT32_MAX, true,
                      "Integer set up to this many members."));
  v.push_back(int_dir("set-max-listpack-entries", &Config::set_max_listpack_entries, 0, INT32_MAX,
                      true, "Compact set up to this many members."));
  v.push_back(int_dir("set-max-listpack-value", &Config::set_max_listpack_value, 0, INT32_MAX, true,
                      "Compact set while members are at most this long."));
  v.push_back(int_dir("zset-max-listpack-entries", &Config::zset_max_listpack_entries, 0, INT32_MAX,
                      true, "Compact sorted set up to this many members."));
  v.push_back(int_dir("zset-max-listpack-value", &Config::zset_max_listpack_value, 0, INT32_MAX,
                      true, "Compact sorted set while members are at most this long."));
  v.push_back(mem_dir("stream-node-max-bytes", &Config::stream_node_max_bytes, 0, INT64_MAX, true,
                      "A stream block closes when its listpack size reaches this (0: no limit)."));
  v.push_back(int_dir("stream-node-max-entries", &Config::stream_node_max_entries, 0, INT64_MAX,
                      true, "A stream block holds at most this many entries (0: no limit)."));
  v.push_back(mem_dir("hll-sparse-max-bytes", &Config::hll_sparse_max_bytes, 0, INT64_MAX, true,
                      "A HyperLogLog stays sparse while its string is at most this long "
                      "(above, it turns dense: 12304 bytes)."));
  v.push_back(bool_dir("appendonly", &Config::appendonly, true,
                       "Append-only file. Only 'no' until persistence is implemented."));
  only_default(v, "appendonly yes is not supported by dq yet (no persistence)");
  v.push_back(enum_dir("appendfsync", &Config::appendfsync, "always|everysec|no", true,
                       "AOF fsync policy (kept for CONFIG GET; no AOF yet)."));
  v.push_back(str_dir("save", &Config::save, true,
                      "RDB save points (seconds changes ...): a BGSAVE starts when at least "
                      "`changes` writes happened and the last save is older than `seconds` (\"\": "
                      "none)."));
  v.back().set = [](Config& c, const std::vector<std::string>& a) -> std::string {
    std::string all = join(a);
    std::istringstream is(all);
    std::vector<std::string> w;
    std::string t;
    while (is >> t) w.push_back(t);
    if (w.size() % 2 != 0) return "Invalid save parameters";
    for (const auto& x : w) {
      int64_t n;
      if (!protocol::parse_int64(x, &n) || n < 0) return "Invalid save parameters";
    }
    c.save = join(w);
    return "";
  };
  v.push_back(int_dir("slowlog-log-slower-than", &Config::slowlog_log_slower_than, -1, INT32_MAX,
                      true, "Slow log threshold in microseconds."));
  v.push_back(
      int_dir("slowlog-max-len", &Config::slowlog_max_len, 0, INT32_MAX, true, "Slow log length."));
  v.push_back(bool_dir("lazyfree-lazy-user-flush", &Config::lazyfree_lazy_user_flush, true,
                       "FLUSHALL/FLUSHDB default to ASYNC."));
  {
    Directive d{"notify-keyspace-events", DirectiveKind::Special, true};
    d.set = [](Config& c, const std::vector<std::string>& a) -> std::string {
      if (a.size() != 1) return "wrong number of arguments";
      int64_t f = notify::parse_flags(a[0]);
      if (f < 0) return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
      c.notify_keyspace_events = static_cast<uint32_t>(f);
      return "";
    };
    // Rendered canonically, as Redis: "KEA" reads back as "AKE".
    d.get = [](const Config& c) { return notify::flags_to_string(c.notify_keyspace_events); };
    d.doc =
        "Keyspace notifications: classes K E g $ l s h z x e t m d n A (empty: off), as "
        "Redis.";
    v.push_back(d);
  }
  v.push_back(int_dir("active-expire-effort", &Config::active_expire_effort, 1, 10, true,
                      "Active expiry effort (1-10)."));
  v.push_back(bool_dir("activerehashing", &Config::activerehashing, true,
                       "Rehash in the background cron."));
  v.push_back(int_dir("busy-reply-threshold", &Config::busy_reply_threshold, 0, INT32_MAX, true,
                      "Milliseconds a script runs before other clients get BUSY (0: never)."));
  v.push_back(int_dir("lua-time-limit", &Config::busy_reply_threshold, 0, INT32_MAX, true,
                      "Alias of busy-reply-threshold."));
  v.push_back(int_dir("tracking-table-max-keys", &Config::tracking_table_max_keys, 0, INT64_MAX,
                      true,
                      "Keys the CLIENT TRACKING table remembers before it invalidates random ones "
                      "(0: no limit)."));
  v.push_back(int_dir("loop-spin-us", &Config::loop_spin_us, 0, 1000, true,
                      "dq: microseconds the event loop polls before sleeping while requests keep "
                      "arriving that fast (0: always sleep)."));
  v.push_back(bool_dir("cluster-enabled", &Config::cluster_enabled, false,
                       "Cluster mode (not yet supported: must be 'no')."));
  only_default(v, "cluster mode is not supported by dq yet");
  return v;
}

}  // namespace

const std::vector<Directive>& directives() {
  static const std::vector<Directive> v = build();
  return v;
}

const Directive* find_directive(std::string_view name) {
  std::string n = lower(name);
  for (const auto& d : directives())
    if (n == d.name) return &d;
  return nullptr;
}

bool parse_memory(std::string_view s, int64_t* out) {
  std::string l = lower(s);
  int64_t mul = 1;
  auto ends = [&](const char* suf) {
    size_t n = std::char_traits<char>::length(suf);
    if (l.size() > n && l.compare(l.size() - n, n, suf) == 0) {
      l.resize(l.size() - n);
      return true;
    }
    return false;
  };
  if (ends("gb"))
    mul = 1024LL * 1024 * 1024;
  else if (ends("mb"))
    mul = 1024LL * 1024;
  else if (ends("kb"))
    mul = 1024;
  else if (ends("g"))
    mul = 1000LL * 1000 * 1000;
  else if (ends("m"))
    mul = 1000LL * 1000;
  else if (ends("k"))
    mul = 1000;
  else if (ends("b"))
    mul = 1;
  int64_t v;
  if (!protocol::parse_int64(l, &v)) return false;
  if (v != 0 && (v > INT64_MAX / mul || v < INT64_MIN / mul)) return false;
  *out = v * mul;
  return true;
}

bool split_config_line(std::string_view line, std::vector<std::string>* out) {
  return protocol::split_inline_args(line, out);
}

std::string apply_directive(Config& cfg, std::string_view name,
                            const std::vector<std::string>& args) {
  const Directive* d = find_directive(name);
  if (!d) return "Bad directive or wrong number of arguments";
  return d->set(cfg, args);
}

std::string load_config_text(Config& cfg, std::string_view text, std::string_view filename) {
  size_t start = 0;
  int lineno = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    start = nl + 1;
    ++lineno;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front())))
      line.remove_prefix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
      line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> words;
    if (!split_config_line(line, &words))
      return fmt::format(
          "*** FATAL CONFIG FILE ERROR (dq {}) ***\nReading the configuration file, "
          "at line {}\n>>> '{}'\nUnbalanced quotes in configuration line",
          "", lineno, line);
    if (words.empty()) continue;
    std::string name = lower(words[0]);
    if (name == "include") {
      if (words.size() != 2) return fmt::format("{}:{}: include needs one file", filename, lineno);
      std::ifstream f(words[1]);
      if (!f)
        return fmt::format("{}:{}: cannot open included file '{}'", filename, lineno, words[1]);
      std::stringstream ss;
      ss << f.rdbuf();
      std::string e = load_config_text(cfg, ss.str(), words[1]);
      if (!e.empty()) return e;
      continue;
    }
    std::vector<std::string> args(words.begin() + 1, words.end());
    const Directive* d = find_directive(name);
    std::string e = d ? d->set(cfg, args) : "Bad directive or wrong number of arguments";
    if (!e.empty())
      return fmt::format(
          "\n*** FATAL CONFIG FILE ERROR ***\nReading the configuration file, at line {} of {}\n"
          ">>> '{}'\n{}",
          lineno, filename, line, e);
  }
  return "";
}

std::string rewrite_config(const Config& cfg) {
  if (cfg.config_file.empty()) return "The server is running without a config file";
  std::string out = "# Rewritten by dq CONFIG REWRITE\n";
  for (const auto& d : directives()) {
    std::string val = d.get(cfg);
    std::string quoted = "\"";
    for (char c : val) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    quoted += '"';
    if (std::string_view(d.name) == "client-output-buffer-limit") {
      std::istringstream is(val);
      std::string cls, h, s, sec;
      while (is >> cls >> h >> s >> sec)
        out += fmt::format("client-output-buffer-limit {} {} {} {}\n", cls, h, s, sec);
      continue;
    }
    if (std::string_view(d.name) == "bind") {
      out += "bind " + val + "\n";
      continue;
    }
    out += fmt::format("{} {}\n", d.name, quoted);
  }
  std::string tmp = cfg.config_file + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (!f) return "Rewriting config file: cannot open for writing";
  std::fwrite(out.data(), 1, out.size(), f);
  std::fflush(f);
  fsync(fileno(f));
  std::fclose(f);
  if (std::rename(tmp.c_str(), cfg.config_file.c_str()) != 0)
    return "Rewriting config file: rename failed";
  return "";
}

}  // namespace dq::server
