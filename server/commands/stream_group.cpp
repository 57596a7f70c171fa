// stream_group.cpp — consumer groups and introspection: XGROUP (CREATE, SETID, DESTROY,
// CREATECONSUMER, DELCONSUMER, HELP), XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO (STREAM [FULL],
// GROUPS, CONSUMERS, HELP).
//
// Replies and errors follow Redis 7.2, which differs from 7.0 in XINFO: consumers gain
// `active-time` (XINFO STREAM FULL) and `inactive` (XINFO CONSUMERS). As in Redis, group
// bookkeeping does not count as a key modification (WATCH is not dirtied) except where Redis
// signals it: XGROUP CREATE ... MKSTREAM creating the key, and XGROUP DESTROY waking the
// XREADGROUP clients blocked on the key (they re-run and get NOGROUP).
#include <string>
#include <vector>

#include "server/command_context.h"
#include "server/commands/stream.h"

namespace dq::cmd::stream {

using namespace dq::server;
using storage::Entry;
using storage::StreamConsumer;
using storage::StreamEntry;
using storage::StreamGroup;
using storage::StreamID;
using storage::StreamIterator;
using storage::StreamNack;
using storage::StreamObject;
using storage::Type;

namespace {

constexpr std::string_view kErrXgroupNoKey =
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically.";
constexpr std::string_view kErrNoSuchGroupFmt =
    "NOGROUP No such consumer group '{}' for key name '{}'";
constexpr std::string_view kErrBusyGroup = "BUSYGROUP Consumer Group name already exists";
constexpr std::string_view kErrEntriesRead = "ERR value for ENTRIESREAD must be positive or -1";
constexpr std::string_view kErrSubcommandFmt =
    "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.";
constexpr std::string_view kErrStartInterval = "ERR invalid start ID for the interval";
constexpr std::string_view kErrEndInterval = "ERR invalid end ID for the interval";
constexpr std::string_view kErrCountPositive = "ERR COUNT must be > 0";
constexpr std::string_view kErrTransientMemory =
    "ERR Insufficient memory, failed allocating transient memory, COUNT too high.";

void subcommand_syntax_error(CommandContext& ctx) {
  std::string parent(ctx.arg(0));
  for (char& c : parent) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ctx.error_fmt(kErrSubcommandFmt, ctx.arg(1).substr(0, 128), parent);
}

void reply_lines(CommandContext& ctx, std::span<const std::string_view> lines) {
  ctx.reply().array(lines.size());
  for (std::string_view l : lines) ctx.reply().simple(l);
}

// --- XGROUP ---------------------------------------------------------------------------------

// The common preamble of Redis's xgroupCommand: options (CREATE, SETID), the key (which must
// exist unless MKSTREAM) and, for SETID / CREATECONSUMER / DELCONSUMER, the group.
struct GroupArgs {
  StreamObject* s = nullptr;
  StreamGroup* g = nullptr;
  bool mkstream = false;
  int64_t entries_read = storage::kInvalidEntriesRead;
};

bool xgroup_preamble(CommandContext& ctx, GroupArgs* a, bool need_group) {
  std::string_view sub = ctx.arg(1);
  bool create = arg_is(sub, "create"), setid = arg_is(sub, "setid");
  for (size_t i = 5; i < ctx.argc();) {
    if (create && arg_is(ctx.arg(i), "mkstream")) {
      a->mkstream = true;
      ++i;
    } else if ((create || setid) && arg_is(ctx.arg(i), "entriesread") && i + 1 < ctx.argc()) {
      if (!ctx.int_arg(i + 1, &a->entries_read)) return false;
      if (a->entries_read < 0 && a->entries_read != storage::kInvalidEntriesRead) {
        ctx.error(kErrEntriesRead);
        return false;
      }
      i += 2;
    } else {
      subcommand_syntax_error(ctx);
      return false;
    }
  }
  bool bad;
  a->s = find_stream(ctx, ctx.arg(2), &bad, false);
  if (bad) return false;
  if (!a->mkstream) {
    if (!a->s) {
      ctx.error(kErrXgroupNoKey);
      return false;
    }
    a->g = a->s->find_group(ctx.arg(3));
    if (!a->g && need_group) {
      ctx.error_fmt(kErrNoSuchGroupFmt, ctx.arg(3), ctx.arg(2));
      return false;
    }
  }
  return true;
}

// --- XPENDING / XCLAIM / XAUTOCLAIM helpers -------------------------------------------------

// The group for XPENDING / XCLAIM / XAUTOCLAIM, or nullptr after replying (WRONGTYPE or
// NOGROUP).
StreamGroup* claim_group(CommandContext& ctx, StreamObject** out) {
  bool bad;
  StreamObject* s = find_stream(ctx, ctx.arg(1), &bad, true);
  if (bad) return nullptr;
  StreamGroup* g = s ? s->find_group(ctx.arg(2)) : nullptr;
  if (!g) {
    ctx.error_fmt(kErrNoGroupFmt, ctx.arg(1), ctx.arg(2));
    return nullptr;
  }
  *out = s;
  return g;
}

StreamConsumer* claim_consumer(CommandContext& ctx, StreamGroup* g) {
  StreamConsumer* c = g->find_consumer(ctx.arg(3));
  if (!c) {
    c = g->create_consumer(ctx.arg(3), ctx.now);
    ctx.server.add_dirty(1);
    ctx.notify(notify::kStream, "xgroup-createconsumer", ctx.arg(1));
  }
  c->seen_time = ctx.now;
  return c;
}

// An integer argument with a command-specific error text (getLongLongFromObjectOrReply with
// a message).
bool int_arg_msg(CommandContext& ctx, size_t i, int64_t* out, std::string_view msg) {
  if (protocol::parse_int64(ctx.arg(i), out)) return true;
  ctx.error(msg);
  return false;
}

void reply_entries_or_ids(CommandContext& ctx, const StreamObject& s,
                          const std::vector<StreamID>& ids, bool justid) {
  ctx.reply().array(ids.size());
  for (StreamID id : ids) {
    if (justid)
      reply_id(ctx, id);
    else
      reply_entry_by_id(ctx, s, id);
  }
}

// --- XINFO ----------------------------------------------------------------------------------

StreamObject* info_stream(CommandContext& ctx) {
  bool bad;
  StreamObject* s = find_stream(ctx, ctx.arg(2), &bad, true);
  if (bad) return nullptr;
  if (!s) ctx.error(err::kNoSuchKey);
  return s;
}

void reply_lag(CommandContext& ctx, const StreamObject& s, const StreamGroup& g) {
  int64_t lag;
  if (s.group_lag(g, &lag))
    ctx.reply().integer(lag);
  else
    ctx.reply().null();
}

void reply_entries_read(CommandContext& ctx, const StreamGroup& g) {
  if (g.entries_read != storage::kInvalidEntriesRead)
    ctx.reply().integer(g.entries_read);
  else
    ctx.reply().null();
}

void reply_stream_header(CommandContext& ctx, const StreamObject& s) {
  auto& r = ctx.reply();
  r.bulk("length");
  r.integer(static_cast<int64_t>(s.length()));
  r.bulk("radix-tree-keys");
  r.integer(static_cast<int64_t>(s.block_count()));
  r.bulk("radix-tree-nodes");
  r.integer(static_cast<int64_t>(s.rax_node_count()));
  r.bulk("last-generated-id");
  reply_id(ctx, s.last_id());
  r.bulk("max-deleted-entry-id");
  reply_id(ctx, s.max_deleted_id());
  r.bulk("entries-added");
  r.integer(static_cast<int64_t>(s.entries_added()));
  r.bulk("recorded-first-entry-id");
  reply_id(ctx, s.first_id());
}

void reply_edge_entry(CommandContext& ctx, const StreamObject& s, bool last) {
  StreamIterator it(s, StreamID{}, StreamID::max(), last);
  StreamEntry e;
  if (it.next(&e))
    reply_entry(ctx, e);
  else
    ctx.reply().null();
}

void xinfo_stream_full(CommandContext& ctx, const StreamObject& s, int64_t count) {
  auto& r = ctx.reply();
  r.map(9);
  reply_stream_header(ctx, s);
  r.bulk("entries");
  {
    std::vector<StreamEntry> v;
    StreamIterator it(s, StreamID{}, StreamID::max(), false);
    StreamEntry e;
    while ((!count || static_cast<int64_t>(v.size()) < count) && it.next(&e)) v.push_back(e);
    r.array(v.size());
    for (const StreamEntry& x : v) reply_entry(ctx, x);
  }
  r.bulk("groups");
  r.array(s.groups().size());
  for (const auto& [name, g] : s.groups()) {
    r.map(7);
    r.bulk("name");
    r.bulk(name);
    r.bulk("last-delivered-id");
    reply_id(ctx, g->last_id);
    r.bulk("entries-read");
    reply_entries_read(ctx, *g);
    r.bulk("lag");
    reply_lag(ctx, s, *g);
    r.bulk("pel-count");
    r.integer(static_cast<int64_t>(g->pel.size()));
    r.bulk("pending");
    size_t n = g->pel.size();
    if (count && static_cast<size_t>(count) < n) n = static_cast<size_t>(count);
    r.array(n);
    size_t k = 0;
    for (auto it = g->pel.begin(); k < n; ++it, ++k) {
      r.array(4);
      reply_id(ctx, it->first);
      r.bulk(it->second.consumer->name);
      r.integer(it->second.delivery_time);
      r.integer(static_cast<int64_t>(it->second.delivery_count));
    }
    r.bulk("consumers");
    r.array(g->consumers.size());
    for (const auto& [cname, c] : g->consumers) {
      r.map(5);
      r.bulk("name");
      r.bulk(cname);
      r.bulk("seen-time");
      r.integer(c->seen_time);
      r.bulk("active-time");
      r.integer(c->active_time);
      r.bulk("pel-count");
      r.integer(static_cast<int64_t>(c->pel.size()));
      r.bulk("pending");
      size_t m = c->pel.size();
      if (count && static_cast<size_t>(count) < m) m = static_cast<size_t>(count);
      r.array(m);
      size_t j = 0;
      for (auto it = c->pel.begin(); j < m; ++it, ++j) {
        r.array(3);
        reply_id(ctx, it->first);
        r.integer(it->second->delivery_time);
        r.integer(static_cast<int64_t>(it->second->delivery_count));
      }
    }
  }
}

}  // namespace

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]
void xgroup_create_cmd(CommandContext& ctx) {
  GroupArgs a;
  if (!xgroup_preamble(ctx, &a, false)) return;
  if (ctx.argc() > 8) return subcommand_syntax_error(ctx);
  StreamID id;
  if (ctx.arg(4) == "$") {
    id = a.s ? a.s->last_id() : StreamID{};
  } else if (!id_arg(ctx, 4, &id, 0, true)) {
    return;
  }
  if (!a.s) {
    a.s = new StreamObject();
    ctx.db().put(
        Entry::make_heap(ctx.arg(2), Type::Stream, storage::Encoding::Stream, a.s, false, -1));
    ctx.modified(ctx.arg(2));
  }
  if (!a.s->create_group(ctx.arg(3), id, a.entries_read)) return ctx.error(kErrBusyGroup);
  ctx.server.add_dirty(1);
  ctx.notify(notify::kStream, "xgroup-create", ctx.arg(2));
  ctx.reply().ok();
}

