// set.cpp — the set family: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP SRANDMEMBER
// SMOVE SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN.
//
// Replies, errors and encodings follow Redis 7.2's t_set.c: an emptied set is deleted; a
// *STORE with an empty result deletes the destination (whatever its type) and answers 0;
// SINTER streams the members of the smallest set that every other set holds; SUNION and
// SDIFF build their result as a set that starts as an intset (so its encoding, and the
// order of its members, follow the same conversions as SADD); SMEMBERS, SINTER, SUNION,
// SDIFF and SPOP with a count answer a RESP3 set, SRANDMEMBER with a count an array.
#include "storage/set.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;
using storage::SetObject;
using storage::Type;

namespace {

storage::SetLimits set_limits(CommandContext& ctx) {
  const Config& c = ctx.server.config();
  auto clamp = [](int v) { return static_cast<size_t>(std::max(v, 0)); };
  return {clamp(c.set_max_intset_entries), clamp(c.set_max_listpack_entries),
          clamp(c.set_max_listpack_value)};
}

storage::Encoding entry_encoding(const SetObject* s) {
  switch (s->encoding()) {
    case SetObject::Enc::IntSet:
      return storage::Encoding::IntSet;
    case SetObject::Enc::ListPack:
      return storage::Encoding::ListPack;
    case SetObject::Enc::HashTable:
      break;
  }
  return storage::Encoding::HashTable;
}

// The set at key, or nullptr when absent. On WRONGTYPE replies and sets *bad.
SetObject* find_set(CommandContext& ctx, std::string_view key, bool* bad, bool read = false) {
  Entry* e = read ? ctx.find_read(key) : ctx.find_write(key);
  *bad = false;
  if (!e) return nullptr;
  if (e->type() != Type::Set) {
    *bad = true;
    ctx.wrong_type();
    return nullptr;
  }
  return static_cast<SetObject*>(e->object());
}

// Stores s under key (replacing any value and TTL), taking ownership.
void store_set(CommandContext& ctx, std::string_view key, SetObject* s) {
  ctx.db().put(Entry::make_heap(key, Type::Set, entry_encoding(s), s, false, -1));
}

// Deletes the key if its set became empty (keyspace event "del", after the command's own).
void drop_if_empty(CommandContext& ctx, std::string_view key, SetObject* s) {
  if (!s->empty()) return;
  ctx.db().del(key, ctx.now);
  ctx.notify(notify::kGeneric, "del", key);
}

// Writes every member of s as a RESP3 set (an array in RESP2).
void reply_members(CommandContext& ctx, const SetObject& s) {
  ctx.reply().set(s.size());
  s.for_each([&](std::string_view m) { ctx.reply().bulk(m); });
}

void sadd_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  bool bad;
  SetObject* s = find_set(ctx, key, &bad);
  if (bad) return;
  size_t hint = ctx.argc() - 2;
  if (!s) {
    s = SetObject::create(ctx.arg(2), hint, set_limits(ctx));
    store_set(ctx, key, s);
  } else {
    s->maybe_convert(hint);
  }
  int64_t added = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) added += s->add(ctx.arg(i));
  if (added) {
    ctx.modified(key);
    ctx.notify(notify::kSet, "sadd", key);
  }
  ctx.reply().integer(added);
}

void srem_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  bool bad;
  SetObject* s = find_set(ctx, key, &bad);
  if (bad) return;
  if (!s) return ctx.reply().integer(0);
  int64_t removed = 0;
  for (size_t i = 2; i < ctx.argc() && !s->empty(); ++i) removed += s->remove(ctx.arg(i));
  if (removed) {
    ctx.notify(notify::kSet, "srem", key);
    drop_if_empty(ctx, key, s);
    ctx.modified(key);
  }
  ctx.reply().integer(removed);
}

