#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/core/flat_hash_map.h"
#include "eddy/core/key_group.h"
#include "eddy/core/key_hash.h"
#include "eddy/core/serialization.h"
#include "eddy/state/copy_on_write_groups.h"
#include "eddy/state/key_group_writer.h"
#include "eddy/state/rocksdb_store.h"

namespace eddy::state {

/// The namespace of state that is not scoped to a window.
struct VoidNamespace {
  bool operator==(const VoidNamespace&) const { return true; }
  int32_t hashCode() const { return 0; }
  // No bytes at all: an empty struct's one byte is indeterminate, and RocksDB keys
  // must be the same bytes for equal keys.
  void serialize(DataOutputView&) const {}
  static Result<VoidNamespace> deserialize(DataInputView&) { return VoidNamespace{}; }
};

/// The key the task is processing now, with its key group, shared by all state of an
/// operator. Thread: the task thread only.
template <typename K>
struct KeyContext {
  K key{};
  int key_group = 0;
  int key_group_index = 0;  // key_group - range.start
  KeyGroupRange range;
  int max_parallelism = kDefaultMaxParallelism;
  uint64_t serial = 0;  // Changes with every setCurrentKey, so tables can cache a lookup.

  void setCurrentKey(const K& k) {
    ++serial;
    key = k;
    key_group = keyGroupForHash(KeyHash<K>()(k), max_parallelism);
    key_group_index = key_group - range.start;
  }
};

/// Mixes Java-style hash codes into a well-spread 64-bit hash for FlatHashMap (which
/// takes the slot from the low bits and a tag from the high ones).
inline uint64_t spreadHash(uint64_t h) {
  h *= 0x9e3779b97f4a7c15ULL;
  return h ^ (h >> 29);
}

template <typename K, typename N>
struct StateKey {
  K key;
  [[no_unique_address]] N ns;  // VoidNamespace takes no room.
  bool operator==(const StateKey& o) const { return key == o.key && ns == o.ns; }
};

template <typename K, typename N>
struct StateKeyHash {
  uint64_t operator()(const StateKey<K, N>& k) const {
    uint64_t h = static_cast<uint32_t>(KeyHash<K>()(k.key));
    h = h * 31 + static_cast<uint32_t>(KeyHash<N>()(k.ns));
    return spreadHash(h);
  }
};

/// Type-independent view of a state table, for registries and snapshots.
class StateTableBase {
 public:
  virtual ~StateTableBase() = default;
  virtual size_t size() const = 0;
  /// Adds the entries of `key_group` a snapshot (see freeze()) wrote (restore and
  /// rescaling).
  virtual Status restoreKeyGroup(int key_group, DataInputView& in) = 0;
  /// With RocksDB: writes every cached change back, so RocksDB's files hold the whole
  /// table (an incremental snapshot copies those). Fails, naming the types, when they
  /// cannot be serialized. Nothing to do on the heap.
  virtual Status writeBackForSnapshot() = 0;
  /// The table as it is now, for a snapshot written later on another thread. The heap
  /// is copy-on-write (the table copies a key group before it next changes it, while the
  /// writer holds it); RocksDB writes its cache back and reads a snapshot of the
  /// database. Fails, naming the types, when they cannot be serialized.
  virtual Result<std::shared_ptr<const KeyGroupWriter>> freeze() = 0;
  /// Bytes of the table itself (slots), not counting what values point to.
  virtual size_t memoryBytes() const = 0;
};

/// The storage of one state: (key, namespace) -> V, one hash map per key group of the
/// subtask's range, so a snapshot can be written, and restored into another
/// parallelism, key group by key group (Flink's StateTable).
///
/// On the heap backend the maps hold everything. With a RocksDB store attached
/// (attachStore), RocksDB holds the state and the maps are a write-back cache of at most
/// `cache_entries` entries: a miss reads RocksDB, and when the cache is full every
/// cached entry is written back in one batch and the cache starts over. RocksDB keys are
/// `[table id:2][key group:2][key][namespace]` (big-endian ids, so a table's key group is
/// one range) and values the serialized V, the same bytes a snapshot holds.
/// On the heap, key groups are copy-on-write (CopyOnWriteGroups): freeze() takes a
/// snapshot's view in constant time per key group.
/// Thread: the task thread only. Pointers returned stay valid until the next insert or
/// remove in the same table, or the next access after a freeze().
template <typename K, typename N, typename V>
class StateTable final : public StateTableBase {
 public:
  using Map = FlatHashMap<StateKey<K, N>, V, StateKeyHash<K, N>>;

