// notify.h — keyspace notifications (notify-keyspace-events), as Redis 7.2's notify.c.
//
// Owns: the event classes (one bit each, Redis's class letters), the parsing of the
// directive's class string and its canonical rendering (CONFIG GET), and the publishing of
// one event as PUBLISH on `__keyspace@<db>__:<key>` (message: the event name) and
// `__keyevent@<db>__:<event>` (message: the key), through the pub/sub hub, so channel and
// pattern subscribers get them like any message.
//
// Handlers call CommandContext::notify(class, "event", key) at the point Redis calls
// notifyKeyspaceEvent, in the same order; storage-driven events ("expired", "new") come
// through the KeyspaceObserver. When notifications are off the whole cost is one test of the
// flags word (Server::notify is inline); the channel names are built in a reused buffer.
//
// Invariant: the flags word holds only known bits; Redis's 'A' is the union of the classes
// g $ l s h z x e t d (not m, not n); nothing is published unless K or E is set too.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace dq::server {

namespace notify {
enum : uint32_t {
  kKeyspace = 1u << 0,  // K
  kKeyevent = 1u << 1,  // E
  kGeneric = 1u << 2,   // g
  kString = 1u << 3,    // $
  kList = 1u << 4,      // l
  kSet = 1u << 5,       // s
  kHash = 1u << 6,      // h
  kZSet = 1u << 7,      // z
  kExpired = 1u << 8,   // x
  kEvicted = 1u << 9,   // e
  kStream = 1u << 10,   // t
  kKeyMiss = 1u << 11,  // m
  kModule = 1u << 12,   // d (no modules in dq: accepted, never emitted)
  kNew = 1u << 13,      // n
  kAll = kGeneric | kString | kList | kSet | kHash | kZSet | kExpired | kEvicted | kStream |
         kModule,  // A
};

// The flags of a class string ("KEA", "Ex", ""), or -1 on a character that is no class.
int64_t parse_flags(std::string_view classes);
// The canonical string Redis renders for flags (CONFIG GET): "A" or the class letters in
// Redis's order, then K, E, m.
std::string flags_to_string(uint32_t flags);
}  // namespace notify

}  // namespace dq::server
