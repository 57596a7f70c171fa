// server_info.cpp — the server family: INFO, CONFIG, TIME, LASTSAVE, SHUTDOWN, DEBUG, MONITOR.
// (COMMAND lives in command_docs.cpp, CLIENT in client.cpp.)
//
// INFO speaks Redis 7's field names and layout ("# Section" headers, "name:value\r\n" lines,
// sections separated by an empty line) so monitoring tools parse it unchanged. Figures dq
// does not have (replication backlog, forks, defrag, ...) are printed with the value Redis
// prints when the feature is idle; "latencystats" is not produced.
//
// CONFIG SET is atomic: every name is checked first (unknown, immutable, duplicate), then all
// values are applied to a copy of the Config; only if every one parses is the copy installed
// and server.config_changed() called per directive.
//
// SHUTDOWN: as Redis, saves the RDB first when save points are configured (unless NOSAVE) or
// SAVE is given; a failed save answers "Errors trying to SHUTDOWN" and keeps running, unless
// FORCE is given.
//
// DEBUG DIGEST: an order-independent digest of the whole keyspace (XOR of a per-key 160-bit
// hash of db, key, type, value and expiry), "0000...0" when empty. Collections contribute their
// type and size in memory until storage offers a value visitor (see deviations in the tests).
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "server/command_context.h"
#include "server/crash.h"
#include "server/functions.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/scripting.h"
#include "server/version.h"
#include "storage/keyspace.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;