  explicit StateTable(const KeyContext<K>* ctx) : ctx_(ctx), maps_(static_cast<size_t>(ctx->range.size())) {}

  /// Moves this table's storage into `store` under `table_id`. Throws
  /// std::invalid_argument when the key, namespace or value type cannot be serialized.
  void attachStore(RocksDbStore* store, uint16_t table_id, size_t cache_entries) {
    if constexpr (!kCanonicalBytes<K> || !kCanonicalBytes<N>) {
      throw std::invalid_argument(std::string("key type ") + typeid(K).name() + " or namespace type " +
                                  typeid(N).name() +
                                  " has padding bytes, so RocksDB cannot find it by its bytes: give it "
                                  "serialize/deserialize members");
    } else if constexpr (Serializable<K> && Serializable<N> && Serializable<V>) {
      store_ = store;
      table_id_ = table_id;
      cache_limit_ = std::max<size_t>(1, cache_entries);
      dirty_groups_.assign(maps_.size(), false);
    } else {
      (void)store;
      (void)table_id;
      (void)cache_entries;
      throw std::invalid_argument(std::string("state of type ") + typeid(V).name() +
                                  " cannot live in RocksDB: give the type (and its key) serialize/deserialize");
    }
  }
  bool inRocksDb() const { return store_ != nullptr; }

  /// For the current key. The last entry found or created is remembered, so the
  /// common read-then-write of one state (value() then update()) probes once.
  V* get(const N& ns) {
    if (cached(ns)) return cached_;
    V* v = find(ctx_->key_group_index, ctx_->key, ns);
    if (v != nullptr) remember(ns, v);
    return v;
  }
  V& getOrCreate(const N& ns, bool* created = nullptr) {
    if (cached(ns)) {
      if (created) *created = false;
      return *cached_;
    }
    if (store_ != nullptr) {
      if (V* v = find(ctx_->key_group_index, ctx_->key, ns)) {
        if (created) *created = false;
        remember(ns, v);
        return *v;
      }
      makeRoom();
      ++resident_;
      markDirty(ctx_->key_group_index, ctx_->key, ns);
    }
    V& v = maps_.write(ctx_->key_group_index).tryEmplace(StateKey<K, N>{ctx_->key, ns}, created);
    remember(ns, &v);  // An insert may move other entries, never this one afterwards.
    return v;
  }
  void remove(const N& ns) {
    cached_ = nullptr;
    bool erased = maps_.write(ctx_->key_group_index).erase(StateKey<K, N>{ctx_->key, ns});
    if (store_ != nullptr) {
      if (erased) --resident_;
      batch_.remove(rocksKey(ctx_->key_group, ctx_->key, ns));
      if (batch_.count() >= 1024) check(store_->write(batch_));
    }
  }

  /// With RocksDB the entry counts as changed from here until the next write-back
  /// (the caller may change it through the pointer).
  V* find(int key_group_index, const K& key, const N& ns) {
    V* v = maps_.write(key_group_index).find(StateKey<K, N>{key, ns});
    if (store_ == nullptr) return v;
    if (v == nullptr) v = load(key_group_index, key, ns);
    if (v != nullptr) markDirty(key_group_index, key, ns);
    return v;
  }

