// RDB objects: round trips of every dq type and encoding through DUMP payloads, the older
// encodings Redis wrote (zipmap, ziplist, intset, quicklist v1/v2, type 3 zsets, 7.2's set
// listpack, stream layouts 1..3) built by hand here, and untrusted input: every truncation
// point and every single-byte corruption of a payload fails cleanly or yields a valid value.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "storage/rdb_value.h"

using namespace dq::storage;
using namespace dq::storage::rdb;

namespace {

const ValueLimits kLimits{};

std::string describe(const Entry* e) {
  std::vector<std::string> items;
  std::string head;
  char buf[24];
  switch (e->type()) {
    case Type::String:
      return "string:" + std::string(e->string_value(buf));
    case Type::List: {
      auto* l = static_cast<const QueueList*>(e->object());
      std::string out = "list:";
      l->range(0, l->size() - 1, [&](std::string_view v) { out += std::string(v) + ","; });
      return out;
    }
    case Type::Set:
      static_cast<const SetObject*>(e->object())->for_each([&](std::string_view m) {
        items.emplace_back(m);
      });
      head = "set:";
      break;
    case Type::Hash:
      static_cast<const HashObject*>(e->object())
          ->for_each([&](std::string_view f, std::string_view v) {
            items.push_back(std::string(f) + "=" + std::string(v));
          });
      head = "hash:";
      break;
    case Type::ZSet: {
      auto* z = static_cast<const ZSetObject*>(e->object());
      std::string out = "zset:";
      z->for_range(0, z->size(), false, [&](std::string_view m, double s) {
        out += std::string(m) + "=" + std::to_string(s) + ",";
      });
      return out;
    }
    case Type::Stream: {
      auto* s = static_cast<const StreamObject*>(e->object());
      std::string out = "stream:" + std::to_string(s->length()) + ":";
      StreamIterator it(*s, StreamID{}, StreamID::max(), false);
      StreamEntry se;
      while (it.next(&se)) {
        out += std::to_string(se.id.ms) + "-" + std::to_string(se.id.seq) + "{";
        se.for_each([&](std::string_view f, std::string_view v) {
          out += std::string(f) + "=" + std::string(v) + ";";
        });
        out += "}";
      }
      out += "last=" + std::to_string(s->last_id().ms) + "-" + std::to_string(s->last_id().seq);
      out += " added=" + std::to_string(s->entries_added());
      out += " maxdel=" + std::to_string(s->max_deleted_id().ms) + "-" +
             std::to_string(s->max_deleted_id().seq);
      for (const auto& [name, g] : s->groups()) {
        out += " group " + name + " last=" + std::to_string(g->last_id.ms) + "-" +
               std::to_string(g->last_id.seq) + " read=" + std::to_string(g->entries_read);
        for (const auto& [id, n] : g->pel)
          out += " pel " + std::to_string(id.ms) + "-" + std::to_string(id.seq) + "@" +
                 n.consumer->name + "/" + std::to_string(n.delivery_count) + "/" +
                 std::to_string(n.delivery_time);
        for (const auto& [cn, c] : g->consumers)
          out += " consumer " + cn + " seen=" + std::to_string(c->seen_time) +
                 " active=" + std::to_string(c->active_time) +
                 " pending=" + std::to_string(c->pel.size());
      }
      return out;
    }
  }
  std::sort(items.begin(), items.end());
  for (auto& i : items) head += i + ",";
  return head;
}

// Restores payload (asserting success) and returns its description.
std::string restored(const std::string& payload) {
  RestoreStatus st;
  Entry* e = restore_payload(payload, "k", -1, kLimits, 1000, &st);
  REQUIRE(st == RestoreStatus::Ok);
  REQUIRE(e);
  std::string d = describe(e);
  Entry::destroy(e);
  return d;
}

// A payload from a type byte and an object body.
std::string payload(uint8_t type, const std::string& body) {
  std::string p(1, static_cast<char>(type));
  p += body;
  append_footer(p);
  return p;
}

// Every prefix of the object (without footer) must fail; every single-byte corruption (footer
// recomputed) must fail or produce a value that describes and frees cleanly.
void fuzz_object(const std::string& obj) {
  for (size_t cut = 1; cut < obj.size(); ++cut) {
    Reader in(std::string_view(obj).substr(1, cut - 1));
    Entry* e = read_object(in, static_cast<uint8_t>(obj[0]), "k", -1, kLimits, 0);
    CHECK_MESSAGE(e == nullptr, "cut at ", cut);
    if (e) Entry::destroy(e);
  }
  for (size_t i = 0; i < obj.size(); ++i) {
    for (int flip : {1, 0x80, 0xFF}) {
      std::string bad = obj;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      append_footer(bad);
      RestoreStatus st;
      Entry* e = restore_payload(bad, "k", -1, kLimits, 0, &st);
      if (e) {
        (void)describe(e);
        Entry::destroy(e);
      }
    }
  }
}

Entry* heap(Type t, Encoding enc, Object* o) { return Entry::make_heap("k", t, enc, o, false, -1); }

void roundtrip(Entry* e) {
  std::string p = dump_payload(*e);
  CHECK(p[p.size() - 10] == 11);
  CHECK(restored(p) == describe(e));
  fuzz_object(p.substr(0, p.size() - 10));
  Entry::destroy(e);
}

// --- hand-made containers (the encoders Redis used) ------------------------------------

void le(std::string& s, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

struct Item {
  bool is_int;
  int64_t i;
  std::string s;
  Item(int v) : is_int(true), i(v) {}                            // NOLINT
  Item(long long v) : is_int(true), i(v) {}                      // NOLINT
  Item(const char* v) : is_int(false), i(0), s(v) {}             // NOLINT
  Item(std::string v) : is_int(false), i(0), s(std::move(v)) {}  // NOLINT
};

std::string ziplist(const std::vector<Item>& items) {
  std::string body;
  size_t prev = 0, last = 10;
  for (const Item& it : items) {
    std::string e;
    if (prev < 254) {
      e.push_back(static_cast<char>(prev));
    } else {
      e.push_back(static_cast<char>(254));
      le(e, prev, 4);
    }
    if (!it.is_int) {
      if (it.s.size() < 64) {
        e.push_back(static_cast<char>(it.s.size()));
      } else {
        e.push_back(static_cast<char>(0x40 | (it.s.size() >> 8)));
        e.push_back(static_cast<char>(it.s.size() & 0xff));
      }
      e += it.s;
    } else if (it.i >= 0 && it.i <= 12) {
      e.push_back(static_cast<char>(0xF1 + it.i));
    } else if (it.i >= INT8_MIN && it.i <= INT8_MAX) {
      e.push_back(static_cast<char>(0xFE));
      le(e, static_cast<uint64_t>(it.i), 1);
    } else if (it.i >= INT16_MIN && it.i <= INT16_MAX) {
      e.push_back(static_cast<char>(0xC0));
      le(e, static_cast<uint64_t>(it.i), 2);
    } else if (it.i >= -(1 << 23) && it.i < (1 << 23)) {
      e.push_back(static_cast<char>(0xF0));
      le(e, static_cast<uint64_t>(it.i), 3);
    } else if (it.i >= INT32_MIN && it.i <= INT32_MAX) {
      e.push_back(static_cast<char>(0xD0));
      le(e, static_cast<uint64_t>(it.i), 4);
    } else {
      e.push_back(static_cast<char>(0xE0));
      le(e, static_cast<uint64_t>(it.i), 8);
    }
    last = 10 + body.size();
    prev = e.size();
    body += e;
  }
  std::string zl;
  le(zl, 10 + body.size() + 1, 4);
  le(zl, last, 4);
  le(zl, items.size(), 2);
  return zl + body + "\xFF";
}

void lp_backlen(std::string& out, size_t l) {
  if (l <= 127) {
    out.push_back(static_cast<char>(l));
  } else {
    out.push_back(static_cast<char>(l >> 7));
    out.push_back(static_cast<char>((l & 127) | 128));
  }
}

std::string listpack(const std::vector<Item>& items) {
  std::string body;
  for (const Item& it : items) {
    std::string e;
    if (!it.is_int) {
      if (it.s.size() < 64) {
        e.push_back(static_cast<char>(0x80 | it.s.size()));
      } else {
        e.push_back(static_cast<char>(0xE0 | (it.s.size() >> 8)));
        e.push_back(static_cast<char>(it.s.size() & 0xff));
      }
      e += it.s;
    } else if (it.i >= 0 && it.i <= 127) {
      e.push_back(static_cast<char>(it.i));
    } else if (it.i >= -4096 && it.i <= 4095) {
      uint64_t u = it.i < 0 ? static_cast<uint64_t>(8192 + it.i) : static_cast<uint64_t>(it.i);
      e.push_back(static_cast<char>(0xC0 | (u >> 8)));
      e.push_back(static_cast<char>(u & 0xff));
    } else if (it.i >= INT16_MIN && it.i <= INT16_MAX) {
      e.push_back(static_cast<char>(0xF1));
      le(e, static_cast<uint64_t>(it.i), 2);
    } else if (it.i >= -(1 << 23) && it.i < (1 << 23)) {
      e.push_back(static_cast<char>(0xF2));
      le(e, static_cast<uint64_t>(it.i), 3);
    } else if (it.i >= INT32_MIN && it.i <= INT32_MAX) {
      e.push_back(static_cast<char>(0xF3));
      le(e, static_cast<uint64_t>(it.i), 4);
    } else {
      e.push_back(static_cast<char>(0xF4));
      le(e, static_cast<uint64_t>(it.i), 8);
    }
    size_t l = e.size();
    lp_backlen(e, l);
    body += e;
  }
  std::string lp;
  le(lp, 6 + body.size() + 1, 4);
  le(lp, items.size(), 2);
  return lp + body + "\xFF";
}

std::string intset(int width, const std::vector<int64_t>& v) {
  std::string s;
  le(s, static_cast<uint64_t>(width), 4);
  le(s, v.size(), 4);
  for (int64_t x : v) le(s, static_cast<uint64_t>(x), width);
  return s;
}

std::string zipmap(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string s(1, static_cast<char>(kv.size()));
  for (const auto& [k, v] : kv) {
    s.push_back(static_cast<char>(k.size()));
    s += k;
    s.push_back(static_cast<char>(v.size()));
    s.push_back(2);  // free bytes after the value
    s += v + "..";
  }
  return s + "\xFF";
}

std::string str(const std::string& s) {
  std::string out;
  append_string(out, s);
  return out;
}
std::string len(uint64_t n) {
  std::string out;
  append_length(out, n);
  return out;
}
std::string raw_id(uint64_t ms, uint64_t seq) {
  std::string s;
  for (int i = 7; i >= 0; --i) s.push_back(static_cast<char>((ms >> (8 * i)) & 0xff));
  for (int i = 7; i >= 0; --i) s.push_back(static_cast<char>((seq >> (8 * i)) & 0xff));
  return s;
}

// A stream node as Redis writes it: master 1-1 with fields a,b; entries 1-1 {a,b} (same
// fields), 1-2 {c} (own fields), 2-0 deleted {a,b}.
std::string stream_node() {
  std::vector<Item> lp = {2, 1, 2,  "a", "b", 0,  2, 0, 0, "x", "y", 5,  // 1-1 same fields
                          0, 0, 1,  1,   "c", 42, 6,                     // 1-2 own fields
                          3, 1, -1, "p", "q", 5};                        // 2-0 deleted
  return str(raw_id(1, 1)) + str(listpack(lp));
}

std::string stream_groups(int type) {
  std::string s = len(1) + str("grp") + len(1) + len(2);  // last-delivered 1-2
  if (type >= kTypeStreamListpacks2) s += len(2);         // entries-read
  s += len(1) + raw_id(1, 2);
  le(s, 777, 8);  // delivery time
  s += len(3);    // delivery count
  s += len(1) + str("alice");
  le(s, 555, 8);  // seen time
  if (type >= kTypeStreamListpacks3) le(s, 444, 8);
  s += len(1) + raw_id(1, 2);
  return s;
}

std::string stream_object(int type) {
  std::string s = len(1) + stream_node() + len(2) + len(2) + len(0);  // length 2, last 2-0
  if (type >= kTypeStreamListpacks2) s += len(1) + len(1) + len(2) + len(0) + len(3);
  return s + stream_groups(type);
}

}  // namespace

TEST_CASE("rdb value: strings round trip (int, embstr, raw, binary, big)") {
  roundtrip(Entry::make_string("k", "12345", false, -1));
  roundtrip(Entry::make_string("k", "-9223372036854775808", false, -1));
  roundtrip(Entry::make_string("k", "-100", false, -1));
  roundtrip(Entry::make_string("k", "hello", false, -1));
  roundtrip(Entry::make_string("k", std::string(300, 'x'), false, -1));
  std::string bin;
  for (int i = 0; i < 256; ++i) bin.push_back(static_cast<char>(i));
  roundtrip(Entry::make_string("k", bin, false, -1));
  roundtrip(Entry::make_string("k", "", false, -1));
}

TEST_CASE("rdb value: lists, sets, hashes, zsets round trip in every encoding") {
  auto* l = new QueueList;
  for (int i = 0; i < 300; ++i) l->push_back("item" + std::to_string(i));
  roundtrip(heap(Type::List, Encoding::QuickList, l));
  auto* l2 = new QueueList;
  l2->push_back("1");
  l2->push_back(std::string(20000, 'z'));
  roundtrip(heap(Type::List, Encoding::QuickList, l2));

  for (const char* first : {"1", "a"}) {
    for (int n : {3, 200, 1000}) {
      auto* s = SetObject::create(first, 1, SetLimits{});
      for (int i = 0; i < n; ++i)
        s->add(first[0] == '1' ? std::to_string(i) : "m" + std::to_string(i));
      roundtrip(heap(Type::Set, Encoding::HashTable, s));
    }
  }
  for (int n : {3, 300}) {
    auto* h = new HashObject;
    for (int i = 0; i < n; ++i)
      h->set("f" + std::to_string(i), std::to_string(i * 7), HashLimits{});
    roundtrip(heap(Type::Hash, Encoding::ListPack, h));
  }
  for (int n : {3, 300}) {
    auto* z = new ZSetObject(ZSetLimits{}, 0, 0);
    for (int i = 0; i < n; ++i) z->insert("m" + std::to_string(i), i / 3.0 - 10);
    z->insert("inf", INFINITY);
    z->insert("-inf", -INFINITY);
    roundtrip(heap(Type::ZSet, Encoding::ListPack, z));
  }
}

TEST_CASE("rdb value: streams with groups, PEL, consumers and tombstones round trip") {
  auto* s = new StreamObject;
  StreamLimits lim;
  for (int i = 1; i <= 250; ++i) {
    std::string v = std::to_string(i);
    std::vector<std::string_view> fv = {"f", v, "g", "text"};
    if (i % 4 == 0) fv = {"other", v};
    StreamID added;
    REQUIRE(s->add(StreamIdMode::Explicit, StreamID{uint64_t(100 + i), uint64_t(i)}, 0, fv, lim,
                   &added) == Status::Ok);
  }
  StreamID del[] = {{101, 1}, {150, 50}};
  s->erase(del);
  StreamGroup* g = s->create_group("g1", StreamID{110, 10}, 10);
  StreamConsumer* c = g->create_consumer("alice", 5);
  g->deliver(StreamID{105, 5}, c, 7);
  g->deliver(StreamID{106, 6}, c, 8);
  g->create_consumer("bob", 9);
  s->create_group("g2", StreamID{}, kInvalidEntriesRead);
  Entry* e = heap(Type::Stream, Encoding::Stream, s);
  std::string p = dump_payload(*e);
  // Consumers' active time is not in type 19: it reads back as the seen time (Redis 7.2).
  c->active_time = c->seen_time;
  for (auto& [n, cons] : g->consumers) cons->active_time = cons->seen_time;
  CHECK(restored(p) == describe(e));
  Entry::destroy(e);

  auto* empty = new StreamObject;
  empty->set_last_id(StreamID{5, 5});
  roundtrip(heap(Type::Stream, Encoding::Stream, empty));
}

TEST_CASE("rdb value: encodings Redis wrote before 7 and after 7.0") {
  // 9: zipmap hash
  CHECK(restored(payload(kTypeHashZipmap, str(zipmap({{"a", "1"}, {"bb", "two"}})))) ==
        "hash:a=1,bb=two,");
  // 10: ziplist list, every integer width
  std::vector<Item> li = {"x", 0, 12, 13, -100, 3000, -70000, 100000000, 9000000000LL, "y"};
  CHECK(restored(payload(kTypeListZiplist, str(ziplist(li)))) ==
        "list:x,0,12,13,-100,3000,-70000,100000000,9000000000,y,");
  // 11: intset of each width
  CHECK(restored(payload(kTypeSetIntset, str(intset(2, {-5, 1, 300})))) == "set:-5,1,300,");
  CHECK(restored(payload(kTypeSetIntset, str(intset(4, {-70000, 70000})))) == "set:-70000,70000,");
  CHECK(restored(payload(kTypeSetIntset, str(intset(8, {5000000000LL})))) == "set:5000000000,");
  // 12: ziplist zset (scores as strings and integers)
  CHECK(restored(payload(kTypeZSetZiplist, str(ziplist({"a", "1.5", "b", 2})))) ==
        "zset:a=1.500000,b=2.000000,");
  // 13: ziplist hash
  CHECK(restored(payload(kTypeHashZiplist, str(ziplist({"f", "v", "n", 7})))) == "hash:f=v,n=7,");
  // 14: quicklist of ziplists
  CHECK(restored(payload(kTypeListQuicklist,
                         len(2) + str(ziplist({"a", 1})) + str(ziplist({"b"})))) == "list:a,1,b,");
  // 18: quicklist2 with a packed and a plain node
  CHECK(restored(payload(kTypeListQuicklist2, len(2) + len(2) + str(listpack({"a", -3000})) +
                                                  len(1) + str("big"))) == "list:a,-3000,big,");
  // 16 / 17 / 20: listpack hash, zset, set (7.2)
  CHECK(restored(payload(kTypeHashListpack, str(listpack({"f", 1, "g", "x"})))) == "hash:f=1,g=x,");
  CHECK(restored(payload(kTypeZSetListpack, str(listpack({"m", "-inf", "n", 3})))) ==
        "zset:m=-inf,n=3.000000,");
  CHECK(restored(payload(kTypeSetListpack, str(listpack({"a", 5, "b"})))) == "set:5,a,b,");
  // 3: zset with text doubles (254 = +inf)
  CHECK(restored(payload(kTypeZSet, len(2) + str("a") +
                                        "\x03"
                                        "1.5" +
                                        str("b") + "\xFE")) == "zset:a=1.500000,b=inf,");
  // 1 / 2 / 4 / 5: plain
  std::string dbl;
  double d = 2.5;
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  le(dbl, bits, 8);
  CHECK(restored(payload(kTypeZSet2, len(1) + str("a") + dbl)) == "zset:a=2.500000,");
  CHECK(restored(payload(kTypeSet, len(2) + str("1") + str("2"))) == "set:1,2,");
}

TEST_CASE("rdb value: the three stream layouts") {
  std::string v1 = restored(payload(kTypeStreamListpacks, stream_object(kTypeStreamListpacks)));
  std::string v2 = restored(payload(kTypeStreamListpacks2, stream_object(kTypeStreamListpacks2)));
  std::string v3 = restored(payload(kTypeStreamListpacks3, stream_object(kTypeStreamListpacks3)));
  // Type 15 has no entries-read: Redis estimates it, and 1-2 (neither first nor last) is
  // unknown (-1).
  CHECK(v1 ==
        "stream:2:1-1{a=x;b=y;}1-2{c=42;}last=2-0 added=2 maxdel=0-0 group grp last=1-2 read=-1 "
        "pel 1-2@alice/3/777 consumer alice seen=555 active=555 pending=1");
  CHECK(v2 ==
        "stream:2:1-1{a=x;b=y;}1-2{c=42;}last=2-0 added=3 maxdel=2-0 group grp last=1-2 read=2 "
        "pel 1-2@alice/3/777 consumer alice seen=555 active=555 pending=1");
  CHECK(v3 ==
        "stream:2:1-1{a=x;b=y;}1-2{c=42;}last=2-0 added=3 maxdel=2-0 group grp last=1-2 read=2 "
        "pel 1-2@alice/3/777 consumer alice seen=555 active=444 pending=1");
  for (int t : {kTypeStreamListpacks, kTypeStreamListpacks2, kTypeStreamListpacks3})
    fuzz_object(std::string(1, static_cast<char>(t)) + stream_object(t));
}

TEST_CASE("rdb value: hand-made containers survive truncation and corruption") {
  fuzz_object(std::string(1, kTypeHashZipmap) + str(zipmap({{"a", "1"}, {"bb", "two"}})));
  fuzz_object(std::string(1, kTypeListZiplist) +
              str(ziplist({"x", 0, 13, -100, 3000, -70000, 100000000, 9000000000LL, "y"})));
  fuzz_object(std::string(1, kTypeSetIntset) + str(intset(4, {-70000, 70000})));
  fuzz_object(std::string(1, kTypeZSetListpack) + str(listpack({"m", "1.5", "n", 3})));
  fuzz_object(std::string(1, kTypeListQuicklist2) + len(2) + len(2) + str(listpack({"a", -3000})) +
              len(1) + str("big"));
}

TEST_CASE("rdb value: invalid objects are refused") {
  auto bad = [](uint8_t type, const std::string& body) {
    RestoreStatus st;
    Entry* e = restore_payload(payload(type, body), "k", -1, kLimits, 0, &st);
    CHECK(e == nullptr);
    CHECK(st == RestoreStatus::BadData);
  };
  bad(kTypeModule2, len(1));
  bad(kTypeModulePreGa, len(1));
  bad(8, str("x"));
  bad(kTypeList, len(0));                       // empty key
  bad(kTypeList, len(1000000000));              // lying count
  bad(kTypeSet, len(2) + str("a") + str("a"));  // duplicate member
  bad(kTypeHash, len(2) + str("a") + str("1") + str("a") + str("2"));
  bad(kTypeZSet, len(1) + str("a") + "\xFD");  // NaN
  bad(kTypeZSet2, len(2) + str("a") + std::string(8, 0) + str("a") + std::string(8, 0));
  bad(kTypeSetIntset, str(intset(2, {3, 1})));   // unordered
  bad(kTypeSetIntset, str(intset(3, {1})));      // bad width
  bad(kTypeHashListpack, str(listpack({"a"})));  // odd
  bad(kTypeZSetListpack, str(listpack({"a", "notanumber"})));
  bad(kTypeListQuicklist2, len(1) + len(3) + str("x"));           // bad container kind
  bad(kTypeListQuicklist2, len(1) + len(2) + str(listpack({})));  // all nodes empty
  std::string zl = ziplist({"a", "b"});
  zl[8] = 5;  // wrong count
  bad(kTypeListZiplist, str(zl));
  std::string lp = listpack({"a", "b"});
  lp[0] = 99;  // wrong total size
  bad(kTypeListQuicklist2, len(1) + len(2) + str(lp));
  // A consumer PEL entry missing from the group PEL.
  std::string s = stream_object(kTypeStreamListpacks2);
  std::string wrong = s.substr(0, s.size() - 16) + raw_id(9, 9);
  bad(kTypeStreamListpacks2, wrong);
  // A lying LZF length.
  bad(kTypeString, std::string("\xC3") + len(3) + len(4000000) + "abc");
  // The footer is checked first.
  RestoreStatus st;
  std::string p = payload(kTypeString, str("x"));
  p[p.size() - 1] ^= 1;
  CHECK(restore_payload(p, "k", -1, kLimits, 0, &st) == nullptr);
  CHECK(st == RestoreStatus::BadFooter);
  p = payload(kTypeString, str("x"));
  p[p.size() - 10] = 12;  // a version from the future
  CHECK(restore_payload(p, "k", -1, kLimits, 0, &st) == nullptr);
  CHECK(st == RestoreStatus::BadFooter);
}

TEST_CASE("rdb value: LZF compression round trips and is used only when it saves space") {
  std::string rnd;
  uint32_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245 + 12345;
    rnd.push_back(static_cast<char>(x >> 24));
  }
  std::vector<std::string> inputs = {std::string(100000, 'a'), "abcabcabcabcabcabcabcabcabc", rnd,
                                     rnd.substr(0, 300) + rnd.substr(0, 300) + "tail"};
  for (int k = 0; k < 50; ++k) inputs.push_back(std::string(k * 37, 'x') + rnd.substr(k, k * 11));
  for (const std::string& in : inputs) {
    std::string packed, back;
    if (lzf_compress(in, in.size() + in.size() / 16 + 64, &packed)) {
      CHECK(lzf_decompress(packed, in.size(), &back));
      CHECK(back == in);
    }
    std::string s;
    append_string_lzf(s, in);
    Reader r(s);
    std::string got;
    CHECK(r.string(&got));
    CHECK(got == in);
    CHECK(r.remaining() == 0);
  }
  std::string small;
  append_string_lzf(small, std::string(20, 'a'));  // <= 20 bytes: raw
  CHECK(small.size() == 21);
  std::string big;
  append_string_lzf(big, std::string(1000, 'a'));
  CHECK(static_cast<uint8_t>(big[0]) == 0xC3);
  CHECK(big.size() < 100);
  // Compressed payloads of every type restore.
  auto* h = new HashObject;
  h->set("f", std::string(500, 'v'), HashLimits{});
  Entry* e = heap(Type::Hash, Encoding::HashTable, h);
  CHECK(restored(dump_payload(*e, true)) == describe(e));
  Entry::destroy(e);
}
