#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eddy/operators/part_files.h"
#include "eddy/operators/two_phase_commit_sink.h"
#include "eddy/sql/exec/file_sink_format.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// The partition directory of a row as Flink's filesystem connector names it:
/// `k1=v1/k2=v2`, each value as text with Hive's escaping (`%2F` for '/', ...), NULL and
/// the empty string as `__DEFAULT_PARTITION__`.
std::string partitionPath(const std::vector<std::string>& keys, const std::vector<Value>& values,
                          const std::vector<LogicalType>& types);
/// A partition directory name's value, unescaped; nullopt for the default partition.
std::optional<std::string> partitionValue(std::string_view escaped);

/// A filesystem table's partition commit options (Flink's `sink.partition-commit.*`):
/// the success file's name (`sink.partition-commit.success-file.name`, default
/// `_SUCCESS`) when `sink.partition-commit.policy.kind` is 'success-file', "" when no
/// policy is set. Partitions commit with the checkpoint that commits their parts (the
/// process-time trigger without delay); the metastore and custom policies, the
/// partition-time trigger and a delay fail, naming the option.
Result<std::string> partitionCommitSuccessFile(const std::string& table, const std::map<std::string, std::string>& options);

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
/// columns, in order. With a `success_file` name (Flink's 'success-file' partition
/// commit policy), committing a partition's parts also writes that empty file into its
/// directory: each subtask as its own parts commit, so a partition written by several
/// subtasks has it once the first of them has committed. With `overwrite` (INSERT
/// OVERWRITE, Flink's dynamic overwrite) each partition that receives rows has its
/// existing files replaced when its parts commit; other partitions stay.
/// Thread: the task thread.
class PartitionedFileSink final
    : public operators::TwoPhaseCommitSinkFunction<RecordBatch, PartitionedTransaction> {
 public:
  PartitionedFileSink(std::string path, std::vector<int> partition_columns, std::vector<std::string> partition_keys,
                      std::vector<LogicalType> types, BatchEncoder encode, std::string success_file = "",
                      bool overwrite = false);
  PartitionedFileSink(const PartitionedFileSink& o);
  using Context = operators::TwoPhaseCommitSinkFunction<RecordBatch, PartitionedTransaction>::Context;
  using operators::TwoPhaseCommitSinkFunction<RecordBatch, PartitionedTransaction>::invoke;

  void open() override;

 protected:
  PartitionedTransaction beginTransaction() override { return {}; }
  void invoke(PartitionedTransaction& txn, const RecordBatch& batch, const Context& ctx) override;
  void preCommit(PartitionedTransaction& txn) override;
  void commit(PartitionedTransaction& txn) override;
  void abort(PartitionedTransaction& txn) override;
  void finishRecoveringContext(const std::vector<PartitionedTransaction>& known) override;

 private:
  operators::PartFileWriter& writer(const std::string& partition);

  std::string path_;
  std::vector<int> partition_columns_;
  std::vector<std::string> partition_keys_;
  std::vector<LogicalType> types_;  // Of every input column.
  std::vector<int> data_columns_;   // The others.
  BatchEncoder encode_;
  std::string success_file_;  // "" when partitions are not marked.
  bool overwrite_ = false;
  std::map<std::string, std::unique_ptr<operators::PartFileWriter>> writers_;
};

}  // namespace eddy::sql
