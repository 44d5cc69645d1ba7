#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eddy/operators/source/source.h"
#include "eddy/operators/source/watermark_strategy.h"
#include "eddy/sql/exec/expression.h"

namespace eddy::sql {

/// A column of a table as the planner resolved it.
struct ColumnSchema {
  std::string name;
  LogicalType type;
};
using Schema = std::vector<ColumnSchema>;
std::vector<LogicalType> typesOf(const Schema& s);

/// Reads one split of a table's physical columns into batches.
/// Thread: the task thread only.
class RowReader {
 public:
  virtual ~RowReader() = default;
  virtual Status open() { return Status::ok(); }
  /// Appends up to `max_rows` rows to `out` (physical columns). Errors name the place
  /// (file:line, column) and the cause.
  virtual Result<runtime::ReadStatus> read(RecordBatch& out, int max_rows) = 0;
  virtual Timestamp nextAvailableTime() const { return 0; }
  /// Where the split is, for a checkpoint.
  virtual Result<operators::SplitState> snapshot() const = 0;
  /// For the test connector: a watermark to emit after the batch just read.
  virtual std::optional<Timestamp> watermarkAfterBatch() { return std::nullopt; }
};

/// A connector's readers for a subtask; `restore` continues checkpointed splits.
class RowSourceFactory {
 public:
  virtual ~RowSourceFactory() = default;
  virtual bool isBounded() const = 0;
  /// Projection push-down: only the physical columns marked true are read by the query.
  /// A connector may leave the others empty (no rows) to save the work; the default
  /// reads everything.
  virtual void projectColumns(const std::vector<bool>& needed) { (void)needed; }
  /// Filter push-down (Flink's SupportsFilterPushDown), as a saving only: the query
  /// keeps just the rows whose physical column `column` is one of `values` (integers).
  /// A connector may skip the others before building them; the filter still runs after
  /// the scan, so one that ignores this is correct. Called once per conjunct. True when
  /// the readers will then emit no other row: the planner may take the column to be
  /// one of `values` (a single value folds the computed columns branching on it).
  virtual bool applyFilter(int column, const std::vector<int64_t>& values) {
    (void)column;
    (void)values;
    return false;
  }
  /// Partition pruning (Flink's SupportsPartitionPushDown), as a saving only: a partition
  /// whose values (by physical column) `keep` refuses has no row the query keeps, so a
  /// connector may skip its files. Called once, when the query is planned.
  using PartitionValues = std::vector<std::pair<size_t, Value>>;
  virtual void applyPartitionFilter(const std::function<bool(const PartitionValues&)>& keep) { (void)keep; }
  /// Metadata columns (Flink's SupportsReadingMetadata): readers append one column per
  /// key, of the given types, after the physical ones. Fails on a key the connector
  /// does not have, naming the keys it has.
  virtual Status readMetadata(const std::vector<std::string>& keys, const std::vector<LogicalType>& types) {
    (void)types;
    if (keys.empty()) return Status::ok();
    return Status::invalidArgument("metadata key '" + keys[0] + "' is not supported: this connector has no metadata");
  }
  virtual Result<std::vector<std::unique_ptr<RowReader>>> create(int subtask, int parallelism, const Clock& clock) = 0;
  virtual Result<std::vector<std::unique_ptr<RowReader>>> restore(const std::vector<operators::SplitState>& splits,
                                                                   const Clock& clock) = 0;
};

/// How a table's full row is made from its physical columns: each output column is
/// either a physical column (index) or a computed column (an expression over the
/// physical row).
struct RowLayout {
  std::vector<int> physical_index;  // -1 for computed
  std::vector<std::shared_ptr<const Expression>> computed;  // null for physical
  std::vector<LogicalType> types;   // of the full row
  /// The full-row columns the scan outputs, in order (the query's projection pushed
  /// down); empty for all of them.
  std::vector<int> output;
  /// The WATERMARK FOR expression over the full row, or null. It is evaluated before the
  /// projection, so its columns need not be output.
  std::shared_ptr<const Expression> watermark;

  /// The physical columns that must be read to output `output` and evaluate `watermark`.
  std::vector<bool> neededPhysical(size_t num_physical) const;
};

/// A table scan as a runtime Source of RecordBatches (rows of the full table schema),
/// bounded when its connector is.
class TableSource final : public operators::Source<RecordBatch> {
 public:
  TableSource(std::shared_ptr<RowSourceFactory> factory, RowLayout layout, std::vector<LogicalType> physical_types)
      : factory_(std::move(factory)), layout_(std::move(layout)), physical_types_(std::move(physical_types)) {}
  bool isBounded() const override { return factory_->isBounded(); }
  Result<std::vector<std::unique_ptr<operators::SplitReader<RecordBatch>>>> createReaders(
      int subtask, int parallelism, const Clock& clock) override;
  Result<std::vector<std::unique_ptr<operators::SplitReader<RecordBatch>>>> restoreReaders(
      const std::vector<operators::SplitState>& splits, int parallelism, const Clock& clock) override;

 private:
  Result<std::vector<std::unique_ptr<operators::SplitReader<RecordBatch>>>> wrap(
      std::vector<std::unique_ptr<RowReader>> readers);
  std::shared_ptr<RowSourceFactory> factory_;
  RowLayout layout_;
  std::vector<LogicalType> physical_types_;
};

/// Every row of a bounded table, read as one subtask reads all its splits, in one
/// batch of the columns the source's layout outputs: a lookup join's side table. Fails
/// on an unbounded connector, naming the table.
Result<RecordBatch> readAll(TableSource& source, const std::string& table, const Clock& clock);

/// Flink SQL's watermark: the WATERMARK FOR expression evaluated on every row (by the
/// scan, which puts each batch's maximum in RecordBatch::max_watermark), the maximum so
/// far emitted every auto-watermark interval (no -1, unlike the DataStream
/// bounded-out-of-orderness strategy). Test tables emit the watermarks their script
/// gives instead.
operators::WatermarkStrategy<RecordBatch> sqlWatermarks();

/// Rows of the test connector ('connector' = 'values'): text fields per row, and
/// watermarks between them. Filled by the golden-test runner before the job runs.
struct ValuesData {
  struct Item {
    std::vector<std::string> fields;  // A row, NULL as the text "null" ...
    std::vector<Value> values;        // ... or typed (a query's VALUES), used when set ...
    std::vector<bool> nulls;          // Per field; a field past its end is not NULL.
    std::optional<Timestamp> watermark;  // ... or a watermark.
    RowKind kind = RowKind::kInsert;
  };
  std::vector<Item> items;
};

/// Creates the reader factory for a connector's options; fails naming the option.
/// Connectors: filesystem (csv, json), datagen, values (test data from `values`).
/// `partition_keys`: a filesystem table's PARTITIONED BY columns, read from the k=v/
/// directories its files are in rather than from the files.
Result<std::shared_ptr<RowSourceFactory>> createSourceFactory(
    const std::string& table, const std::map<std::string, std::string>& options, const Schema& physical,
    std::shared_ptr<const ValuesData> values, const std::vector<std::string>& partition_keys = {});

}  // namespace eddy::sql
