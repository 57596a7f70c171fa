// protocol_parser.cpp — RequestParser: multibulk, inline, limits, every error text, and the
// split invariant (the same bytes cut anywhere give the same commands and errors).
#include <doctest/doctest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "protocol/errors.h"
#include "protocol/resp_parser.h"

using dq::protocol::ParseResult;
using dq::protocol::ParserLimits;
using dq::protocol::RequestParser;
namespace err = dq::err;

namespace {

// Printable form of one argument (binary bytes as \xHH) so results compare as strings.
std::string show(std::string_view a) {
  std::string out;
  for (unsigned char c : a) {
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '|') {
      out += static_cast<char>(c);
    } else {
      char b[8];
      std::snprintf(b, sizeof(b), "\\x%02x", c);
      out += b;
    }
  }
  return out;
}

// Feeds `stream` to a fresh parser in chunks ending at each offset of `cuts` (then the rest),
// as the server does: unparsed bytes stay contiguous but move to a new allocation before each
// call, so the parser must keep offsets, never pointers. Returns one line per command
// ("[a|b]", "()" for an empty one), per error ("E:text"), plus "…" when bytes are left over at the
// end.
std::vector<std::string> run(std::string_view stream, const std::vector<size_t>& cuts,
                             const ParserLimits& lim = {}) {
  RequestParser p;
  std::vector<std::string> events;
  std::string pending;
  size_t fed = 0;
  std::vector<size_t> ends(cuts);
  ends.push_back(stream.size());
  for (size_t end : ends) {
    if (end < fed) continue;
    pending.append(stream.substr(fed, end - fed));
    fed = end;
    while (!pending.empty()) {
      // An exact-size copy at a fresh address: reads past the end show up under ASan.
      std::unique_ptr<char[]> copy(new char[pending.size()]);
      std::memcpy(copy.get(), pending.data(), pending.size());
      ParseResult r = p.parse(copy.get(), pending.size(), lim);
      if (r == ParseResult::Incomplete) break;
      if (r == ParseResult::Error) {
        events.push_back("E:" + std::string(p.error()));
        return events;
      }
      if (p.args().empty()) {  // "*0", "*-1", a blank inline line
        events.push_back("()");
        pending.erase(0, p.consumed());
        continue;
      }
      std::string line = "[";
      for (size_t i = 0; i < p.args().size(); ++i) {
        if (i) line += "|";
        line += show(p.args()[i]);
      }
      events.push_back(line + "]");
      REQUIRE(p.consumed() > 0);
      REQUIRE(p.consumed() <= pending.size());
      pending.erase(0, p.consumed());
    }
  }
  if (!pending.empty()) events.push_back("…");
  return events;
}

std::vector<std::string> one_shot(std::string_view s, const ParserLimits& lim = {}) {
  return run(s, {}, lim);
}

std::vector<size_t> every_byte(size_t n) {
  std::vector<size_t> v;
  for (size_t i = 1; i < n; ++i) v.push_back(i);
  return v;
}

