#include "server/functions.h"

#include <algorithm>
#include <chrono>
#include <lua5.1/lua.hpp>

#include "protocol/resp_parser.h"
#include "server/command_context.h"
#include "server/scripting.h"
#include "storage/rdb_format.h"

namespace dq::server {

namespace {

namespace rdb = storage::rdb;

constexpr const char* kFunctionEngineKey = "__dq_function_engine";
constexpr const char* kLoadApiKey = "__dq_load_api";  // the globals FUNCTION LOAD's code sees
constexpr int64_t kLoadTimeoutMs = 500;               // Redis's LOAD_TIMEOUT_MS
constexpr int kLoadHookInstructions = 100000;

constexpr std::string_view kNameRule =
    "Library names can only contain letters, numbers, or underscores(_) and must be at least "
    "one character long";

int64_t monotonic_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// Redis's functionsVerifyName: [a-zA-Z0-9_]+ (for libraries and functions alike).
bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

FunctionEngine* engine_of(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kFunctionEngineKey);
  auto* e = static_cast<FunctionEngine*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return e;
}

// Lua errors unwind with longjmp: no C++ object may be alive here when lua_error runs, so
// the work (and its strings) happens in register_from_lua, which returns first.
int l_register_function(lua_State* L) {
  if (!engine_of(L)->register_from_lua(L)) return lua_error(L);
  return 0;
}

// Stops a library whose loading code runs too long. After the first stop the hook fires on
// every line, so the error is raised again however the code tries to carry on.
void load_hook(lua_State* L, lua_Debug*) {
  if (engine_of(L)->load_elapsed_ms() <= kLoadTimeoutMs) return;
  lua_sethook(L, load_hook, LUA_MASKLINE, 0);
  sandbox_push_error(L, "ERR FUNCTION LOAD timeout");
  lua_error(L);
}

// "#!<engine> name=<library>\n<code>" (Redis's functionExtractLibMetaData).
struct LibraryMeta {
  std::string engine, name;
  size_t body_at = 0;  // the code starts at the newline, so line numbers count the shebang
};

bool parse_metadata(std::string_view code, LibraryMeta* md, std::string* err) {
  if (!code.starts_with("#!")) {
    *err = "ERR Missing library metadata";
    return false;
  }
  size_t eol = code.find('\n');
  std::vector<std::string> parts;
  if (eol == std::string_view::npos || !protocol::split_inline_args(code.substr(0, eol), &parts) ||
      parts.empty()) {
    *err = "ERR Invalid library metadata";
    return false;
  }
  md->engine = parts[0].size() >= 2 ? parts[0].substr(2) : std::string();
  bool named = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].size() >= 5 && iequals(std::string_view(parts[i]).substr(0, 5), "name=")) {
      if (named) {
        *err = "ERR Invalid metadata value, name argument was given multiple times";
        return false;
      }
      named = true;
      md->name = parts[i].substr(5);
      continue;
    }
    *err = "ERR Invalid metadata value given: " + parts[i];
    return false;
  }
  if (!named) {
    *err = "ERR Library name was not given";
    return false;
  }
  md->body_at = eol;
  return true;
}

// A string argument as Redis's luaGetStringSds: strings and numbers (copied, so a number
// key of a table being traversed stays a number).
bool lua_string_at(lua_State* L, int idx, std::string* out) {
  if (!lua_isstring(L, idx)) return false;
  lua_pushvalue(L, idx);
  size_t n;
  const char* s = lua_tolstring(L, -1, &n);
  out->assign(s, n);
  lua_pop(L, 1);
  return true;
}

}  // namespace

size_t FunctionEngine::NoCaseHash::operator()(std::string_view s) const {
  size_t h = 1469598103934665603ULL;  // FNV-1a over the lower-case bytes
  for (char c : s) h = (h ^ static_cast<unsigned char>(lower(c))) * 1099511628211ULL;
  return h;
}

bool FunctionEngine::NoCaseEq::operator()(std::string_view a, std::string_view b) const {
  return iequals(a, b);
}

FunctionEngine::FunctionEngine(ScriptEngine& scripts) : scripts_(scripts) { init_state(); }

FunctionEngine::~FunctionEngine() {
  if (L_) lua_close(L_);
}

