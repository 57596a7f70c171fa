// connection.h — one client connection: socket, query buffer, parser, output buffer, state.
//
// Owns: the libuv handle (embedded, so the handle's memory lives exactly as long as the
// client), the query buffer that libuv reads into directly (alloc_cb hands out its free
// tail), and the per-client output buffer flushed once per loop iteration.
// Invariants: a Client is freed only in its handle's close callback; once `closing` is set
// no command runs for it and nothing more is written.
#pragma once
#include <uv.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/output_buffer.h"
#include "protocol/reply_writer.h"
#include "protocol/resp_parser.h"

namespace dq::storage {
class Db;
}

namespace dq::server {

class Server;
struct Command;
struct BlockedState;

// A command queued inside MULTI: it owns copies of its arguments.
struct QueuedCommand {
  const Command* cmd;
  std::vector<std::string> args;
};

enum class ClientKind : uint8_t { Tcp, Unix };

// CLIENT TRACKING state of one connection (the tables live in server/tracking.h).
struct ClientTracking {
  bool on = false;
  bool bcast = false;
  bool optin = false, optout = false;
  bool caching = false;  // CLIENT CACHING YES|NO: applies to the next command only
  bool noloop = false;
  bool broken_redir = false;          // the redirect target was gone when an invalidation was sent
  uint64_t redirect = 0;              // client id, 0: none
  std::vector<std::string> prefixes;  // BCAST prefixes, sorted ("" when none was given)
};

struct Client {
  Client(Server* s, ClientKind k);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&handle); }
  uv_handle_t* uvhandle() { return reinterpret_cast<uv_handle_t*>(&handle); }

  union {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
  } handle;
  uv_write_t write_req;
  Server* server;
  ClientKind kind;
  uint64_t id = 0;
  int fd = -1;
  std::string addr, laddr;
  bool local = true;  // a unix socket or loopback peer (enable-protected-configs local)
  std::string name, lib_name, lib_ver;

  // Query buffer: [qpos, qlen) holds unparsed bytes; the parser keeps offsets from qpos.
  char* qbuf = nullptr;
  size_t qcap = 0, qlen = 0, qpos = 0;
  size_t qbuf_peak = 0;
  protocol::RequestParser parser;

  protocol::OutputBuffer out;
  protocol::ReplyWriter reply;
  size_t writing_bytes = 0;  // bytes handed to an in-flight uv_write
  int64_t obuf_soft_since_ms = 0;

  int db_index = 0;
  storage::Db* db = nullptr;
  bool authenticated = false;
  bool closing = false;
  bool close_after_reply = false;
  bool pending_write = false;  // queued in Server::pending_
  bool monitor = false;
  bool no_evict = false;
  bool no_touch = false;
  bool reply_off = false;     // CLIENT REPLY OFF
  bool skip_next = false;     // CLIENT REPLY SKIP: drop the next command's reply
  bool skip_current = false;  // dropping the reply of the command running now

  int64_t ctime_ms = 0;
  int64_t last_interaction_ms = 0;
  const Command* last_cmd = nullptr;
  uint64_t commands_processed = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;

  // Subscription counts (pub/sub state lives with the pub/sub subsystem).
  size_t sub_channels = 0, sub_patterns = 0, sub_shard = 0;
  bool in_multi = false;
  bool multi_error = false;  // a queueing error: EXEC answers EXECABORT
  bool dirty_cas = false;    // a WATCHed key changed: EXEC answers a null array
  std::vector<QueuedCommand> queued;
  std::vector<std::pair<int, std::string>> watched;  // (db, key)
  size_t multi_count = 0;
  size_t watch_count = 0;

  ClientTracking tracking;

  // Non-null while parked by a blocking command (BLPOP ...).
  std::unique_ptr<BlockedState> blocked;
  // Set while CLIENT PAUSE holds this client's next command (its arguments, owned), which
  // runs when the pause ends.
  bool postponed = false;
  std::vector<std::string> postponed_args;

  // Ensures at least `want` free bytes at the tail of the query buffer (compacting first).
  void reserve_query(size_t want);
  // Releases an oversized idle query buffer (cron).
  void shrink_query_if_idle();
  size_t query_pending() const { return qlen - qpos; }
  std::string flags_string() const;
};

}  // namespace dq::server
