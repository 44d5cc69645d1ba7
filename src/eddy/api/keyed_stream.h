#pragma once

#include "eddy/api/data_stream.h"
#include "eddy/operators/window/window_operator.h"

namespace eddy::api {

template <typename T, typename K, typename W>
class WindowedStream;

/// A stream partitioned by key (Flink's KeyedStream): keyed state, timers and windows
/// are per key. Obtained from DataStream::keyBy.
template <typename T, typename K>
class KeyedStream : public DataStream<T> {
 public:
  using KeyType = K;

  KeyedStream(const DataStream<T>& input, operators::KeySelector<T, K> selector)
      : DataStream<T>(input.builder(), input.getId(), input.sideOutputTag(), hashSpec(selector)),
        selector_(std::move(selector)) {}

  const operators::KeySelector<T, K>& getKeySelector() const { return selector_; }

  using DataStream<T>::connect;
  /// Connects another stream keyed by the same key type: process() then takes a
  /// KeyedCoProcessFunction<K, T, T2, R>. Defined in connected_streams.h.
  template <typename T2>
  auto connect(const KeyedStream<T2, K>& other) const;
  /// Connects a broadcast stream: process() then takes a
  /// KeyedBroadcastProcessFunction<K, T, T2, R>.
  template <typename T2>
  BroadcastConnectedStream<T, T2, K> connect(const BroadcastStream<T2>& other) const;

  /// Runs a KeyedProcessFunction<K, T, OUT> subclass.
  template <typename F>
  SingleOutputStreamOperator<typename F::OutputType> process(F f) {
    using R = typename F::OutputType;
    auto sel = selector_;
    return this->template transform<R>("KeyedProcess", [f, sel] {
      return std::make_unique<operators::KeyedProcessOperator<K, T, R, F>>(f, sel);
    });
  }

  /// Rolling reduce: emits `f(acc, value)` for every record of a key.
  template <typename F>
  SingleOutputStreamOperator<T> reduce(F f) {
    auto sel = selector_;
    return this->template transform<T>("Keyed Reduce", [f, sel] {
      return std::make_unique<operators::KeyedReduceOperator<K, T, F>>(f, sel);
    });
  }
  /// Rolling aggregates of a field (a member pointer, e.g. `&Event::value`). Like Flink,
  /// sum/min/max keep the other fields of the key's first record; minBy/maxBy emit the
  /// record holding the extreme (the first such on ties).
  template <typename M, typename C>
    requires std::is_same_v<C, T>
  SingleOutputStreamOperator<T> sum(M C::*field) {
    return reduce([field](const T& a, const T& b) { T r = a; r.*field = a.*field + b.*field; return r; });
  }
  template <typename M, typename C>
    requires std::is_same_v<C, T>
  SingleOutputStreamOperator<T> min(M C::*field) {
    return reduce([field](const T& a, const T& b) { T r = a; r.*field = std::min(a.*field, b.*field); return r; });
  }
  template <typename M, typename C>
    requires std::is_same_v<C, T>
  SingleOutputStreamOperator<T> max(M C::*field) {
    return reduce([field](const T& a, const T& b) { T r = a; r.*field = std::max(a.*field, b.*field); return r; });
  }
  template <typename M, typename C>
    requires std::is_same_v<C, T>
  SingleOutputStreamOperator<T> minBy(M C::*field) {
    return reduce([field](const T& a, const T& b) { return b.*field < a.*field ? b : a; });
  }
  template <typename M, typename C>
    requires std::is_same_v<C, T>
  SingleOutputStreamOperator<T> maxBy(M C::*field) {
    return reduce([field](const T& a, const T& b) { return b.*field > a.*field ? b : a; });
  }

  /// Windows per key.
  template <typename Assigner>
  WindowedStream<T, K, typename Assigner::WindowType> window(std::shared_ptr<Assigner> assigner) const {
    return WindowedStream<T, K, typename Assigner::WindowType>(*this, std::move(assigner));
  }
  /// Windows of `size` records per key (GlobalWindows + PurgingTrigger(CountTrigger)).
  WindowedStream<T, K, operators::GlobalWindow> countWindow(int64_t size) const {
    return window(operators::GlobalWindows::create())
        .trigger(operators::PurgingTriggerT<operators::GlobalWindow>::of(
            operators::CountTriggerT<operators::GlobalWindow>::of(size)));
  }
  /// Sliding count windows: the last `size` records, every `slide` records.
  WindowedStream<T, K, operators::GlobalWindow> countWindow(int64_t size, int64_t slide) const {
    return window(operators::GlobalWindows::create())
        .evictor(operators::CountEvictor::of(static_cast<size_t>(size)))
        .trigger(operators::CountTriggerT<operators::GlobalWindow>::of(slide));
  }

 private:
  static PartitionSpec<T> hashSpec(const operators::KeySelector<T, K>& selector) {
    PartitionSpec<T> spec;
    spec.kind = runtime::PartitionKind::kHash;
    spec.is_explicit = true;
    spec.keyed = [selector](int max_parallelism, int n) -> std::unique_ptr<runtime::ChannelSelector<T>> {
      return std::make_unique<runtime::KeyGroupSelector<T, K, operators::KeySelector<T, K>>>(selector,
                                                                                            max_parallelism, n);
    };
    return spec;
  }
  operators::KeySelector<T, K> selector_;
};

template <typename T>
template <typename F>
KeyedStream<T, std::decay_t<std::invoke_result_t<F&, const T&>>> DataStream<T>::keyBy(F selector) {
  using K = std::decay_t<std::invoke_result_t<F&, const T&>>;
  return KeyedStream<T, K>(*this, operators::KeySelector<T, K>(std::move(selector)));
}

}  // namespace eddy::api
