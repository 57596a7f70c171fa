// rdb_file.cpp — RDB files (see rdb_file.h).
#include "storage/rdb_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "storage/evict.h"

namespace dq::storage::rdb {

namespace {

// A key for a log line: quoted, with non-printable bytes as \xHH (as Redis's sdscatrepr), so
// a corrupt file never puts raw bytes into the log.
std::string quoted(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch >= 0x20 && ch < 0x7f) {
      out += static_cast<char>(ch);
    } else {
      out += "\\x";
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  out += '"';
  return out;
}

constexpr uint8_t kOpSlotInfo = 244;  // Redis 7.4 (cluster); refused
constexpr uint8_t kOpModuleAux = 247;
constexpr uint8_t kOpIdle = 248;
constexpr uint8_t kOpFreq = 249;
constexpr uint8_t kOpAux = 250;
constexpr uint8_t kOpResizeDb = 251;
constexpr uint8_t kOpExpireMs = 252;
constexpr uint8_t kOpExpireSec = 253;
constexpr uint8_t kOpSelectDb = 254;
constexpr uint8_t kOpEof = 255;

// Buffers output and writes it in large chunks, keeping the running CRC-64.
class FileOut {
 public:
  explicit FileOut(int fd) : fd_(fd) {}
  std::string buf;
  uint64_t crc = 0;
  bool flush_if_big() { return buf.size() < (1 << 16) || flush(); }
  bool flush() {
    crc = crc64(crc, buf);
    size_t off = 0;
    while (off < buf.size()) {
      ssize_t n = ::write(fd_, buf.data() + off, buf.size() - off);
      if (n < 0) {
        if (errno == EINTR) continue;
        return false;
      }
      off += static_cast<size_t>(n);
    }
    buf.clear();
    return true;
  }

