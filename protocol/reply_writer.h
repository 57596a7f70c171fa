// reply_writer.h — RESP2/RESP3 reply encoding.
//
// Owns: the wire form of every reply type. Handlers say what they answer (a map, a double, a
// null); this writer knows the connection's protocol and degrades RESP3-only types for RESP2
// here, never in handlers: map -> flat array, set/push -> array, double -> bulk string,
// boolean -> integer, null -> $-1 (or *-1 for a null array), verbatim -> bulk.
// Must not include: sockets, libuv, storage.
#pragma once
#include <cstdint>
#include <string_view>

#include "protocol/output_buffer.h"

namespace dq::protocol {

class ReplyWriter {
 public:
  explicit ReplyWriter(OutputBuffer* out) : out_(out) {}

  void set_output(OutputBuffer* out) { out_ = out; }
  OutputBuffer* output() const { return out_; }
  void set_proto(int proto) { proto_ = proto; }
  int proto() const { return proto_; }
  bool resp3() const { return proto_ == 3; }

  void simple(std::string_view s);  // +s
  void ok() { raw("+OK\r\n"); }
  void error(std::string_view msg);  // -msg ; msg carries its code ("ERR ...", "WRONGTYPE ...")
  void integer(int64_t v);
  void bulk(std::string_view s);
  void bulk_int(int64_t v);  // an integer as a bulk string
  void null();               // RESP2 $-1, RESP3 _
  void null_array();         // RESP2 *-1, RESP3 _
  void array(size_t n);
  void map(size_t pairs);  // RESP2: array of 2*pairs
  void set(size_t n);      // RESP2: array
  void push(size_t n);     // RESP2: array
  void dbl(double d);      // RESP2: bulk string, RESP3 ,d
  // A double already formatted by the caller (GEOPOS's coordinates): RESP2 bulk, RESP3 ,text
  void dbl_text(std::string_view text);
  void boolean(bool b);                                             // RESP2: integer 0/1
  void verbatim(std::string_view s, std::string_view fmt = "txt");  // RESP2: bulk
  void big_number(std::string_view digits);                         // RESP2: bulk
  void raw(std::string_view s) { out_->append(s); }

  // Formats a double the way Redis 7.2 prints it (shortest round-trip; inf, -inf, nan).
  static size_t format_double(double d, char* buf);

 private:
  void header(char type, int64_t n);
  OutputBuffer* out_;
  int proto_ = 2;
};

}  // namespace dq::protocol
