#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/core/random_id.h"
#include "eddy/state/heap_states.h"
#include "eddy/state/key_group_writer.h"
#include "eddy/state/rocksdb_snapshot.h"
#include "eddy/state/state_backend_options.h"

namespace eddy::state {

/// A snapshot of keyed state, by key group (Flink's KeyGroupsStateHandle): each key
/// group's bytes hold every state table's entries of that key group, so a restore at
/// another parallelism takes exactly the key groups its range owns.
struct KeyedStateSnapshot {
  int max_parallelism = kDefaultMaxParallelism;
  std::map<int, std::string> key_groups;  // Key group -> its bytes.
  /// Full snapshots: the key groups' bytes, written later from the frozen tables (see
  /// KeyedStateBackend::snapshotFrozen); key_groups is empty then. materialize() fills it.
  std::shared_ptr<const KeyGroupWriter> deferred;
  /// Incremental RocksDB snapshots: the tables are in files (an encoded
  /// RocksDbSnapshotHandle and the StateFiles it names) and each key group's bytes
  /// list no tables.
  std::string rocksdb_handle;
  std::vector<StateFile> files;
  std::shared_ptr<const void> files_owner;  // Keeps `files` where they are until dropped.

  /// Writes the deferred key groups into key_groups (tests, in-memory restores).
  Status materialize() {
    if (deferred == nullptr) return Status::ok();
    EDDY_RETURN_IF_ERROR(writeAllKeyGroups(*deferred, key_groups));
    deferred.reset();
    return Status::ok();
  }
};

/// A heap backend's frozen tables: each key group's bytes list every table's entries
/// of that key group (the format of KeyedStateBackend::snapshot).
class FrozenTablesWriter final : public KeyGroupWriter {
 public:
  struct Table {
    std::string name;
    std::string type;
    std::shared_ptr<const KeyGroupWriter> writer;
  };
  FrozenTablesWriter(KeyGroupRange range, std::vector<Table> tables) : range_(range), tables_(std::move(tables)) {}
  KeyGroupRange range() const override { return range_; }
  Status writeKeyGroup(int key_group, DataOutputView& out) const override {
    out.writeVarint(tables_.size());
    DataOutputView table;
    for (const Table& t : tables_) {
      out.writeString(t.name);
      out.writeString(t.type);
      table.clear();
      Status st = t.writer->writeKeyGroup(key_group, table);
      if (!st.isOk()) return Status(st.code(), "state '" + t.name + "': " + st.message());
      out.writeString(table.data());
    }
    return Status::ok();
  }

 private:
  KeyGroupRange range_;
  std::vector<Table> tables_;
};

/// Keyed state of one operator subtask: state tables by name, stored per key group of
/// the subtask's range. With kHashMap everything is on the heap (Flink's
/// HashMapStateBackend); with kRocksDb each table keeps its entries in one embedded
/// RocksDB instance per subtask behind a bounded write-back cache (Flink's
/// EmbeddedRocksDBStateBackend; see StateTable). Snapshots have the same format either
/// way, so a checkpoint restores into either backend. TTL uses `clock`.
/// Thread: the task thread only.
template <typename K>
class KeyedStateBackend {
 public:
  KeyedStateBackend(KeyGroupRange range, int max_parallelism, const Clock* clock,
                        StateBackendKind kind = StateBackendKind::kHashMap, RocksDbOptions rocksdb = {})
      : clock_(clock), rocksdb_options_(std::move(rocksdb)) {
    ctx_.range = range;
    ctx_.max_parallelism = max_parallelism;
    if (kind == StateBackendKind::kRocksDb) {
      auto store = RocksDbStore::open(rocksdb_options_.local_dir);
      if (!store.isOk()) throw std::runtime_error(store.status().message());
      store_ = std::move(store).value();
      instance_id_ = newInstanceId();
    }
  }
  bool usesRocksDb() const { return store_ != nullptr; }
  KeyedStateBackend(const KeyedStateBackend&) = delete;
  KeyedStateBackend& operator=(const KeyedStateBackend&) = delete;

  void setCurrentKey(const K& key) {
    ctx_.setCurrentKey(key);
    for (const auto& cleanup : per_record_cleanups_) cleanup();
  }
  const K& getCurrentKey() const { return ctx_.key; }
  const KeyContext<K>& keyContext() const { return ctx_; }
  const Clock* clock() const { return clock_; }

