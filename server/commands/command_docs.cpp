// command_docs.cpp — COMMAND: the command table as clients see it (INFO, DOCS, COUNT, LIST,
// GETKEYS, GETKEYSANDFLAGS, HELP).
//
// Everything here is derived from CommandSpec; nothing is duplicated by hand:
// - COMMAND INFO prints Redis 7's 10-element entry: name, arity, flags (a set of status
//   strings, dq-internal flags omitted), first/last/step, ACL categories ("@read"), tips, key
//   specs (one "index"/"range" spec synthesized from {first, last, step}) and subcommands.
// - COMMAND DOCS builds the "arguments" tree from CommandSpec::syntax, a compact form of the
//   synopsis in Redis's documentation. Grammar (so family authors know what they may write):
//     word          an argument; lower case = a value, UPPER case = a token (pure-token alone)
//     name:type     explicit type (integer, double, string, key, pattern, unix-time)
//     [ ... ]       optional group; `|` inside separates alternatives (a oneof)
//     ( ... )       required group; `|` inside separates alternatives
//     a|b|c         at the top level, `|` binds within one word: a oneof of tokens/values
//     x [x ...]     x repeated (flag "multiple"); `[x ...]` alone is an optional multiple
//     TOKEN v       inside a group: v carries the token; TOKEN a b: a block with the token
//   Types are inferred from names when not given (key, pattern, count -> integer, ...).
//   Redis 7 redis-cli builds its hints from these trees, so they must be well formed.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "server/command_context.h"
#include "storage/keyspace.h"

