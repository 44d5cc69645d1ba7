#include "eddy/sql/exec/table_source.h"

#include <algorithm>

namespace eddy::sql {

std::vector<LogicalType> typesOf(const Schema& s) {
  std::vector<LogicalType> t;
  for (const auto& c : s) t.push_back(c.type);
  return t;
}

namespace {

// Reads physical rows, completes them with the computed columns the scan needs,
// evaluates the watermark expression and outputs the projected columns.
class TableSplitReader final : public operators::SplitReader<RecordBatch> {
 public:
  TableSplitReader(std::unique_ptr<RowReader> reader, const RowLayout& layout,
                   const std::vector<LogicalType>& physical_types)
      : reader_(std::move(reader)), physical_types_(physical_types) {
    layout_.physical_index = layout.physical_index;
    layout_.types = layout.types;
    layout_.output = layout.output;
    if (layout_.output.empty()) {
      for (size_t c = 0; c < layout_.types.size(); ++c) layout_.output.push_back(static_cast<int>(c));
    }
    needed_.assign(layout_.types.size(), false);
    for (int c : layout_.output) needed_[static_cast<size_t>(c)] = true;
    if (layout.watermark) {
      watermark_ = layout.watermark->clone();
      markInputs(*watermark_, needed_);
    }
    for (size_t c = 0; c < layout.computed.size(); ++c) {
      computed_.push_back(layout.computed[c] && needed_[c] ? layout.computed[c]->clone() : nullptr);
    }
  }
  Status open() override { return reader_->open(); }
  Result<runtime::ReadStatus> pollNext(operators::ReaderOutput<RecordBatch>& output, int max_records) override {
    RecordBatch physical = emptyBatch(physical_types_);
    // A poll reads one batch of up to 1024 rows: batches, not records, are the unit.
    (void)max_records;
    EDDY_ASSIGN_OR_RETURN(runtime::ReadStatus st, reader_->read(physical, 1024));
    std::optional<Timestamp> wm = reader_->watermarkAfterBatch();
    if (physical.empty() && !wm) return st;
    // The full row, with only the needed columns filled: computed ones first (they are
    // over the physical row), then the physical ones moved in.
    RecordBatch full;
    full.columns.resize(layout_.types.size());
    try {
      for (size_t c = 0; c < layout_.types.size(); ++c) {
        if (computed_[c]) full.columns[c] = computed_[c]->eval(physical);
      }
      for (size_t c = 0; c < layout_.types.size(); ++c) {
        int p = layout_.physical_index[c];
        if (needed_[c] && p >= 0) full.columns[c] = std::move(physical.columns[static_cast<size_t>(p)]);
      }
      full.kinds = std::move(physical.kinds);
      if (watermark_ && !full.empty()) {
        const Column& w = watermark_->eval(full);
        for (size_t i = 0; i < full.size(); ++i) {
          if (!w.null[i]) full.max_watermark = std::max(full.max_watermark, w.i64[i]);
        }
      }
    } catch (const EvalError& e) {
      return Status::invalidArgument(std::string("computed column: ") + e.what());
    }
    RecordBatch out;
    out.kinds = std::move(full.kinds);
    out.columns.reserve(layout_.output.size());
    for (int c : layout_.output) out.columns.push_back(std::move(full.columns[static_cast<size_t>(c)]));
    out.max_watermark = full.max_watermark;
    if (wm) out.watermark_after = *wm;
    output.collect(std::move(out));
    return st;
  }
  Timestamp nextAvailableTime() const override { return reader_->nextAvailableTime(); }
  Result<operators::SplitState> snapshotSplit() const override { return reader_->snapshot(); }

 private:
  std::unique_ptr<RowReader> reader_;
  RowLayout layout_;
  std::vector<bool> needed_;  // Full-row columns to fill.
  std::vector<ExprP> computed_;
  ExprP watermark_;
  std::vector<LogicalType> physical_types_;
};

class SqlWatermarkGenerator final : public operators::WatermarkGenerator<RecordBatch> {
 public:
  void onEvent(const RecordBatch& batch, Timestamp, operators::WatermarkOutput& out) override {
    if (batch.watermark_after != INT64_MIN) {
      // Test tables: the script's watermarks only.
      scripted_ = true;
      out.emitWatermark(batch.watermark_after);
      return;
    }
    if (!scripted_) max_ = std::max(max_, batch.max_watermark);
  }
  void onPeriodicEmit(operators::WatermarkOutput& out) override {
    if (!scripted_ && max_ != INT64_MIN) out.emitWatermark(max_);
  }

 private:
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

Result<RecordBatch> readAll(TableSource& source, const std::string& table, const Clock& clock) {
  if (!source.isBounded()) return Status::invalidArgument("table '" + table + "' is not bounded: it cannot be read whole");
  struct Collect final : operators::ReaderOutput<RecordBatch> {
    std::vector<RecordBatch> batches;
    void collect(RecordBatch b) override { batches.push_back(std::move(b)); }
    void collect(RecordBatch b, Timestamp) override { batches.push_back(std::move(b)); }
  } collected;
  EDDY_ASSIGN_OR_RETURN(auto readers, source.createReaders(0, 1, clock));
  for (auto& reader : readers) {
    EDDY_RETURN_IF_ERROR(reader->open());
    for (;;) {
      EDDY_ASSIGN_OR_RETURN(runtime::ReadStatus st, reader->pollNext(collected, 1024));
      if (st == runtime::ReadStatus::kEndOfInput) break;
    }
  }
  RecordBatch all;
  for (RecordBatch& b : collected.batches) {
    if (b.columns.empty()) continue;
    if (all.columns.empty()) {
      all = std::move(b);
      continue;
    }
    for (size_t r = 0; r < b.size(); ++r) {
      for (size_t c = 0; c < b.columns.size(); ++c) all.columns[c].appendFrom(b.columns[c], r);
      all.kinds.push_back(b.kinds[r]);
    }
  }
  return all;
}

operators::WatermarkStrategy<RecordBatch> sqlWatermarks() {
  return operators::WatermarkStrategy<RecordBatch>::forGenerator(
      [] { return std::make_unique<SqlWatermarkGenerator>(); });
}

std::vector<bool> RowLayout::neededPhysical(size_t num_physical) const {
  std::vector<bool> full(types.size(), output.empty());
  for (int c : output) full[static_cast<size_t>(c)] = true;
  if (watermark) markInputs(*watermark, full);
  std::vector<bool> physical(num_physical, false);
  for (size_t c = 0; c < types.size(); ++c) {
    if (!full[c]) continue;
    if (physical_index[c] >= 0) {
      physical[static_cast<size_t>(physical_index[c])] = true;
    } else if (computed[c]) {
      markInputs(*computed[c], physical);  // Computed columns are over the physical row.
    }
  }
  return physical;
}

}  // namespace eddy::sql
