#include "eddy/state/rocksdb_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/compaction_filter.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>

namespace eddy::state {

struct RocksDbStore::Batch::Impl {
  rocksdb::WriteBatch batch;
};

RocksDbStore::Batch::Batch() : impl_(std::make_unique<Impl>()) {}
RocksDbStore::Batch::~Batch() = default;
void RocksDbStore::Batch::put(std::string_view key, std::string_view value) {
  impl_->batch.Put(rocksdb::Slice(key.data(), key.size()), rocksdb::Slice(value.data(), value.size()));
}
void RocksDbStore::Batch::remove(std::string_view key) { impl_->batch.Delete(rocksdb::Slice(key.data(), key.size())); }
size_t RocksDbStore::Batch::count() const { return static_cast<size_t>(impl_->batch.Count()); }
void RocksDbStore::Batch::clear() { impl_->batch.Clear(); }

namespace {

/// The compaction filters of one store's tables, by table id. Tables register on the
/// task thread; each compaction takes a copy under the lock when it starts.
struct FilterRegistry {
  struct Entry {
    const Clock* clock = nullptr;
    int64_t query_time_after = 1;
    std::shared_ptr<const RocksDbStore::CompactionFilterFn> fn;
  };
  std::mutex mu;
  std::map<uint16_t, Entry> filters;
};

/// One compaction's filter: RocksDB uses it from one thread.
class TableFilter final : public rocksdb::CompactionFilter {
 public:
  explicit TableFilter(std::map<uint16_t, FilterRegistry::Entry> filters) {
    for (auto& [id, e] : filters) tables_.emplace(id, Table{std::move(e), 0, 0});
  }
  bool Filter(int /*level*/, const rocksdb::Slice& key, const rocksdb::Slice& existing_value, std::string* new_value,
              bool* value_changed) const override {
    if (key.size() < 2) return false;
    const auto id = static_cast<uint16_t>((static_cast<uint8_t>(key[0]) << 8) | static_cast<uint8_t>(key[1]));
    auto it = tables_.find(id);
    if (it == tables_.end()) return false;
    Table& t = it->second;
    // Flink's queryTimeAfterNumEntries: the clock once per so many values.
    if (t.seen++ % t.entry.query_time_after == 0) t.now = t.entry.clock->currentTimeMillis();
    switch ((*t.entry.fn)(std::string_view(existing_value.data(), existing_value.size()), t.now, new_value)) {
      case RocksDbStore::FilterDecision::kRemove:
        return true;
      case RocksDbStore::FilterDecision::kChange:
        *value_changed = true;
        return false;
      case RocksDbStore::FilterDecision::kKeep:
        return false;
    }
    return false;
  }
  const char* Name() const override { return "eddy.TtlCompactionFilter"; }

 private:
  struct Table {
    FilterRegistry::Entry entry;
    int64_t seen;
    Timestamp now;
  };
  mutable std::map<uint16_t, Table> tables_;
};

class TableFilterFactory final : public rocksdb::CompactionFilterFactory {
 public:
  explicit TableFilterFactory(std::shared_ptr<FilterRegistry> registry) : registry_(std::move(registry)) {}
  std::unique_ptr<rocksdb::CompactionFilter> CreateCompactionFilter(const rocksdb::CompactionFilter::Context&) override {
    std::lock_guard<std::mutex> lock(registry_->mu);
    return std::make_unique<TableFilter>(registry_->filters);
  }
  const char* Name() const override { return "eddy.TtlCompactionFilterFactory"; }

 private:
  std::shared_ptr<FilterRegistry> registry_;
};

}  // namespace

/// The open database, shared by the store and the snapshots taken of it: the last
/// owner closes it and removes its directory.
struct RocksDbStore::Impl {
  std::string dir;
  std::shared_ptr<FilterRegistry> filters;
  std::unique_ptr<rocksdb::DB> db;
  rocksdb::WriteOptions write_options;
  rocksdb::ReadOptions read_options;

  ~Impl() {
    if (db) {
      (void)db->Close();
      db.reset();
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  Status check(const char* what, const rocksdb::Status& st) const {
    if (st.ok()) return Status::ok();
    return Status::unavailable(std::string("rocksdb ") + what + " in " + dir + ": " + st.ToString());
  }

  /// fn(key, value) for every key starting with `prefix`, in key order, as `options` see
  /// the database (now, or at a snapshot).
  Status scan(const rocksdb::ReadOptions& options, std::string_view prefix,
              const std::function<void(std::string_view, std::string_view)>& fn) const {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(options));
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
      rocksdb::Slice k = it->key();
      if (!k.starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) break;
      rocksdb::Slice v = it->value();
      fn(std::string_view(k.data(), k.size()), std::string_view(v.data(), v.size()));
    }
    return check("scan", it->status());
  }

