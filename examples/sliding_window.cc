// Keyed event-time sliding windows: per key and window, the count and sum of values.
#include "example_common.h"

using namespace eddy;
using namespace eddy::examples;

int main(int argc, char** argv) {
  Flags flags(argc, argv,
              "--input F --output F [--late-output F] --size-ms N --slide-ms N --out-of-orderness-ms N "
              "--allowed-lateness-ms N [--parallelism N] [--metrics]",
              {"input", "output", "late-output", "size-ms", "slide-ms", "out-of-orderness-ms", "allowed-lateness-ms",
               "parallelism"});
  int64_t size = flags.getInt("size-ms");
  int64_t slide = flags.getInt("slide-ms");
  if (size <= 0 || slide <= 0) flags.fail("flags --size-ms and --slide-ms must be positive");
  StreamExecutionEnvironment env;
  env.setParallelism(static_cast<int>(flags.getInt("parallelism", 1)));

  OutputTag<Reading> late("late-readings");
  auto windows = readInput(env, flags)
                     .keyBy([](const Reading& r) { return r.key; })
                     .window(SlidingEventTimeWindows::of(Duration(size), Duration(slide)))
                     .allowedLateness(Duration(flags.getInt("allowed-lateness-ms", 0)))
                     .sideOutputLateData(late)
                     .aggregate(CountSumAggregate(), ToWindowRow());
  windows.name("Sliding window");
  writeCsv(DataStream<WindowRow>(windows), flags.getString("output"), [](const WindowRow& w) { return w.toString(); });
  if (auto path = flags.getOptional("late-output")) writeCsv(windows.getSideOutput(late), *path, formatReading);
  return runJob(env, "sliding_window", flags);
}
