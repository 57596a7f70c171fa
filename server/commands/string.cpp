// string.cpp — the strings family: GET/SET and friends, counters, ranges, LCS.
//
// Values are binary-safe. Canonical integers are stored as int64 ("int" encoding), so INCR
// is an in-place add; other values live inline in the entry ("embstr") until APPEND or
// SETRANGE move them to a growable heap buffer ("raw"), as Redis converts embstr to raw.
// `SET key token NX PX ms` is one lookup and one insert on the single loop thread: an
// atomic put-if-absent, the lock of the cache-stampede pattern.
#include <algorithm>
#include <climits>
#include <cstring>
#include <vector>

#include "server/command_context.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;
using storage::Type;

namespace {

constexpr uint32_t kSetNx = 1 << 0, kSetXx = 1 << 1, kSetGet = 1 << 2, kSetKeepTtl = 1 << 3,
                   kSetPersist = 1 << 4, kSetEx = 1 << 5, kSetPx = 1 << 6, kSetExat = 1 << 7,
                   kSetPxat = 1 << 8, kSetIfeq = 1 << 9;
constexpr uint32_t kAnyExpire = kSetEx | kSetPx | kSetExat | kSetPxat;

enum class ArgsFor { Set, GetEx };

// Parses SET / GETEX options from index `from` as Redis's parseExtendedStringArgumentsOrReply:
// option conflicts are syntax errors. The expire value is only located here (*expire_idx,
// 0 if none); resolve_expire() checks it later, because Redis checks it at different points
// (SET: before anything else; GETEX: after the key lookup and the type check).
// SET's IFEQ (a dq extension, as Valkey 8.1 / Redis 8.4) conflicts with NX and XX; its
// comparison value's index goes to *ifeq_idx.
bool parse_extended(CommandContext& ctx, size_t from, ArgsFor kind, uint32_t* flags,
                    size_t* expire_idx, size_t* ifeq_idx = nullptr) {
  *expire_idx = 0;
  for (size_t j = from; j < ctx.argc(); ++j) {
    std::string_view o = ctx.arg(j);
    bool has_next = j + 1 < ctx.argc();
    if (kind == ArgsFor::Set && arg_is(o, "nx") && !(*flags & (kSetXx | kSetIfeq))) {
      *flags |= kSetNx;
    } else if (kind == ArgsFor::Set && arg_is(o, "xx") && !(*flags & (kSetNx | kSetIfeq))) {
      *flags |= kSetXx;
    } else if (kind == ArgsFor::Set && ifeq_idx && arg_is(o, "ifeq") &&
               !(*flags & (kSetNx | kSetXx | kSetIfeq)) && has_next) {
      *flags |= kSetIfeq;
      *ifeq_idx = ++j;
    } else if (kind == ArgsFor::Set && arg_is(o, "get")) {
      *flags |= kSetGet;
    } else if (kind == ArgsFor::Set && arg_is(o, "keepttl") && !(*flags & kSetPersist) &&
               !(*flags & kAnyExpire)) {
      *flags |= kSetKeepTtl;
    } else if (kind == ArgsFor::GetEx && arg_is(o, "persist") && !(*flags & kAnyExpire) &&
               !(*flags & kSetKeepTtl)) {
      *flags |= kSetPersist;
    } else if (arg_is(o, "ex") &&
               !(*flags & (kSetKeepTtl | kSetPersist | kSetExat | kSetPx | kSetPxat)) && has_next) {
      *flags |= kSetEx;
      *expire_idx = ++j;
    } else if (arg_is(o, "px") &&
               !(*flags & (kSetKeepTtl | kSetPersist | kSetEx | kSetExat | kSetPxat)) && has_next) {
      *flags |= kSetPx;
      *expire_idx = ++j;
    } else if (arg_is(o, "exat") &&
               !(*flags & (kSetKeepTtl | kSetPersist | kSetEx | kSetPx | kSetPxat)) && has_next) {
      *flags |= kSetExat;
      *expire_idx = ++j;
    } else if (arg_is(o, "pxat") &&
               !(*flags & (kSetKeepTtl | kSetPersist | kSetEx | kSetExat | kSetPx)) && has_next) {
      *flags |= kSetPxat;
      *expire_idx = ++j;
    } else {
      ctx.syntax_error();
      return false;
    }
  }
  return true;
}

// The expire argument as an absolute unix-ms time in *expire_at (-1 when there is none), as
// Redis's getExpireMillisecondsOrReply: not an integer, <= 0, or overflowing is an error.
bool resolve_expire(CommandContext& ctx, uint32_t flags, size_t expire_idx, ArgsFor kind,
                    int64_t* expire_at) {
  *expire_at = -1;
  if (!expire_idx) return true;
  int64_t v;
  if (!ctx.int_arg(expire_idx, &v)) return false;
  bool seconds = flags & (kSetEx | kSetExat);
  const char* name = kind == ArgsFor::Set ? "set" : "getex";
  if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) {
    ctx.error_fmt(err::kFmtInvalidExpire, name);
    return false;
  }
  if (seconds) v *= 1000;
  if (flags & (kSetEx | kSetPx)) {
    if (v > LLONG_MAX - ctx.now) {
      ctx.error_fmt(err::kFmtInvalidExpire, name);
      return false;
    }
    v += ctx.now;
  }
  *expire_at = v;
  return true;
}

