// zset.cpp — the sorted-set family: ZADD .. ZSCAN, the blocking pops, and the set algebra.
//
// Handlers parse and validate every argument first (in Redis's order, so the same bad input
// gets the same error), then look keys up, then change storage and reply once. Ranges of
// every kind (rank, score, lex) are turned into a rank interval [lo, hi) by the storage and
// emitted from there, so ZRANGE, ZRANGESTORE, the BYSCORE/BYLEX variants, ZCOUNT and the
// ZREMRANGEBY* commands share one path. An emptied zset is deleted; a *STORE with an empty
// result deletes its destination. Plain sets are accepted as inputs of ZUNION/ZINTER/ZDIFF
// (members score 1), as Redis does.
//
// Error texts specific to this family are spelled here (Redis 7's wording); they are used
// by no other family.
#include "storage/zset.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/resp_parser.h"
#include "server/blocking.h"
#include "server/command_context.h"
#include "server/commands/zset.h"
#include "storage/set.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;
using storage::LexBound;
using storage::SetObject;
using storage::Type;
using storage::ZSetObject;

namespace zset {

constexpr std::string_view kErrXxNx = "ERR XX and NX options at the same time are not compatible";
constexpr std::string_view kErrIncrPair =
    "ERR INCR option supports a single increment-element pair";
constexpr std::string_view kErrNan = "ERR resulting score is not a number (NaN)";
constexpr std::string_view kErrMinMaxFloat = "ERR min or max is not a float";
constexpr std::string_view kErrMinMaxLex = "ERR min or max not valid string range item";
constexpr std::string_view kErrLimitRank =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
constexpr std::string_view kErrWithscoresLex =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
constexpr std::string_view kErrWeight = "ERR weight value is not a float";
constexpr std::string_view kErrNumkeys = "ERR numkeys should be greater than 0";
constexpr std::string_view kErrLimitNegative = "ERR LIMIT can't be negative";
constexpr std::string_view kErrMustBePositive = "ERR value is out of range, must be positive";

storage::ZSetLimits limits(CommandContext& ctx) {
  const auto& c = ctx.server.config();
  return {static_cast<size_t>(std::max(0, c.zset_max_listpack_entries)),
          static_cast<size_t>(std::max(0, c.zset_max_listpack_value))};
}

// The zset at key, or nullptr when absent. On WRONGTYPE replies and sets *bad.
ZSetObject* find_zset(CommandContext& ctx, std::string_view key, bool* bad, bool read = false) {
  Entry* e = read ? ctx.find_read(key) : ctx.find_write(key);
  *bad = false;
  if (!e) return nullptr;
  if (e->type() != Type::ZSet) {
    *bad = true;
    ctx.wrong_type();
    return nullptr;
  }
  return static_cast<ZSetObject*>(e->object());
}

// Stores z under key (replacing whatever was there, as Redis's setKey).
void put_zset(CommandContext& ctx, std::string_view key, ZSetObject* z) {
  auto enc = z->packed() ? storage::Encoding::ListPack : storage::Encoding::SkipList;
  ctx.db().put(Entry::make_heap(key, Type::ZSet, enc, z, false, -1));
}

ZSetObject* create_zset(CommandContext& ctx, std::string_view key, size_t hint, size_t max_len) {
  auto* z = new ZSetObject(limits(ctx), hint, max_len);
  put_zset(ctx, key, z);
  return z;
}

// Deletes the key if its zset became empty (keyspace event "del", after the command's own).
void drop_if_empty(CommandContext& ctx, std::string_view key, ZSetObject* z) {
  if (!z->empty()) return;
  ctx.db().del(key, ctx.now);
  ctx.notify(notify::kGeneric, "del", key);
}

// Deletes a *STORE destination for an empty result ("del" if it existed).
void delete_store_dst(CommandContext& ctx, std::string_view dst) {
  if (!ctx.db().del(dst, ctx.now)) return;
  ctx.modified(dst);
  ctx.notify(notify::kGeneric, "del", dst);
}

// strtod on a NUL-terminated copy, as Redis (an embedded NUL ends the number; "" is 0).
bool parse_strtod(std::string_view s, double* out) {
  std::string buf(s);
  char* end;
  double v = std::strtod(buf.c_str(), &end);
  if (*end != '\0' || std::isnan(v)) return false;
  *out = v;
  return true;
}

// A score range bound: "(" makes it exclusive (Redis's zslParseRange).
bool parse_score_bound(std::string_view s, double* v, bool* ex) {
  *ex = false;
  if (!s.empty() && s[0] == '(') {
    *ex = true;
    s.remove_prefix(1);
  }
  return parse_strtod(s, v);
}

// A lex range bound: "-", "+", "[v" or "(v" (Redis's zslParseLexRangeItem).
bool parse_lex_bound(std::string_view s, LexBound* b) {
  if (s.empty()) return false;
  switch (s[0]) {
    case '+':
    case '-':
      if (s.size() > 1 && s[1] != '\0') return false;
      b->kind = s[0] == '+' ? LexBound::Kind::PosInf : LexBound::Kind::NegInf;
      b->exclusive = true;
      return true;
    case '(':
    case '[':
      b->kind = LexBound::Kind::Value;
      b->exclusive = s[0] == '(';
      b->value.assign(s.substr(1));
      return true;
    default:
      return false;
  }
}

// Replies one (member, score) of a range reply: RESP3 WITHSCORES nests each pair.
void reply_item(CommandContext& ctx, std::string_view m, double s, bool withscores) {
  auto& r = ctx.reply();
  if (withscores && r.resp3()) r.array(2);
  r.bulk(m);
  if (withscores) r.dbl(s);
}

void reply_range_header(CommandContext& ctx, size_t n, bool withscores) {
  ctx.reply().array(withscores && !ctx.reply().resp3() ? n * 2 : n);
}

// Normalises a Redis rank range against len into [lo, hi); false if empty.
bool rank_range(int64_t start, int64_t end, size_t len, size_t* lo, size_t* hi) {
  int64_t n = static_cast<int64_t>(len);
  if (start < 0) start += n;
  if (end < 0) end += n;
  if (start < 0) start = 0;
  if (start > end || start >= n) return false;
  if (end >= n) end = n - 1;
  *lo = static_cast<size_t>(start);
  *hi = static_cast<size_t>(end) + 1;
  return true;
}

// --- ZADD / ZINCRBY -------------------------------------------------------------------------

struct AddFlags {
  bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
};

void zadd_generic(CommandContext& ctx, AddFlags f, size_t scoreidx) {
  std::string_view key = ctx.arg(1);
  size_t elements = ctx.argc() - scoreidx;
  if (elements % 2 || elements == 0) return ctx.syntax_error();
  elements /= 2;
  if (f.incr && elements > 1) return ctx.error(kErrIncrPair);
  if (f.nx && f.xx) return ctx.error(kErrXxNx);
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) return ctx.error(err::kGtLtNx);
  std::vector<double> scores(elements);
  size_t max_len = 0;
  for (size_t j = 0; j < elements; ++j) {
    if (!ctx.double_arg(scoreidx + j * 2, &scores[j])) return;
    max_len = std::max(max_len, ctx.arg(scoreidx + j * 2 + 1).size());
  }
  bool bad;
  ZSetObject* z = find_zset(ctx, key, &bad);
  if (bad) return;
  if (!z) {
    if (f.xx) return f.incr ? ctx.reply().null() : ctx.reply().integer(0);
    // NaN can only come from INCR on an existing member: a new key always takes the score.
    z = create_zset(ctx, key, elements, max_len);
  }
  int64_t added = 0, updated = 0, processed = 0;
  double newscore = 0;
  for (size_t j = 0; j < elements; ++j) {
    std::string_view m = ctx.arg(scoreidx + j * 2 + 1);
    double score = scores[j];
    double cur;
    if (z->score(m, &cur)) {
      if (f.nx) continue;
      if (f.incr) {
        score += cur;
        if (std::isnan(score)) {
          if (added || updated) {
            ctx.modified(key);
            ctx.notify(notify::kZSet, f.incr ? "zincr" : "zadd", key);
          }
          return ctx.error(kErrNan);
        }
      }
      if ((f.gt && score <= cur) || (f.lt && score >= cur)) continue;
      ++processed;
      newscore = score;
      if (score != cur) {
        z->update(m, score);
        ++updated;
      }
    } else {
      if (f.xx) continue;
      z->insert(m, score);
      newscore = score;
      ++added;
      ++processed;
    }
  }
  if (added || updated) {
    ctx.modified(key);
    ctx.notify(notify::kZSet, f.incr ? "zincr" : "zadd", key);
  }
  if (z->empty()) ctx.db().del(key, ctx.now);  // only a new key whose every pair was skipped
  if (f.incr) return processed ? ctx.reply().dbl(newscore) : ctx.reply().null();
  ctx.reply().integer(f.ch ? added + updated : added);
}

