// status.h — outcomes of storage operations, mapped to error replies by the server layer.
// Must not include: anything beyond the standard library.
#pragma once
#include <cstdint>
#include <utility>

namespace dq::storage {

enum class Status : uint8_t {
  Ok,
  NotFound,
  WrongType,
  OutOfRange,
  NotInteger,
  NotFloat,
  Overflow,
  NanOrInfinity,
  TooLong,
  Exists,
  Syntax,
};

// A value or a status. Holds T only when status() == Ok.
template <class T>
class Result {
 public:
  Result(T v) : value_(std::move(v)) {}  // NOLINT: implicit on purpose
  Result(Status s) : status_(s) {}       // NOLINT
  Status status() const { return status_; }
  bool ok() const { return status_ == Status::Ok; }
  explicit operator bool() const { return ok(); }
  T& operator*() { return value_; }
  const T& operator*() const { return value_; }
  T* operator->() { return &value_; }

 private:
  T value_{};
  Status status_ = Status::Ok;
};

}  // namespace dq::storage
