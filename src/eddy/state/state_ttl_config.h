#pragma once

#include <cstdint>

#include "eddy/core/time.h"

namespace eddy::state {

/// Flink's StateTtlConfig: how long keyed state lives after it was last written (or
/// read), measured in processing time.
struct StateTtlConfig {
  enum class UpdateType { kOnCreateAndWrite, kOnReadAndWrite };
  enum class StateVisibility { kNeverReturnExpired, kReturnExpiredIfNotCleanedUp };

  int64_t ttl_ms = 0;
  UpdateType update_type = UpdateType::kOnCreateAndWrite;        // Default: OnCreateAndWrite.
  StateVisibility visibility = StateVisibility::kNeverReturnExpired;  // Default: NeverReturnExpired.
  bool cleanup_full_snapshot = false;
  /// Flink's default: expired state is also removed in the background, which the heap
  /// backend does incrementally (5 entries per state access unless configured).
  bool cleanup_in_background = true;
  int cleanup_incremental_size = 0;  // Entries checked per state access; 0 = default.
  bool cleanup_incremental_every_record = false;
  /// RocksDB: compactions drop expired values, list elements and map entries (Flink's
  /// cleanupInRocksdbCompactFilter). On when asked, or by default with background
  /// cleanup. The filter reads the clock once per `compact_filter_query_time_after`
  /// entries. Default: 1000 (Flink's).
  bool cleanup_rocksdb_compact_filter = false;
  int64_t compact_filter_query_time_after = 1000;

  bool isEnabled() const { return ttl_ms > 0; }
  /// Entries the heap backend checks per state access (0: no background cleanup).
  int incrementalCleanupSize() const {
    if (cleanup_incremental_size > 0) return cleanup_incremental_size;
    return cleanup_in_background ? kDefaultIncrementalCleanupSize : 0;
  }
  static constexpr int kDefaultIncrementalCleanupSize = 5;
  bool rocksDbCompactFilterCleanup() const {
    return isEnabled() && (cleanup_rocksdb_compact_filter || cleanup_in_background);
  }

  class Builder;
  static Builder newBuilder(Duration ttl);
};

class StateTtlConfig::Builder {
 public:
  explicit Builder(Duration ttl) { c_.ttl_ms = ttl.count(); }
  Builder& setUpdateType(StateTtlConfig::UpdateType t) { c_.update_type = t; return *this; }
  Builder& updateTtlOnCreateAndWrite() { return setUpdateType(StateTtlConfig::UpdateType::kOnCreateAndWrite); }
  Builder& updateTtlOnReadAndWrite() { return setUpdateType(StateTtlConfig::UpdateType::kOnReadAndWrite); }
  Builder& setStateVisibility(StateTtlConfig::StateVisibility v) { c_.visibility = v; return *this; }
  Builder& neverReturnExpired() { return setStateVisibility(StateTtlConfig::StateVisibility::kNeverReturnExpired); }
  Builder& returnExpiredIfNotCleanedUp() {
    return setStateVisibility(StateTtlConfig::StateVisibility::kReturnExpiredIfNotCleanedUp);
  }
  Builder& cleanupFullSnapshot() { c_.cleanup_full_snapshot = true; return *this; }
  Builder& disableCleanupInBackground() { c_.cleanup_in_background = false; return *this; }
  Builder& cleanupIncrementally(int size, bool run_for_every_record) {
    c_.cleanup_incremental_size = size;
    c_.cleanup_incremental_every_record = run_for_every_record;
    return *this;
  }
  Builder& cleanupInRocksdbCompactFilter(int64_t query_time_after_num_entries) {
    c_.cleanup_rocksdb_compact_filter = true;
    c_.compact_filter_query_time_after = query_time_after_num_entries > 0 ? query_time_after_num_entries : 1;
    return *this;
  }
  StateTtlConfig build() const { return c_; }

 private:
  StateTtlConfig c_;
};

inline StateTtlConfig::Builder StateTtlConfig::newBuilder(Duration ttl) { return Builder(ttl); }

}  // namespace eddy::state
