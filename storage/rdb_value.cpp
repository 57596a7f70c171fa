// rdb_value.cpp — encoders and validating decoders of RDB objects (see rdb_value.h).
//
// The compact containers Redis embeds as strings are parsed into a flat list of elements
// (an integer or a view of the container's bytes) by one validating parser each: listpack,
// ziplist, intset, zipmap. The type readers then interpret the elements. Nothing is built
// into a value until its container validated, and every count is bounded by the bytes left.
#include "storage/rdb_value.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <vector>

namespace dq::storage::rdb {

namespace {

// --- writing ----------------------------------------------------------------------------

// A string as Redis writes an integer-looking one: the int8/16/32 encodings, else raw.
void append_int_string(std::string& out, int64_t v) {
  if (v >= INT32_MIN && v <= INT32_MAX) {
    int n = v >= INT8_MIN && v <= INT8_MAX ? 1 : v >= INT16_MIN && v <= INT16_MAX ? 2 : 4;
    out.push_back(static_cast<char>(0xC0 | (n == 1 ? 0 : n == 2 ? 1 : 2)));
    append_le(out, static_cast<uint64_t>(v), n);
    return;
  }
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  append_string(out, std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

// Listpack element encoders (listpack.c's format), each followed by its back-length.
void lp_backlen(std::string& out, size_t l) {
  if (l <= 127) {
    out.push_back(static_cast<char>(l));
  } else if (l < 16383) {
    out.push_back(static_cast<char>(l >> 7));
    out.push_back(static_cast<char>((l & 127) | 128));
  } else if (l < 2097151) {
    out.push_back(static_cast<char>(l >> 14));
    out.push_back(static_cast<char>(((l >> 7) & 127) | 128));
    out.push_back(static_cast<char>((l & 127) | 128));
  } else if (l < 268435455) {
    out.push_back(static_cast<char>(l >> 21));
    out.push_back(static_cast<char>(((l >> 14) & 127) | 128));
    out.push_back(static_cast<char>(((l >> 7) & 127) | 128));
    out.push_back(static_cast<char>((l & 127) | 128));
  } else {
    out.push_back(static_cast<char>(l >> 28));
    out.push_back(static_cast<char>(((l >> 21) & 127) | 128));
    out.push_back(static_cast<char>(((l >> 14) & 127) | 128));
    out.push_back(static_cast<char>(((l >> 7) & 127) | 128));
    out.push_back(static_cast<char>((l & 127) | 128));
  }
}

size_t lp_backlen_size(size_t l) {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

void lp_int(std::string& out, int64_t v) {
  size_t start = out.size();
  if (v >= 0 && v <= 127) {
    out.push_back(static_cast<char>(v));
  } else if (v >= -4096 && v <= 4095) {
    uint64_t u = v < 0 ? static_cast<uint64_t>((1 << 13) + v) : static_cast<uint64_t>(v);
    out.push_back(static_cast<char>(0xC0 | (u >> 8)));
    out.push_back(static_cast<char>(u & 0xff));
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    out.push_back(static_cast<char>(0xF1));
    append_le(out, static_cast<uint64_t>(v), 2);
  } else if (v >= -(1 << 23) && v < (1 << 23)) {
    out.push_back(static_cast<char>(0xF2));
    append_le(out, static_cast<uint64_t>(v), 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    out.push_back(static_cast<char>(0xF3));
    append_le(out, static_cast<uint64_t>(v), 4);
  } else {
    out.push_back(static_cast<char>(0xF4));
    append_le(out, static_cast<uint64_t>(v), 8);
  }
  lp_backlen(out, out.size() - start);
}

void lp_str(std::string& out, std::string_view s) {
  int64_t v;
  if (s.size() <= 20 && string_to_int64(s, &v)) return lp_int(out, v);
  size_t start = out.size();
  if (s.size() < 64) {
    out.push_back(static_cast<char>(0x80 | s.size()));
  } else if (s.size() < 4096) {
    out.push_back(static_cast<char>(0xE0 | (s.size() >> 8)));
    out.push_back(static_cast<char>(s.size() & 0xff));
  } else {
    out.push_back(static_cast<char>(0xF0));
    append_le(out, s.size(), 4);
  }
  out.append(s);
  lp_backlen(out, out.size() - start);
}

// Wraps elements (already encoded) into a listpack: total bytes, count, elements, 0xFF.
std::string lp_finish(std::string_view elements, size_t count) {
  std::string lp;
  append_le(lp, 6 + elements.size() + 1, 4);
  append_le(lp, count < 65535 ? count : 65535, 2);
  lp.append(elements);
  lp.push_back(static_cast<char>(0xFF));
  return lp;
}

void append_raw_id(std::string& out, StreamID id) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((id.ms >> (8 * i)) & 0xff));
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((id.seq >> (8 * i)) & 0xff));
}

// Redis's stream node layout (t_stream.c): a master entry (count, deleted, master fields,
// 0) then per entry flags, ID deltas, [field count and fields | values only when the fields
// are the master's], values, and the entry's element count.
constexpr int64_t kFlagDeleted = 1, kFlagSameFields = 2;
constexpr size_t kWriteNodeEntries = 100;  // stream-node-max-entries' default
constexpr size_t kWriteNodeBytes = 4096;   // stream-node-max-bytes' default

void put_str(bool z, std::string& out, std::string_view s) {
  if (z)
    append_string_lzf(out, s);
  else
    append_string(out, s);
}

void write_stream(const StreamObject& s, std::string& out, bool z) {
  struct Node {
    StreamID master;
    std::string lp;
  };
  std::vector<Node> nodes;
  std::string elems;
  size_t count = 0, entries = 0;
  StreamID master;
  std::vector<std::string> master_fields;
  auto flush = [&] {
    if (!entries) return;
    std::string head;
    lp_int(head, static_cast<int64_t>(entries));
    lp_int(head, 0);
    lp_int(head, static_cast<int64_t>(master_fields.size()));
    for (const auto& f : master_fields) lp_str(head, f);
    lp_int(head, 0);
    nodes.push_back({master, lp_finish(head + elems, count + 4 + master_fields.size())});
    elems.clear();
    count = entries = 0;
  };
  StreamIterator it(s, StreamID{}, StreamID::max(), false);
  StreamEntry e;
  std::vector<std::pair<std::string, std::string>> fv;
  while (it.next(&e)) {
    fv.clear();
    e.for_each([&](std::string_view f, std::string_view v) { fv.emplace_back(f, v); });
    if (entries >= kWriteNodeEntries || elems.size() >= kWriteNodeBytes) flush();
    if (!entries) {
      master = e.id;
      master_fields.clear();
      for (auto& p : fv) master_fields.push_back(p.first);
    }
    bool same = fv.size() == master_fields.size();
    for (size_t i = 0; same && i < fv.size(); ++i) same = fv[i].first == master_fields[i];
    lp_int(elems, same ? kFlagSameFields : 0);
    lp_int(elems, static_cast<int64_t>(e.id.ms - master.ms));
    lp_int(elems, static_cast<int64_t>(e.id.seq - master.seq));
    if (same) {
      for (auto& p : fv) lp_str(elems, p.second);
      lp_int(elems, static_cast<int64_t>(fv.size() + 3));
      count += fv.size() + 4;
    } else {
      lp_int(elems, static_cast<int64_t>(fv.size()));
      for (auto& p : fv) {
        lp_str(elems, p.first);
        lp_str(elems, p.second);
      }
      lp_int(elems, static_cast<int64_t>(2 * fv.size() + 4));
      count += 2 * fv.size() + 5;
    }
    ++entries;
  }
  flush();
  append_length(out, nodes.size());
  for (const Node& n : nodes) {
    std::string key;
    append_raw_id(key, n.master);
    put_str(z, out, key);
    put_str(z, out, n.lp);
  }
  append_length(out, s.length());
  append_length(out, s.last_id().ms);
  append_length(out, s.last_id().seq);
  append_length(out, s.first_id().ms);
  append_length(out, s.first_id().seq);
  append_length(out, s.max_deleted_id().ms);
  append_length(out, s.max_deleted_id().seq);
  append_length(out, s.entries_added());
  append_length(out, s.groups().size());
  for (const auto& [name, g] : s.groups()) {
    put_str(z, out, name);
    append_length(out, g->last_id.ms);
    append_length(out, g->last_id.seq);
    append_length(out, static_cast<uint64_t>(g->entries_read));
    append_length(out, g->pel.size());
    for (const auto& [id, nack] : g->pel) {
      append_raw_id(out, id);
      append_le(out, static_cast<uint64_t>(nack.delivery_time), 8);
      append_length(out, nack.delivery_count);
    }
    append_length(out, g->consumers.size());
    for (const auto& [cname, c] : g->consumers) {
      put_str(z, out, cname);
      append_le(out, static_cast<uint64_t>(c->seen_time), 8);
      append_length(out, c->pel.size());
      for (const auto& p : c->pel) append_raw_id(out, p.first);
    }
  }
}

// --- container parsers --------------------------------------------------------------------

// One element of a listpack / ziplist / intset / zipmap.
struct Elem {
  bool is_int = false;
  int64_t i = 0;
  std::string_view s;
  std::string str() const { return is_int ? std::to_string(i) : std::string(s); }
};

uint64_t get_le(std::string_view s, size_t at, int n) {
  uint64_t v = 0;
  for (int k = 0; k < n; ++k)
    v |= static_cast<uint64_t>(static_cast<uint8_t>(s[at + k])) << (8 * k);
  return v;
}

int64_t sign_extend(uint64_t v, int bits) {
  uint64_t m = 1ULL << (bits - 1);
  v &= bits == 64 ? ~0ULL : (1ULL << bits) - 1;
  return static_cast<int64_t>((v ^ m) - m);
}

// listpack.c's format, validated entirely (header size and count, entry encodings, back-
// lengths, terminator).
bool parse_listpack(std::string_view lp, std::vector<Elem>* out) {
  out->clear();
  if (lp.size() < 7 || get_le(lp, 0, 4) != lp.size()) return false;
  uint64_t declared = get_le(lp, 4, 2);
  size_t p = 6, end = lp.size() - 1;
  if (static_cast<uint8_t>(lp[end]) != 0xFF) return false;
  while (p < end) {
    uint8_t b = static_cast<uint8_t>(lp[p]);
    Elem e;
    size_t hdr = 1, data = 0;
    if ((b & 0x80) == 0) {
      e.is_int = true, e.i = b & 0x7f;
    } else if ((b & 0xC0) == 0x80) {
      data = b & 0x3f;
    } else if ((b & 0xE0) == 0xC0) {
      if (p + 2 > end) return false;
      e.is_int = true;
      e.i =
          sign_extend((static_cast<uint64_t>(b & 0x1f) << 8) | static_cast<uint8_t>(lp[p + 1]), 13);
      hdr = 2;
    } else if ((b & 0xF0) == 0xE0) {
      if (p + 2 > end) return false;
      data = (static_cast<size_t>(b & 0x0f) << 8) | static_cast<uint8_t>(lp[p + 1]);
      hdr = 2;
    } else if (b == 0xF0) {
      if (p + 5 > end) return false;
      data = get_le(lp, p + 1, 4);
      hdr = 5;
    } else if (b >= 0xF1 && b <= 0xF4) {
      int n = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
      if (p + 1 + n > end) return false;
      e.is_int = true;
      e.i = sign_extend(get_le(lp, p + 1, n), n * 8);
      hdr = 1 + n;
    } else {
      return false;  // 0xF5..0xFE are unused; 0xFF only terminates
    }
    if (data > end - p - hdr) return false;
    if (!e.is_int) e.s = lp.substr(p + hdr, data);
    size_t len = hdr + data;
    size_t bl = lp_backlen_size(len);
    if (bl > end - p - len) return false;
    std::string expect;
    lp_backlen(expect, len);
    if (lp.substr(p + len, bl) != expect) return false;
    p += len + bl;
    out->push_back(e);
  }
  return declared == 65535 || declared == out->size();
}

// ziplist.c's format (Redis < 7), validated: header, prevlen chain, encodings, terminator.
bool parse_ziplist(std::string_view zl, std::vector<Elem>* out) {
  out->clear();
  if (zl.size() < 11 || get_le(zl, 0, 4) != zl.size()) return false;
  uint64_t tail = get_le(zl, 4, 4);
  uint64_t declared = get_le(zl, 8, 2);
  size_t p = 10, end = zl.size() - 1, prev_size = 0, last = 10;
  if (static_cast<uint8_t>(zl[end]) != 0xFF) return false;
  while (p < end) {
    size_t start = p;
    uint8_t b = static_cast<uint8_t>(zl[p]);
    size_t prevlen;
    if (b < 254) {
      prevlen = b;
      p += 1;
    } else if (b == 254) {
      if (p + 5 > end) return false;
      prevlen = get_le(zl, p + 1, 4);
      p += 5;
    } else {
      return false;
    }
    if (prevlen != prev_size) return false;
    if (p >= end) return false;
    b = static_cast<uint8_t>(zl[p]);
    Elem e;
    size_t data = 0;
    switch (b >> 6) {
      case 0:
        data = b & 0x3f;
        p += 1;
        break;
      case 1:
        if (p + 2 > end) return false;
        data = (static_cast<size_t>(b & 0x3f) << 8) | static_cast<uint8_t>(zl[p + 1]);
        p += 2;
        break;
      case 2:
        if (b != 0x80 || p + 5 > end) return false;
        data = 0;
        for (int k = 1; k <= 4; ++k) data = (data << 8) | static_cast<uint8_t>(zl[p + k]);
        p += 5;
        break;
      default: {
        int n = b == 0xC0 ? 2 : b == 0xD0 ? 4 : b == 0xE0 ? 8 : b == 0xF0 ? 3 : b == 0xFE ? 1 : 0;
        e.is_int = true;
        p += 1;
        if (n == 0) {
          if (b < 0xF1 || b > 0xFD) return false;
          e.i = (b & 0x0f) - 1;
        } else {
          if (p + n > end) return false;
          e.i = sign_extend(get_le(zl, p, n), n * 8);
          p += n;
        }
      }
    }
    if (!e.is_int) {
      if (data > end - p) return false;
      e.s = zl.substr(p, data);
      p += data;
    }
    prev_size = p - start;
    last = start;
    out->push_back(e);
  }
  if (!out->empty() && tail != last) return false;
  if (out->empty() && tail != 10) return false;
  return declared == 65535 || declared == out->size();
}

// intset.c: encoding (2, 4 or 8), length, then the sorted distinct values, little-endian.
bool parse_intset(std::string_view is, std::vector<Elem>* out) {
  out->clear();
  if (is.size() < 8) return false;
  uint64_t enc = get_le(is, 0, 4), n = get_le(is, 4, 4);
  if (enc != 2 && enc != 4 && enc != 8) return false;
  if (n * enc != is.size() - 8) return false;
  for (uint64_t k = 0; k < n; ++k) {
    Elem e;
    e.is_int = true;
    e.i = sign_extend(get_le(is, 8 + k * enc, static_cast<int>(enc)), static_cast<int>(enc) * 8);
    if (!out->empty() && e.i <= out->back().i) return false;
    out->push_back(e);
  }
  return true;
}

// zipmap.c (Redis < 2.6 hashes): count byte, then (key len, key, value len, free, value,
// free bytes) until 0xFF.
bool parse_zipmap(std::string_view zm, std::vector<Elem>* out) {
  out->clear();
  if (zm.size() < 2) return false;
  size_t p = 1, end = zm.size() - 1;
  if (static_cast<uint8_t>(zm[end]) != 0xFF) return false;
  auto len = [&](size_t* l) {
    if (p >= end) return false;
    uint8_t b = static_cast<uint8_t>(zm[p]);
    if (b < 254) {
      *l = b;
      p += 1;
      return true;
    }
    if (b != 254 || p + 5 > end) return false;
    *l = get_le(zm, p + 1, 4);
    p += 5;
    return true;
  };
  while (p < end) {
    size_t kl, vl;
    if (!len(&kl) || kl > end - p) return false;
    Elem k;
    k.s = zm.substr(p, kl);
    p += kl;
    if (!len(&vl) || p >= end) return false;
    size_t free = static_cast<uint8_t>(zm[p++]);
    if (vl > end - p || free > end - p - vl) return false;
    Elem v;
    v.s = zm.substr(p, vl);
    p += vl + free;
    out->push_back(k);
    out->push_back(v);
  }
  return p == end;
}

// --- building values -------------------------------------------------------------------

struct ObjDeleter {
  void operator()(Object* o) const { delete o; }
};

Entry* heap_entry(std::string_view key, Type t, Encoding enc, Object* o, int64_t expire_ms) {
  return Entry::make_heap(key, t, enc, o, expire_ms >= 0, expire_ms);
}

bool parse_score(std::string_view s, double* out) {
  if (s.empty() || s.size() > 128) return false;
  char buf[130];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  char* end;
  double d = std::strtod(buf, &end);
  if (end != buf + s.size() || std::isnan(d)) return false;
  *out = d;
  return true;
}

bool elem_score(const Elem& e, double* out) {
  if (e.is_int) {
    *out = static_cast<double>(e.i);
    return true;
  }
  return parse_score(e.s, out);
}

class Builder {
 public:
  Builder(Reader& in, std::string_view key, int64_t expire_ms, const ValueLimits& lim, int64_t now)
      : in_(in), key_(key), expire_(expire_ms), lim_(lim), now_(now) {}

  Entry* build(uint8_t type) {
    switch (type) {
      case kTypeString: {
        std::string s;
        if (!in_.string(&s)) return nullptr;
        return Entry::make_string(key_, s, expire_ >= 0, expire_);
      }
      case kTypeList:
        return plain_list();
      case kTypeListZiplist:
      case kTypeListQuicklist:
      case kTypeListQuicklist2:
        return packed_list(type);
      case kTypeSet:
      case kTypeSetIntset:
      case kTypeSetListpack:
        return set(type);
      case kTypeZSet:
      case kTypeZSet2:
      case kTypeZSetZiplist:
      case kTypeZSetListpack:
        return zset(type);
      case kTypeHash:
      case kTypeHashZipmap:
      case kTypeHashZiplist:
      case kTypeHashListpack:
        return hash(type);
      case kTypeStreamListpacks:
      case kTypeStreamListpacks2:
      case kTypeStreamListpacks3:
        return stream(type);
      default:
        return nullptr;  // modules (6, 7) and unknown types
    }
  }

 private:
  // A count of elements that each take at least `min_bytes` of the remaining input.
  bool count(uint64_t* n, size_t min_bytes = 1) {
    return in_.length(n) && *n <= in_.remaining() / min_bytes;
  }
  // A string holding a compact container, parsed with parse.
  template <class Parse>
  bool container(Parse parse, std::string* buf, std::vector<Elem>* out) {
    return in_.string(buf) && parse(*buf, out);
  }

  Entry* plain_list() {
    uint64_t n;
    if (!count(&n) || n == 0) return nullptr;
    std::unique_ptr<QueueList, ObjDeleter> l(new QueueList(lim_.list));
    std::string s;
    for (uint64_t k = 0; k < n; ++k) {
      if (!in_.string(&s)) return nullptr;
      l->push_back(s);
    }
    return heap_entry(key_, Type::List, Encoding::QuickList, l.release(), expire_);
  }

  Entry* packed_list(uint8_t type) {
    std::unique_ptr<QueueList, ObjDeleter> l(new QueueList(lim_.list));
    std::string buf;
    std::vector<Elem> el;
    auto add_all = [&] {
      for (const Elem& e : el) {
        if (e.is_int)
          l->push_back(std::to_string(e.i));
        else
          l->push_back(e.s);
      }
    };
    if (type == kTypeListZiplist) {
      if (!container(parse_ziplist, &buf, &el)) return nullptr;
      add_all();
    } else {
      uint64_t nodes;
      if (!count(&nodes)) return nullptr;
      for (uint64_t k = 0; k < nodes; ++k) {
        uint64_t kind = 2;  // quicklist2: 1 plain, 2 packed (a listpack)
        if (type == kTypeListQuicklist2 && (!in_.length(&kind) || (kind != 1 && kind != 2)))
          return nullptr;
        if (kind == 1) {
          if (!in_.string(&buf)) return nullptr;
          l->push_back(buf);
          continue;
        }
        bool ok = type == kTypeListQuicklist ? container(parse_ziplist, &buf, &el)
                                             : container(parse_listpack, &buf, &el);
        if (!ok) return nullptr;
        add_all();  // an empty node is skipped, as Redis does
      }
    }
    if (l->empty()) return nullptr;
    return heap_entry(key_, Type::List, Encoding::QuickList, l.release(), expire_);
  }

  Entry* set(uint8_t type) {
    std::vector<std::string> members;
    std::string buf;
    std::vector<Elem> el;
    if (type == kTypeSet) {
      uint64_t n;
      if (!count(&n)) return nullptr;
      for (uint64_t k = 0; k < n; ++k) {
        if (!in_.string(&buf)) return nullptr;
        members.push_back(buf);
      }
    } else {
      if (!container(type == kTypeSetIntset ? parse_intset : parse_listpack, &buf, &el))
        return nullptr;
      for (const Elem& e : el) members.push_back(e.str());
    }
    if (members.empty()) return nullptr;
    std::unique_ptr<SetObject, ObjDeleter> s(
        SetObject::create(members[0], members.size(), lim_.set));
    for (const auto& m : members)
      if (!s->add(m)) return nullptr;  // duplicate member
    Encoding enc = s->encoding() == SetObject::Enc::IntSet     ? Encoding::IntSet
                   : s->encoding() == SetObject::Enc::ListPack ? Encoding::ListPack
                                                               : Encoding::HashTable;
    return heap_entry(key_, Type::Set, enc, s.release(), expire_);
  }

  // The old text double (type 3): a length byte (253 nan, 254 +inf, 255 -inf) then ASCII.
  bool text_double(double* out) {
    uint8_t len;
    if (!in_.byte(&len)) return false;
    if (len == 253) return false;  // NaN scores are refused
    if (len == 254 || len == 255) {
      *out = len == 254 ? INFINITY : -INFINITY;
      return true;
    }
    std::string_view s;
    return in_.raw(len, &s) && parse_score(s, out);
  }

  Entry* zset(uint8_t type) {
    std::vector<std::pair<std::string, double>> items;
    if (type == kTypeZSet || type == kTypeZSet2) {
      uint64_t n;
      if (!count(&n, 2)) return nullptr;
      std::string m;
      for (uint64_t k = 0; k < n; ++k) {
        double d;
        if (!in_.string(&m)) return nullptr;
        if (type == kTypeZSet2) {
          uint64_t bits;
          if (!in_.le(8, &bits)) return nullptr;
          std::memcpy(&d, &bits, 8);
          if (std::isnan(d)) return nullptr;
        } else if (!text_double(&d)) {
          return nullptr;
        }
        items.emplace_back(m, d);
      }
    } else {
      std::string buf;
      std::vector<Elem> el;
      if (!container(type == kTypeZSetZiplist ? parse_ziplist : parse_listpack, &buf, &el) ||
          el.size() % 2)
        return nullptr;
      for (size_t k = 0; k < el.size(); k += 2) {
        double d;
        if (!elem_score(el[k + 1], &d)) return nullptr;
        items.emplace_back(el[k].str(), d);
      }
    }
    if (items.empty()) return nullptr;
    size_t max_len = 0;
    for (auto& it : items) max_len = std::max(max_len, it.first.size());
    std::unique_ptr<ZSetObject, ObjDeleter> z(new ZSetObject(lim_.zset, items.size(), max_len));
    for (auto& [m, d] : items) {
      double old;
      if (z->score(m, &old)) return nullptr;  // duplicate member
      z->insert(m, d);
    }
    Encoding enc = z->packed() ? Encoding::ListPack : Encoding::SkipList;
    return heap_entry(key_, Type::ZSet, enc, z.release(), expire_);
  }

  Entry* hash(uint8_t type) {
    std::vector<std::pair<std::string, std::string>> pairs;
    if (type == kTypeHash) {
      uint64_t n;
      if (!count(&n, 2)) return nullptr;
      std::string f, v;
      for (uint64_t k = 0; k < n; ++k) {
        if (!in_.string(&f) || !in_.string(&v)) return nullptr;
        pairs.emplace_back(f, v);
      }
    } else {
      std::string buf;
      std::vector<Elem> el;
      bool ok = type == kTypeHashZipmap    ? container(parse_zipmap, &buf, &el)
                : type == kTypeHashZiplist ? container(parse_ziplist, &buf, &el)
                                           : container(parse_listpack, &buf, &el);
      if (!ok || el.size() % 2) return nullptr;
      for (size_t k = 0; k < el.size(); k += 2) pairs.emplace_back(el[k].str(), el[k + 1].str());
    }
    if (pairs.empty()) return nullptr;
    std::unique_ptr<HashObject, ObjDeleter> h(new HashObject);
    if (pairs.size() > lim_.hash.max_listpack_entries) h->convert_to_table();
    for (auto& [f, v] : pairs)
      if (!h->set(f, v, lim_.hash)) return nullptr;  // duplicate field
    Encoding enc = h->compact() ? Encoding::ListPack : Encoding::HashTable;
    return heap_entry(key_, Type::Hash, enc, h.release(), expire_);
  }

  bool raw_id(StreamID* id) {
    std::string_view r;
    if (!in_.raw(16, &r)) return false;
    id->ms = id->seq = 0;
    for (int k = 0; k < 8; ++k) id->ms = (id->ms << 8) | static_cast<uint8_t>(r[k]);
    for (int k = 8; k < 16; ++k) id->seq = (id->seq << 8) | static_cast<uint8_t>(r[k]);
    return true;
  }
  bool len_id(StreamID* id) { return in_.length(&id->ms) && in_.length(&id->seq); }
  bool ms_time(int64_t* t) {
    uint64_t v;
    if (!in_.le(8, &v)) return false;
    *t = static_cast<int64_t>(v);
    return true;
  }

  // One stream node: the master entry, then entries (tombstones skipped), each checked
  // against the node's own counts.
  bool stream_node(StreamObject* s, StreamID master, const std::vector<Elem>& el,
                   uint64_t* live_total) {
    size_t p = 0;
    auto next_int = [&](int64_t* v) {
      if (p >= el.size() || !el[p].is_int) return false;
      *v = el[p++].i;
      return true;
    };
    int64_t live, deleted, nmaster;
    if (!next_int(&live) || !next_int(&deleted) || !next_int(&nmaster) || nmaster < 0 ||
        static_cast<size_t>(nmaster) > el.size() - p)
      return false;
    size_t master_at = p;
    p += static_cast<size_t>(nmaster);
    int64_t zero;
    if (!next_int(&zero) || zero != 0) return false;
    int64_t seen_live = 0, seen_deleted = 0;
    std::vector<std::string> fv;
    std::vector<std::string_view> views;
    while (p < el.size()) {
      int64_t flags, dms, dseq, nf;
      if (!next_int(&flags) || !next_int(&dms) || !next_int(&dseq)) return false;
      bool same = flags & kFlagSameFields;
      if (same) {
        nf = nmaster;
      } else if (!next_int(&nf) || nf < 0) {
        return false;
      }
      size_t need = static_cast<size_t>(nf) * (same ? 1 : 2);
      if (static_cast<size_t>(nf) > el.size() || need > el.size() - p) return false;
      fv.clear();
      for (int64_t k = 0; k < nf; ++k) {
        fv.push_back(same ? el[master_at + k].str() : el[p++].str());
        fv.push_back(el[p++].str());
      }
      int64_t lpcount;
      if (!next_int(&lpcount) || lpcount != static_cast<int64_t>(same ? need + 3 : need + 4))
        return false;
      StreamID id{master.ms + static_cast<uint64_t>(dms), master.seq + static_cast<uint64_t>(dseq)};
      if (flags & kFlagDeleted) {
        ++seen_deleted;
        continue;
      }
      ++seen_live;
      if (nf == 0) return false;
      views.assign(fv.begin(), fv.end());
      StreamID added;
      if (s->add(StreamIdMode::Explicit, id, now_, views, lim_.stream, &added) != Status::Ok)
        return false;  // IDs out of order, or an entry too large
    }
    if (seen_live != live || seen_deleted != deleted || seen_live + seen_deleted == 0) return false;
    *live_total += static_cast<uint64_t>(live);
    return true;
  }

  Entry* stream(uint8_t type) {
    std::unique_ptr<StreamObject, ObjDeleter> s(new StreamObject);
    uint64_t nodes, live = 0;
    if (!count(&nodes, 2)) return nullptr;
    std::string key, lp;
    std::vector<Elem> el;
    for (uint64_t k = 0; k < nodes; ++k) {
      if (!in_.string(&key) || key.size() != 16) return nullptr;
      if (!in_.string(&lp) || !parse_listpack(lp, &el) || el.empty()) return nullptr;
      StreamID master;
      for (int b = 0; b < 8; ++b) master.ms = (master.ms << 8) | static_cast<uint8_t>(key[b]);
      for (int b = 8; b < 16; ++b) master.seq = (master.seq << 8) | static_cast<uint8_t>(key[b]);
      if (!stream_node(s.get(), master, el, &live)) return nullptr;
    }
    uint64_t length;
    StreamID last, first, max_deleted;
    uint64_t added = 0;
    if (!in_.length(&length) || length != live || !len_id(&last)) return nullptr;
    StreamID last_entry;
    if (s->last_entry_id(&last_entry) && last < last_entry) return nullptr;
    if (type >= kTypeStreamListpacks2) {
      if (!len_id(&first) || !len_id(&max_deleted) || !in_.length(&added)) return nullptr;
    } else {
      added = length;
    }
    s->set_last_id(last);
    s->set_entries_added(added);
    s->set_max_deleted_id(max_deleted);
    uint64_t ngroups;
    if (!count(&ngroups, 4)) return nullptr;
    std::string name;
    for (uint64_t g = 0; g < ngroups; ++g) {
      StreamID glast;
      if (!in_.string(&name) || !len_id(&glast)) return nullptr;
      int64_t entries_read;
      if (type >= kTypeStreamListpacks2) {
        uint64_t er;
        if (!in_.length(&er)) return nullptr;
        entries_read = static_cast<int64_t>(er);
      } else {
        entries_read = s->estimate_distance(glast);
      }
      StreamGroup* grp = s->create_group(name, glast, entries_read);
      if (!grp) return nullptr;  // duplicate group
      uint64_t npel;
      if (!count(&npel, 17)) return nullptr;
      for (uint64_t k = 0; k < npel; ++k) {
        StreamID id;
        StreamNack n;
        if (!raw_id(&id) || !ms_time(&n.delivery_time) || !in_.length(&n.delivery_count))
          return nullptr;
        if (!grp->pel.emplace(id, n).second) return nullptr;
      }
      uint64_t nconsumers;
      if (!count(&nconsumers, 10)) return nullptr;
      for (uint64_t k = 0; k < nconsumers; ++k) {
        if (!in_.string(&name)) return nullptr;
        StreamConsumer* c = grp->create_consumer(name, now_);
        if (!c || !ms_time(&c->seen_time)) return nullptr;
        c->active_time = c->seen_time;  // Redis 7.2's estimate for the older layouts
        if (type >= kTypeStreamListpacks3 && !ms_time(&c->active_time)) return nullptr;
        uint64_t cpel;
        if (!count(&cpel, 16)) return nullptr;
        for (uint64_t j = 0; j < cpel; ++j) {
          StreamID id;
          if (!raw_id(&id)) return nullptr;
          auto it = grp->pel.find(id);
          if (it == grp->pel.end() || it->second.consumer) return nullptr;
          it->second.consumer = c;
          c->pel.emplace(id, &it->second);
        }
      }
      for (const auto& [id, n] : grp->pel)
        if (!n.consumer) return nullptr;  // a pending entry nobody owns
    }
    return heap_entry(key_, Type::Stream, Encoding::Stream, s.release(), expire_);
  }

  Reader& in_;
  std::string_view key_;
  int64_t expire_;
  const ValueLimits& lim_;
  int64_t now_;
};

}  // namespace

bool is_object_type(uint8_t t) { return t <= 7 || (t >= 9 && t <= 21); }

void write_object(const Entry& e, std::string& out, bool z) {
  switch (e.type()) {
    case Type::String: {
      out.push_back(static_cast<char>(kTypeString));
      if (e.is_int()) return append_int_string(out, e.int_value());
      char buf[24];
      put_str(z, out, e.string_value(buf));
      return;
    }
    case Type::List: {
      auto* l = static_cast<const QueueList*>(e.object());
      out.push_back(static_cast<char>(kTypeList));
      append_length(out, l->size());
      if (l->size()) l->range(0, l->size() - 1, [&](std::string_view v) { put_str(z, out, v); });
      return;
    }
    case Type::Set: {
      auto* s = static_cast<const SetObject*>(e.object());
      out.push_back(static_cast<char>(kTypeSet));
      append_length(out, s->size());
      s->for_each([&](std::string_view m) { put_str(z, out, m); });
      return;
    }
    case Type::ZSet: {
      auto* z = static_cast<const ZSetObject*>(e.object());
      out.push_back(static_cast<char>(kTypeZSet2));
      append_length(out, z->size());
      z->for_range(0, z->size(), false, [&](std::string_view m, double score) {
        put_str(z, out, m);
        uint64_t bits;
        std::memcpy(&bits, &score, 8);
        append_le(out, bits, 8);
      });
      return;
    }
    case Type::Hash: {
      auto* h = static_cast<const HashObject*>(e.object());
      out.push_back(static_cast<char>(kTypeHash));
      append_length(out, h->size());
      h->for_each([&](std::string_view f, std::string_view v) {
        put_str(z, out, f);
        put_str(z, out, v);
      });
      return;
    }
    case Type::Stream:
      out.push_back(static_cast<char>(kTypeStreamListpacks2));
      write_stream(*static_cast<const StreamObject*>(e.object()), out, z);
      return;
  }
}

std::string dump_payload(const Entry& e, bool compress) {
  std::string out;
  write_object(e, out, compress);
  append_footer(out);
  return out;
}

Entry* read_object(Reader& in, uint8_t type, std::string_view key, int64_t expire_ms,
                   const ValueLimits& limits, int64_t now_ms) {
  return Builder(in, key, expire_ms, limits, now_ms).build(type);
}

Entry* restore_payload(std::string_view payload, std::string_view key, int64_t expire_ms,
                       const ValueLimits& limits, int64_t now_ms, RestoreStatus* status) {
  if (!verify_footer(payload)) {
    *status = RestoreStatus::BadFooter;
    return nullptr;
  }
  // As Redis's restoreCommand, the object is read from the whole payload: a lying length
  // may reach into the footer's bytes (Redis then restores them as data), never past them.
  Reader in(payload);
  uint8_t type;
  Entry* e = nullptr;
  if (in.byte(&type) && is_object_type(type))
    e = read_object(in, type, key, expire_ms, limits, now_ms);
  *status = e ? RestoreStatus::Ok : RestoreStatus::BadData;
  return e;
}

}  // namespace dq::storage::rdb