// Checks that every single cut, and byte-by-byte feeding, match the one-shot result.
void check_split_invariant(std::string_view s, const ParserLimits& lim = {}) {
  auto want = one_shot(s, lim);
  for (size_t i = 0; i <= s.size(); ++i) {
    INFO("cut at ", i);
    CHECK(run(s, {i}, lim) == want);
  }
  CHECK(run(s, every_byte(s.size()), lim) == want);
  // Two cuts, a few combinations.
  for (size_t i = 1; i < s.size(); i += 3)
    for (size_t j = i + 1; j < s.size(); j += 7) CHECK(run(s, {i, j}, lim) == want);
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("parse_int64 follows Redis string2ll") {
  int64_t v = 1;
  CHECK(dq::protocol::parse_int64("0", &v));
  CHECK(v == 0);
  CHECK(dq::protocol::parse_int64("-1", &v));
  CHECK(v == -1);
  CHECK(dq::protocol::parse_int64("9223372036854775807", &v));
  CHECK(v == INT64_MAX);
  CHECK(dq::protocol::parse_int64("-9223372036854775808", &v));
  CHECK(v == INT64_MIN);
  for (const char* bad : {"", "-", "-0", "01", "+1", " 1", "1 ", "1a", "9223372036854775808",
                          "-9223372036854775809", "99999999999999999999", "1.0", "0x10"}) {
    INFO(bad);
    CHECK_FALSE(dq::protocol::parse_int64(bad, &v));
  }
}

TEST_CASE("multibulk commands, one shot") {
  CHECK(one_shot("*1\r\n$4\r\nPING\r\n") == V{"[PING]"});
  CHECK(one_shot("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n") == V{"[SET|k|]"});
  // Binary-safe: NUL, CR, LF inside a bulk.
  CHECK(one_shot(std::string("*2\r\n$3\r\nGET\r\n$4\r\na\0\r\n\r\n", 23)) ==
        V{"[GET|a\\x00\\x0d\\x0a]"});
  // The bulk's trailing CRLF is skipped, not checked (Redis does the same).
  CHECK(one_shot("*1\r\n$4\r\nPINGxx") == V{"[PING]"});
  // The byte after a header's CR is skipped unchecked too.
  CHECK(one_shot("*1\rX$4\rYPING\r\n") == V{"[PING]"});
}

TEST_CASE("*0, *-1 and negative counts are empty commands") {
  RequestParser p;
  ParserLimits lim;
  REQUIRE(p.parse("*0\r\n", 4, lim) == ParseResult::Ok);
  CHECK(p.args().empty());
  CHECK(p.consumed() == 4);
  REQUIRE(p.parse("*-1\r\n", 5, lim) == ParseResult::Ok);
  CHECK(p.args().empty());
  CHECK(p.consumed() == 5);
  CHECK(one_shot("*-5\r\n*0\r\n*1\r\n$4\r\nPING\r\n") == V{"()", "()", "[PING]"});
}

TEST_CASE("inline commands") {
  CHECK(one_shot("PING\r\n") == V{"[PING]"});
  CHECK(one_shot("PING\n") == V{"[PING]"});  // \n without \r
  CHECK(one_shot("set  k   v \r\n") == V{"[set|k|v]"});
  CHECK(one_shot("\r\n\n   \r\nPING\r\n") == V{"()", "()", "()", "[PING]"});  // empty lines
  CHECK(one_shot("SET \"a b\" 'c d'\r\n") == V{"[SET|a b|c d]"});
  CHECK(one_shot("SET k \"\\x41\\x4a\\x00z\"\r\n") == V{"[SET|k|AJ\\x00z]"});
  CHECK(one_shot("SET k \"\\xZZ\"\n") == V{"[SET|k|xZZ]"});  // not hex: a plain escape
  CHECK(one_shot("SET k \"a\\n\\r\\t\\b\\a\\\\\\\"q\"\n") ==
        V{"[SET|k|a\\x0a\\x0d\\x09\\x08\\x07\\x5c\"q]"});
  CHECK(one_shot("SET k 'it\\'s' '\\n'\n") == V{"[SET|k|it's|\\x5cn]"});
  CHECK(one_shot("SET k \"\" ''\n") == V{"[SET|k||]"});
  CHECK(one_shot("a\"b c\"d e\n") == V{"E:" + std::string(err::kProtoUnbalancedQuotes)});
  CHECK(one_shot("a\"b c\" e\n") == V{"[ab c|e]"});  // a quote opens mid-token
  // Bare tokens end only at space, tab, CR, LF (sdssplitargs), not at \v or \f.
  CHECK(one_shot("a\vb\tc\fd\n") == V{"[a\\x0bb|c\\x0cd]"});
  CHECK(one_shot("\"a\"\v'b'\n") == V{"[a|b]"});  // but a closing quote may precede \v
  // A lone CR inside the line (not before the LF) separates arguments.
  CHECK(one_shot("a\rb\r\n") == V{"[a|b]"});
}

TEST_CASE("inline unbalanced quotes") {
  std::string e = "E:" + std::string(err::kProtoUnbalancedQuotes);
  for (const char* s : {"SET k \"v\n", "SET k 'v\n", "SET k \"v\"x\n", "SET k 'v'x\n",
                        "GET \"\\\"\n", "GET \"a\\\n"}) {
    INFO(s);
    CHECK(one_shot(s) == V{e});
  }
  // Commands before the bad line are still returned.
  CHECK(one_shot("PING\n\"\n") == V{"[PING]", e});
}

TEST_CASE("malformed multibulk gives Redis's exact errors") {
  auto E = [](std::string_view s) { return V{"E:" + std::string(s)}; };
  CHECK(one_shot("*abc\r\n") == E(err::kProtoInvalidMultibulk));
  CHECK(one_shot("*\r\n") == E(err::kProtoInvalidMultibulk));
  CHECK(one_shot("*01\r\n") == E(err::kProtoInvalidMultibulk));
  CHECK(one_shot("* 1\r\n") == E(err::kProtoInvalidMultibulk));
  CHECK(one_shot("*2147483648\r\n") == E(err::kProtoInvalidMultibulk));  // > INT_MAX
  CHECK(one_shot("*2147483647\r\n$1\r\na\r\n") == V{"…"});               // = INT_MAX is fine
  CHECK(one_shot("*1\r\n$-1\r\n") == E(err::kProtoInvalidBulk));
  CHECK(one_shot("*1\r\n$abc\r\n") == E(err::kProtoInvalidBulk));
  CHECK(one_shot("*1\r\n$\r\n") == E(err::kProtoInvalidBulk));
  CHECK(one_shot("*1\r\n$1x\r\n") == E(err::kProtoInvalidBulk));
  CHECK(one_shot("*1\r\nx3\r\nabc\r\n") == E("ERR Protocol error: expected '$', got 'x'"));
  CHECK(one_shot("*2\r\n$1\r\na\r\n:1\r\n") == E("ERR Protocol error: expected '$', got ':'"));
  // A CR where '$' should be: the writer turns it into a space, as Redis does.
  CHECK(one_shot("*1\r\n\r\n") == E("ERR Protocol error: expected '$', got '\r'"));
  // Commands before the error are returned first.
  CHECK(one_shot("*1\r\n$4\r\nPING\r\n*x\r\n") ==
        V{"[PING]", "E:" + std::string(err::kProtoInvalidMultibulk)});
}

TEST_CASE("proto-max-bulk-len") {
  ParserLimits lim;
  lim.max_bulk_len = 5;
  CHECK(one_shot("*1\r\n$5\r\nhello\r\n", lim) == V{"[hello]"});
  CHECK(one_shot("*1\r\n$6\r\nhello!\r\n", lim) == V{"E:" + std::string(err::kProtoInvalidBulk)});
  // The default is 512 MB: 512 MB is accepted (pending), one more byte is not.
  CHECK(one_shot("*1\r\n$536870912\r\n") == V{"…"});
  CHECK(one_shot("*1\r\n$536870913\r\n") == V{"E:" + std::string(err::kProtoInvalidBulk)});
}

TEST_CASE("unauthenticated clients: at most 10 args, bulks up to 16 KiB") {
  ParserLimits lim;
  lim.auth_required = true;
  CHECK(one_shot("*10\r\n", lim) == V{"…"});
  CHECK(one_shot("*11\r\n", lim) == V{"E:" + std::string(err::kProtoUnauthMultibulk)});
  CHECK(one_shot("*1\r\n$16384\r\n", lim) == V{"…"});
  CHECK(one_shot("*1\r\n$16385\r\n", lim) == V{"E:" + std::string(err::kProtoUnauthBulk)});
  // An invalid length is reported as such even when unauthenticated.
  CHECK(one_shot("*1\r\n$-2\r\n", lim) == V{"E:" + std::string(err::kProtoInvalidBulk)});
  CHECK(one_shot("*-3\r\n", lim) == V{"()"});
  // Inline commands are not capped by argument count.
  CHECK(one_shot("a b c d e f g h i j k l\n", lim) == V{"[a|b|c|d|e|f|g|h|i|j|k|l]"});
  lim.auth_required = false;
  CHECK(one_shot("*11\r\n", lim) == V{"…"});
  CHECK(one_shot("*1\r\n$16385\r\n", lim) == V{"…"});
}

TEST_CASE("too big inline request / mbulk count / bulk count") {
  const size_t kMax = ParserLimits{}.max_inline;
  std::string line(kMax, 'a');
  // Exactly the limit without a newline: still waiting; one more byte: error.
  CHECK(one_shot(line) == V{"…"});
  CHECK(one_shot(line + "a") == V{"E:" + std::string(err::kProtoBigInline)});
  // A line of exactly the limit is accepted; longer lines fail however they arrive.
  CHECK(one_shot(line + "\n").size() == 1);
  CHECK(one_shot(line + "b\n") == V{"E:" + std::string(err::kProtoBigInline)});
  CHECK(run(line + "b\n", {kMax / 2}) == V{"E:" + std::string(err::kProtoBigInline)});

  std::string count = "*" + std::string(kMax - 1, '1');
  CHECK(one_shot(count) == V{"…"});
  CHECK(one_shot(count + "1") == V{"E:" + std::string(err::kProtoBigMbulkCount)});
  CHECK(one_shot(count + "1\r\n") == V{"E:" + std::string(err::kProtoBigMbulkCount)});
  CHECK(one_shot("*" + std::string(kMax - 1, '1') + "\r\n") ==
        V{"E:" + std::string(err::kProtoInvalidMultibulk)});

  std::string bulk = "*1\r\n$" + std::string(kMax - 1, '1');
  CHECK(one_shot(bulk) == V{"…"});
  CHECK(one_shot(bulk + "1") == V{"E:" + std::string(err::kProtoBigBulkCount)});
  CHECK(one_shot(bulk + "1\r\n") == V{"E:" + std::string(err::kProtoBigBulkCount)});
}

TEST_CASE("a NUL before the line end never completes the line (Redis's strchr)") {
  CHECK(one_shot(std::string("*1\0\r\n$4\r\nPING\r\n", 15)) == V{"…"});
  CHECK(one_shot(std::string("*1\r\n$4\0\r\nPING\r\n", 15)) == V{"…"});
  CHECK(one_shot(std::string("PI\0NG\r\nPING\r\n", 13)) == V{"…"});
  // ... until the buffer passes the inline limit.
  const size_t kMax = ParserLimits{}.max_inline;
  CHECK(one_shot(std::string("*1\0", 3) + std::string(kMax, '\n')) ==
        V{"E:" + std::string(err::kProtoBigMbulkCount)});
  CHECK(one_shot(std::string("P\0", 2) + std::string(kMax, '\n')) ==
        V{"E:" + std::string(err::kProtoBigInline)});
  CHECK(one_shot(std::string("*1\r\n$\0", 6) + std::string(kMax, '\r')) ==
        V{"E:" + std::string(err::kProtoBigBulkCount)});
}

TEST_CASE("incomplete input keeps state; wanted() says how much is needed") {
  RequestParser p;
  ParserLimits lim;
  std::string s = "*2\r\n$3\r\nGET\r\n$10\r\n0123";
  CHECK(p.parse(s.data(), s.size(), lim) == ParseResult::Incomplete);
  CHECK(p.in_progress());
  CHECK(p.wanted() == s.size() - 4 + 10 + 2);
  s += "456789\r\n";
  std::string moved = s;  // the buffer may move between calls
  REQUIRE(p.parse(moved.data(), moved.size(), lim) == ParseResult::Ok);
  CHECK(p.args().size() == 2);
  CHECK(p.args()[1] == "0123456789");
  CHECK(p.consumed() == s.size());
  CHECK_FALSE(p.in_progress());

  // Header cut before its LF: wanted covers the LF.
  RequestParser q;
  CHECK(q.parse("*1\r", 3, lim) == ParseResult::Incomplete);
  CHECK(q.wanted() == 4);
  CHECK(q.parse("", 0, lim) == ParseResult::Incomplete);
}

TEST_CASE("split invariant: pipelined mixed stream cut at every byte") {
  std::string s;
  s += "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
  s += "PING\r\n";
  s += "\r\n";
  s += "*0\r\n";
  s += "*-1\r\n";
  s += "GET \"a b\" 'c'\n";
  s += std::string("*2\r\n$3\r\nGET\r\n$6\r\n\0\r\n\r\n\0\r\n", 25);
  s += "*1\r\n$0\r\n\r\n";
  s += "   \n";
  s += "ECHO \"\\x00\\xff\"\r\n";
  s += "*2\r\n$4\r\nECHO\r\n$12\r\n*1\r\n$4\r\nPING\r\n";
  auto want = one_shot(s);
  CHECK(want == V{"[SET|key|value]", "[PING]", "()", "()", "()", "[GET|a b|c]",
                  "[GET|\\x00\\x0d\\x0a\\x0d\\x0a\\x00]", "[]", "()", "[ECHO|\\x00\\xff]",
                  "[ECHO|*1\\x0d\\x0a$4\\x0d\\x0aPING]"});
  check_split_invariant(s);
}

TEST_CASE("split invariant: every error, preceded by a good command") {
  const char* tails[] = {
      "*abc\r\n",       "*1\r\n$-1\r\n",     "*1\r\nx3\r\nabc\r\n", "*1\r\n$x\r\n",
      "SET \"a\n",      "SET 'a'b\n",        "*3000000000\r\n",     "*1\r\n\r\n",
      "*1\r\n$4\r\nab", "*2\r\n$1\r\na\r\n", "*1\r\n$1\r",          "PI",
  };
  for (const char* t : tails) {
    INFO(t);
    check_split_invariant(std::string("*1\r\n$4\r\nPING\r\nPING\n") + t);
  }
  ParserLimits lim;
  lim.auth_required = true;
  check_split_invariant("*1\r\n$4\r\nPING\r\n*11\r\n", lim);
  check_split_invariant("*1\r\n$4\r\nPING\r\n*1\r\n$16385\r\n", lim);
  lim = {};
  lim.max_bulk_len = 3;
  check_split_invariant("*1\r\n$3\r\nabc\r\n*1\r\n$4\r\nabcd\r\n", lim);
}

TEST_CASE("split invariant around the inline limit") {
  ParserLimits lim;
  lim.max_inline = 16;  // small, so every cut can be tried
  for (size_t n = 10; n <= 22; ++n) {
    INFO("line length ", n);
    std::string line(n, 'a');
    check_split_invariant("PING\n" + line + "\nPING\n", lim);
    check_split_invariant("*1\r\n$1\r\nx\r\n*" + std::string(n, '1') + "\r\n", lim);
    check_split_invariant("*2\r\n$1\r\nx\r\n$" + std::string(n, '1') + "\r\n", lim);
    check_split_invariant("PING\n" + line, lim);
  }
}

TEST_CASE("many pipelined commands parse in order") {
  std::string s;
  for (int i = 0; i < 1000; ++i) {
    std::string k = "key:" + std::to_string(i);
    s += "*2\r\n$3\r\nGET\r\n$" + std::to_string(k.size()) + "\r\n" + k + "\r\n";
  }
  auto ev = one_shot(s);
  REQUIRE(ev.size() == 1000);
  CHECK(ev[0] == "[GET|key:0]");
  CHECK(ev[999] == "[GET|key:999]");
  CHECK(run(s, {7, 100, 101, 5000, 5001, 5002}) == ev);
}
