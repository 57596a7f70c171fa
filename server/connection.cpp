#include "server/connection.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "server/blocking.h"
#include "server/server.h"
#include "storage/memory.h"

namespace dq::server {

namespace {
constexpr size_t kReadChunk = 16 * 1024;
constexpr size_t kIdleQueryKeep = 32 * 1024;
}  // namespace

Client::Client(Server* s, ClientKind k) : server(s), kind(k), reply(&out) {
  std::memset(&handle, 0, sizeof(handle));
  std::memset(&write_req, 0, sizeof(write_req));
  handle.tcp.data = this;
  write_req.data = this;
}

Client::~Client() { dq::storage::mem_free(qbuf); }

void Client::reserve_query(size_t want) {
  if (want < kReadChunk) want = kReadChunk;
  if (qcap - qlen >= want) return;
  // Compact: move the unparsed tail to the front (the parser keeps offsets from qpos).
  if (qpos > 0) {
    size_t pending = qlen - qpos;
    if (pending) std::memmove(qbuf, qbuf + qpos, pending);
    qlen = pending;
    qpos = 0;
    if (qcap - qlen >= want) return;
  }
  size_t ncap = qcap ? qcap : kReadChunk;
  while (ncap - qlen < want) ncap *= 2;
  char* n = static_cast<char*>(dq::storage::mem_realloc(qbuf, ncap));
  if (!n) throw std::bad_alloc();
  qbuf = n;
  qcap = ncap;
  if (qcap > qbuf_peak) qbuf_peak = qcap;
}

void Client::shrink_query_if_idle() {
  if (qcap <= kIdleQueryKeep || qlen != qpos) return;
  dq::storage::mem_free(qbuf);
  qbuf = nullptr;
  qcap = qlen = qpos = 0;
}

std::string Client::flags_string() const {
  // Order as Redis 7's CLIENT LIST prints them.
  std::string f;
  if (monitor) f += 'O';
  if (sub_channels + sub_patterns + sub_shard > 0) f += 'P';
  if (in_multi) f += 'x';
  if (blocked || postponed) f += 'b';
  if (tracking.on) f += 't';
  if (tracking.broken_redir) f += 'R';
  if (tracking.bcast) f += 'B';
  if (dirty_cas) f += 'd';
  if (close_after_reply) f += 'c';
  if (kind == ClientKind::Unix) f += 'U';
  if (no_evict) f += 'e';
  if (no_touch) f += 'T';
  if (f.empty()) f.push_back('N');
  return f;
}

}  // namespace dq::server
