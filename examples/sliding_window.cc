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
  return runKeyedWindowExample(flags, "sliding_window", SlidingEventTimeWindows::of(Duration(size), Duration(slide)));
}
