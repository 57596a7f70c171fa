#include "server/notify.h"

#include "server/server.h"

namespace dq::server {

namespace notify {

int64_t parse_flags(std::string_view classes) {
  static constexpr struct {
    char c;
    uint32_t bits;
  } kLetters[] = {{'A', kAll},     {'g', kGeneric},  {'$', kString},   {'l', kList},
                  {'s', kSet},     {'h', kHash},     {'z', kZSet},     {'x', kExpired},
                  {'e', kEvicted}, {'K', kKeyspace}, {'E', kKeyevent}, {'t', kStream},
                  {'m', kKeyMiss}, {'d', kModule},   {'n', kNew}};
  uint32_t f = 0;
  for (char c : classes) {
    uint32_t bits = 0;
    for (const auto& l : kLetters)
      if (l.c == c) bits = l.bits;
    if (!bits) return -1;  // Redis rejects the whole string
    f |= bits;
  }
  return f;
}

std::string flags_to_string(uint32_t f) {
  std::string s;
  if ((f & kAll) == kAll) {
    // Redis prints 'A' alone for the union, so an 'n' set next to it is not shown.
    s += 'A';
  } else {
    static constexpr struct {
      uint32_t bit;
      char c;
    } kOrder[] = {{kGeneric, 'g'}, {kString, '$'}, {kList, 'l'},    {kSet, 's'},
                  {kHash, 'h'},    {kZSet, 'z'},   {kExpired, 'x'}, {kEvicted, 'e'},
                  {kStream, 't'},  {kModule, 'd'}, {kNew, 'n'}};
    for (const auto& o : kOrder)
      if (f & o.bit) s += o.c;
  }
  if (f & kKeyspace) s += 'K';
  if (f & kKeyevent) s += 'E';
  if (f & kKeyMiss) s += 'm';
  return s;
}

}  // namespace notify

void Server::publish_keyspace_event(std::string_view event, std::string_view key, int db) {
  uint32_t flags = cfg_.notify_keyspace_events;
  // The channel is built in a reused buffer; the message views stay valid: publishing only
  // writes into output buffers.
  std::string& chan = notify_channel_;
  if (flags & notify::kKeyspace) {
    chan.assign("__keyspace@");
    chan += std::to_string(db);
    chan += "__:";
    chan.append(key.data(), key.size());
    pubsub_.publish(storage::SubKind::Channel, chan, event);
  }
  if (flags & notify::kKeyevent) {
    chan.assign("__keyevent@");
    chan += std::to_string(db);
    chan += "__:";
    chan.append(event.data(), event.size());
    pubsub_.publish(storage::SubKind::Channel, chan, key);
  }
}

}  // namespace dq::server
