#pragma once

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace eddy::state {

// The keyed state a user function reads and writes, scoped to the current key (and,
// inside windows, the current window). Flink's names; C++ optionals where Flink
// returns null. Thread: the task thread only; handles stay valid for the operator's life.

template <typename T>
class ValueState {
 public:
  virtual ~ValueState() = default;
  /// The value for the current key, or the descriptor's default (nullopt when none).
  virtual std::optional<T> value() = 0;
  virtual void update(T value) = 0;
  virtual void clear() = 0;
};

template <typename T>
class ListState {
 public:
  virtual ~ListState() = default;
  /// A copy of the list; empty when the key has none.
  virtual std::vector<T> get() = 0;
  virtual void add(T value) = 0;
  virtual void addAll(std::vector<T> values) = 0;
  virtual void update(std::vector<T> values) = 0;
  virtual void clear() = 0;
};

template <typename UK, typename UV>
class MapState {
 public:
  virtual ~MapState() = default;
  virtual std::optional<UV> get(const UK& key) = 0;
  virtual void put(UK key, UV value) = 0;
  virtual bool contains(const UK& key) = 0;
  virtual void remove(const UK& key) = 0;
  virtual bool isEmpty() = 0;
  /// A copy of all entries, in no particular order.
  virtual std::vector<std::pair<UK, UV>> entries() = 0;
  /// Calls `f` on each entry, in no particular order, without copying them; `f` must not
  /// change this state.
  virtual void forEach(const std::function<void(const UK&, const UV&)>& f) {
    for (const auto& [k, v] : entries()) f(k, v);
  }
  virtual std::vector<UK> keys() = 0;
  virtual std::vector<UV> values() = 0;
  virtual void clear() = 0;
};

/// Keeps one value, folding each added value in with the reduce function.
template <typename T>
class ReducingState {
 public:
  virtual ~ReducingState() = default;
  virtual std::optional<T> get() = 0;
  virtual void add(T value) = 0;
  virtual void clear() = 0;
};

/// Keeps an accumulator, adding each value with an AggregateFunction.
template <typename IN, typename OUT>
class AggregatingState {
 public:
  virtual ~AggregatingState() = default;
  virtual std::optional<OUT> get() = 0;
  virtual void add(const IN& value) = 0;
  virtual void clear() = 0;
};

}  // namespace eddy::state
