#include "protocol/reply_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace dq::protocol {

namespace {
inline char* put_int(char* p, int64_t v) { return std::to_chars(p, p + 24, v).ptr; }
}  // namespace

void ReplyWriter::header(char type, int64_t n) {
  char* p = out_->reserve(32);
  char* s = p;
  *p++ = type;
  p = put_int(p, n);
  *p++ = '\r';
  *p++ = '\n';
  out_->commit(p - s);
}

void ReplyWriter::simple(std::string_view s) {
  char* p = out_->reserve(s.size() + 3);
  p[0] = '+';
  std::memcpy(p + 1, s.data(), s.size());
  p[s.size() + 1] = '\r';
  p[s.size() + 2] = '\n';
  out_->commit(s.size() + 3);
}

void ReplyWriter::error(std::string_view msg) {
  // Error texts must be one line: Redis replaces CR/LF with spaces.
  char* p = out_->reserve(msg.size() + 3);
  p[0] = '-';
  for (size_t i = 0; i < msg.size(); ++i) {
    char c = msg[i];
    p[i + 1] = (c == '\r' || c == '\n') ? ' ' : c;
  }
  p[msg.size() + 1] = '\r';
  p[msg.size() + 2] = '\n';
  out_->commit(msg.size() + 3);
}

void ReplyWriter::integer(int64_t v) { header(':', v); }

void ReplyWriter::bulk(std::string_view s) {
  if (s.size() <= 4096) {
    char* p = out_->reserve(s.size() + 32);
    char* b = p;
    *p++ = '$';
    p = put_int(p, static_cast<int64_t>(s.size()));
    *p++ = '\r';
    *p++ = '\n';
    std::memcpy(p, s.data(), s.size());
    p += s.size();
    *p++ = '\r';
    *p++ = '\n';
    out_->commit(p - b);
    return;
  }
  header('$', static_cast<int64_t>(s.size()));
  out_->append(s);
  out_->append("\r\n", 2);
}

void ReplyWriter::bulk_int(int64_t v) {
  char buf[24];
  char* e = put_int(buf, v);
  bulk(std::string_view(buf, e - buf));
}

void ReplyWriter::null() { raw(proto_ == 3 ? "_\r\n" : "$-1\r\n"); }
void ReplyWriter::null_array() { raw(proto_ == 3 ? "_\r\n" : "*-1\r\n"); }
void ReplyWriter::array(size_t n) { header('*', static_cast<int64_t>(n)); }
void ReplyWriter::map(size_t pairs) {
  if (proto_ == 3)
    header('%', static_cast<int64_t>(pairs));
  else
    header('*', static_cast<int64_t>(pairs * 2));
}
void ReplyWriter::set(size_t n) { header(proto_ == 3 ? '~' : '*', static_cast<int64_t>(n)); }
void ReplyWriter::push(size_t n) { header(proto_ == 3 ? '>' : '*', static_cast<int64_t>(n)); }

size_t ReplyWriter::format_double(double d, char* buf) {
  if (std::isinf(d)) {
    const char* s = d > 0 ? "inf" : "-inf";
    size_t n = std::strlen(s);
    std::memcpy(buf, s, n);
    return n;
  }
  if (std::isnan(d)) {
    std::memcpy(buf, "nan", 3);
    return 3;
  }
  return std::to_chars(buf, buf + 32, d).ptr - buf;
}

void ReplyWriter::dbl(double d) {
  char buf[40];
  size_t n = format_double(d, buf);
  if (proto_ == 3) {
    char* p = out_->reserve(n + 3);
    p[0] = ',';
    std::memcpy(p + 1, buf, n);
    p[n + 1] = '\r';
    p[n + 2] = '\n';
    out_->commit(n + 3);
  } else {
    bulk(std::string_view(buf, n));
  }
}

void ReplyWriter::boolean(bool b) {
  if (proto_ == 3)
    raw(b ? "#t\r\n" : "#f\r\n");
  else
    raw(b ? ":1\r\n" : ":0\r\n");
}

void ReplyWriter::verbatim(std::string_view s, std::string_view fmt) {
  if (proto_ != 3) return bulk(s);
  header('=', static_cast<int64_t>(s.size() + 4));
  out_->append(fmt.substr(0, 3));
  out_->append(":", 1);
  out_->append(s);
  out_->append("\r\n", 2);
}

void ReplyWriter::big_number(std::string_view digits) {
  if (proto_ != 3) return bulk(digits);
  out_->append("(", 1);
  out_->append(digits);
  out_->append("\r\n", 2);
}

}  // namespace dq::protocol