void zadd_cmd(CommandContext& ctx) {
  AddFlags f;
  size_t j = 2;
  for (; j < ctx.argc(); ++j) {
    std::string_view o = ctx.arg(j);
    if (arg_is(o, "nx"))
      f.nx = true;
    else if (arg_is(o, "xx"))
      f.xx = true;
    else if (arg_is(o, "ch"))
      f.ch = true;
    else if (arg_is(o, "incr"))
      f.incr = true;
    else if (arg_is(o, "gt"))
      f.gt = true;
    else if (arg_is(o, "lt"))
      f.lt = true;
    else
      break;
  }
  zadd_generic(ctx, f, j);
}

void zincrby_cmd(CommandContext& ctx) {
  AddFlags f;
  f.incr = true;
  zadd_generic(ctx, f, 2);
}

// --- simple reads and ZREM ------------------------------------------------------------------

void zrem_cmd(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  bool bad;
  ZSetObject* z = find_zset(ctx, key, &bad);
  if (bad) return;
  if (!z) return ctx.reply().integer(0);
  int64_t n = 0;
  for (size_t i = 2; i < ctx.argc() && !z->empty(); ++i) n += z->erase(ctx.arg(i));
  if (n) {
    ctx.notify(notify::kZSet, "zrem", key);
    drop_if_empty(ctx, key, z);
    ctx.modified(key);
  }
  ctx.reply().integer(n);
}

