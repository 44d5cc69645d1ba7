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
  return runKeyedWindowExample(flags, "session_window", EventTimeSessionWindows::withGap(Duration(gap)));
}
