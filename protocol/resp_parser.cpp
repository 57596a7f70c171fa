#include "protocol/resp_parser.h"

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

ParseResult RequestParser::parse_inline(const char* data, size_t len, const ParserLimits& limits) {
  const char* nl = static_cast<const char*>(std::memchr(data, '\n', len));
  if (nl == nullptr) {
    if (len > limits.max_inline) return fail(err::kProtoBigInline);
    wanted_ = len + 1;
    return ParseResult::Incomplete;
  }
  size_t line_len = nl - data;
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
    // Header "*<count>\r\n".
    const char* cr = static_cast<const char*>(std::memchr(data, '\r', len));
    if (cr == nullptr) {
      if (len > limits.max_inline) return fail(err::kProtoBigMbulkCount);
      wanted_ = len + 1;
      return ParseResult::Incomplete;
    }
    size_t cr_off = cr - data;
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
    if (count < 1024) offsets_.reserve(count);
  }

  while (multibulk_left_ > 0) {
    if (bulk_len_ < 0) {
      const char* start = data + pos_;
      size_t avail = len - pos_;
      const char* cr = static_cast<const char*>(std::memchr(start, '\r', avail));
      if (cr == nullptr) {
        if (avail > limits.max_inline) return fail(err::kProtoBigBulkCount);
        wanted_ = len + 1;
        return ParseResult::Incomplete;
      }
      size_t cr_off = cr - start;
      if (cr_off + 2 > avail) {
        wanted_ = pos_ + cr_off + 2;
        return ParseResult::Incomplete;
      }
      if (start[0] != '$') {
        char got[2] = {start[0], 0};
        std::string msg = "ERR Protocol error: expected '$', got '";
        msg += got[0] ? std::string_view(got, 1) : std::string_view();
        msg += "'";
        return fail(msg);
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
            case 'n': cur.push_back('\n'); break;
            case 'r': cur.push_back('\r'); break;
            case 't': cur.push_back('\t'); break;
            case 'b': cur.push_back('\b'); break;
            case 'a': cur.push_back('\a'); break;
            default: cur.push_back(e); break;
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
        if (is_space(c)) {
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