// Stores a string value under key, replacing whatever was there. expire_at < 0: no TTL.
// Notifies "set" and, with a TTL given (with_expire_event: not KEEPTTL), "expire".
void store_string(CommandContext& ctx, std::string_view key, std::string_view val,
                  int64_t expire_at, bool with_expire_event = true) {
  storage::Db& db = ctx.db();
  if (expire_at >= 0 && expire_at <= ctx.now) {
    // An absolute expiry in the past: the key ends up deleted (Redis 7 does the same).
    db.del(key, ctx.now);
  } else {
    // An expired key under the name is reclaimed first ("expired" before "new"), as Redis's
    // lookupKeyWrite in setKey; only needed for its notification.
    if (ctx.server.notify_enabled()) ctx.find_write(key);
    db.put(Entry::make_string(key, val, expire_at >= 0, expire_at));
  }
  ctx.modified(key);
  ctx.notify(notify::kString, "set", key);
  if (expire_at >= 0 && with_expire_event) ctx.notify(notify::kGeneric, "expire", key);
}

void get_cmd(CommandContext& ctx) {
  Entry* e = ctx.find_read(ctx.arg(1));
  if (!e) return ctx.reply().null();
  if (e->type() != Type::String) return ctx.wrong_type();
  char buf[24];
  ctx.reply().bulk(e->string_value(buf));
}

// Replies with the old value for SET ... GET / GETSET; false (after replying) on WRONGTYPE.
bool reply_old_value(CommandContext& ctx, Entry* e) {
  if (!e) {
    ctx.reply().null();
    return true;
  }
  if (e->type() != Type::String) {
    ctx.wrong_type();
    return false;
  }
  char buf[24];
  ctx.reply().bulk(e->string_value(buf));
  return true;
}

void set_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1), val = ctx.arg(2);
  if (ctx.argc() == 3) {  // the common case: no options
    // With notifications on, an expired key under the name is reclaimed first ("expired"
    // before "new"), as Redis's lookupKeyWrite in setKey.
    if (ctx.server.notify_enabled()) ctx.find_write(key);
    ctx.db().put(Entry::make_string(key, val, false, -1));
    ctx.modified(key);
    ctx.notify(notify::kString, "set", key);
    return ctx.reply().ok();
  }
  uint32_t flags = 0;
  size_t expire_idx, ifeq_idx = 0;
  int64_t expire_at;
  if (!parse_extended(ctx, 3, ArgsFor::Set, &flags, &expire_idx, &ifeq_idx) ||
      !resolve_expire(ctx, flags, expire_idx, ArgsFor::Set, &expire_at))
    return;
  Entry* old = ctx.find_write(key);
  // IFEQ on a non-string is an error even without GET (Valkey); nothing changes.
  if ((flags & kSetIfeq) && old && old->type() != Type::String) return ctx.wrong_type();
  if (flags & kSetGet) {
    // Redis reads the old value with lookupKeyRead: a miss is a "keymiss" event.
    if (!old) ctx.notify(notify::kKeyMiss, "keymiss", key);
    if (!reply_old_value(ctx, old)) return;
  }
  bool ifeq_failed = false;
  if (flags & kSetIfeq) {
    char buf[24];
    ifeq_failed = !old || old->string_value(buf) != ctx.arg(ifeq_idx);
  }
  if (((flags & kSetNx) && old) || ((flags & kSetXx) && !old) || ifeq_failed) {
    if (!(flags & kSetGet)) ctx.reply().null();
    return;
  }
  bool keep = (flags & kSetKeepTtl) && old && old->has_expire();
  if (keep) expire_at = old->expire_ms();
  store_string(ctx, key, val, expire_at, !keep);
  if (!(flags & kSetGet)) ctx.reply().ok();
}