void zcard_cmd(CommandContext& ctx) {
  bool bad;
  ZSetObject* z = find_zset(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().integer(z ? static_cast<int64_t>(z->size()) : 0);
}

void zscore_cmd(CommandContext& ctx) {
  bool bad;
  ZSetObject* z = find_zset(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  double s;
  if (!z || !z->score(ctx.arg(2), &s)) return ctx.reply().null();
  ctx.reply().dbl(s);
}

void zmscore_cmd(CommandContext& ctx) {
  bool bad;
  ZSetObject* z = find_zset(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  ctx.reply().array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    double s;
    if (z && z->score(ctx.arg(i), &s))
      ctx.reply().dbl(s);
    else
      ctx.reply().null();
  }
}

// Z[REV]RANK key member [WITHSCORE] (7.2)
void zrank_generic(CommandContext& ctx, bool reverse) {
  if (ctx.argc() > 4) return ctx.error_fmt(err::kFmtWrongArity, ctx.cmd->fullname);
  bool withscore = false;
  if (ctx.argc() == 4) {
    if (!arg_is(ctx.arg(3), "withscore")) return ctx.syntax_error();
    withscore = true;
  }
  bool bad;
  ZSetObject* z = find_zset(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  size_t r;
  double s = 0;
  if (!z || !z->rank(ctx.arg(2), &r))
    return withscore ? ctx.reply().null_array() : ctx.reply().null();
  if (reverse) r = z->size() - 1 - r;
  if (!withscore) return ctx.reply().integer(static_cast<int64_t>(r));
  z->score(ctx.arg(2), &s);
  ctx.reply().array(2);
  ctx.reply().integer(static_cast<int64_t>(r));
  ctx.reply().dbl(s);
}
void zrank_cmd(CommandContext& ctx) { zrank_generic(ctx, false); }
void zrevrank_cmd(CommandContext& ctx) { zrank_generic(ctx, true); }

void zcount_cmd(CommandContext& ctx) {
  double min, max;
  bool minex, maxex;
  if (!parse_score_bound(ctx.arg(2), &min, &minex) || !parse_score_bound(ctx.arg(3), &max, &maxex))
    return ctx.error(kErrMinMaxFloat);
  bool bad;
  ZSetObject* z = find_zset(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  if (!z) return ctx.reply().integer(0);
  size_t lo, hi;
  z->score_range(min, minex, max, maxex, &lo, &hi);
  ctx.reply().integer(hi > lo ? static_cast<int64_t>(hi - lo) : 0);
}

void zlexcount_cmd(CommandContext& ctx) {
  LexBound min, max;
  if (!parse_lex_bound(ctx.arg(2), &min) || !parse_lex_bound(ctx.arg(3), &max))
    return ctx.error(kErrMinMaxLex);
  bool bad;
  ZSetObject* z = find_zset(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  if (!z) return ctx.reply().integer(0);
  size_t lo, hi;
  z->lex_range(min, max, &lo, &hi);
  ctx.reply().integer(hi > lo ? static_cast<int64_t>(hi - lo) : 0);
}

// --- ZRANGE and friends ---------------------------------------------------------------------

enum class RangeType { Auto, Rank, Score, Lex };
enum class Dir { Auto, Forward, Reverse };

// Redis 7's zrangeGenericCommand. key_idx is the source key's index; a store (ZRANGESTORE)
// has its destination at key_idx - 1. Options start after min and max.
void zrange_generic(CommandContext& ctx, size_t key_idx, bool store, RangeType type, Dir dir) {
  size_t minidx = key_idx + 1, maxidx = key_idx + 2;
  bool withscores = false, limit_seen = false;
  int64_t offset = 0, limit = -1;
  for (size_t j = key_idx + 3; j < ctx.argc(); ++j) {
    size_t left = ctx.argc() - j - 1;
    std::string_view o = ctx.arg(j);
    if (!store && arg_is(o, "withscores")) {
      withscores = true;
    } else if (arg_is(o, "limit") && left >= 2) {
      if (!ctx.int_arg(j + 1, &offset) || !ctx.int_arg(j + 2, &limit)) return;
      limit_seen = true;
      j += 2;
    } else if (dir == Dir::Auto && arg_is(o, "rev")) {
      dir = Dir::Reverse;
    } else if (type == RangeType::Auto && arg_is(o, "bylex")) {
      type = RangeType::Lex;
    } else if (type == RangeType::Auto && arg_is(o, "byscore")) {
      type = RangeType::Score;
    } else {
      return ctx.syntax_error();
    }
  }
  if (dir == Dir::Auto) dir = Dir::Forward;
  if (type == RangeType::Auto) type = RangeType::Rank;
  if (limit_seen && type == RangeType::Rank) return ctx.error(kErrLimitRank);
  if (withscores && type == RangeType::Lex) return ctx.error(kErrWithscoresLex);
  bool reverse = dir == Dir::Reverse;
  if (reverse && type != RangeType::Rank) std::swap(minidx, maxidx);

  int64_t start = 0, end = 0;
  double smin = 0, smax = 0;
  bool sminex = false, smaxex = false;
  LexBound lmin, lmax;
  switch (type) {
    case RangeType::Auto:
    case RangeType::Rank:
      if (!ctx.int_arg(minidx, &start) || !ctx.int_arg(maxidx, &end)) return;
      break;
    case RangeType::Score:
      if (!parse_score_bound(ctx.arg(minidx), &smin, &sminex) ||
          !parse_score_bound(ctx.arg(maxidx), &smax, &smaxex))
        return ctx.error(kErrMinMaxFloat);
      break;
    case RangeType::Lex:
      if (!parse_lex_bound(ctx.arg(minidx), &lmin) || !parse_lex_bound(ctx.arg(maxidx), &lmax))
        return ctx.error(kErrMinMaxLex);
      break;
  }

  std::string_view key = ctx.arg(key_idx);
  bool bad;
  ZSetObject* z = find_zset(ctx, key, &bad, !store);
  if (bad) return;
  // Redis reads ZRANGESTORE's source with lookupKeyRead too: a miss is a "keymiss" event.
  if (store && !z) ctx.notify(notify::kKeyMiss, "keymiss", key);

  // The rank interval, then the walk over it (from hi-1 downwards when reversed).
  size_t lo = 0, hi = 0;
  if (z) {
    if (type == RangeType::Rank) {
      if (rank_range(start, end, z->size(), &lo, &hi) && reverse) {
        size_t n = z->size();
        size_t a = n - hi, b = n - lo;
        lo = a;
        hi = b;
      }
      if (hi <= lo) lo = hi = 0;
    } else {
      if (type == RangeType::Score)
        z->score_range(smin, sminex, smax, smaxex, &lo, &hi);
      else
        z->lex_range(lmin, lmax, &lo, &hi);
      if (hi <= lo || offset < 0) {
        lo = hi = 0;
      } else {
        uint64_t off = static_cast<uint64_t>(offset);
        uint64_t avail = hi - lo;
        if (off >= avail) {
          lo = hi = 0;
        } else {
          avail -= off;
          uint64_t take = limit < 0 ? avail : std::min<uint64_t>(avail, limit);
          if (!reverse) {
            lo += off;
            hi = lo + take;
          } else {
            hi -= off;
            lo = hi - take;
          }
        }
      }
    }
  }

  if (!store) {
    reply_range_header(ctx, hi - lo, withscores);
    if (z)
      z->for_range(lo, hi, reverse,
                   [&](std::string_view m, double s) { reply_item(ctx, m, s, withscores); });
    return;
  }
  std::string_view dst = ctx.arg(key_idx - 1);
  if (hi == lo) {
    delete_store_dst(ctx, dst);
    return ctx.reply().integer(0);
  }
  auto* out = new ZSetObject(limits(ctx), type == RangeType::Rank ? hi - lo : 0, 0);
  z->for_range(lo, hi, reverse, [&](std::string_view m, double s) { out->insert(m, s); });
  size_t n = out->size();
  put_zset(ctx, dst, out);
  ctx.modified(dst);
  ctx.notify(notify::kZSet, "zrangestore", dst);
  ctx.reply().integer(static_cast<int64_t>(n));
}

void zrange_cmd(CommandContext& ctx) { zrange_generic(ctx, 1, false, RangeType::Auto, Dir::Auto); }
void zrangestore_cmd(CommandContext& ctx) {
  zrange_generic(ctx, 2, true, RangeType::Auto, Dir::Auto);
}
void zrevrange_cmd(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::Rank, Dir::Reverse);
}
void zrangebyscore_cmd(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::Score, Dir::Forward);
}
void zrevrangebyscore_cmd(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::Score, Dir::Reverse);
}
void zrangebylex_cmd(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::Lex, Dir::Forward);
}
void zrevrangebylex_cmd(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::Lex, Dir::Reverse);
}

