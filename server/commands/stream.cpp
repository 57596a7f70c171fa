// stream.cpp — the stream family's entry commands: XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM,
// XSETID, and the reads XREAD / XREADGROUP (with BLOCK).
//
// Handlers parse and validate in Redis 7.2's order (so the same bad input gets the same
// error), then look keys up, then change storage and reply once. IDs parse as Redis's
// streamGenericParseIDOrReply, leniencies included (string2ull falls back to strtoull).
//
// Which writes wake or dirty what follows Redis: XADD, XDEL and XTRIM (when they removed
// something) are key modifications (WATCH, blocked readers); consumer-group bookkeeping
// (XREADGROUP's PEL, XACK, XCLAIM, XGROUP SETID, XSETID) counts as a change for persistence
// only, as Redis does not signal those keys either.
//
// Blocking reads follow the list pops (server/blocking.h): a reader that finds nothing parks
// with its `$` IDs resolved to the stream's last ID at blocking time; each write to a key it
// waits on re-runs the command (Redis 7.2's re-execution), which either serves it or leaves
// it parked. XREADGROUP re-runs also when its key is deleted or changes type, so its client
// gets NOGROUP / WRONGTYPE at once (7.2; 7.0 answered "-UNBLOCKED the stream key no longer
// exists"). Inside MULTI/EXEC and scripts the reads never block.
#include "server/commands/stream.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "protocol/resp_parser.h"
#include "server/blocking.h"
#include "server/command_context.h"

