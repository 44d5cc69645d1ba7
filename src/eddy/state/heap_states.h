#pragma once

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "eddy/core/clock.h"
#include "eddy/state/state.h"
#include "eddy/state/state_descriptor.h"
#include "eddy/state/state_table.h"

namespace eddy::state {

/// A stored value with the processing time it was last written (or read, per the TTL
/// config); the time is only kept up to date when TTL is enabled.
template <typename V>
struct Stamped {
  V value;
  Timestamp last_access = 0;
};

/// TTL bookkeeping shared by the heap states (Flink's AbstractTtlDecorator).
class TtlPolicy {
 public:
  TtlPolicy(const StateTtlConfig& config, const Clock* clock) : config_(config), clock_(clock) {}
  bool enabled() const { return config_.isEnabled(); }
  Timestamp now() const { return enabled() ? clock_->currentTimeMillis() : 0; }
  /// Flink: expired iff lastAccess + ttl <= now.
  bool expired(Timestamp last_access) const {
    return enabled() && last_access + config_.ttl_ms <= clock_->currentTimeMillis();
  }
  bool returnExpired() const {
    return config_.visibility == StateTtlConfig::StateVisibility::kReturnExpiredIfNotCleanedUp;
  }
  bool updateOnRead() const {
    return config_.update_type == StateTtlConfig::UpdateType::kOnReadAndWrite;
  }

 private:
  StateTtlConfig config_;
  const Clock* clock_;
};

/// Reads one stamped value under TTL rules: an expired value is removed, and returned
/// only with ReturnExpiredIfNotCleanedUp; a live one is re-stamped on read when asked.
/// `remove` erases the entry.
template <typename V, typename Remove>
std::optional<V> readWithTtl(const TtlPolicy& ttl, Stamped<V>* s, Remove remove) {
  if (s == nullptr) return std::nullopt;
  if (ttl.expired(s->last_access)) {
    std::optional<V> v;
    if (ttl.returnExpired()) v = std::move(s->value);
    remove();
    return v;
  }
  if (ttl.enabled() && ttl.updateOnRead()) s->last_access = ttl.now();
  return s->value;
}

/// Base of heap states: the table, the namespace in scope and the TTL policy.
template <typename K, typename N, typename V>
class HeapStateBase {
 public:
  HeapStateBase(StateTable<K, N, V>* table, TtlPolicy ttl) : table_(table), ttl_(ttl) {}
  void setCurrentNamespace(const N& ns) { ns_ = ns; }

 protected:
  StateTable<K, N, V>* table_;
  TtlPolicy ttl_;
  N ns_{};
};

template <typename K, typename N, typename T>
class HeapValueState final : public ValueState<T>, public HeapStateBase<K, N, Stamped<T>> {
  using Base = HeapStateBase<K, N, Stamped<T>>;

 public:
  HeapValueState(StateTable<K, N, Stamped<T>>* table, TtlPolicy ttl, std::optional<T> def)
      : Base(table, ttl), default_(std::move(def)) {}
  std::optional<T> value() override {
    auto v = readWithTtl(this->ttl_, this->table_->get(this->ns_), [&] { clear(); });
    return v ? v : default_;
  }
  void update(T value) override {
    this->table_->getOrCreate(this->ns_) = Stamped<T>{std::move(value), this->ttl_.now()};
  }
  void clear() override { this->table_->remove(this->ns_); }

 private:
  std::optional<T> default_;
};

template <typename K, typename N, typename T>
class HeapReducingState final : public ReducingState<T>, public HeapStateBase<K, N, Stamped<T>> {
  using Base = HeapStateBase<K, N, Stamped<T>>;

 public:
  HeapReducingState(StateTable<K, N, Stamped<T>>* table, TtlPolicy ttl,
                    std::function<T(const T&, const T&)> reduce)
      : Base(table, ttl), reduce_(std::move(reduce)) {}
  std::optional<T> get() override {
    return readWithTtl(this->ttl_, this->table_->get(this->ns_), [&] { clear(); });
  }
  void add(T value) override {
    std::optional<T> current = get();
    T next = current ? reduce_(*current, value) : std::move(value);
    this->table_->getOrCreate(this->ns_) = Stamped<T>{std::move(next), this->ttl_.now()};
  }
  void clear() override { this->table_->remove(this->ns_); }