namespace dq::cmd {

using namespace dq::server;

namespace {

// ---------------------------------------------------------------------------------------
// Flags, categories, key specs.

struct NamedBit {
  uint32_t bit;
  const char* name;
};

// Redis 7's order (addReplyFlagsForCommand); may_replicate is hidden, as in Redis.
constexpr NamedBit kFlagNames[] = {
    {kWrite, "write"},
    {kReadOnly, "readonly"},
    {kDenyOom, "denyoom"},
    {kAdmin, "admin"},
    {kPubSub, "pubsub"},
    {kNoScript, "noscript"},
    {kBlocking, "blocking"},
    {kLoading, "loading"},
    {kStale, "stale"},
    {kSkipMonitor, "skip_monitor"},
    {kSkipSlowlog, "skip_slowlog"},
    {kAsking, "asking"},
    {kFast, "fast"},
    {kNoAuth, "no_auth"},
    {kNoMandatoryKeys, "no_mandatory_keys"},
    {kNoAsyncLoading, "no_async_loading"},
    {kNoMulti, "no_multi"},
    {kMovableKeys, "movablekeys"},
    {kAllowBusy, "allow_busy"},
};

constexpr NamedBit kAclNames[] = {
    {kAclKeyspace, "keyspace"},
    {kAclRead, "read"},
    {kAclWrite, "write"},
    {kAclSet, "set"},
    {kAclSortedSet, "sortedset"},
    {kAclList, "list"},
    {kAclHash, "hash"},
    {kAclString, "string"},
    {kAclBitmap, "bitmap"},
    {kAclHyperLogLog, "hyperloglog"},
    {kAclGeo, "geo"},
    {kAclStream, "stream"},
    {kAclPubSub, "pubsub"},
    {kAclAdmin, "admin"},
    {kAclFast, "fast"},
    {kAclSlow, "slow"},
    {kAclBlocking, "blocking"},
    {kAclDangerous, "dangerous"},
    {kAclConnection, "connection"},
    {kAclTransaction, "transaction"},
    {kAclScripting, "scripting"},
};

std::vector<std::string_view> split_words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool has_keys(const CommandSpec& s) { return s.keys.first > 0; }

void reply_key_specs(protocol::ReplyWriter& r, const CommandSpec& s) {
  if (!has_keys(s)) return r.set(0);
  r.set(1);
  r.map(3);
  r.bulk("flags");
  if (s.flags & kWrite) {
    r.set(2);
    r.simple("RW");
    r.simple("UPDATE");
  } else {
    r.set(2);
    r.simple("RO");
    r.simple("ACCESS");
  }
  r.bulk("begin_search");
  r.map(2);
  r.bulk("type");
  r.bulk("index");
  r.bulk("spec");
  r.map(1);
  r.bulk("index");
  r.integer(s.keys.first);
  r.bulk("find_keys");
  r.map(2);
  r.bulk("type");
  r.bulk("range");
  r.bulk("spec");
  r.map(3);
  r.bulk("lastkey");
  r.integer(s.keys.last >= 0 ? s.keys.last - s.keys.first : s.keys.last);
  r.bulk("keystep");
  r.integer(s.keys.step > 0 ? s.keys.step : 1);
  r.bulk("limit");
  r.integer(0);
}

void reply_info(protocol::ReplyWriter& r, const Command& c) {
  const CommandSpec& s = *c.spec;
  r.array(10);
  r.bulk(c.fullname);
  r.integer(s.arity);
  size_t nf = 0;
  for (const auto& f : kFlagNames)
    if (s.flags & f.bit) ++nf;
  r.set(nf);
  for (const auto& f : kFlagNames)
    if (s.flags & f.bit) r.simple(f.name);
  r.integer(s.keys.first);
  r.integer(s.keys.last);
  r.integer(s.keys.step);
  size_t na = 0;
  for (const auto& a : kAclNames)
    if (s.acl & a.bit) ++na;
  r.set(na);
  for (const auto& a : kAclNames)
    if (s.acl & a.bit) r.simple(std::string("@") + a.name);
  auto tips = split_words(s.tips ? s.tips : "");
  r.set(tips.size());
  for (auto t : tips) r.simple(t);
  reply_key_specs(r, s);
  r.set(c.subs.size());
  for (const Command* sub : c.subs) reply_info(r, *sub);
}

// Finds "get" or "config|get" (Redis 7 accepts the fullname in COMMAND INFO / DOCS).
const Command* lookup_fullname(std::string_view name) {
  size_t bar = name.find('|');
  Command* top = CommandTable::instance().find(name.substr(0, bar));
  if (!top || bar == std::string_view::npos) return top;
  return top->find_sub(name.substr(bar + 1));
}

// ---------------------------------------------------------------------------------------
// COMMAND DOCS: the syntax string -> argument tree.

struct Arg {
  std::string name, type, token;
  bool optional = false, multiple = false, multiple_token = false;
  int key_spec_index = -1;
  std::vector<Arg> children;
};

// A parsed element before arguments are formed: a word, a group, or "...".
struct Elem {
  enum Kind { Word, Group, Ellipsis } kind = Word;
  std::string text;                     // Word
  bool optional = false;                // Group
  std::vector<std::vector<Elem>> alts;  // Group: alternatives, each a sequence
};

bool is_token_word(std::string_view w) {
  bool upper = false;
  for (char ch : w) {
    if (ch >= 'a' && ch <= 'z') return false;
    if (ch >= 'A' && ch <= 'Z') upper = true;
  }
  return upper;
}

std::string lower_str(std::string_view s) {
  std::string r(s);
  for (char& ch : r) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return r;
}

std::string infer_type(std::string_view name) {
  static constexpr std::string_view kInts[] = {
      "count",     "seconds",   "milliseconds", "index",  "start",
      "end",       "offset",    "numkeys",      "db",     "port",
      "increment", "decrement", "numreplicas",  "len",    "length",
      "client-id", "id",        "cursor",       "limit",  "numsubcommands",
      "delta",     "ttl",       "timeout-ms",   "integer"};
  static constexpr std::string_view kDoubles[] = {"timeout",   "score",  "float", "latitude",
                                                  "longitude", "radius", "width", "height"};
  if (name == "key" || name == "destination" || name == "source" || name == "newkey" ||
      (name.size() > 4 && name.substr(name.size() - 4) == "-key"))
    return "key";
  if (name == "pattern") return "pattern";
  if (name.rfind("unix-time", 0) == 0) return "unix-time";
  for (auto n : kInts)
    if (name == n) return "integer";
  for (auto n : kDoubles)
    if (name == n) return "double";
  return "string";
}

class SyntaxParser {
 public:
  explicit SyntaxParser(std::string_view s) : s_(s) {}

  std::vector<Arg> parse() {
    std::vector<Elem> top = parse_seq(/*in_group=*/false);
    std::vector<Arg> out = to_args(top);
    int ks = 0;
    assign_key_specs(out, &ks);
    return out;
  }

