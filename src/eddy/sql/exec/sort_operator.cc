#include "eddy/sql/exec/sort_operator.h"

#include <algorithm>

namespace eddy::sql {
namespace {

// Emits rows[begin, end) of `all` downstream in batches of 1024, as inserts.
void emitRows(const RecordBatch& all, const std::vector<uint32_t>& rows, size_t begin, size_t end,
              runtime::Output<RecordBatch>& out) {
  constexpr size_t kBatchRows = 1024;
  RecordBatch batch;
  for (size_t from = begin; from < end; from += kBatchRows) {
    std::vector<uint32_t> some(rows.begin() + static_cast<long>(from),
                               rows.begin() + static_cast<long>(std::min(end, from + kBatchRows)));
    batch.selectFrom(all, some);
    out.collect(runtime::StreamRecord<RecordBatch>{batch, runtime::kNoTimestamp});
  }
}

}  // namespace

void BatchSortOperator::emitFinal(const RecordBatch& all) {
  const std::vector<uint32_t> order = spec_.sorted(all, spec_.input_types);
  const auto begin =
      static_cast<size_t>(std::min<int64_t>(spec_.offset, static_cast<int64_t>(order.size())));
  size_t end = order.size();
  if (spec_.fetch >= 0) end = std::min(end, begin + static_cast<size_t>(spec_.fetch));
  emitRows(all, order, begin, end, output());
}

}  // namespace eddy::sql