  /// Entries in the table (with RocksDB: written back and counted there; slow).
  size_t size() const override {
    size_t n = 0;
    if (store_ != nullptr) {
      const_cast<StateTable*>(this)->writeBack(/*keep_cache=*/true);
      std::string prefix = tablePrefix();
      check(store_->scan(prefix, [&](std::string_view, std::string_view) { ++n; }));
      return n;
    }
    for (size_t g = 0; g < maps_.size(); ++g) n += maps_.read(g).size();
    return n;
  }
  /// Background TTL cleanup (Flink's incremental cleanup): looks at up to `n` entries
  /// after where the last call stopped, across key groups, and removes those for which
  /// `cleanup(value)` returns true (it may also trim the value, e.g. a list).
  template <typename Cleanup>
  void cleanupIncrementally(size_t n, Cleanup&& cleanup) {
    size_t groups_visited = 0;
    while (n > 0 && groups_visited <= maps_.size()) {
      Map& m = maps_.write(cleanup_group_);
      if (store_ != nullptr) dirty_groups_[cleanup_group_] = true;  // `cleanup` may trim values.
      const int key_group = static_cast<int>(cleanup_group_) + ctx_->range.start;
      n -= m.scanEraseIf(&cleanup_slot_, n, [&](const StateKey<K, N>& k, V& v) {
        if (!cleanup(v)) return false;
        cached_ = nullptr;  // The erase may move the remembered entry.
        if (store_ != nullptr) {
          --resident_;
          batch_.remove(rocksKey(key_group, k.key, k.ns));
        }
        return true;
      });
      if (cleanup_slot_ >= m.capacity()) {
        cleanup_slot_ = 0;
        cleanup_group_ = (cleanup_group_ + 1) % maps_.size();
        ++groups_visited;
      }
    }
  }

  /// Trims a copy of a value for a full snapshot and says whether nothing is left.
  using SnapshotTrim = std::function<bool(V&, Timestamp now)>;
  /// Flink's cleanupFullSnapshot: full snapshots (the heap's, RocksDB's full ones; not
  /// incremental files) leave out what `trim` drops at the snapshot's time on `clock`.
  void setSnapshotTrim(SnapshotTrim trim, const Clock* clock) {
    trim_ = std::move(trim);
    trim_clock_ = clock;
  }

  uint16_t tableId() const { return table_id_; }
  Status writeBackForSnapshot() override {
    if constexpr (Serializable<K> && Serializable<N> && Serializable<V>) {
      if (store_ != nullptr) writeBack(/*keep_cache=*/true);
      return Status::ok();
    } else {
      return Status::unimplemented(std::string("state of type ") + typeid(V).name() + " cannot be snapshotted");
    }
  }
  Status restoreKeyGroup(int key_group, DataInputView& in) override {
    if constexpr (Serializable<K> && Serializable<N> && Serializable<V>) {
      if (!ctx_->range.contains(key_group)) {
        return Status::invalidArgument("key group " + std::to_string(key_group) + " is not in this subtask's range");
      }
      cached_ = nullptr;
      Map& m = maps_.write(static_cast<size_t>(key_group - ctx_->range.start));
      EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
      for (uint64_t i = 0; i < n; ++i) {
        EDDY_ASSIGN_OR_RETURN(K key, deserialize<K>(in));
        EDDY_ASSIGN_OR_RETURN(N ns, deserialize<N>(in));
        EDDY_ASSIGN_OR_RETURN(V value, deserialize<V>(in));
        if (store_ != nullptr) {
          // Straight into RocksDB, in batches.
          scratch_value_.clear();
          serialize(value, scratch_value_);
          batch_.put(rocksKey(key_group, key, ns), scratch_value_.data());
          if (batch_.count() >= 1024) EDDY_RETURN_IF_ERROR(store_->write(batch_));
          continue;
        }
        m[StateKey<K, N>{std::move(key), std::move(ns)}] = std::move(value);
      }
      if (store_ != nullptr) return store_->write(batch_);
      return Status::ok();
    } else {
      return Status::unimplemented(std::string("state of type ") + typeid(V).name() + " cannot be restored");
    }
  }

  size_t memoryBytes() const override {
    size_t n = maps_.size() * sizeof(Map);
    for (size_t g = 0; g < maps_.size(); ++g) n += maps_.read(g).memoryBytes();
    return n;
  }
  int numKeyGroups() const { return static_cast<int>(maps_.size()); }
  /// Direct access for snapshots and cleanup; drops the remembered entry. With RocksDB
  /// the key group moves into the cache entirely (and out of RocksDB), so what the
  /// caller erases from the map is gone.
  Map& keyGroup(int index) {
    cached_ = nullptr;
    if (store_ != nullptr) {
      moveIntoCache(index);
      dirty_groups_[static_cast<size_t>(index)] = true;  // No longer in RocksDB at all.
    }
    return maps_.write(static_cast<size_t>(index));
  }
  /// Read-only access to key group `index` (an index into the range).
  const Map& readKeyGroup(int index) const { return maps_.read(static_cast<size_t>(index)); }

