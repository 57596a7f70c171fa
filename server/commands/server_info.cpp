// server_info.cpp — the server family: COMMAND, INFO, CONFIG, TIME, ...
#include "server/command_context.h"

namespace dq::cmd {
using namespace dq::server;
namespace {
constexpr CommandSpec kServerCommands[] = {
    {"time", 1, kLoading | kStale | kFast, {}, kAclFast, "server", "Returns the server time.",
     "2.6.0", "O(1)",
     [](CommandContext& ctx) {
       timespec ts;
       clock_gettime(CLOCK_REALTIME, &ts);
       ctx.reply().array(2);
       ctx.reply().bulk_int(ts.tv_sec);
       ctx.reply().bulk_int(ts.tv_nsec / 1000);
     },
     {}, ""},
};
}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> server_commands() { return cmd::kServerCommands; }
}  // namespace dq::server