// DELIFEQ key value (a dq extension, as Valkey 9.0): deletes key only while it holds value,
// the lock release of the stampede pattern without a script. 1 if deleted, else 0.
void delifeq_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.find_write(key);
  if (!e) return ctx.reply().integer(0);
  if (e->type() != Type::String) return ctx.wrong_type();
  char buf[24];
  if (e->string_value(buf) != ctx.arg(2)) return ctx.reply().integer(0);
  ctx.db().del(key, ctx.now);
  ctx.modified(key);
  ctx.notify(notify::kGeneric, "del", key);
  ctx.reply().integer(1);
}

void setnx_cmd(CommandContext& ctx) {
  Entry* e = Entry::make_string(ctx.arg(1), ctx.arg(2), false, -1);
  if (!ctx.db().insert_if_absent(e, ctx.now)) {
    Entry::destroy(e);
    return ctx.reply().integer(0);
  }
  ctx.modified(ctx.arg(1));
  ctx.notify(notify::kString, "set", ctx.arg(1));
  ctx.reply().integer(1);
}

void setex_generic(CommandContext& ctx, bool seconds, const char* name) {
  int64_t v;
  if (!ctx.int_arg(2, &v)) return;
  if (v <= 0 || (seconds && v > LLONG_MAX / 1000))
    return ctx.error_fmt(err::kFmtInvalidExpire, name);
  if (seconds) v *= 1000;
  if (v > LLONG_MAX - ctx.now) return ctx.error_fmt(err::kFmtInvalidExpire, name);
  store_string(ctx, ctx.arg(1), ctx.arg(3), ctx.now + v);
  ctx.reply().ok();
}
void setex_cmd(CommandContext& ctx) { setex_generic(ctx, true, "setex"); }
void psetex_cmd(CommandContext& ctx) { setex_generic(ctx, false, "psetex"); }

void getset_cmd(CommandContext& ctx) {
  Entry* old = ctx.find_write(ctx.arg(1));
  if (!old) ctx.notify(notify::kKeyMiss, "keymiss", ctx.arg(1));
  if (!reply_old_value(ctx, old)) return;
  store_string(ctx, ctx.arg(1), ctx.arg(2), -1);
}

void getdel_cmd(CommandContext& ctx) {
  Entry* e = ctx.find_read(ctx.arg(1));
  if (!reply_old_value(ctx, e) || !e) return;
  ctx.db().del(ctx.arg(1), ctx.now);
  ctx.modified(ctx.arg(1));
  ctx.notify(notify::kGeneric, "del", ctx.arg(1));
}

void getex_cmd(CommandContext& ctx) {
  uint32_t flags = 0;
  size_t expire_idx;
  if (!parse_extended(ctx, 2, ArgsFor::GetEx, &flags, &expire_idx)) return;
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.find_read(key);
  // Redis 7: a missing key answers nil and a wrong type WRONGTYPE before the expire value is
  // looked at ("GETEX nokey EX 0" is nil, not an error).
  if (!e) return ctx.reply().null();
  if (e->type() != Type::String) return ctx.wrong_type();
  int64_t expire_at;
  if (!resolve_expire(ctx, flags, expire_idx, ArgsFor::GetEx, &expire_at)) return;
  char buf[24];
  ctx.reply().bulk(e->string_value(buf));
  if (expire_at >= 0) {
    bool past = expire_at <= ctx.now;
    if (past)
      ctx.db().del(key, ctx.now);
    else
      ctx.db().set_expire(e, expire_at);
    ctx.modified(key);
    ctx.notify(notify::kGeneric, past ? "del" : "expire", key);
  } else if ((flags & kSetPersist) && e->has_expire()) {
    ctx.db().set_expire(e, -1);
    ctx.modified(key);
    ctx.notify(notify::kGeneric, "persist", key);
  }
}

void mget_cmd(CommandContext& ctx) {
  ctx.reply().array(ctx.argc() - 1);
  char buf[24];
  for (size_t i = 1; i < ctx.argc(); ++i) {
    Entry* e = ctx.find_read(ctx.arg(i));
    if (!e || e->type() != Type::String)
      ctx.reply().null();
    else
      ctx.reply().bulk(e->string_value(buf));
  }
}

