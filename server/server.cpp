#include "server/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <random>

#include "server/functions.h"
#include "server/log.h"
#include "server/persistence.h"
#include "server/scripting.h"

namespace dq::server {

namespace {
constexpr int kMaxIov = 64;
constexpr size_t kBusyReadChunk = 16 * 1024;  // read size while a script is busy

std::string sockaddr_to_string(const sockaddr_storage& ss) {
  char ip[INET6_ADDRSTRLEN] = {0};
  int port = 0;
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    uv_ip4_name(a, ip, sizeof(ip));
    port = ntohs(a->sin_port);
    return fmt::format("{}:{}", ip, port);
  }
  if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    uv_ip6_name(a, ip, sizeof(ip));
    port = ntohs(a->sin6_port);
    return fmt::format("{}:{}", ip, port);
  }
  return "";
}

bool is_loopback(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
  }
  if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    return IN6_IS_ADDR_LOOPBACK(&a->sin6_addr) ||
           (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) && a->sin6_addr.s6_addr[12] == 127);
  }
  return true;
}

constexpr std::string_view kProtectedModeError =
    "-DENIED Redis is running in protected mode because protected mode is enabled and no "
    "password is set for the default user. In this mode connections are only accepted from the "
    "loopback interface. If you want to connect from external computers to Redis you may adopt "
    "one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG "
    "SET protected-mode no' from the loopback interface by connecting to Redis from the same host "
    "the server is running, however MAKE SURE Redis is not publicly accessible from internet if "
    "you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just "
    "disable the protected mode by editing the Redis configuration file, and setting the "
    "protected mode option to 'no', and then restarting the server. 3) If you started the server "
    "manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an "
    "authentication password for the default user. NOTE: You only need to do one of the above "
    "things in order for the server to start accepting connections from the outside.\r\n";
}  // namespace

// libuv callbacks, as static members of a friend so they reach Server's internals.
struct ServerCallbacks {
  static void on_tcp_connection(uv_stream_t* l, int status) {
    if (status < 0) return;
    static_cast<Server*>(l->data)->on_connection(l, ClientKind::Tcp);
  }
  static void on_unix_connection(uv_stream_t* l, int status) {
    if (status < 0) return;
    static_cast<Server*>(l->data)->on_connection(l, ClientKind::Unix);
  }
  static void alloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
    auto* c = static_cast<Client*>(h->data);
    size_t pending = c->qlen - c->qpos;
    size_t want = c->parser.wanted() > pending ? c->parser.wanted() - pending : 0;
    c->reserve_query(want);
    buf->base = c->qbuf + c->qlen;
    buf->len = c->qcap - c->qlen;
  }
  static void read(uv_stream_t* s, ssize_t nread, const uv_buf_t*) {
    auto* c = static_cast<Client*>(s->data);
    c->server->on_read(c, nread);
  }
  static void written(uv_write_t* req, int status) {
    auto* c = static_cast<Client*>(req->data);
    c->out.consume(c->writing_bytes);
    c->writing_bytes = 0;
    if (c->closing) return;
    if (status < 0) {
      c->server->close_client(c);
      return;
    }
    c->server->flush(c);
  }
  static void closed(uv_handle_t* h) {
    auto* c = static_cast<Client*>(h->data);
    delete c;
  }
  static void cron(uv_timer_t* t) { static_cast<Server*>(t->data)->cron(); }
  static void pause_ended(uv_timer_t* t) { static_cast<Server*>(t->data)->unpause_clients(); }
  // An active idle handle makes libuv poll without sleeping; yielding lets a process that shares
  // this CPU (a client on the same host) run first.
  static void spin(uv_idle_t*) { sched_yield(); }
  static void before_sleep(uv_prepare_t* p) { static_cast<Server*>(p->data)->before_sleep(); }
  static void signal(uv_signal_t* s, int signum) {
    log(LogLevel::Warning, "Received {} scheduling shutdown...",
        signum == SIGINT ? "SIGINT" : "SIGTERM");
    auto* srv = static_cast<Server*>(s->data);
    // With save points configured, save first; if that fails, keep running.
    Persistence& p = srv->persistence();
    if (!p.prepare_for_shutdown(p.has_save_points(), false)) return;
    srv->shutdown(true);
  }
  static void close_noop(uv_handle_t*) {}
  static void close_free_tcp(uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); }
  static void close_free_pipe(uv_handle_t* h) { delete reinterpret_cast<uv_pipe_t*>(h); }
};