namespace dq::cmd::stream {

using namespace dq::server;
using storage::Entry;
using storage::Status;
using storage::StreamEntry;
using storage::StreamID;
using storage::StreamIdMode;
using storage::StreamIterator;
using storage::StreamObject;
using storage::TrimArgs;
using storage::TrimStrategy;
using storage::Type;

namespace {

constexpr std::string_view kErrMaxlenMinid =
    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
constexpr std::string_view kErrMaxlenNegative = "ERR The MAXLEN argument must be >= 0.";
constexpr std::string_view kErrLimitNegative = "ERR The LIMIT argument must be >= 0.";
constexpr std::string_view kErrLimitNoStrategy =
    "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
constexpr std::string_view kErrXtrimNoStrategy =
    "ERR syntax error, XTRIM must be called with a trimming strategy";
constexpr std::string_view kErrLimitNoApprox =
    "ERR syntax error, LIMIT cannot be used without the special ~ option";
constexpr std::string_view kErrXaddZero = "ERR The ID specified in XADD must be greater than 0-0";
constexpr std::string_view kErrExhausted =
    "ERR The stream has exhausted the last possible ID, unable to add more items";
constexpr std::string_view kErrXaddSmaller =
    "ERR The ID specified in XADD is equal or smaller than the target stream top item";
constexpr std::string_view kErrTooLarge = "ERR Elements are too large to be stored";
constexpr std::string_view kErrStartInterval = "ERR invalid start ID for the interval";
constexpr std::string_view kErrEndInterval = "ERR invalid end ID for the interval";
constexpr std::string_view kErrEntriesAddedPositive = "ERR entries_added must be positive";
constexpr std::string_view kErrSetidBelowMaxDelArg =
    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
constexpr std::string_view kErrSetidBelowMaxDel =
    "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id";
constexpr std::string_view kErrSetidBelowTop =
    "ERR The ID specified in XSETID is smaller than the target stream top item";
constexpr std::string_view kErrSetidEntriesAdded =
    "ERR The entries_added specified in XSETID is smaller than the target stream length";
constexpr std::string_view kErrUnbalancedFmt =
    "ERR Unbalanced '{}' list of streams: for each stream key an ID or '{}' must be specified.";
constexpr std::string_view kErrGroupOnlyXreadgroup =
    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
constexpr std::string_view kErrNoackOnlyXreadgroup =
    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
constexpr std::string_view kErrMissingGroup = "ERR Missing GROUP option for XREADGROUP";
constexpr std::string_view kErrDollarInGroup =
    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of "
    "this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID "
    "would just return an empty result set.";
constexpr std::string_view kErrGtOutsideGroup =
    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
    "<consumer> option.";

storage::StreamLimits limits(CommandContext& ctx) {
  const auto& c = ctx.server.config();
  return {c.stream_node_max_bytes, c.stream_node_max_entries};
}

// Redis's string2ull: a strict int64 that is not negative, else whatever strtoull accepts
// in full (leading blanks, '+', leading zeros, even a negated value).
bool string2ull(const char* s, uint64_t* out) {
  size_t len = std::strlen(s);
  int64_t ll;
  if (storage::string_to_int64(std::string_view(s, len), &ll)) {
    if (ll < 0) return false;
    *out = static_cast<uint64_t>(ll);
    return true;
  }
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s, &end, 10);
  if (errno == EINVAL || errno == ERANGE || !(*s != '\0' && *end == '\0')) return false;
  *out = v;
  return true;
}

// The entries of a range, gathered before the reply's array header is written. Views stay
// valid while the stream is not modified.
std::vector<StreamEntry>& scratch_entries() {
  static std::vector<StreamEntry> v;
  return v;
}

void reply_entries(CommandContext& ctx, const std::vector<StreamEntry>& v) {
  ctx.reply().array(v.size());
  for (const StreamEntry& e : v) reply_entry(ctx, e);
}

StreamObject* create_stream(CommandContext& ctx, std::string_view key) {
  auto* s = new StreamObject();
  ctx.db().put(Entry::make_heap(key, Type::Stream, storage::Encoding::Stream, s, false, -1));
  return s;
}

// --- XADD / XTRIM arguments ----------------------------------------------------------------

struct AddTrimArgs {
  TrimArgs trim;
  StreamIdMode mode = StreamIdMode::Auto;
  StreamID id;
  bool id_given = false;
  bool seq_given = true;
  bool no_mkstream = false;
};

// Redis's streamParseAddOrTrimArgsOrReply: returns the position of the ID argument (XADD),
// or 0 after replying an error.
size_t parse_add_trim(CommandContext& ctx, AddTrimArgs* a, bool xadd) {
  size_t argc = ctx.argc();
  size_t i = 2;
  bool limit_given = false;
  for (; i < argc; ++i) {
    size_t moreargs = argc - 1 - i;
    std::string_view opt = ctx.arg(i);
    if (xadd && opt == "*") break;
    if ((arg_is(opt, "maxlen") || arg_is(opt, "minid")) && moreargs) {
      bool maxlen = arg_is(opt, "maxlen");
      if (a->trim.strategy != TrimStrategy::None) {
        ctx.error(kErrMaxlenMinid);
        return 0;
      }
      a->trim.approx = false;
      std::string_view next = ctx.arg(i + 1);
      if (moreargs >= 2 && next == "~") {
        a->trim.approx = true;
        ++i;
      } else if (moreargs >= 2 && next == "=") {
        ++i;
      }
      if (maxlen) {
        if (!ctx.int_arg(i + 1, &a->trim.maxlen)) return 0;
        if (a->trim.maxlen < 0) {
          ctx.error(kErrMaxlenNegative);
          return 0;
        }
        a->trim.strategy = TrimStrategy::MaxLen;
      } else {
        if (!id_arg(ctx, i + 1, &a->trim.minid, 0, true)) return 0;
        a->trim.strategy = TrimStrategy::MinId;
      }
      ++i;
    } else if (arg_is(opt, "limit") && moreargs) {
      if (!ctx.int_arg(i + 1, &a->trim.limit)) return 0;
      if (a->trim.limit < 0) {
        ctx.error(kErrLimitNegative);
        return 0;
      }
      limit_given = true;
      ++i;
    } else if (xadd && arg_is(opt, "nomkstream")) {
      a->no_mkstream = true;
    } else if (xadd) {
      bool seq_given;
      if (!parse_id(opt, &a->id, 0, true, &seq_given)) {
        ctx.error(kErrInvalidId);
        return 0;
      }
      a->id_given = true;
      a->seq_given = seq_given;
      a->mode = seq_given ? StreamIdMode::Explicit : StreamIdMode::AutoSeq;
      break;
    } else {
      ctx.syntax_error();
      return 0;
    }
  }
  if (a->trim.limit && a->trim.strategy == TrimStrategy::None) {
    ctx.error(kErrLimitNoStrategy);
    return 0;
  }
  if (!xadd && a->trim.strategy == TrimStrategy::None) {
    ctx.error(kErrXtrimNoStrategy);
    return 0;
  }
  if (limit_given) {
    if (!a->trim.approx) {
      ctx.error(kErrLimitNoApprox);
      return 0;
    }
  } else if (a->trim.approx) {
    // At most 100 blocks' worth of work per call, as Redis.
    int64_t per_node = ctx.server.config().stream_node_max_entries;
    int64_t limit = per_node > INT64_MAX / 100 ? INT64_MAX : 100 * per_node;
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
    a->trim.limit = limit;
  } else {
    a->trim.limit = 0;
  }
  return i;
}

// --- XRANGE / XREVRANGE ---------------------------------------------------------------------

void xrange_generic(CommandContext& ctx, bool rev) {
  size_t start_arg = rev ? 3 : 2, end_arg = rev ? 2 : 3;
  StreamID start, end;
  bool startex, endex;
  if (!interval_arg(ctx, start_arg, &start, &startex, 0)) return;
  if (startex && !start.incr()) return ctx.error(kErrStartInterval);
  if (!interval_arg(ctx, end_arg, &end, &endex, UINT64_MAX)) return;
  if (endex && !end.decr()) return ctx.error(kErrEndInterval);
  int64_t count = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    if (arg_is(ctx.arg(j), "count") && j + 1 < ctx.argc()) {
      if (!ctx.int_arg(j + 1, &count)) return;
      if (count < 0) count = 0;
      ++j;
    } else {
      return ctx.syntax_error();
    }
  }
  bool bad;
  StreamObject* s = find_stream(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  if (!s) return ctx.reply().array(0);
  if (count == 0) return ctx.reply().null_array();
  auto& v = scratch_entries();
  v.clear();
  StreamIterator it(*s, start, end, rev);
  StreamEntry e;
  while (it.next(&e)) {
    v.push_back(e);
    if (count > 0 && static_cast<int64_t>(v.size()) == count) break;
  }
  reply_entries(ctx, v);
}

// --- XREAD / XREADGROUP ---------------------------------------------------------------------

// One entry of a read reply: an entry, or (history reads) an ID whose entry was deleted.
struct ReadItem {
  StreamID id;
  bool missing;
  StreamEntry e;
};
struct ReadServed {
  size_t key_arg;
  size_t begin, end;  // into the items
};

void xread_generic(CommandContext& ctx, bool group_mode) {
  size_t argc = ctx.argc();
  int64_t deadline = -1;  // -1: no BLOCK
  int64_t count = 0;
  size_t streams_arg = 0, nstreams = 0;
  bool noack = false;
  std::string_view groupname, consumername;
  bool have_group = false;
  for (size_t i = 1; i < argc; ++i) {
    size_t moreargs = argc - i - 1;
    std::string_view o = ctx.arg(i);
    if (arg_is(o, "block") && moreargs) {
      // Redis 7 refuses BLOCK in scripts outright (MULTI just does not block).
      if (ctx.in_script)
        return ctx.error_fmt("ERR {} command is not allowed with BLOCK option from scripts",
                             ctx.arg(0));
      ++i;
      if (!ctx.timeout_ms_arg(i, &deadline)) return;
    } else if (arg_is(o, "count") && moreargs) {
      ++i;
      if (!ctx.int_arg(i, &count)) return;
      if (count < 0) count = 0;
    } else if (arg_is(o, "streams") && moreargs) {
      streams_arg = i + 1;
      nstreams = argc - streams_arg;
      if (nstreams % 2 != 0)
        return ctx.error_fmt(kErrUnbalancedFmt, group_mode ? "xreadgroup" : "xread",
                             group_mode ? '>' : '$');
      nstreams /= 2;
      break;
    } else if (arg_is(o, "group") && moreargs >= 2) {
      if (!group_mode) return ctx.error(kErrGroupOnlyXreadgroup);
      groupname = ctx.arg(i + 1);
      consumername = ctx.arg(i + 2);
      have_group = true;
      i += 2;
    } else if (arg_is(o, "noack")) {
      if (!group_mode) return ctx.error(kErrNoackOnlyXreadgroup);
      noack = true;
    } else {
      return ctx.syntax_error();
    }
  }
  if (streams_arg == 0) return ctx.syntax_error();
  if (group_mode && !have_group) return ctx.error(kErrMissingGroup);

  // Resolve IDs (and groups), in Redis's order: per stream, type, group, then the ID.
  static std::vector<StreamID> ids;
  static std::vector<storage::StreamGroup*> groups;
  static std::vector<StreamObject*> streams;
  ids.assign(nstreams, StreamID{});
  groups.assign(nstreams, nullptr);
  streams.assign(nstreams, nullptr);
  for (size_t k = 0; k < nstreams; ++k) {
    std::string_view key = ctx.arg(streams_arg + k);
    std::string_view idarg = ctx.arg(streams_arg + nstreams + k);
    bool bad;
    StreamObject* s = find_stream(ctx, key, &bad, true);
    if (bad) return;
    streams[k] = s;
    if (have_group) {
      storage::StreamGroup* g = s ? s->find_group(groupname) : nullptr;
      if (!g)
        return ctx.error_fmt(
            "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option", key,
            groupname);
      groups[k] = g;
    }
    if (idarg == "$") {
      if (group_mode) return ctx.error(kErrDollarInGroup);
      ids[k] = s ? s->last_id() : StreamID{};
    } else if (idarg == ">") {
      if (!group_mode) return ctx.error(kErrGtOutsideGroup);
      ids[k] = StreamID::max();  // "new entries": the group's last ID, resolved below
    } else if (!id_arg(ctx, streams_arg + nstreams + k, &ids[k], 0, true)) {
      return;
    }
  }

  // A wake-up re-run that would serve nothing stays parked without touching the groups.
  if (ctx.retry) {
    bool any = false;
    for (size_t k = 0; k < nstreams && !any; ++k) {
      StreamObject* s = streams[k];
      if (!s) continue;
      if (have_group && ids[k] != StreamID::max()) {
        any = true;
        break;
      }
      StreamID last;
      if (!s->length() || !s->last_entry_id(&last)) continue;
      any = last > (have_group ? groups[k]->last_id : ids[k]);
    }
    if (!any) return ctx.block({}, 0, Type::Stream, TimeoutReply::NullArray);
  }

  static std::vector<ReadItem> items;
  static std::vector<ReadServed> served;
  items.clear();
  served.clear();
  for (size_t k = 0; k < nstreams; ++k) {
    StreamObject* s = streams[k];
    if (!s) {
      // Redis looks each stream up again to serve it: a second "keymiss" for a missing one.
      ctx.notify(notify::kKeyMiss, "keymiss", ctx.arg(streams_arg + k));
      continue;
    }
    StreamID gt = ids[k];
    bool serve = false, history = false;
    storage::StreamConsumer* consumer = nullptr;
    storage::StreamGroup* g = groups[k];
    if (g) {
      if (gt != StreamID::max()) {
        serve = history = true;
      } else if (s->length()) {
        StreamID last;
        if (s->last_entry_id(&last) && last > g->last_id) {
          serve = true;
          gt = g->last_id;
        }
      }
      consumer = g->find_consumer(consumername);
      if (!consumer) {
        consumer = g->create_consumer(consumername, ctx.now);
        ctx.server.add_dirty(1);
        ctx.notify(notify::kStream, "xgroup-createconsumer", ctx.arg(streams_arg + k));
      }
      consumer->seen_time = ctx.now;
    } else if (s->length()) {
      StreamID last;
      if (s->last_entry_id(&last) && last > gt) serve = true;
    }
    if (!serve) continue;
    StreamID start = gt;
    start.incr();
    ReadServed sv{streams_arg + k, items.size(), 0};
    if (history) {
      for (auto it = consumer->pel.lower_bound(start);
           it != consumer->pel.end() && (!count || items.size() - sv.begin < size_t(count)); ++it) {
        StreamIterator one(*s, it->first, it->first, false);
        ReadItem item{it->first, false, {}};
        if (one.next(&item.e)) {
          it->second->delivery_time = ctx.now;
          ++it->second->delivery_count;
        } else {
          item.missing = true;
        }
        items.push_back(item);
      }
    } else {
      StreamIterator it(*s, start, StreamID::max(), false);
      StreamEntry e;
      while (it.next(&e)) {
        if (g) {
          if (e.id > g->last_id) s->group_advance(*g, e.id);
          if (!noack) {
            g->deliver(e.id, consumer, ctx.now);
            consumer->active_time = ctx.now;
          }
        }
        items.push_back(ReadItem{e.id, false, e});
        if (count && items.size() - sv.begin == size_t(count)) break;
      }
    }
    sv.end = items.size();
    served.push_back(sv);
    if (g) ctx.server.add_dirty(1);
  }

  if (!served.empty()) {
    auto& r = ctx.reply();
    bool resp3 = r.resp3();
    if (resp3)
      r.map(served.size());
    else
      r.array(served.size());
    for (const ReadServed& sv : served) {
      if (!resp3) r.array(2);
      r.bulk(ctx.arg(sv.key_arg));
      r.array(sv.end - sv.begin);
      for (size_t i = sv.begin; i < sv.end; ++i) {
        const ReadItem& item = items[i];
        if (item.missing) {
          r.array(2);
          reply_id(ctx, item.id);
          r.null_array();
        } else {
          reply_entry(ctx, item.e);
        }
      }
    }
    return;
  }

  if (deadline < 0) return ctx.reply().null_array();
  // Park with `$` resolved to the last ID now, so the re-run does not spin on new `$`s.
  auto keys = ctx.args.subspan(streams_arg, nstreams);
  bool dollar = false;
  for (size_t k = 0; k < nstreams && !dollar; ++k)
    dollar = ctx.arg(streams_arg + nstreams + k) == "$";
  if (!dollar)
    return ctx.block(keys, deadline, Type::Stream, TimeoutReply::NullArray, {}, group_mode);
  std::vector<std::string> resolved;
  std::vector<std::string_view> rerun(ctx.args.begin(), ctx.args.end());
  resolved.reserve(nstreams);
  for (size_t k = 0; k < nstreams; ++k) {
    size_t a = streams_arg + nstreams + k;
    if (ctx.arg(a) != "$") continue;
    char buf[storage::kStreamIdBuf];
    resolved.emplace_back(buf, storage::format_stream_id(ids[k], buf));
    rerun[a] = resolved.back();
  }
  ctx.block(keys, deadline, Type::Stream, TimeoutReply::NullArray, rerun, group_mode);
}

}  // namespace

