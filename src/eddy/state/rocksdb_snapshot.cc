#include "eddy/state/rocksdb_snapshot.h"

#include <algorithm>

#include "eddy/core/serialization.h"
#include "eddy/state/rocksdb_store.h"

namespace eddy::state {
namespace {
constexpr uint8_t kVersion = 1;

}  // namespace

std::string RocksDbSnapshotHandle::encode() const {
  DataOutputView out;
  out.write<uint8_t>(kVersion);
  out.write<int32_t>(range.start);
  out.write<int32_t>(range.end);
  out.writeVarint(tables.size());
  for (const Table& t : tables) {
    out.write<uint16_t>(t.id);
    out.writeString(t.name);
    out.writeString(t.type);
  }
  out.writeVarint(files.size());
  for (const File& f : files) {
    out.writeString(f.local_name);
    out.writeString(f.storage_name);
  }
  return out.release();
}

Result<RocksDbSnapshotHandle> RocksDbSnapshotHandle::decode(std::string_view bytes) {
  DataInputView in(bytes);
  RocksDbSnapshotHandle h;
  EDDY_ASSIGN_OR_RETURN(uint8_t version, in.read<uint8_t>());
  if (version != kVersion) return Status::invalidArgument("unknown RocksDB snapshot format " + std::to_string(version));
  EDDY_ASSIGN_OR_RETURN(h.range.start, in.read<int32_t>());
  EDDY_ASSIGN_OR_RETURN(h.range.end, in.read<int32_t>());
  EDDY_ASSIGN_OR_RETURN(uint64_t tables, in.readVarint());
  for (uint64_t i = 0; i < tables; ++i) {
    Table t;
    EDDY_ASSIGN_OR_RETURN(t.id, in.read<uint16_t>());
    EDDY_ASSIGN_OR_RETURN(t.name, in.readString());
    EDDY_ASSIGN_OR_RETURN(t.type, in.readString());
    h.tables.push_back(std::move(t));
  }
  EDDY_ASSIGN_OR_RETURN(uint64_t files, in.readVarint());
  for (uint64_t i = 0; i < files; ++i) {
    File f;
    EDDY_ASSIGN_OR_RETURN(f.local_name, in.readString());
    EDDY_ASSIGN_OR_RETURN(f.storage_name, in.readString());
    h.files.push_back(std::move(f));
  }
  if (!in.atEnd()) return Status::invalidArgument("corrupt RocksDB snapshot handle: trailing bytes");
  return h;
}

Result<std::vector<std::pair<std::string, std::string>>> localFiles(const RocksDbSnapshotHandle& handle,
                                                                   const std::map<std::string, std::string>& paths) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const RocksDbSnapshotHandle::File& f : handle.files) {
    auto it = paths.find(f.storage_name);
    if (it == paths.end()) return Status::notFound("state file " + f.storage_name + " is not in the checkpoint");
    out.emplace_back(f.local_name, it->second);
  }
  return out;
}

Result<std::map<int, std::string>> materializeKeyGroups(const RocksDbSnapshotHandle& handle,
                                                        const std::map<std::string, std::string>& paths,
                                                        KeyGroupRange want, const std::string& tmp_base) {
  EDDY_ASSIGN_OR_RETURN(auto files, localFiles(handle, paths));
  EDDY_ASSIGN_OR_RETURN(std::unique_ptr<RocksDbStore> db, RocksDbStore::openFrom(tmp_base, files));
  std::map<int, std::string> out;
  const int from = std::max(want.start, handle.range.start);
  const int to = std::min(want.end, handle.range.end);
  for (int kg = from; kg <= to; ++kg) {
    DataOutputView group;
    group.writeVarint(handle.tables.size());
    for (const RocksDbSnapshotHandle::Table& t : handle.tables) {
      group.writeString(t.name);
      group.writeString(t.type);
      // Past the prefix, keys and values are the snapshot's bytes (see StateTable).
      DataOutputView table;
      EDDY_RETURN_IF_ERROR(db->copyOut(rocksKeyGroupPrefix(t.id, kg), table));
      group.writeString(table.data());
    }
    out[kg] = group.release();
  }
  return out;
}

}  // namespace eddy::state
