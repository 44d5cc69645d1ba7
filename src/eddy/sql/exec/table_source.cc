#include "eddy/sql/exec/table_source.h"

#include <algorithm>

namespace eddy::sql {

std::vector<LogicalType> typesOf(const Schema& s) {
  std::vector<LogicalType> t;
  for (const auto& c : s) t.push_back(c.type);
  return t;
}

namespace {

// Reads physical rows and completes them with the computed columns.
class TableSplitReader final : public operators::SplitReader<RecordBatch> {
 public:
  TableSplitReader(std::unique_ptr<RowReader> reader, const RowLayout& layout,
                   const std::vector<LogicalType>& physical_types)
      : reader_(std::move(reader)), physical_types_(physical_types) {
    layout_.physical_index = layout.physical_index;
    layout_.types = layout.types;
    for (const auto& c : layout.computed) computed_.push_back(c ? c->clone() : nullptr);
  }
  Status open() override { return reader_->open(); }
  Result<runtime::ReadStatus> pollNext(operators::ReaderOutput<RecordBatch>& output, int max_records) override {
    RecordBatch physical = emptyBatch(physical_types_);
    // A poll reads one batch of up to 1024 rows: batches, not records, are the unit.
    (void)max_records;
    EDDY_ASSIGN_OR_RETURN(runtime::ReadStatus st, reader_->read(physical, 1024));
    std::optional<Timestamp> wm = reader_->watermarkAfterBatch();
    if (physical.empty() && !wm) return st;
    RecordBatch full;
    full.kinds = physical.kinds;
    full.columns.reserve(layout_.types.size());
    for (size_t c = 0; c < layout_.types.size(); ++c) {
      if (layout_.physical_index[c] >= 0) {
        full.columns.push_back(physical.columns[static_cast<size_t>(layout_.physical_index[c])]);
      } else {
        try {
          full.columns.push_back(computed_[c]->eval(physical));
        } catch (const EvalError& e) {
          return Status::invalidArgument(std::string("computed column: ") + e.what());
        }
      }
    }
    if (wm) full.watermark_after = *wm;
    output.collect(std::move(full));
    return st;
  }
  Timestamp nextAvailableTime() const override { return reader_->nextAvailableTime(); }
  Result<operators::SplitState> snapshotSplit() const override { return reader_->snapshot(); }

 private:
  std::unique_ptr<RowReader> reader_;
  RowLayout layout_;
  std::vector<ExprP> computed_;
  std::vector<LogicalType> physical_types_;
};

class SqlWatermarkGenerator final : public operators::WatermarkGenerator<RecordBatch> {
 public:
  explicit SqlWatermarkGenerator(ExprP expr) : expr_(std::move(expr)) {}
  void onEvent(const RecordBatch& batch, Timestamp, operators::WatermarkOutput& out) override {
    if (batch.watermark_after != INT64_MIN) {
      // Test tables: the script's watermarks only.
      scripted_ = true;
      out.emitWatermark(batch.watermark_after);
      return;
    }
    if (scripted_ || expr_ == nullptr || batch.empty()) return;
    const Column& c = expr_->eval(batch);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!c.null[i]) max_ = std::max(max_, c.i64[i]);
    }
  }
  void onPeriodicEmit(operators::WatermarkOutput& out) override {
    if (!scripted_ && max_ != INT64_MIN) out.emitWatermark(max_);
  }

 private:
  ExprP expr_;
  int64_t max_ = INT64_MIN;
  bool scripted_ = false;
};

}  // namespace

Result<std::vector<std::unique_ptr<operators::SplitReader<RecordBatch>>>> TableSource::wrap(
    std::vector<std::unique_ptr<RowReader>> readers) {
  std::vector<std::unique_ptr<operators::SplitReader<RecordBatch>>> out;
  for (auto& r : readers) out.push_back(std::make_unique<TableSplitReader>(std::move(r), layout_, physical_types_));
  return out;
}

Result<std::vector<std::unique_ptr<operators::SplitReader<RecordBatch>>>> TableSource::createReaders(
    int subtask, int parallelism, const Clock& clock) {
  EDDY_ASSIGN_OR_RETURN(auto readers, factory_->create(subtask, parallelism, clock));
  return wrap(std::move(readers));
}

Result<std::vector<std::unique_ptr<operators::SplitReader<RecordBatch>>>> TableSource::restoreReaders(
    const std::vector<operators::SplitState>& splits, int, const Clock& clock) {
  EDDY_ASSIGN_OR_RETURN(auto readers, factory_->restore(splits, clock));
  return wrap(std::move(readers));
}

operators::WatermarkStrategy<RecordBatch> sqlWatermarks(std::shared_ptr<const Expression> watermark) {
  return operators::WatermarkStrategy<RecordBatch>::forGenerator([watermark] {
    return std::make_unique<SqlWatermarkGenerator>(watermark ? watermark->clone() : nullptr);
  });
}

}  // namespace eddy::sql