// ZREMRANGEBYRANK / BYSCORE / BYLEX key min max
void zremrange_generic(CommandContext& ctx, RangeType type) {
  int64_t start = 0, end = 0;
  double smin = 0, smax = 0;
  bool sminex = false, smaxex = false;
  LexBound lmin, lmax;
  if (type == RangeType::Rank) {
    if (!ctx.int_arg(2, &start) || !ctx.int_arg(3, &end)) return;
  } else if (type == RangeType::Score) {
    if (!parse_score_bound(ctx.arg(2), &smin, &sminex) ||
        !parse_score_bound(ctx.arg(3), &smax, &smaxex))
      return ctx.error(kErrMinMaxFloat);
  } else {
    if (!parse_lex_bound(ctx.arg(2), &lmin) || !parse_lex_bound(ctx.arg(3), &lmax))
      return ctx.error(kErrMinMaxLex);
  }
  std::string_view key = ctx.arg(1);
  bool bad;
  ZSetObject* z = find_zset(ctx, key, &bad);
  if (bad) return;
  if (!z) return ctx.reply().integer(0);
  size_t lo = 0, hi = 0;
  if (type == RangeType::Rank)
    rank_range(start, end, z->size(), &lo, &hi);
  else if (type == RangeType::Score)
    z->score_range(smin, sminex, smax, smaxex, &lo, &hi);
  else
    z->lex_range(lmin, lmax, &lo, &hi);
  if (hi <= lo) return ctx.reply().integer(0);
  z->erase_range(lo, hi);
  ctx.notify(notify::kZSet,
             type == RangeType::Rank    ? "zremrangebyrank"
             : type == RangeType::Score ? "zremrangebyscore"
                                        : "zremrangebylex",
             key);
  drop_if_empty(ctx, key, z);
  ctx.modified(key);
  ctx.reply().integer(static_cast<int64_t>(hi - lo));
}
void zremrangebyrank_cmd(CommandContext& ctx) { zremrange_generic(ctx, RangeType::Rank); }
void zremrangebyscore_cmd(CommandContext& ctx) { zremrange_generic(ctx, RangeType::Score); }
void zremrangebylex_cmd(CommandContext& ctx) { zremrange_generic(ctx, RangeType::Lex); }

