// Fraud detection: per account, sliding 5-minute windows every minute; an alert when a
// window holds at least --min-count transactions or sums to at least --min-sum.
// Alerts are rows `key,window_start,window_end,count,sum`. Without --input it runs on
// generated transactions (the README demo) and prints the alerts and a summary line.
#include <atomic>
#include <chrono>
#include <cstdio>

#include "example_common.h"

using namespace eddy;
using namespace eddy::examples;

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Transaction i of the demo data: 10,000 accounts over about two hours, up to two
/// seconds out of order; five accounts spend in bursts.
Reading generatedTransaction(int64_t i) {
  uint64_t h = splitmix64(static_cast<uint64_t>(i));
  Reading r;
  bool suspicious = h % 97 == 0;
  r.key = suspicious ? "acct-suspect-" + std::to_string(h % 5) : "acct-" + std::to_string(h % 10000);
  r.timestamp_ms = 1'700'000'000'000 + i * 14 - static_cast<int64_t>((h >> 20) % 2000);
  r.value = suspicious ? 400 + static_cast<double>((h >> 8) % 20000) / 100.0 : static_cast<double>((h >> 8) % 10000) / 100.0;
  return r;
}

class AlertIfSuspicious final : public ProcessWindowFunction<CountSum, WindowRow, std::string, TimeWindow> {
 public:
  AlertIfSuspicious(int64_t min_count, double min_sum) : min_count_(min_count), min_sum_(min_sum) {}
  void process(const std::string& key, Context& ctx, const std::vector<CountSum>& elements,
               Collector<WindowRow>& out) override {
    const CountSum& cs = elements.front();
    if (cs.count >= min_count_ || cs.sum >= min_sum_) {
      out.collect(WindowRow{key, ctx.window().getStart(), ctx.window().getEnd(), cs.count, cs.sum});
    }
  }

 private:
  int64_t min_count_;
  double min_sum_;
};

class CountingPrintSink final : public SinkFunction<WindowRow> {
 public:
  explicit CountingPrintSink(std::shared_ptr<std::atomic<int64_t>> n) : n_(std::move(n)) {}
  void invoke(const WindowRow& row, const Context&) override {
    std::string line = row.toString() + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
    n_->fetch_add(1, std::memory_order_relaxed);
  }
  void finish() override { std::fflush(stdout); }

 private:
  std::shared_ptr<std::atomic<int64_t>> n_;
};

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv,
              "[--input F] [--output F] [--records N] [--min-count N] [--min-sum X] [--out-of-orderness-ms N] "
              "[--allowed-lateness-ms N] [--parallelism N] [--metrics]",
              {"input", "output", "late-output", "records", "min-count", "min-sum", "out-of-orderness-ms",
               "allowed-lateness-ms", "parallelism"});
  StreamExecutionEnvironment env;
  env.setParallelism(static_cast<int>(flags.getInt("parallelism", 1)));
  int64_t records = flags.getInt("records", 500'000);

  SingleOutputStreamOperator<Reading> input =
      flags.has("input")
          ? readInput(env, flags)
          : env.fromSource<Reading>(std::make_shared<GeneratorSource<Reading>>(generatedTransaction, records,
                                                                                        flags.getDouble("source-rate", 0)),
                                    WatermarkStrategy<Reading>::forBoundedOutOfOrderness(Duration(2000))
                                        .withTimestampAssigner([](const Reading& r) { return r.timestamp_ms; }),
                                    "generated transactions");
  input.setParallelism(1).uid("input");

  auto alerts = input.keyBy([](const Reading& r) { return r.key; })
                    .window(SlidingEventTimeWindows::of(std::chrono::minutes(5), std::chrono::minutes(1)))
                    .allowedLateness(Duration(flags.getInt("allowed-lateness-ms", 0)))
                    .aggregate(CountSumAggregate(),
                               AlertIfSuspicious(flags.getInt("min-count", 20), flags.getDouble("min-sum", 5000)));
  alerts.name("Fraud windows");

  auto alert_count = std::make_shared<std::atomic<int64_t>>(0);
  if (auto path = flags.getOptional("output")) {
    writeCsv(DataStream<WindowRow>(alerts), flags, "output", [](const WindowRow& w) { return w.toString(); });
  } else {
    DataStream<WindowRow>(alerts).addSink(CountingPrintSink(alert_count), "alerts").setParallelism(1);
  }
  configureCheckpointing(env, "fraud_detection", flags);
  auto start = std::chrono::steady_clock::now();
  JobExecutionResult result = execute(env, "fraud_detection", flags);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!result.isOk()) {
    std::fprintf(stderr, "%s\n", result.status.message().c_str());
    return 1;
  }
  int64_t in = result.numRecordsOut(flags.has("input") ? "Source: CSV input" : "Source: generated transactions");
  std::printf("fraud_detection: %lld transactions, %lld alerts, %.2f s, %.0f transactions/s\n",
              static_cast<long long>(in), static_cast<long long>(result.numRecordsOut("Fraud windows")), seconds,
              in / seconds);
  if (flags.has("metrics")) std::fputs(result.metricsReport().c_str(), stderr);
  return 0;
}
