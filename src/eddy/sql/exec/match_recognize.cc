#include "eddy/sql/exec/match_recognize.h"

#include <algorithm>

#include "eddy/core/serialization.h"
#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {
namespace {

bool runBefore(const MatchState::Run& a, const MatchState::Run& b) {
  return a.start != b.start ? a.start < b.start : a.order < b.order;
}

void writeRuns(DataOutputView& out, const std::vector<MatchState::Run>& runs) {
  out.writeVarint(runs.size());
  for (const auto& r : runs) {
    out.write<int64_t>(r.state);
    out.write<int64_t>(r.start);
    out.write<int64_t>(r.start_ts);
    out.write<int64_t>(r.order);
    out.writeString(std::string_view(reinterpret_cast<const char*>(r.vars.data()), r.vars.size()));
  }
}

Result<std::vector<MatchState::Run>> readRuns(DataInputView& in) {
  EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
  std::vector<MatchState::Run> runs(static_cast<size_t>(n));
  for (auto& r : runs) {
    EDDY_ASSIGN_OR_RETURN(int64_t state, in.read<int64_t>());
    r.state = static_cast<int>(state);
    EDDY_ASSIGN_OR_RETURN(r.start, in.read<int64_t>());
    EDDY_ASSIGN_OR_RETURN(r.start_ts, in.read<int64_t>());
    EDDY_ASSIGN_OR_RETURN(r.order, in.read<int64_t>());
    EDDY_ASSIGN_OR_RETURN(std::string vars, in.readString());
    r.vars.assign(vars.begin(), vars.end());
  }
  return runs;
}

}  // namespace

std::string MatchState::serialize() const {
  DataOutputView out;
  out.write<int64_t>(first_row);
  out.write<int64_t>(next_row);
  out.write<int64_t>(next_order);
  out.writeVarint(rows.size());
  for (const Row& r : rows) {
    out.write<int64_t>(r.ts);
    out.writeString(r.bytes);
  }
  writeRuns(out, partial);
  writeRuns(out, completed);
  return out.release();
}

Result<MatchState> MatchState::deserialize(const std::string& bytes, const std::vector<LogicalType>& types) {
  MatchState s;
  DataInputView in(bytes);
  EDDY_ASSIGN_OR_RETURN(s.first_row, in.read<int64_t>());
  EDDY_ASSIGN_OR_RETURN(s.next_row, in.read<int64_t>());
  EDDY_ASSIGN_OR_RETURN(s.next_order, in.read<int64_t>());
  EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
  for (uint64_t i = 0; i < n; ++i) {
    Row r;
    EDDY_ASSIGN_OR_RETURN(r.ts, in.read<int64_t>());
    EDDY_ASSIGN_OR_RETURN(r.bytes, in.readString());
    r.values = decodeKey(r.bytes, types);
    s.rows.push_back(std::move(r));
  }
  EDDY_ASSIGN_OR_RETURN(s.partial, readRuns(in));
  EDDY_ASSIGN_OR_RETURN(s.completed, readRuns(in));
  return s;
}

PatternMatcher::PatternMatcher(const MatchSpec& spec) : spec_(spec), one_row_(emptyBatch(spec.input_types)) {
  compile();
  for (const auto& d : spec_.define) {
    define_.push_back(d ? std::optional<Compiled>(compiled(*d)) : std::nullopt);
  }
  for (const auto& m : spec_.measures) measures_.push_back(compiled(m));
}

PatternMatcher::Compiled PatternMatcher::compiled(const PatternExpression& e) {
  Compiled c;
  c.source = &e;
  c.expr = e.expr->clone();
  std::vector<LogicalType> types;
  for (const PatternSlot& slot : e.slots) {
    c.values.push_back(slot.value ? rowExpr(slot.value) : RowExpr());
    std::vector<RowExpr> args;
    for (const auto& a : slot.args) args.push_back(rowExpr(a));
    c.args.push_back(std::move(args));
    types.push_back(slot.type);
  }
  c.slot_row = emptyBatch(types);
  return c;
}

PatternMatcher::RowExpr PatternMatcher::rowExpr(const std::shared_ptr<const Expression>& e) {
  auto* column = dynamic_cast<const InputRef*>(e.get());
  return RowExpr{e->clone(), column ? column->index() : -1};
}

