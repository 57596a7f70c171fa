#include "storage/pubsub.h"

#include "storage/keyspace.h"  // glob_match

namespace dq::storage {

PubSub::PubSub() = default;
PubSub::~PubSub() = default;

PubSub::Entry* PubSub::Table::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &*it->second;
}

PubSub::Entry& PubSub::Table::get_or_create(std::string_view name) {
  if (Entry* e = find(name)) return *e;
  entries_.push_back(Entry{std::string(name), {}});
  auto node = std::prev(entries_.end());
  index_.emplace(std::string_view(node->name), node);
  return *node;
}

void PubSub::Table::erase(std::string_view name) {
  auto it = index_.find(name);
  if (it == index_.end()) return;
  auto node = it->second;
  index_.erase(it);  // the key views into the node: drop it first
  entries_.erase(node);
}

bool PubSub::pattern_matches(std::string_view pattern, std::string_view channel) {
  return glob_match(pattern, channel);
}

bool PubSub::subscribe(SubKind k, std::string_view name, Subscriber s) {
  Held& held = by_subscriber_[s];
  if (!held.names[idx(k)].insert(name)) return false;
  tables_[idx(k)].get_or_create(name).subs.insert(s);
  return true;
}

bool PubSub::unsubscribe(SubKind k, std::string_view name_in, Subscriber s) {
  // A copy: the caller's view may point into a name this call frees.
  std::string name(name_in);
  auto it = by_subscriber_.find(s);
  if (it == by_subscriber_.end()) return false;
  Held& held = it->second;
  if (!held.names[idx(k)].contains(name)) return false;
  Table& t = tables_[idx(k)];
  if (Entry* e = t.find(name)) {
    e->subs.erase(s);
    if (e->subs.empty()) t.erase(name);
  }
  held.names[idx(k)].erase(name);
  if (held.total() == 0) by_subscriber_.erase(it);
  return true;
}

std::vector<std::string> PubSub::unsubscribe_all(SubKind k, Subscriber s) {
  std::vector<std::string> out;
  auto it = by_subscriber_.find(s);
  if (it == by_subscriber_.end()) return out;
  out.assign(it->second.names[idx(k)].begin(), it->second.names[idx(k)].end());
  for (const std::string& name : out) unsubscribe(k, name, s);
  return out;
}

void PubSub::forget(Subscriber s) {
  for (size_t k = 0; k < kSubKinds; ++k) unsubscribe_all(static_cast<SubKind>(k), s);
}

size_t PubSub::count(SubKind k, Subscriber s) const {
  auto it = by_subscriber_.find(s);
  return it == by_subscriber_.end() ? 0 : it->second.names[idx(k)].size();
}

size_t PubSub::total(Subscriber s) const {
  auto it = by_subscriber_.find(s);
  return it == by_subscriber_.end() ? 0 : it->second.total();
}

size_t PubSub::numsub(SubKind k, std::string_view name) const {
  const Entry* e = tables_[idx(k)].find(name);
  return e ? e->subs.size() : 0;
}

std::vector<std::string_view> PubSub::names(SubKind k, const std::string_view* match) const {
  std::vector<std::string_view> out;
  for (const Entry& e : tables_[idx(k)].entries())
    if (!match || glob_match(*match, e.name)) out.emplace_back(e.name);
  return out;
}

}  // namespace dq::storage
