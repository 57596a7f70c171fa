// protocol_writer.cpp — ReplyWriter (RESP2 and RESP3, byte for byte) and OutputBuffer
// (append, reserve/commit, export_iov, consume, truncate_to across block boundaries).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "protocol/output_buffer.h"
#include "protocol/reply_writer.h"

using dq::protocol::OutputBuffer;
using dq::protocol::ReplyWriter;

namespace {

std::string contents(const OutputBuffer& out) {
  iovec iov[256];
  int n = out.export_iov(iov, 256);
  std::string s;
  for (int i = 0; i < n; ++i) s.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
  return s;
}

// Runs `f` on a fresh writer with protocol `proto` and returns the bytes written.
template <typename F>
std::string reply(int proto, F f) {
  OutputBuffer out;
  ReplyWriter w(&out);
  w.set_proto(proto);
  f(w);
  std::string s = contents(out);
  CHECK(s.size() == out.size());
  return s;
}

std::string fmt_double(double d) {
  char buf[64];
  size_t n = ReplyWriter::format_double(d, buf);
  return std::string(buf, n);
}

}  // namespace

TEST_CASE("simple types, both protocols") {
  for (int proto : {2, 3}) {
    INFO("RESP", proto);
    CHECK(reply(proto, [](ReplyWriter& w) { w.ok(); }) == "+OK\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) { w.simple("PONG"); }) == "+PONG\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) { w.error("ERR bad"); }) == "-ERR bad\r\n");
    // Errors are one line: CR and LF become spaces.
    CHECK(reply(proto, [](ReplyWriter& w) { w.error("ERR a\r\nb\nc"); }) == "-ERR a  b c\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) { w.integer(0); }) == ":0\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) { w.integer(-42); }) == ":-42\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) { w.integer(INT64_MAX); }) == ":9223372036854775807\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) { w.integer(INT64_MIN); }) ==
          ":-9223372036854775808\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) { w.bulk(""); }) == "$0\r\n\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) { w.bulk(std::string_view("a\0\r\n", 4)); }) ==
          std::string("$4\r\na\0\r\n\r\n", 10));
    CHECK(reply(proto, [](ReplyWriter& w) { w.bulk_int(-7); }) == "$2\r\n-7\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) { w.array(0); }) == "*0\r\n");
    CHECK(reply(proto, [](ReplyWriter& w) {
            w.array(2);
            w.bulk("a");
            w.integer(1);
          }) == "*2\r\n$1\r\na\r\n:1\r\n");
  }
}

TEST_CASE("large bulks (the append path) are exact") {
  for (size_t n : {4095, 4096, 4097, 16 * 1024 - 10, 16 * 1024, 100000}) {
    INFO(n);
    std::string v(n, 'x');
    v[0] = 'a';
    v[n - 1] = 'z';
    std::string want = "$" + std::to_string(n) + "\r\n" + v + "\r\n";
    CHECK(reply(2, [&](ReplyWriter& w) { w.bulk(v); }) == want);
    // After some bytes already in the buffer, so the reply straddles blocks.
    CHECK(reply(2, [&](ReplyWriter& w) {
            w.raw(std::string(16 * 1024 - 3, '.'));
            w.bulk(v);
          }) == std::string(16 * 1024 - 3, '.') + want);
  }
}

TEST_CASE("RESP2 degrades RESP3 types") {
  CHECK(reply(2, [](ReplyWriter& w) { w.null(); }) == "$-1\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.null_array(); }) == "*-1\r\n");
  CHECK(reply(2, [](ReplyWriter& w) {
          w.map(2);
          w.bulk("a");
          w.integer(1);
          w.bulk("b");
          w.integer(2);
        }) == "*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.map(0); }) == "*0\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.set(3); }) == "*3\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.push(3); }) == "*3\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.boolean(true); }) == ":1\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.boolean(false); }) == ":0\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.dbl(1.5); }) == "$3\r\n1.5\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.dbl(INFINITY); }) == "$3\r\ninf\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.dbl(-INFINITY); }) == "$4\r\n-inf\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.verbatim("hello"); }) == "$5\r\nhello\r\n");
  CHECK(reply(2, [](ReplyWriter& w) { w.big_number("1234567890123456789012"); }) ==
        "$22\r\n1234567890123456789012\r\n");
}