namespace {

// ---------------------------------------------------------------------------------------
// TIME, LASTSAVE

void time_cmd(CommandContext& ctx) {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ctx.reply().array(2);
  ctx.reply().bulk_int(ts.tv_sec);
  ctx.reply().bulk_int(ts.tv_nsec / 1000);
}

// ROLE: dq has no replication, so it is always a master with offset 0 and no replicas.
void role_cmd(CommandContext& ctx) {
  ctx.reply().array(3);
  ctx.reply().bulk("master");
  ctx.reply().integer(0);
  ctx.reply().array(0);
}

void lastsave_cmd(CommandContext& ctx) { ctx.reply().integer(ctx.server.last_save_unix()); }

// ---------------------------------------------------------------------------------------
// INFO

// Redis's bytesToHuman.
std::string human_bytes(double n) {
  if (n < 1024) return fmt::format("{}B", static_cast<uint64_t>(n));
  const char* units = "KMGTP";
  for (int i = 0; i < 5; ++i) {
    n /= 1024;
    if (n < 1024 || i == 4) return fmt::format("{:.2f}{}", n, units[i]);
  }
  return "";
}

std::string executable_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

struct InfoBuilder {
  std::string out;
  int sections = 0;
  void header(std::string_view name) {
    if (sections++) out += "\r\n";
    out += "# ";
    out += name;
    out += "\r\n";
  }
  template <class V>
  void field(std::string_view name, const V& v) {
    fmt::format_to(std::back_inserter(out), "{}:{}\r\n", name, v);
  }
  void line(std::string_view s) {
    out += s;
    out += "\r\n";
  }
};

void info_server(InfoBuilder& b, CommandContext& ctx) {
  Server& s = ctx.server;
  static const std::string os = [] {
    utsname u;
    if (uname(&u) != 0) return std::string("Linux");
    return fmt::format("{} {} {}", u.sysname, u.release, u.machine);
  }();
  static const std::string exe = executable_path();
  int64_t up = (ctx.now - s.start_time_ms()) / 1000;
  b.header("Server");
  b.field("redis_version", kRedisVersion);
  b.field("redis_git_sha1", "00000000");
  b.field("redis_git_dirty", 0);
  b.field("redis_build_id", "0");
  b.field("dq_version", kDqVersion);
  b.field("redis_mode", "standalone");
  b.field("os", os);
  b.field("arch_bits", sizeof(void*) * 8);
  b.field("monotonic_clock", "POSIX clock_gettime");
  b.field("multiplexing_api", "libuv");
  b.field("atomicvar_api", "c11-builtin");
  b.field("gcc_version", fmt::format("{}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__));
  b.field("process_id", getpid());
  b.field("process_supervised", "no");
  b.field("run_id", s.run_id());
  b.field("tcp_port", s.config().port);
  b.field("server_time_usec", ctx.now * 1000);
  b.field("uptime_in_seconds", up);
  b.field("uptime_in_days", up / 86400);
  b.field("hz", s.config().hz);
  b.field("configured_hz", s.config().hz);
  b.field("lru_clock", s.lru_clock());
  b.field("executable", exe);
  b.field("config_file", s.config().config_file);
  b.field("io_threads_active", 0);
}

void info_clients(InfoBuilder& b, CommandContext& ctx) {
  Server& s = ctx.server;
  size_t max_in = 0, max_out = 0, pubsub = 0, watching = 0, watched_keys = 0;
  for (const auto& [id, c] : s.clients()) {
    max_in = std::max(max_in, c->qcap);
    max_out = std::max(max_out, c->out.memory());
    if (c->sub_channels + c->sub_patterns + c->sub_shard) ++pubsub;
    if (c->watch_count) ++watching;
    watched_keys += c->watch_count;
  }
  b.header("Clients");
  b.field("connected_clients", s.clients().size());
  b.field("cluster_connections", 0);
  b.field("maxclients", s.config().maxclients);
  b.field("client_recent_max_input_buffer", max_in);
  b.field("client_recent_max_output_buffer", max_out);
  b.field("blocked_clients", s.blocking().blocked_count() + s.postponed_count());
  b.field("tracking_clients", s.tracking().clients());
  b.field("pubsub_clients", pubsub);
  b.field("watching_clients", watching);
  b.field("clients_in_timeout_table", 0);
  b.field("total_watched_keys", watched_keys);
  b.field("total_blocking_keys", 0);
  b.field("total_blocking_keys_on_nokey", 0);
}

// Highest used_memory seen by INFO (sampled here and by the cron's callers of INFO).
size_t g_peak_memory = 0;

void info_memory(InfoBuilder& b, CommandContext& ctx) {
  Server& s = ctx.server;
  size_t used = s.used_memory(), rss = s.rss_memory();
  g_peak_memory = std::max(g_peak_memory, used);
  static const size_t total_mem =
      static_cast<size_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
  double frag = used ? static_cast<double>(rss) / static_cast<double>(used) : 0.0;
  b.header("Memory");
  b.field("used_memory", used);
  b.field("used_memory_human", human_bytes(static_cast<double>(used)));
  b.field("used_memory_rss", rss);
  b.field("used_memory_rss_human", human_bytes(static_cast<double>(rss)));
  b.field("used_memory_peak", g_peak_memory);
  b.field("used_memory_peak_human", human_bytes(static_cast<double>(g_peak_memory)));
  b.field("used_memory_peak_perc",
          fmt::format("{:.2f}%", g_peak_memory ? 100.0 * static_cast<double>(used) /
                                                     static_cast<double>(g_peak_memory)
                                               : 100.0));
  b.field("total_system_memory", total_mem);
  b.field("total_system_memory_human", human_bytes(static_cast<double>(total_mem)));
  b.field("used_memory_lua", 0);
  b.field("used_memory_scripts", 0);
  b.field("number_of_cached_scripts", 0);
  b.field("maxmemory", s.config().maxmemory);
  b.field("maxmemory_human", human_bytes(static_cast<double>(s.config().maxmemory)));
  b.field("maxmemory_policy", s.config().maxmemory_policy);
  b.field("mem_fragmentation_ratio", fmt::format("{:.2f}", frag));
  b.field("mem_fragmentation_bytes", static_cast<int64_t>(rss) - static_cast<int64_t>(used));
  b.field("mem_not_counted_for_evict", 0);
  b.field("mem_replication_backlog", 0);
  b.field("mem_clients_slaves", 0);
  b.field("mem_clients_normal", 0);
  b.field("mem_aof_buffer", 0);
  b.field("mem_allocator", "libc");
  b.field("active_defrag_running", 0);
  b.field("lazyfree_pending_objects", 0);
  b.field("lazyfreed_objects", 0);
}

void info_persistence(InfoBuilder& b, CommandContext& ctx) {
  Server& s = ctx.server;
  b.header("Persistence");
  b.field("loading", 0);
  b.field("async_loading", 0);
  b.field("current_cow_peak", 0);
  b.field("current_cow_size", 0);
  b.field("current_cow_size_age", 0);
  b.field("current_fork_perc", "0.00");
  b.field("current_save_keys_processed", 0);
  b.field("current_save_keys_total", 0);
  Persistence& p = s.persistence();
  b.field("rdb_changes_since_last_save", s.stats().dirty);
  b.field("rdb_bgsave_in_progress", p.child_running() ? 1 : 0);
  b.field("rdb_last_save_time", p.last_save_unix());
  b.field("rdb_last_bgsave_status", p.last_bgsave_ok() ? "ok" : "err");
  b.field("rdb_last_bgsave_time_sec", p.last_bgsave_time_sec());
  b.field("rdb_current_bgsave_time_sec", p.current_bgsave_time_sec(Server::now_ms()));
  b.field("rdb_saves", p.rdb_saves());
  b.field("rdb_last_cow_size", 0);
  b.field("rdb_last_load_keys_expired", p.last_load_keys_expired());
  b.field("rdb_last_load_keys_loaded", p.last_load_keys_loaded());
  b.field("aof_enabled", 0);
  b.field("aof_rewrite_in_progress", 0);
  b.field("aof_rewrite_scheduled", 0);
  b.field("aof_last_rewrite_time_sec", -1);
  b.field("aof_current_rewrite_time_sec", -1);
  b.field("aof_last_bgrewrite_status", "ok");
  b.field("aof_rewrites", 0);
  b.field("aof_rewrites_consecutive_failures", 0);
  b.field("aof_last_write_status", "ok");
  b.field("aof_last_cow_size", 0);
  b.field("module_fork_in_progress", 0);
  b.field("module_fork_last_cow_size", 0);
}

void info_stats(InfoBuilder& b, CommandContext& ctx) {
  const Stats& st = ctx.server.stats();
  b.header("Stats");
  b.field("total_connections_received", st.total_connections);
  b.field("total_commands_processed", st.total_commands);
  b.field("instantaneous_ops_per_sec", static_cast<uint64_t>(std::llround(st.ops_per_sec)));
  b.field("total_net_input_bytes", st.net_input_bytes);
  b.field("total_net_output_bytes", st.net_output_bytes);
  b.field("total_net_repl_input_bytes", 0);
  b.field("total_net_repl_output_bytes", 0);
  b.field("instantaneous_input_kbps", "0.00");
  b.field("instantaneous_output_kbps", "0.00");
  b.field("instantaneous_input_repl_kbps", "0.00");
  b.field("instantaneous_output_repl_kbps", "0.00");
  b.field("rejected_connections", st.rejected_connections);
  b.field("sync_full", 0);
  b.field("sync_partial_ok", 0);
  b.field("sync_partial_err", 0);
  b.field("expired_keys", st.expired_keys);
  b.field("expired_stale_perc", "0.00");
  b.field("expired_time_cap_reached_count", 0);
  b.field("expire_cycle_cpu_milliseconds", 0);
  b.field("evicted_keys", st.evicted_keys);
  b.field("evicted_clients", 0);
  b.field("total_eviction_exceeded_time", 0);
  b.field("current_eviction_exceeded_time", 0);
  b.field("keyspace_hits", st.keyspace_hits);
  b.field("keyspace_misses", st.keyspace_misses);
  const storage::PubSub& ps = ctx.server.pubsub().registry();
  b.field("pubsub_channels", ps.active(storage::SubKind::Channel));
  b.field("pubsub_patterns", ps.active(storage::SubKind::Pattern));
  b.field("pubsubshard_channels", ps.active(storage::SubKind::Shard));
  b.field("latest_fork_usec", 0);
  b.field("total_forks", 0);
  b.field("migrate_cached_sockets", 0);
  b.field("slave_expires_tracked_keys", 0);
  b.field("active_defrag_hits", 0);
  b.field("active_defrag_misses", 0);
  b.field("active_defrag_key_hits", 0);
  b.field("active_defrag_key_misses", 0);
  b.field("total_active_defrag_time", 0);
  b.field("current_active_defrag_time", 0);
  b.field("tracking_total_keys", ctx.server.tracking().total_keys());
  b.field("tracking_total_items", ctx.server.tracking().total_items());
  b.field("tracking_total_prefixes", ctx.server.tracking().total_prefixes());
  b.field("unexpected_error_replies", st.unexpected_error_replies);
  b.field("total_error_replies", st.total_error_replies);
  b.field("dump_payload_sanitizations", 0);
  b.field("total_reads_processed", 0);
  b.field("total_writes_processed", 0);
  b.field("io_threaded_reads_processed", 0);
  b.field("io_threaded_writes_processed", 0);
  b.field("client_query_buffer_limit_disconnections", st.client_qbuf_limit_disconnections);
  b.field("client_output_buffer_limit_disconnections", st.client_obuf_limit_disconnections);
  b.field("reply_buffer_shrinks", 0);
  b.field("reply_buffer_expands", 0);
}

void info_replication(InfoBuilder& b, CommandContext& ctx) {
  b.header("Replication");
  b.field("role", "master");
  b.field("connected_slaves", 0);
  b.field("master_failover_state", "no-failover");
  b.field("master_replid", ctx.server.run_id());
  b.field("master_replid2", "0000000000000000000000000000000000000000");
  b.field("master_repl_offset", 0);
  b.field("second_repl_offset", -1);
  b.field("repl_backlog_active", 0);
  b.field("repl_backlog_size", 1048576);
  b.field("repl_backlog_first_byte_offset", 0);
  b.field("repl_backlog_histlen", 0);
}

void info_cpu(InfoBuilder& b, CommandContext&) {
  rusage self{}, children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  auto secs = [](const timeval& tv) {
    return fmt::format("{}.{:06}", tv.tv_sec, static_cast<long>(tv.tv_usec));
  };
  b.header("CPU");
  b.field("used_cpu_sys", secs(self.ru_stime));
  b.field("used_cpu_user", secs(self.ru_utime));
  b.field("used_cpu_sys_children", secs(children.ru_stime));
  b.field("used_cpu_user_children", secs(children.ru_utime));
  b.field("used_cpu_sys_main_thread", secs(self.ru_stime));
  b.field("used_cpu_user_main_thread", secs(self.ru_utime));
}

void info_modules(InfoBuilder& b, CommandContext&) { b.header("Modules"); }

void info_commandstats(InfoBuilder& b, CommandContext&) {
  b.header("Commandstats");
  for (const Command* c : CommandTable::instance().everything()) {
    const CommandStats& st = c->stats;
    if (st.calls == 0 && st.rejected == 0 && st.failed == 0) continue;
    double per = st.calls ? static_cast<double>(st.usec) / static_cast<double>(st.calls) : 0.0;
    b.line(
        fmt::format("cmdstat_{}:calls={},usec={},usec_per_call={:.2f},rejected_calls={},"
                    "failed_calls={}",
                    c->fullname, st.calls, st.usec, per, st.rejected, st.failed));
  }
}

void info_errorstats(InfoBuilder& b, CommandContext& ctx) {
  b.header("Errorstats");
  for (const auto& [code, n] : ctx.server.stats().error_codes)
    b.line(fmt::format("errorstat_{}:count={}", code, n));
}

void info_cluster(InfoBuilder& b, CommandContext&) {
  b.header("Cluster");
  b.field("cluster_enabled", 0);
}

void info_keyspace(InfoBuilder& b, CommandContext& ctx) {
  b.header("Keyspace");
  storage::Keyspace& ks = ctx.server.keyspace();
  for (int i = 0; i < ks.count(); ++i) {
    const storage::Db& d = ks.db(i);
    if (d.size() == 0) continue;
    b.line(fmt::format("db{}:keys={},expires={},avg_ttl=0", i, d.size(), d.volatile_count()));
  }
}

struct InfoSection {
  const char* name;
  void (*fn)(InfoBuilder&, CommandContext&);
  bool in_default;
};

constexpr InfoSection kInfoSections[] = {
    {"server", info_server, true},
    {"clients", info_clients, true},
    {"memory", info_memory, true},
    {"persistence", info_persistence, true},
    {"stats", info_stats, true},
    {"replication", info_replication, true},
    {"cpu", info_cpu, true},
    {"modules", info_modules, true},
    {"commandstats", info_commandstats, false},
    {"errorstats", info_errorstats, true},
    {"cluster", info_cluster, true},
    {"keyspace", info_keyspace, true},
};

void info_cmd(CommandContext& ctx) {
  // Which sections: none given = default; "all" = everything but modules' own sections;
  // "everything" = all. Unknown names are ignored (Redis 7 does the same).
  bool want[std::size(kInfoSections)] = {};
  if (ctx.argc() == 1) {
    for (size_t i = 0; i < std::size(kInfoSections); ++i) want[i] = kInfoSections[i].in_default;
  }
  for (size_t a = 1; a < ctx.argc(); ++a) {
    std::string_view n = ctx.arg(a);
    if (arg_is(n, "all") || arg_is(n, "everything")) {
      for (bool& w : want) w = true;
    } else if (arg_is(n, "default")) {
      for (size_t i = 0; i < std::size(kInfoSections); ++i)
        want[i] = want[i] || kInfoSections[i].in_default;
    } else {
      for (size_t i = 0; i < std::size(kInfoSections); ++i)
        if (arg_is(n, kInfoSections[i].name)) want[i] = true;
    }
  }
  InfoBuilder b;
  for (size_t i = 0; i < std::size(kInfoSections); ++i)
    if (want[i]) kInfoSections[i].fn(b, ctx);
  ctx.reply().verbatim(b.out, "txt");
}

// ---------------------------------------------------------------------------------------
// CONFIG

void config_get_cmd(CommandContext& ctx) {
  std::vector<const Directive*> found;
  for (const Directive& d : directives()) {
    for (size_t i = 2; i < ctx.argc(); ++i) {
      if (storage::glob_match(ctx.arg(i), d.name, true)) {
        found.push_back(&d);
        break;
      }
    }
  }
  auto& r = ctx.reply();
  r.map(found.size());
  for (const Directive* d : found) {
    r.bulk(d->name);
    r.bulk(d->get(ctx.server.config()));
  }
}

// enable-protected-configs: yes, or local for unix socket and loopback clients (Redis 7's
// allowProtectedAction).
bool protected_config_allowed(CommandContext& ctx) {
  const std::string& mode = ctx.server.config().enable_protected_configs;
  return mode == "yes" || (mode == "local" && ctx.client.local);
}

void config_set_cmd(CommandContext& ctx) {
  if (ctx.argc() % 2 != 0) return ctx.error_fmt(err::kFmtWrongArity, "config|set");
  std::vector<const Directive*> dirs;
  // Names first: unknown, immutable and duplicates fail before any value is looked at.
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    const Directive* d = find_directive(ctx.arg(i));
    if (!d) return ctx.error_fmt(err::kFmtConfigUnknownParam, ctx.arg(i));
    if (!d->mutable_at_runtime) return ctx.error_fmt(err::kFmtConfigImmutable, ctx.arg(i));
    if (d->protected_config && !protected_config_allowed(ctx))
      return ctx.error_fmt(err::kFmtConfigProtected, ctx.arg(i));
    if (std::find(dirs.begin(), dirs.end(), d) != dirs.end())
      return ctx.error_fmt(err::kFmtConfigDuplicate, ctx.arg(i));
    dirs.push_back(d);
  }
  Config tmp = ctx.server.config();
  for (size_t k = 0; k < dirs.size(); ++k) {
    std::vector<std::string> args{std::string(ctx.arg(3 + 2 * k))};
    std::string e = dirs[k]->set(tmp, args);
    if (!e.empty()) return ctx.error_fmt(err::kFmtConfigBadValue, ctx.arg(2 + 2 * k), e);
  }
  ctx.server.config() = std::move(tmp);
  for (const Directive* d : dirs) ctx.server.config_changed(d->name);
  ctx.reply().ok();
}

void config_resetstat_cmd(CommandContext& ctx) {
  Stats& st = ctx.server.stats();
  uint64_t dirty = st.dirty;  // not a statistic: persistence needs it
  st = Stats{};
  st.dirty = dirty;
  for (Command* c : CommandTable::instance().everything()) c->stats = CommandStats{};
  ctx.reply().ok();
}

void config_rewrite_cmd(CommandContext& ctx) {
  const Config& cfg = ctx.server.config();
  if (cfg.config_file.empty()) return ctx.error(err::kConfigRewriteNoFile);
  std::string e = rewrite_config(cfg);
  if (!e.empty()) {
    log(LogLevel::Warning, "CONFIG REWRITE failed: {}", e);
    return ctx.error_fmt(err::kConfigRewriteFmt, e);
  }
  log(LogLevel::Notice, "CONFIG REWRITE executed with success.");
  ctx.reply().ok();
}

void reply_help(CommandContext& ctx, std::span<const std::string_view> lines) {
  ctx.reply().array(lines.size());
  for (auto l : lines) ctx.reply().simple(l);
}

void config_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Rewrite the configuration file.",
      "HELP",
      "    Prints this help.",
  };
  reply_help(ctx, kLines);
}

