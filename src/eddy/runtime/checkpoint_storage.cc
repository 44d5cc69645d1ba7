#include "eddy/runtime/checkpoint_storage.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "eddy/core/serialization.h"

namespace eddy::runtime {
namespace {

namespace fs = std::filesystem;

constexpr char kStateMagicV1[] = "EDDYSTA1";  // Without shared files.
constexpr char kStateMagic[] = "EDDYSTA2";
constexpr char kSharedList[] = "_shared";
constexpr char kMetaMagicV1[] = "EDDYCKP1";  // Checksums: fnv1a.
constexpr char kMetaMagic[] = "EDDYCKP2";    // Checksums: wordHash.
constexpr char kMetadata[] = "_metadata";

/// The checksum of format 2: FNV-1a's step over 8-byte words, then the tail bytes —
/// a flipped or moved byte changes it, at several times the speed of a byte at a time
/// (a gigabyte of heap state took seconds to check). Fed in pieces, it hashes their
/// concatenation.
class WordHash {
 public:
  void update(std::string_view data) {
    size_t i = 0;
    if (carried_ > 0) {
      while (carried_ < 8 && i < data.size()) carry_[carried_++] = data[i++];
      if (carried_ < 8) return;
      mix(carry_);
      carried_ = 0;
    }
    for (; i + 8 <= data.size(); i += 8) mix(data.data() + i);
    while (i < data.size()) carry_[carried_++] = data[i++];
  }
  uint64_t value() const {
    uint64_t h = h_;
    for (size_t i = 0; i < carried_; ++i) h = (h ^ static_cast<unsigned char>(carry_[i])) * kPrime;
    return h;
  }

 private:
  static constexpr uint64_t kPrime = 0x100000001b3ULL;
  void mix(const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h_ = (h_ ^ w) * kPrime;
    h_ ^= h_ >> 32;
  }
  uint64_t h_ = 0xcbf29ce484222325ULL;
  char carry_[8] = {};
  size_t carried_ = 0;
};

uint64_t wordHash(std::string_view data) {
  WordHash h;
  h.update(data);
  return h.value();
}

uint64_t fnv1a(std::string_view data) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

Status writeFile(const std::string& path, const std::string& data, bool sync) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::unavailable(path + ": cannot create: " + std::strerror(errno));
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size() && std::fflush(f) == 0;
  if (ok && sync) ok = ::fsync(fileno(f)) == 0;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return Status::unavailable(path + ": write failed: " + std::strerror(errno));
  return Status::ok();
}

Result<std::string> readFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::notFound(path + ": cannot open: " + std::strerror(errno));
  std::string data;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status::unavailable(path + ": read failed");
  return data;
}

/// A state file being written: counts and checksums what goes out.
class StateFileWriter {
 public:
  explicit StateFileWriter(const std::string& path) : path_(path), f_(std::fopen(path.c_str(), "wb")) {}
  ~StateFileWriter() {
    if (f_ != nullptr) std::fclose(f_);
  }
  StateFileWriter(const StateFileWriter&) = delete;
  StateFileWriter& operator=(const StateFileWriter&) = delete;
  void write(std::string_view data) {
    if (f_ == nullptr || !ok_) return;
    ok_ = std::fwrite(data.data(), 1, data.size(), f_) == data.size();
    hash_.update(data);
    size_ += data.size();
  }
  /// Writes `head`'s bytes and empties it.
  void flush(DataOutputView& head) {
    write(head.data());
    head.clear();
  }
  Status close() {
    if (f_ == nullptr) return Status::unavailable(path_ + ": cannot create: " + std::strerror(errno));
    bool ok = ok_ && std::fflush(f_) == 0;
    ok = std::fclose(f_) == 0 && ok;
    f_ = nullptr;
    if (!ok) return Status::unavailable(path_ + ": write failed: " + std::strerror(errno));
    return Status::ok();
  }
  uint64_t size() const { return size_; }
  uint64_t checksum() const { return hash_.value(); }

