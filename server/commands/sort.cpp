// sort.cpp — SORT and SORT_RO (being implemented: commands appear here as they are done;
// anything not in the table answers Redis's "unknown command" error).
#include "server/command_context.h"

namespace dq::cmd {
namespace {
using namespace dq::server;
constexpr CommandSpec kSortCommands[] = {
    {"__sort_placeholder__", 0, 0, {}, 0, "generic", "", "", "", nullptr, {}, ""},
};
}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> sort_commands() { return std::span(cmd::kSortCommands).first(0); }
}  // namespace dq::server
