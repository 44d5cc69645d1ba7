#include "eddy/sql/exec/correlate_operator.h"

#include <stdexcept>

namespace eddy::sql {

CorrelateOperator::CorrelateOperator(std::shared_ptr<const TableFunction> function,
                                     const std::vector<std::shared_ptr<const Expression>>& args, bool left_join,
                                     std::vector<LogicalType> output_types)
    : function_(std::move(function)), left_join_(left_join), output_types_(std::move(output_types)) {
  for (const auto& a : args) args_.push_back(a->clone());
}

void CorrelateOperator::processElement(const runtime::StreamRecord<RecordBatch>& record) {
  const RecordBatch& in = record.value;
  if (in.empty()) return;
  std::vector<const Column*> arg_columns;
  for (auto& a : args_) arg_columns.push_back(&a->eval(in));
  RecordBatch out = emptyBatch(output_types_);
  const size_t width = in.columns.size();
  const size_t produced = output_types_.size() - width;
  std::vector<Value> args(args_.size());
  for (size_t r = 0; r < in.size(); ++r) {
    for (size_t a = 0; a < args_.size(); ++a) args[a] = valueAt(*arg_columns[a], r);
    bool any = false;
    function_->eval(args, [&](std::vector<Value> row) {
      if (row.size() != produced) {
        throw std::runtime_error("table function: a row of " + std::to_string(row.size()) + " values, not " +
                                 std::to_string(produced));
      }
      for (size_t c = 0; c < width; ++c) out.columns[c].appendFrom(in.columns[c], r);
      for (size_t c = 0; c < produced; ++c) appendValue(out.columns[width + c], row[c]);
      out.kinds.push_back(in.kinds[r]);
      any = true;
    });
    if (!any && left_join_) {
      for (size_t c = 0; c < width; ++c) out.columns[c].appendFrom(in.columns[c], r);
      for (size_t c = 0; c < produced; ++c) out.columns[width + c].appendNull();
      out.kinds.push_back(in.kinds[r]);
    }
  }
  if (!out.empty()) output().collect(runtime::StreamRecord<RecordBatch>{std::move(out), record.timestamp});
}

}  // namespace eddy::sql