// --- pops -----------------------------------------------------------------------------------

// Pops up to count (>= 1) from z at key and replies in one of Redis's three shapes:
// flat [m, s, ...] (ZPOPMIN in RESP2 or without COUNT), nested [[m, s], ...] (ZPOPMIN with
// COUNT in RESP3), [key, m, s] (BZPOPMIN), [key, [[m, s], ...]] (ZMPOP, BZMPOP).
enum class PopShape { Flat, Nested, KeyFlat, KeyNested };
void pop_from(CommandContext& ctx, std::string_view key, ZSetObject* z, bool max, int64_t count,
              PopShape shape) {
  size_t n = std::min<size_t>(static_cast<size_t>(count), z->size());
  auto& r = ctx.reply();
  bool nested = shape == PopShape::Nested || shape == PopShape::KeyNested;
  switch (shape) {
    case PopShape::Flat:
      r.array(n * 2);
      break;
    case PopShape::Nested:
      r.array(n);
      break;
    case PopShape::KeyFlat:
      r.array(n * 2 + 1);
      r.bulk(key);
      break;
    case PopShape::KeyNested:
      r.array(2);
      r.bulk(key);
      r.array(n);
      break;
  }
  size_t lo = max ? z->size() - n : 0, hi = max ? z->size() : n;
  z->for_range(lo, hi, max, [&](std::string_view m, double s) {
    if (nested) r.array(2);
    r.bulk(m);
    r.dbl(s);
  });
  z->erase_range(lo, hi);
  ctx.notify(notify::kZSet, max ? "zpopmax" : "zpopmin", key);
  drop_if_empty(ctx, key, z);
  ctx.modified(key);
}

// ZPOPMIN / ZPOPMAX key [count]
void zpop_generic(CommandContext& ctx, bool max) {
  if (ctx.argc() > 3) return ctx.syntax_error();
  int64_t count = -1;
  if (ctx.argc() == 3) {
    // Redis 7.0 answers the same error for a non-integer as for a negative count.
    if (!protocol::parse_int64(ctx.arg(2), &count) || count < 0)
      return ctx.error(kErrMustBePositive);
  }
  std::string_view key = ctx.arg(1);
  bool bad;
  ZSetObject* z = find_zset(ctx, key, &bad);
  if (bad) return;
  if (!z || count == 0) return ctx.reply().array(0);
  bool nested = ctx.reply().resp3() && count != -1;
  pop_from(ctx, key, z, max, count < 0 ? 1 : count, nested ? PopShape::Nested : PopShape::Flat);
}
void zpopmin_cmd(CommandContext& ctx) { zpop_generic(ctx, false); }
void zpopmax_cmd(CommandContext& ctx) { zpop_generic(ctx, true); }