void FunctionEngine::init_state() {
  if (L_) lua_close(L_);
  L_ = scripts_.new_state();
  lua_pushlightuserdata(L_, this);
  lua_setfield(L_, LUA_REGISTRYINDEX, kFunctionEngineKey);
  // The library API: while a library loads, globals hold only this restricted redis table.
  lua_newtable(L_);
  lua_newtable(L_);
  lua_pushcfunction(L_, l_register_function);
  lua_setfield(L_, -2, "register_function");
  sandbox_add_log_api(L_);
  sandbox_make_readonly(L_, /*strict_reads=*/true);
  lua_setfield(L_, -2, "redis");
  lua_setfield(L_, LUA_REGISTRYINDEX, kLoadApiKey);
}

size_t FunctionEngine::memory() const {
  return static_cast<size_t>(lua_gc(L_, LUA_GCCOUNT, 0)) * 1024;
}

int64_t FunctionEngine::load_elapsed_ms() const { return (monotonic_us() - load_start_us_) / 1000; }

std::string FunctionEngine::load(std::string_view code, bool replace, std::string* err) {
  return load_into(set_, code, replace, err);
}

std::string FunctionEngine::load_into(LibrarySet& set, std::string_view code, bool replace,
                                      std::string* err) {
  LibraryMeta md;
  if (!parse_metadata(code, &md, err)) return "";
  if (!valid_name(md.name)) {
    *err = "ERR " + std::string(kNameRule);
    return "";
  }
  if (!iequals(md.engine, "lua")) {
    *err = "ERR Engine '" + md.engine + "' not found";
    return "";
  }
  auto old = set.libs.find(md.name);
  if (old != set.libs.end() && !replace) {
    *err = "ERR Library '" + md.name + "' already exists";
    return "";
  }
  std::unique_ptr<Library> lib = create(code.substr(md.body_at), err);
  if (!lib) return "";
  lib->name = md.name;
  lib->code.assign(code);
  if (lib->functions.empty()) {
    release(*lib);
    *err = "ERR No functions registered";
    return "";
  }
  for (const Function& f : lib->functions) {
    auto it = set.functions.find(f.name);
    if (it == set.functions.end()) continue;
    bool replaced = old != set.libs.end() &&
                    std::any_of(old->second->functions.begin(), old->second->functions.end(),
                                [&](const Function& g) { return &g == it->second; });
    if (replaced) continue;
    *err = "ERR Function " + f.name + " already exists";
    release(*lib);
    return "";
  }
  if (old != set.libs.end()) release(*unlink(set, md.name));
  link(set, std::move(lib));
  return md.name;
}

std::unique_ptr<FunctionEngine::Library> FunctionEngine::create(std::string_view body,
                                                                std::string* err) {
  if (luaL_loadbuffer(L_, body.data(), body.size(), "@user_function") != 0) {
    *err = std::string("ERR Error compiling function: ") + lua_tostring(L_, -1);
    lua_pop(L_, 1);
    return nullptr;
  }
  auto lib = std::make_unique<Library>();
  loading_ = lib.get();
  load_start_us_ = monotonic_us();
  lua_getfield(L_, LUA_REGISTRYINDEX, kLoadApiKey);
  sandbox_swap_globals(L_);  // chunk, real globals
  lua_insert(L_, -2);        // real globals, chunk
  lua_sethook(L_, load_hook, LUA_MASKCOUNT, kLoadHookInstructions);
  int rc = lua_pcall(L_, 0, 0, 0);
  lua_sethook(L_, nullptr, 0, 0);
  if (rc != 0) {
    *err = "ERR Error registering functions: " + sandbox_error_text(L_, -1);
    lua_pop(L_, 1);
  }
  sandbox_swap_globals(L_);  // back to the real globals
  lua_pop(L_, 1);
  loading_ = nullptr;
  if (rc != 0) {
    release(*lib);
    return nullptr;
  }
  return lib;
}

