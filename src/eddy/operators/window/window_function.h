#pragma once

#include <functional>
#include <vector>

#include "eddy/operators/functions.h"
#include "eddy/runtime/internal_timer_service.h"

namespace eddy::operators {

/// Time of a window operator, readable (not settable) from window functions.
template <typename K, typename W>
class WindowTimeView final : public ReadOnlyTimerService {
 public:
  explicit WindowTimeView(runtime::InternalTimerService<K, W>* t)
      : ReadOnlyTimerService("Window functions cannot register timers; use a Trigger."), t_(t) {}
  Timestamp currentProcessingTime() const override { return t_->currentProcessingTime(); }
  Timestamp currentWatermark() const override { return t_->currentWatermark(); }

 private:
  runtime::InternalTimerService<K, W>* t_;
};

/// What a ProcessWindowFunction sees of the window being evaluated.
template <typename W>
class WindowProcessContext : public ProcessContextBase {
 public:
  using ProcessContextBase::ProcessContextBase;
  const W& window() const { return *window_; }
  Timestamp currentProcessingTime() { return timerService().currentProcessingTime(); }
  Timestamp currentWatermark() { return timerService().currentWatermark(); }
  void setWindow(const W* w) { window_ = w; }

 private:
  const W* window_ = nullptr;
};

/// Flink's ProcessWindowFunction: all elements of a window (or the one pre-aggregated
/// result) with the window's context.
template <typename IN, typename OUT, typename K, typename W>
class ProcessWindowFunction : public RichFunctionBase<KeyedRuntimeContext<K>> {
 public:
  using InputType = IN;
  using OutputType = OUT;
  using Context = WindowProcessContext<W>;
  virtual void process(const K& key, Context& ctx, const std::vector<IN>& elements, Collector<OUT>& out) = 0;
  virtual void clear(Context& ctx) { (void)ctx; }
};

/// How a window operator turns a window's contents (ACC) into output: built by the API
/// from reduce/aggregate/process and an optional ProcessWindowFunction.
template <typename K, typename W, typename ACC, typename OUT>
struct WindowFunctionRunner {
  std::function<void(KeyedRuntimeContext<K>*)> open = [](KeyedRuntimeContext<K>*) {};
  std::function<void()> close = [] {};
  std::function<void(const K&, WindowProcessContext<W>&, ACC&, Collector<OUT>&)> process;
  std::function<void(WindowProcessContext<W>&)> clear = [](WindowProcessContext<W>&) {};
};

}  // namespace eddy::operators
