// functions.cpp — Redis 7 functions: FCALL, FCALL_RO and FUNCTION LOAD | LIST | DELETE |
// FLUSH | DUMP | RESTORE | STATS | KILL | HELP. The engine (server/functions.*) keeps the
// libraries; these are the table entries, argument checks and reply shapes.
#include "server/functions.h"

#include "server/command_context.h"
#include "server/scripting.h"
#include "storage/keyspace.h"

namespace dq::cmd {

using namespace dq::server;

namespace {

void fcall_cmd(CommandContext& ctx) { ctx.server.functions().fcall(ctx, false); }
void fcall_ro_cmd(CommandContext& ctx) { ctx.server.functions().fcall(ctx, true); }

// Redis's addReplySubcommandSyntaxError.
void subcommand_syntax_error(CommandContext& ctx) {
  std::string cmd(ctx.arg(0));
  for (char& c : cmd) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ctx.error_fmt(err::kFmtSubcommandSyntax, ctx.arg(1).substr(0, 128), cmd);
}

// FUNCTION LOAD [REPLACE] code
void function_load_cmd(CommandContext& ctx) {
  bool replace = false;
  size_t i = 2;
  for (; i + 1 < ctx.argc(); ++i) {
    if (!arg_is(ctx.arg(i), "replace"))
      return ctx.error_fmt(err::kFmtFunctionUnknownOption, ctx.arg(i));
    replace = true;
  }
  if (i >= ctx.argc()) return ctx.error(err::kFunctionCodeMissing);
  std::string e;
  std::string name = ctx.server.functions().load(ctx.arg(i), replace, &e);
  if (name.empty()) return ctx.error(e);
  ctx.server.add_dirty(1);
  ctx.reply().bulk(name);
}

// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]: libraries in name order, functions in
// registration order (Redis's order is its dicts' and varies).
void function_list_cmd(CommandContext& ctx) {
  bool with_code = false, filtered = false;
  std::string_view pattern;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (!with_code && arg_is(ctx.arg(i), "withcode")) {
      with_code = true;
    } else if (!filtered && arg_is(ctx.arg(i), "libraryname")) {
      if (i + 1 >= ctx.argc()) return ctx.error(err::kFunctionListNoName);
      filtered = true;
      pattern = ctx.arg(++i);
    } else {
      return ctx.error_fmt(err::kFmtFunctionListUnknownArg, ctx.arg(i));
    }
  }
  const auto& libs = ctx.server.functions().libraries();
  auto wanted = [&](const std::string& name) {
    return !filtered || storage::glob_match(pattern, name, /*nocase=*/true);
  };
  size_t n = 0;
  for (const auto& [name, lib] : libs) n += wanted(name) ? 1 : 0;
  auto& r = ctx.reply();
  r.array(n);
  for (const auto& [name, lib] : libs) {
    if (!wanted(name)) continue;
    r.map(with_code ? 4 : 3);
    r.bulk("library_name");
    r.bulk(name);
    r.bulk("engine");
    r.bulk("LUA");
    r.bulk("functions");
    r.array(lib->functions.size());
    for (const FunctionEngine::Function& f : lib->functions) {
      r.map(3);
      r.bulk("name");
      r.bulk(f.name);
      r.bulk("description");
      if (f.description)
        r.bulk(*f.description);
      else
        r.null();
      r.bulk("flags");
      size_t nflags = 0;
      for (const ScriptFlagName& fl : kScriptFlagNames) nflags += (f.flags & fl.flag) ? 1 : 0;
      r.set(nflags);
      for (const ScriptFlagName& fl : kScriptFlagNames)
        if (f.flags & fl.flag) r.simple(fl.name);
    }
    if (with_code) {
      r.bulk("library_code");
      r.bulk(lib->code);
    }
  }
}

// FUNCTION DELETE library-name
void function_delete_cmd(CommandContext& ctx) {
  if (!ctx.server.functions().remove(ctx.arg(2))) return ctx.error(err::kLibraryNotFound);
  ctx.server.add_dirty(1);
  ctx.reply().ok();
}

// FUNCTION FLUSH [ASYNC|SYNC]: both free at once (a library set is small).
void function_flush_cmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return subcommand_syntax_error(ctx);
  if (ctx.argc() == 3 && !arg_is(ctx.arg(2), "sync") && !arg_is(ctx.arg(2), "async"))
    return ctx.error(err::kFunctionFlushMode);
  ctx.server.functions().flush();
  ctx.server.add_dirty(1);
  ctx.reply().ok();
}