 private:
  std::string path_;
  std::FILE* f_;
  bool ok_ = true;
  WordHash hash_;
  uint64_t size_ = 0;
};

/// Writes one subtask's snapshot; key groups go out as they are, not copied into one
/// buffer first (a gigabyte of heap state spent most of its write there). Deferred key
/// groups are serialized here, one at a time: the asynchronous part of a full snapshot.
Status writeSnapshot(const OperatorSnapshot& s, StateFileWriter& out) {
  DataOutputView head;
  head.writeBytes(kStateMagic, 8);
  head.writeVarint(static_cast<uint64_t>(s.max_parallelism));
  auto writeKeyGroup = [&](int kg, std::string_view bytes) {
    head.writeVarint(static_cast<uint64_t>(kg));
    head.writeVarint(bytes.size());
    out.flush(head);
    out.write(bytes);
  };
  if (s.deferred_key_groups != nullptr) {
    EDDY_CHECK(s.key_groups.empty());
    const KeyGroupRange range = s.deferred_key_groups->range();
    head.writeVarint(static_cast<uint64_t>(range.size()));
    DataOutputView bytes;
    for (int kg = range.start; kg <= range.end; ++kg) {
      bytes.clear();
      EDDY_RETURN_IF_ERROR(s.deferred_key_groups->writeKeyGroup(kg, bytes));
      writeKeyGroup(kg, bytes.data());
    }
  } else {
    head.writeVarint(s.key_groups.size());
    for (const auto& [kg, bytes] : s.key_groups) writeKeyGroup(kg, bytes);
  }
  head.writeString(s.operator_state);
  head.writeString(s.rocksdb_handle);
  head.writeVarint(s.files.size());
  for (const state::StateFile& f : s.files) {
    head.writeString(f.name);
    head.write<uint64_t>(f.size);
  }
  out.flush(head);
  return out.close();
}

Result<OperatorSnapshot> decodeSnapshot(std::string_view data) {
  DataInputView in(data);
  char magic[8];
  EDDY_RETURN_IF_ERROR(in.readBytes(magic, 8));
  const bool v1 = std::memcmp(magic, kStateMagicV1, 8) == 0;
  if (!v1 && std::memcmp(magic, kStateMagic, 8) != 0) return Status::invalidArgument("not an Eddy state file");
  OperatorSnapshot s;
  EDDY_ASSIGN_OR_RETURN(uint64_t mp, in.readVarint());
  s.max_parallelism = static_cast<int>(mp);
  EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
  for (uint64_t i = 0; i < n; ++i) {
    EDDY_ASSIGN_OR_RETURN(uint64_t kg, in.readVarint());
    EDDY_ASSIGN_OR_RETURN(std::string bytes, in.readString());
    s.key_groups[static_cast<int>(kg)] = std::move(bytes);
  }
  EDDY_ASSIGN_OR_RETURN(s.operator_state, in.readString());
  if (!v1) {
    EDDY_ASSIGN_OR_RETURN(s.rocksdb_handle, in.readString());
    EDDY_ASSIGN_OR_RETURN(uint64_t files, in.readVarint());
    for (uint64_t i = 0; i < files; ++i) {
      state::StateFile f;
      EDDY_ASSIGN_OR_RETURN(f.name, in.readString());
      EDDY_ASSIGN_OR_RETURN(f.size, in.read<uint64_t>());
      s.files.push_back(std::move(f));
    }
  }
  if (!in.atEnd()) return Status::invalidArgument("trailing bytes after the state");
  return s;
}

Status withFile(const std::string& path, const Status& st) {
  return st.isOk() ? st : Status(st.code(), path + ": " + st.message());
}

}  // namespace

