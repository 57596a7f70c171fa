#include "server/command_table.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace dq::server {

namespace {
std::unordered_map<std::string_view, Command*>& name_index() {
  static std::unordered_map<std::string_view, Command*> m;
  return m;
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
  auto& idx = name_index();
  for (Command* c : top_) idx.emplace(c->fullname, c);
}

Command* CommandTable::find(std::string_view name) const {
  char buf[64];
  if (name.size() >= sizeof(buf)) return nullptr;
  for (size_t i = 0; i < name.size(); ++i)  // ASCII only (no locale lookup per character)
    buf[i] = name[i] >= 'A' && name[i] <= 'Z' ? static_cast<char>(name[i] + 32) : name[i];
  auto& idx = name_index();
  auto it = idx.find(std::string_view(buf, name.size()));
  return it == idx.end() ? nullptr : it->second;
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

}  // namespace dq::server
