#include "server/pubsub_hub.h"

#include "server/connection.h"
#include "server/server.h"

namespace dq::server {

using storage::SubKind;

namespace {
Client* client_of(storage::Subscriber s) {
  return const_cast<Client*>(static_cast<const Client*>(s));
}
}  // namespace

void PubSubHub::sync(Client& c) {
  c.sub_channels = registry_.count(SubKind::Channel, &c);
  c.sub_patterns = registry_.count(SubKind::Pattern, &c);
  c.sub_shard = registry_.count(SubKind::Shard, &c);
}

bool PubSubHub::subscribe(Client& c, SubKind k, std::string_view name) {
  bool added = registry_.subscribe(k, name, &c);
  if (added) sync(c);
  return added;
}

bool PubSubHub::unsubscribe(Client& c, SubKind k, std::string_view name) {
  bool removed = registry_.unsubscribe(k, name, &c);
  if (removed) sync(c);
  return removed;
}

std::vector<std::string> PubSubHub::unsubscribe_all(Client& c, SubKind k) {
  std::vector<std::string> names = registry_.unsubscribe_all(k, &c);
  sync(c);
  return names;
}

void PubSubHub::forget(Client& c) {
  if (c.sub_channels + c.sub_patterns + c.sub_shard == 0) return;
  registry_.forget(&c);
  sync(c);
}

size_t PubSubHub::confirmation_count(const Client& c, SubKind k) {
  return k == SubKind::Shard ? c.sub_shard : c.sub_channels + c.sub_patterns;
}

namespace {
// One message as it goes on the wire: the push/array header, then bulks. Formatted once per
// publish (per protocol, per pattern) and copied into each receiver's output buffer, so a
// fan-out costs one memcpy per subscriber.
void format_message(std::string& out, char header, std::string_view kind,
                    const std::string* pattern, std::string_view channel,
                    std::string_view message) {
  out.clear();
  auto bulk = [&](std::string_view b) {
    out += '$';
    out += std::to_string(b.size());
    out += "\r\n";
    out.append(b.data(), b.size());
    out += "\r\n";
  };
  out += header;
  out += pattern ? "4\r\n" : "3\r\n";
  bulk(pattern ? std::string_view("pmessage") : kind);
  if (pattern) bulk(*pattern);
  bulk(channel);
  bulk(message);
}
}  // namespace

size_t PubSubHub::publish(SubKind k, std::string_view channel, std::string_view message) {
  std::vector<Client*> receivers;
  receivers.swap(receivers_);
  receivers.clear();
  std::string_view kind = k == SubKind::Shard ? "smessage" : "message";
  // wire[0]: RESP2 (array), wire[1]: RESP3 (push); re-formatted when the pattern changes.
  std::string* wire = wire_;
  const std::string* formatted_for[2] = {nullptr, nullptr};
  bool formatted[2] = {false, false};
  size_t n = registry_.for_each_receiver(
      k, channel, [&](storage::Subscriber s, const std::string* pattern) {
        Client* c = client_of(s);
        // Redis 7.0 drops messages to a client with CLIENT REPLY OFF (prepareClientToWrite);
        // they still count as receivers.
        if (c->closing || c->reply_off) return;
        int v = c->reply.proto() == 3 ? 1 : 0;
        if (!formatted[v] || formatted_for[v] != pattern) {
          format_message(wire[v], v ? '>' : '*', kind, pattern, channel, message);
          formatted[v] = true;
          formatted_for[v] = pattern;
        }
        if (c == server_.current_client()) {
          // Held until its command has replied (Server::CurrentClient, Redis 7.2).
          server_.held_pushes().append(wire[v]);
          return;
        }
        c->out.append(wire[v]);
        receivers.push_back(c);
      });
  // Output limits only now: closing a receiver unsubscribes it (see the header).
  for (Client* c : receivers) server_.queue_write(c);
  receivers.swap(receivers_);
  return n;
}

}  // namespace dq::server
