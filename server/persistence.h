// persistence.h — the server side of persistence: the value limits the RDB decoders build
// with (from the config), shared by RESTORE and the RDB file loader.
// Must not include: libuv (the family files include it).
#pragma once
#include "server/config.h"
#include "storage/rdb_value.h"

namespace dq::server {

// The compact-encoding thresholds of the current config, for storage::rdb::read_object.
storage::rdb::ValueLimits value_limits(const Config& c);

}  // namespace dq::server