// ---------------------------------------------------------------------------------------
// SHUTDOWN

void shutdown_cmd(CommandContext& ctx) {
  bool nosave = false, save = false, now = false, force = false, abort = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view a = ctx.arg(i);
    if (arg_is(a, "nosave"))
      nosave = true;
    else if (arg_is(a, "save"))
      save = true;
    else if (arg_is(a, "now"))
      now = true;
    else if (arg_is(a, "force"))
      force = true;
    else if (arg_is(a, "abort"))
      abort = true;
    else
      return ctx.syntax_error();
  }
  if ((abort && ctx.argc() != 2) || (nosave && save)) return ctx.syntax_error();
  if (abort) return ctx.error("ERR No shutdown in progress.");
  // While a script is busy only SHUTDOWN NOSAVE ends it: the process exits at once, from
  // inside the script (the script's writes are lost, as Redis).
  if (ctx.server.scripts().busy()) {
    if (!nosave) return ctx.error(ctx.server.scripts().busy_error());
    ctx.server.shutdown(false);
    std::exit(0);
  }
  (void)now;  // dq has no replicas to wait for: every shutdown is "now"
  // Redis's prepareForShutdown: a BGSAVE child is killed; with save points (unless NOSAVE)
  // or SAVE, the dataset is saved first, and a failed save keeps the server up (FORCE: exit
  // anyway).
  Persistence& p = ctx.server.persistence();
  if (!p.prepare_for_shutdown((p.has_save_points() && !nosave) || save, force))
    return ctx.error(err::kErrShutdown);
  ctx.server.shutdown(false);
}

