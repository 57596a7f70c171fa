// stampede.cpp — the cache-stampede (singleflight) pattern, run against any Redis-protocol server.
//
// N clients (threads, one hiredis connection each) miss the same cache key K at the same instant
// (a barrier releases them together). Two ways to answer them:
//
//   lock mode   each client tries `SET lock:K <token> NX PX <lock-ms>`. The one that gets OK is the
//               holder: it computes (sleeps --compute-ms), writes `SET K value PX ttl`, wakes the
//               waiters, then releases the lock only if it still holds its own token
//               (WATCH lock:K / GET / compare / MULTI DEL EXEC: no scripting needed). Everyone
//               else blocks until woken instead of polling:
//                 --notify list    the waiter appends its id to the list waiters:K, re-reads K,
//                                  then BLPOPs its own list wake:K:<id>; the holder, after
//                                  writing K, takes waiters:K (MULTI LRANGE DEL EXEC) and pushes
//                                  one element to each waiter's list.
//                 --notify pubsub  the waiter SUBSCRIBEs to done:K (second connection) before it
//                                  looks at the lock or re-reads K; the holder PUBLISHes.
//               Both orders close the lost-wakeup race: the holder writes K before it reads the
//               waiter list / publishes, and a waiter re-reads K after it registered / subscribed,
//               so a waiter either sees K or is seen by the holder.
//               A waiter that times out (--wait-ms) re-reads K and retries the claim: if the
//               holder died, its lock expires after --lock-ms and one waiter takes over. A holder
//               whose lock expired mid-compute finds another token on release and leaves it alone.
//   naive mode  every client misses, computes and SETs: N computations of the same value.
//
// Prints, per mode: how many clients computed (lock mode: must be 1), the waiters' p50/p99
// time-to-result, the number of distinct results handed out, commands sent and wall time.
// Exit status: 0 ok, 1 lock mode computed != 1 in some round, 2 usage / connection / server error.
//
// Standalone: links hiredis and pthreads only, none of dq's layers.
#include <hiredis/hiredis.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

enum class Notify { List, PubSub };
// How the holder releases its lock (only if its own token still holds).
enum class Release { Watch, Script, DelIfEq };

struct Options {
  std::string host = "127.0.0.1";
  int port = 6379;
  int clients = 50;
  int compute_ms = 100;
  int lock_ms = 5000;
  int wait_ms = 1000;  // a waiter re-checks value and lock after this long without a wake-up
  int ttl_ms = 60000;  // TTL of the cached value
  int rounds = 1;
  Notify notify = Notify::List;
  Release release = Release::Watch;
  bool run_lock = true;
  bool run_naive = true;
  std::string prefix = "stampede";
};

constexpr const char* kUsage =
    "usage: stampede [options]\n"
    "  --host H            server address (default 127.0.0.1)\n"
    "  --port N            server port (default 6379)\n"
    "  --clients N         concurrent clients, one connection each (default 50)\n"
    "  --compute-ms N      how long the 'computation' takes (default 100)\n"
    "  --lock-ms N         lock lease: SET lock:K token NX PX N (default 5000)\n"
    "  --wait-ms N         waiter re-checks value/lock after N ms without a wake-up (default "
    "1000)\n"
    "  --ttl-ms N          TTL of the cached value (default 60000)\n"
    "  --notify list|pubsub  how waiters are woken (default list)\n"
    "  --release watch|script|delifeq  how the holder releases its own lock: WATCH/GET/MULTI\n"
    "                      DEL/EXEC, an EVAL compare-and-delete script, or DELIFEQ (default "
    "watch)\n"
    "  --rounds R          repeat R times with fresh keys, aggregate (default 1)\n"
    "  --lock-only         skip the naive run\n"
    "  --naive-only        skip the lock run\n"
    "  --prefix P          key prefix (default stampede)\n"
    "exit status: 0 ok, 1 lock mode computed != 1 in some round, 2 error\n";

[[noreturn]] void usage_error(const std::string& msg) {
  std::fprintf(stderr, "stampede: %s\n%s", msg.c_str(), kUsage);
  std::exit(2);
}

