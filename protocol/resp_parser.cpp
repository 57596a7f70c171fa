#include "protocol/resp_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "protocol/errors.h"

namespace dq::protocol {

bool parse_int64(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  bool neg = false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  if (s[0] == '-') {
    neg = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

void RequestParser::reset() {
  pos_ = 0;
  multibulk_left_ = 0;
  bulk_len_ = -1;
  offsets_.clear();
  wanted_ = 0;
}

ParseResult RequestParser::fail(std::string_view msg) {
  error_.assign(msg);
  reset();
  return ParseResult::Error;
}

ParseResult RequestParser::parse(const char* data, size_t len, const ParserLimits& limits) {
  if (pos_ == 0 && multibulk_left_ == 0) {
    if (len == 0) {
      wanted_ = 1;
      return ParseResult::Incomplete;
    }
    if (data[0] != '*') return parse_inline(data, len, limits);
  }
  return parse_multibulk(data, len, limits);
}

namespace {
// Looks for `c` in data[0, len) the way Redis's strchr() does on its NUL-terminated query
// buffer: a NUL byte ends the search, so such a line never completes (Redis then waits until
// the buffer passes the inline limit and fails with "too big ..."). Returns the offset, or
// kNotYet when more bytes may still bring `c`, or kNever when a NUL came first.
constexpr size_t kNotYet = static_cast<size_t>(-1);
constexpr size_t kNever = static_cast<size_t>(-2);
size_t find_line_end(const char* data, size_t len, char c) {
  for (size_t i = 0; i < len; ++i) {
    if (data[i] == c) return i;
    if (data[i] == '\0') return kNever;
  }
  return kNotYet;
}
}  // namespace

// Header lines and inline requests are capped at limits.max_inline bytes. Redis checks the cap
// only when a read leaves no terminator in the buffer, so whether a longer line passes depends
// on how the bytes were split; dq decides on the line itself (terminator past the cap, or more
// than the cap buffered without one, is "too big"), so any split gives the same result.
ParseResult RequestParser::parse_inline(const char* data, size_t len, const ParserLimits& limits) {
  size_t nl = find_line_end(data, len, '\n');
  if (nl == kNotYet || nl == kNever || nl > limits.max_inline) {
    if (len > limits.max_inline || (nl != kNotYet && nl != kNever))
      return fail(err::kProtoBigInline);
    wanted_ = len + 1;
    return ParseResult::Incomplete;
  }
  size_t line_len = nl;
  consumed_ = line_len + 1;
  if (line_len > 0 && data[line_len - 1] == '\r') --line_len;
  inline_args_.clear();
  if (!split_inline_args(std::string_view(data, line_len), &inline_args_))
    return fail(err::kProtoUnbalancedQuotes);
  args_.clear();
  for (const std::string& a : inline_args_) args_.emplace_back(a);
  reset();
  return ParseResult::Ok;
}

ParseResult RequestParser::parse_multibulk(const char* data, size_t len,
                                           const ParserLimits& limits) {
  if (multibulk_left_ == 0) {
    // Header "*<count>\r\n" (the byte after '\r' is skipped unchecked, as Redis does).
    size_t cr_off = find_line_end(data, len, '\r');
    if (cr_off == kNotYet || cr_off == kNever || cr_off > limits.max_inline) {
      if (len > limits.max_inline || (cr_off != kNotYet && cr_off != kNever))
        return fail(err::kProtoBigMbulkCount);
      wanted_ = len + 1;
      return ParseResult::Incomplete;
    }
    if (cr_off + 2 > len) {
      wanted_ = cr_off + 2;
      return ParseResult::Incomplete;
    }
    int64_t count;
    if (!parse_int64(std::string_view(data + 1, cr_off - 1), &count) || count > INT_MAX)
      return fail(err::kProtoInvalidMultibulk);
    if (count > 10 && limits.auth_required) return fail(err::kProtoUnauthMultibulk);
    pos_ = cr_off + 2;
    if (count <= 0) {
      consumed_ = pos_;
      args_.clear();
      reset();
      return ParseResult::Ok;
    }
    multibulk_left_ = count;
    offsets_.clear();
    offsets_.reserve(std::min<int64_t>(count, 1024));
  }

  while (multibulk_left_ > 0) {
    if (bulk_len_ < 0) {
      const char* start = data + pos_;
      size_t avail = len - pos_;
      size_t cr_off = find_line_end(start, avail, '\r');
      if (cr_off == kNotYet || cr_off == kNever || cr_off > limits.max_inline) {
        if (avail > limits.max_inline || (cr_off != kNotYet && cr_off != kNever))
          return fail(err::kProtoBigBulkCount);
        wanted_ = len + 1;
        return ParseResult::Incomplete;
      }
      if (cr_off + 2 > avail) {
        wanted_ = pos_ + cr_off + 2;
        return ParseResult::Incomplete;
      }
      if (start[0] != '$') {
        // start[0] is never NUL here (find_line_end stops there); CR/LF become spaces when
        // the error is written, as Redis's addReplyErrorFormat does.
        return fail(
            fmt::format(fmt::runtime(err::kFmtProtoExpectedDollar), std::string_view(start, 1)));
      }
      int64_t bl;
      if (!parse_int64(std::string_view(start + 1, cr_off - 1), &bl) || bl < 0 ||
          bl > limits.max_bulk_len)
        return fail(err::kProtoInvalidBulk);
      if (bl > 16384 && limits.auth_required) return fail(err::kProtoUnauthBulk);
      pos_ += cr_off + 2;
      bulk_len_ = bl;
    }
    size_t need = pos_ + static_cast<size_t>(bulk_len_) + 2;
    if (len < need) {
      wanted_ = need;
      return ParseResult::Incomplete;
    }
    offsets_.emplace_back(pos_, static_cast<size_t>(bulk_len_));
    pos_ = need;
    bulk_len_ = -1;
    --multibulk_left_;
  }

  args_.clear();
  for (auto [off, n] : offsets_) args_.emplace_back(data + off, n);
  consumed_ = pos_;
  reset();
  return ParseResult::Ok;
}

namespace {
int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}
}  // namespace

bool split_inline_args(std::string_view line, std::vector<std::string>* out) {
  size_t i = 0, n = line.size();
  while (true) {
    while (i < n && is_space(line[i])) ++i;
    if (i >= n) return true;
    std::string cur;
    bool in_dq = false, in_sq = false, done = false;
    while (!done) {
      if (in_dq) {
        if (i >= n) return false;  // unterminated quotes
        char c = line[i];
        if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && hex_digit(line[i + 2]) >= 0 &&
            hex_digit(line[i + 3]) >= 0) {
          cur.push_back(static_cast<char>(hex_digit(line[i + 2]) * 16 + hex_digit(line[i + 3])));
          i += 3;
        } else if (c == '\\' && i + 1 < n) {
          ++i;
          char e = line[i];
          switch (e) {
            case 'n':
              cur.push_back('\n');
              break;
            case 'r':
              cur.push_back('\r');
              break;
            case 't':
              cur.push_back('\t');
              break;
            case 'b':
              cur.push_back('\b');
              break;
            case 'a':
              cur.push_back('\a');
              break;
            default:
              cur.push_back(e);
              break;
          }
        } else if (c == '"') {
          // The closing quote must be followed by a space or the end.
          if (i + 1 < n && !is_space(line[i + 1])) return false;
          done = true;
        } else {
          cur.push_back(c);
        }
      } else if (in_sq) {
        if (i >= n) return false;
        char c = line[i];
        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
          ++i;
          cur.push_back('\'');
        } else if (c == '\'') {
          if (i + 1 < n && !is_space(line[i + 1])) return false;
          done = true;
        } else {
          cur.push_back(c);
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        char c = line[i];
        // sdssplitargs ends a bare token only at ' ', \n, \r, \t (not \v or \f).
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
          done = true;
        } else if (c == '"') {
          in_dq = true;
        } else if (c == '\'') {
          in_sq = true;
        } else {
          cur.push_back(c);
        }
      }
      if (i < n) ++i;
    }
    out->push_back(std::move(cur));
  }
}

}  // namespace dq::protocol