// ---------------------------------------------------------------------------------------
// DEBUG

using Digest = std::array<uint8_t, 20>;

// 160 bits of one byte string: XXH3-128 with two seeds.
Digest hash160(std::string_view s) {
  XXH128_hash_t a = XXH3_128bits_withSeed(s.data(), s.size(), 0x9E3779B97F4A7C15ULL);
  XXH128_hash_t b = XXH3_128bits_withSeed(s.data(), s.size(), 0xC2B2AE3D27D4EB4FULL);
  Digest d{};
  std::memcpy(d.data(), &a.low64, 8);
  std::memcpy(d.data() + 8, &a.high64, 8);
  std::memcpy(d.data() + 16, &b.low64, 4);
  return d;
}

// The serialized form a key contributes (key, type, value, expiry).
std::string value_record(const Entry* e) {
  std::string rec;
  char buf[24];
  rec += static_cast<char>(e->type());
  if (e->type() == storage::Type::String) {
    std::string_view v = e->string_value(buf);
    rec += fmt::format("{}:", v.size());
    rec.append(v);
  } else {
    // No value visitor in storage yet: type and footprint only.
    rec += fmt::format("obj:{}", e->memory());
  }
  return rec;
}

Digest key_digest(int db, const Entry* e) {
  std::string rec = fmt::format("{}:{}:", db, e->key().size());
  rec.append(e->key());
  rec += value_record(e);
  if (e->has_expire()) rec += fmt::format("!{}", e->expire_ms());
  return hash160(rec);
}

