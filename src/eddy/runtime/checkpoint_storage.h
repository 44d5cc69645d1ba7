#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/runtime/stream_operator.h"

namespace eddy::runtime {

/// Everything one completed checkpoint holds: for each operator (by uid, or by its
/// position in the graph when it has none) the snapshot of each of its subtasks.
struct CompletedCheckpoint {
  int64_t id = 0;
  std::string job_fingerprint;  // What job (program and arguments) wrote it.
  int64_t timestamp_ms = 0;
  std::map<std::string, std::vector<OperatorSnapshot>> operators;
};

/// What writing one checkpoint cost (Flink's checkpointed size) and held (full size).
struct CheckpointWriteStats {
  int64_t bytes_written = 0;  // State written now: what was new since earlier checkpoints.
  int64_t full_size = 0;      // Everything the checkpoint refers to, shared files included.
};

/// Where checkpoints live (Flink's CheckpointStorage). A checkpoint is written as
/// state first, then its metadata, and counts as complete only once the metadata is
/// there; the file layout below keeps that true across a crash at any moment. The
/// interface is small so object storage can follow.
class CheckpointStorage {
 public:
  virtual ~CheckpointStorage() = default;
  /// Writes checkpoint `cp` completely, metadata last and atomically. Shared state
  /// files (OperatorSnapshot::files) are copied in unless the storage has them already.
  virtual Status write(const CompletedCheckpoint& cp, CheckpointWriteStats* stats = nullptr) = 0;
  /// The ids of checkpoints whose metadata exists, ascending.
  virtual Result<std::vector<int64_t>> completedIds() const = 0;
  /// Reads and verifies one checkpoint; corrupt, truncated or missing files are errors
  /// naming the file. Shared files' paths point into the storage.
  virtual Result<CompletedCheckpoint> read(int64_t id) const = 0;
  /// Deletes a checkpoint (subsumed, or discarded), and the shared files no remaining
  /// checkpoint refers to.
  virtual Status remove(int64_t id) = 0;
};

/// `file:///dir` or a plain path: `dir/chk-<id>/` holds one state file per operator
/// subtask and `_metadata`, written last via a temporary file and a rename, with a
/// checksum of every state file (Flink's layout idea). Shared files (incremental
/// RocksDB checkpoints) live in `dir/shared/`, each checkpoint listing the ones it
/// refers to in `chk-<id>/_shared`; a file leaves when no checkpoint lists it.
class FileCheckpointStorage final : public CheckpointStorage {
 public:
  /// Fails when `uri` names no directory and `create` is false (a missing checkpoint
  /// directory is an error, never a silent fresh start).
  static Result<std::unique_ptr<FileCheckpointStorage>> open(const std::string& uri, bool create);

  Status write(const CompletedCheckpoint& cp, CheckpointWriteStats* stats = nullptr) override;
  Result<std::vector<int64_t>> completedIds() const override;
  Result<CompletedCheckpoint> read(int64_t id) const override;
  Status remove(int64_t id) override;
  const std::string& directory() const { return dir_; }

 private:
  explicit FileCheckpointStorage(std::string dir) : dir_(std::move(dir)) {}
  std::string checkpointDir(int64_t id) const;
  std::string sharedDir() const { return dir_ + "/shared"; }
  Status uploadShared(const state::StateFile& file, CheckpointWriteStats& stats) const;
  Status removeUnreferencedShared() const;
  std::string dir_;
};

/// The newest checkpoint that reads back whole. Newer ones that are corrupt are
/// skipped, and their errors (naming the files) are appended to `skipped`. NotFound when
/// there is none.
Result<CompletedCheckpoint> latestCheckpoint(const CheckpointStorage& storage, std::vector<std::string>* skipped);

/// The checkpoint at `path`: a checkpoint's own directory (`.../chk-<id>`), or a
/// storage directory (its newest readable checkpoint). A missing path, or one holding
/// no complete checkpoint, is an error naming it.
Result<CompletedCheckpoint> readCheckpointAt(const std::string& path);

/// Keeps the newest `retained` completed checkpoints and removes older ones.
Status removeSubsumed(CheckpointStorage& storage, int retained);

}  // namespace eddy::runtime
