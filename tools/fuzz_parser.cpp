// fuzz_parser.cpp — libFuzzer target for protocol/resp_parser (`make fuzz`).
//
// Invariant: any split of the same bytes yields the same commands and the same error.
// The input's first two bytes choose the limits (so small inline/bulk caps and the
// unauthenticated caps get exercised) and seed the split points; the rest is the stream.
// Each parse call gets an exact-size heap copy at a new address, so ASan catches a read past
// the end and a parser that kept a pointer (not an offset) across calls.
// Also checked: consumed() is within the input, a command never consumes zero bytes, and
// every argument view is read (ASan catches one pointing outside the live buffer).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/resp_parser.h"

using dq::protocol::ParseResult;
using dq::protocol::ParserLimits;
using dq::protocol::RequestParser;

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_parser invariant failed: %s\n", what);
    std::abort();
  }
}

// The stream fed in chunks ending at `cuts` (ascending), as one printable transcript.
std::string run(std::string_view stream, const std::vector<size_t>& cuts, const ParserLimits& lim) {
  RequestParser p;
  std::string transcript;
  std::string pending;
  size_t fed = 0;
  auto feed_to = [&](size_t end) -> bool {  // false once an error ended the connection
    pending.append(stream.substr(fed, end - fed));
    fed = end;
    while (!pending.empty()) {
      std::unique_ptr<char[]> copy(new char[pending.size()]);
      std::memcpy(copy.get(), pending.data(), pending.size());
      ParseResult r = p.parse(copy.get(), pending.size(), lim);
      if (r == ParseResult::Incomplete) {
        check(p.wanted() > 0, "incomplete with wanted() == 0");
        return true;
      }
      if (r == ParseResult::Error) {
        check(!p.error().empty(), "error without text");
        transcript += "E:";
        transcript += p.error();
        return false;
      }
      size_t used = p.consumed();
      check(used > 0 && used <= pending.size(), "consumed() out of range");
      transcript += "C" + std::to_string(p.args().size()) + ":";
      for (std::string_view a : p.args()) {
        transcript += std::to_string(a.size()) + ":";
        transcript += a;
      }
      transcript += ";";
      pending.erase(0, used);
    }
    return true;
  };
  for (size_t c : cuts)
    if (c > fed && c <= stream.size() && !feed_to(c)) return transcript;
  if (feed_to(stream.size()) && !pending.empty()) transcript += "…";
  return transcript;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  uint8_t mode = data[0];
  uint32_t seed = data[1] * 2654435761u + 1;
  std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);

  ParserLimits lim;
  if (mode & 1) lim.auth_required = true;
  if (mode & 2) lim.max_inline = 1 + (mode >> 4);  // 1..16: the "too big" paths
  if (mode & 4) lim.max_bulk_len = (mode >> 3) & 7;

  std::string want = run(stream, {}, lim);

  // Byte by byte (small inputs; larger ones would be quadratic).
  if (stream.size() <= 512) {
    std::vector<size_t> all;
    for (size_t i = 1; i < stream.size(); ++i) all.push_back(i);
    check(run(stream, all, lim) == want, "byte-by-byte split differs");
  }
  // A few random splits.
  for (int round = 0; round < 4; ++round) {
    std::vector<size_t> cuts;
    size_t at = 0;
    while (true) {
      seed = seed * 1103515245u + 12345u;
      at += 1 + (seed >> 16) % (round == 0 ? 4 : 64);
      if (at >= stream.size()) break;
      cuts.push_back(at);
    }
    check(run(stream, cuts, lim) == want, "random split differs");
  }
  return 0;
}
