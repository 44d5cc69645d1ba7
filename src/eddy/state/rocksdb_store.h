#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/core/serialization.h"
#include "eddy/core/status.h"

namespace eddy::state {

/// The start of every RocksDB key of table `table_id`'s key group `key_group`
/// (big-endian, so a table's key group is one contiguous range); the key's and
/// namespace's bytes follow (see StateTable).
inline std::string rocksKeyGroupPrefix(uint16_t table_id, int key_group) {
  std::string p(4, '\0');
  p[0] = static_cast<char>(table_id >> 8);
  p[1] = static_cast<char>(table_id & 0xff);
  p[2] = static_cast<char>((key_group >> 8) & 0xff);
  p[3] = static_cast<char>(key_group & 0xff);
  return p;
}

/// One embedded RocksDB instance holding the keyed state of one operator subtask, as
/// Flink's EmbeddedRocksDBStateBackend keeps one per operator subtask. Its files are
/// working state in a fresh directory under `base_dir` (the system's temporary
/// directory when empty), removed when the store is destroyed: checkpoints copy the
/// state out, so the write-ahead log is off (as in Flink). Directories left by a process
/// that was killed (named after its pid) are removed by the next process that opens one.
/// Keys are ordered bytewise, so everything under one prefix (a table's key group) is
/// one contiguous range.
/// Thread: the task thread only (snapshot() views: any thread).
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

  /// A new, empty instance in a fresh directory under `base_dir`.
  static Result<std::unique_ptr<RocksDbStore>> open(const std::string& base_dir);
  /// An instance over the files of a RocksDB checkpoint (see createCheckpoint):
  /// `files` maps each file's name in the database to where it is now; they are
  /// hard-linked (copied when linking fails) into a fresh directory under `base_dir`.
  static Result<std::unique_ptr<RocksDbStore>> openFrom(const std::string& base_dir,
                                                        const std::vector<std::pair<std::string, std::string>>& files);

  /// One file of a checkpoint: its name in the database and its size.
  struct CheckpointFile {
    std::string name;
    uint64_t size = 0;
  };
  /// Flushes the memtable and hard-links every live file into the new directory `dir`
  /// (RocksDB's Checkpoint): a consistent copy that later writes do not change, made in
  /// the time of a flush. SST files are immutable, so one with a given name is the same
  /// in every checkpoint of this instance; the others (MANIFEST, CURRENT, OPTIONS) are
  /// not.
  Result<std::vector<CheckpointFile>> createCheckpoint(const std::string& dir);
  /// Whether a checkpoint file is an SST file (immutable, shareable across checkpoints).
  static bool isSharedFile(const std::string& name);
  ~RocksDbStore();
  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  /// `*found` tells whether `key` exists; its value goes to `*value`.
  Status get(std::string_view key, std::string* value, bool* found) const;
  Status write(Batch& batch);
  /// fn(key, value) for every key starting with `prefix`, in key order.
  Status scan(std::string_view prefix, const std::function<void(std::string_view, std::string_view)>& fn) const;
  /// Appends the entries under `prefix` as a snapshot holds them: their count (varint),
  /// then each key past the prefix followed by its value (see StateTable).
  Status copyOut(std::string_view prefix, DataOutputView& out) const;
  /// Removes every key starting with `prefix`.
  Status removePrefix(std::string_view prefix);

  /// The database as it is now (RocksDB's snapshot), to read while the store goes on
  /// changing: a full checkpoint's asynchronous part reads its key groups from one.
  /// Thread: any thread, several at once. The snapshot keeps the database open (and its
  /// directory) after the store is gone, until it is dropped.
  class Snapshot {
   public:
    ~Snapshot();
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;
    Status scan(std::string_view prefix, const std::function<void(std::string_view, std::string_view)>& fn) const;
    /// As RocksDbStore::copyOut, at the snapshot.
    Status copyOut(std::string_view prefix, DataOutputView& out) const;

   private:
    friend class RocksDbStore;
    struct Impl;
    explicit Snapshot(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
  };
  std::shared_ptr<const Snapshot> snapshot() const;

  /// What a compaction filter decides about one value.
  enum class FilterDecision { kKeep, kRemove, kChange };
  /// Decides about one value's bytes at processing time `now`; with kChange the new
  /// value is in `*changed`. Called on RocksDB's compaction threads: it may not touch
  /// anything the task thread changes.
  using CompactionFilterFn = std::function<FilterDecision(std::string_view value, Timestamp now, std::string* changed)>;
  /// From now on, compactions pass every value of table `table_id` through `filter`
  /// (Flink's TTL compaction filter), reading `clock` once per `query_time_after`
  /// values. `clock` must outlive the store.
  void setCompactionFilter(uint16_t table_id, const Clock* clock, int64_t query_time_after, CompactionFilterFn filter);
  /// Compacts everything now, through the filters (tests; RocksDB compacts on its own).
  Status compactAll();
  const std::string& directory() const;
  /// Keeps the database and its directory (with the files createCheckpoint() put there)
  /// while held, after the store is gone: a finished task's last checkpoint files are
  /// copied into the storage after the task has ended.
  std::shared_ptr<const void> keepFilesAlive() const { return impl_; }

 private:
  struct Impl;
  explicit RocksDbStore(std::shared_ptr<Impl> impl);
  static Result<std::unique_ptr<RocksDbStore>> openIn(const std::string& dir, bool create);

  std::shared_ptr<Impl> impl_;  // Shared with snapshots.
};

}  // namespace eddy::state
