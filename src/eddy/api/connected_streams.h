#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "eddy/api/keyed_stream.h"
#include "eddy/operators/co_operators.h"

namespace eddy::api {

/// Two streams, possibly of different types, processed by one two-input operator
/// (Flink's ConnectedStreams). Obtained from DataStream::connect.
template <typename IN1, typename IN2>
class ConnectedStreams {
 public:
  ConnectedStreams(DataStream<IN1> first, DataStream<IN2> second)
      : first_(std::move(first)), second_(std::move(second)) {}

  const DataStream<IN1>& getFirstInput() const { return first_; }
  const DataStream<IN2>& getSecondInput() const { return second_; }

  /// Partitions both inputs by key, so records of either input with equal keys meet in
  /// the same subtask and share keyed state and timers.
  template <typename F1, typename F2>
  auto keyBy(F1 key1, F2 key2) const;

  /// `f.map1(const IN1&) -> R` and `f.map2(const IN2&) -> R` (a CoMapFunction).
  template <typename F>
  auto map(F f) {
    using R = std::decay_t<decltype(f.map1(std::declval<const IN1&>()))>;
    static_assert(std::is_same_v<R, std::decay_t<decltype(f.map2(std::declval<const IN2&>()))>>,
                  "map1 and map2 must return the same type");
    return transform<R>("Co-Map", [f] { return std::make_unique<operators::CoStreamMap<IN1, IN2, R, F>>(f); });
  }
  /// `f.flatMap1(const IN1&, Collector<R>&)` and `f.flatMap2(const IN2&, Collector<R>&)`
  /// (a CoFlatMapFunction).
  template <typename R, typename F>
  SingleOutputStreamOperator<R> flatMap(F f) {
    return transform<R>("Co-Flat Map",
                        [f] { return std::make_unique<operators::CoStreamFlatMap<IN1, IN2, R, F>>(f); });
  }
  /// Runs a CoProcessFunction<IN1, IN2, R> subclass.
  template <typename F>
  SingleOutputStreamOperator<typename F::OutputType> process(F f) {
    using R = typename F::OutputType;
    static_assert(!requires { typename F::KeyType; },
                  "A KeyedCoProcessFunction needs keyed inputs: call keyBy(key1, key2) first, or connect two "
                  "KeyedStreams.");
    return transform<R>("Co-Process", [f] { return std::make_unique<operators::CoProcessOperator<IN1, IN2, R, F>>(f); });
  }

  /// Adds a two-input operator made by `make()` (a unique_ptr to a
  /// TwoInputStreamOperator<IN1, IN2, R>) fed by both inputs.
  template <typename R, typename Make>
  SingleOutputStreamOperator<R> transform(std::string name, Make make) const {
    const std::shared_ptr<GraphBuilder>& g = first_.builder();
    runtime::StreamNode n;
    n.name = std::move(name);
    n.num_inputs = 2;
    n.output_type = std::make_shared<runtime::TypeOps<R>>();
    n.create_operator = [make]() -> std::unique_ptr<runtime::StreamOperatorBase> { return make(); };
    n.make_input = [](runtime::StreamOperatorBase& op, int input) -> std::unique_ptr<runtime::OutputBase> {
      auto* two = static_cast<runtime::TwoInputStreamOperator<IN1, IN2, R>*>(&op);
      if (input == 0) return std::make_unique<runtime::ChainedTwoInput<IN1, IN2, R, 1>>(two);
      return std::make_unique<runtime::ChainedTwoInput<IN1, IN2, R, 2>>(two);
    };
    int id = g->addNode(std::move(n));
    first_.connectTo(id, 0);
    second_.connectTo(id, 1);
    return SingleOutputStreamOperator<R>(g, id);
  }

 protected:
  DataStream<IN1> first_;
  DataStream<IN2> second_;
};

/// Connected streams whose inputs are both keyed by K: process() takes a
/// KeyedCoProcessFunction<K, IN1, IN2, R>.
template <typename IN1, typename IN2, typename K>
class KeyedConnectedStreams : public ConnectedStreams<IN1, IN2> {
 public:
  KeyedConnectedStreams(const KeyedStream<IN1, K>& first, const KeyedStream<IN2, K>& second)
      : ConnectedStreams<IN1, IN2>(first, second),
        key1_(first.getKeySelector()),
        key2_(second.getKeySelector()) {}

  template <typename F>
  SingleOutputStreamOperator<typename F::OutputType> process(F f) {
    using R = typename F::OutputType;
    static_assert(std::is_same_v<typename F::KeyType, K>, "the function's key type must be the streams' key type");
    auto k1 = key1_;
    auto k2 = key2_;
    return this->template transform<R>("KeyedCoProcess", [f, k1, k2] {
      return std::make_unique<operators::KeyedCoProcessOperator<K, IN1, IN2, R, F>>(f, k1, k2);
    });
  }