// --- shared helpers -------------------------------------------------------------------------

StreamObject* find_stream(CommandContext& ctx, std::string_view key, bool* bad, bool read) {
  Entry* e = read ? ctx.find_read(key) : ctx.find_write(key);
  *bad = false;
  if (!e) return nullptr;
  if (e->type() != Type::Stream) {
    *bad = true;
    ctx.wrong_type();
    return nullptr;
  }
  return static_cast<StreamObject*>(e->object());
}

bool parse_id(std::string_view s, StreamID* id, uint64_t missing_seq, bool strict,
              bool* seq_given) {
  char buf[128];
  if (s.size() > sizeof(buf) - 1) return false;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  if (strict && (buf[0] == '-' || buf[0] == '+') && buf[1] == '\0') return false;
  if (seq_given) *seq_given = true;
  if (buf[0] == '-' && buf[1] == '\0') {
    *id = StreamID{};
    return true;
  }
  if (buf[0] == '+' && buf[1] == '\0') {
    *id = StreamID::max();
    return true;
  }
  uint64_t ms, seq;
  char* dot = std::strchr(buf, '-');
  if (dot) *dot = '\0';
  if (!string2ull(buf, &ms)) return false;
  if (dot) {
    if (seq_given && dot[1] == '*' && dot[2] == '\0') {
      seq = 0;
      *seq_given = false;
    } else if (!string2ull(dot + 1, &seq)) {
      return false;
    }
  } else {
    seq = missing_seq;
  }
  id->ms = ms;
  id->seq = seq;
  return true;
}