std::string hex(const Digest& d) {
  std::string s;
  for (uint8_t x : d) s += fmt::format("{:02x}", x);
  return s;
}

void debug_digest(CommandContext& ctx) {
  Digest acc{};
  bool any = false;
  storage::Keyspace& ks = ctx.server.keyspace();
  for (int i = 0; i < ks.count(); ++i) {
    ks.db(i).for_each([&](const Entry* e) {
      if (storage::Db::expired(e, ctx.now)) return;
      Digest d = key_digest(i, e);
      for (size_t k = 0; k < d.size(); ++k) acc[k] ^= d[k];
      any = true;
    });
  }
  if (!any) acc.fill(0);
  ctx.reply().simple(hex(acc));
}

void debug_digest_value(CommandContext& ctx) {
  ctx.reply().array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    Entry* e = ctx.db().find(ctx.arg(i), ctx.now);  // no access recorded
    Digest d{};
    if (e) d = hash160(value_record(e));
    ctx.reply().simple(hex(d));
  }
}

void debug_object(CommandContext& ctx) {
  if (ctx.argc() != 3) return ctx.syntax_error();
  Entry* e = ctx.db().find(ctx.arg(2), ctx.now);  // no access recorded
  if (!e) return ctx.error(err::kNoSuchKey);
  size_t serialized = e->type() == storage::Type::String ? e->string_length() + 1 : e->memory();
  uint32_t lru = e->lru();
  uint32_t clock = ctx.server.lru_clock();
  uint64_t idle = clock >= lru ? clock - lru : clock + (0xFFFFFFu - lru);
  ctx.reply().simple(fmt::format(
      "Value at:{} refcount:1 encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
      static_cast<const void*>(e), e->encoding_label(), serialized, lru, idle));
}