void smembers_cmd(CommandContext& ctx) {
  bool bad;
  SetObject* s = find_set(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  if (!s) return ctx.reply().set(0);
  reply_members(ctx, *s);
}

void sismember_cmd(CommandContext& ctx) {
  bool bad;
  SetObject* s = find_set(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().integer(s && s->contains(ctx.arg(2)) ? 1 : 0);
}

void smismember_cmd(CommandContext& ctx) {
  bool bad;
  SetObject* s = find_set(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) ctx.reply().integer(s && s->contains(ctx.arg(i)) ? 1 : 0);
}

void scard_cmd(CommandContext& ctx) {
  bool bad;
  SetObject* s = find_set(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().integer(s ? static_cast<int64_t>(s->size()) : 0);
}

// SPOP key count: CASE 1 returns the whole set and deletes the key; otherwise either pops
// random members one by one, or, when few would remain, keeps a random remainder and
// returns everything else (Redis's SPOP_MOVE_STRATEGY_MUL).
void spop_count(CommandContext& ctx) {
  int64_t count;
  // Redis answers the same text for a non-integer as for a negative count.
  if (!protocol::parse_int64(ctx.arg(2), &count) || count < 0)
    return ctx.error("ERR value is out of range, must be positive");
  std::string_view key = ctx.arg(1);
  bool bad;
  SetObject* s = find_set(ctx, key, &bad);
  if (bad) return;
  if (!s || count == 0) return ctx.reply().set(0);
  size_t size = s->size();
  ctx.notify(notify::kSet, "spop", key);
  if (static_cast<uint64_t>(count) >= size) {
    reply_members(ctx, *s);
    ctx.db().del(key, ctx.now);
    ctx.modified(key);
    ctx.notify(notify::kGeneric, "del", key);
    return;
  }
  size_t n = static_cast<size_t>(count);
  size_t remaining = size - n;
  ctx.reply().set(n);
  if (remaining * 5 > n) {
    for (size_t i = 0; i < n; ++i) ctx.reply().bulk(s->pop_random());
  } else {
    SetObject keep(s->limits(), s->encoding() == SetObject::Enc::IntSet ? SetObject::Enc::IntSet
                                                                        : SetObject::Enc::ListPack);
    for (size_t i = 0; i < remaining; ++i) keep.add(s->pop_random());
    s->for_each([&](std::string_view m) { ctx.reply().bulk(m); });
    s->swap(keep);
  }
  ctx.modified(key);
}

void spop_cmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.syntax_error();
  if (ctx.argc() == 3) return spop_count(ctx);
  std::string_view key = ctx.arg(1);
  bool bad;
  SetObject* s = find_set(ctx, key, &bad);
  if (bad) return;
  if (!s) return ctx.reply().null();
  ctx.reply().bulk(s->pop_random());
  ctx.notify(notify::kSet, "spop", key);
  drop_if_empty(ctx, key, s);
  ctx.modified(key);
}

void srandmember_count(CommandContext& ctx) {
  int64_t l;
  if (!protocol::parse_int64(ctx.arg(2), &l)) return ctx.error(err::kNotInteger);
  if (l == INT64_MIN)
    return ctx.error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
  bool uniq = l >= 0;
  uint64_t count = uniq ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-l);
  bool bad;
  SetObject* s = find_set(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  if (!s || count == 0) return ctx.reply().array(0);
  size_t size = s->size();
  auto& r = ctx.reply();
  if (!uniq || count == 1) {
    r.array(count);
    for (uint64_t i = 0; i < count; ++i) r.bulk(s->random_member());
    return;
  }
  if (count >= size) {
    r.array(size);
    s->for_each([&](std::string_view m) { r.bulk(m); });
    return;
  }
  // Distinct members: copy and drop random ones when most are wanted, else sample.
  SetObject pick(storage::SetLimits{0, 0, 0}, SetObject::Enc::HashTable);
  if (count * 3 > size) {
    s->for_each([&](std::string_view m) { pick.add(m); });
    while (pick.size() > count) pick.pop_random();
  } else {
    while (pick.size() < count) pick.add(s->random_member());
  }
  r.array(count);
  pick.for_each([&](std::string_view m) { r.bulk(m); });
}

void srandmember_cmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.syntax_error();
  if (ctx.argc() == 3) return srandmember_count(ctx);
  bool bad;
  SetObject* s = find_set(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  if (!s) return ctx.reply().null();
  ctx.reply().bulk(s->random_member());
}

void smove_cmd(CommandContext& ctx) {
  std::string_view src = ctx.arg(1), dst = ctx.arg(2), m = ctx.arg(3);
  Entry* se = ctx.find_write(src);
  if (!se) return ctx.reply().integer(0);
  Entry* de = ctx.find_write(dst);
  if (se->type() != Type::Set || (de && de->type() != Type::Set)) return ctx.wrong_type();
  auto* s = static_cast<SetObject*>(se->object());
  if (se == de) return ctx.reply().integer(s->contains(m) ? 1 : 0);
  if (!s->remove(m)) return ctx.reply().integer(0);
  ctx.notify(notify::kSet, "srem", src);
  drop_if_empty(ctx, src, s);
  SetObject* d = de ? static_cast<SetObject*>(de->object()) : nullptr;
  if (!d) {
    d = SetObject::create(m, 1, set_limits(ctx));
    store_set(ctx, dst, d);
  }
  ctx.modified(src);
  if (d->add(m)) {
    ctx.modified(dst);
    ctx.notify(notify::kSet, "sadd", dst);
  }
  ctx.reply().integer(1);
}

// Looks up keys [first, first+n) as sets (a missing key is nullptr). False after a
// WRONGTYPE reply; every key is checked even after a missing one, as Redis 7.
bool lookup_sets(CommandContext& ctx, size_t first, size_t n, std::vector<SetObject*>* out) {
  out->assign(n, nullptr);
  for (size_t i = 0; i < n; ++i) {
    bool bad;
    (*out)[i] = find_set(ctx, ctx.arg(first + i), &bad, true);
    if (bad) return false;
  }
  return true;
}

// Deletes a *STORE destination for an empty result ("del" if it existed).
void delete_store_dst(CommandContext& ctx, std::string_view dst) {
  if (!ctx.db().del(dst, ctx.now)) return;
  ctx.modified(dst);
  ctx.notify(notify::kGeneric, "del", dst);
}

// Stores a *STORE result (or deletes dst when it is empty) and answers its cardinality;
// event: the keyspace event of a stored result ("sinterstore", ...).
void finish_store(CommandContext& ctx, std::string_view dst, std::unique_ptr<SetObject> result,
                  const char* event) {
  if (result->empty()) {
    delete_store_dst(ctx, dst);
    return ctx.reply().integer(0);
  }
  int64_t n = static_cast<int64_t>(result->size());
  store_set(ctx, dst, result.release());
  ctx.modified(dst);
  ctx.notify(notify::kSet, event, dst);
  ctx.reply().integer(n);
}

enum class InterMode { Reply, Store, Card };

// SINTER / SINTERSTORE / SINTERCARD over keys [first, first+n).
void sinter_generic(CommandContext& ctx, size_t first, size_t n, std::string_view dst,
                    InterMode mode, uint64_t limit) {
  std::vector<SetObject*> sets;
  if (!lookup_sets(ctx, first, n, &sets)) return;
  bool empty = std::any_of(sets.begin(), sets.end(), [](SetObject* s) { return !s; });
  if (empty) {
    if (mode == InterMode::Store) {
      delete_store_dst(ctx, dst);
      return ctx.reply().integer(0);
    }
    return mode == InterMode::Card ? ctx.reply().integer(0) : ctx.reply().set(0);
  }
  std::stable_sort(sets.begin(), sets.end(),
                   [](SetObject* a, SetObject* b) { return a->size() < b->size(); });
  auto in_all = [&](std::string_view m) {
    for (size_t j = 1; j < sets.size(); ++j)
      if (sets[j] != sets[0] && !sets[j]->contains(m)) return false;
    return true;
  };
  if (mode == InterMode::Card) {
    uint64_t card = 0;
    sets[0]->for_each([&](std::string_view m) {
      if (limit && card >= limit) return;
      if (in_all(m)) ++card;
    });
    return ctx.reply().integer(static_cast<int64_t>(card));
  }
  if (mode == InterMode::Reply) {
    // Members are copied: an intset formats each one into a reused buffer.
    std::vector<std::string> out;
    sets[0]->for_each([&](std::string_view m) {
      if (in_all(m)) out.emplace_back(m);
    });
    ctx.reply().set(out.size());
    for (const std::string& m : out) ctx.reply().bulk(m);
    return;
  }
  // Redis 7.2: the result starts as an intset when the smallest set is one, else as a
  // listpack, and becomes an intset at the end if every member was an integer.
  auto result = std::make_unique<SetObject>(
      set_limits(ctx), sets[0]->encoding() == SetObject::Enc::IntSet ? SetObject::Enc::IntSet
                                                                     : SetObject::Enc::ListPack);
  bool only_integers = true;
  sets[0]->for_each([&](std::string_view m) {
    if (!in_all(m)) return;
    int64_t v;
    if (only_integers && !storage::string_to_int64(m, &v)) only_integers = false;
    result->add(m);
  });
  if (only_integers) result->convert_to_intset_if_fits();
  finish_store(ctx, dst, std::move(result), "sinterstore");
}

void sinter_cmd(CommandContext& ctx) {
  sinter_generic(ctx, 1, ctx.argc() - 1, {}, InterMode::Reply, 0);
}
void sinterstore_cmd(CommandContext& ctx) {
  sinter_generic(ctx, 2, ctx.argc() - 2, ctx.arg(1), InterMode::Store, 0);
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
void sintercard_cmd(CommandContext& ctx) {
  int64_t numkeys;
  if (!protocol::parse_int64(ctx.arg(1), &numkeys) || numkeys < 1)
    return ctx.error("ERR numkeys should be greater than 0");
  if (static_cast<uint64_t>(numkeys) > ctx.argc() - 2)
    return ctx.error("ERR Number of keys can't be greater than number of args");
  int64_t limit = 0;
  for (size_t j = 2 + static_cast<size_t>(numkeys); j < ctx.argc(); ++j) {
    if (arg_is(ctx.arg(j), "limit") && j + 1 < ctx.argc()) {
      ++j;
      if (!protocol::parse_int64(ctx.arg(j), &limit) || limit < 0)
        return ctx.error("ERR LIMIT can't be negative");
    } else {
      return ctx.syntax_error();
    }
  }
  sinter_generic(ctx, 2, static_cast<size_t>(numkeys), {}, InterMode::Card,
                 static_cast<uint64_t>(limit));
}

enum class SetOp { Union, Diff };

// SUNION / SDIFF (and their STORE forms) over keys [first, first+n).
void sunion_diff_generic(CommandContext& ctx, size_t first, size_t n, std::string_view dst,
                         bool store, SetOp op) {
  std::vector<SetObject*> sets;
  if (!lookup_sets(ctx, first, n, &sets)) return;
  auto result = std::make_unique<SetObject>(set_limits(ctx), SetObject::Enc::IntSet);
  if (op == SetOp::Union) {
    for (SetObject* s : sets)
      if (s) s->for_each([&](std::string_view m) { result->add(m); });
  } else if (sets[0]) {
    bool sameset = false;
    for (size_t j = 1; j < sets.size(); ++j) sameset |= sets[j] == sets[0];
    if (!sameset) {
      sets[0]->for_each([&](std::string_view m) {
        for (size_t j = 1; j < sets.size(); ++j)
          if (sets[j] && sets[j]->contains(m)) return;
        result->add(m);
      });
    }
  }
  if (store)
    return finish_store(ctx, dst, std::move(result),
                        op == SetOp::Union ? "sunionstore" : "sdiffstore");
  reply_members(ctx, *result);
}

void sunion_cmd(CommandContext& ctx) {
  sunion_diff_generic(ctx, 1, ctx.argc() - 1, {}, false, SetOp::Union);
}
void sunionstore_cmd(CommandContext& ctx) {
  sunion_diff_generic(ctx, 2, ctx.argc() - 2, ctx.arg(1), true, SetOp::Union);
}
void sdiff_cmd(CommandContext& ctx) {
  sunion_diff_generic(ctx, 1, ctx.argc() - 1, {}, false, SetOp::Diff);
}
void sdiffstore_cmd(CommandContext& ctx) {
  sunion_diff_generic(ctx, 2, ctx.argc() - 2, ctx.arg(1), true, SetOp::Diff);
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
void sscan_cmd(CommandContext& ctx) {
  uint64_t cursor;
  if (!ctx.cursor_arg(2, &cursor)) return;
  bool bad;
  SetObject* s = find_set(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  auto& r = ctx.reply();
  if (!s) return ctx.reply_empty_scan();  // before the options, as Redis
  CommandContext::ScanOptions opt;
  if (!ctx.scan_options(3, &opt)) return;
  std::vector<std::string> batch;  // copies: intset members are formatted into a buffer
  uint64_t max_steps = opt.max_steps();
  auto collect = [&](std::string_view m) {
    if (opt.matches(m)) batch.emplace_back(m);
  };
  // Redis counts the visited members (before MATCH filters them) against COUNT.
  size_t visited = 0;
  auto visit = [&](std::string_view m) {
    ++visited;
    collect(m);
  };
  do {
    cursor = s->scan(cursor, visit);
  } while (cursor && max_steps-- && !opt.reached(visited));
  r.array(2);
  r.bulk(std::to_string(cursor));
  r.array(batch.size());
  for (const std::string& m : batch) r.bulk(m);
}

constexpr uint32_t kRW = kAclWrite | kAclSet;
constexpr uint32_t kRO = kAclRead | kAclSet;

constexpr CommandSpec kSetCommands[] = {
    {"sadd",
     -3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "set",
     "Adds one or more members to a set. Creates the key if it doesn't exist.",
     "1.0.0",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     sadd_cmd,
     {},
     "key member [member ...]"},
    {"srem",
     -3,
     kWrite | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "set",
     "Removes one or more members from a set. Deletes the set if the last member was removed.",
     "1.0.0",
     "O(N) where N is the number of members to be removed.",
     srem_cmd,
     {},
     "key member [member ...]"},
    {"smembers",
     2,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "set",
     "Returns all members of a set.",
     "1.0.0",
     "O(N) where N is the set cardinality.",
     smembers_cmd,
     {},
     "key",
     "nondeterministic_output_order"},
    {"sismember",
     3,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "set",
     "Determines whether a member belongs to a set.",
     "1.0.0",
     "O(1)",
     sismember_cmd,
     {},
     "key member"},
    {"smismember",
     -3,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "set",
     "Determines whether multiple members belong to a set.",
     "6.2.0",
     "O(N) where N is the number of elements being checked for membership",
     smismember_cmd,
     {},
     "key member [member ...]"},
    {"scard",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "set",
     "Returns the number of members in a set.",
     "1.0.0",
     "O(1)",
     scard_cmd,
     {},
     "key"},
    {"spop",
     -2,
     kWrite | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "set",
     "Returns one or more random members from a set after removing them. Deletes the set if the "
     "last member was popped.",
     "1.0.0",
     "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
     spop_cmd,
     {},
     "key [count]",
     "nondeterministic_output"},
    {"srandmember",
     -2,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "set",
     "Get one or multiple random members from a set",
     "1.0.0",
     "Without the count argument O(1), otherwise O(N) where N is the absolute value of the "
     "passed count.",
     srandmember_cmd,
     {},
     "key [count]",
     "nondeterministic_output"},
    {"smove",
     4,
     kWrite | kFast,
     {1, 2, 1},
     kRW | kAclFast,
     "set",
     "Moves a member from one set to another.",
     "1.0.0",
     "O(1)",
     smove_cmd,
     {},
     "source destination member"},
    {"sinter",
     -2,
     kReadOnly,
     {1, -1, 1},
     kRO | kAclSlow,
     "set",
     "Returns the intersect of multiple sets.",
     "1.0.0",
     "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of "
     "sets.",
     sinter_cmd,
     {},
     "key [key ...]",
     "nondeterministic_output_order"},
    {"sintercard",
     -3,
     kReadOnly | kMovableKeys,
     {0, 0, 0},
     kRO | kAclSlow,
     "set",
     "Returns the number of members of the intersect of multiple sets.",
     "7.0.0",
     "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of "
     "sets.",
     sintercard_cmd,
     {},
     "numkeys key [key ...] [LIMIT limit]"},
    {"sinterstore",
     -3,
     kWrite | kDenyOom,
     {1, -1, 1},
     kRW | kAclSlow,
     "set",
     "Stores the intersect of multiple sets in a key.",
     "1.0.0",
     "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of "
     "sets.",
     sinterstore_cmd,
     {},
     "destination key [key ...]"},
    {"sunion",
     -2,
     kReadOnly,
     {1, -1, 1},
     kRO | kAclSlow,
     "set",
     "Returns the union of multiple sets.",
     "1.0.0",
     "O(N) where N is the total number of elements in all given sets.",
     sunion_cmd,
     {},
     "key [key ...]",
     "nondeterministic_output_order"},
    {"sunionstore",
     -3,
     kWrite | kDenyOom,
     {1, -1, 1},
     kRW | kAclSlow,
     "set",
     "Stores the union of multiple sets in a key.",
     "1.0.0",
     "O(N) where N is the total number of elements in all given sets.",
     sunionstore_cmd,
     {},
     "destination key [key ...]"},
    {"sdiff",
     -2,
     kReadOnly,
     {1, -1, 1},
     kRO | kAclSlow,
     "set",
     "Returns the difference of multiple sets.",
     "1.0.0",
     "O(N) where N is the total number of elements in all given sets.",
     sdiff_cmd,
     {},
     "key [key ...]",
     "nondeterministic_output_order"},
    {"sdiffstore",
     -3,
     kWrite | kDenyOom,
     {1, -1, 1},
     kRW | kAclSlow,
     "set",
     "Stores the difference of multiple sets in a key.",
     "1.0.0",
     "O(N) where N is the total number of elements in all given sets.",
     sdiffstore_cmd,
     {},
     "destination key [key ...]"},
    {"sscan",
     -3,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "set",
     "Iterates over members of a set.",
     "2.8.0",
     "O(1) for every call. O(N) for a complete iteration, including enough command calls for "
     "the cursor to return back to 0. N is the number of elements inside the collection.",
     sscan_cmd,
     {},
     "key cursor:integer [MATCH pattern] [COUNT count]",
     "nondeterministic_output"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> set_commands() { return cmd::kSetCommands; }
}  // namespace dq::server