 private:
  // Top level: a sequence; a word with '|' becomes a required group of alternatives.
  std::vector<Elem> parse_seq(bool in_group) {
    std::vector<Elem> seq;
    while (pos_ < s_.size()) {
      char ch = s_[pos_];
      if (ch == ' ') {
        ++pos_;
      } else if (ch == '[' || ch == '(') {
        ++pos_;
        Elem g;
        g.kind = Elem::Group;
        g.optional = ch == '[';
        g.alts = parse_alts();
        seq.push_back(std::move(g));
      } else if (ch == ']' || ch == ')' || ch == '|') {
        if (in_group) return seq;
        ++pos_;  // stray: ignore
      } else {
        size_t j = pos_;
        while (j < s_.size() && s_[j] != ' ' && s_[j] != '[' && s_[j] != ']' && s_[j] != '(' &&
               s_[j] != ')' && (in_group ? s_[j] != '|' : true))
          ++j;
        std::string_view w = s_.substr(pos_, j - pos_);
        pos_ = j;
        if (w == "...") {
          seq.push_back(Elem{Elem::Ellipsis, "", false, {}});
        } else if (!in_group && w.find('|') != std::string_view::npos) {
          Elem g;
          g.kind = Elem::Group;
          size_t st = 0;
          while (st <= w.size()) {
            size_t b = w.find('|', st);
            if (b == std::string_view::npos) b = w.size();
            g.alts.push_back({Elem{Elem::Word, std::string(w.substr(st, b - st)), false, {}}});
            st = b + 1;
          }
          seq.push_back(std::move(g));
        } else {
          seq.push_back(Elem{Elem::Word, std::string(w), false, {}});
        }
      }
    }
    return seq;
  }

  std::vector<std::vector<Elem>> parse_alts() {
    std::vector<std::vector<Elem>> alts;
    while (true) {
      alts.push_back(parse_seq(true));
      if (pos_ >= s_.size()) break;
      char ch = s_[pos_++];
      if (ch == ']' || ch == ')') break;  // else '|': next alternative
    }
    return alts;
  }

  static Arg word_arg(std::string_view w) {
    Arg a;
    // "name:type" only for a known type: "ip:port" stays one name.
    size_t colon = w.find(':');
    if (colon != std::string_view::npos) {
      std::string_view t = w.substr(colon + 1);
      if (t != "integer" && t != "double" && t != "string" && t != "key" && t != "pattern" &&
          t != "unix-time")
        colon = std::string_view::npos;
    }
    std::string_view name = w.substr(0, colon);
    if (is_token_word(name)) {
      a.name = lower_str(name);
      a.type = "pure-token";
      a.token = std::string(name);
    } else {
      a.name = std::string(name);
      a.type =
          colon == std::string_view::npos ? infer_type(name) : std::string(w.substr(colon + 1));
    }
    return a;
  }

  static bool same_shape(const Arg& a, const Arg& b) {
    return a.name == b.name && a.token == b.token;
  }

  // Turns one alternative (a sequence) into arguments.
  std::vector<Arg> to_args(const std::vector<Elem>& seq) {
    std::vector<Arg> out;
    for (size_t i = 0; i < seq.size(); ++i) {
      const Elem& e = seq[i];
      if (e.kind == Elem::Ellipsis) {
        if (!out.empty()) out.back().multiple = true;
        continue;
      }
      if (e.kind == Elem::Word) {
        out.push_back(word_arg(e.text));
        continue;
      }
      // A group "[x ...]" repeating what precedes it: "key [key ...]" -> key (multiple).
      if (e.optional && e.alts.size() == 1 && !e.alts[0].empty() &&
          e.alts[0].back().kind == Elem::Ellipsis) {
        std::vector<Elem> body(e.alts[0].begin(), e.alts[0].end() - 1);
        std::vector<Arg> rep = to_args(body);
        if (rep.empty()) continue;
        // Merge with the args just before, if they have the same shape.
        size_t n = rep.size();
        if (out.size() >= n) {
          bool same = true;
          for (size_t k = 0; k < n; ++k) same = same && same_shape(out[out.size() - n + k], rep[k]);
          if (same) {
            if (n == 1) {
              out.back().multiple = true;
            } else {
              Arg blk;
              blk.type = "block";
              blk.multiple = true;
              blk.children.assign(out.end() - static_cast<long>(n), out.end());
              blk.name = blk.children[0].name;
              out.resize(out.size() - n);
              out.push_back(std::move(blk));
            }
            continue;
          }
        }
        Arg a = group_arg(rep);
        a.optional = true;
        a.multiple = true;
        out.push_back(std::move(a));
        continue;
      }
      std::vector<Arg> alts;
      for (const auto& alt : e.alts) {
        std::vector<Arg> parts = to_args(alt);
        if (parts.empty()) continue;
        alts.push_back(group_arg(parts));
      }
      if (alts.empty()) continue;
      Arg a;
      if (alts.size() == 1) {
        a = std::move(alts[0]);
      } else {
        a.type = "oneof";
        std::string name;
        for (const Arg& x : alts) name += (name.empty() ? "" : "-") + x.name;
        a.name = name.size() > 40 ? alts[0].name : name;
        a.children = std::move(alts);
      }
      if (e.optional) a.optional = true;
      out.push_back(std::move(a));
    }
    return out;
  }

