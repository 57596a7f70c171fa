// rdb_value.h — one key's value as a Redis RDB object: the payload of DUMP / RESTORE and the
// body of every key in an RDB file.
//
// Owns: the object types of Redis's rdb.h (0..21), the encoders dq writes and the decoders
// of everything Redis has ever written: plain strings / lists / sets / hashes / zsets, the
// compact containers embedded as strings (zipmap, ziplist, intset, listpack), quicklists
// (ziplist nodes, or listpack / plain nodes) and the three stream layouts with their consumer
// groups. Module types (6, 7) are refused.
// Must not include: server/, sockets, libuv, protocol. Limits (compact-encoding thresholds)
// and time come in as arguments.
//
// Writer: only types <= 19 (0 string, 1 list, 2 set, 4 hash, 5 zset2, 19 stream listpacks 2),
// so that a payload whose version bytes say 10 is also readable by Redis 7.0. With
// `compress` (rdbcompression), strings longer than 20 bytes are LZF-compressed when that
// saves space, as Redis does.
//
// Reader invariants: the input is untrusted. Every length and offset is checked against the
// bytes actually present before anything is read or allocated for it (a count can never
// exceed the bytes that remain, since each element takes at least one), embedded containers
// are validated completely (headers, terminators, entry sizes, back-lengths), duplicates,
// empty collections, NaN scores, unordered stream IDs and dangling PEL references are errors
// (Redis's sanitize-dump-payload checks), and an error frees everything built so far.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/hash.h"
#include "storage/list.h"
#include "storage/rdb_format.h"
#include "storage/set.h"
#include "storage/stream.h"
#include "storage/value.h"
#include "storage/zset.h"

namespace dq::storage::rdb {

enum ObjectType : uint8_t {
  kTypeString = 0,
  kTypeList = 1,
  kTypeSet = 2,
  kTypeZSet = 3,
  kTypeHash = 4,
  kTypeZSet2 = 5,
  kTypeModulePreGa = 6,
  kTypeModule2 = 7,
  kTypeHashZipmap = 9,
  kTypeListZiplist = 10,
  kTypeSetIntset = 11,
  kTypeZSetZiplist = 12,
  kTypeHashZiplist = 13,
  kTypeListQuicklist = 14,
  kTypeStreamListpacks = 15,
  kTypeHashListpack = 16,
  kTypeZSetListpack = 17,
  kTypeListQuicklist2 = 18,
  kTypeStreamListpacks2 = 19,
  kTypeSetListpack = 20,
  kTypeStreamListpacks3 = 21,
};

// Whether t is a value type byte (as opposed to an RDB file opcode).
bool is_object_type(uint8_t t);

// The compact-encoding thresholds new values are built with (the server's config).
struct ValueLimits {
  ListLimits list;
  HashLimits hash;
  SetLimits set;
  ZSetLimits zset;
  StreamLimits stream;
};

// Appends e's value as its type byte followed by the object.
void write_object(const Entry& e, std::string& out, bool compress = false);
// The DUMP payload of e: the object, RDB version 11 and the CRC-64.
std::string dump_payload(const Entry& e, bool compress = false);

// Reads one object of the given type from in, as a new entry under key with expire_ms
// (-1: none) and the current LRU clock. nullptr on any malformed or unsupported input.
// now_ms stamps consumers created for stream groups before their times are read.
Entry* read_object(Reader& in, uint8_t type, std::string_view key, int64_t expire_ms,
                   const ValueLimits& limits, int64_t now_ms);

enum class RestoreStatus : uint8_t { Ok, BadFooter, BadData };
// A RESTORE payload: the footer (version <= 11, CRC-64), then the type byte and the object.
Entry* restore_payload(std::string_view payload, std::string_view key, int64_t expire_ms,
                       const ValueLimits& limits, int64_t now_ms, RestoreStatus* status);

}  // namespace dq::storage::rdb
