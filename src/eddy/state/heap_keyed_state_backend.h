#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/state/heap_states.h"

namespace eddy::state {

/// Keyed state of one operator subtask on the heap: state tables by name, stored per key
/// group of the subtask's range (Flink's HeapKeyedStateBackend). TTL uses `clock`.
/// Thread: the task thread only.
template <typename K>
class HeapKeyedStateBackend {
 public:
  HeapKeyedStateBackend(KeyGroupRange range, int max_parallelism, const Clock* clock)
      : clock_(clock) {
    ctx_.range = range;
    ctx_.max_parallelism = max_parallelism;
  }
  HeapKeyedStateBackend(const HeapKeyedStateBackend&) = delete;
  HeapKeyedStateBackend& operator=(const HeapKeyedStateBackend&) = delete;

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
      auto keys = [raw] {
        std::vector<K> out;
        for (int g = 0; g < raw->numKeyGroups(); ++g) {
          raw->keyGroup(g).forEach([&](const StateKey<K, N>& k, const V&) { out.push_back(k.key); });
        }
        return out;
      };
      tables_.emplace(name, Entry{std::move(t), &typeid(StateTable<K, N, V>), std::move(keys)});
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

  /// Bytes of all tables (for tests and metrics), not counting what values point to.
  size_t memoryBytes() const {
    size_t n = 0;
    for (const auto& [name, e] : tables_) n += e.table->memoryBytes();
    return n;
  }

  /// Total entries over all tables (for tests and metrics).
  size_t numEntries() const {
    size_t n = 0;
    for (const auto& [name, e] : tables_) n += e.table->size();
    return n;
  }

 private:
  struct Entry {
    std::unique_ptr<StateTableBase> table;
    const std::type_info* type;
    std::function<std::vector<K>()> keys;
  };
  KeyContext<K> ctx_;
  const Clock* clock_;
  std::map<std::string, Entry> tables_;
  std::map<std::string, std::shared_ptr<void>> handles_;
  std::vector<std::function<void()>> per_record_cleanups_;
};

}  // namespace eddy::state