void mset_cmd(CommandContext& ctx) {
  if (ctx.argc() % 2 == 0) return ctx.error_fmt(err::kFmtWrongArity, ctx.cmd->fullname);
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    if (ctx.server.notify_enabled()) ctx.find_write(ctx.arg(i));  // "expired" first
    ctx.db().put(Entry::make_string(ctx.arg(i), ctx.arg(i + 1), false, -1));
    ctx.modified(ctx.arg(i));
    ctx.notify(notify::kString, "set", ctx.arg(i));
  }
  ctx.reply().ok();
}

void msetnx_cmd(CommandContext& ctx) {
  if (ctx.argc() % 2 == 0) return ctx.error_fmt(err::kFmtWrongArity, ctx.cmd->fullname);
  for (size_t i = 1; i < ctx.argc(); i += 2)
    if (ctx.find_write(ctx.arg(i))) return ctx.reply().integer(0);
  for (size_t i = 1; i < ctx.argc(); i += 2) {
    ctx.db().put(Entry::make_string(ctx.arg(i), ctx.arg(i + 1), false, -1));
    ctx.modified(ctx.arg(i));
    ctx.notify(notify::kString, "set", ctx.arg(i));
  }
  ctx.reply().integer(1);
}

void incr_generic(CommandContext& ctx, int64_t by) {
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.find_write(key);
  int64_t cur = 0;
  if (e) {
    if (e->type() != Type::String) return ctx.wrong_type();
    if (e->is_int()) {
      cur = e->int_value();
    } else {
      char buf[24];
      if (!storage::string_to_int64(e->string_value(buf), &cur)) return ctx.error(err::kNotInteger);
    }
  }
  if ((by < 0 && cur < 0 && by < LLONG_MIN - cur) || (by > 0 && cur > 0 && by > LLONG_MAX - cur))
    return ctx.error(err::kOverflow);
  int64_t v = cur + by;
  if (e && e->is_int()) {
    e->set_int_value(v);  // in place; the TTL stays
  } else {
    bool slot = e && e->has_expire();
    int64_t exp = e ? e->expire_ms() : -1;
    ctx.db().put(Entry::make_int(key, v, slot, exp));
  }
  ctx.modified(key);
  ctx.notify(notify::kString, "incrby", key);
  ctx.reply().integer(v);
}

void incr_cmd(CommandContext& ctx) { incr_generic(ctx, 1); }
void decr_cmd(CommandContext& ctx) { incr_generic(ctx, -1); }
void incrby_cmd(CommandContext& ctx) {
  int64_t by;
  if (ctx.int_arg(2, &by)) incr_generic(ctx, by);
}
void decrby_cmd(CommandContext& ctx) {
  int64_t by;
  if (!ctx.int_arg(2, &by)) return;
  if (by == LLONG_MIN) return ctx.error("ERR decrement would overflow");
  incr_generic(ctx, -by);
}

void incrbyfloat_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = ctx.find_write(key);
  long double cur = 0, by;
  if (e) {
    if (e->type() != Type::String) return ctx.wrong_type();
    char buf[24];
    if (!storage::string_to_long_double(e->string_value(buf), &cur))
      return ctx.error(err::kNotFloat);
  }
  if (!ctx.long_double_arg(2, &by)) return;
  long double v = cur + by;
  if (std::isnan(v) || std::isinf(v)) return ctx.error(err::kIncrNanInf);
  char out[5200];
  size_t n = storage::format_long_double(v, out, sizeof(out));
  std::string_view s(out, n);
  bool slot = e && e->has_expire();
  int64_t exp = e ? e->expire_ms() : -1;
  // Redis stores the result as a new string object: "embstr" up to 44 bytes, even when it
  // is integral ("3"), so the integer encoding is not tried here.
  ctx.db().put(Entry::make_string(key, s, slot, exp, /*allow_int=*/false));
  ctx.modified(key);
  ctx.notify(notify::kString, "incrbyfloat", key);
  ctx.reply().bulk(s);
}

