// tracking.h — CLIENT TRACKING: server-assisted client-side caching (Redis 6+ semantics).
//
// Owns: the tracking table (key -> ids of the clients that may hold it in a local cache), the
// prefix table of BCAST clients (prefix -> subscribed clients + keys modified in this loop
// iteration), the count of tracking clients, the invalidations deferred for the client that
// is running a command, and the writing of invalidation messages:
//   RESP3 target:            >2 $10 invalidate <payload>
//   RESP2 redirect target
//   in pub/sub mode:         *3 $7 message $20 __redis__:invalidate <payload>
//   anything else (RESP2, no redirect): nothing, as Redis.
// <payload> is an array of keys, or a null (in the tracking client's protocol, as Redis) when
// a FLUSHDB / FLUSHALL invalidates everything.
//
// Invariants:
// - Keys are global, not per database (as Redis): a write to "k" in any db invalidates "k".
// - Default mode: a key leaves the table the first time it is invalidated; the ids stored with
//   it are checked lazily (a client that disconnected or turned tracking off, or switched to
//   BCAST, is skipped), so disabling tracking is O(prefixes), never O(keys).
// - A client that is closing holds no BCAST subscription (Server::free_client calls
//   disable()), so the prefix table never hands out a dangling client.
// - Invalidations for the client whose command is running (Redis's current_client) are held
//   until its command (its whole EXEC or script) has replied: the push follows the reply.
// - Messages are written into receivers' output buffers first; Server::queue_write (which may
//   close a receiver over its output limit) runs only after the walk.
// - Nothing here runs while no client has ever enabled tracking: Server checks enabled().
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dq::server {

class Server;
struct Client;
struct Command;

// CLIENT TRACKING ON options.
struct TrackingOptions {
  bool bcast = false, optin = false, optout = false, noloop = false;
};

class Tracking {
 public:
  explicit Tracking(Server& s) : server_(s) {}

  // True once some client enabled tracking (Redis allocates its table then, and keeps it).
  bool enabled() const { return enabled_; }
  size_t clients() const { return clients_; }
  size_t total_keys() const { return table_.size(); }
  uint64_t total_items() const { return items_; }
  size_t total_prefixes() const { return prefixes_.size(); }

  // CLIENT TRACKING ON (options validated by the caller) / OFF.
  void enable(Client& c, uint64_t redirect, const TrackingOptions& o,
              std::span<const std::string_view> prefixes);
  void disable(Client& c);
  // The first overlap of a new prefix with the client's own or another new one, as Redis's
  // error text; empty when none.
  std::string prefix_collision(const Client& c, std::span<const std::string_view> prefixes) const;

  // After a read-only command `cmd` ran (executed by anyone on behalf of `caller`, the client
  // whose command is running): remembers its keys for caller, unless OPTIN/OPTOUT says no.
  void remember_keys(Client& caller, const Command& cmd, std::span<const std::string_view> args);
  // A key changed. writer: the client whose command changed it (NOLOOP in BCAST mode), or null;
  // current: the client whose top-level command is running (NOLOOP, deferral), or null.
  void invalidate_key(std::string_view key, const Client* writer, Client* current);
  // FLUSHDB / FLUSHALL: every tracking client gets a null invalidation; the table is emptied.
  void invalidate_all(Client* current);
  // Sends the invalidations held for `current` once its command has replied.
  void flush_deferred(Client* current);
  bool has_deferred() const { return !deferred_.empty(); }
  // The invalidations deferred for the current client (Server::CurrentClient saves and
  // restores them around a nested command: a busy script serving other clients).
  std::vector<std::optional<std::string>>& deferred() { return deferred_; }
  // BCAST: sends the keys modified during this loop iteration (before sleeping).
  void broadcast();
  // tracking-table-max-keys: invalidates random keys until the table is within max (a
  // bounded effort per call, growing while it stays over, as Redis). current: the client
  // about to run a command (NOLOOP), told at once.
  void limit_table(int64_t max_keys, Client* current);

 private:
  struct Bcast {
    std::map<std::string, uint64_t, std::less<>> keys;  // key -> id of its last writer
    std::vector<Client*> clients;
  };
  struct StrHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  // Writes one message (payload = RESP already encoded) for tracking client c, following its
  // redirection; the receiver is appended to touched_.
  void send(Client& c, std::string_view payload);
  void invalidate_entry(std::string_view key, Client* current, bool defer_self);
  void queue_touched();

  Server& server_;
  bool enabled_ = false;
  size_t clients_ = 0;
  uint64_t items_ = 0;
  std::unordered_map<std::string, std::vector<uint64_t>, StrHash, std::equal_to<>> table_;
  std::map<std::string, Bcast, std::less<>> prefixes_;
  // Held for the running client: a key, or nullopt for a flush's null.
  std::vector<std::optional<std::string>> deferred_;
  std::vector<Client*> touched_;  // receivers written to, queued for writing after a walk
  unsigned limit_rounds_ = 0;     // tracking-table-max-keys: calls still over the limit
  std::string scratch_;
};

}  // namespace dq::server
