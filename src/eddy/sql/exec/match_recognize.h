#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/expression.h"
#include "eddy/sql/exec/final_rows.h"

namespace eddy::sql {

/// A value a MATCH_RECOGNIZE condition or measure reads from the rows mapped to the
/// pattern so far: one row's value (`A.price`, `LAST(A.price, 1)`, `FIRST(price)`) or an
/// aggregate over a variable's rows (`SUM(A.price)`).
struct PatternSlot {
  enum class Kind { kNavigation, kAggregate };
  Kind kind = Kind::kNavigation;
  int var = -1;             // The pattern variable whose rows it reads; -1: every row (`*`).
  bool from_first = false;  // FIRST(...): counted from the first row; else from the last.
  int64_t offset = 0;       // FIRST/LAST(x, n): the n-th row from that end.
  // kNavigation: the value, over an input row.
  std::shared_ptr<const Expression> value;
  // kAggregate: the call, whose argument columns index `args`, each over an input row.
  AggregateCall call;
  std::vector<std::shared_ptr<const Expression>> args;
  LogicalType type;
};

/// A DEFINE condition or a measure: `expr` over a row of its slots' values (column i is
/// slot i).
struct PatternExpression {
  std::vector<PatternSlot> slots;
  std::shared_ptr<const Expression> expr;
};

/// Flink's MATCH_RECOGNIZE (StreamExecMatch) as the planner leaves it: rows partitioned,
/// ordered by a time attribute, matched against a concatenation of quantified pattern
/// variables with strict contiguity, one output row per match.
struct MatchSpec {
  std::vector<LogicalType> input_types;
  std::vector<int> partition;  // Input columns; empty: one partition (parallelism 1).
  int time_col = -1;           // The ORDER BY time attribute.
  bool proctime = false;       // ORDER BY a processing-time attribute (arrival order).
  SortKeys order;              // Further ORDER BY columns: rows of one time sorted by them.
  std::vector<std::string> vars;
  struct Term {
    int var = 0;
    int64_t min = 1;
    int64_t max = 1;  // -1: unbounded
    bool greedy = true;
  };
  std::vector<Term> pattern;
  std::string pattern_text;  // As EXPLAIN shows it: `A B+ C*?`.
  std::vector<std::optional<PatternExpression>> define;  // Per variable; none: always true.
  std::vector<PatternExpression> measures;
  enum class Skip { kToNextRow, kPastLastRow, kToFirst, kToLast };
  Skip skip = Skip::kToNextRow;
  int skip_var = -1;
  int64_t within = 0;  // WITHIN, in milliseconds; 0: none.
  std::vector<LogicalType> output_types;  // The partition columns, then the measures.
};

/// The partial and completed matches of one partition, and the rows they hold.
/// Rows are numbered in the order they are matched (time, then arrival or the further
/// ORDER BY columns); a run's rows are consecutive (strict contiguity), so it keeps its
/// first row's number and the variable each of its rows is mapped to.
struct MatchState {
  struct Row {
    int64_t ts = 0;
    std::string bytes;  // encodeKey of every column
    std::vector<Value> values;
  };
  struct Run {
    int state = 0;
    int64_t start = 0;   // Number of its first row.
    int64_t start_ts = 0;
    std::vector<uint8_t> vars;
    int64_t order = 0;   // Creation order: ties among runs of one start.
  };
  int64_t first_row = 0;  // Number of rows.front().
  int64_t next_row = 0;
  std::deque<Row> rows;
  std::vector<Run> partial;    // By (start, order).
  std::vector<Run> completed;  // By (start, order): held while an earlier partial run lives.
  int64_t next_order = 0;

  bool empty() const { return rows.empty() && partial.empty() && completed.empty(); }
  std::string serialize() const;
  static Result<MatchState> deserialize(const std::string& bytes, const std::vector<LogicalType>& types);
};

/// Runs the pattern of a MatchSpec over one partition's rows the way Flink's CEP NFA
/// does (NFACompiler's states, NFA.process / advanceTime and the after-match skip
/// strategies): each row extends every partial run it can (a greedy quantifier moves on
/// only when its variable cannot take the row), starts a new one, and completes those
/// that reach the end; a completed match is emitted once no partial run starts before
/// its first row, the earliest first, and the skip strategy then discards the
/// runs it overlaps. Thread: one task thread (expressions are evaluated in place).
class PatternMatcher {
 public:
  explicit PatternMatcher(const MatchSpec& spec);

  /// Feeds one row (time `ts`, `bytes` its encodeKey of every column); the output rows
  /// of the matches it completes go to `out` (the partition columns, then the
  /// measures). Call advanceTime(ts) first.
  void process(MatchState& s, int64_t ts, std::string bytes, std::vector<std::vector<Value>>& out);
  /// Drops partial runs WITHIN has expired by `ts` (time - first row's time >= within),
  /// emitting the matches they held back.
  void advanceTime(MatchState& s, int64_t ts, std::vector<std::vector<Value>>& out);
  /// When the earliest partial run expires (WITHIN), if any.
  std::optional<int64_t> nextTimeout(const MatchState& s) const;

 private:
  struct Transition {
    bool take = true;  // TAKE, else PROCEED
    int target = 0;
    enum class Cond { kTrue, kTake, kNotTake } cond = Cond::kTrue;
  };
  struct State {
    int var = -1;  // -1: the final state
    bool greedy = false;
    std::vector<Transition> edges;
  };
  // One candidate row: the run as it is, and the row it may take.
  struct Candidate {
    const MatchState& s;
    const MatchState::Run& run;
    const MatchState::Row* row;  // null: the run alone (a measure)
    int var;                     // The variable `row` is tried as.
  };

  // An expression over an input row: a plain column is read straight from the row.
  struct RowExpr {
    ExprP expr;
    int column = -1;  // The input column it is, or -1.
  };
  // A PatternExpression's copies for this thread.
  struct Compiled {
    const PatternExpression* source = nullptr;
    ExprP expr;
    std::vector<RowExpr> values;             // Per slot: its navigation value.
    std::vector<std::vector<RowExpr>> args;  // Per slot: its aggregate's arguments.
    RecordBatch slot_row;                    // One row of the slots' values.
  };

  void compile();
  int addState(int var, bool greedy);
  static Compiled compiled(const PatternExpression& e);
  static RowExpr rowExpr(const std::shared_ptr<const Expression>& e);
  bool condition(const Transition& t, int state_var, const Candidate& c);
  bool completesAfter(int state, const MatchState::Run& run, const MatchState& s, const MatchState::Row* row);
  Value evaluate(Compiled& e, const Candidate& c);
  Value slotValue(Compiled& e, size_t slot, const Candidate& c);
  Value rowValue(RowExpr& e, const std::vector<Value>& row);
  void emitMatches(MatchState& s, std::vector<MatchState::Run> found, std::vector<std::vector<Value>>& out);
  void prune(std::vector<MatchState::Run>& runs, const MatchState::Run& match) const;
  std::vector<Value> outputRow(MatchState& s, const MatchState::Run& match);
  static void trimRows(MatchState& s);

  const MatchSpec& spec_;
  std::vector<State> states_;
  int start_ = 0;
  std::vector<std::optional<Compiled>> define_;  // Per variable.
  std::vector<Compiled> measures_;
  RecordBatch one_row_;  // An input row, for a value that is not a plain column.
  std::vector<Value> args_;  // An aggregate's arguments for one row.
};

}  // namespace eddy::sql
