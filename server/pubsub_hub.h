// pubsub_hub.h — pub/sub delivery: the storage registry plus the writing of messages into
// subscribers' output buffers.
//
// Owns: the storage::PubSub registry (subscribers are Client*, opaque to storage) and the
// Client::sub_channels / sub_patterns / sub_shard counters, kept equal to what the registry
// holds for the client after every change (CLIENT LIST sub=/psub=/ssub=, the 'P' flag, the
// RESP2 subscribe-mode gate and the pubsub output-buffer class all read them).
//
// Delivery writes each message into every receiver's output buffer first and only then calls
// Server::queue_write for each receiver: queue_write enforces client-output-buffer-limit
// pubsub and may close a receiver, which unsubscribes it, and that must never happen while
// the registry is being walked. A subscriber that does not read is thus disconnected once
// its buffer crosses the limit, and the server's memory stays bounded.
//
// A message for the client whose command is running (Server::current_client) is not written
// to it at once but held until that command has replied (Redis 7.2), so a push never splits
// a reply (a keyspace notification of a write inside EXEC, a PUBLISH to oneself).
//
// Invariant: a client that is closing holds no subscription (Server::free_client calls
// forget()), so the registry never hands out a dangling client.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "storage/pubsub.h"

namespace dq::server {

class Server;
struct Client;

class PubSubHub {
 public:
  explicit PubSubHub(Server& s) : server_(s) {}

  const storage::PubSub& registry() const { return registry_; }

  // (Un)subscribes c; false when nothing changed. Counters follow.
  bool subscribe(Client& c, storage::SubKind k, std::string_view name);
  bool unsubscribe(Client& c, storage::SubKind k, std::string_view name);
  // Removes every name of kind k that c holds; returns them in subscription order.
  std::vector<std::string> unsubscribe_all(Client& c, storage::SubKind k);
  // Drops every subscription of c, without replies (disconnect, RESET).
  void forget(Client& c);

  // The count a (un)subscribe confirmation carries: channels + patterns for SUBSCRIBE and
  // PSUBSCRIBE (Redis's clientSubscriptionsCount), shard channels for SSUBSCRIBE.
  static size_t confirmation_count(const Client& c, storage::SubKind k);

  // Sends message on channel (Channel or Shard kind) to every receiver; returns how many
  // receivers there were (PUBLISH's reply), counting one per matching pattern subscription.
  size_t publish(storage::SubKind k, std::string_view channel, std::string_view message);

 private:
  void sync(Client& c);

  Server& server_;
  storage::PubSub registry_;
  std::vector<Client*> receivers_;  // reused across publishes
  std::string wire_[2];             // the message formatted for RESP2 / RESP3, reused
};

}  // namespace dq::server