int PatternMatcher::addState(int var, bool greedy) {
  State s;
  s.var = var;
  s.greedy = greedy;
  states_.push_back(std::move(s));
  return static_cast<int>(states_.size()) - 1;
}

// The states NFACompiler builds for a pattern of strictly contiguous variables, from the
// last to the first: a variable without quantifier is one state taking one row; `?` a
// state that may also proceed without; {n,m} n states in a row, then m - n that may
// proceed to what follows; `+`, `*` and {n,} n states (`*`: one that may proceed) into
// a looping state. A greedy quantifier's states proceed only on a row their variable
// cannot take.
void PatternMatcher::compile() {
  using Cond = Transition::Cond;
  states_.clear();
  int sink = addState(-1, false);  // The final state.
  for (auto it = spec_.pattern.rbegin(); it != spec_.pattern.rend(); ++it) {
    const MatchSpec::Term& t = *it;
    const Cond proceed = t.greedy ? Cond::kNotTake : Cond::kTrue;
    if (t.min == 0 && t.max == 1) {
      const int s = addState(t.var, false);
      states_[static_cast<size_t>(s)].edges = {{true, sink, Cond::kTake}, {false, sink, Cond::kTrue}};
      sink = s;
      continue;
    }
    const bool optional = t.min == 0;
    const int64_t from = std::max<int64_t>(t.min, 1);
    int last = sink;
    if (t.max < 0) {
      last = addState(t.var, t.greedy);
      states_[static_cast<size_t>(last)].edges = {{false, sink, proceed}, {true, last, Cond::kTake}};
    } else {
      for (int64_t i = from; i < t.max; ++i) {
        const int s = addState(t.var, t.greedy);
        states_[static_cast<size_t>(s)].edges = {{true, last, Cond::kTake}, {false, sink, proceed}};
        last = s;
      }
    }
    for (int64_t i = 0; i < from - 1; ++i) {
      const int s = addState(t.var, t.greedy);
      states_[static_cast<size_t>(s)].edges = {{true, last, Cond::kTake}};
      last = s;
    }
    const int first = addState(t.var, t.greedy);
    states_[static_cast<size_t>(first)].edges = {{true, last, Cond::kTake}};
    if (optional) states_[static_cast<size_t>(first)].edges.push_back({false, sink, proceed});
    sink = first;
  }
  start_ = sink;
}

// NFA.findFinalStateAfterProceed: whether, having taken the row into `state`, the run may
// also end there, following PROCEED edges whose conditions hold for the row (evaluated
// as Flink does, against the run before it took the row).
bool PatternMatcher::completesAfter(int state, const MatchState::Run& run, const MatchState& s,
                                    const MatchState::Row* row) {
  std::vector<int> todo{state};
  while (!todo.empty()) {
    const State& st = states_[static_cast<size_t>(todo.back())];
    todo.pop_back();
    for (const Transition& t : st.edges) {
      if (t.take || !condition(t, st.var, Candidate{s, run, row, st.var})) continue;
      if (states_[static_cast<size_t>(t.target)].var < 0) return true;
      todo.push_back(t.target);  // PROCEED edges only go forward: no cycle.
    }
  }
  return false;
}

Value PatternMatcher::rowValue(RowExpr& e, const std::vector<Value>& row) {
  if (e.column >= 0) return row[static_cast<size_t>(e.column)];
  for (size_t c = 0; c < row.size(); ++c) {
    one_row_.columns[c].clear();
    appendValue(one_row_.columns[c], row[c]);
  }
  one_row_.kinds.assign(1, RowKind::kInsert);
  return valueAt(e.expr->eval(one_row_), 0);
}

