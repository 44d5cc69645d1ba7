#pragma once

#include <optional>

#include "eddy/api/keyed_stream.h"

namespace eddy::api {

/// Windows over a keyed stream (Flink's WindowedStream): configure trigger, evictor,
/// lateness and late-data output, then reduce / aggregate / process.
template <typename T, typename K, typename W>
class WindowedStream {
 public:
  WindowedStream(KeyedStream<T, K> input, std::shared_ptr<operators::WindowAssigner<W>> assigner)
      : input_(std::move(input)) {
    cfg_.assigner = std::move(assigner);
    cfg_.trigger = cfg_.assigner->getDefaultTrigger();
  }

  WindowedStream& trigger(std::shared_ptr<operators::Trigger<W>> t) {
    if (cfg_.assigner->isMerging() && !t->canMerge()) {
      throw std::invalid_argument("A merging window assigner cannot be used with a trigger that does not support merging.");
    }
    cfg_.trigger = std::move(t);
    return *this;
  }
  WindowedStream& evictor(std::shared_ptr<operators::Evictor> e) {
    if (cfg_.assigner->isMerging()) throw std::invalid_argument("Cannot use a merging WindowAssigner with an Evictor.");
    cfg_.evictor = std::move(e);
    return *this;
  }
  /// Keeps windows `lateness` past their end for late firings. Default: 0.
  WindowedStream& allowedLateness(Duration lateness) {
    if (lateness.count() < 0) throw std::invalid_argument("The allowed lateness cannot be negative.");
    cfg_.allowed_lateness = lateness.count();
    return *this;
  }
  /// Sends records dropped as late to side output `tag` instead of dropping them.
  WindowedStream& sideOutputLateData(const runtime::OutputTag<T>& tag) {
    cfg_.late_data_tag = tag;
    return *this;
  }

  /// Incremental reduce; emits the reduced value per firing.
  template <typename F>
  SingleOutputStreamOperator<T> reduce(F f) {
    if (cfg_.evictor) {
      return list<T>([f](const K&, auto&, auto& elements, auto& out) { out.collect(fold(f, elements)); });
    }
    operators::WindowFunctionRunner<K, W, T, T> runner;
    runner.process = [](const K&, auto&, T& acc, operators::Collector<T>& out) { out.collect(acc); };
    return build<T>(operators::ReduceContents<T, F>{f}, std::move(runner));
  }
  /// Incremental reduce, then a ProcessWindowFunction<T, OUT, K, W> on the result.
  template <typename F, typename P>
  SingleOutputStreamOperator<typename P::OutputType> reduce(F f, P pwf) {
    using R = typename P::OutputType;
    if (cfg_.evictor) {
      return listWith<R>(pwf, [f](const auto& elements) { return std::vector<T>{fold(f, elements)}; });
    }
    return build<R>(operators::ReduceContents<T, F>{f}, withPwf<T, R>(pwf, [](T& acc) { return std::vector<T>{acc}; }));
  }
  /// Incremental aggregation with an AggregateFunction<T, ACC, OUT>.
  template <typename A>
  SingleOutputStreamOperator<typename A::OutputType> aggregate(A agg) {
    using R = typename A::OutputType;
    if (cfg_.evictor) {
      return list<R>([agg](const K&, auto&, auto& elements, auto& out) { out.collect(agg.getResult(accumulate(agg, elements))); });
    }
    operators::WindowFunctionRunner<K, W, typename A::AccumulatorType, R> runner;
    runner.process = [agg](const K&, auto&, typename A::AccumulatorType& acc, operators::Collector<R>& out) {
      out.collect(agg.getResult(acc));
    };
    return build<R>(operators::AggregateContents<T, A>{agg}, std::move(runner));
  }
  /// Incremental aggregation, then a ProcessWindowFunction on the aggregate.
  template <typename A, typename P>
  SingleOutputStreamOperator<typename P::OutputType> aggregate(A agg, P pwf) {
    using R = typename P::OutputType;
    using M = typename A::OutputType;
    if (cfg_.evictor) {
      return listWith<R>(pwf, [agg](const auto& elements) { return std::vector<M>{agg.getResult(accumulate(agg, elements))}; });
    }
    return build<R>(operators::AggregateContents<T, A>{agg},
                    withPwf<typename A::AccumulatorType, R>(pwf, [agg](typename A::AccumulatorType& acc) {
                      return std::vector<M>{agg.getResult(acc)};
                    }));
  }
  /// All elements of a window to a ProcessWindowFunction<T, OUT, K, W>.
  template <typename P>
  SingleOutputStreamOperator<typename P::OutputType> process(P pwf) {
    using R = typename P::OutputType;
    return listWith<R>(pwf, [](const auto& elements) {
      std::vector<T> values;
      values.reserve(elements.size());
      for (const auto& r : elements) values.push_back(r.value);
      return values;
    });
  }

