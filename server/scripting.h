// scripting.h — Lua 5.1 scripts, as Redis runs them (EVAL, EVALSHA, SCRIPT).
//
// Owns: one Lua state, the script cache (sha1 -> compiled function, kept in the registry),
// the script's own client (what redis.call runs as), and the conversions between RESP and
// Lua values in both directions.
//
// How a script runs: EVAL compiles the body once (named by its SHA-1), sets KEYS and ARGV,
// and calls it on the loop thread: nothing else runs meanwhile (atomicity). redis.call builds
// the command, checks it (unknown, arity, noscript, writes in a read-only script), runs its
// handler directly for the script client with blocking commands in their non-blocking form,
// then turns the RESP reply the handler wrote into Lua values. Writes wake blocked clients
// after the script returns (the dispatcher serves ready keys after each command).
//
// Sandbox as Redis 7: base, table, string, math libraries (no io, no package; os holds only
// clock as 7.2), no loadfile/dofile; globals are read-only (assigning one is
// "Attempt to modify a readonly table"; reading an unknown one is an error).
//
// Redis 7 functions (server/functions.*) keep their libraries in a Lua state of their own,
// built by new_state() with the same sandbox and redis library, and run through run(), the
// one entry point of every script and function: EVAL and FCALL share the script client, the
// redis.call bridge, the conversions and the error format.
//
// Script flags (Redis 7): EVAL bodies may start with "#!lua flags=no-writes,..." and
// functions declare flags at registration. A script without a shebang runs in EVAL's
// compatibility mode, where the flags do not apply.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct lua_State;

namespace dq::server {

class Server;
struct Client;
struct CommandContext;

enum ScriptFlag : uint32_t {
  kScriptNoWrites = 1u << 0,
  kScriptAllowOom = 1u << 1,
  kScriptAllowStale = 1u << 2,
  kScriptNoCluster = 1u << 3,
  kScriptAllowCrossSlot = 1u << 4,
  kScriptEvalCompat = 1u << 5,  // EVAL without a shebang (not a flag one can name)
};
struct ScriptFlagName {
  uint32_t flag;
  const char* name;
};
// In Redis's order (FUNCTION LIST prints them so).
inline constexpr ScriptFlagName kScriptFlagNames[] = {
    {kScriptNoWrites, "no-writes"},
    {kScriptAllowOom, "allow-oom"},
    {kScriptAllowStale, "allow-stale"},
    {kScriptNoCluster, "no-cluster"},
    {kScriptAllowCrossSlot, "allow-cross-slot-keys"},
};
// The flag named `name` (0 if none): the shebang compares case-sensitively,
// redis.register_function ignores case.
uint32_t script_flag(std::string_view name, bool ignore_case);

// Building blocks of the sandbox, for the FUNCTION engine's load-time environment.
// Pushes {err=msg}.
void sandbox_push_error(lua_State* L, std::string_view msg);
// Replaces the table on the top of the stack by a read-only proxy over it; with strict_reads
// reading a missing field is an error too (Redis's FUNCTION LOAD library API).
void sandbox_make_readonly(lua_State* L, bool strict_reads);
// Sets log, LOG_*, REDIS_VERSION and REDIS_VERSION_NUM in the table on the top of the stack.
void sandbox_add_log_api(lua_State* L);
// Pushes an array of strings (KEYS, ARGV, a function's keys and args).
void sandbox_push_strings(lua_State* L, std::span<const std::string_view> items);
// Pops a table that global reads resolve to from now on; pushes the previous one.
void sandbox_swap_globals(lua_State* L);
// A Lua error value as Redis reports it: a string gets "ERR ", a table gives its err field.
std::string sandbox_error_text(lua_State* L, int idx);

class ScriptEngine {
 public:
  explicit ScriptEngine(Server& s);
  ~ScriptEngine();
  ScriptEngine(const ScriptEngine&) = delete;
  ScriptEngine& operator=(const ScriptEngine&) = delete;

