// hash.cpp — the hash family (being implemented: commands appear here as they are done;
// anything not in the table answers Redis's "unknown command" error).
#include "server/command_context.h"

namespace dq::cmd {
namespace {
using namespace dq::server;
constexpr CommandSpec kHashCommands[] = {
    {"__hash_placeholder__", 0, 0, {}, 0, "hash", "", "", "", nullptr, {}, ""},
};
}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> hash_commands() { return std::span(cmd::kHashCommands).first(0); }
}  // namespace dq::server