// redis.register_function(name, callback) or redis.register_function{function_name=...,
// callback=..., flags={...}, description=...}, with Redis's checks and texts.
bool FunctionEngine::register_from_lua(lua_State* L) {
  const char* error = nullptr;
  Function f;
  bool have_name = false, have_callback = false;
  int argc = lua_gettop(L);
  if (!loading_) {
    error = "redis.register_function can only be called on FUNCTION LOAD command";
  } else if (argc < 1 || argc > 2) {
    error = "wrong number of arguments to redis.register_function";
  } else if (argc == 2) {
    if (!lua_string_at(L, 1, &f.name)) {
      error = "first argument to redis.register_function must be a string";
    } else if (!lua_isfunction(L, 2)) {
      error = "second argument to redis.register_function must be a function";
    } else {
      f.ref = luaL_ref(L, LUA_REGISTRYINDEX);
      have_name = have_callback = true;
    }
  } else if (!lua_istable(L, 1)) {
    error =
        "calling redis.register_function with a single argument is only applicable to Lua "
        "table (representing named arguments).";
  } else {
    std::string key;
    lua_pushnil(L);
    while (!error && lua_next(L, 1)) {  // table, key, value
      if (!lua_string_at(L, -2, &key)) {
        error = "named argument key given to redis.register_function is not a string";
      } else if (iequals(key, "function_name")) {
        if (lua_string_at(L, -1, &f.name))
          have_name = true;
        else
          error = "function_name argument given to redis.register_function must be a string";
      } else if (iequals(key, "description")) {
        std::string d;
        if (lua_string_at(L, -1, &d))
          f.description = std::move(d);
        else
          error = "description argument given to redis.register_function must be a string";
      } else if (iequals(key, "callback")) {
        if (!lua_isfunction(L, -1)) {
          error = "callback argument given to redis.register_function must be a function";
        } else {
          if (have_callback) luaL_unref(L, LUA_REGISTRYINDEX, f.ref);
          f.ref = luaL_ref(L, LUA_REGISTRYINDEX);  // pops the value
          have_callback = true;
          continue;
        }
      } else if (iequals(key, "flags")) {
        if (!lua_istable(L, -1)) {
          error =
              "flags argument to redis.register_function must be a table representing function "
              "flags";
        } else {
          f.flags = 0;
          for (int j = 1; !error; ++j) {
            lua_rawgeti(L, -1, j);
            if (lua_isnil(L, -1)) {
              lua_pop(L, 1);
              break;
            }
            std::string name;
            uint32_t bit = lua_string_at(L, -1, &name) ? script_flag(name, true) : 0;
            lua_pop(L, 1);
            if (!bit) error = "unknown flag given";
            f.flags |= bit;
          }
        }
      } else {
        error = "unknown argument given to redis.register_function";
      }
      if (!error) lua_pop(L, 1);  // the value; the key stays for lua_next
    }
    if (!error && !have_name) error = "redis.register_function must get a function name argument";
    if (!error && !have_callback) error = "redis.register_function must get a callback argument";
  }
  std::string_view refusal = error ? std::string_view(error) : std::string_view();
  if (refusal.empty() && !valid_name(f.name)) {
    refusal = kNameRule;  // Redis checks function names with the library rule, and says so
  } else if (refusal.empty() && std::any_of(loading_->functions.begin(), loading_->functions.end(),
                                            [&](const Function& g) { return g.name == f.name; })) {
    refusal = "Function already exists in the library";
  }
  if (!refusal.empty()) {
    if (have_callback) luaL_unref(L, LUA_REGISTRYINDEX, f.ref);
    sandbox_push_error(L, "ERR " + std::string(refusal));
    return false;
  }
  loading_->functions.push_back(std::move(f));
  return true;
}

void FunctionEngine::link(LibrarySet& set, std::unique_ptr<Library> lib) {
  // Two names of one library equal but for case: the first wins, as Redis's dictAdd.
  for (const Function& f : lib->functions) set.functions.emplace(f.name, &f);
  std::string name = lib->name;
  set.libs.emplace(std::move(name), std::move(lib));
}

std::unique_ptr<FunctionEngine::Library> FunctionEngine::unlink(LibrarySet& set,
                                                                const std::string& name) {
  auto it = set.libs.find(name);
  if (it == set.libs.end()) return nullptr;
  std::unique_ptr<Library> lib = std::move(it->second);
  set.libs.erase(it);
  for (const Function& f : lib->functions) {
    auto fit = set.functions.find(f.name);
    if (fit != set.functions.end() && fit->second == &f) set.functions.erase(fit);
  }
  return lib;
}

void FunctionEngine::release(Library& lib) {
  for (Function& f : lib.functions) luaL_unref(L_, LUA_REGISTRYINDEX, f.ref);
  lib.functions.clear();
}

void FunctionEngine::clear(LibrarySet& set) {
  for (auto& [name, lib] : set.libs) release(*lib);
  set.functions.clear();
  set.libs.clear();
}

bool FunctionEngine::remove(std::string_view library) {
  std::unique_ptr<Library> lib = unlink(set_, std::string(library));
  if (!lib) return false;
  release(*lib);
  return true;
}

