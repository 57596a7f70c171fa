// Slowlog: the commands that ran at least `slowlog-log-slower-than` microseconds (Redis's
// SLOWLOG). Newest first, at most `slowlog-max-len` entries (trimmed when an entry is added,
// as Redis). Each entry keeps at most 32 arguments (the last one then says how many more there
// were) and at most 128 bytes of each argument (then how many more bytes), so a huge command
// costs the log little.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dq::server {

struct SlowlogEntry {
  uint64_t id;
  int64_t unix_time;  // seconds
  int64_t duration_us;
  std::vector<std::string> args;
  std::string peer, name;
};

class Slowlog {
 public:
  static constexpr size_t kMaxArgs = 32;
  static constexpr size_t kMaxArgBytes = 128;

  // `redact_from`: arguments from this index on are shown as "(redacted)" (AUTH's); `redact_to`
  // bounds it (HELLO's two AUTH values).
  void add(std::span<const std::string_view> args, size_t redact_from, size_t redact_to,
           int64_t unix_time, int64_t duration_us, std::string_view peer, std::string_view name,
           size_t max_len) {
    SlowlogEntry e{next_id_++, unix_time, duration_us, {}, std::string(peer), std::string(name)};
    size_t n = std::min(args.size(), kMaxArgs);
    e.args.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (i == kMaxArgs - 1 && args.size() > kMaxArgs) {
        e.args.push_back("... (" + std::to_string(args.size() - kMaxArgs + 1) + " more arguments)");
        break;
      }
      std::string_view a = args[i];
      if (i >= redact_from && i < redact_to) {
        e.args.emplace_back("(redacted)");
      } else if (a.size() > kMaxArgBytes) {
        e.args.push_back(std::string(a.substr(0, kMaxArgBytes)) + "... (" +
                         std::to_string(a.size() - kMaxArgBytes) + " more bytes)");
      } else {
        e.args.emplace_back(a);
      }
    }
    entries_.push_front(std::move(e));
    while (entries_.size() > max_len) entries_.pop_back();
  }
  const std::deque<SlowlogEntry>& entries() const { return entries_; }
  void reset() { entries_.clear(); }

 private:
  std::deque<SlowlogEntry> entries_;
  uint64_t next_id_ = 0;
};

}  // namespace dq::server
