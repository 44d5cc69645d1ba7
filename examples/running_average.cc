// The ValueState example: per record, the running average of its key's values.
// Output rows `key,timestamp_ms,average`.
#include "example_common.h"

using namespace eddy;
using namespace eddy::examples;

namespace {

struct Average {
  std::string key;
  int64_t timestamp_ms;
  double average;
};

class RunningAverage final : public KeyedProcessFunction<std::string, Reading, Average> {
 public:
  void open() override {
    sum_ = &getRuntimeContext().getState(ValueStateDescriptor<std::pair<double, int64_t>>("sum-and-count"));
  }
  void processElement(const Reading& r, Context&, Collector<Average>& out) override {
    auto [sum, count] = sum_->value().value_or(std::pair<double, int64_t>{0, 0});
    sum += r.value;
    count += 1;
    sum_->update({sum, count});
    out.collect(Average{r.key, r.timestamp_ms, sum / static_cast<double>(count)});
  }

 private:
  ValueState<std::pair<double, int64_t>>* sum_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv, "--input F --output F [--out-of-orderness-ms N] [--parallelism N] [--metrics]",
              {"input", "output", "late-output", "out-of-orderness-ms", "allowed-lateness-ms", "parallelism"});
  StreamExecutionEnvironment env;
  env.setParallelism(static_cast<int>(flags.getInt("parallelism", 1)));
  auto averages = readInput(env, flags).keyBy([](const Reading& r) { return r.key; }).process(RunningAverage());
  averages.name("Running average");
  writeCsv(DataStream<Average>(averages), flags, "output", [](const Average& a) {
    return a.key + "," + std::to_string(a.timestamp_ms) + "," + formatPlain(a.average);
  });
  return runJob(env, "running_average", flags);
}
