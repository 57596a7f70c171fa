// resp_parser.h — incremental request parser (RESP multibulk and inline commands).
//
// Owns: turning request bytes into argument lists. Bytes in, views out: a parsed command's
// arguments are string_views into the caller's buffer (inline commands, which may need
// unescaping, point into parser-owned storage instead).
// Must not include: sockets, libuv, storage.
//
// Contract: the caller keeps the bytes of the command being parsed contiguous and passes
// them from the command's first byte on every call (the buffer may move between calls: the
// parser keeps offsets, never pointers, across calls). An Incomplete result keeps state so
// the next call resumes where this one stopped instead of re-reading the headers.
//   Ok         -> args() holds the command (possibly empty: "*0\r\n" or a blank inline line),
//                 consumed() bytes belong to it; the parser is reset for the next command.
//   Incomplete -> need more bytes; wanted() tells how many bytes the command needs at least.
//   Error      -> error() holds Redis's protocol error text; the connection must be closed.
//
// Redis quirks kept on purpose: a bulk's trailing CRLF is skipped, not checked; a multibulk
// count <= 0 is an empty command; counts are capped at INT_MAX; unauthenticated clients may
// not send more than 10 arguments or bulks over 16 KiB (so they cannot make us buffer much);
// header lines are searched as Redis's strchr() does, so a NUL byte before the CR (LF for
// inline) means the line never completes until the buffer passes the inline limit.
//
// Invariant (tools/fuzz_parser.cpp checks it): the results for a byte stream do not depend
// on how it was split across calls. Where Redis's own answer depends on its read sizes (a
// line longer than 64 KiB that arrives at once), dq answers "too big ..." regardless.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dq::protocol {

enum class ParseResult { Ok, Incomplete, Error };

struct ParserLimits {
  int64_t max_bulk_len = 512LL * 1024 * 1024;  // proto-max-bulk-len
  size_t max_inline = 64 * 1024;               // PROTO_INLINE_MAX_SIZE
  bool auth_required = false;                  // caps sizes for unauthenticated clients
};

// Strict integer parse as Redis's string2ll: optional '-', no '+', no leading zeros, no spaces.
bool parse_int64(std::string_view s, int64_t* out);

class RequestParser {
 public:
  ParseResult parse(const char* data, size_t len, const ParserLimits& limits);

  const std::vector<std::string_view>& args() const { return args_; }
  size_t consumed() const { return consumed_; }
  std::string_view error() const { return error_; }
  // Minimum total bytes (from the command's start) needed before the next parse can progress.
  size_t wanted() const { return wanted_; }
  bool in_progress() const { return multibulk_left_ > 0 || pos_ > 0; }
  void reset();

 private:
  ParseResult parse_inline(const char* data, size_t len, const ParserLimits& limits);
  ParseResult parse_multibulk(const char* data, size_t len, const ParserLimits& limits);
  ParseResult fail(std::string_view msg);

  std::vector<std::string_view> args_;
  std::vector<std::pair<size_t, size_t>> offsets_;  // (offset, length) of parsed bulks
  std::vector<std::string> inline_args_;
  std::string error_;
  size_t pos_ = 0;  // next unparsed byte, relative to the command's start
  int64_t multibulk_left_ = 0;
  int64_t bulk_len_ = -1;
  size_t consumed_ = 0;
  size_t wanted_ = 0;
};

// Splits an inline command line as Redis does ("quotes", 'single', \xHH escapes).
// Returns false on unbalanced quotes.
bool split_inline_args(std::string_view line, std::vector<std::string>* out);

}  // namespace dq::protocol
