#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eddy/operators/keyed_operator.h"
#include "eddy/sql/exec/expression.h"
#include "eddy/sql/exec/group_key.h"
#include "eddy/sql/exec/joined_rows.h"

namespace eddy::sql {

/// kSemi / kAnti: Flink's semi- and anti-joins (EXISTS / IN and NOT EXISTS / NOT IN
/// with a condition beyond the keys): a left row comes out while it has a match (semi)
/// or while it has none (anti); its right-hand columns are NULL.
enum class JoinType { kInner, kLeft, kRight, kFull, kSemi, kAnti };

/// What a regular join needs from the plan: the join type, the equi-join key columns of
/// each input, an optional residual condition over the joined row (left columns, then
/// right columns) and both inputs' column types.
struct JoinSpec {
  JoinType type = JoinType::kInner;
  std::vector<int> left_keys, right_keys;
  std::shared_ptr<const Expression> condition;  // Null: the keys alone decide.
  std::vector<LogicalType> left_types, right_types;
  int64_t state_ttl_ms = 0;  // table.exec.state.ttl: rows not updated for this long expire.
  // The regular join's per input (a STATE_TTL hint may give each its own); -1: state_ttl_ms.
  int64_t side_ttl_ms[2] = {-1, -1};
  int64_t ttlOf(int side) const { return side_ttl_ms[side] >= 0 ? side_ttl_ms[side] : state_ttl_ms; }

  bool leftOuter() const {
    return type == JoinType::kLeft || type == JoinType::kFull || type == JoinType::kSemi || type == JoinType::kAnti;
  }
  bool semiOrAnti() const { return type == JoinType::kSemi || type == JoinType::kAnti; }
  bool rightOuter() const { return type == JoinType::kRight || type == JoinType::kFull; }
};

/// Flink's StreamingJoinOperator: a regular (unbounded) join of two changelogs. Both
/// sides keep every live row in keyed state under its join key, as a multiset (row ->
/// how many times it is live, and for an outer side how many rows of the other side it
/// currently matches). An inner join forwards the input's row kind (+I/+U add, -U/-D
/// retract); an outer join emits +I and -D only, and retracts a null-padded row when
/// its first match arrives (and emits it again when its last match goes), as Flink does.
/// A row whose join key has a NULL matches nothing. Without keys (a CROSS JOIN) all rows
/// share one key.
/// Thread: the task thread.
class JoinOperator final : public runtime::TwoInputStreamOperator<RecordBatch, RecordBatch, RecordBatch>,
                           private operators::KeyedSupport<std::string, RecordBatch> {
 public:
  explicit JoinOperator(JoinSpec spec);

  Status initializeState(std::vector<runtime::OperatorSnapshot> restored) override {
    return stashRestored(std::move(restored));
  }
  Result<runtime::OperatorSnapshot> snapshotState(int64_t id) override { return snapshotKeyed(id, {}); }
  void open() override;
  void processElement1(const runtime::StreamRecord<RecordBatch>& record) override { process(record.value, 0); }
  void processElement2(const runtime::StreamRecord<RecordBatch>& record) override { process(record.value, 1); }

 private:
  // A live row of one side as kept in state.
  struct Stored {
    std::string bytes;  // encodeKey of every column
    int64_t count = 0;  // how many times it is live
    int64_t matched = 0;  // outer side: rows of the other side it joins with
  };
  struct Side : JoinInputColumns {
    bool outer = false;
    state::MapState<std::string, std::string>* rows = nullptr;
  };

  void process(const RecordBatch& in, int side);
  void processSemiOrAnti(const RecordBatch& in, int side);
  // The other side's live rows under the current key that join with row `row` of `in`:
  // copies in `candidates_`, valid until the next call (the buffers are reused, so a
  // probing row allocates nothing once they have grown).
  const std::vector<const Stored*>& matches(const RecordBatch& in, size_t row, int side);
  void addToState(Side& s, const std::string& bytes, int64_t delta, std::optional<int64_t> matched);
  void updateMatched(Side& s, const Stored& m, int64_t delta);
  // Appends `count` joined rows: row `row` of `in` (side `side`, or nulls when `in` is
  // null) and the stored row `other` (or nulls when null).
  void emit(const RecordBatch* in, size_t row, int side, const Stored* other, RowKind kind, int64_t count) {
    joined_.emit(in, row, side, other ? &other->bytes : nullptr, kind, count);
  }

  JoinSpec spec_;
  Side sides_[2];
  JoinedRows joined_;
  // matches()'s buffers.
  std::vector<Stored> candidates_;
  std::vector<const std::string*> candidate_bytes_;
  std::vector<bool> accepted_;
  std::vector<const Stored*> matched_;
};

}  // namespace eddy::sql
