#include "server/blocking.h"

#include <algorithm>

#include "server/command_context.h"
#include "server/server.h"

namespace dq::server {

size_t BlockingManager::WaitKeyHash::operator()(const WaitKey& k) const {
  return std::hash<std::string_view>()(k.key) ^ (static_cast<size_t>(k.db) * 0x9E3779B97F4A7C15ULL);
}

BlockingManager::BlockingManager(Server& s) : server_(s) {}
BlockingManager::~BlockingManager() = default;

void BlockingManager::start(uv_loop_t* loop) {
  uv_timer_init(loop, &timer_);
  timer_.data = this;
  timer_started_ = true;
}

void BlockingManager::stop() {
  if (!timer_started_) return;
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), nullptr);
  timer_started_ = false;
}

void BlockingManager::block(Client* c, const Command* cmd, std::span<const std::string_view> args,
                            std::span<const std::string_view> keys, int64_t deadline_ms,
                            storage::Type type, TimeoutReply on_timeout, bool unblock_on_nokey) {
  auto st = std::make_unique<BlockedState>();
  st->cmd = cmd;
  st->args.assign(args.begin(), args.end());
  st->db = c->db_index;
  st->deadline_ms = deadline_ms;
  st->wait_type = type;
  st->timeout_reply = on_timeout;
  st->unblock_on_nokey = unblock_on_nokey;
  st->seq = ++seq_;
  for (std::string_view k : keys) {
    if (std::find(st->keys.begin(), st->keys.end(), k) != st->keys.end()) continue;
    st->keys.emplace_back(k);
    waiting_[WaitKey{st->db, std::string(k)}].push_back(c);
  }
  if (deadline_ms > 0) {
    deadlines_.emplace(deadline_ms, c->id);
    arm_timer();
  }
  c->blocked = std::move(st);
  ++blocked_;
}

void BlockingManager::unblock(Client* c) {
  if (!c->blocked) return;
  BlockedState& st = *c->blocked;
  for (const std::string& k : st.keys) {
    auto it = waiting_.find(WaitKey{st.db, k});
    if (it == waiting_.end()) continue;
    auto& q = it->second;
    q.erase(std::remove(q.begin(), q.end(), c), q.end());
    if (q.empty()) waiting_.erase(it);
  }
  if (st.deadline_ms > 0) deadlines_.erase({st.deadline_ms, c->id});
  c->blocked.reset();
  --blocked_;
  if (!c->closing) unblocked_.push_back(c);
}

void BlockingManager::timeout_client(Client* c) {
  if (c->blocked->timeout_reply == TimeoutReply::NullBulk)
    c->reply.null();
  else
    c->reply.null_array();
  unblock(c);
  server_.queue_write(c);
}

bool BlockingManager::unblock_by_request(Client* c, bool error) {
  if (!c->blocked) return false;
  if (error) {
    c->reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    server_.count_error("UNBLOCKED");
    unblock(c);
    server_.queue_write(c);
  } else {
    timeout_client(c);
  }
  return true;
}

void BlockingManager::signal_key_slow(int db, std::string_view key) {
  WaitKey k{db, std::string(key)};
  if (!waiting_.count(k)) return;
  if (std::find(ready_.begin(), ready_.end(), k) != ready_.end()) return;
  ready_.push_back(std::move(k));
}

void BlockingManager::signal_db(int db) {
  for (const auto& [k, q] : waiting_)
    if (k.db == db && std::find(ready_.begin(), ready_.end(), k) == ready_.end())
      ready_.push_back(k);
}

void BlockingManager::serve_ready() {
  while (!ready_.empty()) {
    std::vector<WaitKey> batch;
    batch.swap(ready_);
    for (const WaitKey& k : batch) {
      auto it = waiting_.find(k);
      if (it == waiting_.end()) continue;
      // Snapshot the waiters in blocking order: serving one may unblock or block others.
      std::vector<Client*> waiters(it->second.begin(), it->second.end());
      for (Client* c : waiters) {
        if (!c->blocked || c->closing) continue;
        storage::Db& db = server_.keyspace().db(k.db);
        storage::Entry* e = db.find(k.key, Server::now_ms());
        BlockedState* st = c->blocked.get();
        // Only a value of the awaited type can serve (Redis 7 re-runs the command then);
        // XREADGROUP re-runs whatever happened to the key, to answer its error.
        if ((!e || e->type() != st->wait_type) && !st->unblock_on_nokey) continue;
        std::vector<std::string_view> args(st->args.begin(), st->args.end());
        // The client's own database, as when it blocked.
        storage::Db* saved_db = c->db;
        int saved_index = c->db_index;
        c->db = &db;
        c->db_index = st->db;
        CommandContext ctx{server_, *c, args, st->cmd, Server::now_ms()};
        ctx.retry = true;
        {
          Server::CurrentClient current(server_, c);
          server_.run_handler(ctx);
        }
        c->db = saved_db;
        c->db_index = saved_index;
        if (!ctx.still_blocked) {
          unblock(c);
          server_.queue_write(c);
        }
      }
    }
  }
}

std::vector<Client*> BlockingManager::take_unblocked() {
  std::vector<Client*> out;
  out.swap(unblocked_);
  return out;
}

void BlockingManager::forget_unblocked(Client* c) {
  unblocked_.erase(std::remove(unblocked_.begin(), unblocked_.end(), c), unblocked_.end());
}

void BlockingManager::arm_timer() {
  if (!timer_started_) return;
  if (deadlines_.empty()) {
    uv_timer_stop(&timer_);
    armed_for_ = -1;
    return;
  }
  int64_t first = deadlines_.begin()->first;
  if (first == armed_for_) return;
  armed_for_ = first;
  int64_t delay = first - Server::now_ms();
  if (delay < 0) delay = 0;
  uv_timer_start(&timer_, timer_cb, static_cast<uint64_t>(delay), 0);
}

void BlockingManager::timer_cb(uv_timer_t* t) {
  static_cast<BlockingManager*>(t->data)->on_timer();
}

void BlockingManager::on_timer() {
  armed_for_ = -1;
  int64_t now = Server::now_ms();
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    uint64_t id = deadlines_.begin()->second;
    Client* c = server_.client_by_id(id);
    if (!c || !c->blocked) {
      deadlines_.erase(deadlines_.begin());
      continue;
    }
    timeout_client(c);
  }
  arm_timer();
}

}  // namespace dq::server