  /// The entries under `prefix` as a snapshot holds them: their count (varint), then
  /// each key past the prefix followed by its value.
  Status copyOut(const rocksdb::ReadOptions& options, std::string_view prefix, DataOutputView& out) const {
    uint64_t n = 0;
    DataOutputView entries;
    EDDY_RETURN_IF_ERROR(scan(options, prefix, [&](std::string_view k, std::string_view v) {
      entries.writeBytes(k.data() + prefix.size(), k.size() - prefix.size());
      entries.writeBytes(v.data(), v.size());
      ++n;
    }));
    out.writeVarint(n);
    out.writeBytes(entries.data().data(), entries.size());
    return Status::ok();
  }
};

struct RocksDbStore::Snapshot::Impl {
  std::shared_ptr<RocksDbStore::Impl> store;
  const rocksdb::Snapshot* snapshot = nullptr;
  rocksdb::ReadOptions read_options;
  ~Impl() {
    if (snapshot != nullptr) store->db->ReleaseSnapshot(snapshot);
  }
};

RocksDbStore::Snapshot::Snapshot(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RocksDbStore::Snapshot::~Snapshot() = default;

Status RocksDbStore::Snapshot::scan(std::string_view prefix,
                                    const std::function<void(std::string_view, std::string_view)>& fn) const {
  return impl_->store->scan(impl_->read_options, prefix, fn);
}

Status RocksDbStore::Snapshot::copyOut(std::string_view prefix, DataOutputView& out) const {
  return impl_->store->copyOut(impl_->read_options, prefix, out);
}

std::shared_ptr<const RocksDbStore::Snapshot> RocksDbStore::snapshot() const {
  auto impl = std::make_unique<Snapshot::Impl>();
  impl->store = impl_;
  impl->snapshot = impl_->db->GetSnapshot();
  impl->read_options.snapshot = impl->snapshot;
  // A checkpoint reads every key once: keep its blocks out of the cache of hot ones.
  impl->read_options.fill_cache = false;
  return std::shared_ptr<const Snapshot>(new Snapshot(std::move(impl)));
}

namespace {

constexpr char kDirPrefix[] = "eddy-rocksdb-";

std::filesystem::path rootOf(const std::string& base) {
  return base.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(base);
}

std::string freshDirectory(const std::string& base) {
  static std::atomic<uint64_t> counter{0};
  std::random_device rd;
  return (rootOf(base) / (kDirPrefix + std::to_string(::getpid()) + "-" + std::to_string(rd()) + "-" +
                          std::to_string(counter.fetch_add(1))))
      .string();
}

// Working directories of processes that died without cleaning up (kill -9): their
// names carry the pid, and a pid that no longer exists owns nothing.
void removeOrphans(const std::string& base) {
  static std::once_flag once;
  std::call_once(once, [&] {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(rootOf(base), ec)) {
      std::string name = entry.path().filename().string();
      if (name.rfind(kDirPrefix, 0) != 0) continue;
      long pid = std::strtol(name.c_str() + std::strlen(kDirPrefix), nullptr, 10);
      if (pid <= 0 || pid == ::getpid()) continue;
      if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) std::filesystem::remove_all(entry.path(), ec);
    }
  });
}

// The end of the range of keys starting with `prefix`: the prefix with its last byte
// below 0xff incremented and what follows dropped; empty means "to the end".
std::string prefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto last = static_cast<unsigned char>(end.back());
    if (last != 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return end;
}

}  // namespace

