#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <typeinfo>
#include <vector>

#include "eddy/core/flat_hash_map.h"
#include "eddy/core/key_group.h"
#include "eddy/core/key_hash.h"
#include "eddy/core/serialization.h"

namespace eddy::state {

/// The namespace of state that is not scoped to a window.
struct VoidNamespace {
  bool operator==(const VoidNamespace&) const { return true; }
  int32_t hashCode() const { return 0; }
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
  /// Writes the entries of key group `key_group` (an absolute id in this table's range);
  /// fails, naming the types, when they cannot be serialized.
  virtual Status snapshotKeyGroup(int key_group, DataOutputView& out) const = 0;
  /// Adds the entries snapshotKeyGroup wrote for `key_group` (restore and rescaling).
  virtual Status restoreKeyGroup(int key_group, DataInputView& in) = 0;
  /// Bytes of the table itself (slots), not counting what values point to.
  virtual size_t memoryBytes() const = 0;
};

/// The heap backend's storage of one state: (key, namespace) -> V, one hash map per key
/// group of the subtask's range, so a snapshot can be written, and restored into another
/// parallelism, key group by key group (Flink's StateTable).
/// Thread: the task thread only. Pointers returned stay valid until the next insert or
/// remove in the same table.
template <typename K, typename N, typename V>
class StateTable final : public StateTableBase {
 public:
  using Map = FlatHashMap<StateKey<K, N>, V, StateKeyHash<K, N>>;

  explicit StateTable(const KeyContext<K>* ctx) : ctx_(ctx), maps_(ctx->range.size()) {}

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
    V& v = maps_[ctx_->key_group_index].tryEmplace(StateKey<K, N>{ctx_->key, ns}, created);
    remember(ns, &v);  // An insert may move other entries, never this one afterwards.
    return v;
  }
  void remove(const N& ns) {
    cached_ = nullptr;
    maps_[ctx_->key_group_index].erase(StateKey<K, N>{ctx_->key, ns});
  }

  V* find(int key_group_index, const K& key, const N& ns) {
    return maps_[key_group_index].find(StateKey<K, N>{key, ns});
  }

  size_t size() const override {
    size_t n = 0;
    for (const Map& m : maps_) n += m.size();
    return n;
  }
  /// Background TTL cleanup (Flink's incremental cleanup): looks at up to `n` entries
  /// after where the last call stopped, across key groups, and removes those for which
  /// `cleanup(value)` returns true (it may also trim the value, e.g. a list).
  template <typename Cleanup>
  void cleanupIncrementally(size_t n, Cleanup&& cleanup) {
    size_t groups_visited = 0;
    while (n > 0 && groups_visited <= maps_.size()) {
      Map& m = maps_[cleanup_group_];
      n -= m.scanEraseIf(&cleanup_slot_, n, [&](const StateKey<K, N>&, V& v) {
        if (!cleanup(v)) return false;
        cached_ = nullptr;  // The erase may move the remembered entry.
        return true;
      });
      if (cleanup_slot_ >= m.capacity()) {
        cleanup_slot_ = 0;
        cleanup_group_ = (cleanup_group_ + 1) % maps_.size();
        ++groups_visited;
      }
    }
  }

  Status snapshotKeyGroup(int key_group, DataOutputView& out) const override {
    if constexpr (Serializable<K> && Serializable<N> && Serializable<V>) {
      const Map& m = maps_[static_cast<size_t>(key_group - ctx_->range.start)];
      out.writeVarint(m.size());
      m.forEach([&](const StateKey<K, N>& k, const V& v) {
        serialize(k.key, out);
        serialize(k.ns, out);
        serialize(v, out);
      });
      return Status::ok();
    } else {
      return Status::unimplemented(std::string("state of type ") + typeid(V).name() +
                                   " cannot be snapshotted: give the type (and its key) serialize/deserialize");
    }
  }
  Status restoreKeyGroup(int key_group, DataInputView& in) override {
    if constexpr (Serializable<K> && Serializable<N> && Serializable<V>) {
      if (!ctx_->range.contains(key_group)) {
        return Status::invalidArgument("key group " + std::to_string(key_group) + " is not in this subtask's range");
      }
      cached_ = nullptr;
      Map& m = maps_[static_cast<size_t>(key_group - ctx_->range.start)];
      EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
      for (uint64_t i = 0; i < n; ++i) {
        EDDY_ASSIGN_OR_RETURN(K key, deserialize<K>(in));
        EDDY_ASSIGN_OR_RETURN(N ns, deserialize<N>(in));
        EDDY_ASSIGN_OR_RETURN(V value, deserialize<V>(in));
        m[StateKey<K, N>{std::move(key), std::move(ns)}] = std::move(value);
      }
      return Status::ok();
    } else {
      return Status::unimplemented(std::string("state of type ") + typeid(V).name() + " cannot be restored");
    }
  }

  size_t memoryBytes() const override {
    size_t n = maps_.capacity() * sizeof(Map);
    for (const Map& m : maps_) n += m.memoryBytes();
    return n;
  }
  int numKeyGroups() const { return static_cast<int>(maps_.size()); }
  /// Direct access for snapshots and cleanup; drops the remembered entry.
  Map& keyGroup(int index) {
    cached_ = nullptr;
    return maps_[index];
  }

 private:
  bool cached(const N& ns) const { return cached_ != nullptr && cached_serial_ == ctx_->serial && cached_ns_ == ns; }
  void remember(const N& ns, V* v) {
    cached_ = v;
    cached_serial_ = ctx_->serial;
    cached_ns_ = ns;
  }

  const KeyContext<K>* ctx_;
  std::vector<Map> maps_;
  V* cached_ = nullptr;
  uint64_t cached_serial_ = 0;
  N cached_ns_{};
  size_t cleanup_group_ = 0;  // Where incremental cleanup goes on.
  size_t cleanup_slot_ = 0;
};

}  // namespace eddy::state