// XGROUP SETID key group id|$ [ENTRIESREAD entries-read]
void xgroup_setid_cmd(CommandContext& ctx) {
  GroupArgs a;
  if (!xgroup_preamble(ctx, &a, true)) return;
  if (ctx.argc() != 5 && ctx.argc() != 7) return subcommand_syntax_error(ctx);
  StreamID id;
  if (ctx.arg(4) == "$") {
    id = a.s->last_id();
  } else if (!id_arg(ctx, 4, &id, 0, false)) {
    return;
  }
  a.g->last_id = id;
  a.g->entries_read = a.entries_read;
  ctx.server.add_dirty(1);
  ctx.notify(notify::kStream, "xgroup-setid", ctx.arg(2));
  ctx.reply().ok();
}

// XGROUP DESTROY key group
void xgroup_destroy_cmd(CommandContext& ctx) {
  GroupArgs a;
  if (!xgroup_preamble(ctx, &a, false)) return;
  if (!a.g) return ctx.reply().integer(0);
  a.s->destroy_group(ctx.arg(3));
  ctx.server.add_dirty(1);
  ctx.notify(notify::kStream, "xgroup-destroy", ctx.arg(2));
  // Blocked XREADGROUP clients re-run and answer NOGROUP.
  ctx.server.blocking().signal_key(ctx.client.db_index, ctx.arg(2));
  ctx.reply().integer(1);
}