  /// The table named `name`, created on first use. Asking for one name with two
  /// different types is a programming error reported as std::invalid_argument.
  template <typename N, typename V>
  StateTable<K, N, V>* table(const std::string& name) {
    auto it = tables_.find(name);
    if (it == tables_.end()) {
      auto t = std::make_unique<StateTable<K, N, V>>(&ctx_);
      auto* raw = t.get();
      if (store_) raw->attachStore(store_.get(), tableId(name, typeid(StateTable<K, N, V>).name()),
                                   rocksdb_options_.cache_entries_per_state);
      applyRestored(name, typeid(StateTable<K, N, V>).name(), *raw);
      auto keys = [raw] {
        std::vector<K> out;
        for (int g = 0; g < raw->numKeyGroups(); ++g) {
          // RocksDB: the key group moves into the cache first. Heap: read, not copied.
          const auto& m = raw->inRocksDb() ? raw->keyGroup(g) : raw->readKeyGroup(g);
          m.forEach([&](const StateKey<K, N>& k, const V&) { out.push_back(k.key); });
        }
        return out;
      };
      tables_.emplace(name, Entry{std::move(t), &typeid(StateTable<K, N, V>), std::move(keys), raw->tableId()});
      return raw;
    }
    if (*it->second.type != typeid(StateTable<K, N, V>)) {
      throw std::invalid_argument("state '" + name + "' was registered with another type");
    }
    return static_cast<StateTable<K, N, V>*>(it->second.table.get());
  }

  template <typename State, typename Make>
  State* byTtl(const StateDescriptorBase& d, Make make) {
    if (d.ttl.isEnabled()) return make.template operator()<true>();
    return make.template operator()<false>();
  }

  /// A state handle of type S over the table for `desc`, created once per name.
  template <typename S, typename N, typename V, typename... Args>
  S* handle(const StateDescriptorBase& desc, Args&&... args) {
    auto* t = table<N, V>(desc.name);  // Checks the type first.
    auto it = handles_.find(desc.name);
    if (it != handles_.end()) return static_cast<S*>(it->second.get());
    auto h = std::make_shared<S>(t, TtlPolicy(desc.ttl, clock_), std::forward<Args>(args)...);
    S* raw = h.get();
    // cleanupIncrementally(size, runCleanupForEveryRecord = true): also per record.
    if (TtlPolicy(desc.ttl, clock_).cleanupForEveryRecord()) {
      per_record_cleanups_.push_back([raw] { raw->cleanupIncrementally(); });
    }
    if (store_ != nullptr && desc.ttl.rocksDbCompactFilterCleanup()) addTtlCompactionFilter<V>(t->tableId(), desc.ttl);
    if (desc.ttl.isEnabled() && desc.ttl.cleanup_full_snapshot) {
      t->setSnapshotTrim([ttl = TtlPolicy(desc.ttl, clock_)](V& v, Timestamp now) { return removeExpired(ttl, v, now); },
                         clock_);
    }
    handles_[desc.name] = std::move(h);
    return raw;
  }

  // Each state kind comes in two layouts: with a last-access stamp per value (TTL) and
  // without. The descriptor's TTL config picks one at registration.
  template <typename T>
  ValueState<T>* getState(const ValueStateDescriptor<T>& d) {
    return byTtl<ValueState<T>>(d, [&]<bool kTtl>() {
      using S = HeapValueState<K, VoidNamespace, T, kTtl>;
      return handle<S, VoidNamespace, typename S::Stored>(d, d.default_value);
    });
  }
  template <typename T>
  ListState<T>* getListState(const ListStateDescriptor<T>& d) {
    return byTtl<ListState<T>>(d, [&]<bool kTtl>() {
      using S = HeapListState<K, VoidNamespace, T, kTtl>;
      return handle<S, VoidNamespace, typename S::Stored>(d);
    });
  }
  template <typename UK, typename UV>
  MapState<UK, UV>* getMapState(const MapStateDescriptor<UK, UV>& d) {
    return byTtl<MapState<UK, UV>>(d, [&]<bool kTtl>() {
      using S = HeapMapState<K, VoidNamespace, UK, UV, kTtl>;
      return handle<S, VoidNamespace, typename S::Stored>(d);
    });
  }
  template <typename T>
  ReducingState<T>* getReducingState(const ReducingStateDescriptor<T>& d) {
    return byTtl<ReducingState<T>>(d, [&]<bool kTtl>() {
      using S = HeapReducingState<K, VoidNamespace, T, kTtl>;
      return handle<S, VoidNamespace, typename S::Stored>(d, d.reduce_function);
    });
  }
  template <typename IN, typename ACC, typename OUT>
  AggregatingState<IN, OUT>* getAggregatingState(const AggregatingStateDescriptor<IN, ACC, OUT>& d) {
    return byTtl<AggregatingState<IN, OUT>>(d, [&]<bool kTtl>() {
      using S = HeapAggregatingState<K, VoidNamespace, IN, ACC, OUT, kTtl>;
      return handle<S, VoidNamespace, typename S::Stored>(d, d.aggregate_function);
    });
  }