int parse_int(const std::string& name, const std::string& v, int lo, int hi) {
  char* end = nullptr;
  errno = 0;
  long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno != 0 || n < lo || n > hi) {
    usage_error(name + " wants an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                "], got '" + v + "'");
  }
  return static_cast<int>(n);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i], v;
    bool has_inline = false;
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
      v = a.substr(eq + 1);
      a = a.substr(0, eq);
      has_inline = true;
    }
    auto value = [&]() -> std::string {
      if (has_inline) return v;
      if (i + 1 >= argc) usage_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (a == "--host") {
      o.host = value();
    } else if (a == "--port") {
      o.port = parse_int(a, value(), 1, 65535);
    } else if (a == "--clients") {
      o.clients = parse_int(a, value(), 1, 10000);
    } else if (a == "--compute-ms") {
      o.compute_ms = parse_int(a, value(), 0, 3600000);
    } else if (a == "--lock-ms") {
      o.lock_ms = parse_int(a, value(), 1, 3600000);
    } else if (a == "--wait-ms") {
      o.wait_ms = parse_int(a, value(), 1, 3600000);
    } else if (a == "--ttl-ms") {
      o.ttl_ms = parse_int(a, value(), 1, 1000000000);
    } else if (a == "--rounds") {
      o.rounds = parse_int(a, value(), 1, 100000);
    } else if (a == "--notify") {
      std::string n = value();
      if (n == "list") {
        o.notify = Notify::List;
      } else if (n == "pubsub") {
        o.notify = Notify::PubSub;
      } else {
        usage_error("--notify wants list or pubsub, got '" + n + "'");
      }
    } else if (a == "--release") {
      std::string n = value();
      if (n == "watch") {
        o.release = Release::Watch;
      } else if (n == "script") {
        o.release = Release::Script;
      } else if (n == "delifeq") {
        o.release = Release::DelIfEq;
      } else {
        usage_error("--release wants watch, script or delifeq, got '" + n + "'");
      }
    } else if (a == "--lock-only") {
      o.run_naive = false;
    } else if (a == "--naive-only") {
      o.run_lock = false;
    } else if (a == "--prefix") {
      o.prefix = value();
    } else {
      usage_error("unknown option '" + a + "'");
    }
  }
  if (!o.run_lock && !o.run_naive) usage_error("--lock-only and --naive-only exclude each other");
  return o;
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// ---- one hiredis connection ------------------------------------------------------------------

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyFree>;

class Conn {
 public:
  Conn(const Options& o, int cmd_timeout_ms) {
    timeval tv{2, 0};
    ctx_ = redisConnectWithTimeout(o.host.c_str(), o.port, tv);
    if (ctx_ == nullptr || ctx_->err) {
      std::string why = ctx_ ? ctx_->errstr : "out of memory";
      if (ctx_) redisFree(ctx_);
      throw std::runtime_error("connect to " + o.host + ":" + std::to_string(o.port) + ": " + why);
    }
    timeval ct{cmd_timeout_ms / 1000, (cmd_timeout_ms % 1000) * 1000};
    redisSetTimeout(ctx_, ct);
  }
  ~Conn() { redisFree(ctx_); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Sends one command, returns its reply; a connection error or an error reply throws.
  ReplyPtr cmd(const std::vector<std::string>& args) {
    append(args);
    return reply();
  }
  void append(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lens.data()) !=
        REDIS_OK) {
      throw std::runtime_error(std::string("append: ") + ctx_->errstr);
    }
    last_cmd_ = args.empty() ? "" : args[0];
    commands_++;
  }
  ReplyPtr reply() {
    void* r = nullptr;
    if (redisGetReply(ctx_, &r) != REDIS_OK || r == nullptr) {
      throw std::runtime_error("connection error: " + std::string(ctx_->errstr));
    }
    ReplyPtr p(static_cast<redisReply*>(r));
    if (p->type == REDIS_REPLY_ERROR) {
      throw std::runtime_error("server replied to " + last_cmd_ + ": " +
                               std::string(p->str, p->len));
    }
    return p;
  }
  // Waits up to timeout_ms for one pushed reply (a pub/sub message); nullptr on timeout.
  ReplyPtr next_push(int timeout_ms) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (int done = 0; !done;) {  // first send what append() buffered
      if (redisBufferWrite(ctx_, &done) != REDIS_OK) {
        throw std::runtime_error("connection error: " + std::string(ctx_->errstr));
      }
    }
    for (;;) {
      void* r = nullptr;
      if (redisGetReplyFromReader(ctx_, &r) != REDIS_OK) {
        throw std::runtime_error("protocol error: " + std::string(ctx_->errstr));
      }
      if (r != nullptr) return ReplyPtr(static_cast<redisReply*>(r));
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return nullptr;
      pollfd pfd{ctx_->fd, POLLIN, 0};
      int n = ::poll(&pfd, 1, static_cast<int>(left.count()));
      if (n < 0 && errno != EINTR) throw std::runtime_error("poll failed");
      if (n > 0 && redisBufferRead(ctx_) != REDIS_OK) {
        throw std::runtime_error("connection error: " + std::string(ctx_->errstr));
      }
    }
  }
  int commands() const { return commands_; }

 private:
  redisContext* ctx_ = nullptr;
  std::string last_cmd_;
  int commands_ = 0;
};

