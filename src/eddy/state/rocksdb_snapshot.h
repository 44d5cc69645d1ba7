#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "eddy/core/key_group.h"
#include "eddy/core/status.h"

namespace eddy::state {

/// A file a snapshot refers to instead of holding its bytes (Flink's shared state
/// handle). The checkpoint storage keeps it under `name`, which is unique: one name is
/// the same bytes forever, so a file already in the storage is never written again and
/// checkpoints share it.
struct StateFile {
  std::string name;
  /// Taking a snapshot: where the file is now (the storage copies it unless it has
  /// `name` already). Restoring: where the storage keeps it.
  std::string path;
  uint64_t size = 0;
};

/// The keyed state tables of one RocksDB backend as the files of a RocksDB checkpoint
/// (Flink's IncrementalRemoteKeyedStateHandle): the SST files, shared with every other
/// checkpoint that has them, and the small per-checkpoint files (MANIFEST, CURRENT,
/// OPTIONS); plus the table ids, since RocksDB keys start with them.
struct RocksDbSnapshotHandle {
  struct Table {
    uint16_t id = 0;
    std::string name;
    std::string type;
  };
  struct File {
    std::string local_name;    // Its name in the database directory.
    std::string storage_name;  // Its StateFile name.
  };
  KeyGroupRange range;
  std::vector<Table> tables;
  std::vector<File> files;

  std::string encode() const;
  static Result<RocksDbSnapshotHandle> decode(std::string_view bytes);
};

/// Reads the key groups of `want` from a handle's files (`paths` by storage name) into
/// the heap snapshot format, the bytes KeyedStateBackend::snapshot() writes per key
/// group: for a restore at another parallelism, or into the heap backend. The files
/// are opened as a temporary RocksDB under `tmp_base` (empty: the system's temporary
/// directory), removed afterwards.
Result<std::map<int, std::string>> materializeKeyGroups(const RocksDbSnapshotHandle& handle,
                                                        const std::map<std::string, std::string>& paths,
                                                        KeyGroupRange want, const std::string& tmp_base);

/// The database files of a handle with where they are (`paths` by storage name); an
/// error names a file the storage does not have.
Result<std::vector<std::pair<std::string, std::string>>> localFiles(const RocksDbSnapshotHandle& handle,
                                                                   const std::map<std::string, std::string>& paths);

}  // namespace eddy::state