  /// Calls fn(key) once for every key with an entry in the state named `name`, with that
  /// key current; fn may read, change or clear state (Flink's applyToAllKeys).
  template <typename Fn>
  void forEachKey(const std::string& name, Fn&& fn) {
    auto it = tables_.find(name);
    if (it == tables_.end()) return;
    struct Hash {
      uint64_t operator()(const K& k) const { return spreadHash(static_cast<uint32_t>(KeyHash<K>()(k))); }
    };
    FlatHashMap<K, bool, Hash> seen;  // One call per key, whatever its namespaces.
    for (const K& k : it->second.keys()) {
      if (!seen.insert(k, true)) continue;
      setCurrentKey(k);
      fn(k);
    }
  }

  /// The snapshot for checkpoint `checkpoint_id`: incremental (RocksDB's files) when
  /// the RocksDB backend has incremental checkpoints on, else snapshotFrozen().
  Result<KeyedStateSnapshot> snapshot(int64_t checkpoint_id) {
    if (store_ == nullptr || !rocksdb_options_.incremental) return snapshotFrozen();
    return snapshotFiles(checkpoint_id);
  }

  /// Every table, key group by key group, written now (tests, tools): snapshotFrozen()
  /// materialized at once.
  Result<KeyedStateSnapshot> snapshot() {
    EDDY_ASSIGN_OR_RETURN(KeyedStateSnapshot snap, snapshotFrozen());
    EDDY_RETURN_IF_ERROR(snap.materialize());
    return snap;
  }

  /// The asynchronous full snapshot: every table frozen (the heap: a reference per key
  /// group, copied before it next changes while the writer holds it; RocksDB: the cache
  /// written back, then a snapshot of the database), its bytes written later by
  /// `deferred`, on any thread, while this backend goes on.
  Result<KeyedStateSnapshot> snapshotFrozen() {
    std::vector<FrozenTablesWriter::Table> frozen;
    for (const auto& [name, e] : tables_) {
      Result<std::shared_ptr<const KeyGroupWriter>> w = e.table->freeze();
      if (!w.isOk()) return Status(w.status().code(), "state '" + name + "': " + w.status().message());
      frozen.push_back({name, e.type->name(), std::move(w).value()});
    }
    for (auto& t : stashedTables()) frozen.push_back(std::move(t));
    KeyedStateSnapshot snap;
    snap.max_parallelism = ctx_.max_parallelism;
    snap.deferred = std::make_shared<FrozenTablesWriter>(ctx_.range, std::move(frozen));
    return snap;
  }