Server::Server(Config cfg) : cfg_(std::move(cfg)), loop_(uv_default_loop()) {
  std::random_device rd;
  uint64_t seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  storage::set_hash_seed(seed);
  keyspace_ = std::make_unique<storage::Keyspace>(cfg_.databases, this);
  scripts_ = std::make_unique<ScriptEngine>(*this);
  functions_ = std::make_unique<FunctionEngine>(*scripts_);
  persistence_ = std::make_unique<Persistence>(*this);
  static const char* hex = "0123456789abcdef";
  for (int i = 0; i < 40; ++i) run_id_ += hex[rd() & 15];
  start_ms_ = now_ms();
  persistence_->set_last_save_unix(start_ms_ / 1000);
  lru_clock_ = static_cast<uint32_t>((start_ms_ / 1000) & 0xFFFFFF);
  storage::set_lru_clock(lru_clock_);
  storage::set_lfu_minutes(static_cast<uint16_t>((start_ms_ / 60000) & 0xFFFF));
  apply_access_policy();
}

Server::~Server() = default;

int64_t Server::last_save_unix() const { return persistence_->last_save_unix(); }

int64_t Server::monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

int64_t Server::now_ms() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string Server::start() {
  if (cfg_.port > 0) {
    for (const std::string& spec : cfg_.bind) {
      bool optional = !spec.empty() && spec[0] == '-';
      std::string addr = optional ? spec.substr(1) : spec;
      bool v6 = addr.find(':') != std::string::npos;
      if (addr == "*") addr = "0.0.0.0";
      if (addr == "::*") addr = "::";
      sockaddr_storage ss{};
      int r = v6 ? uv_ip6_addr(addr.c_str(), cfg_.port, reinterpret_cast<sockaddr_in6*>(&ss))
                 : uv_ip4_addr(addr.c_str(), cfg_.port, reinterpret_cast<sockaddr_in*>(&ss));
      if (r != 0) {
        if (optional) continue;
        return fmt::format("Invalid bind address '{}'", addr);
      }
      auto* t = new uv_tcp_t;
      uv_tcp_init(loop_, t);
      t->data = this;
      r = uv_tcp_bind(t, reinterpret_cast<sockaddr*>(&ss), v6 ? UV_TCP_IPV6ONLY : 0);
      if (r == 0)
        r = uv_listen(reinterpret_cast<uv_stream_t*>(t), cfg_.tcp_backlog,
                      ServerCallbacks::on_tcp_connection);
      if (r != 0) {
        uv_close(reinterpret_cast<uv_handle_t*>(t), ServerCallbacks::close_free_tcp);
        if (optional && (r == UV_EADDRNOTAVAIL || r == UV_EAFNOSUPPORT || r == UV_EPROTONOSUPPORT))
          continue;
        return fmt::format("Warning: Could not create server TCP listening socket {}:{}: {}", addr,
                           cfg_.port, uv_strerror(r));
      }
      tcp_listeners_.push_back(t);
    }
  }
  if (!cfg_.unixsocket.empty()) {
    unlink(cfg_.unixsocket.c_str());
    unix_listener_ = new uv_pipe_t;
    uv_pipe_init(loop_, unix_listener_, 0);
    unix_listener_->data = this;
    int r = uv_pipe_bind(unix_listener_, cfg_.unixsocket.c_str());
    if (r == 0 && cfg_.unixsocketperm) chmod(cfg_.unixsocket.c_str(), cfg_.unixsocketperm);
    if (r == 0)
      r = uv_listen(reinterpret_cast<uv_stream_t*>(unix_listener_), cfg_.tcp_backlog,
                    ServerCallbacks::on_unix_connection);
    if (r != 0) return fmt::format("Failed opening Unix socket: {}", uv_strerror(r));
  }
  if (tcp_listeners_.empty() && !unix_listener_)
    return "Failed listening on port " + std::to_string(cfg_.port) + " (tcp), aborting.";

  if (!cfg_.pidfile.empty()) {
    std::ofstream f(cfg_.pidfile);
    f << getpid() << "\n";
  }

  uv_timer_init(loop_, &cron_timer_);
  cron_timer_.data = this;
  uv_timer_start(&cron_timer_, ServerCallbacks::cron, 1000 / cfg_.hz, 1000 / cfg_.hz);
  uv_prepare_init(loop_, &before_sleep_);
  before_sleep_.data = this;
  uv_prepare_start(&before_sleep_, ServerCallbacks::before_sleep);
  uv_idle_init(loop_, &spin_idle_);
  spin_idle_.data = this;
  uv_timer_init(loop_, &pause_timer_);
  pause_timer_.data = this;
  uv_timer_init(loop_, &evict_timer_);
  evict_timer_.data = this;
  blocking_.start(loop_);
  uv_signal_init(loop_, &sigterm_);
  sigterm_.data = this;
  uv_signal_start(&sigterm_, ServerCallbacks::signal, SIGTERM);
  uv_signal_init(loop_, &sigint_);
  sigint_.data = this;
  uv_signal_start(&sigint_, ServerCallbacks::signal, SIGINT);
  log(LogLevel::Notice, "Server initialized");
  log(LogLevel::Notice, "Ready to accept connections tcp");
  return "";
}

