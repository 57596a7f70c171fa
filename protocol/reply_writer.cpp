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

// Redis 7.2 (d2string + fpconv_dtoa): integral values within +-2^62 print as integers; other
// values print their shortest round-trip digits D with D * 10^K == value, as
//   - an integer padded with K zeros when K >= 0 and K < 8,
//   - a plain decimal when K < 0 and (K > -7 or the decimal exponent is within +-3),
//   - else d.ddde+X / d.ddde-X (exponent without zero padding: "1e+19", "1.5e-7").
// Redis 7.0 printed "%.17g" instead (0.1 -> 0.10000000000000001); dq follows 7.2.
size_t ReplyWriter::format_double(double d, char* buf) {
  if (std::isnan(d)) {
    std::memcpy(buf, "nan", 3);
    return 3;
  }
  if (std::isinf(d)) {
    const char* s = d > 0 ? "inf" : "-inf";
    size_t n = std::strlen(s);
    std::memcpy(buf, s, n);
    return n;
  }
  if (d == 0) {
    if (std::signbit(d)) {
      std::memcpy(buf, "-0", 2);
      return 2;
    }
    buf[0] = '0';
    return 1;
  }
  constexpr double kIntLimit = static_cast<double>(INT64_MAX / 2);
  if (d >= -kIntLimit && d <= kIntLimit) {
    auto ll = static_cast<int64_t>(d);
    if (static_cast<double>(ll) == d) return put_int(buf, ll) - buf;
  }
  // Shortest digits and decimal exponent, from "[-]d[.ddd]e[+-]x".
  char sci[40];
  char* end = std::to_chars(sci, sci + sizeof(sci), d, std::chars_format::scientific).ptr;
  char* p = sci;
  char* out = buf;
  if (*p == '-') *out++ = *p++;
  char digits[24];
  int nd = 0;
  for (; p < end && *p != 'e'; ++p)
    if (*p != '.') digits[nd++] = *p;
  int exp10 = 0;
  std::from_chars(p[1] == '+' ? p + 2 : p + 1, end, exp10);
  while (nd > 1 && digits[nd - 1] == '0') --nd;  // to_chars never pads, but be safe
  int k = exp10 - nd + 1;                        // value == digits * 10^k
  int aexp = exp10 < 0 ? -exp10 : exp10;
  if (k >= 0 && k < 8) {
    std::memcpy(out, digits, nd);
    out += nd;
    std::memset(out, '0', k);
    out += k;
  } else if (k < 0 && (k > -7 || aexp < 4)) {
    int int_digits = nd + k;  // digits before the point
    if (int_digits <= 0) {
      *out++ = '0';
      *out++ = '.';
      std::memset(out, '0', -int_digits);
      out += -int_digits;
      std::memcpy(out, digits, nd);
      out += nd;
    } else {
      std::memcpy(out, digits, int_digits);
      out += int_digits;
      *out++ = '.';
      std::memcpy(out, digits + int_digits, nd - int_digits);
      out += nd - int_digits;
    }
  } else {
    *out++ = digits[0];
    if (nd > 1) {
      *out++ = '.';
      std::memcpy(out, digits + 1, nd - 1);
      out += nd - 1;
    }
    *out++ = 'e';
    *out++ = exp10 < 0 ? '-' : '+';
    out = put_int(out, aexp);
  }
  return out - buf;
}

void ReplyWriter::dbl_text(std::string_view text) {
  if (proto_ != 3) return bulk(text);
  char* p = out_->reserve(text.size() + 3);
  p[0] = ',';
  std::memcpy(p + 1, text.data(), text.size());
  p[text.size() + 1] = '\r';
  p[text.size() + 2] = '\n';
  out_->commit(text.size() + 3);
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
