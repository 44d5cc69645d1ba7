#include "example_common.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "eddy/rest/rest_server.h"

namespace eddy::examples {

Flags::Flags(int argc, char** argv, std::string usage, std::set<std::string> allowed)
    : program_(argv[0]), usage_(std::move(usage)) {
  allowed.insert({"metrics", "checkpoint-dir", "checkpoint-interval-ms", "state-backend", "incremental-checkpoints",
                  "unaligned-checkpoints",
                  "aligned-checkpoint-timeout-ms", "source-rate", "from-savepoint", "allow-non-restored-state",
                  "rest-port"});
  usage_ += " [--checkpoint-dir DIR [--checkpoint-interval-ms N] [--state-backend hashmap|rocksdb [--incremental-checkpoints]]"
            " [--unaligned-checkpoints [--aligned-checkpoint-timeout-ms N]]] [--source-rate R]"
            " [--from-savepoint PATH [--allow-non-restored-state]] [--rest-port PORT]";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::printf("usage: %s %s\n", program_.c_str(), usage_.c_str());
      std::exit(0);
    }
    if (arg.rfind("--", 0) != 0) fail("unexpected argument '" + arg + "'");
    std::string name = arg.substr(2);
    std::string value;
    auto eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (name == "metrics" || name == "allow-non-restored-state" || name == "unaligned-checkpoints" ||
               name == "incremental-checkpoints") {
      value = "true";
    } else {
      if (i + 1 >= argc) fail("flag --" + name + " needs a value");
      value = argv[++i];
    }
    if (allowed.count(name) == 0) fail("unknown flag --" + name);
    values_[name] = value;
  }
}

std::string Flags::resultDefiningFlags() const {
  // Flags a resumed run may change: they shape how the job runs, not what it computes.
  static const std::set<std::string> kNeutral = {"metrics",
                                                 "source-rate",
                                                 "checkpoint-interval-ms",
                                                 "unaligned-checkpoints",
                                                 "incremental-checkpoints",
                                                 "aligned-checkpoint-timeout-ms",
                                                 "parallelism",
                                                 "from-savepoint",
                                                 "allow-non-restored-state",
                                                 "rest-port"};
  std::string out;
  for (const auto& [name, value] : values_) {
    if (kNeutral.count(name) != 0) continue;
    out += (out.empty() ? "--" : " --") + name + "=" + value;
  }
  return out;
}

void Flags::fail(const std::string& message) const {
  std::fprintf(stderr, "%s: %s\nusage: %s %s\n", program_.c_str(), message.c_str(), program_.c_str(),
               usage_.c_str());
  std::exit(2);
}

std::string Flags::getString(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) fail("missing required flag --" + name);
  return it->second;
}

std::optional<std::string> Flags::getOptional(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

int64_t Flags::getInt(const std::string& name) const {
  std::string v = getString(name);
  int64_t out = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || r.ec != std::errc() || r.ptr != v.data() + v.size()) {
    fail("flag --" + name + ": not an integer: \"" + v + "\"");
  }
  return out;
}

int64_t Flags::getInt(const std::string& name, int64_t def) const { return has(name) ? getInt(name) : def; }

double Flags::getDouble(const std::string& name, double def) const {
  if (!has(name)) return def;
  std::string v = getString(name);
  double out = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || r.ec != std::errc() || r.ptr != v.data() + v.size()) {
    fail("flag --" + name + ": not a number: \"" + v + "\"");
  }
  return out;
}

std::shared_ptr<FileSource<Reading>> readingsFromCsv(const std::string& path) {
  return FileSource<Reading>::forCsv(
      {path},
      [](const CsvRow& row) -> Result<Reading> {
        Reading r;
        EDDY_ASSIGN_OR_RETURN(r.key, row.getString(0, "key"));
        EDDY_ASSIGN_OR_RETURN(r.timestamp_ms, row.getInt64(1, "timestamp_ms"));
        EDDY_ASSIGN_OR_RETURN(r.value, row.getDouble(2, "value"));
        if (row.size() > 3) {
          return Status::invalidArgument("expected 3 columns, found " + std::to_string(row.size()) + ": \"" +
                                         std::string(row.line()) + "\"");
        }
        return r;
      },
      std::string("key,timestamp_ms,value"));
}

WatermarkStrategy<Reading> punctuatedWatermarks(int64_t out_of_orderness_ms) {
  return WatermarkStrategy<Reading>::forGenerator([out_of_orderness_ms] {
           return std::make_unique<operators::PunctuatedBoundedOutOfOrderness<Reading>>(out_of_orderness_ms);
         })
      .withTimestampAssigner([](const Reading& r) { return r.timestamp_ms; });
}

