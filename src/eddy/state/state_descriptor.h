#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "eddy/state/aggregate_function.h"
#include "eddy/state/state_ttl_config.h"

namespace eddy::state {

/// Names a piece of keyed state and its type (Flink's StateDescriptor). Two handles
/// obtained with the same name in one operator share the state.
struct StateDescriptorBase {
  explicit StateDescriptorBase(std::string n) : name(std::move(n)) {}
  void enableTimeToLive(const StateTtlConfig& config) { ttl = config; }
  std::string name;
  StateTtlConfig ttl;
};

template <typename T>
struct ValueStateDescriptor : StateDescriptorBase {
  explicit ValueStateDescriptor(std::string n, std::optional<T> default_value = std::nullopt)
      : StateDescriptorBase(std::move(n)), default_value(std::move(default_value)) {}
  std::optional<T> default_value;
};

template <typename T>
struct ListStateDescriptor : StateDescriptorBase {
  explicit ListStateDescriptor(std::string n) : StateDescriptorBase(std::move(n)) {}
};

template <typename UK, typename UV>
struct MapStateDescriptor : StateDescriptorBase {
  explicit MapStateDescriptor(std::string n) : StateDescriptorBase(std::move(n)) {}
};

template <typename T>
struct ReducingStateDescriptor : StateDescriptorBase {
  ReducingStateDescriptor(std::string n, std::function<T(const T&, const T&)> reduce)
      : StateDescriptorBase(std::move(n)), reduce_function(std::move(reduce)) {}
  std::function<T(const T&, const T&)> reduce_function;
};

template <typename IN, typename ACC, typename OUT>
struct AggregatingStateDescriptor : StateDescriptorBase {
  AggregatingStateDescriptor(std::string n, std::shared_ptr<const AggregateFunction<IN, ACC, OUT>> f)
      : StateDescriptorBase(std::move(n)), aggregate_function(std::move(f)) {}
  std::shared_ptr<const AggregateFunction<IN, ACC, OUT>> aggregate_function;
};

}  // namespace eddy::state