void function_dump_cmd(CommandContext& ctx) { ctx.reply().bulk(ctx.server.functions().dump()); }

// FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]
void function_restore_cmd(CommandContext& ctx) {
  if (ctx.argc() > 4) return subcommand_syntax_error(ctx);
  auto policy = FunctionEngine::RestorePolicy::Append;
  if (ctx.argc() == 4) {
    std::string_view p = ctx.arg(3);
    if (arg_is(p, "append"))
      policy = FunctionEngine::RestorePolicy::Append;
    else if (arg_is(p, "replace"))
      policy = FunctionEngine::RestorePolicy::Replace;
    else if (arg_is(p, "flush"))
      policy = FunctionEngine::RestorePolicy::Flush;
    else
      return ctx.error(err::kFunctionRestorePolicy);
  }
  std::string e;
  if (!ctx.server.functions().restore(ctx.arg(2), policy, &e)) return ctx.error(e);
  ctx.server.add_dirty(1);
  ctx.reply().ok();
}

// FUNCTION STATS: the running function (while a busy script lets other clients in) and the
// engine's counts.
void function_stats_cmd(CommandContext& ctx) {
  const ScriptEngine& scripts = ctx.server.scripts();
  if (scripts.running() && scripts.running_eval()) return ctx.error(err::kBusyEval);
  auto& r = ctx.reply();
  r.map(2);
  r.bulk("running_script");
  if (!scripts.running() || !scripts.caller()) {
    r.null();
  } else {
    r.map(3);
    r.bulk("name");
    r.bulk(scripts.running_name());
    r.bulk("command");
    r.array(scripts.caller()->argc());
    for (std::string_view a : scripts.caller()->args) r.bulk(a);
    r.bulk("duration_ms");
    r.integer(ctx.now - scripts.started_ms());
  }
  r.bulk("engines");
  r.map(1);
  r.bulk("LUA");
  r.map(2);
  r.bulk("libraries_count");
  r.integer(static_cast<int64_t>(ctx.server.functions().libraries().size()));
  r.bulk("functions_count");
  r.integer(static_cast<int64_t>(ctx.server.functions().function_count()));
}

// Runs only while a function is busy (served from its hook): arms the kill.
void function_kill_cmd(CommandContext& ctx) {
  std::string_view e = ctx.server.scripts().kill(false);
  if (!e.empty()) return ctx.error(e);
  ctx.reply().ok();
}

void function_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LOAD [REPLACE] <FUNCTION CODE>",
      "    Create a new library with the given library name and code.",
      "DELETE <LIBRARY NAME>",
      "    Delete the given library.",
      "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
      "    Return general information on all the libraries:",
      "    * Library name",
      "    * The engine used to run the Library",
      "    * Functions list",
      "    * Library code (if WITHCODE is given)",
      "    It also possible to get only function that matches a pattern using LIBRARYNAME "
      "argument.",
      "STATS",
      "    Return information about the current function running:",
      "    * Function name",
      "    * Command used to run the function",
      "    * Duration in MS that the function is running",
      "    If no function is running, return nil",
      "    In addition, returns a list of available engines.",
      "KILL",
      "    Kill the current running function.",
      "FLUSH [ASYNC|SYNC]",
      "    Delete all the libraries.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the libraries.",
      "    * SYNC: Synchronously flush the libraries.",
      "DUMP",
      "    Return a serialized payload representing the current libraries, can be restored using "
      "FUNCTION RESTORE command",
      "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
      "    Restore the libraries represented by the given payload, it is possible to give a "
      "restore policy to",
      "    control how to handle existing libraries (default APPEND):",
      "    * FLUSH: delete all existing libraries.",
      "    * APPEND: appends the restored libraries to the existing libraries. On collision, "
      "abort.",
      "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
      "replace the old",
      "      libraries with the new libraries (notice that even on this option there is a "
      "chance of failure",
      "      in case of functions name collision with another library).",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply().array(std::size(kLines));
  for (std::string_view l : kLines) ctx.reply().simple(l);
}

