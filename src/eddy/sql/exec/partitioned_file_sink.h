#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eddy/core/time_zone.h"
#include "eddy/operators/part_files.h"
#include "eddy/operators/two_phase_commit_sink.h"
#include "eddy/sql/exec/file_sink_format.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// The default partition's name, for NULL and '' (Flink's `partition.default-name`).
inline constexpr const char* kDefaultPartitionName = "__DEFAULT_PARTITION__";

/// The partition directory of a row as Flink's filesystem connector names it:
/// `k1=v1/k2=v2`, each value as text with Hive's escaping (`%2F` for '/', ...), NULL and
/// the empty string as `default_name`.
std::string partitionPath(const std::vector<std::string>& keys, const std::vector<Value>& values,
                          const std::vector<LogicalType>& types,
                          const std::string& default_name = kDefaultPartitionName);
/// A partition directory name's value, unescaped; nullopt for the default partition.
std::optional<std::string> partitionValue(std::string_view escaped,
                                          const std::string& default_name = kDefaultPartitionName);

/// A filesystem table's partition commit (Flink's `sink.partition-commit.*`): with the
/// 'success-file' policy (`sink.partition-commit.policy.kind`) an empty file
/// (`sink.partition-commit.success-file.name`, default `_SUCCESS`) marks a partition
/// once its parts are committed and its trigger fires: 'process-time' (the default)
/// when the processing time passes the partition's first commit +
/// `sink.partition-commit.delay`, 'partition-time' when the watermark passes the
/// partition's time + that delay. The partition's time comes from its values:
/// `partition.time-extractor.timestamp-pattern` (`$dt $hr:00:00`; default the first
/// partition value) read with `partition.time-extractor.timestamp-formatter` (default
/// `yyyy-MM-dd HH:mm:ss`, which also takes a date alone) as a wall-clock time in
/// `sink.partition-commit.watermark-time-zone` (default UTC).
struct PartitionCommit {
  std::string default_name = kDefaultPartitionName;  // partition.default-name
  std::string success_file;  // "" when partitions are not marked.
  bool partition_time = false;
  int64_t delay_ms = 0;
  std::string timestamp_pattern;
  std::string timestamp_formatter = "yyyy-MM-dd HH:mm:ss";
  TimeZone watermark_zone;

  /// The time (epoch ms) of the partition directory `dir` (`k1=v1/k2=v2`) of a table
  /// partitioned by `keys`; an error names the partition and the cause.
  Result<int64_t> partitionTime(const std::vector<std::string>& keys, const std::string& dir) const;
};

/// Reads a table's partition commit options; an unsupported one (the metastore and
/// custom policies, a custom time extractor) or a malformed one fails, naming it.
Result<PartitionCommit> partitionCommitOptions(const std::string& table,
                                               const std::map<std::string, std::string>& options);

/// One transaction of the partitioned file sink: per partition directory, its parts.
struct PartitionedTransaction {
  std::map<std::string, operators::FileTransaction> partitions;
  void serialize(DataOutputView& out) const;
  static Result<PartitionedTransaction> deserialize(DataInputView& in);
};

/// Flink's filesystem sink for a PARTITIONED BY table: each row goes to the part files
/// of its partition directory under `path`, written without its partition columns, with
/// the same exactly-once life as the unpartitioned sink (FileSink): parts are hidden
/// until the checkpoint that covers them completes (or the input ends without
/// checkpointing). `partition_columns` index the input; `encode` formats the other
/// columns, in order. With a success file (`commit`, Flink's 'success-file' partition
/// commit policy) a partition whose parts committed is marked by that empty file when
/// its trigger fires, checked at each commit and watermark (and at the end of input,
/// the last watermark, every partition is): each subtask marks the partitions of its
/// own parts, so a partition written by several subtasks has it once the first of them
/// has. Partitions committed but not yet marked are not in the checkpoint: after a
/// restore, one is marked when the sink writes to it again. With `overwrite` (INSERT
/// OVERWRITE, Flink's dynamic overwrite) each partition that receives rows has its
/// existing files replaced when its parts commit; other partitions stay.
/// Thread: the task thread.
class PartitionedFileSink final
    : public operators::TwoPhaseCommitSinkFunction<RecordBatch, PartitionedTransaction> {
 public:
  PartitionedFileSink(std::string path, std::vector<int> partition_columns, std::vector<std::string> partition_keys,
                      std::vector<LogicalType> types, BatchEncoder encode, PartitionCommit commit = {},
                      bool overwrite = false, RollingPolicy rolling = {});
  PartitionedFileSink(const PartitionedFileSink& o);
  using Context = operators::TwoPhaseCommitSinkFunction<RecordBatch, PartitionedTransaction>::Context;
  using operators::TwoPhaseCommitSinkFunction<RecordBatch, PartitionedTransaction>::invoke;

  void open() override;
  void writeWatermark(Timestamp watermark) override;

 protected:
  PartitionedTransaction beginTransaction() override { return {}; }
  void invoke(PartitionedTransaction& txn, const RecordBatch& batch, const Context& ctx) override;
  void preCommit(PartitionedTransaction& txn) override;
  void commit(PartitionedTransaction& txn) override;
  void abort(PartitionedTransaction& txn) override;
  void finishRecoveringContext(const std::vector<PartitionedTransaction>& known) override;

 private:
  operators::PartFileWriter& writer(const std::string& partition);
  // Writes the success file of each committed partition whose trigger has fired.
  void markReady();

  std::string path_;
  std::vector<int> partition_columns_;
  std::vector<std::string> partition_keys_;
  std::vector<LogicalType> types_;  // Of every input column.
  std::vector<int> data_columns_;   // The others.
  BatchEncoder encode_;
  PartitionCommit commit_;
  bool overwrite_ = false;
  RollingPolicy rolling_;
  // Committed partitions not yet marked, each with the time its trigger waits to pass
  // (the watermark for partition-time, the processing time for process-time).
  std::map<std::string, Timestamp> unmarked_;
  Timestamp watermark_ = INT64_MIN;
  std::map<std::string, std::unique_ptr<operators::PartFileWriter>> writers_;
};

}  // namespace eddy::sql