// Pops from the first non-empty zset among keys. Returns false (nothing replied) when every
// key is missing; true after a reply (a pop or WRONGTYPE).
bool pop_first(CommandContext& ctx, std::span<const std::string_view> keys, bool max, int64_t count,
               PopShape shape) {
  for (std::string_view key : keys) {
    bool bad;
    ZSetObject* z = find_zset(ctx, key, &bad);
    if (bad) return true;
    if (!z) continue;
    pop_from(ctx, key, z, max, count, shape);
    return true;
  }
  return false;
}

// BZPOPMIN / BZPOPMAX key [key ...] timeout
void bzpop_generic(CommandContext& ctx, bool max) {
  int64_t deadline;
  if (!ctx.timeout_arg(ctx.argc() - 1, &deadline)) return;
  auto keys = ctx.args.subspan(1, ctx.argc() - 2);
  if (pop_first(ctx, keys, max, 1, PopShape::KeyFlat)) return;
  ctx.block(keys, deadline, Type::ZSet, TimeoutReply::NullArray);
}
void bzpopmin_cmd(CommandContext& ctx) { bzpop_generic(ctx, false); }
void bzpopmax_cmd(CommandContext& ctx) { bzpop_generic(ctx, true); }

// [B]ZMPOP [timeout] numkeys key [key ...] MIN|MAX [COUNT count]
void zmpop_generic(CommandContext& ctx, bool blocking) {
  size_t numkeys_idx = blocking ? 2 : 1;
  int64_t numkeys;
  if (!protocol::parse_int64(ctx.arg(numkeys_idx), &numkeys) || numkeys <= 0)
    return ctx.error(kErrNumkeys);
  if (static_cast<uint64_t>(numkeys) >= ctx.argc() - numkeys_idx - 1)
    return ctx.syntax_error();  // no room for MIN|MAX
  size_t first = numkeys_idx + 1;
  size_t where_idx = first + static_cast<size_t>(numkeys);
  bool max;
  if (arg_is(ctx.arg(where_idx), "min"))
    max = false;
  else if (arg_is(ctx.arg(where_idx), "max"))
    max = true;
  else
    return ctx.syntax_error();
  int64_t count = -1;
  for (size_t j = where_idx + 1; j < ctx.argc(); ++j) {
    if (count == -1 && arg_is(ctx.arg(j), "count") && j + 1 < ctx.argc()) {
      ++j;
      if (!protocol::parse_int64(ctx.arg(j), &count) || count <= 0)
        return ctx.error(err::kCountPositive);
    } else {
      return ctx.syntax_error();
    }
  }
  if (count == -1) count = 1;
  int64_t deadline = 0;
  if (blocking && !ctx.timeout_arg(1, &deadline)) return;
  auto keys = ctx.args.subspan(first, static_cast<size_t>(numkeys));
  if (pop_first(ctx, keys, max, count, PopShape::KeyNested)) return;
  if (!blocking) return ctx.reply().null_array();
  ctx.block(keys, deadline, Type::ZSet, TimeoutReply::NullArray);
}
void zmpop_cmd(CommandContext& ctx) { zmpop_generic(ctx, false); }
void bzmpop_cmd(CommandContext& ctx) { zmpop_generic(ctx, true); }

// --- ZUNION / ZINTER / ZDIFF (and *STORE, ZINTERCARD) ----------------------------------------

enum class SetOp { Union, Inter, Diff };
enum class Aggregate { Sum, Min, Max };

// One input: a zset, a plain set (members score 1), or a missing key (empty).
struct Source {
  const ZSetObject* z = nullptr;
  const SetObject* s = nullptr;
  double weight = 1.0;
  size_t size() const { return z ? z->size() : s ? s->size() : 0; }
  bool score(std::string_view m, double* out) const {
    if (z) return z->score(m, out);
    if (s && s->contains(m)) {
      *out = 1.0;
      return true;
    }
    return false;
  }
  template <class Fn>
  void for_each(Fn&& fn) const {
    if (z)
      z->for_range(0, z->size(), false, fn);
    else if (s)
      s->for_each([&](std::string_view m) { fn(m, 1.0); });
  }
};

void aggregate(double* target, double v, Aggregate a) {
  switch (a) {
    case Aggregate::Sum:
      *target += v;
      if (std::isnan(*target)) *target = 0;  // inf + -inf, as Redis
      break;
    case Aggregate::Min:
      *target = v < *target ? v : *target;
      break;
    case Aggregate::Max:
      *target = v > *target ? v : *target;
      break;
  }
}