bool is_str(const redisReply* r) {
  return r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS;
}

// ---- one round -------------------------------------------------------------------------------

enum class Role { Hit, Holder, Waiter, Naive };

struct ClientResult {
  Role role = Role::Waiter;
  double ms = 0;          // barrier release -> result in hand
  std::string value;      // what this client got
  int wakeups = 0;        // woken by the notify channel
  int timeouts = 0;       // waits that ended without a wake-up
  int notified = 0;       // holder: waiters it woke (list) / receivers of PUBLISH (pubsub)
  bool released = false;  // holder: DEL'ed its own lock (token still matched)
  int commands = 0;
  std::string error;
};

struct Round {
  const Options& opt;
  std::string key, lock_key, waiters_key, done_channel;
  std::atomic<int> computed{0};
  std::atomic<bool> failed{false};
  Clock::time_point start;
  std::vector<ClientResult> results;

  Round(const Options& o, std::string k)
      : opt(o),
        key(k),
        lock_key("lock:" + k),
        waiters_key("waiters:" + k),
        done_channel("done:" + k),
        results(o.clients) {}
  std::string wake_key(int id) const { return "wake:" + key + ":" + std::to_string(id); }
};

std::string compute(Round& rd, const std::string& who) {
  rd.computed.fetch_add(1);
  std::this_thread::sleep_for(std::chrono::milliseconds(rd.opt.compute_ms));
  return "value of " + rd.key + " computed by " + who;
}