Result<std::unique_ptr<FileCheckpointStorage>> FileCheckpointStorage::open(const std::string& uri, bool create) {
  std::string dir = uri.rfind("file://", 0) == 0 ? uri.substr(7) : uri;
  if (dir.empty()) return Status::invalidArgument("empty checkpoint directory");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (!create) return Status::notFound(dir + ": checkpoint directory does not exist");
    fs::create_directories(dir, ec);
    if (ec) return Status::unavailable(dir + ": cannot create checkpoint directory: " + ec.message());
  }
  return std::unique_ptr<FileCheckpointStorage>(new FileCheckpointStorage(dir));
}

std::string FileCheckpointStorage::checkpointDir(int64_t id) const { return dir_ + "/chk-" + std::to_string(id); }

Status FileCheckpointStorage::uploadShared(const state::StateFile& file, CheckpointWriteStats& stats) const {
  stats.full_size += static_cast<int64_t>(file.size);
  std::string target = sharedDir() + "/" + file.name;
  std::error_code ec;
  // A name is the same bytes forever: one there already (whole: it arrived by rename)
  // is this file, written by an earlier checkpoint.
  if (fs::exists(target, ec)) return Status::ok();
  std::string tmp = target + ".inprogress";
  fs::copy_file(file.path, tmp, fs::copy_options::overwrite_existing, ec);
  if (ec) return Status::unavailable(file.path + ": cannot copy into the checkpoint: " + ec.message());
  fs::rename(tmp, target, ec);
  if (ec) return Status::unavailable(target + ": cannot commit: " + ec.message());
  stats.bytes_written += static_cast<int64_t>(file.size);
  return Status::ok();
}

Status FileCheckpointStorage::write(const CompletedCheckpoint& cp, CheckpointWriteStats* stats_out) {
  CheckpointWriteStats stats;
  std::string dir = checkpointDir(cp.id);
  std::error_code ec;
  fs::remove_all(dir, ec);  // A leftover of a crash before its metadata was written.
  fs::create_directories(dir, ec);
  if (ec) return Status::unavailable(dir + ": cannot create: " + ec.message());
  std::string shared_list;
  for (const auto& [key, subtasks] : cp.operators) {
    for (const OperatorSnapshot& s : subtasks) {
      if (s.files.empty()) continue;
      fs::create_directories(sharedDir(), ec);
      if (ec) return Status::unavailable(sharedDir() + ": cannot create: " + ec.message());
      for (const state::StateFile& f : s.files) {
        EDDY_RETURN_IF_ERROR(uploadShared(f, stats));
        shared_list += f.name + "\n";
      }
    }
  }
  if (!shared_list.empty()) EDDY_RETURN_IF_ERROR(writeFile(dir + "/" + kSharedList, shared_list, /*sync=*/false));
  DataOutputView meta;
  meta.writeBytes(kMetaMagic, 8);
  meta.write<int64_t>(cp.id);
  meta.write<int64_t>(cp.timestamp_ms);
  meta.writeString(cp.job_fingerprint);
  meta.writeVarint(cp.operators.size());
  size_t op_index = 0;
  for (const auto& [key, subtasks] : cp.operators) {
    meta.writeString(key);
    meta.writeVarint(subtasks.size());
    for (size_t i = 0; i < subtasks.size(); ++i) {
      std::string name = "op" + std::to_string(op_index) + "-" + std::to_string(i);
      StateFileWriter file(dir + "/" + name);
      EDDY_RETURN_IF_ERROR(writeSnapshot(subtasks[i], file));
      stats.bytes_written += static_cast<int64_t>(file.size());
      stats.full_size += static_cast<int64_t>(file.size());
      meta.writeString(name);
      meta.write<uint64_t>(file.size());
      meta.write<uint64_t>(file.checksum());
    }
    ++op_index;
  }
  meta.write<uint64_t>(wordHash(meta.data()));
  // The checkpoint exists once `_metadata` does: write it aside, then rename.
  std::string tmp = dir + "/" + kMetadata + ".inprogress";
  EDDY_RETURN_IF_ERROR(writeFile(tmp, meta.data(), /*sync=*/true));
  fs::rename(tmp, dir + "/" + kMetadata, ec);
  if (ec) return Status::unavailable(dir + "/" + kMetadata + ": cannot commit: " + ec.message());
  if (stats_out != nullptr) *stats_out = stats;
  return Status::ok();
}