// Redis 7's zunionInterDiffGenericCommand. dst_idx is 0 when not storing.
void setop_generic(CommandContext& ctx, size_t dst_idx, size_t numkeys_idx, SetOp op,
                   bool card_only) {
  int64_t setnum;
  if (!ctx.int_arg(numkeys_idx, &setnum)) return;
  if (setnum < 1)
    return ctx.error_fmt("ERR at least 1 input key is needed for '{}' command", ctx.cmd->fullname);
  if (static_cast<uint64_t>(setnum) > ctx.argc() - numkeys_idx - 1) return ctx.syntax_error();
  size_t n = static_cast<size_t>(setnum);
  std::vector<Source> src(n);
  size_t j = numkeys_idx + 1;
  for (size_t i = 0; i < n; ++i, ++j) {
    Entry* e = dst_idx ? ctx.find_write(ctx.arg(j)) : ctx.find_read(ctx.arg(j));
    if (!e) {
      // Redis reads the sources with lookupKeyRead also when storing: a "keymiss" event.
      if (dst_idx) ctx.notify(notify::kKeyMiss, "keymiss", ctx.arg(j));
      continue;
    }
    if (e->type() == Type::ZSet)
      src[i].z = static_cast<const ZSetObject*>(e->object());
    else if (e->type() == Type::Set)
      src[i].s = static_cast<const SetObject*>(e->object());
    else
      return ctx.wrong_type();
  }
  Aggregate agg = Aggregate::Sum;
  bool withscores = false;
  int64_t limit = 0;
  while (j < ctx.argc()) {
    size_t remaining = ctx.argc() - j;
    std::string_view o = ctx.arg(j);
    if (op != SetOp::Diff && !card_only && remaining >= n + 1 && arg_is(o, "weights")) {
      ++j;
      for (size_t i = 0; i < n; ++i, ++j)
        if (!ctx.double_arg(j, &src[i].weight, kErrWeight)) return;
    } else if (op != SetOp::Diff && !card_only && remaining >= 2 && arg_is(o, "aggregate")) {
      std::string_view a = ctx.arg(j + 1);
      if (arg_is(a, "sum"))
        agg = Aggregate::Sum;
      else if (arg_is(a, "min"))
        agg = Aggregate::Min;
      else if (arg_is(a, "max"))
        agg = Aggregate::Max;
      else
        return ctx.syntax_error();
      j += 2;
    } else if (!dst_idx && !card_only && arg_is(o, "withscores")) {
      withscores = true;
      ++j;
    } else if (card_only && remaining >= 2 && arg_is(o, "limit")) {
      if (!protocol::parse_int64(ctx.arg(j + 1), &limit) || limit < 0)
        return ctx.error(kErrLimitNegative);
      j += 2;
    } else {
      return ctx.syntax_error();
    }
  }

  // Smallest inputs first, as Redis (a stable order, so SUM adds in the same order).
  if (op != SetOp::Diff)
    std::stable_sort(src.begin(), src.end(),
                     [](const Source& a, const Source& b) { return a.size() < b.size(); });

  std::vector<std::pair<std::string, double>> out;
  if (op == SetOp::Union) {
    std::unordered_map<std::string, double> acc;
    std::vector<std::string> order;
    for (const Source& s : src) {
      s.for_each([&](std::string_view m, double sc) {
        double v = s.weight * sc;
        if (std::isnan(v)) v = 0;
        auto [it, fresh] = acc.try_emplace(std::string(m), v);
        if (!fresh) aggregate(&it->second, v, agg);
      });
    }
    out.reserve(acc.size());
    for (auto& [m, s] : acc) out.emplace_back(m, s);
  } else if (op == SetOp::Inter) {
    if (src[0].size() > 0) {
      size_t count = 0;
      bool done = false;
      src[0].for_each([&](std::string_view m, double sc) {
        if (done) return;
        double score = src[0].weight * sc;
        if (std::isnan(score)) score = 0;
        for (size_t i = 1; i < n; ++i) {
          double v;
          if (!src[i].score(m, &v)) return;
          aggregate(&score, src[i].weight * v, agg);
        }
        ++count;
        if (card_only) {
          if (limit && count >= static_cast<size_t>(limit)) done = true;
          return;
        }
        out.emplace_back(std::string(m), score);
      });
      if (card_only) return ctx.reply().integer(static_cast<int64_t>(count));
    } else if (card_only) {
      return ctx.reply().integer(0);
    }
  } else {
    src[0].for_each([&](std::string_view m, double sc) {
      double v;
      for (size_t i = 1; i < n; ++i)
        if (src[i].score(m, &v)) return;
      out.emplace_back(std::string(m), sc);
    });
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return ZSetObject::compare(a.second, a.first, b.second, b.first) < 0;
  });

  if (!dst_idx) {
    reply_range_header(ctx, out.size(), withscores);
    for (auto& [m, s] : out) reply_item(ctx, m, s, withscores);
    return;
  }
  std::string_view dst = ctx.arg(dst_idx);
  if (out.empty()) {
    delete_store_dst(ctx, dst);
    return ctx.reply().integer(0);
  }
  size_t max_len = 0;
  for (auto& p : out) max_len = std::max(max_len, p.first.size());
  auto* z = new ZSetObject(limits(ctx), out.size(), max_len);
  for (auto& [m, s] : out) z->insert(m, s);
  put_zset(ctx, dst, z);
  ctx.modified(dst);
  ctx.notify(notify::kZSet,
             op == SetOp::Union   ? "zunionstore"
             : op == SetOp::Inter ? "zinterstore"
                                  : "zdiffstore",
             dst);
  ctx.reply().integer(static_cast<int64_t>(out.size()));
}

