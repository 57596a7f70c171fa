#include "server/command_table.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "server/command_context.h"

namespace dq::server {

namespace {
// FNV-1a of an already lower-cased name: a few ns for a command name, no division.
inline uint32_t name_hash(std::string_view lower) {
  uint32_t h = 2166136261u;
  for (char ch : lower) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
  return h;
}

Command* make(const CommandSpec& spec, const Command* parent,
              std::vector<std::unique_ptr<Command>>& owner) {
  std::string fullname = parent ? parent->fullname + "|" + spec.name : std::string(spec.name);
  owner.push_back(std::make_unique<Command>(Command{&spec, std::move(fullname), parent, {}, {}}));
  Command* c = owner.back().get();
  for (const CommandSpec& s : spec.subcommands) c->subs.push_back(make(s, c, owner));
  std::sort(c->subs.begin(), c->subs.end(),
            [](const Command* a, const Command* b) { return a->fullname < b->fullname; });
  return c;
}
}  // namespace

const Command* Command::find_sub(std::string_view name) const {
  std::string want = fullname + "|";
  for (char ch : name) want += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const Command* s : subs)
    if (s->fullname == want) return s;
  return nullptr;
}

CommandTable& CommandTable::instance() {
  static CommandTable t;
  return t;
}

CommandTable::CommandTable() {
  for (auto family : {string_commands(), key_commands(),         connection_commands(),
                      server_commands(), command_commands(),     client_commands(),
                      list_commands(),   transaction_commands(), pubsub_commands(),
                      hash_commands(),   set_commands(),         zset_commands(),
                      sort_commands(),   scripting_commands(),   function_commands(),
                      stream_commands(), hyperloglog_commands(), geo_commands(),
                      bitmap_commands(), persistence_commands()})
    for (const CommandSpec& s : family) top_.push_back(make(s, nullptr, owned_));
  std::sort(top_.begin(), top_.end(),
            [](const Command* a, const Command* b) { return a->fullname < b->fullname; });
  if (top_.size() * 2 > kSlots) std::abort();  // keep the table sparse: grow kSlots
  for (Command* c : top_) {
    size_t i = name_hash(c->fullname) & (kSlots - 1);
    while (slots_[i]) i = (i + 1) & (kSlots - 1);
    slots_[i] = c;
  }
}

Command* CommandTable::find(std::string_view name) const {
  char buf[64];
  if (name.size() >= sizeof(buf)) return nullptr;
  for (size_t i = 0; i < name.size(); ++i)  // ASCII only (no locale lookup per character)
    buf[i] = name[i] >= 'A' && name[i] <= 'Z' ? static_cast<char>(name[i] + 32) : name[i];
  std::string_view lower(buf, name.size());
  // Open addressing over a table 4x the number of commands: one probe, rarely two.
  for (size_t i = name_hash(lower) & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
    Command* c = slots_[i];
    if (!c || c->fullname == lower) return c;
  }
}

std::vector<Command*> CommandTable::everything() const {
  std::vector<Command*> out;
  for (Command* c : top_) {
    out.push_back(c);
    for (Command* s : c->subs) out.push_back(s);
  }
  return out;
}

std::vector<int> command_key_positions(const CommandSpec& spec, int argc) {
  std::vector<int> out;
  const KeySpec& k = spec.keys;
  if (k.first <= 0) return out;
  int last = k.last >= 0 ? k.last : argc + k.last;
  int step = k.step > 0 ? k.step : 1;
  for (int i = k.first; i <= last && i < argc; i += step) out.push_back(i);
  return out;
}

std::vector<int> command_keys(const Command& cmd, std::span<const std::string_view> line) {
  std::vector<int> keys = command_key_positions(*cmd.spec, static_cast<int>(line.size()));
  // Movable-keys commands: "numkeys key ..." layouts (ZUNION, SINTERCARD, EVAL, LMPOP...).
  if (cmd.spec->flags & kMovableKeys) {
    keys.clear();
    std::string_view n = cmd.fullname;
    size_t numkeys_at = 0;
    if (n == "eval" || n == "evalsha" || n == "eval_ro" || n == "evalsha_ro" || n == "fcall" ||
        n == "fcall_ro" || n == "zunionstore" || n == "zinterstore" || n == "zdiffstore" ||
        n == "blmpop" || n == "bzmpop")
      numkeys_at = 2;
    else if (n == "zunion" || n == "zinter" || n == "zdiff" || n == "sintercard" || n == "lmpop" ||
             n == "zmpop" || n == "zintercard")
      numkeys_at = 1;
    if (n == "xread" || n == "xreadgroup") {
      // As Redis's xreadGetKeys: skip the options up to STREAMS, then half of the rest.
      size_t streams = 0;
      for (size_t i = 1; i < line.size(); ++i) {
        std::string_view a = line[i];
        if (arg_is(a, "block") || arg_is(a, "count")) {
          ++i;
        } else if (arg_is(a, "group")) {
          i += 2;
        } else if (arg_is(a, "noack")) {
          continue;
        } else {
          if (arg_is(a, "streams")) streams = i;
          break;
        }
      }
      size_t rest = streams ? line.size() - streams - 1 : 0;
      if (rest && rest % 2 == 0)
        for (size_t k = 0; k < rest / 2; ++k) keys.push_back(static_cast<int>(streams + 1 + k));
    }
    if (n == "georadius" || n == "georadiusbymember") {
      // Redis 7's key specs: the source, then the key after the first STORE, then the key
      // after the first STOREDIST, each searched from the first optional argument.
      keys.push_back(1);
      size_t from = n == "georadius" ? 6 : 5;
      for (std::string_view word : {"store", "storedist"}) {
        for (size_t i = from; i < line.size(); ++i) {
          if (!arg_is(line[i], word)) continue;
          if (i + 1 < line.size()) keys.push_back(static_cast<int>(i + 1));
          break;
        }
      }
    }
    if (numkeys_at && numkeys_at < line.size()) {
      int64_t nk;
      if (protocol::parse_int64(line[numkeys_at], &nk) && nk > 0 &&
          static_cast<size_t>(nk) + numkeys_at < line.size()) {
        if (n == "zunionstore" || n == "zinterstore" || n == "zdiffstore") keys.push_back(1);
        for (int64_t k = 0; k < nk; ++k) keys.push_back(static_cast<int>(numkeys_at + 1 + k));
      }
    }
  }
  return keys;
}

}  // namespace dq::server
