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
  return runKeyedWindowExample(flags, "tumbling_window", TumblingEventTimeWindows::of(Duration(size)));
}