int Server::run() {
  uv_run(loop_, UV_RUN_DEFAULT);
  return 0;
}

void Server::shutdown(bool from_signal) {
  if (shutting_down_) return;
  shutting_down_ = true;
  if (!from_signal) log(LogLevel::Warning, "User requested shutdown...");
  persistence_->kill_child();
  std::vector<Client*> all;
  for (auto& [id, c] : clients_) all.push_back(c);
  for (Client* c : all) close_client(c);
  for (uv_tcp_t* t : tcp_listeners_)
    uv_close(reinterpret_cast<uv_handle_t*>(t), ServerCallbacks::close_free_tcp);
  tcp_listeners_.clear();
  if (unix_listener_) {
    uv_close(reinterpret_cast<uv_handle_t*>(unix_listener_), ServerCallbacks::close_free_pipe);
    unix_listener_ = nullptr;
    unlink(cfg_.unixsocket.c_str());
  }
  if (!cfg_.pidfile.empty()) {
    log(LogLevel::Notice, "Removing the pid file.");
    unlink(cfg_.pidfile.c_str());
  }
  uv_timer_stop(&cron_timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&cron_timer_), ServerCallbacks::close_noop);
  blocking_.stop();
  uv_prepare_stop(&before_sleep_);
  uv_close(reinterpret_cast<uv_handle_t*>(&before_sleep_), ServerCallbacks::close_noop);
  uv_timer_stop(&pause_timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&pause_timer_), ServerCallbacks::close_noop);
  uv_timer_stop(&evict_timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&evict_timer_), ServerCallbacks::close_noop);
  uv_idle_stop(&spin_idle_);  // an active spin would keep the loop from ending
  uv_close(reinterpret_cast<uv_handle_t*>(&spin_idle_), ServerCallbacks::close_noop);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigterm_), ServerCallbacks::close_noop);
  uv_close(reinterpret_cast<uv_handle_t*>(&sigint_), ServerCallbacks::close_noop);
  log(LogLevel::Warning, "dq is now ready to exit, bye bye...");
}

Client* Server::client_by_id(uint64_t id) const {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second;
}

Client* Server::new_client(ClientKind kind) {
  auto* c = new Client(this, kind);
  int r;
  if (kind == ClientKind::Tcp)
    r = uv_tcp_init(loop_, &c->handle.tcp);
  else
    r = uv_pipe_init(loop_, &c->handle.pipe, 0);
  if (r != 0) {
    delete c;  // the handle was never registered with the loop
    return nullptr;
  }
  c->handle.tcp.data = c;
  return c;
}

void Server::on_connection(uv_stream_t* listener, ClientKind kind) {
  Client* c = new_client(kind);
  if (!c) return;
  if (uv_accept(listener, c->stream()) != 0) {
    uv_close(c->uvhandle(), ServerCallbacks::closed);
    return;
  }
  register_client(c, kind);
}

void Server::adopt_connection(int fd, ClientKind kind) {
  Client* c = new_client(kind);
  int r = -1;
  if (c && kind == ClientKind::Tcp)
    r = uv_tcp_open(&c->handle.tcp, fd);
  else if (c)
    r = uv_pipe_open(&c->handle.pipe, fd);
  if (r != 0) {
    ::close(fd);
    if (c) uv_close(c->uvhandle(), ServerCallbacks::closed);
    return;
  }
  register_client(c, kind);
}

