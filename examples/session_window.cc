// Keyed event-time session windows (merging as Flink's MergingWindowSet does).
#include "example_common.h"

using namespace eddy;
using namespace eddy::examples;

int main(int argc, char** argv) {
  Flags flags(argc, argv,
              "--input F --output F [--late-output F] --gap-ms N --out-of-orderness-ms N "
              "--allowed-lateness-ms N [--parallelism N] [--metrics]",
              {"input", "output", "late-output", "gap-ms", "out-of-orderness-ms", "allowed-lateness-ms", "parallelism"});
  int64_t gap = flags.getInt("gap-ms");
  if (gap <= 0) flags.fail("flag --gap-ms must be positive");
  StreamExecutionEnvironment env;
  env.setParallelism(static_cast<int>(flags.getInt("parallelism", 1)));

  OutputTag<Reading> late("late-readings");
  auto windows = readInput(env, flags)
                     .keyBy([](const Reading& r) { return r.key; })
                     .window(EventTimeSessionWindows::withGap(Duration(gap)))
                     .allowedLateness(Duration(flags.getInt("allowed-lateness-ms", 0)))
                     .sideOutputLateData(late)
                     .aggregate(CountSumAggregate(), ToWindowRow());
  windows.name("Session window");
  writeCsv(DataStream<WindowRow>(windows), flags.getString("output"), [](const WindowRow& w) { return w.toString(); });
  if (auto path = flags.getOptional("late-output")) writeCsv(windows.getSideOutput(late), *path, formatReading);
  return runJob(env, "session_window", flags);
}