void hold(Round& rd, int id, const std::string& token, Conn& c, Conn* sub, ClientResult& out) {
  const Options& o = rd.opt;
  out.role = Role::Holder;
  if (sub != nullptr) {  // the holder needs no wake-up: leave done:K so PUBLISH counts waiters
    sub->append({"UNSUBSCRIBE", rd.done_channel});
    for (;;) {
      auto r = sub->next_push(o.wait_ms + 10000);
      if (!r) throw std::runtime_error("no UNSUBSCRIBE confirmation");
      if (r->type == REDIS_REPLY_ARRAY && r->elements >= 1 &&
          std::string_view(r->element[0]->str, r->element[0]->len) == "unsubscribe") {
        break;
      }
    }
  }
  out.value = compute(rd, "client " + std::to_string(id));
  c.cmd({"SET", rd.key, out.value, "PX", std::to_string(o.ttl_ms)});
  out.ms = ms_since(rd.start);

  // Wake the waiters: K is already written, so whoever registers after this sees it on re-read.
  if (o.notify == Notify::List) {
    c.append({"MULTI"});
    c.append({"LRANGE", rd.waiters_key, "0", "-1"});
    c.append({"DEL", rd.waiters_key});
    c.append({"EXEC"});
    for (int i = 0; i < 3; i++) c.reply();
    auto exec = c.reply();
    std::vector<std::string> ids;
    if (exec->type == REDIS_REPLY_ARRAY && exec->elements == 2 &&
        exec->element[0]->type == REDIS_REPLY_ARRAY) {
      for (size_t i = 0; i < exec->element[0]->elements; i++) {
        auto* e = exec->element[0]->element[i];
        ids.emplace_back(e->str, e->len);
      }
    }
    for (const auto& w : ids) {  // pipelined: one round trip for all waiters
      std::string wk = "wake:" + rd.key + ":" + w;
      c.append({"RPUSH", wk, "1"});
      c.append({"PEXPIRE", wk, std::to_string(o.ttl_ms)});
    }
    for (size_t i = 0; i < ids.size() * 2; i++) c.reply();
    out.notified = static_cast<int>(ids.size());
  } else {
    auto r = c.cmd({"PUBLISH", rd.done_channel, "1"});
    out.notified = static_cast<int>(r->integer);
  }

  // Release only our own lock: if it expired and someone else claimed it, its token differs.
  if (rd.opt.release == Release::DelIfEq) {
    auto r = c.cmd({"DELIFEQ", rd.lock_key, token});
    out.released = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
    return;
  }
  if (rd.opt.release == Release::Script) {
    static const char* kRelease =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) "
        "else return 0 end";
    auto r = c.cmd({"EVAL", kRelease, "1", rd.lock_key, token});
    out.released = r->type == REDIS_REPLY_INTEGER && r->integer == 1;
    return;
  }
  c.cmd({"WATCH", rd.lock_key});
  auto cur = c.cmd({"GET", rd.lock_key});
  if (is_str(cur.get()) && std::string_view(cur->str, cur->len) == token) {
    c.append({"MULTI"});
    c.append({"DEL", rd.lock_key});
    c.append({"EXEC"});
    c.reply();
    c.reply();
    auto exec = c.reply();
    out.released = exec->type == REDIS_REPLY_ARRAY;  // nil: lock:K changed after our GET
  } else {
    c.cmd({"UNWATCH"});
  }
}

void lock_client(Round& rd, int id, const std::string& token, Conn& c, Conn* sub,
                 ClientResult& out) {
  const Options& o = rd.opt;
  auto hit = [&]() {
    auto r = c.cmd({"GET", rd.key});
    if (!is_str(r.get())) return false;
    out.value.assign(r->str, r->len);
    out.ms = ms_since(rd.start);
    return true;
  };
  if (hit()) {
    out.role = Role::Hit;
    return;
  }
  out.role = Role::Waiter;
  // A waiter that keeps timing out while someone else holds a live lock gives up eventually.
  auto give_up = Clock::now() + std::chrono::milliseconds(20LL * (o.lock_ms + o.wait_ms) + 10000);
  bool subscribed = false, registered = false;
  const std::string my_id = std::to_string(id);
  for (;;) {
    if (rd.failed.load()) throw std::runtime_error("another client failed");
    if (Clock::now() > give_up) throw std::runtime_error("waited too long for " + rd.key);
    if (sub != nullptr && !subscribed) {
      // Subscribe before looking at the lock: a PUBLISH from here on reaches us.
      sub->append({"SUBSCRIBE", rd.done_channel});
      auto r = sub->next_push(o.wait_ms + 10000);
      if (!r) throw std::runtime_error("no SUBSCRIBE confirmation");
      if (r->type == REDIS_REPLY_ERROR) {
        throw std::runtime_error("server replied to SUBSCRIBE: " + std::string(r->str, r->len));
      }
      subscribed = true;
      if (hit()) return;
    }
    auto claim = c.cmd({"SET", rd.lock_key, token, "NX", "PX", std::to_string(o.lock_ms)});
    if (claim->type == REDIS_REPLY_STATUS) return hold(rd, id, token, c, sub, out);
    if (sub == nullptr && !registered) {
      c.cmd({"RPUSH", rd.waiters_key, my_id});
      c.cmd({"PEXPIRE", rd.waiters_key, std::to_string(o.lock_ms + o.ttl_ms)});
      registered = true;
      if (hit()) return;  // the holder finished before we registered
    }
    bool woke = false;
    if (sub == nullptr) {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.3f", o.wait_ms / 1000.0);
      auto r = c.cmd({"BLPOP", rd.wake_key(id), secs});
      woke = r->type == REDIS_REPLY_ARRAY;
    } else {
      for (;;) {
        auto r = sub->next_push(o.wait_ms);
        if (!r) break;
        if (r->type == REDIS_REPLY_ARRAY && r->elements == 3 &&
            std::string_view(r->element[0]->str, r->element[0]->len) == "message") {
          woke = true;
          break;
        }
      }
    }
    woke ? out.wakeups++ : out.timeouts++;
    if (hit()) return;
    // Woken without a value, or timed out: the holder may be gone; its lock expires after
    // --lock-ms and the claim above is retried.
  }
}