void Server::serve_while_busy(Client* caller) {
  cached_now_ms_ = now_ms();
  TimeFreeze real_time(*this, -1);  // other clients live in real time, not the script's
  // Other clients' commands are top-level commands of their own (tracking's current client).
  struct Running {
    Server& s;
    Client* current = s.current_client_;
    Client* executing = s.executing_client_;
    ~Running() {
      s.current_client_ = current;
      s.executing_client_ = executing;
    }
  } running{*this};
  current_client_ = executing_client_ = nullptr;
  std::vector<pollfd> fds;
  std::vector<Client*> polled;
  std::vector<ClientKind> kinds;  // of the listeners
  auto listen_fd = [&](uv_handle_t* h, ClientKind kind) {
    uv_os_fd_t fd;
    if (uv_fileno(h, &fd) != 0) return;
    fds.push_back({fd, POLLIN, 0});
    polled.push_back(nullptr);
    kinds.push_back(kind);
  };
  for (uv_tcp_t* t : tcp_listeners_) listen_fd(reinterpret_cast<uv_handle_t*>(t), ClientKind::Tcp);
  if (unix_listener_) listen_fd(reinterpret_cast<uv_handle_t*>(unix_listener_), ClientKind::Unix);
  size_t listeners = fds.size();
  for (auto& [id, c] : clients_) {
    if (c == caller || c->closing || c->fd < 0) continue;
    fds.push_back({c->fd, POLLIN, 0});
    polled.push_back(c);
  }
  // Replies made before the script started (clients served earlier in the same loop iteration)
  // leave now: their clients must not wait for the script to end.
  flush_pending(caller);
  if (::poll(fds.data(), fds.size(), 0) <= 0) return;
  for (size_t i = 0; i < listeners; ++i) {
    if (!(fds[i].revents & POLLIN)) continue;
    for (;;) {
      int fd = ::accept4(fds[i].fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) break;
      adopt_connection(fd, kinds[i]);
    }
  }
  for (size_t i = listeners; i < fds.size(); ++i) {
    Client* c = polled[i];
    if (!fds[i].revents || c->closing) continue;
    c->reserve_query(kBusyReadChunk);
    ssize_t n = ::read(c->fd, c->qbuf + c->qlen, c->qcap - c->qlen);
    if (n > 0) {
      on_read(c, n);
    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
      close_client(c);
      continue;
    }
    if (!c->closing && !c->out.empty()) flush(c);
  }
}

