#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "eddy/runtime/stream_operator.h"
#include "eddy/sql/exec/expression.h"
#include "eddy/sql/exec/table_source.h"

namespace eddy::sql {

/// A user-defined table function (Flink's TableFunction), registered with
/// TableEnvironment::createTemporarySystemFunction and called as
/// `LATERAL TABLE(f(args))`: for one row of arguments it emits any number of rows of
/// its result columns (`collect` appends one; its values in `result` order).
struct TableFunction {
  std::vector<LogicalType> argument_types;
  Schema result;  // Column names (renamed by the query's AS T(a, b)) and types.
  std::function<void(const std::vector<Value>& args, const std::function<void(std::vector<Value>)>& collect)> eval;
};

/// Flink's Correlate: each input row joined with the rows the table function emits for
/// it: an inner correlate drops a row for which it emits none, a left one pads it with
/// nulls. The row's kind carries over (so a retraction retracts what its insert made).
/// Output: the input columns, then the function's.
/// Thread: the task thread.
class CorrelateOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch> {
 public:
  CorrelateOperator(std::shared_ptr<const TableFunction> function,
                    const std::vector<std::shared_ptr<const Expression>>& args, bool left_join,
                    std::vector<LogicalType> output_types);

  void processElement(const runtime::StreamRecord<RecordBatch>& record) override;

 private:
  std::shared_ptr<const TableFunction> function_;
  std::vector<ExprP> args_;
  bool left_join_;
  std::vector<LogicalType> output_types_;
};

}  // namespace eddy::sql