Value PatternMatcher::slotValue(Compiled& e, size_t index, const Candidate& c) {
  const PatternSlot& slot = e.source->slots[index];
  // The rows the slot reads: the run's rows of its variable (all for `*`), then the row
  // being tried when it is tried as that variable. A pattern is a concatenation of
  // distinct variables, numbered in order, so a variable's rows are one block of the run.
  size_t lo = 0, hi = c.run.vars.size();
  if (slot.var >= 0) {
    const auto v = static_cast<uint8_t>(slot.var);
    lo = static_cast<size_t>(std::lower_bound(c.run.vars.begin(), c.run.vars.end(), v) - c.run.vars.begin());
    hi = static_cast<size_t>(std::upper_bound(c.run.vars.begin() + static_cast<long>(lo), c.run.vars.end(), v) -
                             c.run.vars.begin());
  }
  const bool with_candidate = c.row && (slot.var < 0 || slot.var == c.var);
  const size_t n = hi - lo + (with_candidate ? 1 : 0);
  auto rowAt = [&](size_t i) -> const std::vector<Value>& {
    if (i == hi - lo) return c.row->values;  // The candidate, after the run's rows.
    return c.s.rows[static_cast<size_t>(c.run.start + static_cast<int64_t>(lo + i) - c.s.first_row)].values;
  };
  if (slot.kind == PatternSlot::Kind::kNavigation) {
    const auto count = static_cast<int64_t>(n);
    const int64_t at = slot.from_first ? slot.offset : count - 1 - slot.offset;
    if (at < 0 || at >= count) return Value();
    return rowValue(e.values[index], rowAt(static_cast<size_t>(at)));
  }
  Accumulator acc(&slot.call);
  args_.resize(slot.args.size());
  for (size_t i = 0; i < n; ++i) {
    const std::vector<Value>& row = rowAt(i);
    for (size_t a = 0; a < args_.size(); ++a) args_[a] = rowValue(e.args[index][a], row);
    foldRow(acc, slot.call, [&](int col) { return args_[static_cast<size_t>(col)]; }, true);
  }
  return acc.result();
}

Value PatternMatcher::evaluate(Compiled& e, const Candidate& c) {
  for (size_t i = 0; i < e.source->slots.size(); ++i) {
    e.slot_row.columns[i].clear();
    appendValue(e.slot_row.columns[i], slotValue(e, i, c));
  }
  e.slot_row.kinds.assign(1, RowKind::kInsert);
  return valueAt(e.expr->eval(e.slot_row), 0);
}

bool PatternMatcher::condition(const Transition& t, int state_var, const Candidate& c) {
  if (t.cond == Transition::Cond::kTrue) return true;
  bool take = true;
  auto& d = define_[static_cast<size_t>(state_var)];
  if (d) {
    const Value v = evaluate(*d, c);
    take = !v.null && v.i != 0;
  }
  return t.cond == Transition::Cond::kTake ? take : !take;
}

void PatternMatcher::process(MatchState& s, int64_t ts, std::string bytes, std::vector<std::vector<Value>>& out) {
  const int64_t number = s.next_row++;
  if (s.rows.empty()) s.first_row = number;
  MatchState::Row row;
  row.ts = ts;
  row.values = decodeKey(bytes, spec_.input_types);
  row.bytes = std::move(bytes);
  s.rows.push_back(std::move(row));
  const MatchState::Row* current = &s.rows.back();

  std::vector<MatchState::Run> next;
  std::vector<MatchState::Run> found;
  // NFA.computeNextStates for one run: the edges its state and the states it may
  // proceed to take the row by, depth first as Flink's decision graph walks them.
  auto step = [&](const MatchState::Run& run, bool start) {
    struct Edge {
      const Transition* t;
      int from;
    };
    std::vector<Edge> edges;
    std::vector<int> stack{run.state};
    while (!stack.empty()) {
      const int at = stack.back();
      stack.pop_back();
      const State& st = states_[static_cast<size_t>(at)];
      for (const Transition& t : st.edges) {
        if (!condition(t, st.var, Candidate{s, run, current, st.var})) continue;
        if (t.take) {
          edges.push_back({&t, at});
        } else {
          stack.push_back(t.target);  // PROCEED: an epsilon move, the row is tried there.
        }
      }
    }
    for (const Edge& e : edges) {
      const State& target = states_[static_cast<size_t>(e.t->target)];
      MatchState::Run taken;
      taken.state = e.t->target;
      taken.start = start ? number : run.start;
      taken.start_ts = start ? ts : run.start_ts;
      taken.vars = run.vars;
      taken.vars.push_back(static_cast<uint8_t>(states_[static_cast<size_t>(e.from)].var));
      taken.order = s.next_order++;
      if (target.var < 0) {
        found.push_back(std::move(taken));
        continue;
      }
      if (completesAfter(e.t->target, run, s, current)) {
        MatchState::Run done = taken;
        done.order = s.next_order++;
        found.push_back(std::move(done));
      }
      next.push_back(std::move(taken));
    }
  };
  for (const MatchState::Run& run : s.partial) step(run, false);
  MatchState::Run fresh;
  fresh.state = start_;
  fresh.start = number;
  fresh.start_ts = ts;
  step(fresh, true);
  // Already in (start, order) order: each run's successors follow in its place.
  s.partial = std::move(next);
  emitMatches(s, std::move(found), out);
  trimRows(s);
}