void debug_help(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DIGEST",
      "    Output a hex signature representing the current DB content.",
      "DIGEST-VALUE <key> [<key> ...]",
      "    Output a hex signature of the values of all the specified keys.",
      "LOG <message>",
      "    Write <message> to the server log.",
      "OBJECT <key>",
      "    Show low level info about the `key` and associated value.",
      "RELOAD [option ...]",
      "    Save the RDB on disk and reload it back to memory. Options: MERGE (not honoured: a",
      "    duplicate key fails the load), NOFLUSH (keep the current dataset), NOSAVE (load",
      "    the file as it is).",
      "SEGFAULT",
      "    Crash the server with sigsegv (tests the crash report).",
      "ASSERT",
      "    Crash the server with an assertion failure (tests the crash report).",
      "SET-ACTIVE-EXPIRE <0|1>",
      "    Setting it to 0 disables expiring keys in background when they are not accessed "
      "(otherwise the Redis behavior). Setting it to 1 reenables back the default.",
      "SLEEP <seconds>",
      "    Stop the server for <seconds>. Decimals allowed.",
      "HELP",
      "    Prints this help.",
  };
  reply_help(ctx, kLines);
}

// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the RDB, empty the dataset, load the RDB.
void debug_reload(CommandContext& ctx) {
  bool flush = true, save = true;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    std::string_view o = ctx.arg(j);
    if (arg_is(o, "noflush"))
      flush = false;
    else if (arg_is(o, "nosave"))
      save = false;
    else if (!arg_is(o, "merge"))
      return ctx.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
  }
  Server& s = ctx.server;
  if (save && !s.persistence().save()) return ctx.error("ERR");
  if (flush) {
    storage::Keyspace& ks = s.keyspace();
    for (int i = 0; i < ks.count(); ++i) {
      s.database_changed(i);
      ks.db(i).clear();
    }
    s.functions().flush();
  }
  std::string err = s.persistence().load();
  if (!err.empty()) {
    log(LogLevel::Warning, "Error loading the RDB: {}", err);
    return ctx.error("ERR Error trying to load the RDB dump, check server logs.");
  }
  log(LogLevel::Notice, "DB reloaded by DEBUG RELOAD");
  ctx.reply().ok();
}