void zunion_cmd(CommandContext& ctx) { setop_generic(ctx, 0, 1, SetOp::Union, false); }
void zinter_cmd(CommandContext& ctx) { setop_generic(ctx, 0, 1, SetOp::Inter, false); }
void zdiff_cmd(CommandContext& ctx) { setop_generic(ctx, 0, 1, SetOp::Diff, false); }
void zunionstore_cmd(CommandContext& ctx) { setop_generic(ctx, 1, 2, SetOp::Union, false); }
void zinterstore_cmd(CommandContext& ctx) { setop_generic(ctx, 1, 2, SetOp::Inter, false); }
void zdiffstore_cmd(CommandContext& ctx) { setop_generic(ctx, 1, 2, SetOp::Diff, false); }
void zintercard_cmd(CommandContext& ctx) { setop_generic(ctx, 0, 1, SetOp::Inter, true); }

// --- ZRANDMEMBER, ZSCAN ---------------------------------------------------------------------

// ZRANDMEMBER key [count [WITHSCORES]]
void zrandmember_cmd(CommandContext& ctx) {
  if (ctx.argc() > 4 || (ctx.argc() == 4 && !arg_is(ctx.arg(3), "withscores")))
    return ctx.syntax_error();
  bool withscores = ctx.argc() == 4;
  if (ctx.argc() == 2) {
    bool bad;
    ZSetObject* z = find_zset(ctx, ctx.arg(1), &bad, true);
    if (bad) return;
    if (!z) return ctx.reply().null();
    std::string m;
    double s;
    z->at(storage::random_u64() % z->size(), &m, &s);
    return ctx.reply().bulk(m);
  }
  int64_t l;
  if (!ctx.int_arg(2, &l)) return;
  if (l < -LLONG_MAX)
    return ctx.error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
  // Redis 7.0: a negative count whose reply (count * 2 with scores) would overflow.
  if (withscores && l < -LLONG_MAX / 2) return ctx.error("ERR value is out of range");
  bool uniq = l >= 0;
  uint64_t count = uniq ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-l);
  bool bad;
  ZSetObject* z = find_zset(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  if (!z || count == 0) return ctx.reply().array(0);
  size_t size = z->size();
  std::vector<size_t> ranks;
  if (!uniq) {
    ranks.reserve(std::min<uint64_t>(count, 1u << 20));
    for (uint64_t i = 0; i < count; ++i) ranks.push_back(storage::random_u64() % size);
  } else if (count >= size) {
    for (size_t i = 0; i < size; ++i) ranks.push_back(i);
  } else {
    // Partial Fisher-Yates over the ranks: count distinct ranks in random order.
    std::vector<size_t> all(size);
    for (size_t i = 0; i < size; ++i) all[i] = i;
    for (size_t i = 0; i < count; ++i) {
      size_t k = i + storage::random_u64() % (size - i);
      std::swap(all[i], all[k]);
      ranks.push_back(all[i]);
    }
  }
  reply_range_header(ctx, ranks.size(), withscores);
  std::string m;
  double s;
  for (size_t r : ranks) {
    z->at(r, &m, &s);
    reply_item(ctx, m, s, withscores);
  }
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]
void zscan_cmd(CommandContext& ctx) {
  uint64_t cursor;
  if (!ctx.cursor_arg(2, &cursor)) return;
  bool bad;
  ZSetObject* z = find_zset(ctx, ctx.arg(1), &bad, true);
  if (bad) return;
  if (!z) return ctx.reply_empty_scan();  // before the options, as Redis
  CommandContext::ScanOptions opt;
  if (!ctx.scan_options(3, &opt)) return;
  std::vector<std::pair<std::string, double>> batch;
  uint64_t max_steps = opt.max_steps();
  do {
    cursor = z->scan(cursor, [&](std::string_view m, double s) {
      if (opt.matches(m)) batch.emplace_back(std::string(m), s);
    });
  } while (cursor && max_steps-- && !opt.reached(batch.size()));
  auto& r = ctx.reply();
  r.array(2);
  r.bulk(std::to_string(cursor));
  r.array(batch.size() * 2);
  char buf[64];
  for (auto& [m, s] : batch) {
    r.bulk(m);
    r.bulk(std::string_view(buf, protocol::ReplyWriter::format_double(s, buf)));
  }
}

// ZRANK/ZREVRANK take 7.2's optional WITHSCORE (arity -3; Redis 7.0 says 3).

}  // namespace zset
}  // namespace dq::cmd
