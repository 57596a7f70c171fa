// geo.cpp — the geo family: GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE,
// GEORADIUS, GEORADIUSBYMEMBER and their _RO variants, as Redis 7.2.
//
// A geo set is a sorted set whose scores are 52-bit geohashes (storage/geohash.h), so
// ZRANGE, ZSCORE, ZREM, TYPE and the rest work on it unchanged. GEOADD validates every
// coordinate, then runs ZADD with the encoded scores (as Redis does, so NX / XX / CH, the
// encodings and WRONGTYPE behave exactly as ZADD's). The searches follow Redis's
// georadiusGeneric: the source key is looked up first (WRONGTYPE before anything else), then
// the arguments are checked in Redis's order, so the same bad request gets the same error;
// the 9 cells of storage/geo.h's search are scanned and sorted there.
//
// Keywords and units compare as Redis's strcasecmp on its NUL-terminated arguments: an
// embedded NUL ends the word. Error texts specific to this family are spelled here.
#include "storage/geo.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "server/command_context.h"
#include "server/commands/zset.h"
#include "storage/geohash.h"
#include "storage/zset.h"

namespace dq::cmd {
namespace {

using namespace dq::server;
using storage::Entry;
using storage::Type;
using storage::ZSetObject;
namespace geo = storage::geo;

constexpr std::string_view kErrUnit = "ERR unsupported unit provided. please use M, KM, FT, MI";
constexpr std::string_view kErrNumericRadius = "ERR need numeric radius";
constexpr std::string_view kErrNegativeRadius = "ERR radius cannot be negative";
constexpr std::string_view kErrNumericWidth = "ERR need numeric width";
constexpr std::string_view kErrNumericHeight = "ERR need numeric height";
constexpr std::string_view kErrNegativeBox = "ERR height or width cannot be negative";
constexpr std::string_view kErrDecodeMember = "ERR could not decode requested zset member";
constexpr std::string_view kErrCountPositive = "ERR COUNT must be > 0";
constexpr std::string_view kErrAnyNeedsCount = "ERR the ANY argument requires COUNT argument";

// strcasecmp(a, k) as Redis calls it on an argument: the argument ends at an embedded NUL.
bool kw(std::string_view a, std::string_view k) {
  size_t nul = a.find('\0');
  if (nul != std::string_view::npos) a = a.substr(0, nul);
  return arg_is(a, k);
}

// The zset at key (read lookup), nullptr when absent; *bad after replying WRONGTYPE.
const ZSetObject* find_geo(CommandContext& ctx, std::string_view key, bool* bad) {
  Entry* e = ctx.find_read(key);
  *bad = false;
  if (!e) return nullptr;
  if (e->type() != Type::ZSet) {
    *bad = true;
    ctx.wrong_type();
    return nullptr;
  }
  return static_cast<const ZSetObject*>(e->object());
}

// Redis's extractUnitOrReply: meters per unit.
bool unit_arg(CommandContext& ctx, size_t i, double* to_meters) {
  std::string_view u = ctx.arg(i);
  if (kw(u, "m"))
    *to_meters = 1;
  else if (kw(u, "km"))
    *to_meters = 1000;
  else if (kw(u, "ft"))
    *to_meters = 0.3048;
  else if (kw(u, "mi"))
    *to_meters = 1609.34;
  else {
    ctx.error(kErrUnit);
    return false;
  }
  return true;
}

// Redis's extractLongLatOrReply: arguments i (longitude) and i + 1 (latitude).
bool lonlat_arg(CommandContext& ctx, size_t i, double* xy) {
  for (size_t k = 0; k < 2; ++k)
    if (!ctx.double_arg(i + k, &xy[k])) return false;
  if (xy[0] < geo::kLongMin || xy[0] > geo::kLongMax || xy[1] < geo::kLatMin ||
      xy[1] > geo::kLatMax) {
    int n = std::snprintf(nullptr, 0, "%f,%f", xy[0], xy[1]);
    std::string pair(static_cast<size_t>(n) + 1, '\0');
    std::snprintf(pair.data(), pair.size(), "%f,%f", xy[0], xy[1]);
    pair.pop_back();
    ctx.error("ERR invalid longitude,latitude pair " + pair);
    return false;
  }
  return true;
}

// Redis's extractDistanceOrReply: radius at i, unit at i + 1.
bool radius_arg(CommandContext& ctx, size_t i, geo::Shape* shape) {
  double d;
  if (!ctx.double_arg(i, &d, kErrNumericRadius)) return false;
  if (d < 0) {
    ctx.error(kErrNegativeRadius);
    return false;
  }
  shape->radius = d;
  return unit_arg(ctx, i + 1, &shape->conversion);
}

// Redis's extractBoxOrReply: width at i, height at i + 1, unit at i + 2.
bool box_arg(CommandContext& ctx, size_t i, geo::Shape* shape) {
  double w, h;
  if (!ctx.double_arg(i, &w, kErrNumericWidth) || !ctx.double_arg(i + 1, &h, kErrNumericHeight))
    return false;
  if (h < 0 || w < 0) {
    ctx.error(kErrNegativeBox);
    return false;
  }
  shape->width = w;
  shape->height = h;
  return unit_arg(ctx, i + 2, &shape->conversion);
}

// The decoded position of member; false when it is not in z.
bool member_position(const ZSetObject* z, std::string_view member, double* xy) {
  double score;
  if (!z->score(member, &score)) return false;
  geo::decode_score(score, xy);
  return true;
}

void reply_coord(CommandContext& ctx, double v) {
  char buf[64];
  ctx.reply().dbl_text(std::string_view(buf, geo::format_coord(v, buf)));
}

void reply_distance(CommandContext& ctx, double d) {
  char buf[64];
  ctx.reply().bulk(std::string_view(buf, geo::format_distance(d, buf)));
}

// --- GEOADD, GEOPOS, GEODIST, GEOHASH --------------------------------------------------------

// GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
void geoadd_cmd(CommandContext& ctx) {
  size_t longidx = 2;
  bool nx = false, xx = false;
  std::vector<std::string_view> zargs{"zadd", ctx.arg(1)};
  for (; longidx < ctx.argc(); ++longidx) {
    std::string_view o = ctx.arg(longidx);
    if (kw(o, "nx"))
      nx = true, zargs.push_back("nx");
    else if (kw(o, "xx"))
      xx = true, zargs.push_back("xx");
    else if (kw(o, "ch"))
      zargs.push_back("ch");
    else
      break;
  }
  if ((ctx.argc() - longidx) % 3 || (xx && nx)) return ctx.syntax_error();
  size_t elements = (ctx.argc() - longidx) / 3;
  std::vector<std::string> scores(elements);
  for (size_t i = 0; i < elements; ++i) {
    double xy[2];
    if (!lonlat_arg(ctx, longidx + i * 3, xy)) return;
    geo::HashBits hash;
    geo::encode_wgs84(xy[0], xy[1], geo::kStepMax, &hash);
    scores[i] = std::to_string(geo::align52(hash));
  }
  // ZADD key [NX|XX] [CH] score member ...: ZADD itself then does the work, as in Redis.
  for (size_t i = 0; i < elements; ++i) {
    zargs.push_back(scores[i]);
    zargs.push_back(ctx.arg(longidx + i * 3 + 2));
  }
  CommandContext zadd = ctx;
  zadd.args = zargs;
  zset::zadd_cmd(zadd);
}

// GEOPOS key [member ...]
void geopos_cmd(CommandContext& ctx) {
  bool bad;
  const ZSetObject* z = find_geo(ctx, ctx.arg(1), &bad);
  if (bad) return;
  ctx.reply().array(ctx.argc() - 2);
  for (size_t j = 2; j < ctx.argc(); ++j) {
    double xy[2];
    if (!z || !member_position(z, ctx.arg(j), xy)) {
      ctx.reply().null_array();
      continue;
    }
    ctx.reply().array(2);
    reply_coord(ctx, xy[0]);
    reply_coord(ctx, xy[1]);
  }
}

// GEODIST key member1 member2 [M|KM|FT|MI]
void geodist_cmd(CommandContext& ctx) {
  double to_meters = 1;
  if (ctx.argc() == 5) {
    if (!unit_arg(ctx, 4, &to_meters)) return;
  } else if (ctx.argc() > 5) {
    return ctx.syntax_error();
  }
  bool bad;
  const ZSetObject* z = find_geo(ctx, ctx.arg(1), &bad);
  if (bad) return;
  double a[2], b[2];
  if (!z || !member_position(z, ctx.arg(2), a) || !member_position(z, ctx.arg(3), b))
    return ctx.reply().null();
  reply_distance(ctx, geo::distance(a[0], a[1], b[0], b[1]) / to_meters);
}

// GEOHASH key [member ...]
void geohash_cmd(CommandContext& ctx) {
  bool bad;
  const ZSetObject* z = find_geo(ctx, ctx.arg(1), &bad);
  if (bad) return;
  ctx.reply().array(ctx.argc() - 2);
  for (size_t j = 2; j < ctx.argc(); ++j) {
    double score;
    if (!z || !z->score(ctx.arg(j), &score))
      ctx.reply().null();
    else
      ctx.reply().bulk(geo::hash_string(score));
  }
}

// --- the searches ----------------------------------------------------------------------------

enum SearchFlags : unsigned {
  kByCoords = 1u << 0,     // GEORADIUS: centre from longitude latitude
  kByMember = 1u << 1,     // GEORADIUSBYMEMBER: centre from a member
  kNoStore = 1u << 2,      // the _RO variants: no STORE / STOREDIST
  kSearch = 1u << 3,       // GEOSEARCH syntax
  kSearchStore = 1u << 4,  // GEOSEARCHSTORE: destination first, STOREDIST without a key
};

// Redis's georadiusGeneric: src is the source key's index.
void search_generic(CommandContext& ctx, size_t src, unsigned flags) {
  std::string_view storekey;
  bool store = false, storedist = false;
  bool bad;
  const ZSetObject* z = find_geo(ctx, ctx.arg(src), &bad);
  if (bad) return;

  size_t base;
  geo::Shape shape;
  if (flags & kByCoords) {
    base = 6;
    if (!lonlat_arg(ctx, 2, shape.xy) || !radius_arg(ctx, base - 2, &shape)) return;
  } else if ((flags & kByMember) && !z) {
    base = 5;  // no source: the arguments are still parsed, for the reply's shape
  } else if (flags & kByMember) {
    base = 5;
    if (!member_position(z, ctx.arg(2), shape.xy)) return ctx.error(kErrDecodeMember);
    if (!radius_arg(ctx, base - 2, &shape)) return;
  } else {
    base = 2;
    if (flags & kSearchStore) {
      base = 3;
      storekey = ctx.arg(1);
      store = true;
    }
  }

  bool withdist = false, withhash = false, withcoord = false;
  bool frommember = false, fromloc = false, byradius = false, bybox = false, any = false;
  geo::Order order = geo::Order::None;
  int64_t count = 0;  // 0: unlimited
  bool search = flags & kSearch;
  size_t remaining = ctx.argc() - base;
  for (size_t i = 0; i < remaining; ++i) {
    size_t at = base + i;
    std::string_view a = ctx.arg(at);
    if (kw(a, "withdist")) {
      withdist = true;
    } else if (kw(a, "withhash")) {
      withhash = true;
    } else if (kw(a, "withcoord")) {
      withcoord = true;
    } else if (kw(a, "any")) {
      any = true;
    } else if (kw(a, "asc")) {
      order = geo::Order::Asc;
    } else if (kw(a, "desc")) {
      order = geo::Order::Desc;
    } else if (kw(a, "count") && i + 1 < remaining) {
      if (!ctx.int_arg(at + 1, &count)) return;
      if (count <= 0) return ctx.error(kErrCountPositive);
      ++i;
    } else if ((kw(a, "store") || kw(a, "storedist")) && i + 1 < remaining && !(flags & kNoStore) &&
               !search) {
      storekey = ctx.arg(at + 1);
      store = true;
      storedist = kw(a, "storedist");
      ++i;
    } else if (kw(a, "storedist") && search && (flags & kSearchStore)) {
      storedist = true;
    } else if (kw(a, "frommember") && i + 1 < remaining && search && !fromloc) {
      // Without a source key the member cannot be looked up: the error comes later.
      if (z && !member_position(z, ctx.arg(at + 1), shape.xy)) return ctx.error(kErrDecodeMember);
      frommember = true;
      ++i;
    } else if (kw(a, "fromlonlat") && i + 2 < remaining && search && !frommember) {
      if (!lonlat_arg(ctx, at + 1, shape.xy)) return;
      fromloc = true;
      i += 2;
    } else if (kw(a, "byradius") && i + 2 < remaining && search && !bybox) {
      if (!radius_arg(ctx, at + 1, &shape)) return;
      shape.type = geo::Shape::Type::Circle;
      byradius = true;
      i += 2;
    } else if (kw(a, "bybox") && i + 3 < remaining && search && !byradius) {
      if (!box_arg(ctx, at + 1, &shape)) return;
      shape.type = geo::Shape::Type::Box;
      bybox = true;
      i += 3;
    } else {
      return ctx.syntax_error();
    }
  }

  if (store && (withdist || withhash || withcoord))
    return ctx.error_fmt("ERR {} is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
                         flags & kSearchStore ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS");
  // Redis names the command as the client spelled it.
  if (search && !(frommember || fromloc))
    return ctx.error_fmt("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {}",
                         ctx.arg(0));
  if (search && !(byradius || bybox))
    return ctx.error_fmt("ERR exactly one of BYRADIUS and BYBOX can be specified for {}",
                         ctx.arg(0));
  if (any && !count) return ctx.error(kErrAnyNeedsCount);

  if (!z) {
    if (!store) return ctx.reply().array(0);
    if (ctx.db().del(storekey, ctx.now)) {
      ctx.modified(storekey);
      ctx.notify(notify::kGeneric, "del", storekey);
    }
    return ctx.reply().integer(0);
  }

  // COUNT without an order returns the nearest (but COUNT ANY returns the first found).
  if (count && order == geo::Order::None && !any) order = geo::Order::Asc;

  geo::SearchArea area = geo::calculate_areas(&shape);
  std::vector<geo::Point> points;
  geo::search(*z, area, shape, any ? static_cast<size_t>(count) : 0, &points);
  if (points.empty() && !store) return ctx.reply().array(0);

  size_t returned = points.size();
  if (count && static_cast<uint64_t>(count) < returned) returned = static_cast<size_t>(count);
  geo::sort_points(&points, order, returned);

  if (!store) {
    size_t options = withdist + withhash + withcoord;
    auto& r = ctx.reply();
    r.array(returned);
    for (size_t i = 0; i < returned; ++i) {
      const geo::Point& p = points[i];
      if (options) r.array(options + 1);
      r.bulk(p.member);
      if (withdist) reply_distance(ctx, p.dist / shape.conversion);
      if (withhash) r.integer(geo::score_to_int(p.score));
      if (withcoord) {
        r.array(2);
        reply_coord(ctx, p.longitude);
        reply_coord(ctx, p.latitude);
      }
    }
    return;
  }

  if (returned == 0) {
    if (ctx.db().del(storekey, ctx.now)) {
      ctx.modified(storekey);
      ctx.notify(notify::kGeneric, "del", storekey);
    }
    return ctx.reply().integer(0);
  }
  size_t max_len = 0;
  for (size_t i = 0; i < returned; ++i) max_len = std::max(max_len, points[i].member.size());
  const auto& c = ctx.server.config();
  storage::ZSetLimits limits{static_cast<size_t>(std::max(0, c.zset_max_listpack_entries)),
                             static_cast<size_t>(std::max(0, c.zset_max_listpack_value))};
  // Built before the destination is replaced: the members are views into the source, which
  // may be the destination itself.
  auto* out = new ZSetObject(limits, returned, max_len);
  for (size_t i = 0; i < returned; ++i) {
    const geo::Point& p = points[i];
    out->insert(p.member, storedist ? p.dist / shape.conversion : p.score);
  }
  auto enc = out->packed() ? storage::Encoding::ListPack : storage::Encoding::SkipList;
  ctx.db().put(Entry::make_heap(storekey, Type::ZSet, enc, out, false, -1));
  ctx.modified(storekey);
  ctx.notify(notify::kZSet, flags & kSearchStore ? "geosearchstore" : "georadiusstore", storekey);
  ctx.reply().integer(static_cast<int64_t>(returned));
}

void georadius_cmd(CommandContext& ctx) { search_generic(ctx, 1, kByCoords); }
void georadius_ro_cmd(CommandContext& ctx) { search_generic(ctx, 1, kByCoords | kNoStore); }
void georadiusbymember_cmd(CommandContext& ctx) { search_generic(ctx, 1, kByMember); }
void georadiusbymember_ro_cmd(CommandContext& ctx) { search_generic(ctx, 1, kByMember | kNoStore); }
void geosearch_cmd(CommandContext& ctx) { search_generic(ctx, 1, kSearch); }
void geosearchstore_cmd(CommandContext& ctx) { search_generic(ctx, 2, kSearch | kSearchStore); }

constexpr uint32_t kGeoRead = kAclRead | kAclGeo | kAclSlow;
constexpr uint32_t kGeoWrite = kAclWrite | kAclGeo | kAclSlow;
constexpr const char* kSearchComplexity =
    "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around "
    "the shape provided as the filter and M is the number of items inside the shape";
constexpr const char* kRadiusComplexity =
    "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area "
    "delimited by center and radius and M is the number of items inside the index.";

constexpr CommandSpec kGeoCommands[] = {
    {"geoadd",
     -5,
     kWrite | kDenyOom,
     {1, 1, 1},
     kGeoWrite,
     "geo",
     "Adds one or more members to a geospatial index. The key is created if it doesn't exist.",
     "3.2.0",
     "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
     geoadd_cmd,
     {},
     "key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]"},
    {"geopos",
     -2,
     kReadOnly,
     {1, 1, 1},
     kGeoRead,
     "geo",
     "Returns the longitude and latitude of members from a geospatial index.",
     "3.2.0",
     "O(1) for each member requested.",
     geopos_cmd,
     {},
     "key [member [member ...]]"},
    {"geodist",
     -4,
     kReadOnly,
     {1, 1, 1},
     kGeoRead,
     "geo",
     "Returns the distance between two members of a geospatial index.",
     "3.2.0",
     "O(1)",
     geodist_cmd,
     {},
     "key member1 member2 [M|KM|FT|MI]"},
    {"geohash",
     -2,
     kReadOnly,
     {1, 1, 1},
     kGeoRead,
     "geo",
     "Returns members from a geospatial index as geohash strings.",
     "3.2.0",
     "O(1) for each member requested.",
     geohash_cmd,
     {},
     "key [member [member ...]]"},
    {"geosearch",
     -7,
     kReadOnly,
     {1, 1, 1},
     kGeoRead,
     "geo",
     "Queries a geospatial index for members inside an area of a box or a circle.",
     "6.2.0",
     kSearchComplexity,
     geosearch_cmd,
     {},
     "key <FROMMEMBER member|FROMLONLAT longitude latitude> <BYRADIUS radius <M|KM|FT|MI>|BYBOX "
     "width height <M|KM|FT|MI>> [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] "
     "[WITHHASH]"},
    {"geosearchstore",
     -8,
     kWrite | kDenyOom,
     {1, 2, 1},
     kGeoWrite,
     "geo",
     "Queries a geospatial index for members inside an area of a box or a circle, optionally "
     "stores the result.",
     "6.2.0",
     kSearchComplexity,
     geosearchstore_cmd,
     {},
     "destination source <FROMMEMBER member|FROMLONLAT longitude latitude> <BYRADIUS radius "
     "<M|KM|FT|MI>|BYBOX width height <M|KM|FT|MI>> [ASC|DESC] [COUNT count [ANY]] [STOREDIST]"},
    {"georadius",
     -6,
     kWrite | kDenyOom | kMovableKeys,
     {1, 1, 1},
     kGeoWrite,
     "geo",
     "Queries a geospatial index for members within a distance from a coordinate, optionally "
     "stores the result.",
     "3.2.0",
     kRadiusComplexity,
     georadius_cmd,
     {},
     "key longitude latitude radius <M|KM|FT|MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count "
     "[ANY]] [ASC|DESC] [STORE key|STOREDIST key]"},
    {"georadius_ro",
     -6,
     kReadOnly,
     {1, 1, 1},
     kGeoRead,
     "geo",
     "Returns members from a geospatial index that are within a distance from a coordinate.",
     "3.2.10",
     kRadiusComplexity,
     georadius_ro_cmd,
     {},
     "key longitude latitude radius <M|KM|FT|MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count "
     "[ANY]] [ASC|DESC]"},
    {"georadiusbymember",
     -5,
     kWrite | kDenyOom | kMovableKeys,
     {1, 1, 1},
     kGeoWrite,
     "geo",
     "Queries a geospatial index for members within a distance from a member, optionally stores "
     "the result.",
     "3.2.0",
     kRadiusComplexity,
     georadiusbymember_cmd,
     {},
     "key member radius <M|KM|FT|MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] "
     "[ASC|DESC] [STORE key|STOREDIST key]"},
    {"georadiusbymember_ro",
     -5,
     kReadOnly,
     {1, 1, 1},
     kGeoRead,
     "geo",
     "Returns members from a geospatial index that are within a distance from a member.",
     "3.2.10",
     kRadiusComplexity,
     georadiusbymember_ro_cmd,
     {},
     "key member radius <M|KM|FT|MI> [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] "
     "[ASC|DESC]"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> geo_commands() { return cmd::kGeoCommands; }
}  // namespace dq::server
