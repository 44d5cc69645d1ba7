// Keyed count windows: every N records of a key, their count and sum (`key,count,sum`).
#include "example_common.h"

using namespace eddy;
using namespace eddy::examples;

int main(int argc, char** argv) {
  Flags flags(argc, argv, "--input F --output F --count N [--out-of-orderness-ms N] [--parallelism N] [--metrics]",
              {"input", "output", "late-output", "count", "out-of-orderness-ms", "allowed-lateness-ms", "parallelism"});
  int64_t count = flags.getInt("count");
  if (count <= 0) flags.fail("flag --count must be positive");
  StreamExecutionEnvironment env;
  env.setParallelism(static_cast<int>(flags.getInt("parallelism", 1)));

  struct KeyCountSum {
    std::string key;
    int64_t count;
    double sum;
  };
  auto windows = readInput(env, flags)
                     .keyBy([](const Reading& r) { return r.key; })
                     .countWindow(count)
                     .reduce([](const Reading& a, const Reading& b) {
                       return Reading{a.key, 0, a.value + b.value};
                     })
                     .map([count](const Reading& r) { return KeyCountSum{r.key, count, r.value}; });
  writeCsv(DataStream<KeyCountSum>(windows), flags, "output", [](const KeyCountSum& r) {
    return r.key + "," + std::to_string(r.count) + "," + formatPlain(r.sum);
  });
  return runJob(env, "count_window", flags);
}
