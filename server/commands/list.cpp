// list.cpp — lists as partitioned queues: one list key is one FIFO partition.
//
// LPUSH/RPUSH put, LPOP/RPOP (with count) get, BLPOP/BRPOP/BLMOVE/BRPOPLPUSH/BLMPOP are
// queue.get(timeout); LRANGE iterates in place. An emptied list is deleted; a TTL on the list
// key is the partition's TTL. Blocking variants share their non-blocking body: when nothing
// is there they ask the context to park the client (or, inside MULTI, answer the timeout
// reply at once, as Redis does).
#include "storage/list.h"

#include <algorithm>
#include <climits>
#include <string>

#include "server/blocking.h"
#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;
using storage::QueueList;
using storage::Type;

namespace {

enum class End { Left, Right };

// The list at key, or nullptr when absent. On WRONGTYPE replies and sets *bad.
QueueList* find_list(CommandContext& ctx, std::string_view key, bool* bad, bool read = false) {
  Entry* e = read ? ctx.find_read(key) : ctx.find_write(key);
  *bad = false;
  if (!e) return nullptr;
  if (e->type() != Type::List) {
    *bad = true;
    ctx.wrong_type();
    return nullptr;
  }
  return static_cast<QueueList*>(e->object());
}

QueueList* create_list(CommandContext& ctx, std::string_view key) {
  storage::ListLimits lim{ctx.server.config().list_max_listpack_size};
  auto* l = new QueueList(lim);
  ctx.db().put(Entry::make_heap(key, Type::List, storage::Encoding::QuickList, l, false, -1));
  return l;
}

// Deletes the key if its list became empty (keyspace event "del", after the command's own).
void drop_if_empty(CommandContext& ctx, std::string_view key, QueueList* l) {
  if (!l->empty()) return;
  ctx.db().del(key, ctx.now);
  ctx.notify(notify::kGeneric, "del", key);
}

const char* pop_event(End end) { return end == End::Left ? "lpop" : "rpop"; }
const char* push_event(End end) { return end == End::Left ? "lpush" : "rpush"; }

bool parse_end(std::string_view a, End* out) {
  if (arg_is(a, "left"))
    *out = End::Left;
  else if (arg_is(a, "right"))
    *out = End::Right;
  else
    return false;
  return true;
}

void push_generic(CommandContext& ctx, End end, bool only_if_exists) {
  std::string_view key = ctx.arg(1);
  bool bad;
  QueueList* l = find_list(ctx, key, &bad);
  if (bad) return;
  if (!l) {
    if (only_if_exists) return ctx.reply().integer(0);
    l = create_list(ctx, key);
  }
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (end == End::Left)
      l->push_front(ctx.arg(i));
    else
      l->push_back(ctx.arg(i));
  }
  ctx.modified(key);
  ctx.notify(notify::kList, push_event(end), key);
  ctx.reply().integer(static_cast<int64_t>(l->size()));
}

void lpush_cmd(CommandContext& ctx) { push_generic(ctx, End::Left, false); }
void rpush_cmd(CommandContext& ctx) { push_generic(ctx, End::Right, false); }
void lpushx_cmd(CommandContext& ctx) { push_generic(ctx, End::Left, true); }
void rpushx_cmd(CommandContext& ctx) { push_generic(ctx, End::Right, true); }

bool pop_one(QueueList* l, End end, std::string* out) {
  return end == End::Left ? l->pop_front(out) : l->pop_back(out);
}

void pop_generic(CommandContext& ctx, End end) {
  if (ctx.argc() > 3) return ctx.error_fmt(err::kFmtWrongArity, ctx.cmd->fullname);
  int64_t count = -1;
  if (ctx.argc() == 3) {
    if (!protocol::parse_int64(ctx.arg(2), &count) || count < 0)
      return ctx.error("ERR value is out of range, must be positive");
  }
  std::string_view key = ctx.arg(1);
  bool bad;
  QueueList* l = find_list(ctx, key, &bad);
  if (bad) return;
  if (!l) return count < 0 ? ctx.reply().null() : ctx.reply().null_array();
  std::string v;
  if (count < 0) {
    pop_one(l, end, &v);
    ctx.reply().bulk(v);
  } else {
    size_t n = std::min<size_t>(static_cast<size_t>(count), l->size());
    ctx.reply().array(n);
    for (size_t i = 0; i < n; ++i) {
      pop_one(l, end, &v);
      ctx.reply().bulk(v);
    }
    if (n == 0) return;
  }
  ctx.notify(notify::kList, pop_event(end), key);
  drop_if_empty(ctx, key, l);
  ctx.modified(key);
}