void debug_cmd(CommandContext& ctx) {
  std::string_view sub = ctx.arg(1);
  if (arg_is(sub, "help")) return debug_help(ctx);
  if (arg_is(sub, "sleep") && ctx.argc() == 3) {
    double secs;
    if (!ctx.double_arg(2, &secs)) return;
    if (secs > 0)
      std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(secs * 1e6)));
    return ctx.reply().ok();
  }
  if (arg_is(sub, "set-active-expire") && ctx.argc() == 3) {
    int64_t v;
    if (!ctx.int_arg(2, &v)) return;
    ctx.server.set_active_expire(v != 0);
    return ctx.reply().ok();
  }
  if (arg_is(sub, "object")) return debug_object(ctx);
  if (arg_is(sub, "segfault")) {
    volatile int* p = nullptr;
    *p = 1;  // a real SIGSEGV, reported by the crash handler
  }
  if (arg_is(sub, "assert")) DQ_ASSERT(1 == 0);
  if (arg_is(sub, "digest") && ctx.argc() == 2) return debug_digest(ctx);
  if (arg_is(sub, "digest-value")) return debug_digest_value(ctx);
  if (arg_is(sub, "reload")) return debug_reload(ctx);
  if (arg_is(sub, "log") && ctx.argc() == 3) {
    log(LogLevel::Warning, "DEBUG LOG: {}", ctx.arg(2));
    return ctx.reply().ok();
  }
  ctx.error_fmt(err::kFmtUnknownSubcommand, sub.substr(0, 128), "DEBUG");
}

// ---------------------------------------------------------------------------------------
// MONITOR

void monitor_cmd(CommandContext& ctx) {
  Client& c = ctx.client;
  // Inside EXEC the client may not turn into a monitor (Redis: a DENY BLOCKING client).
  if (ctx.in_exec) return ctx.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
  if (c.monitor) return;  // Redis ignores a second MONITOR, without a reply
  c.monitor = true;
  ctx.server.monitors().push_back(&c);
  ctx.reply().ok();
}

constexpr uint32_t kAdm = kAdmin | kNoScript | kLoading | kStale;
constexpr uint32_t kAclAdm = kAclAdmin | kAclSlow | kAclDangerous;

constexpr CommandSpec kConfigSubs[] = {
    {"get",
     -3,
     kAdm,
     {},
     kAclAdm,
     "server",
     "Returns the effective values of configuration parameters.",
     "2.0.0",
     "O(N) when N is the number of configuration parameters provided",
     config_get_cmd,
     {},
     "parameter [parameter ...]"},
    {"help",
     2,
     kLoading | kStale,
     {},
     kAclSlow,
     "server",
     "Returns helpful text about the different subcommands.",
     "5.0.0",
     "O(1)",
     config_help_cmd,
     {},
     ""},
    {"resetstat",
     2,
     kAdm,
     {},
     kAclAdm,
     "server",
     "Resets the server's statistics.",
     "2.0.0",
     "O(1)",
     config_resetstat_cmd,
     {},
     ""},
    {"rewrite",
     2,
     kAdm,
     {},
     kAclAdm,
     "server",
     "Persists the effective configuration to file.",
     "2.8.0",
     "O(1)",
     config_rewrite_cmd,
     {},
     ""},
    {"set",
     -4,
     kAdm,
     {},
     kAclAdm,
     "server",
     "Sets configuration parameters in-flight.",
     "2.0.0",
     "O(N) when N is the number of configuration parameters provided",
     config_set_cmd,
     {},
     "parameter value [parameter value ...]",
     "request_policy:all_nodes response_policy:all_succeeded"},
};

void slowlog_get_cmd(CommandContext& ctx) {
  int64_t count = 10;
  if (ctx.argc() > 3) return ctx.syntax_error();
  if (ctx.argc() == 3 && (!protocol::parse_int64(ctx.arg(2), &count) || count < -1))
    return ctx.error("ERR count should be greater than or equal to -1");
  const auto& entries = ctx.server.slowlog().entries();
  size_t n = count < 0 ? entries.size() : std::min(entries.size(), static_cast<size_t>(count));
  auto& r = ctx.reply();
  r.array(n);
  for (size_t i = 0; i < n; ++i) {
    const SlowlogEntry& e = entries[i];
    r.array(6);
    r.integer(static_cast<int64_t>(e.id));
    r.integer(e.unix_time);
    r.integer(e.duration_us);
    r.array(e.args.size());
    for (const auto& a : e.args) r.bulk(a);
    r.bulk(e.peer);
    r.bulk(e.name);
  }
}

