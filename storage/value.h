// value.h — a key's entry: the key, its optional expiry and its value, in one allocation.
//
// Owns: the entry layout and the value encodings. Must not include: sockets, libuv, protocol.
//
// Layout (16-byte header, then variable parts; see Entry::size_for):
//   Entry* next            chain link of the Dict
//   uint32 key_len
//   uint32 meta            type:3 | encoding:4 | expire_slot:1 | lru:24 (seconds clock)
//   [int64 expire_ms]      only when expire_slot is set; -1 = slot kept but no TTL
//   key bytes
//   payload                Int: int64 | Embstr: uint32 len + bytes | heap: pointer
//
// Why: Redis spends a dictEntry, an robj, an sds key and an sds/embstr value per key, plus a
// second dictEntry in `expires` for a TTL. Here the expiry lives in the entry (8 bytes, only
// for keys that ever had one) and small values live inline, so a 16-byte key with a 32-byte
// value is one 80-byte malloc chunk plus ~8 bytes of bucket.
//
// Strings keep Redis's visible encodings: "int" (the value is a canonical int64),
// "embstr" (inline, up to 44 bytes, as Redis reports), "raw" (longer or modified in place:
// APPEND/SETRANGE move the value to a growable heap buffer, as Redis converts embstr to raw).
// Collections (lists, hashes, ...) are heap objects behind the payload pointer.
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>

namespace dq::storage {

enum class Type : uint8_t { String = 0, List = 1, Set = 2, ZSet = 3, Hash = 4, Stream = 5 };

enum class Encoding : uint8_t {
  Int = 0,
  Embstr = 1,  // inline bytes (reported "raw" when longer than 44)
  Raw = 2,     // HeapString
  ListPack = 3,
  QuickList = 4,
  HashTable = 5,
  IntSet = 6,
  SkipList = 7,
  Stream = 8,
};

std::string_view type_name(Type t);

// The LRU clock (seconds, 24 bits) that new entries are stamped with. The server sets it
// from its cron (time enters storage from outside, as now_ms does).
void set_lru_clock(uint32_t clock);
uint32_t lru_clock();

// Base of collection values (lists, hashes, sets, zsets, streams).
struct Object {
  virtual ~Object() = default;
  virtual size_t memory() const = 0;
  virtual Object* clone() const = 0;
  // What OBJECT ENCODING prints ("listpack", "quicklist", "hashtable", "intset", "skiplist").
  virtual const char* encoding_name() const = 0;
  // Roughly how many allocations freeing this value costs (Redis's lazyfree "effort"): above
  // a threshold UNLINK frees it off the loop thread.
  virtual size_t free_effort() const { return 1; }
};

// The longest string value a HeapString holds (its length is 32 bits).
inline constexpr size_t kMaxStringBytes = UINT32_MAX;

// A growable string on the heap (raw encoding).
struct HeapString {
  uint32_t len;
  uint32_t cap;
  char data[1];
  static HeapString* create(std::string_view s, size_t cap);
  static HeapString* grow(HeapString* h, size_t need);  // may realloc
  std::string_view view() const { return std::string_view(data, len); }
};

inline constexpr size_t kEmbstrReportLimit = 44;  // Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT

class Entry {
 public:
  Entry* next;

  // --- creation (malloc'd; free with Entry::destroy) ---
  // A string value: canonical integers become Int, anything else inline bytes.
  // allow_int=false keeps even a canonical integer as bytes (INCRBYFLOAT's "embstr").
  static Entry* make_string(std::string_view key, std::string_view value, bool expire_slot,
                            int64_t expire_ms, bool allow_int = true);
  static Entry* make_int(std::string_view key, int64_t v, bool expire_slot, int64_t expire_ms);
  // A heap value (HeapString or Object), ownership moves into the entry.
  static Entry* make_heap(std::string_view key, Type t, Encoding e, void* ptr, bool expire_slot,
                          int64_t expire_ms);
  // Copy of this entry under another key (deep-copies the value).
  Entry* clone(std::string_view new_key) const;
  // Same key and value, with (or without) room for an expiry; the old entry's value moves
  // into the new one and the old entry is freed (without its value).
  static Entry* with_expire_slot(Entry* old, bool slot);
  static void destroy(Entry* e);

  std::string_view key() const {
    return std::string_view(reinterpret_cast<const char*>(this) + key_off(), key_len_);
  }
  Type type() const { return static_cast<Type>(meta_ & 7); }
  Encoding encoding() const { return static_cast<Encoding>((meta_ >> 3) & 15); }
  void set_encoding(Encoding e) { meta_ = (meta_ & ~(15u << 3)) | (static_cast<uint32_t>(e) << 3); }

  bool has_expire_slot() const { return meta_ & kSlotBit; }
  bool has_expire() const { return has_expire_slot() && load<int64_t>(kHeader) >= 0; }
  int64_t expire_ms() const { return has_expire_slot() ? load<int64_t>(kHeader) : -1; }
  // Requires has_expire_slot(); -1 clears.
  void set_expire_ms(int64_t ms) { store<int64_t>(kHeader, ms); }

  uint32_t lru() const { return meta_ >> 8; }
  void set_lru(uint32_t clock) { meta_ = (meta_ & 0xFF) | ((clock & 0xFFFFFF) << 8); }

  // --- string values ---
  bool is_int() const { return encoding() == Encoding::Int; }
  int64_t int_value() const { return load<int64_t>(payload_off()); }
  void set_int_value(int64_t v) { store<int64_t>(payload_off(), v); }
  // The string value; Int values are formatted into buf (>= 24 bytes).
  std::string_view string_value(char* buf) const;
  size_t string_length() const;

  // Heap payload (HeapString* or Object*).
  void* heap_ptr() const { return load<void*>(payload_off()); }
  void set_heap_ptr(void* p) { store<void*>(payload_off(), p); }
  Object* object() const { return static_cast<Object*>(heap_ptr()); }

  // What OBJECT ENCODING prints: "int", "embstr", "raw", or the collection's current one.
  std::string_view encoding_label() const;

  // Bytes used by this entry and its value (for INFO memory, MEMORY USAGE).
  size_t memory() const;

 private:
  static constexpr uint32_t kSlotBit = 1u << 7;
  static constexpr size_t kHeader = 16;

  static Entry* alloc(std::string_view key, Type t, Encoding e, bool expire_slot, int64_t expire_ms,
                      size_t payload);
  size_t key_off() const { return kHeader + (has_expire_slot() ? 8 : 0); }
  size_t payload_off() const { return key_off() + key_len_; }

  template <class T>
  T load(size_t off) const {
    T v;
    std::memcpy(&v, reinterpret_cast<const char*>(this) + off, sizeof(T));
    return v;
  }
  template <class T>
  void store(size_t off, T v) {
    std::memcpy(reinterpret_cast<char*>(this) + off, &v, sizeof(T));
  }

  uint32_t key_len_;
  uint32_t meta_;
};
static_assert(sizeof(Entry) == 16);

// Strict integer parse as Redis's string2ll (no '+', no leading zeros, no spaces).
bool string_to_int64(std::string_view s, int64_t* out);
// Parse a long double as Redis's string2ld (no spaces, no nan).
bool string_to_long_double(std::string_view s, long double* out);
// Formats a long double as Redis's ld2string in human mode (INCRBYFLOAT): "%.17Lf" with
// trailing zeros (and a trailing dot) removed. Returns length; buf >= 5200 bytes not needed:
// values are finite and bounded by the caller.
size_t format_long_double(long double v, char* buf, size_t cap);

}  // namespace dq::storage
