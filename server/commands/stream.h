// stream.h — the stream family's handlers and the helpers its files share: stream.cpp (XADD,
// XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID, XREAD, XREADGROUP), stream_group.cpp (XGROUP,
// XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO) and stream_table.cpp (the command table).
#pragma once
#include <cstdint>
#include <string_view>

#include "storage/stream.h"

namespace dq::server {
struct CommandContext;
}

namespace dq::cmd::stream {

// Error texts of this family (Redis 7.2's wording); used by no other family.
inline constexpr std::string_view kErrInvalidId =
    "ERR Invalid stream ID specified as stream command argument";
inline constexpr std::string_view kErrNoGroupFmt =
    "NOGROUP No such key '{}' or consumer group '{}'";

// The stream at key, or nullptr when absent. On WRONGTYPE replies and sets *bad.
storage::StreamObject* find_stream(server::CommandContext& ctx, std::string_view key, bool* bad,
                                   bool read);

// Redis's streamGenericParseIDOrReply without the reply: "<ms>[-<seq>]" (seq defaults to
// missing_seq), "-" and "+" unless strict, "<ms>-*" when seq_given is not null (then
// *seq_given = false). Numbers parse as Redis's string2ull (strtoull's leniency included).
bool parse_id(std::string_view s, storage::StreamID* id, uint64_t missing_seq, bool strict,
              bool* seq_given = nullptr);
// Same, replying kErrInvalidId on failure.
bool id_arg(server::CommandContext& ctx, size_t i, storage::StreamID* id, uint64_t missing_seq,
            bool strict);
// A range bound: "(" makes it exclusive (then parsed strictly). Replies on failure.
bool interval_arg(server::CommandContext& ctx, size_t i, storage::StreamID* id, bool* exclusive,
                  uint64_t missing_seq);

void reply_id(server::CommandContext& ctx, storage::StreamID id);
// [id, [field, value, ...]]
void reply_entry(server::CommandContext& ctx, const storage::StreamEntry& e);
// Replies one entry found by ID as XCLAIM does (it must exist).
void reply_entry_by_id(server::CommandContext& ctx, const storage::StreamObject& s,
                       storage::StreamID id);

void xack_cmd(server::CommandContext& ctx);
void xadd_cmd(server::CommandContext& ctx);
void xautoclaim_cmd(server::CommandContext& ctx);
void xclaim_cmd(server::CommandContext& ctx);
void xdel_cmd(server::CommandContext& ctx);
void xgroup_create_cmd(server::CommandContext& ctx);
void xgroup_createconsumer_cmd(server::CommandContext& ctx);
void xgroup_delconsumer_cmd(server::CommandContext& ctx);
void xgroup_destroy_cmd(server::CommandContext& ctx);
void xgroup_help_cmd(server::CommandContext& ctx);
void xgroup_setid_cmd(server::CommandContext& ctx);
void xinfo_consumers_cmd(server::CommandContext& ctx);
void xinfo_groups_cmd(server::CommandContext& ctx);
void xinfo_help_cmd(server::CommandContext& ctx);
void xinfo_stream_cmd(server::CommandContext& ctx);
void xlen_cmd(server::CommandContext& ctx);
void xpending_cmd(server::CommandContext& ctx);
void xrange_cmd(server::CommandContext& ctx);
void xread_cmd(server::CommandContext& ctx);
void xreadgroup_cmd(server::CommandContext& ctx);
void xrevrange_cmd(server::CommandContext& ctx);
void xsetid_cmd(server::CommandContext& ctx);
void xtrim_cmd(server::CommandContext& ctx);

}  // namespace dq::cmd::stream
