#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/state/state.h"
#include "eddy/state/state_descriptor.h"
#include "eddy/state/state_table.h"

namespace eddy::state {

/// A stored value with the processing time it was last written (or read, per the TTL
/// config). States without TTL store `Stamped<V, false>`, which is just the value: the
/// heap backend's overhead per key stays a hash slot.
template <typename V, bool kTtl = true>
struct Stamped {
  V value;
  Timestamp last_access = 0;
  Timestamp lastAccess() const { return last_access; }
  void touch(Timestamp now) { last_access = now; }
};
template <typename V>
struct Stamped<V, false> {
  V value;
  static constexpr Timestamp lastAccess() { return 0; }
  static void touch(Timestamp) {}
};

}  // namespace eddy::state

namespace eddy {
/// Stamped values keep their last-access time across snapshots (TTL goes on after a
/// restore, as in Flink).
template <typename V, bool kTtl>
struct HasOwnSerializer<state::Stamped<V, kTtl>> : std::true_type {};
template <typename V, bool kTtl>
  requires Serializable<V>
struct Serializer<state::Stamped<V, kTtl>> {
  static void write(const state::Stamped<V, kTtl>& s, DataOutputView& out) {
    serialize(s.value, out);
    if constexpr (kTtl) out.write<int64_t>(s.last_access);
  }
  static Result<state::Stamped<V, kTtl>> read(DataInputView& in) {
    EDDY_ASSIGN_OR_RETURN(V v, deserialize<V>(in));
    state::Stamped<V, kTtl> s{std::move(v)};
    if constexpr (kTtl) {
      EDDY_ASSIGN_OR_RETURN(s.last_access, in.read<int64_t>());
    }
    return s;
  }
};
}  // namespace eddy

namespace eddy::state {

/// TTL bookkeeping shared by the heap states (Flink's AbstractTtlDecorator).
class TtlPolicy {
 public:
  TtlPolicy(const StateTtlConfig& config, const Clock* clock) : config_(config), clock_(clock) {}
  bool enabled() const { return config_.isEnabled(); }
  Timestamp now() const { return enabled() ? clock_->currentTimeMillis() : 0; }
  /// Flink: expired iff lastAccess + ttl <= now.
  bool expired(Timestamp last_access) const { return expiredAt(last_access, clock_->currentTimeMillis()); }
  bool expiredAt(Timestamp last_access, Timestamp now) const {
    return enabled() && last_access + config_.ttl_ms <= now;
  }
  bool returnExpired() const {
    return config_.visibility == StateTtlConfig::StateVisibility::kReturnExpiredIfNotCleanedUp;
  }
  bool updateOnRead() const {
    return config_.update_type == StateTtlConfig::UpdateType::kOnReadAndWrite;
  }
  /// Entries to check in the background per state access; 0 without TTL.
  size_t incrementalCleanupSize() const { return enabled() ? static_cast<size_t>(config_.incrementalCleanupSize()) : 0; }
  bool cleanupForEveryRecord() const { return enabled() && config_.cleanup_incremental_every_record; }

 private:
  StateTtlConfig config_;
  const Clock* clock_;
};

/// Reads one stamped value under TTL rules: an expired value is removed, and returned
/// only with ReturnExpiredIfNotCleanedUp; a live one is re-stamped on read when asked.
/// `remove` erases the entry.
template <typename V, bool kTtl, typename Remove>
std::optional<V> readWithTtl(const TtlPolicy& ttl, Stamped<V, kTtl>* s, Remove remove) {
  if (s == nullptr) return std::nullopt;
  if (kTtl && ttl.expired(s->lastAccess())) {
    std::optional<V> v;
    if (ttl.returnExpired()) v = std::move(s->value);
    remove();
    return v;
  }
  if (kTtl && ttl.updateOnRead()) s->touch(ttl.now());
  return s->value;
}

/// Drops what has expired at `now` from one stored value; true when nothing is left, so
/// the entry goes (background cleanup of values, lists per element and maps per entry,
/// on the heap and in RocksDB's compaction filter).
template <typename V, bool kTtl>
bool removeExpired(const TtlPolicy& ttl, Stamped<V, kTtl>& s, Timestamp now) {
  return kTtl && ttl.expiredAt(s.lastAccess(), now);
}
template <typename V, bool kTtl>
bool removeExpired(const TtlPolicy& ttl, std::vector<Stamped<V, kTtl>>& list, Timestamp now) {
  if (!kTtl) return false;
  std::erase_if(list, [&](const Stamped<V, kTtl>& s) { return ttl.expiredAt(s.lastAccess(), now); });
  return list.empty();
}
template <typename UK, typename UV, bool kTtl>
bool removeExpired(const TtlPolicy& ttl, std::unordered_map<UK, Stamped<UV, kTtl>, std::hash<UK>>& map,
                   Timestamp now) {
  if (!kTtl) return false;
  std::erase_if(map, [&](const auto& entry) { return ttl.expiredAt(entry.second.lastAccess(), now); });
  return map.empty();
}

/// Base of heap states: the table, the namespace in scope and the TTL policy.
template <typename K, typename N, typename V>
class HeapStateBase {
 public:
  HeapStateBase(StateTable<K, N, V>* table, TtlPolicy ttl)
      : table_(table), ttl_(ttl), cleanup_size_(ttl.incrementalCleanupSize()) {}
  void setCurrentNamespace(const N& ns) { ns_ = ns; }