  // One alternative's args as a single argument: "TOKEN v" gives v the token, "TOKEN (a|b)"
  // gives the oneof the token, several args become a block.
  static Arg group_arg(std::vector<Arg>& parts) {
    if (parts.size() == 1) return std::move(parts[0]);
    if (parts[0].type == "pure-token" && parts.size() == 2 && parts[1].token.empty()) {
      Arg a = std::move(parts[1]);
      a.token = parts[0].token;
      if (a.multiple && a.type != "block") a.multiple_token = false;
      return a;
    }
    Arg blk;
    blk.type = "block";
    if (parts[0].type == "pure-token") {
      blk.token = parts[0].token;
      blk.name = parts[0].name;
      blk.children.assign(std::make_move_iterator(parts.begin() + 1),
                          std::make_move_iterator(parts.end()));
    } else {
      blk.name = parts[0].name;
      blk.children.assign(std::make_move_iterator(parts.begin()),
                          std::make_move_iterator(parts.end()));
    }
    return blk;
  }

  static void assign_key_specs(std::vector<Arg>& args, int* next) {
    for (Arg& a : args) {
      if (a.type == "key") a.key_spec_index = (*next)++;
      assign_key_specs(a.children, next);
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

void reply_arg(protocol::ReplyWriter& r, const Arg& a) {
  size_t n = 2;
  if (a.key_spec_index >= 0) ++n;
  if (!a.token.empty()) ++n;
  bool flags = a.optional || a.multiple || a.multiple_token;
  if (flags) ++n;
  if (!a.children.empty()) ++n;
  r.map(n);
  r.bulk("name");
  r.bulk(a.name);
  r.bulk("type");
  r.bulk(a.type);
  if (a.key_spec_index >= 0) {
    r.bulk("key_spec_index");
    r.integer(a.key_spec_index);
  }
  if (!a.token.empty()) {
    r.bulk("token");
    r.bulk(a.token);
  }
  if (flags) {
    r.bulk("flags");
    r.set(static_cast<size_t>(a.optional) + a.multiple + a.multiple_token);
    if (a.optional) r.simple("optional");
    if (a.multiple) r.simple("multiple");
    if (a.multiple_token) r.simple("multiple_token");
  }
  if (!a.children.empty()) {
    r.bulk("arguments");
    r.array(a.children.size());
    for (const Arg& c : a.children) reply_arg(r, c);
  }
}

void reply_docs(protocol::ReplyWriter& r, const Command& c) {
  const CommandSpec& s = *c.spec;
  std::vector<Arg> args;
  if (s.syntax && *s.syntax) args = SyntaxParser(s.syntax).parse();
  size_t n = 4 + (args.empty() ? 0 : 1) + (c.subs.empty() ? 0 : 1);
  r.map(n);
  r.bulk("summary");
  r.bulk(s.summary ? s.summary : "");
  r.bulk("since");
  r.bulk(s.since ? s.since : "");
  r.bulk("group");
  r.bulk(s.group ? s.group : "");
  r.bulk("complexity");
  r.bulk(s.complexity ? s.complexity : "");
  if (!args.empty()) {
    r.bulk("arguments");
    r.array(args.size());
    for (const Arg& a : args) reply_arg(r, a);
  }
  if (!c.subs.empty()) {
    r.bulk("subcommands");
    r.map(c.subs.size());
    for (const Command* sub : c.subs) {
      r.bulk(sub->fullname);
      reply_docs(r, *sub);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Handlers.

void command_cmd(CommandContext& ctx) {
  if (ctx.argc() > 1) {
    // COMMAND is a container: dispatch resolved any known subcommand already.
    return ctx.error_fmt(err::kFmtUnknownSubcommand, ctx.arg(1), "COMMAND");
  }
  const auto& all = CommandTable::instance().all();
  ctx.reply().array(all.size());
  for (const Command* c : all) reply_info(ctx.reply(), *c);
}

void command_count_cmd(CommandContext& ctx) {
  ctx.reply().integer(static_cast<int64_t>(CommandTable::instance().all().size()));
}

void command_info_cmd(CommandContext& ctx) {
  if (ctx.argc() == 2) return command_cmd(ctx);
  ctx.reply().array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const Command* c = lookup_fullname(ctx.arg(i));
    if (c)
      reply_info(ctx.reply(), *c);
    else
      ctx.reply().null();  // Redis 7 answers $-1 here
  }
}

void command_docs_cmd(CommandContext& ctx) {
  auto& r = ctx.reply();
  if (ctx.argc() == 2) {
    const auto& all = CommandTable::instance().all();
    r.map(all.size());
    for (const Command* c : all) {
      r.bulk(c->fullname);
      reply_docs(r, *c);
    }
    return;
  }
  // Unknown names are skipped, as in Redis.
  std::vector<const Command*> found;
  for (size_t i = 2; i < ctx.argc(); ++i)
    if (const Command* c = lookup_fullname(ctx.arg(i))) found.push_back(c);
  r.map(found.size());
  for (const Command* c : found) {
    r.bulk(c->fullname);
    reply_docs(r, *c);
  }
}

void command_list_cmd(CommandContext& ctx) {
  enum { None, Module, AclCat, Pattern } filter = None;
  std::string_view value;
  if (ctx.argc() == 5 && arg_is(ctx.arg(2), "filterby")) {
    if (arg_is(ctx.arg(3), "module"))
      filter = Module;
    else if (arg_is(ctx.arg(3), "aclcat"))
      filter = AclCat;
    else if (arg_is(ctx.arg(3), "pattern"))
      filter = Pattern;
    else
      return ctx.syntax_error();
    value = ctx.arg(4);
  } else if (ctx.argc() != 2) {
    return ctx.syntax_error();
  }
  uint32_t cat = 0;
  if (filter == AclCat) {
    for (const auto& a : kAclNames)
      if (arg_is(value, a.name)) cat = a.bit;
    // Redis 7: an unknown category matches nothing.
  }
  std::vector<const Command*> out;
  for (const Command* c : CommandTable::instance().everything()) {
    bool ok = true;
    if (filter == Module) ok = false;  // dq has no modules
    if (filter == AclCat) ok = cat && (c->spec->acl & cat);
    if (filter == Pattern) ok = storage::glob_match(value, c->fullname, true);
    if (ok) out.push_back(c);
  }
  ctx.reply().array(out.size());
  for (const Command* c : out) ctx.reply().bulk(c->fullname);
}

// Key positions of a full command line (COMMAND GETKEYS), or an error already sent.
bool resolve_keys(CommandContext& ctx, std::vector<int>* keys, const Command** out_cmd) {
  std::span<const std::string_view> line = ctx.args.subspan(2);
  const Command* c = CommandTable::instance().find(line[0]);
  if (c && c->is_container() && line.size() >= 2) c = c->find_sub(line[1]);
  if (!c) {
    ctx.error(err::kGetkeysInvalidCommand);
    return false;
  }
  int argc = static_cast<int>(line.size());
  int arity = c->spec->arity;
  if ((arity > 0 && argc != arity) || argc < -arity) {
    ctx.error(err::kGetkeysInvalidArgs);
    return false;
  }
  *keys = command_keys(*c, line);
  if (keys->empty()) {
    ctx.error(err::kGetkeysNoKeys);
    return false;
  }
  *out_cmd = c;
  return true;
}

void command_getkeys_cmd(CommandContext& ctx) {
  std::vector<int> keys;
  const Command* c;
  if (!resolve_keys(ctx, &keys, &c)) return;
  ctx.reply().array(keys.size());
  for (int k : keys) ctx.reply().bulk(ctx.arg(2 + static_cast<size_t>(k)));
}

void command_getkeysandflags_cmd(CommandContext& ctx) {
  std::vector<int> keys;
  const Command* c;
  if (!resolve_keys(ctx, &keys, &c)) return;
  auto& r = ctx.reply();
  r.array(keys.size());
  for (int k : keys) {
    r.array(2);
    r.bulk(ctx.arg(2 + static_cast<size_t>(k)));
    r.set(2);
    if (c->spec->flags & kWrite) {
      r.simple("RW");
      r.simple("UPDATE");
    } else {
      r.simple("RO");
      r.simple("ACCESS");
    }
  }
}

void command_help_cmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Return details about all Redis commands.",
      "COUNT",
      "    Return the total number of commands in this Redis server.",
      "LIST",
      "    Return a list of all commands in this Redis server.",
      "INFO [<command-name> ...]",
      "    Return details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "DOCS [<command-name> ...]",
      "    Return documentation details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "GETKEYS <full-command>",
      "    Return the keys from a full Redis command.",
      "GETKEYSANDFLAGS <full-command>",
      "    Return the keys and the access flags from a full Redis command.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply().array(std::size(kLines));
  for (auto l : kLines) ctx.reply().simple(l);
}

constexpr uint32_t kCmdFlags = kLoading | kStale;
constexpr uint32_t kCmdAcl = kAclSlow | kAclConnection;

constexpr CommandSpec kCommandSubs[] = {
    {"count",
     2,
     kCmdFlags,
     {},
     kCmdAcl,
     "server",
     "Returns a count of commands.",
     "2.8.13",
     "O(1)",
     command_count_cmd,
     {},
     ""},
    {"docs",
     -2,
     kCmdFlags,
     {},
     kCmdAcl,
     "server",
     "Returns documentary information about one, multiple or all commands.",
     "7.0.0",
     "O(N) where N is the number of commands to look up",
     command_docs_cmd,
     {},
     "[command-name [command-name ...]]",
     "nondeterministic_output_order"},
    {"getkeys",
     -4,
     kCmdFlags,
     {},
     kCmdAcl,
     "server",
     "Extracts the key names from an arbitrary command.",
     "2.8.13",
     "O(N) where N is the number of arguments to the command",
     command_getkeys_cmd,
     {},
     "command [arg [arg ...]]"},
    {"getkeysandflags",
     -4,
     kCmdFlags,
     {},
     kCmdAcl,
     "server",
     "Extracts the key names and access flags for an arbitrary command.",
     "7.0.0",
     "O(N) where N is the number of arguments to the command",
     command_getkeysandflags_cmd,
     {},
     "command [arg [arg ...]]"},
    {"help",
     2,
     kCmdFlags,
     {},
     kCmdAcl,
     "server",
     "Returns helpful text about the different subcommands.",
     "2.8.13",
     "O(1)",
     command_help_cmd,
     {},
     ""},
    {"info",
     -2,
     kCmdFlags,
     {},
     kCmdAcl,
     "server",
     "Returns information about one, multiple or all commands.",
     "2.8.13",
     "O(N) where N is the number of commands to look up",
     command_info_cmd,
     {},
     "[command-name [command-name ...]]",
     "nondeterministic_output_order"},
    {"list",
     -2,
     kCmdFlags,
     {},
     kCmdAcl,
     "server",
     "Returns a list of command names.",
     "7.0.0",
     "O(N) where N is the total number of Redis commands",
     command_list_cmd,
     {},
     "[FILTERBY (MODULE module-name|ACLCAT category|PATTERN pattern)]",
     "nondeterministic_output_order"},
};

constexpr CommandSpec kCommandCommands[] = {
    {"command",
     -1,
     kCmdFlags,
     {},
     kCmdAcl,
     "server",
     "Returns detailed information about all commands.",
     "2.8.13",
     "O(N) where N is the total number of Redis commands",
     command_cmd,
     kCommandSubs,
     "",
     "nondeterministic_output_order"},
};

}  // namespace
}  // namespace dq::cmd

namespace dq::server {
std::span<const CommandSpec> command_commands() { return cmd::kCommandCommands; }
}  // namespace dq::server