TEST_CASE("RESP3 types") {
  CHECK(reply(3, [](ReplyWriter& w) { w.null(); }) == "_\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.null_array(); }) == "_\r\n");
  CHECK(reply(3, [](ReplyWriter& w) {
          w.map(2);
          w.bulk("a");
          w.integer(1);
          w.bulk("b");
          w.null();
        }) == "%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n_\r\n");
  CHECK(reply(3, [](ReplyWriter& w) {
          w.set(2);
          w.bulk("x");
          w.bulk("y");
        }) == "~2\r\n$1\r\nx\r\n$1\r\ny\r\n");
  CHECK(reply(3, [](ReplyWriter& w) {
          w.push(3);
          w.bulk("message");
          w.bulk("ch");
          w.bulk("hi");
        }) == ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.boolean(true); }) == "#t\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.boolean(false); }) == "#f\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.dbl(1.5); }) == ",1.5\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.dbl(3); }) == ",3\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.dbl(INFINITY); }) == ",inf\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.dbl(-INFINITY); }) == ",-inf\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.dbl(NAN); }) == ",nan\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.verbatim("hello"); }) == "=9\r\ntxt:hello\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.verbatim("# x\r\n", "mkd"); }) == "=9\r\nmkd:# x\r\n\r\n");
  CHECK(reply(3, [](ReplyWriter& w) { w.big_number("-1234567890123456789012"); }) ==
        "(-1234567890123456789012\r\n");
  CHECK(reply(3, [](ReplyWriter& w) {
          w.array(1);
          w.map(1);
          w.bulk("k");
          w.set(0);
        }) == "*1\r\n%1\r\n$1\r\nk\r\n~0\r\n");
}