void append_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1), add = ctx.arg(2);
  Entry* e = ctx.find_write(key);
  if (!e) {
    ctx.db().put(Entry::make_string(key, add, false, -1));
    ctx.modified(key);
    ctx.notify(notify::kString, "append", key);
    return ctx.reply().integer(static_cast<int64_t>(add.size()));
  }
  if (e->type() != Type::String) return ctx.wrong_type();
  size_t total = e->string_length() + add.size();
  if (total > static_cast<size_t>(ctx.server.config().proto_max_bulk_len) ||
      total > storage::kMaxStringBytes)
    return ctx.error(err::kStringTooLong);
  size_t old_len = total - add.size();
  e = ctx.db().unshare_string(e, total);
  std::memcpy(static_cast<storage::HeapString*>(e->heap_ptr())->data + old_len, add.data(),
              add.size());
  ctx.modified(key);
  ctx.notify(notify::kString, "append", key);
  ctx.reply().integer(static_cast<int64_t>(total));
}

void strlen_cmd(CommandContext& ctx) {
  Entry* e = ctx.find_read(ctx.arg(1));
  if (!e) return ctx.reply().integer(0);
  if (e->type() != Type::String) return ctx.wrong_type();
  ctx.reply().integer(static_cast<int64_t>(e->string_length()));
}

void getrange_cmd(CommandContext& ctx) {
  int64_t start, end;
  if (!ctx.int_arg(2, &start) || !ctx.int_arg(3, &end)) return;
  Entry* e = ctx.find_read(ctx.arg(1));
  if (!e) return ctx.reply().bulk("");
  if (e->type() != Type::String) return ctx.wrong_type();
  char buf[24];
  std::string_view s = e->string_value(buf);
  int64_t len = static_cast<int64_t>(s.size());
  // Redis 7: both negative and start > end -> empty; then clamp.
  if (start < 0 && end < 0 && start > end) return ctx.reply().bulk("");
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len == 0) return ctx.reply().bulk("");
  ctx.reply().bulk(s.substr(start, end - start + 1));
}

void setrange_cmd(CommandContext& ctx) {
  int64_t offset;
  if (!ctx.int_arg(2, &offset)) return;
  if (offset < 0) return ctx.error(err::kOffsetOutOfRange);
  std::string_view key = ctx.arg(1), val = ctx.arg(3);
  Entry* e = ctx.find_write(key);
  if (e && e->type() != Type::String) return ctx.wrong_type();
  size_t cur_len = e ? e->string_length() : 0;
  if (val.empty()) return ctx.reply().integer(static_cast<int64_t>(cur_len));
  if (static_cast<uint64_t>(offset) + val.size() >
          static_cast<uint64_t>(ctx.server.config().proto_max_bulk_len) ||
      static_cast<uint64_t>(offset) + val.size() > storage::kMaxStringBytes)
    return ctx.error(err::kStringTooLong);
  size_t need = static_cast<size_t>(offset) + val.size();
  e = e ? ctx.db().unshare_string(e, need) : ctx.db().put_zero_string(key, need);
  auto* h = static_cast<storage::HeapString*>(e->heap_ptr());
  std::memcpy(h->data + offset, val.data(), val.size());
  ctx.modified(key);
  ctx.notify(notify::kString, "setrange", key);
  ctx.reply().integer(static_cast<int64_t>(h->len));
}

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
void lcs_cmd(CommandContext& ctx) {
  // Redis 7 checks the keys' types before parsing the options.
  Entry* ea = ctx.find_read(ctx.arg(1));
  Entry* eb = ctx.find_read(ctx.arg(2));
  if ((ea && ea->type() != Type::String) || (eb && eb->type() != Type::String))
    return ctx.error("ERR The specified keys must contain string values");
  bool getlen = false, getidx = false, withmatchlen = false;
  int64_t minmatchlen = 0;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view o = ctx.arg(j);
    if (arg_is(o, "idx")) {
      getidx = true;
    } else if (arg_is(o, "len")) {
      getlen = true;
    } else if (arg_is(o, "withmatchlen")) {
      withmatchlen = true;
    } else if (arg_is(o, "minmatchlen") && j + 1 < ctx.argc()) {
      if (!ctx.int_arg(++j, &minmatchlen)) return;
      if (minmatchlen < 0) minmatchlen = 0;
    } else {
      return ctx.syntax_error();
    }
  }
  if (getidx && getlen) return ctx.error(err::kLcsBothLenIdx);
  char ba[24], bb[24];
  std::string a(ea ? ea->string_value(ba) : std::string_view());
  std::string b(eb ? eb->string_value(bb) : std::string_view());
  size_t alen = a.size(), blen = b.size();
  if ((alen + 1) * (blen + 1) * sizeof(uint32_t) >
      static_cast<size_t>(ctx.server.config().proto_max_bulk_len))
    return ctx.error(
        "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
  std::vector<uint32_t> dp((alen + 1) * (blen + 1), 0);
  auto at = [&](size_t i, size_t j) -> uint32_t& { return dp[j * (alen + 1) + i]; };
  for (size_t i = 1; i <= alen; ++i)
    for (size_t j = 1; j <= blen; ++j)
      at(i, j) = a[i - 1] == b[j - 1] ? at(i - 1, j - 1) + 1 : std::max(at(i - 1, j), at(i, j - 1));
  uint32_t idx = at(alen, blen);
  if (getlen) return ctx.reply().integer(idx);
  std::string result(idx, '\0');
  struct Match {
    size_t as, ae, bs, be;
  };
  std::vector<Match> matches;
  size_t i = alen, j = blen;
  size_t arange_start = alen, arange_end = 0, brange_start = 0, brange_end = 0;
  // Walk back from the end, growing contiguous ranges and emitting each when it breaks
  // (the same walk and tie-breaking as Redis, so IDX output matches).
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      result[idx - 1] = a[i - 1];
      if (arange_start == alen) {
        arange_start = arange_end = i - 1;
        brange_start = brange_end = j - 1;
      } else if (arange_start == i && brange_start == j) {
        --arange_start;
        --brange_start;
      } else {
        emit = true;
      }
      if (arange_start == 0 || brange_start == 0) emit = true;
      --idx;
      --i;
      --j;
    } else {
      if (at(i - 1, j) > at(i, j - 1))
        --i;
      else
        --j;
      if (arange_start != alen) emit = true;
    }
    if (emit) {
      size_t mlen = arange_end - arange_start + 1;
      if (minmatchlen == 0 || mlen >= static_cast<size_t>(minmatchlen))
        matches.push_back({arange_start, arange_end, brange_start, brange_end});
      arange_start = alen;
    }
  }
  if (!getidx) return ctx.reply().bulk(result);
  auto& r = ctx.reply();
  r.map(2);
  r.bulk("matches");
  r.array(matches.size());
  for (const Match& m : matches) {
    r.array(withmatchlen ? 3 : 2);
    r.array(2);
    r.integer(static_cast<int64_t>(m.as));
    r.integer(static_cast<int64_t>(m.ae));
    r.array(2);
    r.integer(static_cast<int64_t>(m.bs));
    r.integer(static_cast<int64_t>(m.be));
    if (withmatchlen) r.integer(static_cast<int64_t>(m.ae - m.as + 1));
  }
  r.bulk("len");
  r.integer(at(alen, blen));
}