void PatternMatcher::advanceTime(MatchState& s, int64_t ts, std::vector<std::vector<Value>>& out) {
  if (spec_.within <= 0) return;
  const size_t before = s.partial.size();
  std::erase_if(s.partial, [&](const MatchState::Run& r) { return ts - r.start_ts >= spec_.within; });
  if (s.partial.size() == before) return;
  emitMatches(s, {}, out);
  trimRows(s);
}

std::optional<int64_t> PatternMatcher::nextTimeout(const MatchState& s) const {
  if (spec_.within <= 0 || s.partial.empty()) return std::nullopt;
  int64_t earliest = s.partial.front().start_ts;
  for (const auto& r : s.partial) earliest = std::min(earliest, r.start_ts);
  return earliest + spec_.within;
}

// NFA.processMatchesAccordingToSkipStrategy: completed matches wait until no partial
// run starts before them; the earliest goes out first and the skip strategy
// prunes the runs, partial and completed, that it overlaps.
void PatternMatcher::emitMatches(MatchState& s, std::vector<MatchState::Run> found,
                                 std::vector<std::vector<Value>>& out) {
  // Both in (start, order) order.
  const auto middle = static_cast<long>(s.completed.size());
  for (auto& f : found) s.completed.push_back(std::move(f));
  std::inplace_merge(s.completed.begin(), s.completed.begin() + middle, s.completed.end(), runBefore);
  while (!s.completed.empty()) {
    if (!s.partial.empty() && s.partial.front().start < s.completed.front().start) break;
    MatchState::Run match = std::move(s.completed.front());
    s.completed.erase(s.completed.begin());
    out.push_back(outputRow(s, match));
    prune(s.partial, match);
    prune(s.completed, match);
  }
}

void PatternMatcher::prune(std::vector<MatchState::Run>& runs, const MatchState::Run& match) const {
  const int64_t last = match.start + static_cast<int64_t>(match.vars.size()) - 1;
  switch (spec_.skip) {
    case MatchSpec::Skip::kToNextRow:
      std::erase_if(runs, [&](const MatchState::Run& r) { return r.start <= match.start; });
      return;
    case MatchSpec::Skip::kPastLastRow:
      std::erase_if(runs, [&](const MatchState::Run& r) { return r.start <= last; });
      return;
    case MatchSpec::Skip::kToFirst:
    case MatchSpec::Skip::kToLast: {
      int64_t at = -1;
      for (size_t i = 0; i < match.vars.size(); ++i) {
        if (match.vars[i] != spec_.skip_var) continue;
        at = static_cast<int64_t>(i);
        if (spec_.skip == MatchSpec::Skip::kToFirst) break;
      }
      const std::string& name = spec_.vars[static_cast<size_t>(spec_.skip_var)];
      if (at < 0) {
        throw EvalError("MATCH_RECOGNIZE: could not skip to " + name + ": no row of the match is mapped to it");
      }
      if (at == 0) {
        throw EvalError("MATCH_RECOGNIZE: could not skip to " + name +
                        ", the first row of the match (the next match would start where this one did)");
      }
      std::erase_if(runs, [&](const MatchState::Run& r) { return r.start < match.start + at; });
      return;
    }
  }
}

std::vector<Value> PatternMatcher::outputRow(MatchState& s, const MatchState::Run& match) {
  std::vector<Value> row;
  const auto& first = s.rows[static_cast<size_t>(match.start - s.first_row)].values;
  for (int k : spec_.partition) row.push_back(first[static_cast<size_t>(k)]);
  for (Compiled& m : measures_) row.push_back(evaluate(m, Candidate{s, match, nullptr, -1}));
  return row;
}

void PatternMatcher::trimRows(MatchState& s) {
  int64_t keep = s.next_row;
  for (const auto& r : s.partial) keep = std::min(keep, r.start);
  for (const auto& r : s.completed) keep = std::min(keep, r.start);
  while (s.first_row < keep && !s.rows.empty()) {
    s.rows.pop_front();
    ++s.first_row;
  }
  if (s.rows.empty()) s.first_row = s.next_row;
}

}  // namespace eddy::sql
