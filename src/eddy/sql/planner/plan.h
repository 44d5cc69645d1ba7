#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/correlate_operator.h"
#include "eddy/sql/exec/expression.h"
#include "eddy/sql/exec/join_operator.h"
#include "eddy/sql/exec/match_recognize.h"
#include "eddy/sql/exec/over_aggregate.h"
#include "eddy/sql/exec/rank_operator.h"
#include "eddy/sql/exec/sort_operator.h"
#include "eddy/sql/exec/table_source.h"

namespace eddy::sql {

/// A table in the catalog: its columns (physical, computed, metadata), the watermark,
/// the primary key and the connector options.
struct TableDef {
  std::string name;
  Schema schema;                    // Every column, in declared order.
  std::vector<bool> computed;       // Per column: computed (not read from the connector).
  std::vector<std::shared_ptr<const Expression>> computed_exprs;  // Over the physical row.
  std::vector<std::string> computed_text;
  // Per column: its metadata key (`c TYPE METADATA [FROM 'key'] [VIRTUAL]`), "" for a
  // column that is not metadata; and whether it is VIRTUAL (read only).
  std::vector<std::string> metadata;
  std::vector<bool> metadata_virtual;
  int rowtime = -1;                  // Column index of the WATERMARK FOR column.
  std::shared_ptr<const Expression> watermark;  // Over the full row.
  std::string watermark_text;
  std::vector<std::string> primary_key;
  std::vector<std::string> partition_keys;  // PARTITIONED BY (filesystem: k=v/ directories)
  std::map<std::string, std::string> options;
  std::shared_ptr<ValuesData> values;  // Test connector's rows.
  bool inline_values = false;          // A query's VALUES (EXPLAIN shows its rows).

  /// The columns the connector reads from the data: neither computed nor metadata.
  Schema physicalSchema() const;
  /// The row a source reader produces: the physical columns, then the metadata
  /// columns (computed columns are bound over this row).
  Schema readSchema() const;
  /// The metadata columns' keys, in readSchema order.
  std::vector<std::string> metadataKeys() const;
  bool isMetadata(size_t column) const { return column < metadata.size() && !metadata[column].empty(); }
};

/// How a node's output changes: insert-only, or with updates and deletes.
enum class ChangelogMode { kInsertOnly, kUpdates };

/// A node of the plan: the logical operators Flink's planner produces for streaming,
/// each translated to one runtime operator (or a source / sink).
struct PlanNode {
  enum class Kind {
    kScan, kCalc, kGroupAggregate, kWindowAggregate, kUnion, kWindowTableFunction, kJoin, kRank, kOverAggregate,
    kCorrelate, kSort, kMatch
  };
  Kind kind = Kind::kScan;
  Schema schema;
  std::vector<std::shared_ptr<PlanNode>> inputs;
  ChangelogMode mode = ChangelogMode::kInsertOnly;
  int rowtime = -1;  // Output column that is a rowtime attribute, or -1.