constexpr uint32_t kRW = kAclWrite | kAclString;
constexpr uint32_t kRO = kAclRead | kAclString;

constexpr CommandSpec kStringCommands[] = {
    {"get",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "string",
     "Returns the string value of a key.",
     "1.0.0",
     "O(1)",
     get_cmd,
     {},
     "key"},
    {"set",
     -3,
     kWrite | kDenyOom,
     {1, 1, 1},
     kRW | kAclSlow,
     "string",
     "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
     "1.0.0",
     "O(1)",
     set_cmd,
     {},
     "key value [NX|XX|IFEQ comparison-value] [GET] [EX seconds|PX milliseconds|EXAT "
     "unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"},
    {"delifeq",
     3,
     kWrite | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Deletes a key only if its string value equals the given value (dq extension, as Valkey).",
     "9.0.0",
     "O(1)",
     delifeq_cmd,
     {},
     "key value"},
    {"setnx",
     3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Set the string value of a key only when the key doesn't exist.",
     "1.0.0",
     "O(1)",
     setnx_cmd,
     {},
     "key value"},
    {"setex",
     4,
     kWrite | kDenyOom,
     {1, 1, 1},
     kRW | kAclSlow,
     "string",
     "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.",
     "2.0.0",
     "O(1)",
     setex_cmd,
     {},
     "key seconds value"},
    {"psetex",
     4,
     kWrite | kDenyOom,
     {1, 1, 1},
     kRW | kAclSlow,
     "string",
     "Sets both string value and expiration time in milliseconds of a key. The key is created if "
     "it doesn't exist.",
     "2.6.0",
     "O(1)",
     psetex_cmd,
     {},
     "key milliseconds value"},
    {"getset",
     3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Returns the previous string value of a key after setting it to a new value.",
     "1.0.0",
     "O(1)",
     getset_cmd,
     {},
     "key value"},
    {"getdel",
     2,
     kWrite | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Returns the string value of a key after deleting the key.",
     "6.2.0",
     "O(1)",
     getdel_cmd,
     {},
     "key"},
    {"getex",
     -2,
     kWrite | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Returns the string value of a key after setting its expiration time.",
     "6.2.0",
     "O(1)",
     getex_cmd,
     {},
     "key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]"},
    {"mget",
     -2,
     kReadOnly | kFast,
     {1, -1, 1},
     kRO | kAclFast,
     "string",
     "Atomically returns the string values of one or more keys.",
     "1.0.0",
     "O(N) where N is the number of keys to retrieve.",
     mget_cmd,
     {},
     "key [key ...]"},
    {"mset",
     -3,
     kWrite | kDenyOom,
     {1, -1, 2},
     kRW | kAclSlow,
     "string",
     "Atomically creates or modifies the string values of one or more keys.",
     "1.0.1",
     "O(N) where N is the number of keys to set.",
     mset_cmd,
     {},
     "key value [key value ...]"},
    {"msetnx",
     -3,
     kWrite | kDenyOom,
     {1, -1, 2},
     kRW | kAclSlow,
     "string",
     "Atomically modifies the string values of one or more keys only when all keys don't exist.",
     "1.0.1",
     "O(N) where N is the number of keys to set.",
     msetnx_cmd,
     {},
     "key value [key value ...]"},
    {"incr",
     2,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't "
     "exist.",
     "1.0.0",
     "O(1)",
     incr_cmd,
     {},
     "key"},
    {"decr",
     2,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't "
     "exist.",
     "1.0.0",
     "O(1)",
     decr_cmd,
     {},
     "key"},
    {"incrby",
     3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Increments the integer value of a key by a number. Uses 0 as initial value if the key "
     "doesn't exist.",
     "1.0.0",
     "O(1)",
     incrby_cmd,
     {},
     "key increment"},
    {"decrby",
     3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Decrements a number from the integer value of a key. Uses 0 as initial value if the key "
     "doesn't exist.",
     "1.0.0",
     "O(1)",
     decrby_cmd,
     {},
     "key decrement"},
    {"incrbyfloat",
     3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Increment the floating point value of a key by a number. Uses 0 as initial value if the "
     "key doesn't exist.",
     "2.6.0",
     "O(1)",
     incrbyfloat_cmd,
     {},
     "key increment"},
    {"append",
     3,
     kWrite | kDenyOom | kFast,
     {1, 1, 1},
     kRW | kAclFast,
     "string",
     "Appends a string to the value of a key. Creates the key if it doesn't exist.",
     "2.0.0",
     "O(1). The amortized time complexity is O(1) assuming the appended value is small and the "
     "already present value is of any size, since the dynamic string library used by Redis will "
     "double the free space available on every reallocation.",
     append_cmd,
     {},
     "key value"},
    {"strlen",
     2,
     kReadOnly | kFast,
     {1, 1, 1},
     kRO | kAclFast,
     "string",
     "Returns the length of a string value.",
     "2.2.0",
     "O(1)",
     strlen_cmd,
     {},
     "key"},
    {"getrange",
     4,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "string",
     "Returns a substring of the string stored at a key.",
     "2.4.0",
     "O(N) where N is the length of the returned string.",
     getrange_cmd,
     {},
     "key start end"},
    {"substr",
     4,
     kReadOnly,
     {1, 1, 1},
     kRO | kAclSlow,
     "string",
     "Returns a substring from a string value.",
     "1.0.0",
     "O(N) where N is the length of the returned string.",
     getrange_cmd,
     {},
     "key start end"},
    {"setrange",
     4,
     kWrite | kDenyOom,
     {1, 1, 1},
     kRW | kAclSlow,
     "string",
     "Overwrites a part of a string value with another by an offset. Creates the key if it "
     "doesn't exist.",
     "2.2.0",
     "O(1)",
     setrange_cmd,
     {},
     "key offset value"},
    {"lcs",
     -3,
     kReadOnly,
     {1, 2, 1},
     kRO | kAclSlow,
     "string",
     "Finds the longest common substring.",
     "7.0.0",
     "O(N*M) where N and M are the lengths of s1 and s2, respectively",
     lcs_cmd,
     {},
     "key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> string_commands() { return cmd::kStringCommands; }
}  // namespace dq::server
