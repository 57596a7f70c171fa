// sha1.h — SHA-1 as scripts are named by (EVALSHA, SCRIPT LOAD, redis.sha1hex).
#pragma once
#include <string>
#include <string_view>

namespace dq::server {

// Lower-case hex SHA-1 of data (40 characters).
std::string sha1_hex(std::string_view data);

}  // namespace dq::server
