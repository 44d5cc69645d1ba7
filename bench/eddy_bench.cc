// eddy-bench: throughput of the standard workloads through the public DataStream API
// and the real runtime. Prints one JSON line:
// {"workload","records","keys","parallelism","seconds","records_per_second","outputs","checksum"}
//
// Record i: key = splitmix64(i) % K, timestamp_ms = i / 1000, value = i % 100.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "eddy/core/allocator.h"
#include "eddy/api/eddy.h"
#include "workloads.h"

using namespace eddy;
using eddy::bench::BenchRecord;

namespace {

/// Counts outputs and adds up a checksum, merged over subtasks at the end.
struct Totals {
  std::atomic<int64_t> outputs{0};
  std::atomic<uint64_t> checksum{0};
};

template <typename T, typename F>
class TotalsSink final : public SinkFunction<T> {
 public:
  TotalsSink(std::shared_ptr<Totals> t, F value) : t_(std::move(t)), value_(value) {}
  TotalsSink(const TotalsSink& o) : t_(o.t_), value_(o.value_) {}
  void invoke(const T& v, const typename SinkFunction<T>::Context&) override {
    ++outputs_;
    checksum_ += static_cast<uint64_t>(value_(v));
  }
  void finish() override {
    t_->outputs += outputs_;
    t_->checksum += checksum_;
  }

 private:
  std::shared_ptr<Totals> t_;
  F value_;
  int64_t outputs_ = 0;
  uint64_t checksum_ = 0;
};

template <typename T, typename F>
void total(DataStream<T> s, const std::shared_ptr<Totals>& t, F value) {
  s.addSink(TotalsSink<T, F>(t, value), "totals");
}

class RunningSum final : public KeyedProcessFunction<int64_t, BenchRecord, int64_t> {
 public:
  void open() override { sum_ = &getRuntimeContext().getState(ValueStateDescriptor<int64_t>("sum")); }
  void processElement(const BenchRecord& r, Context&, Collector<int64_t>& out) override {
    int64_t s = sum_->value().value_or(0) + r.value;
    sum_->update(s);
    out.collect(s);
  }

 private:
  ValueState<int64_t>* sum_ = nullptr;
};

int usage() {
  std::fprintf(stderr,
               "usage: eddy-bench nexmark --query qN [--events N] [--parallelism P] [--baseline]\n"
               "       eddy-bench stateless|tumbling|sliding|running [--records N] [--keys K] [--parallelism P] "
               "[--checkpoint-interval-ms N] [--state-backend hashmap|rocksdb] [--incremental] [--baseline]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  eddy::tuneAllocator();
  if (argc < 2) return usage();
  std::string workload = argv[1];
  if (workload == "nexmark") return bench::runNexmark(argc, argv);
  int64_t records = 10'000'000;
  int64_t keys = 10'000;
  int parallelism = 1;
  bool baseline = false;
  int64_t checkpoint_interval_ms = 0;
  std::string backend = "hashmap";
  bool incremental = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) std::exit(usage());
      return argv[++i];
    };
    if (a == "--records") {
      records = std::stoll(next());
    } else if (a == "--keys") {
      keys = std::stoll(next());
    } else if (a == "--parallelism") {
      parallelism = std::stoi(next());
    } else if (a == "--checkpoint-interval-ms") {
      checkpoint_interval_ms = std::stoll(next());
    } else if (a == "--state-backend") {
      backend = next();
      if (backend != "hashmap" && backend != "rocksdb") return usage();
    } else if (a == "--incremental") {
      incremental = true;
    } else if (a == "--baseline") {
      baseline = true;
    } else {
      return usage();
    }
  }
  bench::Result result;
  JobExecutionResult job;
  // Checkpoints go to a scratch directory, removed at the end.
  std::filesystem::path checkpoints =
      std::filesystem::temp_directory_path() / ("eddy-bench-checkpoints-" + std::to_string(::getpid()));
  auto start = std::chrono::steady_clock::now();
  if (baseline) {
    // The plain C++ loop doing the same work, for the ratio in BENCHMARKS.md.
    result = bench::plainLoop(workload, records, keys);
  } else {
    StreamExecutionEnvironment env;
    env.setParallelism(parallelism);
    if (backend == "rocksdb") env.setStateBackend(EmbeddedRocksDBStateBackend(incremental));
    if (checkpoint_interval_ms > 0) {
      env.enableCheckpointing(checkpoint_interval_ms);
      env.getCheckpointConfig().setCheckpointStorage(checkpoints.string());
    }
    auto source = env.fromSource<BenchRecord>(
        std::make_shared<GeneratorSource<BenchRecord>>([keys](int64_t i) { return bench::record(i, keys); }, records),
        WatermarkStrategy<BenchRecord>::forMonotonousTimestamps().withTimestampAssigner(
            [](const BenchRecord& r) { return r.timestamp_ms; }),
        "generator");
    auto totals = std::make_shared<Totals>();
    auto by_key = [](const BenchRecord& r) { return r.key; };
    if (workload == "stateless") {
      total(DataStream<BenchRecord>(source.map([](const BenchRecord& r) { return BenchRecord{r.key, r.timestamp_ms, r.value * 2}; })
                                        .filter([](const BenchRecord& r) { return r.key % 2 == 0; })),
            totals, [](const BenchRecord& r) { return r.value; });
    } else if (workload == "tumbling" || workload == "sliding") {
      auto keyed = source.keyBy(by_key);
      auto sum = [](const BenchRecord& a, const BenchRecord& b) { return BenchRecord{a.key, a.timestamp_ms, a.value + b.value}; };
      auto windows = workload == "tumbling"
                         ? keyed.window(TumblingEventTimeWindows::of(Duration(1000))).reduce(sum)
                         : keyed.window(SlidingEventTimeWindows::of(Duration(10000), Duration(1000))).reduce(sum);
      total(DataStream<BenchRecord>(windows), totals, [](const BenchRecord& r) { return r.value; });
    } else if (workload == "running") {
      total(DataStream<int64_t>(source.keyBy(by_key).process(RunningSum())), totals, [](int64_t v) { return v; });
    } else {
      return usage();
    }
    job = env.execute("eddy-bench " + workload);
    std::error_code ec;
    std::filesystem::remove_all(checkpoints, ec);
    if (!job.isOk()) {
      std::fprintf(stderr, "%s\n", job.status.message().c_str());
      return 1;
    }
    result.outputs = totals->outputs;
    result.checksum = totals->checksum;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"workload\":\"%s%s\",\"records\":%lld,\"keys\":%lld,\"parallelism\":%d,\"seconds\":%.3f,"
      "\"records_per_second\":%.0f,\"outputs\":%lld,\"checksum\":%llu,\"state_backend\":\"%s\","
      "\"checkpoint_interval_ms\":%lld,\"checkpoints\":%lld,\"last_checkpoint_ms\":%lld,"
      "\"last_checkpoint_bytes\":%lld,\"last_checkpoint_full_bytes\":%lld}\n",
      workload.c_str(), baseline ? "-baseline" : "", static_cast<long long>(records), static_cast<long long>(keys),
      baseline ? 1 : parallelism, seconds, records / seconds, static_cast<long long>(result.outputs),
      static_cast<unsigned long long>(result.checksum), (backend + (incremental ? "-incremental" : "")).c_str(),
      static_cast<long long>(checkpoint_interval_ms),
      static_cast<long long>(job.number_of_completed_checkpoints), static_cast<long long>(job.last_checkpoint_duration_ms),
      static_cast<long long>(job.last_checkpoint_size), static_cast<long long>(job.last_checkpoint_full_size));
  return 0;
}