  // kScan: the table, and the columns of it the scan outputs (indexes into its schema;
  // empty: all), which the optimizer narrows to what the query reads.
  std::shared_ptr<const TableDef> table;
  std::vector<int> scan_columns;
  // kScan: the filter of the Calc right above, over the scan's output, which the
  // connector may use to skip rows (filter push-down; the Calc still applies it).
  std::shared_ptr<const Expression> scan_filter;
  // kUnion that is Flink's Expand (GROUPING SETS, the distinct split's copies): its
  // inputs are Calcs without a filter over one node, and each row of that node comes
  // out once per Calc, in their order, before the next row.
  bool expand = false;
  // kCalc: the row filter; kJoin: the residual (non-equi) condition over left + right.
  std::shared_ptr<const Expression> filter;
  std::vector<std::shared_ptr<const Expression>> projections;
  // kGroupAggregate, kWindowAggregate
  std::vector<int> keys;  // Input columns grouped by (output columns 0..k-1).
  std::vector<AggregateCall> aggs;
  // kGroupAggregate: one phase, or Flink's two-phase aggregation: the local phase
  // (before the shuffle, output: the keys, then partial accumulators as bytes) and the
  // global one (keys 0..k-1 of the local's output; it merges the partials).
  enum class AggPhase { kSingle, kLocal, kGlobal };
  AggPhase phase = AggPhase::kSingle;
  // kGroupAggregate under Flink's distinct split: the partial aggregation (grouped by
  // the keys and a bucket of the distinct argument) or the final one over it.
  enum class SplitStage { kNone, kPartial, kFinal };
  SplitStage split = SplitStage::kNone;
  // Grouping sets: each a subset of `keys` (indexes into keys); empty = plain GROUP BY.
  std::vector<std::vector<int>> grouping_sets;
  // kJoin (per input) and kGroupAggregate ([0]): the idle-state retention a STATE_TTL
  // query hint gives, in ms, over table.exec.state.ttl; -1 where the hint names none.
  int64_t hinted_ttl_ms[2] = {-1, -1};
  // kJoin: the type and the equi-join key columns of each input.
  JoinType join_type = JoinType::kInner;
  std::vector<int> left_keys, right_keys;
  // kJoin: how it runs (Flink's join operators).
  //  kInterval: time-bounded, right time + lower <= left time <= right time + upper on
  //    the rowtime (or, with interval_proctime, proctime) columns left_time and
  //    right_time.
  //  kTemporal: event-time temporal, FOR SYSTEM_TIME AS OF the left rowtime left_time,
  //    against a versioned table whose rowtime is right_time.
  //  kLookup: inputs[1] is the side table's scan, read whole by the join operator rather
  //    than streamed; right_keys index its columns.
  //  kWindow: both inputs windowed alike and joined per window; left_time and
  //    right_time are their window_end columns (also among the keys).
  enum class JoinStrategy { kRegular, kInterval, kTemporal, kLookup, kWindow };
  JoinStrategy strategy = JoinStrategy::kRegular;
  int left_time = -1, right_time = -1;
  // kTemporal: the versioned table is a versioned view (the last row per key): its
  // update-befores carry the old version's time and are not versions (Flink asks such
  // an input for update-afters only).
  bool upsert_right = false;
  int64_t lower = 0, upper = 0;
  bool interval_proctime = false;  // kInterval over processing time (Flink's ProcTimeIntervalJoin).
  // kCorrelate: the table function, called with `projections` (over the input) as
  // its arguments; join_type kInner or kLeft.
  std::shared_ptr<const TableFunction> table_function;
  // kRank: ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...); limit 0 until a WHERE on
  // the row number bounds it. Output: the input columns, then the row number.
  RankSpec rank;
  // kSort (batch mode only): the final rows of the input, sorted, offset and fetched;
  // its output is insert-only.
  SortSpec sort;
  // kOverAggregate: output = the input columns, then one column per aggregate.
  OverSpec over;
  // kMatch (MATCH_RECOGNIZE): output = the partition columns, then the measures.
  std::shared_ptr<const MatchSpec> match;
  // kWindowTableFunction / kWindowAggregate
  WindowSpec window;
  int time_col = -1;  // Input column the window is over (kWindowAggregate: its window_start).
  int end_col = -1;   // kWindowAggregate: the input's window_end column.
  // kWindowAggregate: the window TVF below is fused in (Flink's slicing window
  // aggregation): rows are windowed by their time column `time_col`; end_col is -1.
  bool assigns_windows = false;
  // SESSION: the columns sessions are kept apart by (the TVF's PARTITION BY, or a legacy
  // window's group keys); input columns for the TVF node, pre-projection columns for
  // the aggregate.
  std::vector<int> partition_keys;
  // kWindowTableFunction over SESSION: the node's rows carry their merged session,
  // each emitted once the session has closed (Flink's unaligned window table function);
  // with per_row_windows each row keeps its own [ts, ts + gap) window instead, for a
  // session window aggregation, which merges them itself.
  bool per_row_windows = false;
  // kWindowAggregate over SESSION windows whose rows already carry their merged session
  // (a cascade over a session window aggregation): each (window_start, window_end) is
  // a window as it is, fired at its end, never merged again (Flink's
  // WindowedUnsliceAssigner); time_col and end_col are the pre-projection's columns.
  bool attached_sessions = false;

  /// Flink-style plan text, one node per line, inputs indented.
  std::string explain(int indent = 0) const;
};
using PlanPtr = std::shared_ptr<PlanNode>;

}  // namespace eddy::sql
