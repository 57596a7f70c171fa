// blocking.h — parked clients: BLPOP and friends (and later BZPOP*, XREAD BLOCK).
//
// Owns: which clients wait on which keys (first-blocked-first-served per key), the
// deadline-ordered timeout set with one libuv timer armed at the earliest deadline (10,000
// idle blocked clients cost no CPU: nothing polls), and the ready-key queue.
//
// How a wake-up works (as Redis 7): a write to a key that clients wait on queues the key as
// ready (through the storage observer). After the current command finishes (after EXEC for
// a transaction), each ready key's waiters re-run their own blocked command, in the order
// they blocked; a re-run that finds nothing leaves its client parked with its old deadline.
// A re-run may push elsewhere (BLMOVE), making more keys ready: the loop runs until no key
// is ready. Unblocked clients resume reading their pipelined input before the loop sleeps.
#pragma once
#include <uv.h>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/value.h"

namespace dq::server {

class Server;
struct Client;
struct Command;

enum class TimeoutReply : uint8_t { NullArray, NullBulk };

struct BlockedState {
  const Command* cmd = nullptr;
  std::vector<std::string> args;  // the command, owned: it outlives the read buffer
  std::vector<std::string> keys;
  int db = 0;
  int64_t deadline_ms = 0;  // 0: forever
  storage::Type wait_type = storage::Type::List;
  TimeoutReply timeout_reply = TimeoutReply::NullArray;
  // XREADGROUP (Redis 7.2's unblock_on_nokey): re-run also when the key is deleted or
  // replaced by another type, so the client gets its NOGROUP / WRONGTYPE error at once.
  bool unblock_on_nokey = false;
  uint64_t seq = 0;  // global blocking order
};

class BlockingManager {
 public:
  explicit BlockingManager(Server& s);
  ~BlockingManager();
  void start(uv_loop_t* loop);
  void stop();

  // Parks c. args is the full command (copied); keys the keys it waits on.
  void block(Client* c, const Command* cmd, std::span<const std::string_view> args,
             std::span<const std::string_view> keys, int64_t deadline_ms, storage::Type type,
             TimeoutReply on_timeout, bool unblock_on_nokey = false);
  // Releases every registration of c (disconnect, served, timed out, CLIENT UNBLOCK).
  void unblock(Client* c);
  // CLIENT UNBLOCK: timeout reply (error=false) or -UNBLOCKED error. False if not blocked.
  bool unblock_by_request(Client* c, bool error);

  // A key changed: if clients wait on it, queue it.
  void signal_key(int db, std::string_view key) {
    if (waiting_.empty()) return;
    signal_key_slow(db, key);
  }
  // Every key of db that clients wait on (SWAPDB brought in other values).
  void signal_db(int db);
  bool has_ready() const { return !ready_.empty(); }
  // Serves ready keys until none is left.
  void serve_ready();
  size_t blocked_count() const { return blocked_; }
  // Clients that were unblocked and may have pipelined input to resume.
  std::vector<Client*> take_unblocked();
  void forget_unblocked(Client* c);

 private:
  struct WaitKey {
    int db;
    std::string key;
    bool operator==(const WaitKey& o) const { return db == o.db && key == o.key; }
  };
  struct WaitKeyHash {
    size_t operator()(const WaitKey& k) const;
  };
  void signal_key_slow(int db, std::string_view key);
  void arm_timer();
  void on_timer();
  void timeout_client(Client* c);
  static void timer_cb(uv_timer_t* t);

  Server& server_;
  uv_timer_t timer_;
  bool timer_started_ = false;
  std::unordered_map<WaitKey, std::deque<Client*>, WaitKeyHash> waiting_;
  std::vector<WaitKey> ready_;
  std::set<std::pair<int64_t, uint64_t>> deadlines_;  // (deadline, client id)
  std::vector<Client*> unblocked_;
  size_t blocked_ = 0;
  uint64_t seq_ = 0;
  int64_t armed_for_ = -1;
};

}  // namespace dq::server
