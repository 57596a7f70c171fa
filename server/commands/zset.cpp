// zset.cpp — the zset family (being implemented: commands appear here as they are done;
// anything not in the table answers Redis's "unknown command" error).
#include "server/command_context.h"

namespace dq::cmd {
namespace {
using namespace dq::server;
constexpr CommandSpec kZsetCommands[] = {
    {"__zset_placeholder__", 0, 0, {}, 0, "zset", "", "", "", nullptr, {}, ""},
};
}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> zset_commands() { return std::span(cmd::kZsetCommands).first(0); }
}  // namespace dq::server