  Result<std::shared_ptr<const KeyGroupWriter>> freeze() override {
    if constexpr (Serializable<K> && Serializable<N> && Serializable<V>) {
      const Timestamp now = trim_ ? trim_clock_->currentTimeMillis() : 0;
      if (store_ != nullptr) {
        // Everything into RocksDB, then its snapshot: key groups are read from that.
        writeBack(/*keep_cache=*/true);
        return std::shared_ptr<const KeyGroupWriter>(
            std::make_shared<RocksDbWriter>(ctx_->range, table_id_, store_->snapshot(), trim_, now));
      }
      cached_ = nullptr;  // It points into a group that is frozen now.
      return std::shared_ptr<const KeyGroupWriter>(std::make_shared<FrozenWriter>(ctx_->range, maps_.freeze(), trim_, now));
    } else {
      return Status::unimplemented(std::string("state of type ") + typeid(V).name() +
                                   " cannot be snapshotted: give the type (and its key) serialize/deserialize");
    }
  }
  /// Key groups copied because a snapshot still held them (tests).
  uint64_t TEST_copiesOnWrite() const { return maps_.copies(); }

 private:
  /// A frozen table's key groups, written from any thread.
  class FrozenWriter final : public KeyGroupWriter {
   public:
    FrozenWriter(KeyGroupRange range, std::vector<std::shared_ptr<const Map>> groups, SnapshotTrim trim, Timestamp now)
        : range_(range), groups_(std::move(groups)), trim_(std::move(trim)), now_(now) {}
    KeyGroupRange range() const override { return range_; }
    Status writeKeyGroup(int key_group, DataOutputView& out) const override {
      if (!range_.contains(key_group)) {
        return Status::internal("key group " + std::to_string(key_group) + " is not in the snapshot's range");
      }
      writeEntries(*groups_[static_cast<size_t>(key_group - range_.start)], trim_, now_, out);
      return Status::ok();
    }

   private:
    KeyGroupRange range_;
    std::vector<std::shared_ptr<const Map>> groups_;
    SnapshotTrim trim_;  // Thread-safe: TTL rules over a clock reading taken at the freeze.
    Timestamp now_;
  };

  /// A RocksDB table's key groups, read from a snapshot of the database on any thread.
  class RocksDbWriter final : public KeyGroupWriter {
   public:
    RocksDbWriter(KeyGroupRange range, uint16_t table_id, std::shared_ptr<const RocksDbStore::Snapshot> snapshot,
                  SnapshotTrim trim, Timestamp now)
        : range_(range), table_id_(table_id), snapshot_(std::move(snapshot)), trim_(std::move(trim)), now_(now) {}
    KeyGroupRange range() const override { return range_; }
    Status writeKeyGroup(int key_group, DataOutputView& out) const override {
      if (!range_.contains(key_group)) {
        return Status::internal("key group " + std::to_string(key_group) + " is not in the snapshot's range");
      }
      const std::string prefix = rocksKeyGroupPrefix(table_id_, key_group);
      if (!trim_) return snapshot_->copyOut(prefix, out);
      return copyOutTrimmed(*snapshot_, prefix, trim_, now_, out);
    }

   private:
    KeyGroupRange range_;
    uint16_t table_id_;
    std::shared_ptr<const RocksDbStore::Snapshot> snapshot_;
    SnapshotTrim trim_;
    Timestamp now_;
  };

  /// One key group in snapshot format: the entry count, then key, namespace, value;
  /// with `trim`, trimmed copies of the values, and without those it empties.
  static void writeEntries(const Map& m, const SnapshotTrim& trim, Timestamp now, DataOutputView& out) {
    if constexpr (Serializable<K> && Serializable<N> && Serializable<V>) {
      if (!trim) {
        out.writeVarint(m.size());
        m.forEach([&](const StateKey<K, N>& k, const V& v) {
          serialize(k.key, out);
          serialize(k.ns, out);
          serialize(v, out);
        });
        return;
      }
      DataOutputView entries;
      uint64_t n = 0;
      m.forEach([&](const StateKey<K, N>& k, const V& v) {
        V copy = v;
        if (trim(copy, now)) return;
        serialize(k.key, entries);
        serialize(k.ns, entries);
        serialize(copy, entries);
        ++n;
      });
      out.writeVarint(n);
      out.writeBytes(entries.data().data(), entries.size());
    }
  }