void lpop_cmd(CommandContext& ctx) { pop_generic(ctx, End::Left); }
void rpop_cmd(CommandContext& ctx) { pop_generic(ctx, End::Right); }

void llen_cmd(CommandContext& ctx) {
  bool bad;
  QueueList* l = find_list(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().integer(l ? static_cast<int64_t>(l->size()) : 0);
}

// Normalises Redis-style [start, stop] against len; false if the range is empty.
bool normalise_range(int64_t start, int64_t stop, size_t len, size_t* s, size_t* e) {
  int64_t n = static_cast<int64_t>(len);
  if (start < 0) start += n;
  if (stop < 0) stop += n;
  if (start < 0) start = 0;
  if (start > stop || start >= n) return false;
  if (stop >= n) stop = n - 1;
  *s = static_cast<size_t>(start);
  *e = static_cast<size_t>(stop);
  return true;
}

void lrange_cmd(CommandContext& ctx) {
  int64_t start, stop;
  if (!ctx.int_arg(2, &start) || !ctx.int_arg(3, &stop)) return;
  bool bad;
  QueueList* l = find_list(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  size_t s, e;
  if (!l || !normalise_range(start, stop, l->size(), &s, &e)) return ctx.reply().array(0);
  ctx.reply().array(e - s + 1);
  l->range(s, e, [&](std::string_view v) { ctx.reply().bulk(v); });
}

void lindex_cmd(CommandContext& ctx) {
  int64_t idx;
  if (!ctx.int_arg(2, &idx)) return;
  bool bad;
  QueueList* l = find_list(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  std::string v;
  if (!l || !l->at(idx, &v)) return ctx.reply().null();
  ctx.reply().bulk(v);
}

void lset_cmd(CommandContext& ctx) {
  int64_t idx;
  if (!ctx.int_arg(2, &idx)) return;
  bool bad;
  QueueList* l = find_list(ctx, ctx.arg(1), &bad);
  if (bad) return;
  if (!l) return ctx.error(err::kNoSuchKey);
  if (!l->set(idx, ctx.arg(3))) return ctx.error(err::kOutOfRange);
  ctx.modified(ctx.arg(1));
  ctx.notify(notify::kList, "lset", ctx.arg(1));
  ctx.reply().ok();
}

void linsert_cmd(CommandContext& ctx) {
  bool after;
  if (arg_is(ctx.arg(2), "after"))
    after = true;
  else if (arg_is(ctx.arg(2), "before"))
    after = false;
  else
    return ctx.syntax_error();
  bool bad;
  QueueList* l = find_list(ctx, ctx.arg(1), &bad);
  if (bad) return;
  if (!l) return ctx.reply().integer(0);
  if (!l->insert(ctx.arg(3), ctx.arg(4), after)) return ctx.reply().integer(-1);
  ctx.modified(ctx.arg(1));
  ctx.notify(notify::kList, "linsert", ctx.arg(1));
  ctx.reply().integer(static_cast<int64_t>(l->size()));
}

void lrem_cmd(CommandContext& ctx) {
  int64_t count;
  if (!ctx.int_arg(2, &count)) return;
  bool bad;
  QueueList* l = find_list(ctx, ctx.arg(1), &bad);
  if (bad) return;
  if (!l) return ctx.reply().integer(0);
  size_t n = l->remove(ctx.arg(3), count);
  if (n) {
    ctx.notify(notify::kList, "lrem", ctx.arg(1));
    drop_if_empty(ctx, ctx.arg(1), l);
    ctx.modified(ctx.arg(1));
  }
  ctx.reply().integer(static_cast<int64_t>(n));
}

void ltrim_cmd(CommandContext& ctx) {
  int64_t start, stop;
  if (!ctx.int_arg(2, &start) || !ctx.int_arg(3, &stop)) return;
  bool bad;
  QueueList* l = find_list(ctx, ctx.arg(1), &bad);
  if (bad) return;
  if (!l) return ctx.reply().ok();
  size_t s, e;
  if (!normalise_range(start, stop, l->size(), &s, &e))
    l->trim(1, 0);
  else
    l->trim(s, e);
  ctx.notify(notify::kList, "ltrim", ctx.arg(1));
  drop_if_empty(ctx, ctx.arg(1), l);
  ctx.modified(ctx.arg(1));
  ctx.reply().ok();
}

void lpos_cmd(CommandContext& ctx) {
  int64_t rank = 1, count = -1, maxlen = 0;
  for (size_t j = 3; j < ctx.argc(); j += 2) {
    if (j + 1 >= ctx.argc()) return ctx.syntax_error();
    std::string_view o = ctx.arg(j);
    if (arg_is(o, "rank")) {
      if (!ctx.int_arg(j + 1, &rank)) return;
      if (rank == 0)
        return ctx.error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
      // Redis 7.0 negates LLONG_MIN, which stays negative: it then acts as RANK -1.
      if (rank == LLONG_MIN) rank = -1;
    } else if (arg_is(o, "count")) {
      // Redis 7.0 answers the same error for a non-integer as for a negative COUNT/MAXLEN.
      if (!protocol::parse_int64(ctx.arg(j + 1), &count) || count < 0)
        return ctx.error("ERR COUNT can't be negative");
    } else if (arg_is(o, "maxlen")) {
      if (!protocol::parse_int64(ctx.arg(j + 1), &maxlen) || maxlen < 0)
        return ctx.error("ERR MAXLEN can't be negative");
    } else {
      return ctx.syntax_error();
    }
  }
  bool bad;
  QueueList* l = find_list(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  if (!l) return count >= 0 ? ctx.reply().array(0) : ctx.reply().null();
  auto pos = l->positions(ctx.arg(2), rank, count < 0 ? 1 : count, maxlen);
  if (count < 0) return pos.empty() ? ctx.reply().null() : ctx.reply().integer(pos[0]);
  ctx.reply().array(pos.size());
  for (int64_t p : pos) ctx.reply().integer(p);
}

// Moves one element from src to dst. Returns false (after replying) on WRONGTYPE; sets
// *moved and *value. The destination type is checked before anything moves.
bool move_one(CommandContext& ctx, std::string_view src, std::string_view dst, End from, End to,
              bool* moved, std::string* value) {
  *moved = false;
  bool bad;
  QueueList* s = find_list(ctx, src, &bad);
  if (bad) return false;
  if (!s) return true;
  QueueList* d = find_list(ctx, dst, &bad);
  if (bad) return false;
  pop_one(s, from, value);
  if (src == dst)
    d = s;  // a rotation: the list is never empty in between
  else if (!d)
    d = create_list(ctx, dst);
  if (to == End::Left)
    d->push_front(*value);
  else
    d->push_back(*value);
  // Redis's order: the push on dst, the pop on src, then src's deletion if it emptied.
  ctx.notify(notify::kList, push_event(to), dst);
  ctx.notify(notify::kList, pop_event(from), src);
  if (src != dst) drop_if_empty(ctx, src, s);
  ctx.modified(src);
  if (src != dst) ctx.modified(dst);
  *moved = true;
  return true;
}

void lmove_generic(CommandContext& ctx, End from, End to) {
  bool moved;
  std::string v;
  if (!move_one(ctx, ctx.arg(1), ctx.arg(2), from, to, &moved, &v)) return;
  if (!moved) return ctx.reply().null();
  ctx.reply().bulk(v);
}

void lmove_cmd(CommandContext& ctx) {
  End from, to;
  if (!parse_end(ctx.arg(3), &from) || !parse_end(ctx.arg(4), &to)) return ctx.syntax_error();
  lmove_generic(ctx, from, to);
}
void rpoplpush_cmd(CommandContext& ctx) { lmove_generic(ctx, End::Right, End::Left); }

// --- blocking -----------------------------------------------------------------------

// BLPOP/BRPOP key [key ...] timeout
void bpop_generic(CommandContext& ctx, End end) {
  int64_t deadline;
  if (!ctx.timeout_arg(ctx.argc() - 1, &deadline)) return;
  for (size_t i = 1; i + 1 < ctx.argc(); ++i) {
    std::string_view key = ctx.arg(i);
    bool bad;
    QueueList* l = find_list(ctx, key, &bad);
    if (bad) return;
    if (!l) continue;
    std::string v;
    pop_one(l, end, &v);
    ctx.reply().array(2);
    ctx.reply().bulk(key);
    ctx.reply().bulk(v);
    ctx.notify(notify::kList, pop_event(end), key);
    drop_if_empty(ctx, key, l);
    ctx.modified(key);
    return;
  }
  ctx.block(ctx.args.subspan(1, ctx.argc() - 2), deadline, Type::List, TimeoutReply::NullArray);
}
void blpop_cmd(CommandContext& ctx) { bpop_generic(ctx, End::Left); }
void brpop_cmd(CommandContext& ctx) { bpop_generic(ctx, End::Right); }

void blmove_generic(CommandContext& ctx, End from, End to, size_t timeout_idx) {
  int64_t deadline;
  if (!ctx.timeout_arg(timeout_idx, &deadline)) return;
  bool moved;
  std::string v;
  if (!move_one(ctx, ctx.arg(1), ctx.arg(2), from, to, &moved, &v)) return;
  if (moved) return ctx.reply().bulk(v);
  // Inside MULTI it answers as LMOVE (a null bulk), but Redis 7.0 answers a real timeout with
  // a null array (RESP2 *-1), as for every list pop.
  if (ctx.in_exec) return ctx.reply().null();
  ctx.block(ctx.args.subspan(1, 1), deadline, Type::List, TimeoutReply::NullArray);
}
void blmove_cmd(CommandContext& ctx) {
  End from, to;
  if (!parse_end(ctx.arg(3), &from) || !parse_end(ctx.arg(4), &to)) return ctx.syntax_error();
  blmove_generic(ctx, from, to, 5);
}
void brpoplpush_cmd(CommandContext& ctx) { blmove_generic(ctx, End::Right, End::Left, 3); }

// [B]LMPOP [timeout] numkeys key [key ...] LEFT|RIGHT [COUNT count]
void lmpop_generic(CommandContext& ctx, bool blocking) {
  size_t j = 1;
  int64_t deadline = 0;
  if (blocking) {
    if (!ctx.timeout_arg(1, &deadline)) return;
    j = 2;
  }
  int64_t numkeys;
  if (!protocol::parse_int64(ctx.arg(j), &numkeys) || numkeys <= 0)
    return ctx.error("ERR numkeys should be greater than 0");
  if (static_cast<size_t>(numkeys) > ctx.argc() - j - 1) return ctx.syntax_error();
  size_t first_key = j + 1;
  size_t where_idx = first_key + static_cast<size_t>(numkeys);
  if (where_idx >= ctx.argc()) return ctx.syntax_error();
  End end;
  if (!parse_end(ctx.arg(where_idx), &end)) return ctx.syntax_error();
  int64_t count = 1;
  bool count_seen = false;
  for (size_t k = where_idx + 1; k < ctx.argc(); ++k) {
    if (arg_is(ctx.arg(k), "count") && k + 1 < ctx.argc() && !count_seen) {
      if (!protocol::parse_int64(ctx.arg(k + 1), &count) || count <= 0)
        return ctx.error(err::kCountPositive);
      count_seen = true;
      ++k;
    } else {
      return ctx.syntax_error();
    }
  }
  for (size_t i = first_key; i < where_idx; ++i) {
    std::string_view key = ctx.arg(i);
    bool bad;
    QueueList* l = find_list(ctx, key, &bad);
    if (bad) return;
    if (!l) continue;
    size_t n = std::min<size_t>(static_cast<size_t>(count), l->size());
    ctx.reply().array(2);
    ctx.reply().bulk(key);
    ctx.reply().array(n);
    std::string v;
    for (size_t k = 0; k < n; ++k) {
      pop_one(l, end, &v);
      ctx.reply().bulk(v);
    }
    ctx.notify(notify::kList, pop_event(end), key);
    drop_if_empty(ctx, key, l);
    ctx.modified(key);
    return;
  }
  if (!blocking) return ctx.reply().null_array();
  ctx.block(ctx.args.subspan(first_key, where_idx - first_key), deadline, Type::List,
            TimeoutReply::NullArray);
}
void lmpop_cmd(CommandContext& ctx) { lmpop_generic(ctx, false); }
void blmpop_cmd(CommandContext& ctx) { lmpop_generic(ctx, true); }

constexpr uint32_t kRW = kAclWrite | kAclList;
constexpr uint32_t kRO = kAclRead | kAclList;

constexpr CommandSpec kListCommands[] = {
    {"lpush",
     -3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "list",
     "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
     "1.0.0",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     lpush_cmd,
     {},
     "key element [element ...]"},
    {"rpush",
     -3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "list",
     "Appends one or more elements to a list. Creates the key if it doesn't exist.",
     "1.0.0",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     rpush_cmd,
     {},
     "key element [element ...]"},
    {"lpushx",
     -3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "list",
     "Prepends one or more elements to a list only when the list exists.",
     "2.2.0",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     lpushx_cmd,
     {},
     "key element [element ...]"},
    {"rpushx",
     -3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "list",
     "Appends an element to a list only when the list exists.",
     "2.2.0",
     "O(1) for each element added, so O(N) to add N elements when the command is called with "
     "multiple arguments.",
     rpushx_cmd,
     {},
     "key element [element ...]"},
    {"lpop",
     -2,
     kWrite | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "list",
     "Returns the first elements in a list after removing it. Deletes the list if the last "
     "element was popped.",
     "1.0.0",
     "O(N) where N is the number of elements returned",
     lpop_cmd,
     {},
     "key [count]"},
    {"rpop",
     -2,
     kWrite | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "list",
     "Returns and removes the last elements of a list. Deletes the list if the last element was "
     "popped.",
     "1.0.0",
     "O(N) where N is the number of elements returned",
     rpop_cmd,
     {},
     "key [count]"},
    {"llen",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "list",
     "Returns the length of a list.",
     "1.0.0",
     "O(1)",
     llen_cmd,
     {},
     "key"},
    {"lrange",
     4,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "list",
     "Returns a range of elements from a list.",
     "1.0.0",
     "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end "
     "(HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
     lrange_cmd,
     {},
     "key start stop"},
    {"lindex",
     3,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "list",
     "Returns an element from a list by its index.",
     "1.0.0",
     "O(N) where N is the number of elements to traverse to get to the element at index. This "
     "makes asking for the first or the last element of the list O(1).",
     lindex_cmd,
     {},
     "key index"},
    {"lset",
     4,
     kWrite | kDenyOom,
     {1, 1, 1},
     kRW | kAclSlow,
     "list",
     "Sets the value of an element in a list by its index.",
     "1.0.0",
     "O(N) where N is the length of the list. Setting either the first or the last element of "
     "the list is O(1).",
     lset_cmd,
     {},
     "key index element"},
    {"linsert",
     5,
     kWrite | kDenyOom,
     {1, 1, 1},
     kRW | kAclSlow,
     "list",
     "Inserts an element before or after another element in a list.",
     "2.2.0",
     "O(N) where N is the number of elements to traverse before seeing the value pivot. This "
     "means that inserting somewhere on the left end on the list (head) can be considered O(1) "
     "and inserting somewhere on the right end (tail) is O(N).",
     linsert_cmd,
     {},
     "key BEFORE|AFTER pivot element"},
    {"lrem",
     4,
     kWrite,
     {1, 1, 1},
     kRW | kAclSlow,
     "list",
     "Removes elements from a list. Deletes the list if the last element was removed.",
     "1.0.0",
     "O(N+M) where N is the length of the list and M is the number of elements removed.",
     lrem_cmd,
     {},
     "key count element"},
    {"ltrim",
     4,
     kWrite,
     {1, 1, 1},
     kRW | kAclSlow,
     "list",
     "Removes elements from both ends a list. Deletes the list if all elements were trimmed.",
     "1.0.0",
     "O(N) where N is the number of elements to be removed by the operation.",
     ltrim_cmd,
     {},
     "key start stop"},
    {"lpos",
     -3,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "list",
     "Returns the index of matching elements in a list.",
     "6.0.6",
     "O(N) where N is the number of elements in the list, for the average case. When searching "
     "for elements near the head or the tail of the list, or when the MAXLEN option is provided, "
     "the command may run in constant time.",
     lpos_cmd,
     {},
     "key element [RANK rank] [COUNT num-matches] [MAXLEN len]"},
    {"lmove",
     5,
     kWrite | kDenyOom,
     {1, 2, 1},
     kRW | kAclSlow,
     "list",
     "Returns an element after popping it from one list and pushing it to another. Deletes the "
     "list if the last element was moved.",
     "6.2.0",
     "O(1)",
     lmove_cmd,
     {},
     "source destination LEFT|RIGHT LEFT|RIGHT"},
    {"rpoplpush",
     3,
     kWrite | kDenyOom,
     {1, 2, 1},
     kRW | kAclSlow,
     "list",
     "Returns the last element of a list after removing and pushing it to another list. Deletes "
     "the list if the last element was popped.",
     "1.2.0",
     "O(1)",
     rpoplpush_cmd,
     {},
     "source destination"},
    {"lmpop",
     -4,
     kWrite | kMovableKeys,
     {0, 0, 0},
     kRW | kAclSlow,
     "list",
     "Returns multiple elements from a list after removing them. Deletes the list if the last "
     "element was popped.",
     "7.0.0",
     "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
     lmpop_cmd,
     {},
     "numkeys key [key ...] LEFT|RIGHT [COUNT count]"},
    {"blpop",
     -3,
     kWrite | kNoScript | kBlocking,
     {1, -2, 1},
     kRW | kAclSlow | kAclBlocking,
     "list",
     "Removes and returns the first element in a list. Blocks until an element is available "
     "otherwise. Deletes the list if the last element was popped.",
     "2.0.0",
     "O(N) where N is the number of provided keys.",
     blpop_cmd,
     {},
     "key [key ...] timeout"},
    {"brpop",
     -3,
     kWrite | kNoScript | kBlocking,
     {1, -2, 1},
     kRW | kAclSlow | kAclBlocking,
     "list",
     "Removes and returns the last element in a list. Blocks until an element is available "
     "otherwise. Deletes the list if the last element was popped.",
     "2.0.0",
     "O(N) where N is the number of provided keys.",
     brpop_cmd,
     {},
     "key [key ...] timeout"},
    {"blmove",
     6,
     kWrite | kDenyOom | kNoScript | kBlocking,
     {1, 2, 1},
     kRW | kAclSlow | kAclBlocking,
     "list",
     "Pops an element from a list, pushes it to another list and returns it. Blocks until an "
     "element is available otherwise. Deletes the list if the last element was moved.",
     "6.2.0",
     "O(1)",
     blmove_cmd,
     {},
     "source destination LEFT|RIGHT LEFT|RIGHT timeout"},
    {"brpoplpush",
     4,
     kWrite | kDenyOom | kNoScript | kBlocking,
     {1, 2, 1},
     kRW | kAclSlow | kAclBlocking,
     "list",
     "Pops an element from a list, pushes it to another list and returns it. Block until an "
     "element is available otherwise. Deletes the list if the last element was popped.",
     "2.2.0",
     "O(1)",
     brpoplpush_cmd,
     {},
     "source destination timeout"},
    {"blmpop",
     -5,
     kWrite | kBlocking | kMovableKeys,
     {0, 0, 0},
     kRW | kAclSlow | kAclBlocking,
     "list",
     "Pops the first element from one of multiple lists. Blocks until an element is available "
     "otherwise. Deletes the list if the last element was popped.",
     "7.0.0",
     "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
     blmpop_cmd,
     {},
     "timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> list_commands() { return cmd::kListCommands; }
}  // namespace dq::server