bool id_arg(CommandContext& ctx, size_t i, StreamID* id, uint64_t missing_seq, bool strict) {
  if (parse_id(ctx.arg(i), id, missing_seq, strict)) return true;
  ctx.error(kErrInvalidId);
  return false;
}

bool interval_arg(CommandContext& ctx, size_t i, StreamID* id, bool* exclusive,
                  uint64_t missing_seq) {
  std::string_view a = ctx.arg(i);
  *exclusive = a.size() > 1 && a[0] == '(';
  bool ok = *exclusive ? parse_id(a.substr(1), id, missing_seq, true)
                       : parse_id(a, id, missing_seq, false);
  if (!ok) ctx.error(kErrInvalidId);
  return ok;
}

void reply_id(CommandContext& ctx, StreamID id) {
  char buf[storage::kStreamIdBuf];
  ctx.reply().bulk(std::string_view(buf, storage::format_stream_id(id, buf)));
}

void reply_entry(CommandContext& ctx, const StreamEntry& e) {
  auto& r = ctx.reply();
  r.array(2);
  reply_id(ctx, e.id);
  r.array(e.nfields * 2);
  e.for_each([&](std::string_view f, std::string_view v) {
    r.bulk(f);
    r.bulk(v);
  });
}

void reply_entry_by_id(CommandContext& ctx, const StreamObject& s, StreamID id) {
  StreamIterator it(s, id, id, false);
  StreamEntry e;
  if (it.next(&e))
    reply_entry(ctx, e);
  else
    ctx.reply().null_array();
}

