// set.cpp — the set family (being implemented: commands appear here as they are done;
// anything not in the table answers Redis's "unknown command" error).
#include "server/command_context.h"

namespace dq::cmd {
namespace {
using namespace dq::server;
constexpr CommandSpec kSetCommands[] = {
    {"__set_placeholder__", 0, 0, {}, 0, "set", "", "", "", nullptr, {}, ""},
};
}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> set_commands() { return std::span(cmd::kSetCommands).first(0); }
}  // namespace dq::server