  /// Flink's incremental TTL cleanup: every access of a state with TTL first checks a
  /// few more entries of the whole state (any key) and removes the expired ones.
  void cleanupIncrementally() {
    if (cleanup_size_ == 0) return;
    const Timestamp now = ttl_.now();
    table_->cleanupIncrementally(cleanup_size_, [this, now](V& v) { return removeExpired(ttl_, v, now); });
  }

 protected:
  StateTable<K, N, V>* table_;
  TtlPolicy ttl_;
  size_t cleanup_size_;
  N ns_{};
};

template <typename K, typename N, typename T, bool kTtl>
class HeapValueState final : public ValueState<T>, public HeapStateBase<K, N, Stamped<T, kTtl>> {
  using Base = HeapStateBase<K, N, Stamped<T, kTtl>>;

 public:
  using Stored = Stamped<T, kTtl>;
  HeapValueState(StateTable<K, N, Stored>* table, TtlPolicy ttl, std::optional<T> def)
      : Base(table, ttl), default_(std::move(def)) {}
  std::optional<T> value() override {
    this->cleanupIncrementally();
    auto v = readWithTtl(this->ttl_, this->table_->get(this->ns_), [&] { clear(); });
    return v ? v : default_;
  }
  void update(T value) override {
    this->cleanupIncrementally();
    Stored& s = this->table_->getOrCreate(this->ns_);
    s.value = std::move(value);
    s.touch(this->ttl_.now());
  }
  void clear() override { this->table_->remove(this->ns_); }

 private:
  std::optional<T> default_;
};

template <typename K, typename N, typename T, bool kTtl>
class HeapReducingState final : public ReducingState<T>, public HeapStateBase<K, N, Stamped<T, kTtl>> {
  using Base = HeapStateBase<K, N, Stamped<T, kTtl>>;

 public:
  using Stored = Stamped<T, kTtl>;
  HeapReducingState(StateTable<K, N, Stored>* table, TtlPolicy ttl,
                    std::function<T(const T&, const T&)> reduce)
      : Base(table, ttl), reduce_(std::move(reduce)) {}
  std::optional<T> get() override {
    this->cleanupIncrementally();
    return readWithTtl(this->ttl_, this->table_->get(this->ns_), [&] { clear(); });
  }
  void add(T value) override {
    this->cleanupIncrementally();
    std::optional<T> current = get();
    T next = current ? reduce_(*current, value) : std::move(value);
    Stored& s = this->table_->getOrCreate(this->ns_);
    s.value = std::move(next);
    s.touch(this->ttl_.now());
  }
  void clear() override { this->table_->remove(this->ns_); }

