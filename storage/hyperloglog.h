// hyperloglog.h — Redis's HyperLogLog, byte for byte: the value of an HLL key is a plain
// string holding Redis's representation, so GET / SET / DUMP carry HLLs between dq and Redis.
//
// Owns: the HLL string format, MurmurHash64A, register updates in both encodings, the
// sparse -> dense promotion, merging, and Redis 7's cardinality estimator (Ertl's improved
// estimator). Must not include: sockets, libuv, protocol. The server passes in what it
// configures (hll-sparse-max-bytes) and maps the results to replies.
//
// Layout (all integers little endian):
//   "HYLL"            magic, 4 bytes
//   encoding          1 byte: 0 dense, 1 sparse (2, "raw", exists only inside PFCOUNT)
//   3 unused bytes    copied along, never interpreted
//   card              8 bytes: the cached cardinality; the top bit of the last byte set
//                     means "stale" (recompute on the next PFCOUNT)
//   registers         dense: 16384 6-bit registers packed LSB first (12288 bytes, so a
//                     dense value is always exactly 12304 bytes); sparse: opcodes
//
// Sparse opcodes, each covering a run of consecutive registers:
//   ZERO   00xxxxxx            1..64 registers at 0
//   XZERO  01xxxxxx yyyyyyyy   1..16384 registers at 0 (14-bit length - 1)
//   VAL    1vvvvvxx            1..4 registers at value 1..32
// A register needing a value above 32, or an update that would make the string longer than
// hll-sparse-max-bytes, promotes the value to dense. The exact sequence of opcodes Redis
// produces (how runs are split and when adjacent VALs are merged) is part of the format
// others see through GET, so set_register follows Redis's update steps exactly.
//
// Invariants: a valid sparse value's runs add up to exactly 16384 registers; a dense value is
// exactly kDenseSize bytes. Functions that read a sparse value report a corrupt one (Redis's
// INVALIDOBJ) instead of trusting it; a byte read past the end reads as 0, as Redis reads
// the terminator of its sds strings.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/value.h"

namespace dq::storage::hll {

inline constexpr int kP = 14;                     // register index bits
inline constexpr int kQ = 64 - kP;                // bits left for the run of zeros
inline constexpr uint32_t kRegisters = 1u << kP;  // 16384
inline constexpr int kBits = 6;                   // bits per dense register
inline constexpr uint8_t kRegisterMax = (1 << kBits) - 1;
inline constexpr size_t kHeaderSize = 16;
inline constexpr size_t kDenseSize = kHeaderSize + (kRegisters * kBits + 7) / 8;  // 12304
inline constexpr uint8_t kDense = 0;
inline constexpr uint8_t kSparse = 1;
inline constexpr uint8_t kMaxEncoding = kSparse;
inline constexpr uint8_t kSparseValMax = 32;
inline constexpr uint64_t kHashSeed = 0xadc83b19ULL;
// Redis's default hll-sparse-max-bytes.
inline constexpr size_t kDefaultSparseMaxBytes = 3000;

// MurmurHash64A (Austin Appleby's 64-bit MurmurHash2), reading 8-byte blocks little endian
// whatever the host, as Redis's endian-neutral variant.
uint64_t murmur_hash64a(const void* data, size_t len, uint64_t seed);

// The register an element goes to (*index) and the length of the "000..1" pattern in the
// rest of its hash (1..kQ+1), as Redis's hllPatLen.
uint8_t pattern_len(std::string_view element, uint32_t* index);

// Redis's header check (isHLLObjectOrReply, after the type check): at least a header,
// the magic, a known encoding, and a dense value of exactly kDenseSize bytes.
bool valid_header(std::string_view v);
inline uint8_t encoding(std::string_view v) { return static_cast<uint8_t>(v[4]); }

// The cached cardinality in the header.
bool cache_valid(std::string_view v);
uint64_t cached_card(std::string_view v);
void set_cached_card(char* value, uint64_t card);
void invalidate_cache(char* value);

// A new, empty HLL: sparse, one XZERO covering every register, cached cardinality 0 (valid).
HeapString* create_empty();

// Dense registers (regs points just past the header).
inline uint8_t dense_get(const uint8_t* regs, uint32_t i) {
  uint32_t bit = i * kBits, byte = bit / 8, fb = bit & 7;
  unsigned v = regs[byte] >> fb;
  if (fb > 8 - kBits) v |= static_cast<unsigned>(regs[byte + 1]) << (8 - fb);
  return static_cast<uint8_t>(v & kRegisterMax);
}
inline void dense_put(uint8_t* regs, uint32_t i, uint8_t val) {
  uint32_t bit = i * kBits, byte = bit / 8, fb = bit & 7;
  regs[byte] = static_cast<uint8_t>((regs[byte] & ~(kRegisterMax << fb)) | (val << fb));
  if (fb > 8 - kBits)
    regs[byte + 1] =
        static_cast<uint8_t>((regs[byte + 1] & ~(kRegisterMax >> (8 - fb))) | (val >> (8 - fb)));
}

// --- Updates of a value in a growable heap string (h may be reallocated or replaced). ---
// Each returns 1 if a register grew, 0 if nothing changed, -1 if the sparse representation
// turned out corrupt (Redis's INVALIDOBJ; the value may have been partly updated, as in
// Redis). A sparse update that changes the value invalidates the cached cardinality; a dense
// one leaves that to the caller (as Redis's PFADD does once per command).

// Raises register `index` to `count` if it is lower (hllSparseSet / hllDenseSet).
int set_register(HeapString*& h, uint32_t index, uint8_t count, size_t sparse_max_bytes);
// Adds an element (hllAdd): hashes it and raises its register.
int add(HeapString*& h, std::string_view element, size_t sparse_max_bytes);
// Converts a sparse value to dense, keeping the header's bytes (cached cardinality
// included). No-op on a dense value. False (value untouched) if the sparse value is corrupt.
bool to_dense(HeapString*& h);

// --- Reads. ---
// max[i] = MAX(max[i], register i of v) for every register (hllMerge); false if v is a
// corrupt sparse value. v must have passed valid_header.
bool merge_into(uint8_t* max, std::string_view v);
// Estimated cardinality of v (hllCount); *invalid set when v is a corrupt sparse value.
uint64_t count(std::string_view v, bool* invalid);
// Estimated cardinality of kRegisters one-byte registers (PFCOUNT of several keys).
uint64_t count_registers(const uint8_t* regs);
// The sparse opcodes as PFDEBUG DECODE prints them ("Z:16384" / "z:3 v:2,1 ...").
std::string decode_sparse(std::string_view v);

// PFSELFTEST: register access on random values, then the estimation error of a dense and a
// sparse HLL fed the same 10 million elements. Returns "" on success, else the error text.
std::string self_test(uint64_t seed, size_t sparse_max_bytes);

}  // namespace dq::storage::hll
