// command_table.h — one declarative table of every command dq implements.
//
// Owns: CommandSpec (name, arity, flags, key positions, ACL categories, docs, handler) and
// lookup. The same table drives dispatch gates, COMMAND (INFO / DOCS / COUNT / LIST /
// GETKEYS), INFO commandstats and the meta-tests. A command that is not in the table answers
// Redis's "unknown command" error: there are no stubs.
//
// Arity follows Redis: N means exactly N arguments (the name counted), -N at least N.
// Keys are {first, last, step}; a negative last counts from the end (BLPOP: 1, -2, 1).
// Families register their tables in command_table.cpp (kStringCommands, kKeyCommands, ...).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dq::server {

struct CommandContext;
using Handler = void (*)(CommandContext&);

// Command flags (names as COMMAND INFO prints them).
enum CmdFlag : uint32_t {
  kWrite = 1u << 0,
  kReadOnly = 1u << 1,
  kDenyOom = 1u << 2,
  kAdmin = 1u << 3,
  kPubSub = 1u << 4,
  kNoScript = 1u << 5,
  kBlocking = 1u << 6,
  kLoading = 1u << 7,
  kStale = 1u << 8,
  kSkipMonitor = 1u << 9,
  kSkipSlowlog = 1u << 10,
  kFast = 1u << 11,
  kNoAuth = 1u << 12,
  kMayReplicate = 1u << 13,
  kNoMandatoryKeys = 1u << 14,
  kNoMulti = 1u << 15,
  kMovableKeys = 1u << 16,
  kAllowBusy = 1u << 17,
  kAsking = 1u << 18,
  kNoAsyncLoading = 1u << 19,
  // dq-internal (not printed): allowed in RESP2 subscribe mode.
  kSubscribeOk = 1u << 30,
  // dq-internal: runs immediately inside MULTI (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET).
  kTxControl = 1u << 29,
  // dq-internal: MONITOR shows the arguments as "(redacted)" (AUTH, HELLO), as Redis 7.
  kRedactArgs = 1u << 28,
};

// ACL categories (names as "@keyspace", ...).
enum AclCat : uint32_t {
  kAclKeyspace = 1u << 0,
  kAclRead = 1u << 1,
  kAclWrite = 1u << 2,
  kAclSet = 1u << 3,
  kAclSortedSet = 1u << 4,
  kAclList = 1u << 5,
  kAclHash = 1u << 6,
  kAclString = 1u << 7,
  kAclBitmap = 1u << 8,
  kAclHyperLogLog = 1u << 9,
  kAclGeo = 1u << 10,
  kAclStream = 1u << 11,
  kAclPubSub = 1u << 12,
  kAclAdmin = 1u << 13,
  kAclFast = 1u << 14,
  kAclSlow = 1u << 15,
  kAclBlocking = 1u << 16,
  kAclDangerous = 1u << 17,
  kAclConnection = 1u << 18,
  kAclTransaction = 1u << 19,
  kAclScripting = 1u << 20,
};

struct KeySpec {
  int first = 0, last = 0, step = 0;
};

struct CommandSpec {
  const char* name;  // lower case; subcommands are "parent|sub"
  int arity;
  uint32_t flags;
  KeySpec keys;
  uint32_t acl;
  const char* group;  // "string", "generic", "connection", "server", ...
  const char* summary;
  const char* since;
  const char* complexity;
  Handler handler;
  // Subcommands (CONFIG GET, CLIENT LIST, ...). A container's own handler is unused.
  std::span<const CommandSpec> subcommands = {};
  // Argument syntax for COMMAND DOCS (redis-cli hints), e.g. "key value [NX|XX] [GET]".
  const char* syntax = "";
  // COMMAND INFO tips, space separated ("nondeterministic_output request_policy:all_shards").
  const char* tips = "";
};

struct CommandStats {
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected = 0;
  uint64_t failed = 0;
};

// A command entry as looked up: the spec plus its mutable statistics.
struct Command {
  const CommandSpec* spec;
  std::string fullname;  // "get", "config|get"
  const Command* parent = nullptr;
  std::vector<Command*> subs;  // sorted by name
  CommandStats stats;
  bool is_container() const { return !spec->subcommands.empty(); }
  const Command* find_sub(std::string_view name) const;
};

class CommandTable {
 public:
  static CommandTable& instance();
  // Case-insensitive lookup of a top-level command (nullptr if unknown).
  Command* find(std::string_view name) const;
  const std::vector<Command*>& all() const { return top_; }
  // Every command and subcommand.
  std::vector<Command*> everything() const;

 private:
  CommandTable();
  std::vector<std::unique_ptr<Command>> owned_;  // every command and subcommand
  std::vector<Command*> top_;
  // find(): top-level commands by lower-case name, open addressing (FNV-1a, linear probing).
  static constexpr size_t kSlots = 1024;
  std::array<Command*, kSlots> slots_{};
};

// Resolves the keys of a command invocation from its key spec (COMMAND GETKEYS, gates).
// Returns argument indexes.
std::vector<int> command_key_positions(const CommandSpec& spec, int argc);
// The keys of a full command line (line[0] the command name), movable-keys layouts included
// (ZUNION's numkeys, XREAD's STREAMS, GEORADIUS's STORE, ...), as argument indexes: COMMAND
// GETKEYS and CLIENT TRACKING's key remembering share it.
std::vector<int> command_keys(const Command& cmd, std::span<const std::string_view> line);

// Family tables (each defined in its server/commands/<family>.cpp).
std::span<const CommandSpec> string_commands();
std::span<const CommandSpec> key_commands();
std::span<const CommandSpec> connection_commands();
std::span<const CommandSpec> server_commands();
std::span<const CommandSpec> command_commands();
std::span<const CommandSpec> client_commands();
std::span<const CommandSpec> list_commands();
std::span<const CommandSpec> transaction_commands();
std::span<const CommandSpec> hash_commands();
std::span<const CommandSpec> set_commands();
std::span<const CommandSpec> zset_commands();
std::span<const CommandSpec> sort_commands();
std::span<const CommandSpec> scripting_commands();
std::span<const CommandSpec> function_commands();
std::span<const CommandSpec> pubsub_commands();
std::span<const CommandSpec> stream_commands();
std::span<const CommandSpec> hyperloglog_commands();
std::span<const CommandSpec> geo_commands();
std::span<const CommandSpec> bitmap_commands();
std::span<const CommandSpec> persistence_commands();

}  // namespace dq::server
