// pubsub.cpp — the pub/sub family: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH,
// SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH and PUBSUB (CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS,
// SHARDNUMSUB, HELP).
//
// Confirmations are one reply per channel, ["subscribe", channel, count], written as RESP3
// push frames (RESP2 arrays); the count is channels + patterns for the classic commands and
// shard channels for the S* commands, as Redis 7.0 counts them. The RESP2 subscribe-mode gate
// (dispatcher.cpp) lets through the commands flagged kSubscribeOk. Delivery and the counters
// live in PubSubHub.
#include "server/command_context.h"
#include "server/pubsub_hub.h"

namespace dq::cmd {

using namespace dq::server;
using storage::SubKind;

namespace {

// Redis 7.0 rejects SSUBSCRIBE inside EXEC (the client is CLIENT_DENY_BLOCKING there) but
// allows SUBSCRIBE "for backward compatibility".
constexpr std::string_view kSsubscribeDenyBlocking =
    "ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client";
constexpr std::string_view kFmtPubsubSubcommandSyntax =
    "ERR unknown subcommand or wrong number of arguments for '{}'. Try PUBSUB HELP.";

std::string_view subscribe_word(SubKind k) {
  switch (k) {
    case SubKind::Channel:
      return "subscribe";
    case SubKind::Pattern:
      return "psubscribe";
    case SubKind::Shard:
      return "ssubscribe";
  }
  return "";
}

std::string_view unsubscribe_word(SubKind k) {
  switch (k) {
    case SubKind::Channel:
      return "unsubscribe";
    case SubKind::Pattern:
      return "punsubscribe";
    case SubKind::Shard:
      return "sunsubscribe";
  }
  return "";
}

// [word, name or nil, count]
void confirm(CommandContext& ctx, std::string_view word, const std::string_view* name,
             size_t count) {
  auto& r = ctx.reply();
  r.push(3);
  r.bulk(word);
  if (name)
    r.bulk(*name);
  else
    r.null();
  r.integer(static_cast<int64_t>(count));
}

void subscribe_generic(CommandContext& ctx, SubKind k) {
  PubSubHub& hub = ctx.server.pubsub();
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view name = ctx.arg(i);
    hub.subscribe(ctx.client, k, name);
    confirm(ctx, subscribe_word(k), &name, PubSubHub::confirmation_count(ctx.client, k));
  }
}

void unsubscribe_generic(CommandContext& ctx, SubKind k) {
  PubSubHub& hub = ctx.server.pubsub();
  if (ctx.argc() == 1) {
    size_t before = PubSubHub::confirmation_count(ctx.client, k);
    std::vector<std::string> names = hub.unsubscribe_all(ctx.client, k);
    if (names.empty()) return confirm(ctx, unsubscribe_word(k), nullptr, before);
    // One confirmation per name with the count right after its removal, as if removed one
    // by one (they were: nothing else ran in between).
    for (size_t i = 0; i < names.size(); ++i) {
      std::string_view name = names[i];
      confirm(ctx, unsubscribe_word(k), &name, before - i - 1);
    }
    return;
  }
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view name = ctx.arg(i);
    hub.unsubscribe(ctx.client, k, name);
    confirm(ctx, unsubscribe_word(k), &name, PubSubHub::confirmation_count(ctx.client, k));
  }
}

void subscribe_cmd(CommandContext& ctx) { subscribe_generic(ctx, SubKind::Channel); }
void psubscribe_cmd(CommandContext& ctx) { subscribe_generic(ctx, SubKind::Pattern); }
void ssubscribe_cmd(CommandContext& ctx) {
  if (ctx.in_exec) return ctx.error(kSsubscribeDenyBlocking);
  subscribe_generic(ctx, SubKind::Shard);
}
void unsubscribe_cmd(CommandContext& ctx) { unsubscribe_generic(ctx, SubKind::Channel); }
void punsubscribe_cmd(CommandContext& ctx) { unsubscribe_generic(ctx, SubKind::Pattern); }
void sunsubscribe_cmd(CommandContext& ctx) { unsubscribe_generic(ctx, SubKind::Shard); }