  // EVAL / EVAL_RO (by_sha=false) and EVALSHA / EVALSHA_RO.
  void eval(CommandContext& ctx, bool by_sha, bool read_only);
  // Runs the Lua function under its nargs arguments on L's stack (popping them) as the
  // script `name` for ctx's client, and replies with its result or error. The one place
  // every EVAL and FCALL runs.
  void run(CommandContext& ctx, lua_State* L, int nargs, std::string_view name, bool read_only,
           bool is_eval);
  // maxmemory: answers the OOM error and returns true when a script with these flags may
  // not start because the command found the server out of memory. Otherwise returns false
  // and arms the in-script check (a compatibility-mode script may not make its first
  // write with a denyoom command; allow-oom lifts it).
  bool refuse_for_oom(CommandContext& ctx, uint32_t flags);
  // A fresh Lua state with the sandbox and the redis library bound to this engine.
  lua_State* new_state();
  // SCRIPT LOAD: compiles and caches; returns the sha, or "" with *err set.
  std::string load(std::string_view body, std::string* err);
  bool exists(std::string_view sha) const { return scripts_.find(sha) != scripts_.end(); }
  void flush();
  bool running() const { return running_; }
  // True once the running script has run past busy-reply-threshold: from then on the
  // script's count hook lets the server serve other clients (Server::serve_while_busy),
  // which get busy_error() except for the allow-busy commands (SCRIPT KILL, SHUTDOWN ...).
  bool busy() const { return running_ && timed_out_; }
  std::string_view busy_error() const;
  // SCRIPT KILL (eval_kill) / FUNCTION KILL: "" when the kill is armed (the script raises
  // at its next hook), else the error to answer (NOTBUSY, UNKILLABLE, BUSY).
  std::string_view kill(bool eval_kill);
  // The count hook's work; true when the script must be aborted (killed).
  bool check_busy();
  // While running: EVAL or a function, its name (sha or function name), the caller's
  // command and the start time in unix ms (FUNCTION STATS).
  bool running_eval() const { return running_eval_; }
  const std::string& running_name() const { return current_name_; }
  const CommandContext* caller() const { return caller_; }
  int64_t started_ms() const { return started_ms_; }
  size_t cached() const { return scripts_.size(); }
  size_t memory() const;

  // Called from the Lua bridge (redis.call / redis.pcall).
  int call_from_lua(lua_State* L, bool raise);
  // The C++ part of a call: false with call_error_ set on a refusal; else pushes the reply.
  bool run_call(lua_State* L, bool* reply_is_error);
  int setresp_from_lua(lua_State* L);

 private:
  void init_state();
  bool compile(const std::string& sha, std::string_view body, std::string* err);

  Server& server_;
  lua_State* L_ = nullptr;
  struct CachedScript {
    size_t size;
    uint32_t flags;  // ScriptFlag bits from the shebang
  };
  struct ShaHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // By sha; looked up with string_views (no copy per EVALSHA).
  std::unordered_map<std::string, CachedScript, ShaHash, std::equal_to<>> scripts_;
  // Scratch of run_call, reused (a call cannot nest: scripts cannot call EVAL).
  std::vector<std::string_view> call_args_;
  std::string call_numbers_;  // number arguments formatted as strings
  std::string call_reply_;
  std::unique_ptr<Client> client_;  // the script's client
  bool running_ = false;
  bool timed_out_ = false;  // past busy-reply-threshold
  bool killed_ = false;     // SCRIPT KILL / FUNCTION KILL armed
  bool wrote_ = false;      // ran a write command: not killable any more
  bool read_only_ = false;
  bool allow_oom_ = false;  // the running script declared allow-oom
  int caller_proto_ = 2;
  bool running_eval_ = false;
  const CommandContext* caller_ = nullptr;  // its client is not read while the script is busy
  int64_t started_ms_ = 0;
  std::string current_name_;
  std::string call_error_;  // outlives run_call(): the message a redis.call error raises
};

}  // namespace dq::server