  /// RocksDbStore::copyOut with `trim` applied to each value, from `source` (the store,
  /// or a snapshot of it).
  template <typename Source>
  static Status copyOutTrimmed(const Source& source, const std::string& prefix, const SnapshotTrim& trim, Timestamp now,
                               DataOutputView& out) {
    if constexpr (Serializable<V>) {
      DataOutputView entries;
      uint64_t n = 0;
      Status bad = Status::ok();
      EDDY_RETURN_IF_ERROR(source.scan(prefix, [&](std::string_view k, std::string_view v) {
        DataInputView in(v);
        Result<V> value = deserialize<V>(in);
        if (!value.isOk()) {
          bad = value.status();
          return;
        }
        if (trim(*value, now)) return;
        entries.writeBytes(k.data() + prefix.size(), k.size() - prefix.size());
        serialize(*value, entries);
        ++n;
      }));
      if (!bad.isOk()) return Status(bad.code(), "reading state from RocksDB: " + bad.message());
      out.writeVarint(n);
      out.writeBytes(entries.data().data(), entries.size());
    }
    return Status::ok();
  }

  static void check(const Status& st) {
    if (!st.isOk()) throw std::runtime_error(st.message());
  }
  std::string tablePrefix() const {
    std::string p(2, '\0');
    p[0] = static_cast<char>(table_id_ >> 8);
    p[1] = static_cast<char>(table_id_ & 0xff);
    return p;
  }
  std::string keyGroupPrefix(int key_group) const { return rocksKeyGroupPrefix(table_id_, key_group); }
  /// The RocksDB key of (key group, key, namespace), in a scratch buffer.
  const std::string& rocksKey(int key_group, const K& key, const N& ns) {
    scratch_key_.clear();
    std::string prefix = keyGroupPrefix(key_group);
    scratch_key_.writeBytes(prefix.data(), prefix.size());
    if constexpr (Serializable<K> && Serializable<N>) {
      serialize(key, scratch_key_);
      serialize(ns, scratch_key_);
    }
    return scratch_key_.data();
  }
  /// A cache miss: reads RocksDB and caches what it finds.
  V* load(int key_group_index, const K& key, const N& ns) {
    if constexpr (Serializable<V>) {
      if (batch_.count() > 0) check(store_->write(batch_));  // Pending deletes first.
      std::string bytes;
      bool found = false;
      check(store_->get(rocksKey(key_group_index + ctx_->range.start, key, ns), &bytes, &found));
      if (!found) return nullptr;
      DataInputView in(bytes);
      Result<V> v = deserialize<V>(in);
      if (!v.isOk()) throw std::runtime_error("reading state from RocksDB: " + v.status().message());
      makeRoom();
      ++resident_;
      cached_ = nullptr;
      V& slot = maps_.write(static_cast<size_t>(key_group_index))[StateKey<K, N>{key, ns}];
      slot = std::move(*v);
      return &slot;
    } else {
      return nullptr;
    }
  }
  /// Before an insert into a full cache: writes every cached entry back and empties it.
  void makeRoom() {
    if (resident_ >= cache_limit_) writeBack(/*keep_cache=*/false);
  }
  /// Writes pending deletes and every changed cached entry to RocksDB in one batch
  /// (the others are there as they are cached), then forgets what changed.
  void writeBack(bool keep_cache) {
    if constexpr (Serializable<K> && Serializable<N> && Serializable<V>) {
      // Sorted before they go in: RocksDB's memtable takes keys in order several times
      // faster than in hash order (a million entries: 1 s instead of 5).
      std::vector<std::pair<std::string, std::string>> puts;
      auto put = [&](int key_group_index, const StateKey<K, N>& k, const V& v) {
        scratch_value_.clear();
        serialize(v, scratch_value_);
        puts.emplace_back(rocksKey(key_group_index + ctx_->range.start, k.key, k.ns), scratch_value_.data());
      };
      dirty_.forEach([&](const StateKey<K, N>& k, const int32_t& g) {
        if (dirty_groups_[static_cast<size_t>(g)]) return;  // Written whole below.
        if (const V* v = maps_.read(static_cast<size_t>(g)).find(k)) put(g, k, *v);  // Else removed: a delete is batched.
      });
      for (size_t g = 0; g < maps_.size(); ++g) {
        if (all_dirty_ || dirty_groups_[g]) {
          maps_.read(g).forEach([&](const StateKey<K, N>& k, const V& v) { put(static_cast<int>(g), k, v); });
        }
        dirty_groups_[g] = false;
        if (!keep_cache) maps_.write(g).clear();
      }
      std::sort(puts.begin(), puts.end());
      for (const auto& [key, value] : puts) batch_.put(key, value);
      if (batch_.count() > 0) check(store_->write(batch_));
      dirty_.clear();
      all_dirty_ = false;
      // A remembered entry would be changed without being marked again.
      cached_ = nullptr;
      if (!keep_cache) resident_ = 0;
    }
  }
  void markDirty(int key_group_index, const K& key, const N& ns) {
    if (all_dirty_) return;
    dirty_.insert(StateKey<K, N>{key, ns}, key_group_index);
    // Once most of the cache changed, tracking entries costs more than it saves: the
    // next write-back writes the whole cache.
    if (dirty_.size() > 4096 && dirty_.size() * 2 > resident_) {
      all_dirty_ = true;
      dirty_.clear();
    }
  }
  /// Loads key group `index` into the cache and removes it from RocksDB.
  void moveIntoCache(int index) {
    if constexpr (Serializable<K> && Serializable<N> && Serializable<V>) {
      check(store_->write(batch_));
      const int key_group = index + ctx_->range.start;
      std::string prefix = keyGroupPrefix(key_group);
      Map& m = maps_.write(static_cast<size_t>(index));
      check(store_->scan(prefix, [&](std::string_view k, std::string_view v) {
        DataInputView kin(k.substr(prefix.size()));
        DataInputView vin(v);
        Result<K> key = deserialize<K>(kin);
        Result<N> ns = deserialize<N>(kin);
        Result<V> value = deserialize<V>(vin);
        if (!key.isOk() || !ns.isOk() || !value.isOk()) throw std::runtime_error("reading state from RocksDB: corrupt entry");
        bool created = false;
        V& slot = m.tryEmplace(StateKey<K, N>{std::move(*key), std::move(*ns)}, &created);
        if (created) {  // A cached entry is newer than RocksDB's copy.
          slot = std::move(*value);
          ++resident_;
        }
      }));
      check(store_->removePrefix(prefix));
    }
  }