void FunctionEngine::flush() {
  set_.functions.clear();
  set_.libs.clear();
  init_state();  // the callbacks go with the state
}

std::string FunctionEngine::dump() const {
  std::string out;
  for (const auto& [name, lib] : set_.libs) {
    out.push_back(static_cast<char>(rdb::kOpFunction2));
    rdb::append_string(out, lib->code);
  }
  rdb::append_footer(out);
  return out;
}

bool FunctionEngine::restore(std::string_view payload, RestorePolicy policy, std::string* err) {
  if (!rdb::verify_footer(payload)) {
    *err = err::kFunctionDumpPayload;
    return false;
  }
  LibrarySet incoming;
  rdb::Reader in(payload.substr(0, payload.size() - 10));
  std::string code;
  while (in.remaining() > 0) {
    uint8_t type = 0;
    in.byte(&type);
    if (type == rdb::kOpFunctionPreGa)
      *err = "ERR Pre-GA function format not supported";
    else if (type != rdb::kOpFunction2)
      *err = "ERR given type is not a function";
    else if (!in.string(&code))
      *err = "ERR Failed loading library payload";
    else if (!load_into(incoming, code, false, err).empty())
      continue;
    clear(incoming);
    return false;
  }
  if (policy == RestorePolicy::Flush) {
    clear(set_);
    set_ = std::move(incoming);
    return true;
  }
  // Redis's libraryJoin: a library already here aborts (APPEND) or is replaced (REPLACE);
  // a function name taken by a library that stays aborts either way.
  std::vector<std::string> replaced;
  for (const auto& [name, lib] : incoming.libs) {
    if (!set_.libs.count(name)) continue;
    if (policy != RestorePolicy::Replace) {
      *err = "ERR Library " + name + " already exists";
      clear(incoming);
      return false;
    }
    replaced.push_back(name);
  }
  for (const auto& [name, lib] : incoming.libs) {
    for (const Function& f : lib->functions) {
      auto it = set_.functions.find(f.name);
      if (it == set_.functions.end()) continue;
      bool goes = std::any_of(replaced.begin(), replaced.end(), [&](const std::string& r) {
        const auto& old = set_.libs.at(r)->functions;
        return std::any_of(old.begin(), old.end(),
                           [&](const Function& g) { return &g == it->second; });
      });
      if (goes) continue;
      *err = "ERR Function " + f.name + " already exists";
      clear(incoming);
      return false;
    }
  }
  for (const std::string& name : replaced) release(*unlink(set_, name));
  while (!incoming.libs.empty()) {
    std::string name = incoming.libs.begin()->first;
    link(set_, unlink(incoming, name));
  }
  return true;
}

void FunctionEngine::fcall(CommandContext& ctx, bool read_only) {
  // FCALL/FCALL_RO are flagged skip_monitor: as EVAL, they show themselves before the
  // commands their function runs (origin "lua"), errors or not, as Redis does.
  ctx.server.feed_monitors(&ctx.client, ctx.args, false);
  auto it = set_.functions.find(ctx.arg(1));
  if (it == set_.functions.end()) return ctx.error(err::kFunctionNotFound);
  int64_t numkeys;
  if (!protocol::parse_int64(ctx.arg(2), &numkeys)) return ctx.error(err::kFunctionBadNumkeys);
  if (numkeys > static_cast<int64_t>(ctx.argc()) - 3) return ctx.error(err::kNumkeysTooBig);
  if (numkeys < 0) return ctx.error(err::kNumkeysNegative);
  const Function& f = *it->second;
  // Redis 7's scriptPrepareForRun: a function that may write cannot run from FCALL_RO; one
  // declared no-writes runs read-only from FCALL too.
  if (scripts_.refuse_for_oom(ctx, f.flags)) return;
  if (!(f.flags & kScriptNoWrites) && read_only) return ctx.error(err::kScriptWriteFlagRo);

  // The callback gets (keys, args) as its two parameters.
  lua_rawgeti(L_, LUA_REGISTRYINDEX, f.ref);
  size_t first_arg = 3 + static_cast<size_t>(numkeys);
  sandbox_push_strings(L_, ctx.args.subspan(3, first_arg - 3));
  sandbox_push_strings(L_, ctx.args.subspan(first_arg));
  scripts_.run(ctx, L_, 2, f.name, read_only || (f.flags & kScriptNoWrites),
               /*is_eval=*/false);
}

}  // namespace dq::server
