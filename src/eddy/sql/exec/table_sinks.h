#pragma once

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "eddy/operators/simple_operators.h"
#include "eddy/sql/exec/value.h"

namespace eddy::sql {

/// A statement's result table (SHOW, DESCRIBE, SET): Flink's column names and types and
/// its rows (NULL where Flink's is, e.g. DESCRIBE's key of a column outside the primary key).
struct StatementTable {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  std::vector<std::vector<Value>> rows;

  /// A table of text columns, none NULL.
  static StatementTable ofText(std::vector<std::string> names, const std::vector<std::vector<std::string>>& rows) {
    StatementTable t;
    t.types.assign(names.size(), LogicalType::string().notNull());
    t.names = std::move(names);
    for (const auto& cells : rows) {
      std::vector<Value> row;
      for (const std::string& c : cells) row.push_back(Value::ofString(c));
      t.rows.push_back(std::move(row));
    }
    return t;
  }
};

/// Where a SELECT's or a print table's changelog lines go: stdout, or a list (tests,
/// the interactive client). Thread: lines arrive from sink task threads; the list is
/// guarded by its mutex.
class ChangelogCollector {
 public:
  virtual ~ChangelogCollector() = default;
  virtual void line(const std::string& s) = 0;
  virtual void flush() {}
  /// A SELECT's result: begin() with its column names and types, then row() per
  /// change (from the sink's task thread), then end() with the number of changes.
  /// By default each row is one line in Flink's print format.
  virtual void begin(const std::vector<std::string>& names, const std::vector<LogicalType>& types) {
    (void)names;
    (void)types;
  }
  virtual void row(const RecordBatch& b, size_t r, const std::vector<LogicalType>& types, const std::string& prefix) {
    line(prefix + formatRow(b, r, types));
  }
  virtual void end(int64_t rows) { (void)rows; }
  /// A statement's result table. By default a line per row in Flink's print format,
  /// `+I[a, INT, true, null]`.
  virtual void table(const StatementTable& t) {
    for (const auto& cells : t.rows) {
      std::string s = "+I[";
      for (size_t c = 0; c < cells.size(); ++c) s += (c ? ", " : "") + formatValue(cells[c], t.types[c]);
      line(s + "]");
    }
  }
};

class StdoutCollector final : public ChangelogCollector {
 public:
  explicit StdoutCollector(bool to_stderr = false) : stderr_(to_stderr) {}
  void line(const std::string& s) override {
    std::string l = s + "\n";
    std::fwrite(l.data(), 1, l.size(), stderr_ ? stderr : stdout);
  }
  void flush() override { std::fflush(stderr_ ? stderr : stdout); }

 private:
  bool stderr_;
};

class ListCollector final : public ChangelogCollector {
 public:
  void line(const std::string& s) override {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.push_back(s);
  }
  std::vector<std::string> take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(lines_);
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

/// Rows a job's sinks received, over all their subtasks (for the job's summary and
/// the benchmarks). Each subtask adds its count when it finishes.
using RowCounter = std::shared_ptr<std::atomic<int64_t>>;

/// Flink's print connector: `+I[...]` per row, prefixed by `identifier:subtask> ` or
/// `subtask> ` when the sink is parallel, `identifier> ` when only named.
class PrintTableSink final : public operators::SinkFunction<RecordBatch> {
 public:
  PrintTableSink(std::vector<LogicalType> types, std::shared_ptr<ChangelogCollector> out, std::string identifier,
                 RowCounter rows = nullptr)
      : types_(std::move(types)), out_(std::move(out)), identifier_(std::move(identifier)), rows_(std::move(rows)) {}
  void open() override {
    auto& rc = getRuntimeContext();
    std::string prefix = identifier_;
    if (rc.getNumberOfParallelSubtasks() > 1) {
      prefix += (prefix.empty() ? "" : ":") + std::to_string(rc.getIndexOfThisSubtask() + 1);
    }
    prefix_ = prefix.empty() ? "" : prefix + "> ";
  }
  void invoke(const RecordBatch& b, const Context&) override {
    for (size_t r = 0; r < b.size(); ++r) out_->row(b, r, types_, prefix_);
    seen_ += static_cast<int64_t>(b.size());
  }
  void finish() override {
    out_->flush();
    if (rows_) *rows_ += seen_;
  }

 private:
  std::vector<LogicalType> types_;
  std::shared_ptr<ChangelogCollector> out_;
  std::string identifier_;
  RowCounter rows_;
  std::string prefix_;
  int64_t seen_ = 0;
};

/// Flink's blackhole connector: swallows every row (and counts them).
class BlackholeTableSink final : public operators::SinkFunction<RecordBatch> {
 public:
  explicit BlackholeTableSink(RowCounter rows = nullptr) : rows_(std::move(rows)) {}
  void invoke(const RecordBatch& b, const Context&) override { seen_ += static_cast<int64_t>(b.size()); }
  void finish() override {
    if (rows_) *rows_ += seen_;
  }

 private:
  RowCounter rows_;
  int64_t seen_ = 0;
};

}  // namespace eddy::sql