  /// Takes, from the snapshots of any number of earlier subtasks, the key groups this
  /// backend's range owns (rescaling). Tables fill when they are registered; a table
  /// already registered fills now. The maximum parallelism cannot change (Flink).
  /// An incremental RocksDB snapshot of exactly this range restores into the RocksDB
  /// backend by opening its files (no key is read); otherwise its key groups are read
  /// out of the files first.
  Status restore(const std::vector<KeyedStateSnapshot>& snapshots) {
    for (const KeyedStateSnapshot& snap : snapshots) {
      if (snap.max_parallelism != ctx_.max_parallelism) {
        return Status::invalidArgument("the snapshot was taken with max parallelism " +
                                       std::to_string(snap.max_parallelism) + ", the job now has " +
                                       std::to_string(ctx_.max_parallelism) + "; it cannot change");
      }
    }
    // Incremental snapshots whose range meets this one; the others hold nothing here.
    std::vector<std::pair<const KeyedStateSnapshot*, RocksDbSnapshotHandle>> files;
    for (const KeyedStateSnapshot& snap : snapshots) {
      if (snap.rocksdb_handle.empty()) continue;
      EDDY_ASSIGN_OR_RETURN(RocksDbSnapshotHandle handle, RocksDbSnapshotHandle::decode(snap.rocksdb_handle));
      if (handle.range.end < ctx_.range.start || handle.range.start > ctx_.range.end) continue;
      files.emplace_back(&snap, std::move(handle));
    }
    const bool same_range = files.size() == 1 && files[0].second.range.start == ctx_.range.start &&
                            files[0].second.range.end == ctx_.range.end;
    for (const auto& [snap, handle] : files) {
      std::map<std::string, std::string> paths;
      for (const StateFile& f : snap->files) paths[f.name] = f.path;
      if (store_ != nullptr && same_range && tables_.empty()) {
        EDDY_RETURN_IF_ERROR(openFiles(handle, paths));
        continue;
      }
      // The tables as the files had them, in the format of snapshot()'s key groups.
      EDDY_ASSIGN_OR_RETURN(auto key_groups, materializeKeyGroups(handle, paths, ctx_.range, rocksdb_options_.local_dir));
      for (const auto& [kg, bytes] : key_groups) EDDY_RETURN_IF_ERROR(stashKeyGroup(kg, bytes));
    }
    for (const KeyedStateSnapshot& snap : snapshots) {
      for (const auto& [kg, bytes] : snap.key_groups) {
        if (ctx_.range.contains(kg)) EDDY_RETURN_IF_ERROR(stashKeyGroup(kg, bytes));
      }
      if (snap.deferred == nullptr) continue;
      const KeyGroupRange r = snap.deferred->range();
      for (int kg = std::max(r.start, ctx_.range.start); kg <= std::min(r.end, ctx_.range.end); ++kg) {
        DataOutputView out;
        EDDY_RETURN_IF_ERROR(snap.deferred->writeKeyGroup(kg, out));
        EDDY_RETURN_IF_ERROR(stashKeyGroup(kg, out.data()));
      }
    }
    for (auto& [name, e] : tables_) {
      auto it = restored_.find(name);
      if (it == restored_.end()) continue;
      EDDY_RETURN_IF_ERROR(fill(name, e.type->name(), *e.table, it->second));
      restored_.erase(it);
    }
    return Status::ok();
  }

  /// Bytes of all tables (for tests and metrics), not counting what values point to.
  size_t memoryBytes() const {
    size_t n = 0;
    for (const auto& [name, e] : tables_) n += e.table->memoryBytes();
    return n;
  }

  /// Total entries over all tables (for tests and metrics).
  /// Compacts RocksDB now, through the TTL compaction filters (tests).
  Status TEST_compactRocksDb() { return store_ != nullptr ? store_->compactAll() : Status::ok(); }

  size_t numEntries() const {
    size_t n = 0;
    for (const auto& [name, e] : tables_) n += e.table->size();
    return n;
  }

 private:
  struct Restored {
    int key_group;
    std::string type;
    std::string data;
  };

  /// Restored state of tables this run has not registered (yet): it goes into every
  /// snapshot as it came, so an operator that registers a state late still finds it
  /// after the next restore.
  std::vector<FrozenTablesWriter::Table> stashedTables() const {
    std::vector<FrozenTablesWriter::Table> out;
    for (const auto& [name, parts] : restored_) {
      if (parts.empty()) continue;
      std::map<int, std::string> bytes;
      for (const Restored& r : parts) bytes[r.key_group] = r.data;
      out.push_back({name, parts.front().type, std::make_shared<StashedTableWriter>(ctx_.range, std::move(bytes))});
    }
    return out;
  }