constexpr uint32_t kFcallFlags =
    kNoScript | kStale | kSkipMonitor | kNoMandatoryKeys | kMovableKeys;
constexpr uint32_t kScr = kAclSlow | kAclScripting;
constexpr uint32_t kWriteScr = kAclWrite | kAclSlow | kAclScripting;
constexpr const char* kAllShards = "request_policy:all_shards response_policy:all_succeeded";

constexpr CommandSpec kFunctionSubs[] = {
    {"delete",
     3,
     kWrite | kNoScript,
     {},
     kWriteScr,
     "scripting",
     "Deletes a library and its functions.",
     "7.0.0",
     "O(1)",
     function_delete_cmd,
     {},
     "library-name",
     kAllShards},
    {"dump",
     2,
     kNoScript,
     {},
     kScr,
     "scripting",
     "Dumps all libraries into a serialized binary payload.",
     "7.0.0",
     "O(N) where N is the number of functions",
     function_dump_cmd,
     {},
     ""},
    {"flush",
     -2,
     kWrite | kNoScript,
     {},
     kWriteScr,
     "scripting",
     "Deletes all libraries and functions.",
     "7.0.0",
     "O(N) where N is the number of functions deleted",
     function_flush_cmd,
     {},
     "[ASYNC|SYNC]",
     kAllShards},
    {"help",
     2,
     kLoading | kStale,
     {},
     kScr,
     "scripting",
     "Returns helpful text about the different subcommands.",
     "7.0.0",
     "O(1)",
     function_help_cmd,
     {},
     ""},
    {"kill",
     2,
     kNoScript | kAllowBusy,
     {},
     kScr,
     "scripting",
     "Terminates a function during execution.",
     "7.0.0",
     "O(1)",
     function_kill_cmd,
     {},
     "",
     "request_policy:all_shards response_policy:one_succeeded"},
    {"list",
     -2,
     kNoScript,
     {},
     kScr,
     "scripting",
     "Returns information about all libraries.",
     "7.0.0",
     "O(N) where N is the number of functions",
     function_list_cmd,
     {},
     "[LIBRARYNAME library-name-pattern] [WITHCODE]",
     "nondeterministic_output_order"},
    {"load",
     -3,
     kWrite | kDenyOom | kNoScript,
     {},
     kWriteScr,
     "scripting",
     "Creates a library.",
     "7.0.0",
     "O(1) (considering compilation time is redundant)",
     function_load_cmd,
     {},
     "[REPLACE] function-code",
     kAllShards},
    {"restore",
     -3,
     kWrite | kDenyOom | kNoScript,
     {},
     kWriteScr,
     "scripting",
     "Restores all libraries from a payload.",
     "7.0.0",
     "O(N) where N is the number of functions on the payload",
     function_restore_cmd,
     {},
     "serialized-value [FLUSH|APPEND|REPLACE]",
     kAllShards},
    {"stats",
     2,
     kNoScript | kAllowBusy,
     {},
     kScr,
     "scripting",
     "Returns information about a function during execution.",
     "7.0.0",
     "O(1)",
     function_stats_cmd,
     {},
     "",
     "nondeterministic_output request_policy:all_shards response_policy:special"},
};

constexpr CommandSpec kFunctionCommands[] = {
    {"fcall",
     -3,
     kFcallFlags,
     {0, 0, 0},
     kScr,
     "scripting",
     "Invokes a function.",
     "7.0.0",
     "Depends on the function that is executed.",
     fcall_cmd,
     {},
     "function numkeys [key [key ...]] [arg [arg ...]]"},
    {"fcall_ro",
     -3,
     kReadOnly | kFcallFlags,
     {0, 0, 0},
     kScr,
     "scripting",
     "Invokes a read-only function.",
     "7.0.0",
     "Depends on the function that is executed.",
     fcall_ro_cmd,
     {},
     "function numkeys [key [key ...]] [arg [arg ...]]"},
    {"function",
     -2,
     0,
     {},
     kAclSlow,
     "scripting",
     "A container for function commands.",
     "7.0.0",
     "Depends on subcommand.",
     nullptr,
     kFunctionSubs,
     ""},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> function_commands() { return cmd::kFunctionCommands; }
}  // namespace dq::server
