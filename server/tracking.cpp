// tracking.cpp — CLIENT TRACKING tables and invalidation delivery (see tracking.h).
#include "server/tracking.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "server/command_table.h"
#include "server/connection.h"
#include "server/server.h"

namespace dq::server {

namespace {

// Redis keeps a key's client ids in a radix tree keyed by the id's bytes in memory (little
// endian here), and invalidates in that order: compare ids the same way.
bool id_before(uint64_t a, uint64_t b) { return __builtin_bswap64(a) < __builtin_bswap64(b); }

void append_bulk(std::string& out, std::string_view s) {
  fmt::format_to(std::back_inserter(out), "${}\r\n", s.size());
  out.append(s);
  out.append("\r\n");
}

std::string_view null_for(const Client& c) { return c.reply.proto() >= 3 ? "_\r\n" : "$-1\r\n"; }

}  // namespace

void Tracking::enable(Client& c, uint64_t redirect, const TrackingOptions& o,
                      std::span<const std::string_view> prefixes) {
  ClientTracking& t = c.tracking;
  if (!t.on) ++clients_;
  enabled_ = true;
  t.on = true;
  t.broken_redir = t.bcast = t.optin = t.optout = t.noloop = false;
  t.redirect = redirect;
  if (o.bcast) {
    t.bcast = true;
    auto add = [&](std::string_view p) {
      auto it = prefixes_.find(p);
      if (it == prefixes_.end()) it = prefixes_.emplace(std::string(p), Bcast{}).first;
      auto& cl = it->second.clients;
      if (std::find(cl.begin(), cl.end(), &c) != cl.end()) return;
      cl.push_back(&c);
      auto pos = std::lower_bound(t.prefixes.begin(), t.prefixes.end(), p);
      t.prefixes.insert(pos, std::string(p));
    };
    if (prefixes.empty()) add("");
    for (std::string_view p : prefixes) add(p);
  }
  t.optin = o.optin;
  t.optout = o.optout;
  t.noloop = o.noloop;
}

void Tracking::disable(Client& c) {
  ClientTracking& t = c.tracking;
  if (t.bcast) {
    for (const std::string& p : t.prefixes) {
      auto it = prefixes_.find(p);
      if (it == prefixes_.end()) continue;
      auto& cl = it->second.clients;
      cl.erase(std::remove(cl.begin(), cl.end(), &c), cl.end());
      if (cl.empty()) prefixes_.erase(it);
    }
    t.prefixes.clear();
  }
  if (t.on) {
    --clients_;
    t.on = t.broken_redir = t.bcast = t.optin = t.optout = t.caching = t.noloop = false;
  }
}

std::string Tracking::prefix_collision(const Client& c,
                                       std::span<const std::string_view> prefixes) const {
  auto overlap = [](std::string_view a, std::string_view b) {
    size_t n = std::min(a.size(), b.size());
    return a.substr(0, n) == b.substr(0, n);
  };
  // Redis prints the prefixes with %s: a NUL ends them.
  auto c_str = [](std::string_view s) { return s.substr(0, std::min(s.find('\0'), s.size())); };
  for (size_t i = 0; i < prefixes.size(); ++i) {
    for (const std::string& p : c.tracking.prefixes)
      if (overlap(p, prefixes[i]))
        return fmt::format(
            "ERR Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client "
            "must not overlap.",
            c_str(prefixes[i]), c_str(p));
    for (size_t j = i + 1; j < prefixes.size(); ++j)
      if (overlap(prefixes[i], prefixes[j]))
        return fmt::format(
            "ERR Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single "
            "client must not overlap.",
            c_str(prefixes[i]), c_str(prefixes[j]));
  }
  return {};
}

void Tracking::remember_keys(Client& caller, const Command& cmd,
                             std::span<const std::string_view> args) {
  // Shard channels are keys of SSUBSCRIBE & co. for cluster routing, not cached data.
  if (cmd.spec->flags & kPubSub) return;
  const ClientTracking& t = caller.tracking;
  if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
  for (int pos : command_keys(cmd, args)) {
    std::string_view key = args[static_cast<size_t>(pos)];
    auto it = table_.find(key);
    if (it == table_.end()) it = table_.emplace(std::string(key), std::vector<uint64_t>{}).first;
    auto& ids = it->second;
    auto at = std::lower_bound(ids.begin(), ids.end(), caller.id, id_before);
    if (at != ids.end() && *at == caller.id) continue;
    ids.insert(at, caller.id);
    ++items_;
  }
}

void Tracking::send(Client& c, std::string_view payload) {
  Client* to = &c;
  bool redirected = false;
  if (c.tracking.redirect) {
    Client* r = server_.client_by_id(c.tracking.redirect);
    if (!r || r->closing) {
      // The tracking client learns that its invalidations have nowhere to go (RESP3 only).
      c.tracking.broken_redir = true;
      if (c.reply.proto() >= 3 && !c.closing) {
        c.out.append(fmt::format(">2\r\n$21\r\ntracking-redir-broken\r\n:{}\r\n",
                                 static_cast<int64_t>(c.tracking.redirect)));
        touched_.push_back(&c);
      }
      return;
    }
    to = r;
    redirected = true;
  }
  if (to->closing) return;
  if (to->reply.proto() >= 3) {
    to->out.append(">2\r\n$10\r\ninvalidate\r\n");
  } else if (redirected && to->sub_channels + to->sub_patterns + to->sub_shard > 0) {
    // RESP2 has no push type: a redirect target in pub/sub mode gets a message instead.
    to->out.append("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n");
  } else {
    return;  // RESP2 without a subscribed redirect target: nowhere to send, as Redis
  }
  to->out.append(payload);
  touched_.push_back(to);
}

void Tracking::queue_touched() {
  // queue_write may close a receiver (output limits); the walks are over by now.
  std::vector<Client*> t;
  t.swap(touched_);
  for (Client* c : t) server_.queue_write(c);
}

void Tracking::invalidate_entry(std::string_view key, Client* current, bool defer_self) {
  auto it = table_.find(key);
  if (it == table_.end()) return;
  std::vector<uint64_t> ids = std::move(it->second);
  std::string k = it->first;
  items_ -= ids.size();
  table_.erase(it);
  scratch_.clear();
  scratch_.append("*1\r\n");
  append_bulk(scratch_, k);
  for (uint64_t id : ids) {
    Client* target = server_.client_by_id(id);
    // Stale ids: gone, tracking off, or switched to BCAST since they read the key.
    if (!target || target->closing || !target->tracking.on || target->tracking.bcast) continue;
    if (target->tracking.noloop && target == current) continue;
    if (target == current && defer_self)
      deferred_.emplace_back(k);  // after the command's reply
    else
      send(*target, scratch_);
  }
  queue_touched();
}

void Tracking::invalidate_key(std::string_view key, const Client* writer, Client* current) {
  if (!prefixes_.empty()) {
    uint64_t wid = writer ? writer->id : 0;
    for (auto& [p, bs] : prefixes_) {
      if (!key.starts_with(p)) continue;
      auto it = bs.keys.find(key);
      if (it == bs.keys.end())
        bs.keys.emplace(std::string(key), wid);
      else
        it->second = wid;  // the last writer decides NOLOOP
    }
  }
  if (!table_.empty()) invalidate_entry(key, current, true);
}

void Tracking::invalidate_all(Client* current) {
  if (clients_ > 0) {
    for (const auto& [id, c] : server_.clients()) {
      if (!c->tracking.on || c->closing) continue;
      if (c == current)
        deferred_.emplace_back(std::nullopt);
      else
        send(*c, null_for(*c));
    }
    queue_touched();
  }
  table_.clear();
  items_ = 0;
}

void Tracking::flush_deferred(Client* current) {
  std::vector<std::optional<std::string>> d;
  d.swap(deferred_);
  if (!current || current->closing) return;
  for (const auto& k : d) {
    if (k) {
      scratch_.clear();
      scratch_.append("*1\r\n");
      append_bulk(scratch_, *k);
      send(*current, scratch_);
    } else {
      send(*current, null_for(*current));
    }
  }
  queue_touched();
}

void Tracking::broadcast() {
  if (clients_ == 0 || prefixes_.empty()) return;
  std::string all, adhoc;
  for (auto& [p, bs] : prefixes_) {
    if (bs.keys.empty()) continue;
    all.clear();
    fmt::format_to(std::back_inserter(all), "*{}\r\n", bs.keys.size());
    for (const auto& [k, w] : bs.keys) append_bulk(all, k);
    std::vector<Client*> receivers = bs.clients;
    for (Client* c : receivers) {
      if (c->closing) continue;
      if (!c->tracking.noloop) {
        send(*c, all);
        continue;
      }
      // NOLOOP: without the keys this client itself wrote last.
      size_t n = 0;
      for (const auto& [k, w] : bs.keys) n += w != c->id;
      if (n == 0) continue;
      adhoc.clear();
      fmt::format_to(std::back_inserter(adhoc), "*{}\r\n", n);
      for (const auto& [k, w] : bs.keys)
        if (w != c->id) append_bulk(adhoc, k);
      send(*c, adhoc);
    }
    bs.keys.clear();
  }
  queue_touched();
}

void Tracking::limit_table(int64_t max_keys, Client* current) {
  if (max_keys <= 0 || table_.size() <= static_cast<uint64_t>(max_keys)) {
    limit_rounds_ = 0;
    return;
  }
  // The effort grows with each call that finds the table still over the limit (Redis).
  int effort = 100 * static_cast<int>(std::min(limit_rounds_ + 1, 1000u));
  static std::minstd_rand rng(std::random_device{}());
  // A table that shrank a lot keeps its buckets: compact it so the random walk below stays short.
  if (table_.bucket_count() > 64 && table_.size() * 8 < table_.bucket_count()) table_.rehash(0);
  while (effort-- > 0 && !table_.empty()) {
    // A random key: a random bucket, then the first non-empty one from there.
    size_t nb = table_.bucket_count();
    size_t b = rng() % nb;
    while (table_.bucket_size(b) == 0) b = (b + 1) % nb;
    std::string key = table_.begin(b)->first;
    // Not a change: no BCAST, and the running client is told at once (it is not executing).
    invalidate_entry(key, current, false);
    if (table_.size() <= static_cast<uint64_t>(max_keys)) {
      limit_rounds_ = 0;
      return;
    }
  }
  ++limit_rounds_;
}

}  // namespace dq::server