void Server::register_client(Client* c, ClientKind kind) {
  uv_os_fd_t fd;
  if (uv_fileno(c->uvhandle(), &fd) == 0) c->fd = fd;
  bool loopback = true;
  if (kind == ClientKind::Tcp) {
    uv_tcp_nodelay(&c->handle.tcp, 1);
    if (cfg_.tcp_keepalive > 0) uv_tcp_keepalive(&c->handle.tcp, 1, cfg_.tcp_keepalive);
    sockaddr_storage ss{};
    int len = sizeof(ss);
    if (uv_tcp_getpeername(&c->handle.tcp, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
      c->addr = sockaddr_to_string(ss);
      loopback = is_loopback(ss);
    }
    len = sizeof(ss);
    if (uv_tcp_getsockname(&c->handle.tcp, reinterpret_cast<sockaddr*>(&ss), &len) == 0)
      c->laddr = sockaddr_to_string(ss);
  } else {
    c->addr = "/unixsocket:0";
    c->laddr = cfg_.unixsocket + ":0";
  }
  ++stats_.total_connections;
  // Refusals are written straight to the socket, as Redis does, then the client is closed.
  auto refuse = [&](std::string_view msg) {
    uv_buf_t b = uv_buf_init(const_cast<char*>(msg.data()), static_cast<unsigned>(msg.size()));
    uv_try_write(c->stream(), &b, 1);
    ++stats_.rejected_connections;
    uv_close(c->uvhandle(), ServerCallbacks::closed);
  };
  if (clients_.size() >= static_cast<size_t>(cfg_.maxclients)) {
    refuse("-ERR max number of clients reached\r\n");
    return;
  }
  if (cfg_.protected_mode && cfg_.requirepass.empty() && !loopback) {
    refuse(kProtectedModeError);
    return;
  }
  c->local = loopback;
  c->id = next_client_id_++;
  c->ctime_ms = c->last_interaction_ms = now_ms();
  c->db = &keyspace_->db(0);
  c->authenticated = cfg_.requirepass.empty();
  clients_.emplace(c->id, c);
  uv_read_start(c->stream(), ServerCallbacks::alloc, ServerCallbacks::read);
}

void Server::on_read(Client* c, ssize_t nread) {
  if (nread < 0) {
    close_client(c);
    return;
  }
  if (nread == 0) return;
  c->qlen += static_cast<size_t>(nread);
  c->net_input_bytes += static_cast<uint64_t>(nread);
  stats_.net_input_bytes += static_cast<uint64_t>(nread);
  c->last_interaction_ms = cached_now_ms_;
  if (!read_this_iteration_) {
    read_this_iteration_ = true;
    if (cfg_.loop_spin_us > 0) idle_spin_.on_work(monotonic_ns());
  }
  process_input(c);
}

void Server::process_input(Client* c) {
  protocol::ParserLimits limits;
  limits.max_bulk_len = cfg_.proto_max_bulk_len;
  while (!c->closing && !c->close_after_reply && !c->blocked && !c->postponed &&
         c->qpos < c->qlen) {
    limits.auth_required = !c->authenticated;
    auto r = c->parser.parse(c->qbuf + c->qpos, c->qlen - c->qpos, limits);
    if (r == protocol::ParseResult::Incomplete) break;
    if (r == protocol::ParseResult::Error) {
      log(LogLevel::Verbose, "Protocol error ({}) from client: id={} addr={}", c->parser.error(),
          c->id, c->addr);
      count_error(c->parser.error());
      c->reply.error(c->parser.error());
      close_client_after_reply(c);
      break;
    }
    size_t consumed = c->parser.consumed();
    const auto& args = c->parser.args();
    if (!args.empty()) dispatch(c, args);
    c->qpos += consumed;
  }
  if (c->qpos == c->qlen) c->qpos = c->qlen = 0;
  // The query buffer limit counts what one client makes us hold (including a big bulk the
  // parser is waiting for).
  size_t held = std::max(c->qlen - c->qpos, c->parser.wanted());
  if (!c->closing && held > static_cast<size_t>(cfg_.client_query_buffer_limit)) {
    log(LogLevel::Warning,
        "Closing client that reached max query buffer length: id={} addr={} qbuf={}", c->id,
        c->addr, held);
    ++stats_.client_qbuf_limit_disconnections;
    close_client(c);
    return;
  }
  if (!c->out.empty()) queue_write(c);
}

void Server::queue_write(Client* c) {
  if (c->closing) return;
  check_output_limits(c);
  if (c->closing || c->pending_write) return;
  c->pending_write = true;
  pending_.push_back(c);
}

void Server::check_output_limits(Client* c) {
  bool pubsub = c->sub_channels + c->sub_patterns + c->sub_shard > 0;
  const Config::ObufLimit& l = pubsub ? cfg_.obuf_pubsub : cfg_.obuf_normal;
  if (l.hard == 0 && l.soft == 0) return;
  // Redis leaves its 16 KiB static reply buffer out of the count: so does dq with its first
  // block, so `normal 16kb` means 16 KiB beyond what every client has anyway.
  size_t used = c->out.memory();
  used = used > protocol::OutputBuffer::kBlockSize ? used - protocol::OutputBuffer::kBlockSize : 0;
  bool over = false;
  if (l.hard > 0 && used >= static_cast<size_t>(l.hard)) over = true;
  if (!over && l.soft > 0 && used >= static_cast<size_t>(l.soft)) {
    int64_t now = now_ms();
    if (c->obuf_soft_since_ms == 0)
      c->obuf_soft_since_ms = now;
    else if (now - c->obuf_soft_since_ms >= static_cast<int64_t>(l.seconds) * 1000)
      over = true;
  } else if (!over) {
    c->obuf_soft_since_ms = 0;
  }
  if (over) {
    log(LogLevel::Warning,
        "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
        c->id, c->addr);
    ++stats_.client_obuf_limit_disconnections;
    close_client(c);
  }
}

void Server::before_sleep() {
  cached_now_ms_ = now_ms();
  if (pause_end_ms_ == 0 && !postponed_.empty()) resume_postponed();
  // Keys made ready outside a command (active expiry in the cron) wake their waiters.
  if (blocking_.has_ready()) blocking_.serve_ready();
  // Clients released from BLPOP & co. resume their pipelined input.
  for (int round = 0; round < 16; ++round) {
    std::vector<Client*> resumed = blocking_.take_unblocked();
    if (resumed.empty()) break;
    for (Client* c : resumed)
      if (!c->closing && !c->blocked && c->qpos < c->qlen) process_input(c);
  }
  // BCAST tracking: the keys modified during this iteration, one message per prefix.
  if (tracking_.enabled()) tracking_.broadcast();
  flush_pending(nullptr);
  update_spin();
}

void Server::update_spin() {
  // Poll instead of sleeping while requests keep arriving within loop-spin-us (IdleSpin).
  bool spinning = uv_is_active(reinterpret_cast<uv_handle_t*>(&spin_idle_));
  bool spin = false;
  if (cfg_.loop_spin_us > 0 || spinning) {
    idle_spin_.set_window_ns(cfg_.loop_spin_us * 1000);
    spin = idle_spin_.before_wait(monotonic_ns(), read_this_iteration_);
  }
  read_this_iteration_ = false;
  if (spin == spinning) return;
  if (spin)
    uv_idle_start(&spin_idle_, ServerCallbacks::spin);
  else
    uv_idle_stop(&spin_idle_);
}

void Server::flush_pending(Client* except) {
  // Flush every client that got replies during this iteration, most recent first (as Redis):
  // a publisher's or producer's own reply leaves before the fan-out it caused, so its next
  // batch is already on its way while the subscribers' writes go out. `except` (a busy
  // script's caller) keeps its pending replies until the script has ended.
  bool kept = false;
  for (size_t i = pending_.size(); i-- > 0;) {
    Client* c = pending_[i];
    if (c == except) {
      kept = true;
      continue;
    }
    c->pending_write = false;
    if (!c->closing) flush(c);
  }
  pending_.clear();
  if (kept) pending_.push_back(except);
}

void Server::flush(Client* c) {
  if (c->closing || c->writing_bytes > 0) return;
  if (c->out.empty()) {
    if (c->close_after_reply) close_client(c);
    return;
  }
  iovec iov[kMaxIov];
  int n = c->out.export_iov(iov, kMaxIov);
  // uv_buf_t is laid out as struct iovec on Unix.
  auto* bufs = reinterpret_cast<uv_buf_t*>(iov);
  int r = uv_try_write(c->stream(), bufs, n);
  if (r > 0) {
    c->out.consume(static_cast<size_t>(r));
    c->net_output_bytes += static_cast<uint64_t>(r);
    stats_.net_output_bytes += static_cast<uint64_t>(r);
  } else if (r < 0 && r != UV_EAGAIN) {
    close_client(c);
    return;
  }
  if (c->out.empty()) {
    if (c->close_after_reply) close_client(c);
    return;
  }
  // The rest goes out with one uv_write in flight; replies appended meanwhile follow it.
  n = c->out.export_iov(iov, kMaxIov);
  size_t total = 0;
  for (int i = 0; i < n; ++i) total += iov[i].iov_len;
  c->writing_bytes = total;
  c->net_output_bytes += total;
  stats_.net_output_bytes += total;
  if (uv_write(&c->write_req, c->stream(), bufs, n, ServerCallbacks::written) != 0) {
    c->writing_bytes = 0;
    close_client(c);
  }
}

void Server::close_client_after_reply(Client* c) {
  c->close_after_reply = true;
  queue_write(c);
}

void Server::close_client(Client* c) {
  if (c->closing) return;
  c->closing = true;
  clients_.erase(c->id);
  if (c->monitor)
    monitors_.erase(std::remove(monitors_.begin(), monitors_.end(), c), monitors_.end());
  if (c->pending_write) {
    pending_.erase(std::remove(pending_.begin(), pending_.end(), c), pending_.end());
    c->pending_write = false;
  }
  free_client(c);
  uv_read_stop(c->stream());
  uv_close(c->uvhandle(), ServerCallbacks::closed);
}

void Server::free_client(Client* c) {
  // Subsystems release the client's state here; nothing may point at it afterwards.
  if (c->postponed)
    postponed_.erase(std::remove(postponed_.begin(), postponed_.end(), c), postponed_.end());
  blocking_.unblock(c);
  blocking_.forget_unblocked(c);
  discard_transaction(c);
  unwatch_all(c);
  pubsub_.forget(*c);
  tracking_.disable(*c);
}

void Server::pause_clients(int64_t timeout_ms, bool all) {
  int64_t end = now_ms() + timeout_ms;
  pause_all_ = pause_all_ || all;
  if (end <= pause_end_ms_) return;
  pause_end_ms_ = end;
  uv_timer_start(&pause_timer_, ServerCallbacks::pause_ended, static_cast<uint64_t>(timeout_ms), 0);
}

void Server::unpause_clients() {
  // The held clients run from before_sleep (resume_postponed), not from inside the command
  // or timer that ended the pause.
  uv_timer_stop(&pause_timer_);
  pause_end_ms_ = 0;
  pause_all_ = false;
}

void Server::resume_postponed() {
  std::vector<Client*> held;
  held.swap(postponed_);
  for (size_t i = 0; i < held.size(); ++i) {
    Client* c = held[i];
    if (c->closing) continue;
    c->postponed = false;
    std::vector<std::string> owned;
    owned.swap(c->postponed_args);
    std::vector<std::string_view> args(owned.begin(), owned.end());
    dispatch(c, args);  // may be held again by a pause it, or one before it, started
    if (!c->closing && !c->blocked && !c->postponed) process_input(c);
    if (!c->closing && !c->out.empty()) queue_write(c);
  }
}

void Server::watch_key(Client* c, int db, std::string_view key) {
  for (const auto& w : c->watched)
    if (w.first == db && w.second == key) return;
  c->watched.emplace_back(db, std::string(key));
  watched_[{db, std::string(key)}].push_back(c);
  c->watch_count = c->watched.size();
}

void Server::unwatch_all(Client* c) {
  for (const auto& w : c->watched) {
    auto it = watched_.find(w);
    if (it == watched_.end()) continue;
    auto& v = it->second;
    v.erase(std::remove(v.begin(), v.end(), c), v.end());
    if (v.empty()) watched_.erase(it);
  }
  c->watched.clear();
  c->watch_count = 0;
  c->dirty_cas = false;
}

void Server::database_changed(int db, const storage::Db* also) {
  storage::Db& d = keyspace_->db(db);
  int64_t now = now_ms();
  for (auto& [k, clients] : watched_) {
    if (k.first != db) continue;
    bool present =
        d.find(k.second, now) || (also && const_cast<storage::Db*>(also)->find(k.second, now));
    if (present)
      for (Client* c : clients) c->dirty_cas = true;
  }
  blocking_.signal_db(db);
}

void Server::discard_transaction(Client* c) {
  c->in_multi = false;
  c->multi_error = false;
  c->queued.clear();
  c->multi_count = 0;
}

void Server::count_error(std::string_view msg) {
  ++stats_.total_error_replies;
  size_t sp = msg.find(' ');
  std::string code(msg.substr(0, sp == std::string_view::npos ? msg.size() : sp));
  if (code.size() > 32) code.resize(32);
  ++stats_.error_codes[code];
}

void Server::cron() {
  int64_t now = now_ms();
  ++cron_loops_;
  lru_clock_ = static_cast<uint32_t>((now / 1000) & 0xFFFFFF);
  storage::set_lru_clock(lru_clock_);
  storage::set_lfu_minutes(static_cast<uint16_t>((now / 60000) & 0xFFFF));

  // Instantaneous ops/sec, sampled every 100 ms.
  if (now - static_cast<int64_t>(stats_.last_sample_ms) >= 100) {
    uint64_t dt = now - stats_.last_sample_ms;
    uint64_t dc = stats_.total_commands - stats_.last_sample_cmds;
    if (stats_.last_sample_ms) stats_.ops_per_sec = dc * 1000.0 / dt;
    stats_.last_sample_ms = now;
    stats_.last_sample_cmds = stats_.total_commands;
  }

  // Idle clients, oversized idle query buffers.
  std::vector<Client*> idle;
  for (auto& [id, c] : clients_) {
    bool subscribed = c->sub_channels + c->sub_patterns + c->sub_shard > 0;
    if (cfg_.timeout > 0 && !subscribed && !c->monitor &&
        now - c->last_interaction_ms > static_cast<int64_t>(cfg_.timeout) * 1000)
      idle.push_back(c);
    else
      c->shrink_query_if_idle();
  }
  for (Client* c : idle) {
    log(LogLevel::Verbose, "Closing idle client");
    close_client(c);
  }

  // Active expiry: a quarter of the cron period at most (Redis's slow cycle budget).
  int64_t period_us = 1000000 / cfg_.hz;
  if (active_expire_enabled_)
    active_expire(period_us * (25 + 2 * (cfg_.active_expire_effort - 1)) / 100);

  // BGSAVE: reap the child, run a scheduled save or a due save point.
  persistence_->cron(now);

  // Incremental rehash: up to 1 ms per database that needs it.
  for (int i = 0; i < keyspace_->count(); ++i) {
    storage::Db& d = keyspace_->db(i);
    d.shrink_if_needed();
    if (!cfg_.activerehashing) continue;
    auto t0 = std::chrono::steady_clock::now();
    while (d.rehash_steps(100)) {
      if (std::chrono::steady_clock::now() - t0 > std::chrono::microseconds(1000)) break;
    }
  }
}

void Server::active_expire(int64_t budget_us) {
  auto t0 = std::chrono::steady_clock::now();
  auto spent = [&] {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                 t0)
        .count();
  };
  int64_t now = now_ms();
  for (int i = 0; i < keyspace_->count(); ++i) {
    storage::Db& d = keyspace_->db(i);
    if (d.volatile_count() == 0) continue;
    // A full sweep of the table at least every ~60 s, faster while many keys are expired.
    size_t min_buckets = std::max<size_t>(64, d.size() / (static_cast<size_t>(cfg_.hz) * 60));
    size_t done = 0;
    while (true) {
      auto r = d.expire_step(now, 64);
      done += 64;
      if (spent() >= budget_us) return;
      bool many_expired = r.volatile_seen > 0 && r.expired * 10 > r.volatile_seen;
      if (!many_expired && done >= min_buckets) break;
      if (r.visited == 0 && d.volatile_count() == 0) break;
    }
  }
}

