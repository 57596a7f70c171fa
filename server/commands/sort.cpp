// sort.cpp — SORT and SORT_RO over lists, sets and sorted sets.
//
// SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA]
//      [STORE destination]
//
// As Redis 7's sort.c: options are parsed first (a bad one answers before the key is looked
// at); BY a pattern without '*' means "don't sort" (lists and sorted sets keep their order,
// DESC walking from the end; sets keep their iteration order, unless STORE forces an ALPHA
// sort so the stored list is deterministic). A pattern's first '*' is replaced by the
// element, "key->field" reads a hash field, "#" is the element itself; a missing key or
// field sorts as 0 (numeric) or first (ALPHA) and GETs as nil (an empty string in STORE).
// Numeric sorting parses with strtod and answers "One or more scores can't be converted
// into double" for anything else; ties order by the elements' bytes. STORE writes a list
// (deleting the destination when the result is empty) and answers its length.
// Deviation: ALPHA compares bytes where Redis uses strcoll (the same under the C locale,
// except that strcoll stops at a NUL byte).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "server/command_context.h"
#include "storage/hash.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/zset.h"

namespace dq::cmd {

using namespace dq::server;
using storage::Entry;
using storage::Type;

namespace {

struct SortItem {
  std::string obj;
  double score = 0;
  bool has_cmp = false;  // ALPHA with BY: a value was found
  std::string cmp;
};

// Redis's lookupKeyByPattern: the string (or hash field) a pattern names for elem.
bool lookup_by_pattern(CommandContext& ctx, std::string_view pattern, std::string_view elem,
                       std::string* out) {
  if (pattern == "#") {
    out->assign(elem);
    return true;
  }
  size_t star = pattern.find('*');
  if (star == std::string_view::npos) return false;
  std::string_view field;
  size_t arrow = pattern.find("->", star + 1);
  size_t key_end = pattern.size();
  if (arrow != std::string_view::npos && arrow + 2 < pattern.size()) {
    field = pattern.substr(arrow + 2);
    key_end = arrow;
  }
  std::string key;
  key.reserve(key_end + elem.size());
  key.append(pattern.substr(0, star));
  key.append(elem);
  key.append(pattern.substr(star + 1, key_end - star - 1));
  Entry* e = ctx.find_read(key);
  if (!e) return false;
  if (!field.empty()) {
    if (e->type() != Type::Hash) return false;
    std::string_view v;
    if (!static_cast<const storage::HashObject*>(e->object())->get(field, &v)) return false;
    out->assign(v);
    return true;
  }
  if (e->type() != Type::String) return false;
  char buf[32];
  out->assign(e->string_value(buf));
  return true;
}

void sort_generic(CommandContext& ctx, bool readonly) {
  bool desc = false, alpha = false, dontsort = false;
  int64_t limit_start = 0, limit_count = -1;
  std::string_view sortby, storekey;
  bool has_sortby = false, has_store = false;
  std::vector<std::string_view> gets;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    size_t left = ctx.argc() - j - 1;
    std::string_view a = ctx.arg(j);
    if (arg_is(a, "asc")) {
      desc = false;
    } else if (arg_is(a, "desc")) {
      desc = true;
    } else if (arg_is(a, "alpha")) {
      alpha = true;
    } else if (arg_is(a, "limit") && left >= 2) {
      if (!ctx.int_arg(j + 1, &limit_start) || !ctx.int_arg(j + 2, &limit_count)) return;
      j += 2;
    } else if (!readonly && arg_is(a, "store") && left >= 1) {
      storekey = ctx.arg(++j);
      has_store = true;
    } else if (arg_is(a, "by") && left >= 1) {
      sortby = ctx.arg(++j);
      has_sortby = true;
      dontsort = sortby.find('*') == std::string_view::npos;
    } else if (arg_is(a, "get") && left >= 1) {
      gets.push_back(ctx.arg(++j));
    } else {
      return ctx.syntax_error();
    }
  }

  Entry* src = ctx.find_read(ctx.arg(1));
  if (src && src->type() != Type::Set && src->type() != Type::List && src->type() != Type::ZSet)
    return ctx.wrong_type();

  // Sorting a set without an order would store (or replicate) an arbitrary order: Redis
  // forces an ALPHA sort when storing.
  if (dontsort && src && src->type() == Type::Set && has_store) {
    dontsort = false;
    alpha = true;
    has_sortby = false;
  }

  int64_t len = 0;
  if (src) {
    if (src->type() == Type::List)
      len = static_cast<int64_t>(static_cast<storage::QueueList*>(src->object())->size());
    else if (src->type() == Type::Set)
      len = static_cast<int64_t>(static_cast<storage::SetObject*>(src->object())->size());
    else
      len = static_cast<int64_t>(static_cast<storage::ZSetObject*>(src->object())->size());
  }
  // LIMIT clamping exactly as Redis (so an empty range is start > end).
  int64_t start = std::min(std::max<int64_t>(limit_start, 0), len);
  int64_t count = std::min(std::max<int64_t>(limit_count, -1), len);
  int64_t end = count < 0 ? len - 1 : start + count - 1;
  if (start >= len) {
    start = len - 1;
    end = len - 2;
  }
  if (end >= len) end = len - 1;

