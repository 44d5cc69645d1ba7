// Keyed event-time tumbling windows: per key and window, the count and sum of values.
// Output rows `key,window_start,window_end,count,sum`, one per firing (late firings too).
#include "example_common.h"

using namespace eddy;
using namespace eddy::examples;

int main(int argc, char** argv) {
  Flags flags(argc, argv,
              "--input F --output F [--late-output F] --size-ms N --out-of-orderness-ms N "
              "--allowed-lateness-ms N [--parallelism N] [--metrics]",
              {"input", "output", "late-output", "size-ms", "out-of-orderness-ms", "allowed-lateness-ms", "parallelism"});
  int64_t size = flags.getInt("size-ms");
  if (size <= 0) flags.fail("flag --size-ms must be positive");
  StreamExecutionEnvironment env;
  env.setParallelism(static_cast<int>(flags.getInt("parallelism", 1)));

  OutputTag<Reading> late("late-readings");
  auto windows = readInput(env, flags)
                     .keyBy([](const Reading& r) { return r.key; })
                     .window(TumblingEventTimeWindows::of(Duration(size)))
                     .allowedLateness(Duration(flags.getInt("allowed-lateness-ms", 0)))
                     .sideOutputLateData(late)
                     .aggregate(CountSumAggregate(), ToWindowRow());
  windows.name("Tumbling window");
  writeCsv(DataStream<WindowRow>(windows), flags.getString("output"), [](const WindowRow& w) { return w.toString(); });
  if (auto path = flags.getOptional("late-output")) writeCsv(windows.getSideOutput(late), *path, formatReading);
  return runJob(env, "tumbling_window", flags);
}