void naive_client(Round& rd, int id, Conn& c, ClientResult& out) {
  auto r = c.cmd({"GET", rd.key});
  if (is_str(r.get())) {
    out.role = Role::Hit;
    out.value.assign(r->str, r->len);
    out.ms = ms_since(rd.start);
    return;
  }
  out.role = Role::Naive;
  out.value = compute(rd, "client " + std::to_string(id));
  c.cmd({"SET", rd.key, out.value, "PX", std::to_string(rd.opt.ttl_ms)});
  out.ms = ms_since(rd.start);
}

struct RoundSummary {
  int computed = 0;
  double wall_ms = 0;
  std::vector<ClientResult> results;
};

std::string random_hex(std::mt19937_64& rng) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

RoundSummary run_round(const Options& o, bool lock_mode, int round_no, std::mt19937_64& rng) {
  const int cmd_timeout_ms = o.wait_ms + o.compute_ms + 10000;
  std::string key = o.prefix + ":" + std::to_string(getpid()) + ":" + random_hex(rng).substr(0, 8) +
                    ":" + (lock_mode ? "lock" : "naive") + std::to_string(round_no);
  Round rd(o, key);
  bool pubsub = lock_mode && o.notify == Notify::PubSub;

  // Connect everyone first so that connection setup is not part of the measured stampede.
  std::vector<std::unique_ptr<Conn>> conns, subs;
  std::vector<std::string> tokens;
  for (int i = 0; i < o.clients; i++) {
    conns.push_back(std::make_unique<Conn>(o, cmd_timeout_ms));
    if (pubsub) subs.push_back(std::make_unique<Conn>(o, cmd_timeout_ms));
    tokens.push_back(random_hex(rng));
  }

  auto release = [&rd]() noexcept { rd.start = Clock::now(); };
  std::barrier sync(o.clients, release);
  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; i++) {
    threads.emplace_back([&, i]() {
      ClientResult& out = rd.results[i];
      sync.arrive_and_wait();
      try {
        if (lock_mode) {
          lock_client(rd, i, tokens[i], *conns[i], pubsub ? subs[i].get() : nullptr, out);
        } else {
          naive_client(rd, i, *conns[i], out);
        }
      } catch (const std::exception& e) {
        out.error = e.what();
        rd.failed.store(true);
      }
      out.commands = conns[i]->commands() + (pubsub ? subs[i]->commands() : 0);
    });
  }
  for (auto& t : threads) t.join();

  RoundSummary s;
  s.computed = rd.computed.load();
  for (const auto& r : rd.results) s.wall_ms = std::max(s.wall_ms, r.ms);
  s.results = std::move(rd.results);
  for (const auto& r : s.results) {
    if (!r.error.empty()) throw std::runtime_error(r.error);
  }

  // Clean up this round's keys (the value and wake lists carry TTLs anyway).
  std::vector<std::string> del = {"DEL", rd.key, rd.lock_key, rd.waiters_key};
  if (lock_mode && !pubsub) {
    for (int i = 0; i < o.clients; i++) del.push_back(rd.wake_key(i));
  }
  conns[0]->cmd(del);
  return s;
}

// ---- report ----------------------------------------------------------------------------------

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * v.size()));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

