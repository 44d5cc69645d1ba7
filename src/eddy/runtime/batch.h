#pragma once

#include <memory>
#include <vector>

#include "eddy/runtime/stream_record.h"

namespace eddy::runtime {

/// A buffer of records crossing from one task to another. In local mode the records stay
/// typed (no serialization); the network path will carry Serializer<T> bytes instead.
class BatchBase {
 public:
  virtual ~BatchBase() = default;
  virtual size_t numRecords() const = 0;
};

template <typename T>
class Batch final : public BatchBase {
 public:
  size_t numRecords() const override { return records.size(); }
  std::vector<StreamRecord<T>> records;
};

/// Records per buffer: about 32 KiB of records, at least 16. A record type that is a
/// buffer of rows itself (a columnar batch) says how many of it make one with
/// `kRecordsPerBuffer`: counted as small records, a channel's 16 buffers would queue
/// millions of rows, so a fast source runs far ahead of its consumer and every batch
/// it makes lands in fresh memory.
template <typename T>
constexpr size_t batchCapacity() {
  if constexpr (requires { T::kRecordsPerBuffer; }) {
    return T::kRecordsPerBuffer;
  } else {
    constexpr size_t n = 32768 / sizeof(StreamRecord<T>);
    return n < 16 ? 16 : n;
  }
}

}  // namespace eddy::runtime