Result<std::vector<int64_t>> FileCheckpointStorage::completedIds() const {
  std::vector<int64_t> ids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("chk-", 0) != 0) continue;
    char* end = nullptr;
    long long id = std::strtoll(name.c_str() + 4, &end, 10);
    if (end == nullptr || *end != '\0') continue;
    if (fs::exists(entry.path() / kMetadata, ec)) ids.push_back(id);
  }
  if (ec) return Status::unavailable(dir_ + ": cannot list: " + ec.message());
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<CompletedCheckpoint> FileCheckpointStorage::read(int64_t id) const {
  std::string dir = checkpointDir(id);
  std::string meta_path = dir + "/" + kMetadata;
  EDDY_ASSIGN_OR_RETURN(std::string meta, readFile(meta_path));
  const bool v1 = meta.size() >= 16 && std::memcmp(meta.data(), kMetaMagicV1, 8) == 0;
  if (meta.size() < 16 || (!v1 && std::memcmp(meta.data(), kMetaMagic, 8) != 0)) {
    return Status::invalidArgument(meta_path + ": not an Eddy checkpoint (bad header)");
  }
  uint64_t stored;
  std::memcpy(&stored, meta.data() + meta.size() - 8, 8);
  auto checksum = [v1](std::string_view data) { return v1 ? fnv1a(data) : wordHash(data); };
  if (stored != checksum(std::string_view(meta).substr(0, meta.size() - 8))) {
    return Status::invalidArgument(meta_path + ": corrupt (checksum mismatch)");
  }
  DataInputView in(std::string_view(meta).substr(8, meta.size() - 16));
  CompletedCheckpoint cp;
  auto fail = [&](const Status& st) { return withFile(meta_path, st); };
  Result<int64_t> rid = in.read<int64_t>();
  if (!rid.isOk()) return fail(rid.status());
  cp.id = *rid;
  Result<int64_t> ts = in.read<int64_t>();
  if (!ts.isOk()) return fail(ts.status());
  cp.timestamp_ms = *ts;
  Result<std::string> fp = in.readString();
  if (!fp.isOk()) return fail(fp.status());
  cp.job_fingerprint = *fp;
  Result<uint64_t> ops = in.readVarint();
  if (!ops.isOk()) return fail(ops.status());
  for (uint64_t o = 0; o < *ops; ++o) {
    Result<std::string> key = in.readString();
    if (!key.isOk()) return fail(key.status());
    Result<uint64_t> n = in.readVarint();
    if (!n.isOk()) return fail(n.status());
    std::vector<OperatorSnapshot>& subtasks = cp.operators[*key];
    for (uint64_t i = 0; i < *n; ++i) {
      Result<std::string> name = in.readString();
      if (!name.isOk()) return fail(name.status());
      Result<uint64_t> size = in.read<uint64_t>();
      if (!size.isOk()) return fail(size.status());
      Result<uint64_t> sum = in.read<uint64_t>();
      if (!sum.isOk()) return fail(sum.status());
      std::string path = dir + "/" + *name;
      EDDY_ASSIGN_OR_RETURN(std::string data, readFile(path));
      if (data.size() != *size) {
        return Status::invalidArgument(path + ": truncated (" + std::to_string(data.size()) + " of " +
                                       std::to_string(*size) + " bytes)");
      }
      if (checksum(data) != *sum) return Status::invalidArgument(path + ": corrupt (checksum mismatch)");
      Result<OperatorSnapshot> snap = decodeSnapshot(data);
      if (!snap.isOk()) return withFile(path, snap.status());
      for (state::StateFile& f : snap->files) {
        f.path = sharedDir() + "/" + f.name;
        std::error_code ec;
        uintmax_t size = fs::file_size(f.path, ec);
        if (ec) return Status::notFound(f.path + ": shared state file of " + path + " is missing");
        if (size != f.size) {
          return Status::invalidArgument(f.path + ": truncated (" + std::to_string(size) + " of " +
                                         std::to_string(f.size) + " bytes)");
        }
      }
      subtasks.push_back(std::move(*snap));
    }
  }
  return cp;
}