namespace {

rocksdb::Options storeOptions() {
  rocksdb::Options options;
  // Working state of one subtask: a small write buffer per instance, several instances
  // per process, no background threads fighting the task threads for the cores.
  options.write_buffer_size = 64 << 20;
  options.max_write_buffer_number = 3;
  options.max_background_jobs = 2;
  options.max_open_files = 256;
  // Most lookups miss the memtable: a whole-key bloom filter there skips its search.
  options.memtable_prefix_bloom_size_ratio = 0.1;
  options.memtable_whole_key_filtering = true;
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 16 << 10;
  // Point lookups dominate (a cache miss reads one key): bloom filters spare reading
  // blocks of files that cannot hold the key, a block cache keeps hot blocks decoded.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.block_cache = rocksdb::NewLRUCache(64 << 20);
  table.cache_index_and_filter_blocks = false;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

Result<std::string> makeFreshDirectory(const std::string& base_dir) {
  removeOrphans(base_dir);
  std::string dir = freshDirectory(base_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::unavailable("rocksdb state directory " + dir + ": " + ec.message());
  return dir;
}

}  // namespace

Result<std::unique_ptr<RocksDbStore>> RocksDbStore::openIn(const std::string& dir, bool create) {
  rocksdb::Options options = storeOptions();
  auto filters = std::make_shared<FilterRegistry>();
  options.compaction_filter_factory = std::make_shared<TableFilterFactory>(filters);
  options.create_if_missing = create;
  options.error_if_exists = create;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status st = rocksdb::DB::Open(options, dir, &raw);
  if (!st.ok()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return Status::unavailable("rocksdb state directory " + dir + ": " + st.ToString());
  }
  auto impl = std::make_shared<Impl>();
  impl->dir = dir;
  impl->filters = std::move(filters);
  impl->db.reset(raw);
  impl->write_options.disableWAL = true;
  return std::unique_ptr<RocksDbStore>(new RocksDbStore(std::move(impl)));
}

Result<std::unique_ptr<RocksDbStore>> RocksDbStore::open(const std::string& base_dir) {
  EDDY_ASSIGN_OR_RETURN(std::string dir, makeFreshDirectory(base_dir));
  return openIn(dir, /*create=*/true);
}

Result<std::unique_ptr<RocksDbStore>> RocksDbStore::openFrom(
    const std::string& base_dir, const std::vector<std::pair<std::string, std::string>>& files) {
  EDDY_ASSIGN_OR_RETURN(std::string dir, makeFreshDirectory(base_dir));
  for (const auto& [name, from] : files) {
    std::filesystem::path to = std::filesystem::path(dir) / name;
    std::error_code ec;
    // SST files never change: a link shares them with the checkpoint; the others
    // (RocksDB rewrites CURRENT and appends to MANIFEST) are copied.
    if (isSharedFile(name)) std::filesystem::create_hard_link(from, to, ec);
    if (!isSharedFile(name) || ec) {
      ec.clear();
      std::filesystem::copy_file(from, to, ec);
    }
    if (ec) {
      std::filesystem::remove_all(dir, ec);
      return Status::unavailable("restoring rocksdb state from " + from + ": " + ec.message());
    }
  }
  return openIn(dir, /*create=*/false);
}

bool RocksDbStore::isSharedFile(const std::string& name) {
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".sst") == 0;
}

Result<std::vector<RocksDbStore::CheckpointFile>> RocksDbStore::createCheckpoint(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);  // One left by an earlier attempt at this id.
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status st = rocksdb::Checkpoint::Create(impl_->db.get(), &raw);
  EDDY_RETURN_IF_ERROR(impl_->check("checkpoint", st));
  std::unique_ptr<rocksdb::Checkpoint> cp(raw);
  // log_size_for_flush 0: always flush, so the files hold everything (no WAL to copy).
  st = cp->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
  EDDY_RETURN_IF_ERROR(impl_->check("checkpoint", st));
  std::vector<CheckpointFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    files.push_back(CheckpointFile{entry.path().filename().string(), static_cast<uint64_t>(entry.file_size())});
  }
  if (ec) return Status::unavailable("rocksdb checkpoint " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return files;
}

RocksDbStore::RocksDbStore(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

const std::string& RocksDbStore::directory() const { return impl_->dir; }

// The database closes (and its directory goes) with the last snapshot still reading it.
RocksDbStore::~RocksDbStore() = default;

Status RocksDbStore::get(std::string_view key, std::string* value, bool* found) const {
  rocksdb::Status st = impl_->db->Get(impl_->read_options, rocksdb::Slice(key.data(), key.size()), value);
  *found = st.ok();
  if (st.IsNotFound()) return Status::ok();
  return impl_->check("get", st);
}

Status RocksDbStore::write(Batch& batch) {
  rocksdb::Status st = impl_->db->Write(impl_->write_options, &batch.impl_->batch);
  batch.clear();
  return impl_->check("write", st);
}

Status RocksDbStore::scan(std::string_view prefix,
                          const std::function<void(std::string_view, std::string_view)>& fn) const {
  return impl_->scan(impl_->read_options, prefix, fn);
}

Status RocksDbStore::copyOut(std::string_view prefix, DataOutputView& out) const {
  return impl_->copyOut(impl_->read_options, prefix, out);
}

Status RocksDbStore::removePrefix(std::string_view prefix) {
  std::string end = prefixEnd(prefix);
  rocksdb::Status st;
  if (end.empty()) {
    // Nothing sorts after the prefix's range: delete key by key.
    Batch batch;
    EDDY_RETURN_IF_ERROR(scan(prefix, [&](std::string_view k, std::string_view) { batch.remove(k); }));
    return write(batch);
  }
  st = impl_->db->DeleteRange(impl_->write_options, impl_->db->DefaultColumnFamily(),
                              rocksdb::Slice(prefix.data(), prefix.size()), rocksdb::Slice(end));
  return impl_->check("delete range", st);
}

void RocksDbStore::setCompactionFilter(uint16_t table_id, const Clock* clock, int64_t query_time_after,
                                       CompactionFilterFn filter) {
  std::lock_guard<std::mutex> lock(impl_->filters->mu);
  impl_->filters->filters[table_id] = FilterRegistry::Entry{
      clock, std::max<int64_t>(1, query_time_after), std::make_shared<const CompactionFilterFn>(std::move(filter))};
}

Status RocksDbStore::compactAll() {
  rocksdb::Status st = impl_->db->Flush(rocksdb::FlushOptions());
  if (st.ok()) {
    rocksdb::CompactRangeOptions options;
    // Every file goes through the filters, even one alone at the bottom level.
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    st = impl_->db->CompactRange(options, nullptr, nullptr);
  }
  return impl_->check("compaction", st);
}

}  // namespace eddy::state