 private:
  int fd_;
};

void aux(std::string& out, std::string_view k, std::string_view v) {
  out.push_back(static_cast<char>(kOpAux));
  append_string(out, k);
  append_string(out, v);
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

std::string write_file(const Keyspace& ks, const FileSaveOptions& opt, const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_text();
  FileOut f(fd);
  f.buf = "REDIS0011";
  aux(f.buf, "redis-ver", "7.2.4");
  aux(f.buf, "redis-bits", "64");
  aux(f.buf, "ctime", std::to_string(opt.now_ms / 1000));
  aux(f.buf, "used-mem", std::to_string(opt.used_mem));
  aux(f.buf, "aof-base", "0");
  for (const std::string& code : opt.libs) {
    f.buf.push_back(static_cast<char>(kOpFunction2));
    if (opt.compress)
      append_string_lzf(f.buf, code);
    else
      append_string(f.buf, code);
  }
  bool ok = true;
  uint32_t clock = lru_clock();
  std::string obj;
  for (int i = 0; i < ks.count() && ok; ++i) {
    const Db& db = ks.db(i);
    if (db.size() == 0) continue;
    f.buf.push_back(static_cast<char>(kOpSelectDb));
    append_length(f.buf, static_cast<uint64_t>(i));
    f.buf.push_back(static_cast<char>(kOpResizeDb));
    append_length(f.buf, db.size());
    append_length(f.buf, db.volatile_count());
    db.for_each([&](Entry* e) {
      if (!ok) return;
      if (e->has_expire()) {
        f.buf.push_back(static_cast<char>(kOpExpireMs));
        append_le(f.buf, static_cast<uint64_t>(e->expire_ms()), 8);
      }
      if (opt.save_idle) {
        f.buf.push_back(static_cast<char>(kOpIdle));
        append_length(f.buf, (clock - e->lru()) & 0xFFFFFF);
      } else if (opt.save_freq) {
        f.buf.push_back(static_cast<char>(kOpFreq));
        f.buf.push_back(static_cast<char>(lfu_frequency(e)));  // decayed to now, as Redis
      }
      // The object's type byte goes before the key.
      obj.clear();
      write_object(*e, obj, opt.compress);
      f.buf.push_back(obj[0]);
      append_string(f.buf, e->key());
      f.buf.append(obj, 1);
      ok = f.flush_if_big();
    });
  }
  f.buf.push_back(static_cast<char>(kOpEof));
  ok = ok && f.flush();
  if (ok) {
    append_le(f.buf, opt.checksum ? f.crc : 0, 8);
    ok = f.flush();
  }
  if (ok && ::fsync(fd) != 0) ok = false;
  std::string err = ok ? "" : errno_text();
  if (::close(fd) != 0 && ok) err = errno_text();
  return err;
}

std::string load_image(std::string_view image, Keyspace& ks, const ValueLimits& limits,
                       int64_t now_ms, uint32_t lru_clock, FileLoadResult* out) {
  if (image.size() < 9 || image.substr(0, 5) != "REDIS") return "Wrong signature (not an RDB file)";
  int version = 0;
  for (size_t i = 5; i < 9; ++i) {
    if (image[i] < '0' || image[i] > '9') return "Wrong signature (not an RDB file)";
    version = version * 10 + (image[i] - '0');
  }
  if (version < 1 || version > kVersion)
    return "Can't handle RDB format version " + std::to_string(version);
  Reader in(image);
  uint8_t skip;
  for (int i = 0; i < 9; ++i) in.byte(&skip);
  Db* db = &ks.db(0);
  int64_t expire = -1;
  int64_t idle = -1, freq = -1;  // IDLE / FREQ of the next key
  auto fail = [&](std::string_view what) {
    return std::string(what) + " at offset " + std::to_string(in.pos());
  };
  while (true) {
    uint8_t op;
    if (!in.byte(&op)) return fail("Unexpected end of file");
    if (op == kOpEof) break;
    switch (op) {
      case kOpExpireMs: {
        uint64_t ms;
        if (!in.le(8, &ms)) return fail("Truncated expire time");
        expire = static_cast<int64_t>(ms);
        continue;
      }
      case kOpExpireSec: {
        uint64_t sec;
        if (!in.le(4, &sec)) return fail("Truncated expire time");
        expire = static_cast<int64_t>(sec) * 1000;
        continue;
      }
      case kOpIdle: {
        uint64_t v;
        if (!in.length(&v)) return fail("Bad IDLE");
        idle = static_cast<int64_t>(v);
        continue;
      }
      case kOpFreq: {
        uint8_t v;
        if (!in.byte(&v)) return fail("Bad FREQ");
        freq = v;
        continue;
      }
      case kOpSelectDb: {
        uint64_t id;
        if (!in.length(&id)) return fail("Bad SELECTDB");
        if (id >= static_cast<uint64_t>(ks.count()))
          return fail(
              "FATAL: Data file was created with a Redis server configured to handle "
              "more than " +
              std::to_string(ks.count()) + " databases");
        db = &ks.db(static_cast<int>(id));
        continue;
      }
      case kOpResizeDb: {
        uint64_t a, b;
        if (!in.length(&a) || !in.length(&b)) return fail("Bad RESIZEDB");
        continue;
      }
      case kOpAux: {
        std::string k, v;
        if (!in.string(&k) || !in.string(&v)) return fail("Bad AUX field");
        continue;
      }
      case kOpFunction2: {
        std::string code;
        if (!in.string(&code)) return fail("Bad function library");
        out->libs.push_back(std::move(code));
        continue;
      }
      case kOpFunctionPreGa:
        return fail("Pre-release function format not supported");
      case kOpModuleAux:
      case kOpSlotInfo:
        return fail("Module / cluster data not supported");
      default:
        break;
    }
    if (!is_object_type(op)) return fail("Unknown RDB opcode " + std::to_string(op));
    std::string key;
    if (!in.string(&key)) return fail("Truncated key");
    Entry* e = read_object(in, op, key, expire, limits, now_ms);
    if (!e) return fail("Bad data format for key " + quoted(key));
    bool expired = expire >= 0 && expire < now_ms;
    set_access_from_dump(e, idle, static_cast<int>(freq), lru_clock);
    expire = idle = freq = -1;
    if (expired) {
      Entry::destroy(e);
      ++out->keys_expired;
      continue;
    }
    if (!db->insert_if_absent(e, 0)) {
      Entry::destroy(e);
      return fail("Duplicated key '" + key + "' in DB " + std::to_string(db->index()));
    }
    ++out->keys_loaded;
  }
  if (version >= 5) {
    size_t crc_at = in.pos();
    uint64_t expected;
    if (!in.le(8, &expected)) return fail("Truncated checksum");
    if (expected != 0 && expected != crc64(0, image.substr(0, crc_at)))
      return fail("Wrong RDB checksum");
  }
  return "";  // as Redis, whatever follows the checksum is not read
}

}  // namespace dq::storage::rdb
