// version.h — what dq reports: the Redis version it speaks (clients gate features on it) and
// its own version.
#pragma once

namespace dq {
inline constexpr const char* kRedisVersion = "7.2.4";
inline constexpr int kRedisVersionNum = 0x00070204;
inline constexpr const char* kDqVersion = "0.1.0";
}  // namespace dq