Status FileCheckpointStorage::remove(int64_t id) {
  std::error_code ec;
  fs::remove_all(checkpointDir(id), ec);
  if (ec) return Status::unavailable(checkpointDir(id) + ": cannot remove: " + ec.message());
  return removeUnreferencedShared();
}

Status FileCheckpointStorage::removeUnreferencedShared() const {
  std::error_code ec;
  if (!fs::is_directory(sharedDir(), ec)) return Status::ok();
  // The references: every checkpoint directory's list (complete or not; a partial one
  // is removed, and its files with it, when its id is written again).
  std::set<std::string> referenced;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (entry.path().filename().string().rfind("chk-", 0) != 0) continue;
    Result<std::string> list = readFile((entry.path() / kSharedList).string());
    if (!list.isOk()) continue;  // Refers to no shared file.
    size_t start = 0;
    for (size_t nl; (nl = list->find('\n', start)) != std::string::npos; start = nl + 1) {
      referenced.insert(list->substr(start, nl - start));
    }
  }
  if (ec) return Status::unavailable(dir_ + ": cannot list: " + ec.message());
  for (const auto& entry : fs::directory_iterator(sharedDir(), ec)) {
    if (referenced.count(entry.path().filename().string()) != 0) continue;
    fs::remove(entry.path(), ec);
    if (ec) return Status::unavailable(entry.path().string() + ": cannot remove: " + ec.message());
  }
  return Status::ok();
}

Result<CompletedCheckpoint> latestCheckpoint(const CheckpointStorage& storage, std::vector<std::string>* skipped) {
  EDDY_ASSIGN_OR_RETURN(std::vector<int64_t> ids, storage.completedIds());
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    Result<CompletedCheckpoint> cp = storage.read(*it);
    if (cp.isOk()) return cp;
    if (skipped != nullptr) skipped->push_back(cp.status().message());
  }
  return Status::notFound("no completed checkpoint");
}

Status removeSubsumed(CheckpointStorage& storage, int retained) {
  EDDY_ASSIGN_OR_RETURN(std::vector<int64_t> ids, storage.completedIds());
  for (size_t i = 0; i + static_cast<size_t>(std::max(retained, 1)) < ids.size(); ++i) {
    EDDY_RETURN_IF_ERROR(storage.remove(ids[i]));
  }
  return Status::ok();
}

Result<CompletedCheckpoint> readCheckpointAt(const std::string& path) {
  std::string p = path.rfind("file://", 0) == 0 ? path.substr(7) : path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  fs::path fp(p);
  std::string name = fp.filename().string();
  if (name.rfind("chk-", 0) == 0) {
    char* end = nullptr;
    long long id = std::strtoll(name.c_str() + 4, &end, 10);
    if (end != nullptr && *end == '\0' && id >= 0) {
      EDDY_ASSIGN_OR_RETURN(auto storage, FileCheckpointStorage::open(fp.parent_path().string(), /*create=*/false));
      Result<CompletedCheckpoint> cp = storage->read(id);
      if (!cp.isOk()) return Status(cp.status().code(), "checkpoint " + path + ": " + cp.status().message());
      return cp;
    }
  }
  EDDY_ASSIGN_OR_RETURN(auto storage, FileCheckpointStorage::open(p, /*create=*/false));
  Result<CompletedCheckpoint> cp = latestCheckpoint(*storage, nullptr);
  if (!cp.isOk() && cp.status().code() == StatusCode::kNotFound) {
    return Status::notFound(path + " holds no complete checkpoint");
  }
  return cp;
}

}  // namespace eddy::runtime
