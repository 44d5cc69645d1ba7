#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "eddy/core/status.h"

namespace eddy::state {

/// One embedded RocksDB instance holding the keyed state of one operator subtask, as
/// Flink's EmbeddedRocksDBStateBackend keeps one per operator subtask. Its files are
/// working state in a fresh directory under `base_dir` (the system's temporary
/// directory when empty), removed when the store is destroyed: checkpoints copy the
/// state out, so the write-ahead log is off (as in Flink). Directories left by a process
/// that was killed (named after its pid) are removed by the next process that opens one.
/// Keys are ordered bytewise, so everything under one prefix (a table's key group) is
/// one contiguous range.
/// Thread: the task thread only.
class RocksDbStore {
 public:
  /// Puts and removes applied together by write().
  class Batch {
   public:
    Batch();
    ~Batch();
    Batch(const Batch&) = delete;
    Batch& operator=(const Batch&) = delete;
    void put(std::string_view key, std::string_view value);
    void remove(std::string_view key);
    size_t count() const;
    void clear();

   private:
    friend class RocksDbStore;
    struct Impl;
    std::unique_ptr<Impl> impl_;
  };

  static Result<std::unique_ptr<RocksDbStore>> open(const std::string& base_dir);
  ~RocksDbStore();
  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  /// `*found` tells whether `key` exists; its value goes to `*value`.
  Status get(std::string_view key, std::string* value, bool* found) const;
  Status write(Batch& batch);
  /// fn(key, value) for every key starting with `prefix`, in key order.
  Status scan(std::string_view prefix, const std::function<void(std::string_view, std::string_view)>& fn) const;
  /// Removes every key starting with `prefix`.
  Status removePrefix(std::string_view prefix);
  const std::string& directory() const { return dir_; }

 private:
  struct Impl;
  RocksDbStore(std::string dir, std::unique_ptr<Impl> impl);
  Status check(const char* what, const void* rocks_status) const;

  std::string dir_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eddy::state
