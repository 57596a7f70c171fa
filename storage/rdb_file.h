// rdb_file.h — whole RDB files: the keyspace (and function libraries) to a file, and an RDB
// image back into an empty keyspace.
//
// Owns: the file layout of Redis's rdb.c around the objects of rdb_value: the "REDIS00vv"
// magic, AUX fields, FUNCTION2 libraries, per database SELECTDB and RESIZEDB, per key the
// optional EXPIRETIME_MS / EXPIRETIME / IDLE / FREQ opcodes then the type, key and object, and
// EOF followed by the CRC-64 of everything before it.
// Must not include: server/, sockets, libuv. Time (now_ms, the LRU clock) comes in as
// arguments; the server decides where the file goes and when (SAVE, fork for BGSAVE).
//
// Writer: version 11 (Redis 7.2), AUX redis-ver 7.2.4, redis-bits, ctime, used-mem,
// aof-base 0; objects as rdb_value writes them (types <= 19, strings LZF-compressed unless
// rdbcompression is off); the checksum may be disabled
// (rdbchecksum no writes 0, which readers take as "not checked", as Redis).
// Reader: versions 1..11; unknown AUX fields are ignored; module opcodes are refused; keys
// already expired at now_ms are skipped (counted); a duplicate key, a database index out of
// range, a truncated file or a wrong checksum are errors with a message saying which and
// at what offset (bytes after the checksum are not read, as Redis).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyspace.h"
#include "storage/rdb_value.h"

namespace dq::storage::rdb {

struct FileSaveOptions {
  bool checksum = true;           // rdbchecksum
  bool compress = true;           // rdbcompression: LZF for strings > 20 bytes
  bool save_idle = false;         // an LRU maxmemory-policy: write each key's idle time
  bool save_freq = false;         // an LFU maxmemory-policy: write each key's LFU counter
  int64_t now_ms = 0;             // ctime, and the idle times
  uint64_t used_mem = 0;          // AUX used-mem
  std::vector<std::string> libs;  // function library codes (FUNCTION2)
};

// Writes the RDB to path (created or truncated, then fsync'ed). Returns "" or the error
// (with strerror's text).
std::string write_file(const Keyspace& ks, const FileSaveOptions& opt, const std::string& path);

struct FileLoadResult {
  uint64_t keys_loaded = 0;
  uint64_t keys_expired = 0;
  std::vector<std::string> libs;  // function library codes, in file order
};

// Loads an RDB image into ks (expected empty). Returns "" or what is wrong with it; on error
// ks may hold part of the data (the caller exits or flushes).
std::string load_image(std::string_view image, Keyspace& ks, const ValueLimits& limits,
                       int64_t now_ms, uint32_t lru_clock, FileLoadResult* out);

}  // namespace dq::storage::rdb