// XGROUP CREATECONSUMER key group consumer
void xgroup_createconsumer_cmd(CommandContext& ctx) {
  GroupArgs a;
  if (!xgroup_preamble(ctx, &a, true)) return;
  bool created = a.g->create_consumer(ctx.arg(4), ctx.now) != nullptr;
  if (created) {
    ctx.server.add_dirty(1);
    ctx.notify(notify::kStream, "xgroup-createconsumer", ctx.arg(2));
  }
  ctx.reply().integer(created ? 1 : 0);
}

// XGROUP DELCONSUMER key group consumer
void xgroup_delconsumer_cmd(CommandContext& ctx) {
  GroupArgs a;
  if (!xgroup_preamble(ctx, &a, true)) return;
  int64_t pending = 0;
  if (StreamConsumer* c = a.g->find_consumer(ctx.arg(4))) {
    pending = static_cast<int64_t>(a.g->delete_consumer(c));
    ctx.server.add_dirty(1);
    ctx.notify(notify::kStream, "xgroup-delconsumer", ctx.arg(2));
  }
  ctx.reply().integer(pending);
}

void xgroup_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.",
      "HELP",
      "    Prints this help.",
  };
  reply_lines(ctx, kLines);
}

// XACK key group id [id ...]
void xack_cmd(CommandContext& ctx) {
  bool bad;
  StreamObject* s = find_stream(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  StreamGroup* g = s ? s->find_group(ctx.arg(2)) : nullptr;
  if (!g) return ctx.reply().integer(0);
  // All IDs are checked first: a reply is either an error or the count, never both.
  std::vector<StreamID> ids(ctx.argc() - 3);
  for (size_t j = 3; j < ctx.argc(); ++j)
    if (!id_arg(ctx, j, &ids[j - 3], 0, true)) return;
  int64_t acked = 0;
  for (StreamID id : ids) acked += g->ack(id) ? 1 : 0;
  if (acked) ctx.server.add_dirty(static_cast<uint64_t>(acked));
  ctx.reply().integer(acked);
}

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
void xpending_cmd(CommandContext& ctx) {
  size_t argc = ctx.argc();
  bool summary = argc == 3;
  if (argc != 3 && (argc < 6 || argc > 9)) return ctx.syntax_error();
  StreamID start, end;
  int64_t count = 0, minidle = 0;
  std::string_view consumer_name;
  bool have_consumer = false;
  if (argc >= 6) {
    size_t si = 3;
    if (arg_is(ctx.arg(3), "idle")) {
      if (!ctx.int_arg(4, &minidle)) return;
      if (argc < 8) return ctx.syntax_error();
      si += 2;
    }
    if (!ctx.int_arg(si + 2, &count)) return;
    if (count < 0) count = 0;
    bool startex, endex;
    if (!interval_arg(ctx, si, &start, &startex, 0)) return;
    if (startex && !start.incr()) return ctx.error(kErrStartInterval);
    if (!interval_arg(ctx, si + 1, &end, &endex, UINT64_MAX)) return;
    if (endex && !end.decr()) return ctx.error(kErrEndInterval);
    if (si + 3 < argc) {
      consumer_name = ctx.arg(si + 3);
      have_consumer = true;
    }
  }
  StreamObject* s;
  StreamGroup* g = claim_group(ctx, &s);
  if (!g) return;
  auto& r = ctx.reply();
  if (summary) {
    r.array(4);
    r.integer(static_cast<int64_t>(g->pel.size()));
    if (g->pel.empty()) {
      r.null();
      r.null();
      r.null_array();
      return;
    }
    reply_id(ctx, g->pel.begin()->first);
    reply_id(ctx, g->pel.rbegin()->first);
    size_t n = 0;
    for (const auto& [name, c] : g->consumers) n += c->pel.empty() ? 0 : 1;
    r.array(n);
    for (const auto& [name, c] : g->consumers) {
      if (c->pel.empty()) continue;
      r.array(2);
      r.bulk(name);
      r.bulk_int(static_cast<int64_t>(c->pel.size()));
    }
    return;
  }
  struct Row {
    StreamID id;
    const StreamNack* nack;
  };
  std::vector<Row> rows;
  auto collect = [&](auto& pel, auto nack_of) {
    for (auto it = pel.lower_bound(start); count && it != pel.end() && it->first <= end; ++it) {
      const StreamNack* n = nack_of(it->second);
      if (minidle && ctx.now - n->delivery_time < minidle) continue;
      rows.push_back({it->first, n});
      --count;
    }
  };
  if (have_consumer) {
    StreamConsumer* c = g->find_consumer(consumer_name);
    if (!c) return r.array(0);
    collect(c->pel, [](const StreamNack* n) { return n; });
  } else {
    collect(g->pel, [](const StreamNack& n) { return &n; });
  }
  r.array(rows.size());
  for (const Row& row : rows) {
    r.array(4);
    reply_id(ctx, row.id);
    r.bulk(row.nack->consumer->name);
    int64_t elapsed = ctx.now - row.nack->delivery_time;
    r.integer(elapsed < 0 ? 0 : elapsed);
    r.integer(static_cast<int64_t>(row.nack->delivery_count));
  }
}

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-ms]
//        [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
void xclaim_cmd(CommandContext& ctx) {
  StreamObject* s;
  StreamGroup* g = claim_group(ctx, &s);
  if (!g) return;
  int64_t minidle;
  if (!int_arg_msg(ctx, 4, &minidle, "ERR Invalid min-idle-time argument for XCLAIM")) return;
  if (minidle < 0) minidle = 0;
  std::vector<StreamID> ids;
  size_t j = 5;
  for (; j < ctx.argc(); ++j) {
    StreamID id;
    if (!parse_id(ctx.arg(j), &id, 0, true)) break;
    ids.push_back(id);
  }
  int64_t now = ctx.now;
  int64_t deliverytime = -1, retrycount = -1;
  bool force = false, justid = false;
  StreamID last_id;
  for (; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    std::string_view opt = ctx.arg(j);
    if (arg_is(opt, "force")) {
      force = true;
    } else if (arg_is(opt, "justid")) {
      justid = true;
    } else if (arg_is(opt, "idle") && more) {
      ++j;
      if (!int_arg_msg(ctx, j, &deliverytime, "ERR Invalid IDLE option argument for XCLAIM"))
        return;
      deliverytime = now - deliverytime;
    } else if (arg_is(opt, "time") && more) {
      ++j;
      if (!int_arg_msg(ctx, j, &deliverytime, "ERR Invalid TIME option argument for XCLAIM"))
        return;
    } else if (arg_is(opt, "retrycount") && more) {
      ++j;
      if (!int_arg_msg(ctx, j, &retrycount, "ERR Invalid RETRYCOUNT option argument for XCLAIM"))
        return;
    } else if (arg_is(opt, "lastid") && more) {
      ++j;
      if (!id_arg(ctx, j, &last_id, 0, true)) return;
    } else {
      return ctx.error_fmt("ERR Unrecognized XCLAIM option '{}'", opt);
    }
  }
  if (last_id > g->last_id) {
    g->last_id = last_id;
    ctx.server.add_dirty(1);
  }
  if (deliverytime != -1) {
    // A bogus time (negative, in the future) becomes now rather than an error, as Redis.
    if (deliverytime < 0 || deliverytime > now) deliverytime = now;
  } else {
    deliverytime = now;
  }
  StreamConsumer* consumer = claim_consumer(ctx, g);
  std::vector<StreamID> claimed;
  for (StreamID id : ids) {
    auto it = g->pel.find(id);
    StreamNack* nack = it == g->pel.end() ? nullptr : &it->second;
    if (!s->exists(id)) {
      // The entry is gone: drop it from the PEL.
      if (nack) {
        g->ack(id);
        ctx.server.add_dirty(1);
      }
      continue;
    }
    if (force && !nack) {
      nack = &g->pel[id];
      nack->delivery_time = now;
      nack->delivery_count = 1;
      nack->consumer = nullptr;
    }
    if (!nack) continue;
    if (nack->consumer && minidle && now - nack->delivery_time < minidle) continue;
    g->assign(id, nack, consumer);
    nack->delivery_time = deliverytime;
    if (retrycount >= 0)
      nack->delivery_count = static_cast<uint64_t>(retrycount);
    else if (!justid)
      ++nack->delivery_count;
    claimed.push_back(id);
    consumer->active_time = now;
    ctx.server.add_dirty(1);
  }
  reply_entries_or_ids(ctx, *s, claimed, justid);
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
void xautoclaim_cmd(CommandContext& ctx) {
  int64_t minidle;
  if (!int_arg_msg(ctx, 4, &minidle, "ERR Invalid min-idle-time argument for XAUTOCLAIM")) return;
  if (minidle < 0) minidle = 0;
  StreamID start;
  bool startex;
  if (!interval_arg(ctx, 5, &start, &startex, 0)) return;
  if (startex && !start.incr()) return ctx.error(kErrStartInterval);
  int64_t count = 100;
  bool justid = false;
  for (size_t j = 6; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    if (arg_is(ctx.arg(j), "count") && more) {
      constexpr int64_t kMaxCount = INT64_MAX / 16;  // LONG_MAX / max(sizeof(streamID), 10)
      if (!protocol::parse_int64(ctx.arg(j + 1), &count) || count < 1 || count > kMaxCount)
        return ctx.error(kErrCountPositive);
      ++j;
    } else if (arg_is(ctx.arg(j), "justid")) {
      justid = true;
    } else {
      return ctx.syntax_error();
    }
  }
  StreamObject* s;
  StreamGroup* g = claim_group(ctx, &s);
  if (!g) return;
  // Redis allocates room for COUNT deleted IDs up front and fails on absurd counts.
  if (count > (int64_t(1) << 36)) return ctx.error(kErrTransientMemory);
  StreamConsumer* consumer = claim_consumer(ctx, g);
  int64_t now = ctx.now;
  int64_t attempts = count * 10;
  std::vector<StreamID> claimed, deleted;
  auto it = g->pel.lower_bound(start);
  while (attempts-- > 0 && count > 0 && it != g->pel.end()) {
    StreamID id = it->first;
    StreamNack* nack = &it->second;
    if (!s->exists(id)) {
      if (nack->consumer) nack->consumer->pel.erase(id);
      it = g->pel.erase(it);
      deleted.push_back(id);
      --count;
      ctx.server.add_dirty(1);
      continue;
    }
    ++it;
    if (minidle && now - nack->delivery_time < minidle) continue;
    g->assign(id, nack, consumer);
    nack->delivery_time = now;
    if (!justid) ++nack->delivery_count;
    claimed.push_back(id);
    --count;
    consumer->active_time = now;
    ctx.server.add_dirty(1);
  }
  auto& r = ctx.reply();
  r.array(3);
  reply_id(ctx, it == g->pel.end() ? StreamID{} : it->first);
  reply_entries_or_ids(ctx, *s, claimed, justid);
  r.array(deleted.size());
  for (StreamID id : deleted) reply_id(ctx, id);
}

// XINFO STREAM key [FULL [COUNT count]]
void xinfo_stream_cmd(CommandContext& ctx) {
  StreamObject* s = info_stream(ctx);
  if (!s) return;
  size_t optc = ctx.argc() - 3;
  bool full = optc > 0;
  int64_t count = 10;
  if (full) {
    if (optc != 1 && optc != 3) return subcommand_syntax_error(ctx);
    if (!arg_is(ctx.arg(3), "full")) return subcommand_syntax_error(ctx);
    if (optc == 3) {
      if (!arg_is(ctx.arg(4), "count")) return subcommand_syntax_error(ctx);
      if (!ctx.int_arg(5, &count)) return;
      if (count < 0) count = 10;
    }
    return xinfo_stream_full(ctx, *s, count);
  }
  auto& r = ctx.reply();
  r.map(10);
  reply_stream_header(ctx, *s);
  r.bulk("groups");
  r.integer(static_cast<int64_t>(s->groups().size()));
  r.bulk("first-entry");
  reply_edge_entry(ctx, *s, false);
  r.bulk("last-entry");
  reply_edge_entry(ctx, *s, true);
}

// XINFO GROUPS key
void xinfo_groups_cmd(CommandContext& ctx) {
  StreamObject* s = info_stream(ctx);
  if (!s) return;
  auto& r = ctx.reply();
  r.array(s->groups().size());
  for (const auto& [name, g] : s->groups()) {
    r.map(6);
    r.bulk("name");
    r.bulk(name);
    r.bulk("consumers");
    r.integer(static_cast<int64_t>(g->consumers.size()));
    r.bulk("pending");
    r.integer(static_cast<int64_t>(g->pel.size()));
    r.bulk("last-delivered-id");
    reply_id(ctx, g->last_id);
    r.bulk("entries-read");
    reply_entries_read(ctx, *g);
    r.bulk("lag");
    reply_lag(ctx, *s, *g);
  }
}

// XINFO CONSUMERS key group
void xinfo_consumers_cmd(CommandContext& ctx) {
  StreamObject* s = info_stream(ctx);
  if (!s) return;
  StreamGroup* g = s->find_group(ctx.arg(3));
  if (!g) return ctx.error_fmt(kErrNoSuchGroupFmt, ctx.arg(3), ctx.arg(2));
  auto& r = ctx.reply();
  r.array(g->consumers.size());
  for (const auto& [name, c] : g->consumers) {
    int64_t inactive = c->active_time != -1 ? ctx.now - c->active_time : -1;
    int64_t idle = ctx.now - c->seen_time;
    if (idle < 0) idle = 0;
    r.map(4);
    r.bulk("name");
    r.bulk(name);
    r.bulk("pending");
    r.integer(static_cast<int64_t>(c->pel.size()));
    r.bulk("idle");
    r.integer(idle);
    r.bulk("inactive");
    r.integer(inactive);
  }
}

void xinfo_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.",
      "HELP",
      "    Prints this help.",
  };
  reply_lines(ctx, kLines);
}

}  // namespace dq::cmd::stream