 private:
  std::function<T(const T&, const T&)> reduce_;
};

template <typename K, typename N, typename IN, typename ACC, typename OUT, bool kTtl>
class HeapAggregatingState final : public AggregatingState<IN, OUT>,
                                   public HeapStateBase<K, N, Stamped<ACC, kTtl>> {
  using Base = HeapStateBase<K, N, Stamped<ACC, kTtl>>;

 public:
  using Stored = Stamped<ACC, kTtl>;
  HeapAggregatingState(StateTable<K, N, Stored>* table, TtlPolicy ttl,
                       std::shared_ptr<const AggregateFunction<IN, ACC, OUT>> f)
      : Base(table, ttl), f_(std::move(f)) {}
  std::optional<OUT> get() override {
    this->cleanupIncrementally();
    auto acc = readWithTtl(this->ttl_, this->table_->get(this->ns_), [&] { clear(); });
    if (!acc) return std::nullopt;
    return f_->getResult(*acc);
  }
  void add(const IN& value) override {
    this->cleanupIncrementally();
    auto acc = readWithTtl(this->ttl_, this->table_->get(this->ns_), [&] { clear(); });
    ACC next = f_->add(value, acc ? std::move(*acc) : f_->createAccumulator());
    Stored& s = this->table_->getOrCreate(this->ns_);
    s.value = std::move(next);
    s.touch(this->ttl_.now());
  }
  void clear() override { this->table_->remove(this->ns_); }

 private:
  std::shared_ptr<const AggregateFunction<IN, ACC, OUT>> f_;
};

/// TTL applies to each element, as in Flink's TtlListState.
template <typename K, typename N, typename T, bool kTtl>
class HeapListState final : public ListState<T>,
                            public HeapStateBase<K, N, std::vector<Stamped<T, kTtl>>> {
  using Base = HeapStateBase<K, N, std::vector<Stamped<T, kTtl>>>;

 public:
  using Stored = std::vector<Stamped<T, kTtl>>;
  using Base::Base;
  std::vector<T> get() override {
    this->cleanupIncrementally();
    std::vector<T> out;
    auto* list = this->table_->get(this->ns_);
    if (list == nullptr) return out;
    bool any_expired = false;
    for (auto& s : *list) {
      bool expired = kTtl && this->ttl_.expired(s.lastAccess());
      any_expired |= expired;
      if (!expired || this->ttl_.returnExpired()) out.push_back(s.value);
      if (kTtl && !expired && this->ttl_.updateOnRead()) s.touch(this->ttl_.now());
    }
    if (any_expired) prune(*list);
    return out;
  }
  void add(T value) override {
    this->cleanupIncrementally();
    Stamped<T, kTtl> s{std::move(value)};
    s.touch(this->ttl_.now());
    this->table_->getOrCreate(this->ns_).push_back(std::move(s));
  }
  void addAll(std::vector<T> values) override {
    for (auto& v : values) add(std::move(v));
  }
  void update(std::vector<T> values) override {
    clear();
    if (!values.empty()) addAll(std::move(values));
  }
  void clear() override { this->table_->remove(this->ns_); }

 private:
  void prune(Stored& list) {
    std::erase_if(list, [&](const Stamped<T, kTtl>& s) { return this->ttl_.expired(s.lastAccess()); });
    if (list.empty()) clear();
  }
};

/// TTL applies to each entry, as in Flink's TtlMapState.
template <typename K, typename N, typename UK, typename UV, bool kTtl>
class HeapMapState final
    : public MapState<UK, UV>,
      public HeapStateBase<K, N, std::unordered_map<UK, Stamped<UV, kTtl>, std::hash<UK>>> {
  using Inner = std::unordered_map<UK, Stamped<UV, kTtl>, std::hash<UK>>;
  using Base = HeapStateBase<K, N, Inner>;

 public:
  using Stored = Inner;
  using Base::Base;
  std::optional<UV> get(const UK& key) override {
    this->cleanupIncrementally();
    Inner* m = this->table_->get(this->ns_);
    if (m == nullptr) return std::nullopt;
    auto it = m->find(key);
    if (it == m->end()) return std::nullopt;
    return readWithTtl(this->ttl_, &it->second, [&] { eraseEntry(*m, it); });
  }
  void put(UK key, UV value) override {
    this->cleanupIncrementally();
    Stamped<UV, kTtl>& s = this->table_->getOrCreate(this->ns_)[std::move(key)];
    s.value = std::move(value);
    s.touch(this->ttl_.now());
  }
  bool contains(const UK& key) override { return get(key).has_value(); }
  void remove(const UK& key) override {
    Inner* m = this->table_->get(this->ns_);
    if (m == nullptr) return;
    m->erase(key);
    if (m->empty()) clear();
  }
  bool isEmpty() override { return entries().empty(); }
  std::vector<std::pair<UK, UV>> entries() override {
    std::vector<std::pair<UK, UV>> out;
    forEach([&](const UK& k, const UV& v) { out.emplace_back(k, v); });
    return out;
  }
  void forEach(const std::function<void(const UK&, const UV&)>& f) override {
    this->cleanupIncrementally();
    Inner* m = this->table_->get(this->ns_);
    if (m == nullptr) return;
    for (auto it = m->begin(); it != m->end();) {
      if (kTtl && this->ttl_.expired(it->second.lastAccess())) {
        if (this->ttl_.returnExpired()) f(it->first, it->second.value);
        it = m->erase(it);
        continue;
      }
      if (kTtl && this->ttl_.updateOnRead()) it->second.touch(this->ttl_.now());
      f(it->first, it->second.value);
      ++it;
    }
    if (m->empty()) clear();
  }
  std::vector<UK> keys() override {
    std::vector<UK> out;
    for (auto& [k, v] : entries()) out.push_back(k);
    return out;
  }
  std::vector<UV> values() override {
    std::vector<UV> out;
    for (auto& [k, v] : entries()) out.push_back(v);
    return out;
  }
  void clear() override { this->table_->remove(this->ns_); }

 private:
  void eraseEntry(Inner& m, typename Inner::iterator it) {
    m.erase(it);
    if (m.empty()) clear();
  }
};

}  // namespace eddy::state
