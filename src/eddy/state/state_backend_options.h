#pragma once

#include <cstddef>
#include <string>
#include <utility>

namespace eddy::state {

/// Where keyed state lives (Flink's state.backend.type: hashmap | rocksdb).
enum class StateBackendKind { kHashMap, kRocksDb };

/// Options of the RocksDB backend.
struct RocksDbOptions {
  /// Working files of the instances (one per keyed operator subtask); empty: the
  /// system's temporary directory (Flink's state.backend.rocksdb.localdir).
  std::string local_dir;
  /// Decoded entries each state keeps in memory in front of RocksDB (write-back).
  size_t cache_entries_per_state = 1 << 20;
  /// Checkpoints as RocksDB's own files, each written to the checkpoint storage once and
  /// shared by every checkpoint that has it (Flink's state.backend.incremental).
  bool incremental = false;
};

/// Flink's HashMapStateBackend: keyed state as objects on the heap (the default).
struct HashMapStateBackend {};

/// Flink's EmbeddedRocksDBStateBackend: keyed state in an embedded RocksDB per keyed
/// operator subtask, so it may outgrow memory. Timers stay on the heap (Flink's
/// state.backend.rocksdb.timer-service.factory: HEAP).
struct EmbeddedRocksDBStateBackend {
  EmbeddedRocksDBStateBackend() = default;
  /// Flink's `new EmbeddedRocksDBStateBackend(true)`: incremental checkpoints.
  explicit EmbeddedRocksDBStateBackend(bool enable_incremental_checkpointing) {
    options.incremental = enable_incremental_checkpointing;
  }
  RocksDbOptions options;
  EmbeddedRocksDBStateBackend& enableIncrementalCheckpointing(bool enabled) {
    options.incremental = enabled;
    return *this;
  }
  bool isIncrementalCheckpointsEnabled() const { return options.incremental; }
  EmbeddedRocksDBStateBackend& setDbStoragePath(std::string dir) {
    options.local_dir = std::move(dir);
    return *this;
  }
  EmbeddedRocksDBStateBackend& setCacheEntriesPerState(size_t n) {
    options.cache_entries_per_state = n;
    return *this;
  }
};

}  // namespace eddy::state