// --- handlers -------------------------------------------------------------------------------

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ...
void xadd_cmd(CommandContext& ctx) {
  AddTrimArgs a;
  size_t idpos = parse_add_trim(ctx, &a, true);
  if (!idpos) return;
  size_t field_pos = idpos + 1;
  if (ctx.argc() < field_pos + 2 || (ctx.argc() - field_pos) % 2 == 1)
    return ctx.error_fmt(err::kFmtWrongArity, ctx.cmd->fullname);
  if (a.id_given && a.seq_given && a.id.is_zero()) return ctx.error(kErrXaddZero);

  bool bad;
  StreamObject* s = find_stream(ctx, ctx.arg(1), &bad, false);
  if (bad) return;
  if (!s) {
    if (a.no_mkstream) return ctx.reply().null();
    s = create_stream(ctx, ctx.arg(1));
  }
  if (s->last_id() == StreamID::max()) return ctx.error(kErrExhausted);
  StreamID id;
  Status st = s->add(a.mode, a.id, ctx.now, ctx.args.subspan(field_pos), limits(ctx), &id);
  if (st == Status::OutOfRange) return ctx.error(kErrXaddSmaller);
  if (st != Status::Ok) return ctx.error(kErrTooLarge);
  reply_id(ctx, id);
  ctx.modified(ctx.arg(1));
  ctx.notify(notify::kStream, "xadd", ctx.arg(1));
  if (a.trim.strategy != TrimStrategy::None && s->trim(a.trim) > 0)
    ctx.notify(notify::kStream, "xtrim", ctx.arg(1));
}

