// zset.h — the sorted-set handlers, shared by zset.cpp (their bodies) and zset_table.cpp
// (their command table entries). Split only to keep each file under ~1,000 lines.
#pragma once

namespace dq::server {
struct CommandContext;
}

namespace dq::cmd::zset {
void bzmpop_cmd(server::CommandContext& ctx);
void bzpopmax_cmd(server::CommandContext& ctx);
void bzpopmin_cmd(server::CommandContext& ctx);
void zadd_cmd(server::CommandContext& ctx);
void zcard_cmd(server::CommandContext& ctx);
void zcount_cmd(server::CommandContext& ctx);
void zdiff_cmd(server::CommandContext& ctx);
void zdiffstore_cmd(server::CommandContext& ctx);
void zincrby_cmd(server::CommandContext& ctx);
void zinter_cmd(server::CommandContext& ctx);
void zintercard_cmd(server::CommandContext& ctx);
void zinterstore_cmd(server::CommandContext& ctx);
void zlexcount_cmd(server::CommandContext& ctx);
void zmpop_cmd(server::CommandContext& ctx);
void zmscore_cmd(server::CommandContext& ctx);
void zpopmax_cmd(server::CommandContext& ctx);
void zpopmin_cmd(server::CommandContext& ctx);
void zrandmember_cmd(server::CommandContext& ctx);
void zrange_cmd(server::CommandContext& ctx);
void zrangebylex_cmd(server::CommandContext& ctx);
void zrangebyscore_cmd(server::CommandContext& ctx);
void zrangestore_cmd(server::CommandContext& ctx);
void zrank_cmd(server::CommandContext& ctx);
void zrem_cmd(server::CommandContext& ctx);
void zremrangebylex_cmd(server::CommandContext& ctx);
void zremrangebyrank_cmd(server::CommandContext& ctx);
void zremrangebyscore_cmd(server::CommandContext& ctx);
void zrevrange_cmd(server::CommandContext& ctx);
void zrevrangebylex_cmd(server::CommandContext& ctx);
void zrevrangebyscore_cmd(server::CommandContext& ctx);
void zrevrank_cmd(server::CommandContext& ctx);
void zscan_cmd(server::CommandContext& ctx);
void zscore_cmd(server::CommandContext& ctx);
void zunion_cmd(server::CommandContext& ctx);
void zunionstore_cmd(server::CommandContext& ctx);
}  // namespace dq::cmd::zset
