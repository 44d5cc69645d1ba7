#include "eddy/sql/exec/final_rows_operator.h"

namespace eddy::sql {

void FinalRowsOperator::finish() {
  emitFinal(rows_.take());
  if (held_) emitWatermark(*held_);
  held_.reset();
}

Result<runtime::OperatorSnapshot> FinalRowsOperator::snapshotState(int64_t checkpoint_id) {
  EDDY_ASSIGN_OR_RETURN(runtime::OperatorSnapshot snap,
                        OneInputStreamOperator::snapshotState(checkpoint_id));
  snap.operator_state = rows_.snapshot();
  return snap;
}

Status FinalRowsOperator::initializeState(std::vector<runtime::OperatorSnapshot> restored) {
  for (const runtime::OperatorSnapshot& snap : restored)
    EDDY_RETURN_IF_ERROR(rows_.restore(snap.operator_state));
  return Status::ok();
}

}  // namespace eddy::sql
