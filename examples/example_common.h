#pragma once

// Shared plumbing of the example programs: flags, the `key,timestamp_ms,value` CSV
// input, punctuated watermarks, and the CSV outputs. Each example's main() reads as the
// Flink job it demonstrates.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "eddy/api/eddy.h"

namespace eddy::examples {

/// One input row.
struct Reading {
  std::string key;
  int64_t timestamp_ms = 0;
  double value = 0;

  // Readings are window contents and state, so they go into checkpoints.
  void serialize(DataOutputView& out) const {
    out.writeString(key);
    out.write(timestamp_ms);
    out.write(value);
  }
  static Result<Reading> deserialize(DataInputView& in) {
    Reading r;
    EDDY_ASSIGN_OR_RETURN(r.key, in.readString());
    EDDY_ASSIGN_OR_RETURN(r.timestamp_ms, in.read<int64_t>());
    EDDY_ASSIGN_OR_RETURN(r.value, in.read<double>());
    return r;
  }
};

/// `--name value` flags. Unknown flags, missing values and bad numbers are errors that
/// name the flag. Every example also takes the recovery flags (`--checkpoint-dir DIR
/// --checkpoint-interval-ms N --state-backend hashmap|rocksdb --source-rate R`) and
/// `--metrics`.
class Flags {
 public:
  /// Parses argv against the allowed flag names; on error prints it with the usage and
  /// exits with status 2. `--help` prints the usage and exits 0.
  Flags(int argc, char** argv, std::string usage, std::set<std::string> allowed);

  /// The flags that decide a run's results, as `--name=value` in name order: what a
  /// checkpoint must have been made with to be resumed (not --metrics, --source-rate,
  /// --checkpoint-interval-ms, --parallelism: a job may resume at another one, nor the
  /// savepoint flags).
  std::string resultDefiningFlags() const;

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::string getString(const std::string& name) const;           // Required.
  std::optional<std::string> getOptional(const std::string& name) const;
  int64_t getInt(const std::string& name) const;                  // Required.
  int64_t getInt(const std::string& name, int64_t def) const;
  double getDouble(const std::string& name, double def) const;
  [[noreturn]] void fail(const std::string& message) const;

 private:
  std::string program_;
  std::string usage_;
  std::map<std::string, std::string> values_;
};

/// The CSV file source of Readings: header `key,timestamp_ms,value`, errors as
/// `FILE:LINE: column NAME: <why>: "<text>"`.
std::shared_ptr<FileSource<Reading>> readingsFromCsv(const std::string& path);

/// Punctuated watermarks: after each record, max_seen - out_of_orderness - 1 whenever
/// that advances the watermark.
WatermarkStrategy<Reading> punctuatedWatermarks(int64_t out_of_orderness_ms);

/// The example's input stream at parallelism 1, from --input.
SingleOutputStreamOperator<Reading> readInput(StreamExecutionEnvironment& env, const Flags& flags);

/// Writes rows (CSV without header) to the path of flag `--<flag>`: one file written at
/// parallelism 1; with --checkpoint-dir, a directory of exactly-once part files
/// (`part-*`, committed at checkpoints; hidden `.part-*` files are not output yet).
template <typename T, typename F>
void writeCsv(DataStream<T> stream, const Flags& flags, const std::string& flag, F format) {
  std::string path = flags.getString(flag);
  if (flags.has("checkpoint-dir")) {
    stream.sinkTo(FileSink<T>::forRowFormat(path, format).build()).name("File sink: " + path).uid("sink:" + flag);
  } else {
    stream.writeAsText(path, format).setParallelism(1).name("CSV sink: " + path);
  }
}

/// `key,timestamp_ms,value` for late records.
std::string formatReading(const Reading& r);

/// Count and sum of a window, the examples' common aggregate.
struct CountSum {
  int64_t count = 0;
  double sum = 0;
};
class CountSumAggregate final : public AggregateFunction<Reading, CountSum, CountSum> {
 public:
  CountSum createAccumulator() const override { return {}; }
  CountSum add(const Reading& r, CountSum acc) const override { return {acc.count + 1, acc.sum + r.value}; }
  CountSum getResult(const CountSum& acc) const override { return acc; }
  CountSum merge(CountSum a, const CountSum& b) const override { return {a.count + b.count, a.sum + b.sum}; }
};

/// A fired window: `key,window_start,window_end,count,sum`.
struct WindowRow {
  std::string key;
  int64_t start = 0;
  int64_t end = 0;
  int64_t count = 0;
  double sum = 0;
  std::string toString() const;
};

/// Attaches the key and window to a CountSum.
class ToWindowRow final : public ProcessWindowFunction<CountSum, WindowRow, std::string, TimeWindow> {
 public:
  void process(const std::string& key, Context& ctx, const std::vector<CountSum>& elements,
               Collector<WindowRow>& out) override {
    const CountSum& cs = elements.front();
    out.collect(WindowRow{key, ctx.window().getStart(), ctx.window().getEnd(), cs.count, cs.sum});
  }
};

/// The shape of tumbling_window, sliding_window and session_window: keyed windows from
/// `assigner` with --allowed-lateness-ms, count and sum per firing to --output, late
/// records to --late-output when given. Returns the exit status.
template <typename Assigner>
int runKeyedWindowExample(const Flags& flags, const std::string& name, std::shared_ptr<Assigner> assigner);

/// Applies --checkpoint-dir, --checkpoint-interval-ms and --state-backend to `env`
/// (exits with the usage on a bad value); runJob does it for the job it runs.
void configureCheckpointing(StreamExecutionEnvironment& env, const std::string& name, const Flags& flags);

/// Runs the job (env.execute); with --rest-port PORT (0: any free port) it serves
/// Flink's REST API for it on 127.0.0.1 (`eddy savepoint|stop|cancel|list -m
/// 127.0.0.1:PORT`) and prints "<name>: REST API at http://127.0.0.1:PORT, job <id>" on
/// stderr first.
JobExecutionResult execute(StreamExecutionEnvironment& env, const std::string& name, const Flags& flags);

/// Runs the job; on failure prints the cause on stderr (the first line is the cause
/// alone, e.g. `in.csv:3: column timestamp_ms: not an integer: "12x"`) and returns 1.
/// With --checkpoint-dir the job checkpoints there every --checkpoint-interval-ms
/// (default 1000) and first resumes from the latest completed checkpoint in it, which
/// must come from the same program with the same result-defining flags.
int runJob(StreamExecutionEnvironment& env, const std::string& name, const Flags& flags);

template <typename Assigner>
int runKeyedWindowExample(const Flags& flags, const std::string& name, std::shared_ptr<Assigner> assigner) {
  StreamExecutionEnvironment env;
  env.setParallelism(static_cast<int>(flags.getInt("parallelism", 1)));
  OutputTag<Reading> late("late-readings");
  auto windows = readInput(env, flags)
                     .keyBy([](const Reading& r) { return r.key; })
                     .window(std::move(assigner))
                     .allowedLateness(Duration(flags.getInt("allowed-lateness-ms", 0)))
                     .sideOutputLateData(late)
                     .aggregate(CountSumAggregate(), ToWindowRow());
  windows.name(name);
  writeCsv(DataStream<WindowRow>(windows), flags, "output", [](const WindowRow& w) { return w.toString(); });
  if (flags.has("late-output")) writeCsv(windows.getSideOutput(late), flags, "late-output", formatReading);
  return runJob(env, name, flags);
}

}  // namespace eddy::examples