 private:
  std::function<T(const T&, const T&)> reduce_;
};

template <typename K, typename N, typename IN, typename ACC, typename OUT>
class HeapAggregatingState final : public AggregatingState<IN, OUT>,
                                   public HeapStateBase<K, N, Stamped<ACC>> {
  using Base = HeapStateBase<K, N, Stamped<ACC>>;

 public:
  HeapAggregatingState(StateTable<K, N, Stamped<ACC>>* table, TtlPolicy ttl,
                       std::shared_ptr<const AggregateFunction<IN, ACC, OUT>> f)
      : Base(table, ttl), f_(std::move(f)) {}
  std::optional<OUT> get() override {
    auto acc = readWithTtl(this->ttl_, this->table_->get(this->ns_), [&] { clear(); });
    if (!acc) return std::nullopt;
    return f_->getResult(*acc);
  }
  void add(const IN& value) override {
    auto acc = readWithTtl(this->ttl_, this->table_->get(this->ns_), [&] { clear(); });
    ACC next = f_->add(value, acc ? std::move(*acc) : f_->createAccumulator());
    this->table_->getOrCreate(this->ns_) = Stamped<ACC>{std::move(next), this->ttl_.now()};
  }
  void clear() override { this->table_->remove(this->ns_); }

 private:
  std::shared_ptr<const AggregateFunction<IN, ACC, OUT>> f_;
};

/// TTL applies to each element, as in Flink's TtlListState.
template <typename K, typename N, typename T>
class HeapListState final : public ListState<T>,
                            public HeapStateBase<K, N, std::vector<Stamped<T>>> {
  using Base = HeapStateBase<K, N, std::vector<Stamped<T>>>;

 public:
  using Base::Base;
  std::vector<T> get() override {
    std::vector<T> out;
    auto* list = this->table_->get(this->ns_);
    if (list == nullptr) return out;
    bool any_expired = false;
    for (auto& s : *list) {
      bool expired = this->ttl_.expired(s.last_access);
      any_expired |= expired;
      if (!expired || this->ttl_.returnExpired()) out.push_back(s.value);
      if (!expired && this->ttl_.enabled() && this->ttl_.updateOnRead()) s.last_access = this->ttl_.now();
    }
    if (any_expired) prune(*list);
    return out;
  }
  void add(T value) override {
    this->table_->getOrCreate(this->ns_).push_back(Stamped<T>{std::move(value), this->ttl_.now()});
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
  void prune(std::vector<Stamped<T>>& list) {
    std::erase_if(list, [&](const Stamped<T>& s) { return this->ttl_.expired(s.last_access); });
    if (list.empty()) clear();
  }
};

/// TTL applies to each entry, as in Flink's TtlMapState.
template <typename K, typename N, typename UK, typename UV>
class HeapMapState final
    : public MapState<UK, UV>,
      public HeapStateBase<K, N, std::unordered_map<UK, Stamped<UV>, std::hash<UK>>> {
  using Inner = std::unordered_map<UK, Stamped<UV>, std::hash<UK>>;
  using Base = HeapStateBase<K, N, Inner>;

 public:
  using Base::Base;
  std::optional<UV> get(const UK& key) override {
    Inner* m = this->table_->get(this->ns_);
    if (m == nullptr) return std::nullopt;
    auto it = m->find(key);
    if (it == m->end()) return std::nullopt;
    return readWithTtl(this->ttl_, &it->second, [&] { eraseEntry(*m, it); });
  }
  void put(UK key, UV value) override {
    this->table_->getOrCreate(this->ns_)[std::move(key)] = Stamped<UV>{std::move(value), this->ttl_.now()};
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
    Inner* m = this->table_->get(this->ns_);
    if (m == nullptr) return out;
    for (auto it = m->begin(); it != m->end();) {
      if (this->ttl_.expired(it->second.last_access)) {
        if (this->ttl_.returnExpired()) out.emplace_back(it->first, it->second.value);
        it = m->erase(it);
        continue;
      }
      if (this->ttl_.enabled() && this->ttl_.updateOnRead()) it->second.last_access = this->ttl_.now();
      out.emplace_back(it->first, it->second.value);
      ++it;
    }
    if (m->empty()) clear();
    return out;
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