 private:
  using List = std::vector<runtime::StreamRecord<T>>;

  template <typename F>
  static T fold(const F& f, const List& elements) {
    T acc = elements.front().value;
    for (size_t i = 1; i < elements.size(); ++i) acc = f(acc, elements[i].value);
    return acc;
  }
  template <typename A>
  static typename A::AccumulatorType accumulate(const A& agg, const List& elements) {
    auto acc = agg.createAccumulator();
    for (const auto& r : elements) acc = agg.add(r.value, std::move(acc));
    return acc;
  }

  /// A list-contents window whose emission is `emit(key, ctx, elements, out)`.
  template <typename R, typename Emit>
  SingleOutputStreamOperator<R> list(Emit emit) {
    operators::WindowFunctionRunner<K, W, List, R> runner;
    runner.process = [emit](const K& key, operators::WindowProcessContext<W>& ctx, List& elements,
                            operators::Collector<R>& out) {
      if (!elements.empty()) emit(key, ctx, elements, out);
    };
    return build<R>(operators::ListContents<T>{}, std::move(runner));
  }
  /// A list-contents window feeding `pwf` with `extract(elements)`.
  template <typename R, typename P, typename Extract>
  SingleOutputStreamOperator<R> listWith(P pwf, Extract extract) {
    return build<R>(operators::ListContents<T>{}, withPwf<List, R>(pwf, [extract](List& elements) {
      return extract(elements);
    }));
  }
  /// A runner that gives `pwf` the values `extract(acc)`. Each subtask copies the runner,
  /// so `pwf` is copied per subtask.
  template <typename Acc, typename R, typename P, typename Extract>
  std::function<operators::WindowFunctionRunner<K, W, Acc, R>()> withPwf(P pwf, Extract extract) {
    return [pwf, extract] { return pwfRunner<Acc, R>(std::make_shared<P>(pwf), extract); };
  }
  template <typename Acc, typename R, typename P, typename Extract>
  static operators::WindowFunctionRunner<K, W, Acc, R> pwfRunner(std::shared_ptr<P> fn, Extract extract) {
    operators::WindowFunctionRunner<K, W, Acc, R> runner;
    runner.open = [fn](operators::KeyedRuntimeContext<K>* rc) {
      fn->setRuntimeContext(rc);
      fn->open();
    };
    runner.close = [fn] { fn->close(); };
    runner.process = [fn, extract](const K& key, operators::WindowProcessContext<W>& ctx, Acc& acc,
                                   operators::Collector<R>& out) { fn->process(key, ctx, extract(acc), out); };
    runner.clear = [fn](operators::WindowProcessContext<W>& ctx) { fn->clear(ctx); };
    return runner;
  }

  template <typename R, typename Contents>
  SingleOutputStreamOperator<R> build(Contents contents, operators::WindowFunctionRunner<K, W, typename Contents::Acc, R> runner) {
    return build<R>(std::move(contents), std::function<operators::WindowFunctionRunner<K, W, typename Contents::Acc, R>()>(
                                             [runner] { return runner; }));
  }
  /// `make_runner` runs once per subtask, so a user function with state gets a fresh copy
  /// in every subtask.
  template <typename R, typename Contents>
  SingleOutputStreamOperator<R> build(Contents contents,
                                      std::function<operators::WindowFunctionRunner<K, W, typename Contents::Acc, R>()> make_runner) {
    using Op = operators::WindowOperator<K, T, R, W, Contents>;
    auto cfg = cfg_;
    auto sel = input_.getKeySelector();
    auto op = input_.template transform<R>(
        cfg_.evictor ? "EvictingWindow" : "Window", [cfg, sel, contents, make_runner] {
          return std::make_unique<Op>(sel, cfg, contents, make_runner());
        });
    if (forced_parallelism_ > 0) op.setParallelism(forced_parallelism_).setMaxParallelism(1);
    return op;
  }

  KeyedStream<T, K> input_;
  operators::WindowOperatorConfig<T, W> cfg_;

 protected:
  int forced_parallelism_ = 0;  // windowAll runs at parallelism 1.
};

/// windowAll: one window operator at parallelism 1 over a constant key.
template <typename T, typename W>
class AllWindowedStream : public WindowedStream<T, int, W> {
 public:
  AllWindowedStream(KeyedStream<T, int> input, std::shared_ptr<operators::WindowAssigner<W>> assigner)
      : WindowedStream<T, int, W>(std::move(input), std::move(assigner)) {
    this->forced_parallelism_ = 1;
  }
};

template <typename T>
template <typename Assigner>
AllWindowedStream<T, typename Assigner::WindowType> DataStream<T>::windowAll(std::shared_ptr<Assigner> assigner) {
  KeyedStream<T, int> keyed(*this, [](const T&) { return 0; });
  return AllWindowedStream<T, typename Assigner::WindowType>(keyed, std::move(assigner));
}

}  // namespace eddy::api
