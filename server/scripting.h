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
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct lua_State;

namespace dq::server {

class Server;
struct Client;
struct CommandContext;

class ScriptEngine {
 public:
  explicit ScriptEngine(Server& s);
  ~ScriptEngine();
  ScriptEngine(const ScriptEngine&) = delete;
  ScriptEngine& operator=(const ScriptEngine&) = delete;

  // EVAL / EVAL_RO (by_sha=false) and EVALSHA / EVALSHA_RO.
  void eval(CommandContext& ctx, bool by_sha, bool read_only);
  // SCRIPT LOAD: compiles and caches; returns the sha, or "" with *err set.
  std::string load(std::string_view body, std::string* err);
  bool exists(std::string_view sha) const { return scripts_.count(std::string(sha)) > 0; }
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
  std::unordered_map<std::string, size_t> scripts_;  // sha -> body size
  std::unique_ptr<Client> client_;                   // the script's client
  bool running_ = false;
  bool running_function_ = false;  // FCALL (vs EVAL): picks the BUSY / KILL texts
  bool timed_out_ = false;         // past busy-reply-threshold
  bool killed_ = false;            // SCRIPT KILL armed
  bool wrote_ = false;             // ran a write command: not killable any more
  int64_t start_ms_ = 0;
  Client* caller_ = nullptr;  // not read from while its script is busy
  bool read_only_ = false;
  int caller_proto_ = 2;
  std::string current_sha_;
  std::string call_error_;  // outlives run_call(): the message a redis.call error raises
};

}  // namespace dq::server