  // Load the elements. Ordered types under "don't sort" load only the range.
  std::vector<SortItem> v;
  if (src && src->type() == Type::List) {
    auto* l = static_cast<storage::QueueList*>(src->object());
    auto push = [&](std::string_view s) { v.push_back(SortItem{std::string(s)}); };
    if (dontsort) {
      if (end >= start) {
        if (desc)
          l->range_reverse(static_cast<size_t>(start), static_cast<size_t>(end), push);
        else
          l->range(static_cast<size_t>(start), static_cast<size_t>(end), push);
        end -= start;
        start = 0;
      }
    } else if (len > 0) {
      l->range(0, static_cast<size_t>(len - 1), push);
    }
  } else if (src && src->type() == Type::Set) {
    static_cast<storage::SetObject*>(src->object())->for_each([&](std::string_view s) {
      v.push_back(SortItem{std::string(s)});
    });
  } else if (src) {
    auto* z = static_cast<storage::ZSetObject*>(src->object());
    auto push = [&](std::string_view s, double) { v.push_back(SortItem{std::string(s)}); };
    if (dontsort) {
      if (end >= start) {
        size_t n = z->size();
        if (desc)
          z->for_range(n - static_cast<size_t>(end) - 1, n - static_cast<size_t>(start), true,
                       push);
        else
          z->for_range(static_cast<size_t>(start), static_cast<size_t>(end) + 1, false, push);
        end -= start;
        start = 0;
      }
    } else {
      z->for_range(0, z->size(), false, push);
    }
  }

  bool conversion_error = false;
  if (!dontsort) {
    std::string byval;
    for (SortItem& it : v) {
      const std::string* val = &it.obj;
      if (has_sortby) {
        if (!lookup_by_pattern(ctx, sortby, it.obj, &byval)) continue;
        val = &byval;
      }
      if (alpha) {
        if (has_sortby) {
          it.has_cmp = true;
          it.cmp = *val;
        }
      } else {
        // strtod over the C string, as Redis: trailing garbage, overflow or NaN is an error;
        // an empty string is 0.
        const char* p = val->c_str();
        char* eptr;
        errno = 0;
        it.score = std::strtod(p, &eptr);
        if (*eptr != '\0' || errno == ERANGE || std::isnan(it.score)) conversion_error = true;
      }
    }
    auto cmp = [&](const SortItem& a, const SortItem& b) {
      int c;
      if (!alpha) {
        if (a.score != b.score)
          c = a.score > b.score ? 1 : -1;
        else
          c = a.obj.compare(b.obj);
      } else if (has_sortby) {
        if (!a.has_cmp || !b.has_cmp)
          c = a.has_cmp == b.has_cmp ? 0 : (a.has_cmp ? 1 : -1);
        else
          c = a.cmp.compare(b.cmp);
      } else {
        c = a.obj.compare(b.obj);
      }
      return desc ? c > 0 : c < 0;
    };
    std::stable_sort(v.begin(), v.end(), cmp);
  }

  int64_t n = end - start + 1;
  if (n < 0) n = 0;
  int64_t outputlen = gets.empty() ? n : static_cast<int64_t>(gets.size()) * n;
  if (conversion_error) return ctx.error("ERR One or more scores can't be converted into double");

  std::string val;
  if (!has_store) {
    auto& r = ctx.reply();
    r.array(static_cast<size_t>(outputlen));
    for (int64_t j = start; j <= end; ++j) {
      const SortItem& it = v[static_cast<size_t>(j)];
      if (gets.empty()) r.bulk(it.obj);
      for (std::string_view g : gets) {
        if (lookup_by_pattern(ctx, g, it.obj, &val))
          r.bulk(val);
        else
          r.null();
      }
    }
    return;
  }
  if (outputlen == 0) {
    if (ctx.db().del(storekey, ctx.now)) {
      ctx.modified(storekey);
      ctx.notify(notify::kGeneric, "del", storekey);
    }
    return ctx.reply().integer(0);
  }
  auto* out =
      new storage::QueueList(storage::ListLimits{ctx.server.config().list_max_listpack_size});
  for (int64_t j = start; j <= end; ++j) {
    const SortItem& it = v[static_cast<size_t>(j)];
    if (gets.empty()) out->push_back(it.obj);
    for (std::string_view g : gets) {
      if (lookup_by_pattern(ctx, g, it.obj, &val))
        out->push_back(val);
      else
        out->push_back("");
    }
  }
  ctx.db().put(
      Entry::make_heap(storekey, Type::List, storage::Encoding::QuickList, out, false, -1));
  ctx.modified(storekey);
  ctx.notify(notify::kList, "sortstore", storekey);
  ctx.reply().integer(outputlen);
}

void sort_cmd(CommandContext& ctx) { sort_generic(ctx, false); }
void sort_ro_cmd(CommandContext& ctx) { sort_generic(ctx, true); }

constexpr uint32_t kSortAcl = kAclSet | kAclSortedSet | kAclList | kAclSlow | kAclDangerous;

constexpr CommandSpec kSortCommands[] = {
    {"sort",
     -2,
     kWrite | kDenyOom | kMovableKeys,
     {1, 1, 1},
     kAclWrite | kSortAcl,
     "generic",
     "Sorts the elements in a list, a set, or a sorted set, optionally storing the result.",
     "1.0.0",
     "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the "
     "number of returned elements. When the elements are not sorted, complexity is O(N).",
     sort_cmd,
     {},
     "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] "
     "[STORE destination]"},
    {"sort_ro",
     -2,
     kReadOnly | kMovableKeys,
     {1, 1, 1},
     kAclRead | kSortAcl,
     "generic",
     "Returns the sorted elements of a list, a set, or a sorted set.",
     "7.0.0",
     "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the "
     "number of returned elements. When the elements are not sorted, complexity is O(N).",
     sort_ro_cmd,
     {},
     "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> sort_commands() { return cmd::kSortCommands; }
}  // namespace dq::server