  /// A restored table not registered yet: its key groups' bytes as they came.
  class StashedTableWriter final : public KeyGroupWriter {
   public:
    StashedTableWriter(KeyGroupRange range, std::map<int, std::string> bytes) : range_(range), bytes_(std::move(bytes)) {}
    KeyGroupRange range() const override { return range_; }
    Status writeKeyGroup(int key_group, DataOutputView& out) const override {
      auto it = bytes_.find(key_group);
      if (it == bytes_.end()) {
        out.writeVarint(0);  // No entries in this key group.
      } else {
        out.writeBytes(it->second.data(), it->second.size());
      }
      return Status::ok();
    }

   private:
    KeyGroupRange range_;
    std::map<int, std::string> bytes_;
  };

  /// Queues each table's part of one key group's bytes (snapshot() format) until the
  /// table registers.
  Status stashKeyGroup(int kg, std::string_view bytes) {
    DataInputView in(bytes);
    auto where = [&](const Status& st) { return Status(st.code(), "key group " + std::to_string(kg) + ": " + st.message()); };
    Result<uint64_t> n = in.readVarint();
    if (!n.isOk()) return where(n.status());
    for (uint64_t i = 0; i < *n; ++i) {
      Result<std::string> name = in.readString();
      if (!name.isOk()) return where(name.status());
      Result<std::string> type = in.readString();
      if (!type.isOk()) return where(type.status());
      Result<std::string> data = in.readString();
      if (!data.isOk()) return where(data.status());
      restored_[*name].push_back(Restored{kg, std::move(*type), std::move(*data)});
    }
    return Status::ok();
  }

  /// Flink's TTL compaction filter: RocksDB's compactions drop the table's expired
  /// values (lists by element, maps by entry, through the heap's removeExpired).
  template <typename V>
  void addTtlCompactionFilter(uint16_t table_id, const StateTtlConfig& config) {
    if constexpr (Serializable<V>) {
      using Decision = RocksDbStore::FilterDecision;
      store_->setCompactionFilter(
          table_id, clock_, config.compact_filter_query_time_after,
          [ttl = TtlPolicy(config, clock_)](std::string_view bytes, Timestamp now, std::string* changed) {
            DataInputView in(bytes);
            Result<V> v = deserialize<V>(in);
            // Not this filter's to judge: the task's read names a corrupt value.
            if (!v.isOk()) return Decision::kKeep;
            if (removeExpired(ttl, *v, now)) return Decision::kRemove;
            DataOutputView out;
            serialize(*v, out);
            // Dropping an element always shortens the bytes; the same size is the same
            // content (a map may serialize its entries in another order).
            if (out.size() == bytes.size()) return Decision::kKeep;
            *changed = out.release();
            return Decision::kChange;
          });
    }
  }

  static std::string newInstanceId() { return randomHexId(2); }

  /// The RocksDB key prefix id of table `name`: the one its restored files use (its
  /// type must match), else a new one.
  uint16_t tableId(const std::string& name, const char* type) {
    auto it = table_ids_.find(name);
    if (it == table_ids_.end()) return next_table_id_++;
    if (it->second.type != type) {
      throw std::runtime_error("restoring keyed state: state '" + name + "' was snapshotted with another type than it has now");
    }
    return it->second.id;
  }

  /// Incremental: everything written back into RocksDB, then RocksDB's checkpoint of
  /// its files (hard links, the time of a flush) into `<store>/chk-<id>`. The storage
  /// copies files it does not have yet, on the coordinator's thread.
  Result<KeyedStateSnapshot> snapshotFiles(int64_t checkpoint_id) {
    RocksDbSnapshotHandle handle;
    handle.range = ctx_.range;
    for (const auto& [name, e] : tables_) {
      Status st = e.table->writeBackForSnapshot();
      if (!st.isOk()) return Status(st.code(), "state '" + name + "': " + st.message());
    }
    // Restored tables this run did not register stay in the files: keep their ids.
    for (const auto& [name, t] : table_ids_) handle.tables.push_back({t.id, name, t.type});
    for (const auto& [name, e] : tables_) {
      if (table_ids_.count(name) == 0) handle.tables.push_back({e.id, name, e.type->name()});
    }
    const std::string dir = store_->directory() + "/chk-" + std::to_string(checkpoint_id);
    EDDY_ASSIGN_OR_RETURN(std::vector<RocksDbStore::CheckpointFile> files, store_->createCheckpoint(dir));
    KeyedStateSnapshot snap;
    snap.max_parallelism = ctx_.max_parallelism;
    for (const RocksDbStore::CheckpointFile& f : files) {
      std::string storage_name;
      if (RocksDbStore::isSharedFile(f.name)) {
        // An SST file's name is unique in this instance and its bytes never change.
        auto known = restored_files_.find(f.name);
        storage_name = known != restored_files_.end() ? known->second : instance_id_ + "-" + f.name;
      } else {
        storage_name = instance_id_ + "-chk" + std::to_string(checkpoint_id) + "-" + f.name;
      }
      handle.files.push_back({f.name, storage_name});
      snap.files.push_back(StateFile{storage_name, dir + "/" + f.name, f.size});
    }
    snap.rocksdb_handle = handle.encode();
    snap.files_owner = store_->keepFilesAlive();
    // Tables restored by key group (a rescale) and not registered yet are not in the
    // files: their bytes go with the key groups.
    EDDY_RETURN_IF_ERROR(writeAllKeyGroups(FrozenTablesWriter(ctx_.range, stashedTables()), snap.key_groups));
    return snap;
  }