// XLEN key
void xlen_cmd(CommandContext& ctx) {
  bool bad;
  StreamObject* s = find_stream(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().integer(s ? static_cast<int64_t>(s->length()) : 0);
}

// XRANGE key start end [COUNT count]
void xrange_cmd(CommandContext& ctx) { xrange_generic(ctx, false); }
// XREVRANGE key end start [COUNT count]
void xrevrange_cmd(CommandContext& ctx) { xrange_generic(ctx, true); }

// XDEL key id [id ...]
void xdel_cmd(CommandContext& ctx) {
  bool bad;
  StreamObject* s = find_stream(ctx, ctx.arg(1), &bad, false);
  if (bad) return;
  if (!s) return ctx.reply().integer(0);
  std::vector<StreamID> ids(ctx.argc() - 2);
  for (size_t j = 2; j < ctx.argc(); ++j)
    if (!id_arg(ctx, j, &ids[j - 2], 0, true)) return;
  size_t deleted = s->erase(ids);
  if (deleted) {
    ctx.modified(ctx.arg(1));
    ctx.server.add_dirty(deleted - 1);
    ctx.notify(notify::kStream, "xdel", ctx.arg(1));
  }
  ctx.reply().integer(static_cast<int64_t>(deleted));
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
void xtrim_cmd(CommandContext& ctx) {
  AddTrimArgs a;
  if (!parse_add_trim(ctx, &a, false)) return;
  bool bad;
  StreamObject* s = find_stream(ctx, ctx.arg(1), &bad, false);
  if (bad) return;
  if (!s) return ctx.reply().integer(0);
  int64_t deleted = s->trim(a.trim);
  if (deleted) {
    ctx.modified(ctx.arg(1));
    ctx.server.add_dirty(static_cast<uint64_t>(deleted) - 1);
    ctx.notify(notify::kStream, "xtrim", ctx.arg(1));
  }
  ctx.reply().integer(deleted);
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
void xsetid_cmd(CommandContext& ctx) {
  StreamID id, max_xdel;
  int64_t entries_added = -1;
  if (!id_arg(ctx, 2, &id, 0, true)) return;
  for (size_t i = 3; i < ctx.argc(); i += 2) {
    bool more = i + 1 < ctx.argc();
    if (arg_is(ctx.arg(i), "entriesadded") && more) {
      if (!ctx.int_arg(i + 1, &entries_added)) return;
      if (entries_added < 0) return ctx.error(kErrEntriesAddedPositive);
    } else if (arg_is(ctx.arg(i), "maxdeletedid") && more) {
      if (!id_arg(ctx, i + 1, &max_xdel, 0, true)) return;
      if (id < max_xdel) return ctx.error(kErrSetidBelowMaxDelArg);
    } else {
      return ctx.syntax_error();
    }
  }
  bool bad;
  StreamObject* s = find_stream(ctx, ctx.arg(1), &bad, false);
  if (bad) return;
  if (!s) return ctx.error(err::kNoSuchKey);
  if (id < s->max_deleted_id()) return ctx.error(kErrSetidBelowMaxDel);
  if (s->length() > 0) {
    StreamID top;
    s->last_entry_id(&top);
    if (id < top) return ctx.error(kErrSetidBelowTop);
    if (entries_added != -1 && s->length() > static_cast<uint64_t>(entries_added))
      return ctx.error(kErrSetidEntriesAdded);
  }
  s->set_last_id(id);
  if (entries_added != -1) s->set_entries_added(static_cast<uint64_t>(entries_added));
  if (!max_xdel.is_zero()) s->set_max_deleted_id(max_xdel);
  ctx.server.add_dirty(1);
  ctx.notify(notify::kStream, "xsetid", ctx.arg(1));
  ctx.reply().ok();
}

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
void xread_cmd(CommandContext& ctx) { xread_generic(ctx, false); }
// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key ...
void xreadgroup_cmd(CommandContext& ctx) { xread_generic(ctx, true); }

}  // namespace dq::cmd::stream