void slowlog_len_cmd(CommandContext& ctx) {
  ctx.reply().integer(static_cast<int64_t>(ctx.server.slowlog().entries().size()));
}

void slowlog_reset_cmd(CommandContext& ctx) {
  ctx.server.slowlog().reset();
  ctx.reply().ok();
}

void slowlog_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET [<count>]",
      "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
      "    Entries are made of:",
      "    id, timestamp, time in microseconds, arguments array, client IP and port,",
      "    client name",
      "LEN",
      "    Return the length of the slowlog.",
      "RESET",
      "    Reset the slowlog.",
      "HELP",
      "    Prints this help.",
  };
  reply_help(ctx, kLines);
}

constexpr uint32_t kSlowlogFlags = kAdmin | kLoading | kStale;

constexpr CommandSpec kSlowlogSubs[] = {
    {"get",
     -2,
     kSlowlogFlags,
     {},
     kAclAdm,
     "server",
     "Returns the slow log's entries.",
     "2.2.12",
     "O(N) where N is the number of entries returned",
     slowlog_get_cmd,
     {},
     "[count]",
     "request_policy:all_nodes nondeterministic_output"},
    {"help",
     2,
     kLoading | kStale,
     {},
     kAclSlow,
     "server",
     "Show helpful text about the different subcommands",
     "6.2.0",
     "O(1)",
     slowlog_help_cmd,
     {},
     ""},
    {"len",
     2,
     kSlowlogFlags,
     {},
     kAclAdm,
     "server",
     "Returns the number of entries in the slow log.",
     "2.2.12",
     "O(1)",
     slowlog_len_cmd,
     {},
     "",
     "request_policy:all_nodes response_policy:agg_sum nondeterministic_output"},
    {"reset",
     2,
     kSlowlogFlags,
     {},
     kAclAdm,
     "server",
     "Clears all entries from the slow log.",
     "2.2.12",
     "O(N) where N is the number of entries in the slowlog",
     slowlog_reset_cmd,
     {},
     "",
     "request_policy:all_nodes response_policy:all_succeeded"},
};

constexpr CommandSpec kServerCommands[] = {
    {"config",
     -2,
     0,
     {},
     kAclSlow,
     "server",
     "A container for server configuration commands.",
     "2.0.0",
     "Depends on subcommand.",
     nullptr,
     kConfigSubs,
     ""},
    {"slowlog",
     -2,
     0,
     {},
     kAclSlow,
     "server",
     "A container for slow log commands.",
     "2.2.12",
     "Depends on subcommand.",
     nullptr,
     kSlowlogSubs,
     ""},
    {"debug",
     -2,
     kAdm,
     {},
     kAclAdm,
     "server",
     "A container for debugging commands.",
     "1.0.0",
     "Depends on subcommand.",
     debug_cmd,
     {},
     "subcommand [arg [arg ...]]"},
    {"info",
     -1,
     kLoading | kStale,
     {},
     kAclSlow | kAclDangerous,
     "server",
     "Returns information and statistics about the server.",
     "1.0.0",
     "O(1)",
     info_cmd,
     {},
     "[section [section ...]]",
     "nondeterministic_output request_policy:all_shards response_policy:special"},
    {"role",
     1,
     kNoScript | kLoading | kStale | kFast,
     {},
     kAclAdmin | kAclFast | kAclDangerous,
     "server",
     "Returns the replication role.",
     "2.8.12",
     "O(1)",
     role_cmd,
     {},
     ""},
    {"lastsave",
     1,
     kLoading | kStale | kFast,
     {},
     kAclAdmin | kAclFast | kAclDangerous,
     "server",
     "Returns the Unix timestamp of the last successful save to disk.",
     "1.0.0",
     "O(1)",
     lastsave_cmd,
     {},
     "",
     "nondeterministic_output"},
    {"monitor",
     1,
     kAdm,
     {},
     kAclAdm,
     "server",
     "Listens for all requests received by the server in real-time.",
     "1.0.0",
     "",
     monitor_cmd,
     {},
     ""},
    {"shutdown",
     -1,
     kAdm | kNoMulti | kAllowBusy,
     {},
     kAclAdm,
     "server",
     "Synchronously saves the database(s) to disk and shuts down the Redis server.",
     "1.0.0",
     "O(N) when saving, where N is the total number of keys in all databases when saving data, "
     "otherwise O(1)",
     shutdown_cmd,
     {},
     "[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]"},
    {"time",
     1,
     kLoading | kStale | kFast,
     {},
     kAclFast,
     "server",
     "Returns the server time.",
     "2.6.0",
     "O(1)",
     time_cmd,
     {},
     "",
     "nondeterministic_output"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> server_commands() { return cmd::kServerCommands; }
}  // namespace dq::server