void publish_cmd(CommandContext& ctx) {
  size_t n = ctx.server.pubsub().publish(SubKind::Channel, ctx.arg(1), ctx.arg(2));
  ctx.reply().integer(static_cast<int64_t>(n));
}

void spublish_cmd(CommandContext& ctx) {
  size_t n = ctx.server.pubsub().publish(SubKind::Shard, ctx.arg(1), ctx.arg(2));
  ctx.reply().integer(static_cast<int64_t>(n));
}

// PUBSUB CHANNELS [pattern] / SHARDCHANNELS [pattern]
void channels_generic(CommandContext& ctx, SubKind k) {
  if (ctx.argc() > 3) return ctx.error_fmt(kFmtPubsubSubcommandSyntax, ctx.arg(1));
  std::string_view pattern;
  if (ctx.argc() == 3) pattern = ctx.arg(2);
  auto names = ctx.server.pubsub().registry().names(k, ctx.argc() == 3 ? &pattern : nullptr);
  ctx.reply().array(names.size());
  for (std::string_view n : names) ctx.reply().bulk(n);
}

// PUBSUB NUMSUB [channel ...] / SHARDNUMSUB [channel ...]: a flat array (also in RESP3).
void numsub_generic(CommandContext& ctx, SubKind k) {
  const storage::PubSub& reg = ctx.server.pubsub().registry();
  ctx.reply().array((ctx.argc() - 2) * 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.reply().bulk(ctx.arg(i));
    ctx.reply().integer(static_cast<int64_t>(reg.numsub(k, ctx.arg(i))));
  }
}

void pubsub_channels_cmd(CommandContext& ctx) { channels_generic(ctx, SubKind::Channel); }
void pubsub_shardchannels_cmd(CommandContext& ctx) { channels_generic(ctx, SubKind::Shard); }
void pubsub_numsub_cmd(CommandContext& ctx) { numsub_generic(ctx, SubKind::Channel); }
void pubsub_shardnumsub_cmd(CommandContext& ctx) { numsub_generic(ctx, SubKind::Shard); }

// Redis 7.0 counts distinct patterns (server.pubsub_patterns is a dict).
void pubsub_numpat_cmd(CommandContext& ctx) {
  ctx.reply().integer(
      static_cast<int64_t>(ctx.server.pubsub().registry().active(SubKind::Pattern)));
}

void pubsub_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: '*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply().array(std::size(kLines));
  for (auto l : kLines) ctx.reply().simple(l);
}

void pubsub_container_cmd(CommandContext&) {}

constexpr uint32_t kSub = kPubSub | kNoScript | kLoading | kStale | kSubscribeOk;
constexpr uint32_t kPub = kPubSub | kLoading | kStale | kFast | kMayReplicate;
constexpr uint32_t kIntro = kPubSub | kLoading | kStale;
constexpr uint32_t kAclSub = kAclPubSub | kAclSlow;
constexpr uint32_t kAclPub = kAclPubSub | kAclFast;

