#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "eddy/runtime/stream_operator.h"
#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/joined_rows.h"
#include "eddy/sql/exec/table_source.h"

namespace eddy::sql {

/// A lookup join: each input row looks up the rows of a side table whose key columns
/// equal its own, as Flink's processing-time temporal join (`JOIN t FOR SYSTEM_TIME AS
/// OF s.proctime`) against a lookup source. Left: the input; right: the side table
/// (inner or left joins only; state_ttl_ms is not used).
struct LookupJoinSpec : JoinSpec {
  std::string table;                            // The side table's name, for errors.
  std::shared_ptr<TableSource> source;          // Bounded: read whole when the operator opens.
};

/// Reads the side table once, when it opens (as Flink's filesystem lookup function
/// loads its file), into a hash index on the lookup key; then joins each input row
/// with the side rows of its key that pass the condition, forwarding the row's kind
/// (an inner join drops a row without a match, a left join pads it with nulls). A
/// NULL key matches nothing. No state: a restored job reads the side table again.
/// Thread: the task thread.
class LookupJoinOperator final : public runtime::OneInputStreamOperator<RecordBatch, RecordBatch> {
 public:
  explicit LookupJoinOperator(LookupJoinSpec spec);

  void open() override;
  void processElement(const runtime::StreamRecord<RecordBatch>& record) override;

 private:
  LookupJoinSpec spec_;
  std::vector<LogicalType> key_types_;
  JoinedRows joined_;
  // Lookup key bytes -> the side rows with that key (encodeKey of all their columns).
  std::unordered_map<std::string, std::vector<std::string>> index_;
};

}  // namespace eddy::sql
