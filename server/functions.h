// functions.h — Redis 7 functions: libraries of Lua functions loaded with FUNCTION LOAD and
// called with FCALL / FCALL_RO.
//
// Owns: the libraries (name, code, functions with their flags and descriptions) and the Lua
// state their functions live in. As Redis, functions have a state of their own, separate
// from EVAL's (SCRIPT FLUSH keeps them; FUNCTION FLUSH starts a fresh state), built by
// ScriptEngine::new_state() with the same sandbox and redis library; FCALL runs a function
// through ScriptEngine::run(), the entry point EVAL uses, so conversions, errors and the
// script client are shared.
//
// Loading: the code after the "#!lua name=<lib>" line runs once, with globals that hold only
// a restricted `redis` table (register_function, log, LOG_*, REDIS_VERSION[_NUM]) as Redis's
// library API; the functions it registers keep the full sandbox when called. Loading stops
// after 500 ms (Redis's "FUNCTION LOAD timeout").
//
// Invariants: library names are case-sensitive, function names are unique across libraries
// ignoring case (Redis's dicts). A failed LOAD or RESTORE changes nothing.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct lua_State;

namespace dq::server {

class ScriptEngine;
struct CommandContext;

class FunctionEngine {
 public:
  struct Function {
    std::string name;
    std::optional<std::string> description;
    uint32_t flags = 0;  // ScriptFlag bits
    int ref = 0;         // the callback, in the Lua registry
  };
  struct Library {
    std::string name;
    std::string code;                 // as loaded, shebang included
    std::vector<Function> functions;  // in registration order
  };
  enum class RestorePolicy { Flush, Append, Replace };

  explicit FunctionEngine(ScriptEngine& scripts);
  ~FunctionEngine();
  FunctionEngine(const FunctionEngine&) = delete;
  FunctionEngine& operator=(const FunctionEngine&) = delete;

  // FUNCTION LOAD [REPLACE]: the library's name, or "" with *err set (a full error reply).
  std::string load(std::string_view code, bool replace, std::string* err);
  // FUNCTION DELETE: false if there is no such library.
  bool remove(std::string_view library);
  // FUNCTION FLUSH: every library goes, with the Lua state.
  void flush();
  // FUNCTION DUMP / RESTORE: Redis's payload (RDB_OPCODE_FUNCTION2 + code per library, RDB
  // version, CRC-64), so payloads move between dq and Redis.
  std::string dump() const;
  bool restore(std::string_view payload, RestorePolicy policy, std::string* err);
  // FCALL / FCALL_RO.
  void fcall(CommandContext& ctx, bool read_only);

  // Libraries by name (FUNCTION LIST order).
  const std::map<std::string, std::unique_ptr<Library>>& libraries() const { return set_.libs; }
  size_t function_count() const { return set_.functions.size(); }
  size_t memory() const;

  // Called by redis.register_function (load time only): false with an error pushed.
  bool register_from_lua(lua_State* L);
  // Milliseconds the current load has run (the load hook's timeout).
  int64_t load_elapsed_ms() const;

 private:
  struct NoCaseHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const;
  };
  struct NoCaseEq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };
  // Libraries plus the index of their functions (Redis's functionsLibCtx).
  struct LibrarySet {
    std::map<std::string, std::unique_ptr<Library>> libs;
    std::unordered_map<std::string, const Function*, NoCaseHash, NoCaseEq> functions;
  };

  void init_state();
  // Compiles and runs a library's code: the new library (not yet in any set), or nullptr
  // with *err set.
  std::unique_ptr<Library> create(std::string_view code, std::string* err);
  // Parses, checks and creates a library, then adds it to set (replacing a library of the
  // same name only if replace). Returns the library name or "" with *err.
  std::string load_into(LibrarySet& set, std::string_view code, bool replace, std::string* err);
  void link(LibrarySet& set, std::unique_ptr<Library> lib);
  std::unique_ptr<Library> unlink(LibrarySet& set, const std::string& name);
  void release(Library& lib);  // unrefs its callbacks
  void clear(LibrarySet& set);

  ScriptEngine& scripts_;
  lua_State* L_ = nullptr;
  LibrarySet set_;
  Library* loading_ = nullptr;  // the library being created (redis.register_function)
  int64_t load_start_us_ = 0;
};

}  // namespace dq::server
