// pubsub.h — the pub/sub registry: which subscriber listens to which channel, pattern or
// shard channel.
//
// Owns: channel -> ordered subscribers, pattern -> ordered subscribers, shard channel ->
// ordered subscribers (a separate namespace: PUBLISH never reaches SSUBSCRIBE and patterns
// never match shard channels), and per subscriber the ordered set of what it holds of each
// kind. Subscribers are opaque handles (the server passes its Client*); nothing here
// dereferences them.
// Must not include: sockets, libuv, protocol, server/.
//
// Invariants:
// - A name is present in a table iff at least one subscriber holds it (the last unsubscribe
//   removes it), so active() is PUBSUB CHANNELS / NUMPAT / SHARDCHANNELS's count.
// - Subscribers of a name are kept in subscription order, and so are a subscriber's names:
//   delivery order and "unsubscribe all" order are deterministic.
// - Every operation is O(1) in the number of other subscribers (insertion-ordered hash sets),
//   so a disconnect storm of N subscribers of one channel costs O(N), not O(N^2).
// - for_each_receiver() must not be re-entered with a mutation: the callback only records
//   or writes, it never (un)subscribes. The server writes messages during the walk and only
//   afterwards enforces output limits (which may drop a subscriber).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace dq::storage {

using Subscriber = const void*;

enum class SubKind : uint8_t { Channel = 0, Pattern = 1, Shard = 2 };
inline constexpr size_t kSubKinds = 3;

// An insertion-ordered set with O(1) insert, erase and lookup. Strings are looked up by
// string_view into the stored node (list nodes never move).
template <class T>
class OrderedSet {
 public:
  using Key = std::conditional_t<std::is_same_v<T, std::string>, std::string_view, T>;

  bool insert(Key k) {
    if (index_.count(k)) return false;
    order_.emplace_back(T(k));
    index_.emplace(Key(order_.back()), std::prev(order_.end()));
    return true;
  }
  bool erase(Key k) {
    auto it = index_.find(k);
    if (it == index_.end()) return false;
    auto node = it->second;
    index_.erase(it);  // before the node: the key may view into it
    order_.erase(node);
    return true;
  }
  bool contains(Key k) const { return index_.count(k) != 0; }
  size_t size() const { return order_.size(); }
  bool empty() const { return order_.empty(); }
  auto begin() const { return order_.begin(); }
  auto end() const { return order_.end(); }

 private:
  std::list<T> order_;
  std::unordered_map<Key, typename std::list<T>::iterator> index_;
};

class PubSub {
 public:
  PubSub();
  ~PubSub();
  PubSub(const PubSub&) = delete;
  PubSub& operator=(const PubSub&) = delete;

  // Adds s to name; false if s already held it (nothing changes).
  bool subscribe(SubKind k, std::string_view name, Subscriber s);
  // Removes s from name; false if s did not hold it.
  bool unsubscribe(SubKind k, std::string_view name, Subscriber s);
  // Removes every name of kind k held by s; returns them in subscription order.
  std::vector<std::string> unsubscribe_all(SubKind k, Subscriber s);
  // Removes everything s holds (disconnect, RESET).
  void forget(Subscriber s);
  // How many names of kind k s holds.
  size_t count(SubKind k, Subscriber s) const;
  // Every subscription s holds, of all kinds.
  size_t total(Subscriber s) const;

  // Calls fn(subscriber, pattern) for each receiver of a message on channel: for
  // Channel, its direct subscribers (pattern == nullptr) in subscription order, then each
  // subscriber of each matching pattern (patterns in creation order); for Shard, the shard
  // channel's subscribers. Returns the number of calls (PUBLISH's reply).
  template <class Fn>
  size_t for_each_receiver(SubKind k, std::string_view channel, Fn&& fn) const;

  // Names with at least one subscriber (channels, distinct patterns, shard channels).
  size_t active(SubKind k) const { return tables_[idx(k)].size(); }
  // Subscribers of one name (PUBSUB NUMSUB / SHARDNUMSUB: patterns not counted).
  size_t numsub(SubKind k, std::string_view name) const;
  // Names of kind k, in creation order, filtered by a Redis glob when match is non-null.
  std::vector<std::string_view> names(SubKind k, const std::string_view* match) const;
  // Subscribers holding at least one subscription.
  size_t subscribers() const { return by_subscriber_.size(); }

 private:
  struct Entry {
    std::string name;
    OrderedSet<Subscriber> subs;
  };
  // name -> Entry, iterated in creation order.
  class Table {
   public:
    Entry* find(std::string_view name) const;
    Entry& get_or_create(std::string_view name);
    void erase(std::string_view name);
    size_t size() const { return index_.size(); }
    const std::list<Entry>& entries() const { return entries_; }

   private:
    std::list<Entry> entries_;
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
  };
  struct Held {
    std::array<OrderedSet<std::string>, kSubKinds> names;
    size_t total() const { return names[0].size() + names[1].size() + names[2].size(); }
  };
  static size_t idx(SubKind k) { return static_cast<size_t>(k); }
  static bool pattern_matches(std::string_view pattern, std::string_view channel);

  std::array<Table, kSubKinds> tables_;
  std::unordered_map<Subscriber, Held> by_subscriber_;
};

template <class Fn>
size_t PubSub::for_each_receiver(SubKind k, std::string_view channel, Fn&& fn) const {
  size_t n = 0;
  if (k == SubKind::Pattern) return 0;
  if (const Entry* e = tables_[idx(k)].find(channel)) {
    for (Subscriber s : e->subs) {
      fn(s, static_cast<const std::string*>(nullptr));
      ++n;
    }
  }
  if (k != SubKind::Channel) return n;
  for (const Entry& p : tables_[idx(SubKind::Pattern)].entries()) {
    if (!pattern_matches(p.name, channel)) continue;
    for (Subscriber s : p.subs) {
      fn(s, &p.name);
      ++n;
    }
  }
  return n;
}

}  // namespace dq::storage
