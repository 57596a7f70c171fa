// scripting.cpp — EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT LOAD|EXISTS|FLUSH|KILL|HELP.
// The engine (server/scripting.*) does the work; these are the table entries and argument
// checks.
#include "server/scripting.h"

#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;

namespace {

void eval_cmd(CommandContext& ctx) { ctx.server.scripts().eval(ctx, false, false); }
void evalsha_cmd(CommandContext& ctx) { ctx.server.scripts().eval(ctx, true, false); }
void eval_ro_cmd(CommandContext& ctx) { ctx.server.scripts().eval(ctx, false, true); }
void evalsha_ro_cmd(CommandContext& ctx) { ctx.server.scripts().eval(ctx, true, true); }

void script_load_cmd(CommandContext& ctx) {
  std::string e;
  std::string sha = ctx.server.scripts().load(ctx.arg(2), &e);
  if (sha.empty()) return ctx.error(e);
  ctx.reply().bulk(sha);
}

void script_exists_cmd(CommandContext& ctx) {
  ctx.reply().array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::string sha(ctx.arg(i));
    for (char& c : sha) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ctx.reply().integer(ctx.server.scripts().exists(sha) ? 1 : 0);
  }
}

void script_flush_cmd(CommandContext& ctx) {
  if (ctx.argc() == 3 && !arg_is(ctx.arg(2), "async") && !arg_is(ctx.arg(2), "sync"))
    return ctx.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
  if (ctx.argc() > 3) return ctx.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
  ctx.server.scripts().flush();
  ctx.reply().ok();
}

// Runs only while a script is busy (served from its hook): arms the kill.
void script_kill_cmd(CommandContext& ctx) {
  std::string_view e = ctx.server.scripts().kill(true);
  if (!e.empty()) return ctx.error(e);
  ctx.reply().ok();
}

void script_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply().array(std::size(kLines));
  for (std::string_view l : kLines) ctx.reply().simple(l);
}

constexpr uint32_t kEvalFlags = kNoScript | kStale | kSkipMonitor | kNoMandatoryKeys | kMovableKeys;
constexpr uint32_t kScr = kAclSlow | kAclScripting;

constexpr CommandSpec kScriptSubs[] = {
    {"exists",
     -3,
     kNoScript,
     {},
     kScr,
     "scripting",
     "Determines whether server-side Lua scripts exist in the script cache.",
     "2.6.0",
     "O(N) with N being the number of scripts to check (so checking a single script is an O(1) "
     "operation).",
     script_exists_cmd,
     {},
     "sha1 [sha1 ...]"},
    {"flush",
     -2,
     kNoScript,
     {},
     kScr,
     "scripting",
     "Removes all server-side Lua scripts from the script cache.",
     "2.6.0",
     "O(N) with N being the number of scripts in cache",
     script_flush_cmd,
     {},
     "[ASYNC|SYNC]"},
    {"help",
     2,
     kLoading | kStale,
     {},
     kScr,
     "scripting",
     "Returns helpful text about the different subcommands.",
     "5.0.0",
     "O(1)",
     script_help_cmd,
     {},
     ""},
    {"kill",
     2,
     kNoScript | kAllowBusy,
     {},
     kScr,
     "scripting",
     "Terminates a server-side Lua script during execution.",
     "2.6.0",
     "O(1)",
     script_kill_cmd,
     {},
     ""},
    {"load",
     3,
     kNoScript | kStale,
     {},
     kScr,
     "scripting",
     "Loads a server-side Lua script to the script cache.",
     "2.6.0",
     "O(N) with N being the length in bytes of the script body.",
     script_load_cmd,
     {},
     "script"},
};

constexpr CommandSpec kScriptingCommands[] = {
    {"eval",
     -3,
     kEvalFlags,
     {0, 0, 0},
     kScr,
     "scripting",
     "Executes a server-side Lua script.",
     "2.6.0",
     "Depends on the script that is executed.",
     eval_cmd,
     {},
     "script numkeys [key [key ...]] [arg [arg ...]]"},
    {"evalsha",
     -3,
     kEvalFlags,
     {0, 0, 0},
     kScr,
     "scripting",
     "Executes a server-side Lua script by SHA1 digest.",
     "2.6.0",
     "Depends on the script that is executed.",
     evalsha_cmd,
     {},
     "sha1 numkeys [key [key ...]] [arg [arg ...]]"},
    {"eval_ro",
     -3,
     kReadOnly | kEvalFlags,
     {0, 0, 0},
     kScr,
     "scripting",
     "Executes a read-only server-side Lua script.",
     "7.0.0",
     "Depends on the script that is executed.",
     eval_ro_cmd,
     {},
     "script numkeys [key [key ...]] [arg [arg ...]]"},
    {"evalsha_ro",
     -3,
     kReadOnly | kEvalFlags,
     {0, 0, 0},
     kScr,
     "scripting",
     "Executes a read-only server-side Lua script by SHA1 digest.",
     "7.0.0",
     "Depends on the script that is executed.",
     evalsha_ro_cmd,
     {},
     "sha1 numkeys [key [key ...]] [arg [arg ...]]"},
    {"script",
     -2,
     0,
     {},
     kAclSlow,
     "scripting",
     "A container for Lua scripts management commands.",
     "2.6.0",
     "Depends on subcommand.",
     nullptr,
     kScriptSubs,
     ""},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> scripting_commands() { return cmd::kScriptingCommands; }
}  // namespace dq::server