  bool cached(const N& ns) const { return cached_ != nullptr && cached_serial_ == ctx_->serial && cached_ns_ == ns; }
  void remember(const N& ns, V* v) {
    cached_ = v;
    cached_serial_ = ctx_->serial;
    cached_ns_ = ns;
  }

  const KeyContext<K>* ctx_;
  CopyOnWriteGroups<Map> maps_;
  V* cached_ = nullptr;
  uint64_t cached_serial_ = 0;
  N cached_ns_{};
  size_t cleanup_group_ = 0;  // Where incremental cleanup goes on.
  SnapshotTrim trim_;  // cleanupFullSnapshot, when set.
  const Clock* trim_clock_ = nullptr;
  size_t cleanup_slot_ = 0;

  // RocksDB mode (store_ set): the cache's size and limit, batched writes, scratch.
  RocksDbStore* store_ = nullptr;
  uint16_t table_id_ = 0;
  size_t cache_limit_ = 0;
  size_t resident_ = 0;
  RocksDbStore::Batch batch_;  // Deletes (and restore's puts) not yet written.
  // Cached entries handed out since the last write-back (by key group index), and key
  // groups to write back whole: the rest of the cache equals RocksDB's copy.
  FlatHashMap<StateKey<K, N>, int32_t, StateKeyHash<K, N>> dirty_;
  std::vector<bool> dirty_groups_;
  bool all_dirty_ = false;  // Every cached entry counts as changed.
  DataOutputView scratch_key_;
  DataOutputView scratch_value_;
};

}  // namespace eddy::state