 private:
  operators::KeySelector<IN1, K> key1_;
  operators::KeySelector<IN2, K> key2_;
};

template <typename IN1, typename IN2>
template <typename F1, typename F2>
auto ConnectedStreams<IN1, IN2>::keyBy(F1 key1, F2 key2) const {
  using K = std::decay_t<std::invoke_result_t<F1&, const IN1&>>;
  static_assert(std::is_same_v<K, std::decay_t<std::invoke_result_t<F2&, const IN2&>>>,
                "both key selectors must return the same key type");
  DataStream<IN1> a = first_;
  DataStream<IN2> b = second_;
  return KeyedConnectedStreams<IN1, IN2, K>(a.keyBy(std::move(key1)), b.keyBy(std::move(key2)));
}

/// A stream whose records go to every parallel instance of the operator it is
/// connected to, which keeps them in the broadcast states named by `descriptors`
/// (Flink's BroadcastStream). Obtained from DataStream::broadcast(descriptors...).
template <typename T>
class BroadcastStream {
 public:
  BroadcastStream(DataStream<T> input, std::vector<std::string> descriptors)
      : input_(std::move(input)), descriptors_(std::move(descriptors)) {}
  const DataStream<T>& getInput() const { return input_; }
  const std::vector<std::string>& getDescriptorNames() const { return descriptors_; }

 private:
  DataStream<T> input_;
  std::vector<std::string> descriptors_;
};

/// A (possibly keyed) stream connected to a broadcast stream (Flink's
/// BroadcastConnectedStream). `K = void` for a non-keyed first input.
template <typename IN1, typename IN2, typename K = void>
class BroadcastConnectedStream {
 public:
  BroadcastConnectedStream(DataStream<IN1> first, BroadcastStream<IN2> broadcast,
                           operators::KeySelector<IN1, std::conditional_t<std::is_void_v<K>, int, K>> key = {})
      : first_(std::move(first)), broadcast_(std::move(broadcast)), key_(std::move(key)) {}

  /// Runs a BroadcastProcessFunction<IN1, IN2, R> (non-keyed first input) or a
  /// KeyedBroadcastProcessFunction<K, IN1, IN2, R> (keyed first input).
  template <typename F>
  SingleOutputStreamOperator<typename F::OutputType> process(F f) {
    using R = typename F::OutputType;
    auto names = broadcast_.getDescriptorNames();
    ConnectedStreams<IN1, IN2> both(first_, broadcast_.getInput().broadcast());
    if constexpr (std::is_void_v<K>) {
      static_assert(!requires { typename F::KeyType; },
                    "A KeyedBroadcastProcessFunction needs a keyed stream: connect a KeyedStream to the "
                    "broadcast stream.");
      return both.template transform<R>("Co-Process-Broadcast", [f, names] {
        return std::make_unique<operators::CoBroadcastWithNonKeyedOperator<IN1, IN2, R, F>>(f, names);
      });
    } else {
      static_assert(std::is_same_v<typename F::KeyType, K>, "the function's key type must be the stream's key type");
      auto key = key_;
      return both.template transform<R>("Co-Process-Broadcast-Keyed", [f, key, names] {
        return std::make_unique<operators::CoBroadcastWithKeyedOperator<K, IN1, IN2, R, F>>(f, key, names);
      });
    }
  }

 private:
  DataStream<IN1> first_;
  BroadcastStream<IN2> broadcast_;
  operators::KeySelector<IN1, std::conditional_t<std::is_void_v<K>, int, K>> key_;
};

template <typename T>
template <typename T2>
ConnectedStreams<T, T2> DataStream<T>::connect(const DataStream<T2>& other) const {
  return ConnectedStreams<T, T2>(*this, other);
}

template <typename T>
template <typename T2>
BroadcastConnectedStream<T, T2, void> DataStream<T>::connect(const BroadcastStream<T2>& other) const {
  return BroadcastConnectedStream<T, T2, void>(*this, other);
}

template <typename T>
template <typename... D>
  requires(sizeof...(D) > 0)
BroadcastStream<T> DataStream<T>::broadcast(const D&... descriptors) const {
  return BroadcastStream<T>(*this, std::vector<std::string>{descriptors.name...});
}

template <typename T, typename K>
template <typename T2>
auto KeyedStream<T, K>::connect(const KeyedStream<T2, K>& other) const {
  return KeyedConnectedStreams<T, T2, K>(*this, other);
}

template <typename T, typename K>
template <typename T2>
BroadcastConnectedStream<T, T2, K> KeyedStream<T, K>::connect(const BroadcastStream<T2>& other) const {
  return BroadcastConnectedStream<T, T2, K>(*this, other, getKeySelector());
}

}  // namespace eddy::api