SingleOutputStreamOperator<Reading> readInput(StreamExecutionEnvironment& env, const Flags& flags) {
  auto csv = readingsFromCsv(flags.getString("input"));
  double rate = flags.getDouble("source-rate", 0);
  if (rate < 0) flags.fail("flag --source-rate must not be negative");
  csv->setRateLimit(rate);
  auto source = env.fromSource<Reading>(csv,
                                        punctuatedWatermarks(flags.getInt("out-of-orderness-ms", 0)), "CSV input");
  source.setParallelism(1).uid("input");
  return source;
}

std::string formatReading(const Reading& r) {
  return r.key + "," + std::to_string(r.timestamp_ms) + "," + formatPlain(r.value);
}

std::string WindowRow::toString() const {
  return key + "," + std::to_string(start) + "," + std::to_string(end) + "," + std::to_string(count) + "," +
         formatPlain(sum);
}

void configureCheckpointing(StreamExecutionEnvironment& env, const std::string& name, const Flags& flags) {
  std::string backend = flags.getOptional("state-backend").value_or("hashmap");
  if (backend == "rocksdb") {
    env.setStateBackend(EmbeddedRocksDBStateBackend(flags.has("incremental-checkpoints")));
  } else if (backend != "hashmap") {
    flags.fail("flag --state-backend: expected hashmap or rocksdb, got \"" + backend + "\"");
  } else if (flags.has("incremental-checkpoints")) {
    flags.fail("flag --incremental-checkpoints needs --state-backend rocksdb");
  }
  if (auto path = flags.getOptional("from-savepoint")) {
    env.setSavepointRestoreSettings(SavepointRestoreSettings::forPath(*path, flags.has("allow-non-restored-state")));
  } else if (flags.has("allow-non-restored-state")) {
    flags.fail("flag --allow-non-restored-state needs --from-savepoint");
  }
  if (!flags.has("checkpoint-dir")) {
    for (const char* f : {"checkpoint-interval-ms", "unaligned-checkpoints"}) {
      if (flags.has(f)) flags.fail(std::string("flag --") + f + " needs --checkpoint-dir");
    }
    return;
  }
  if (flags.has("aligned-checkpoint-timeout-ms") && !flags.has("unaligned-checkpoints")) {
    flags.fail("flag --aligned-checkpoint-timeout-ms needs --unaligned-checkpoints");
  }
  int64_t interval = flags.getInt("checkpoint-interval-ms", 1000);
  if (interval <= 0) flags.fail("flag --checkpoint-interval-ms must be positive");
  int64_t timeout = flags.getInt("aligned-checkpoint-timeout-ms", 0);
  if (timeout < 0) flags.fail("flag --aligned-checkpoint-timeout-ms must not be negative");
  env.enableCheckpointing(interval);
  env.getCheckpointConfig()
      .setCheckpointStorage(flags.getString("checkpoint-dir"))
      .setJobFingerprint(name + " " + flags.resultDefiningFlags())
      .setResumeFromLatestCheckpoint(true)
      .enableUnalignedCheckpoints(flags.has("unaligned-checkpoints"))
      .setAlignedCheckpointTimeout(Duration(timeout));
}

JobExecutionResult execute(StreamExecutionEnvironment& env, const std::string& name, const Flags& flags) {
  if (!flags.has("rest-port")) return env.execute(name);
  const int64_t port = flags.getInt("rest-port");
  if (port < 0 || port > 65535) flags.fail("flag --rest-port: not a port: " + std::to_string(port));
  rest::RestServer server;
  std::unique_ptr<JobClient> client = env.executeAsync(name);
  server.addJob(name, client.get());
  Result<int> bound = server.start("127.0.0.1", static_cast<int>(port));
  if (!bound.isOk()) {
    client->cancel();
    JobExecutionResult failed = client->getJobExecutionResult();
    failed.status = bound.status();
    return failed;
  }
  // One line a script can read the port and the job id from.
  std::fprintf(stderr, "%s: REST API at http://127.0.0.1:%d, job %s\n", name.c_str(), *bound,
               client->getJobID().c_str());
  JobExecutionResult result = client->getJobExecutionResult();
  server.stop();
  return result;
}

int runJob(StreamExecutionEnvironment& env, const std::string& name, const Flags& flags) {
  configureCheckpointing(env, name, flags);
  JobExecutionResult result = execute(env, name, flags);
  if (!result.isOk()) {
    std::fprintf(stderr, "%s\n", result.status.message().c_str());
    if (!result.failed_operator.empty()) {
      std::fprintf(stderr, "(job '%s' failed in '%s')\n", name.c_str(), result.failed_operator.c_str());
    }
    return 1;
  }
  if (result.restored_checkpoint_id >= 0) {
    std::cerr << name << ": resumed from checkpoint " << result.restored_checkpoint_id << " in "
              << flags.getString("checkpoint-dir") << "\n";
  }
  if (flags.has("metrics")) std::cerr << result.metricsReport();
  std::cerr << result.accumulatorsReport();
  return 0;
}

}  // namespace eddy::examples