constexpr CommandSpec kPubsubSubs[] = {
    {"channels",
     -2,
     kIntro,
     {},
     kAclSub,
     "pubsub",
     "Returns the active channels.",
     "2.8.0",
     "O(N) where N is the number of active channels, and assuming constant time pattern "
     "matching (relatively short channels and patterns)",
     pubsub_channels_cmd,
     {},
     "[pattern]"},
    {"help",
     2,
     kLoading | kStale,
     {},
     kAclSlow,
     "pubsub",
     "Returns helpful text about the different subcommands.",
     "6.2.0",
     "O(1)",
     pubsub_help_cmd,
     {},
     ""},
    {"numpat",
     2,
     kIntro,
     {},
     kAclSub,
     "pubsub",
     "Returns a count of unique pattern subscriptions.",
     "2.8.0",
     "O(1)",
     pubsub_numpat_cmd,
     {},
     ""},
    {"numsub",
     -2,
     kIntro,
     {},
     kAclSub,
     "pubsub",
     "Returns a count of subscribers to channels.",
     "2.8.0",
     "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
     pubsub_numsub_cmd,
     {},
     "[channel [channel ...]]"},
    {"shardchannels",
     -2,
     kIntro,
     {},
     kAclSub,
     "pubsub",
     "Returns the active shard channels.",
     "7.0.0",
     "O(N) where N is the number of active shard channels, and assuming constant time pattern "
     "matching (relatively short shard channels).",
     pubsub_shardchannels_cmd,
     {},
     "[pattern]"},
    {"shardnumsub",
     -2,
     kIntro,
     {},
     kAclSub,
     "pubsub",
     "Returns the count of subscribers of shard channels.",
     "7.0.0",
     "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
     pubsub_shardnumsub_cmd,
     {},
     "[shardchannel [shardchannel ...]]"},
};

constexpr CommandSpec kPubsubCommands[] = {
    {"subscribe",
     -2,
     kSub,
     {},
     kAclSub,
     "pubsub",
     "Listens for messages published to channels.",
     "2.0.0",
     "O(N) where N is the number of channels to subscribe to.",
     subscribe_cmd,
     {},
     "channel [channel ...]"},
    {"unsubscribe",
     -1,
     kSub,
     {},
     kAclSub,
     "pubsub",
     "Stops listening to messages posted to channels.",
     "2.0.0",
     "O(N) where N is the number of clients already subscribed to a channel.",
     unsubscribe_cmd,
     {},
     "[channel [channel ...]]"},
    {"psubscribe",
     -2,
     kSub,
     {},
     kAclSub,
     "pubsub",
     "Listens for messages published to channels that match one or more patterns.",
     "2.0.0",
     "O(N) where N is the number of patterns the client is already subscribed to.",
     psubscribe_cmd,
     {},
     "pattern [pattern ...]"},
    {"punsubscribe",
     -1,
     kSub,
     {},
     kAclSub,
     "pubsub",
     "Stops listening to messages published to channels that match one or more patterns.",
     "2.0.0",
     "O(N+M) where N is the number of patterns the client is already subscribed and M is the "
     "number of total patterns subscribed in the system (by any client).",
     punsubscribe_cmd,
     {},
     "[pattern [pattern ...]]"},
    {"publish",
     3,
     kPub,
     {},
     kAclPub,
     "pubsub",
     "Posts a message to a channel.",
     "2.0.0",
     "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the "
     "total number of subscribed patterns (by any client).",
     publish_cmd,
     {},
     "channel message"},
    {"ssubscribe",
     -2,
     kSub,
     {1, -1, 1},
     kAclSub,
     "pubsub",
     "Listens for messages published to shard channels.",
     "7.0.0",
     "O(N) where N is the number of shard channels to subscribe to.",
     ssubscribe_cmd,
     {},
     "shardchannel [shardchannel ...]"},
    {"sunsubscribe",
     -1,
     kSub,
     {1, -1, 1},
     kAclSub,
     "pubsub",
     "Stops listening to messages posted to shard channels.",
     "7.0.0",
     "O(N) where N is the number of clients already subscribed to a shard channel.",
     sunsubscribe_cmd,
     {},
     "[shardchannel [shardchannel ...]]"},
    {"spublish",
     3,
     kPub,
     {1, 1, 1},
     kAclPub,
     "pubsub",
     "Post a message to a shard channel",
     "7.0.0",
     "O(N) where N is the number of clients subscribed to the receiving shard channel.",
     spublish_cmd,
     {},
     "shardchannel message"},
    {"pubsub",
     -2,
     0,
     {},
     kAclSlow,
     "pubsub",
     "A container for Pub/Sub commands.",
     "2.8.0",
     "Depends on subcommand.",
     pubsub_container_cmd,
     kPubsubSubs,
     ""},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> pubsub_commands() { return cmd::kPubsubCommands; }
}  // namespace dq::server