  /// The fast restore: a new instance over the snapshot's files, tables by their ids.
  Status openFiles(const RocksDbSnapshotHandle& handle, const std::map<std::string, std::string>& paths) {
    EDDY_ASSIGN_OR_RETURN(auto files, localFiles(handle, paths));
    EDDY_ASSIGN_OR_RETURN(std::unique_ptr<RocksDbStore> store, RocksDbStore::openFrom(rocksdb_options_.local_dir, files));
    store_ = std::move(store);
    instance_id_ = newInstanceId();
    for (const RocksDbSnapshotHandle::File& f : handle.files) {
      if (RocksDbStore::isSharedFile(f.local_name)) restored_files_[f.local_name] = f.storage_name;
    }
    for (const RocksDbSnapshotHandle::Table& t : handle.tables) {
      table_ids_[t.name] = TableId{t.id, t.type};
      next_table_id_ = std::max<uint16_t>(next_table_id_, static_cast<uint16_t>(t.id + 1));
    }
    return Status::ok();
  }

  static Status fill(const std::string& name, const char* type, StateTableBase& table,
                     const std::vector<Restored>& parts) {
    for (const Restored& r : parts) {
      if (r.type != type) {
        return Status::invalidArgument("state '" + name + "' was snapshotted with another type than it has now");
      }
      DataInputView in(r.data);
      Status st = table.restoreKeyGroup(r.key_group, in);
      if (!st.isOk()) {
        return Status(st.code(), "state '" + name + "', key group " + std::to_string(r.key_group) + ": " +
                                     st.message());
      }
    }
    return Status::ok();
  }
  /// A table registered after restore() takes its restored entries; errors surface as
  /// exceptions here, failing the operator's open() with the message.
  void applyRestored(const std::string& name, const char* type, StateTableBase& table) {
    auto it = restored_.find(name);
    if (it == restored_.end()) return;
    Status st = fill(name, type, table, it->second);
    restored_.erase(it);
    if (!st.isOk()) throw std::runtime_error("restoring keyed state: " + st.message());
  }

  struct Entry {
    std::unique_ptr<StateTableBase> table;
    const std::type_info* type;
    std::function<std::vector<K>()> keys;
    uint16_t id = 0;  // Its RocksDB key prefix.
  };
  struct TableId {
    uint16_t id = 0;
    std::string type;
  };
  KeyContext<K> ctx_;
  const Clock* clock_;
  RocksDbOptions rocksdb_options_;
  std::unique_ptr<RocksDbStore> store_;  // Declared before the tables that use it.
  std::string instance_id_;  // Unique per RocksDB instance: names its files in storage.
  uint16_t next_table_id_ = 0;
  std::map<std::string, TableId> table_ids_;                // Tables of restored files.
  std::map<std::string, std::string> restored_files_;       // Restored SST name -> storage name.
  std::map<std::string, Entry> tables_;
  std::map<std::string, std::shared_ptr<void>> handles_;
  std::vector<std::function<void()>> per_record_cleanups_;
  std::map<std::string, std::vector<Restored>> restored_;  // Not yet registered tables.
};

}  // namespace eddy::state