TEST_CASE("doubles print as Redis 7.2 does (shortest round trip)") {
  CHECK(fmt_double(0) == "0");
  CHECK(fmt_double(-0.0) == "-0");
  CHECK(fmt_double(1) == "1");
  CHECK(fmt_double(-3) == "-3");
  CHECK(fmt_double(1.5) == "1.5");
  CHECK(fmt_double(0.1) == "0.1");
  CHECK(fmt_double(10.6) == "10.6");
  CHECK(fmt_double(-2.5) == "-2.5");
  CHECK(fmt_double(3.14159) == "3.14159");
  CHECK(fmt_double(100000) == "100000");
  CHECK(fmt_double(1e8) == "100000000");
  CHECK(fmt_double(1e15) == "1000000000000000");
  CHECK(fmt_double(4611686018427387904.0) == "4611686018427387904");  // 2^62: still integer
  CHECK(fmt_double(-4611686018427387904.0) == "-4611686018427387904");
  CHECK(fmt_double(9223372036854775808.0) == "9223372036854776000");  // 2^63: padded digits
  CHECK(fmt_double(1e19) == "1e+19");
  CHECK(fmt_double(1.5e300) == "1.5e+300");
  CHECK(fmt_double(-1.5e300) == "-1.5e+300");
  CHECK(fmt_double(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(fmt_double(0.0001) == "0.0001");
  CHECK(fmt_double(0.000001) == "0.000001");
  CHECK(fmt_double(0.0000012) == "1.2e-6");  // 7 fraction digits and exponent -6
  CHECK(fmt_double(1e-7) == "1e-7");
  CHECK(fmt_double(1.25e-7) == "1.25e-7");
  CHECK(fmt_double(5e-324) == "5e-324");
  CHECK(fmt_double(1234.5678) == "1234.5678");
  CHECK(fmt_double(1234.56789012) == "1234.56789012");  // |exponent| < 4: plain decimal
  CHECK(fmt_double(12345.678901234) == "1.2345678901234e+4");
  CHECK(fmt_double(0.001234567891) == "0.001234567891");
  CHECK(fmt_double(0.0001234567891) == "1.234567891e-4");
  CHECK(fmt_double(INFINITY) == "inf");
  CHECK(fmt_double(-INFINITY) == "-inf");
  CHECK(fmt_double(NAN) == "nan");
  // Every printed value reads back to the same double.
  for (double d : {0.1, 1.0 / 3, 2.0 / 3 * 1e10, 123456.789, 1e-5, 9.999999e22, 6.02214076e23}) {
    INFO(d);
    CHECK(std::stod(fmt_double(d)) == d);
  }
}

TEST_CASE("output buffer: append across blocks, export_iov, consume") {
  OutputBuffer out;
  CHECK(out.empty());
  const size_t kB = OutputBuffer::kBlockSize;
  std::string all;
  for (int i = 0; i < 5000; ++i) {
    std::string piece = std::to_string(i) + ",";
    out.append(piece);
    all += piece;
  }
  std::string big(3 * kB + 17, 'B');
  out.append(big);
  all += big;
  CHECK(out.size() == all.size());
  CHECK(contents(out) == all);
  CHECK(out.memory() >= out.size());

  // export_iov respects max and starts at the head.
  iovec iov[2];
  int n = out.export_iov(iov, 2);
  CHECK(n == 2);
  CHECK(iov[0].iov_len + iov[1].iov_len <= out.size());
  CHECK(std::string(static_cast<char*>(iov[0].iov_base), 5) == all.substr(0, 5));

  // Consume in odd steps across block boundaries.
  size_t done = 0;
  for (size_t step : {size_t{1}, kB - 1, size_t{2}, kB, size_t{7}, kB * 2}) {
    if (step > out.size()) break;
    out.consume(step);
    done += step;
    CHECK(out.size() == all.size() - done);
    CHECK(contents(out) == all.substr(done));
  }
  out.consume(out.size());
  CHECK(out.empty());
  CHECK(contents(out).empty());
  CHECK(out.export_iov(iov, 2) == 0);
  // Still usable; one standard block at most is kept for reuse.
  CHECK(out.memory() <= kB);
  out.append("again");
  CHECK(contents(out) == "again");
}

TEST_CASE("output buffer: reserve/commit and reuse of a drained block") {
  OutputBuffer out;
  char* p = out.reserve(10);
  std::memcpy(p, "0123456789", 10);
  out.commit(4);
  CHECK(contents(out) == "0123");
  out.append_char('!');
  CHECK(contents(out) == "0123!");
  out.consume(5);
  size_t mem = out.memory();
  p = out.reserve(100);
  std::memcpy(p, "xyz", 3);
  out.commit(3);
  CHECK(contents(out) == "xyz");
  CHECK(out.memory() == mem);  // the drained block was reused
  // A reservation larger than a block gets a block of its own.
  p = out.reserve(OutputBuffer::kBlockSize * 2);
  std::memset(p, 'L', OutputBuffer::kBlockSize * 2);
  out.commit(OutputBuffer::kBlockSize * 2);
  CHECK(out.size() == 3 + OutputBuffer::kBlockSize * 2);
  CHECK(contents(out) == "xyz" + std::string(OutputBuffer::kBlockSize * 2, 'L'));
  out.consume(out.size());
  CHECK(out.memory() <= OutputBuffer::kBlockSize);  // the oversized block was freed
}

TEST_CASE("output buffer: truncate_to undoes a partial reply across blocks") {
  const size_t kB = OutputBuffer::kBlockSize;
  OutputBuffer out;
  out.append("+OK\r\n");
  size_t mark = out.size();
  size_t mem = out.memory();
  out.append(std::string(kB * 3 + 5, 'x'));
  out.append("tail");
  CHECK(out.memory() > mem);
  out.truncate_to(mark);
  CHECK(out.size() == mark);
  CHECK(contents(out) == "+OK\r\n");
  CHECK(out.memory() == mem);  // the extra blocks are gone
  out.append(":1\r\n");
  CHECK(contents(out) == "+OK\r\n:1\r\n");
  // Truncating to the current size is a no-op; to zero empties.
  out.truncate_to(out.size());
  CHECK(contents(out) == "+OK\r\n:1\r\n");
  out.truncate_to(0);
  CHECK(out.empty());
  out.append("z");
  CHECK(contents(out) == "z");

  // After a partial consume: the mark is in size() units (unsent bytes).
  OutputBuffer o2;
  o2.append(std::string(kB + 10, 'a'));
  o2.consume(kB);
  size_t m2 = o2.size();
  o2.append(std::string(kB * 2, 'b'));
  o2.truncate_to(m2);
  CHECK(contents(o2) == std::string(10, 'a'));
  o2.append("c");
  CHECK(contents(o2) == std::string(10, 'a') + "c");
}

TEST_CASE("output buffer: writer output equals the sum of its replies") {
  OutputBuffer out;
  ReplyWriter w(&out);
  std::string want;
  for (int i = 0; i < 3000; ++i) {
    w.bulk(std::string(i % 50, 'v'));
    want += "$" + std::to_string(i % 50) + "\r\n" + std::string(i % 50, 'v') + "\r\n";
    w.integer(i);
    want += ":" + std::to_string(i) + "\r\n";
  }
  CHECK(contents(out) == want);
  CHECK(w.output() == &out);
}