void report(const Options& o, bool lock_mode, const std::vector<RoundSummary>& rounds) {
  int computed = 0, holders = 0, waiters = 0, hits = 0, wakeups = 0, timeouts = 0, notified = 0,
      not_released = 0;
  long commands = 0;
  double wall = 0;
  std::vector<double> waiter_ms, holder_ms;
  size_t distinct_max = 0;
  for (const auto& rd : rounds) {
    computed += rd.computed;
    wall += rd.wall_ms;
    std::set<std::string> distinct;
    for (const auto& r : rd.results) {
      distinct.insert(r.value);
      commands += r.commands;
      wakeups += r.wakeups;
      timeouts += r.timeouts;
      if (r.role == Role::Holder || r.role == Role::Naive) {
        holders++;
        holder_ms.push_back(r.ms);
        notified += r.notified;
        if (r.role == Role::Holder && !r.released) not_released++;
      } else {
        waiters++;
        waiter_ms.push_back(r.ms);
        if (r.role == Role::Hit) hits++;
      }
    }
    distinct_max = std::max(distinct_max, distinct.size());
  }
  const int n = static_cast<int>(rounds.size());
  if (lock_mode) {
    std::printf(
        "lock mode (SET NX PX + notify=%s): %d clients, compute %d ms, lock %d ms, %d "
        "round(s)\n",
        o.notify == Notify::List ? "list" : "pubsub", o.clients, o.compute_ms, o.lock_ms, n);
  } else {
    std::printf("naive mode (no lock): %d clients, compute %d ms, %d round(s)\n", o.clients,
                o.compute_ms, n);
  }
  std::printf("  computed:            %d per round%s", n ? computed / n : 0,
              lock_mode ? " (must be 1)" : "");
  if (n > 1) {
    std::printf("   [");
    for (int i = 0; i < n; i++) std::printf(i ? " %d" : "%d", rounds[i].computed);
    std::printf("]");
  }
  std::printf("\n");
  if (lock_mode) {
    std::printf(
        "  holder:              time-to-result p50 %.1f ms; notified %d waiter(s); "
        "released own lock %d/%d\n",
        percentile(holder_ms, 50), notified, holders - not_released, holders);
    std::printf("  waiters:             %d (fast-path hits %d); woken %d, wait timeouts %d\n",
                waiters, hits, wakeups, timeouts);
    std::printf("  waiter time-to-result: p50 %.1f ms  p99 %.1f ms  max %.1f ms\n",
                percentile(waiter_ms, 50), percentile(waiter_ms, 99), percentile(waiter_ms, 100));
  } else {
    std::printf("  time-to-result:      p50 %.1f ms  p99 %.1f ms  max %.1f ms\n",
                percentile(holder_ms, 50), percentile(holder_ms, 99), percentile(holder_ms, 100));
  }
  std::printf("  distinct results:    %zu (max per round)\n", distinct_max);
  std::printf("  compute time spent:  %ld ms per round\n",
              n ? static_cast<long>(computed) * o.compute_ms / n : 0L);
  std::printf("  commands sent:       %.1f per client\n",
              o.clients && n ? static_cast<double>(commands) / (o.clients * n) : 0.0);
  std::printf("  wall time:           %.1f ms per round (%.1f ms total)\n", n ? wall / n : 0.0,
              wall);
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse_options(argc, argv);
  std::mt19937_64 rng(std::random_device{}());
  int status = 0;
  try {
    if (o.run_lock) {
      std::vector<RoundSummary> rounds;
      for (int i = 0; i < o.rounds; i++) rounds.push_back(run_round(o, true, i, rng));
      report(o, true, rounds);
      for (const auto& r : rounds) {
        if (r.computed != 1) status = 1;
      }
      if (status) std::printf("FAIL: lock mode computed != 1 in some round\n");
    }
    if (o.run_naive) {
      std::vector<RoundSummary> rounds;
      for (int i = 0; i < o.rounds; i++) rounds.push_back(run_round(o, false, i, rng));
      report(o, false, rounds);
    }
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "stampede: %s\n", e.what());
    return 2;
  }
  return status;
}