void Server::key_changed(int db, std::string_view key, const Client* writer) {
  if (!watched_.empty()) {
    auto it = watched_.find({db, std::string(key)});
    if (it != watched_.end())
      for (Client* c : it->second) c->dirty_cas = true;
  }
  blocking_.signal_key(db, key);
  if (tracking_.enabled()) tracking_.invalidate_key(key, writer, current_client_);
}

void Server::key_modified(int db, std::string_view key) { key_changed(db, key, executing_client_); }

void Server::key_expired(int db, std::string_view key) {
  ++stats_.expired_keys;
  key_changed(db, key, nullptr);  // no client wrote it (BCAST NOLOOP clients hear of it)
  notify(notify::kExpired, "expired", key, db);
}

void Server::config_changed(std::string_view name) {
  if (name == "hz") {
    uv_timer_set_repeat(&cron_timer_, 1000 / cfg_.hz);
  } else if (name == "loglevel" || name == "logfile") {
    log_configure(cfg_.loglevel, cfg_.logfile);
  } else if (name == "maxmemory-policy" || name == "lfu-log-factor" || name == "lfu-decay-time") {
    apply_access_policy();
    // Candidates scored under another policy (idle time vs frequency vs TTL) do not compare.
    if (name == "maxmemory-policy") evict_pool_.clear();
  } else if (name == "maxmemory") {
    // A lower limit evicts at once (the rest, if cut short, from the eviction timer).
    if (cfg_.maxmemory > 0 && used_memory() > static_cast<size_t>(cfg_.maxmemory))
      log(LogLevel::Warning,
          "WARNING: the new maxmemory value set via CONFIG SET ({}) is smaller than the current "
          "memory usage ({}). This will result in key eviction and/or the inability to accept "
          "new write commands depending on the maxmemory-policy.",
          cfg_.maxmemory, used_memory());
    perform_evictions();
  } else if (name == "requirepass") {
    // Existing connections keep their authentication state, as in Redis.
  }
}

size_t Server::rss_memory() const {
  long pages = 0, rss = 0;
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f) {
    if (std::fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = 0;
    std::fclose(f);
  }
  return static_cast<size_t>(rss) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace dq::server
