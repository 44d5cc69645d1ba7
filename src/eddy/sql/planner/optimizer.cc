#include "eddy/sql/planner/optimizer.h"

#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "eddy/core/key_hash.h"
#include "eddy/sql/exec/decimal.h"

namespace eddy::sql {
namespace {

using ExprS = std::shared_ptr<const Expression>;

// `e` with input column i replaced by `inputs[i]`.
ExprS substitute(const ExprS& e, const std::vector<ExprS>& inputs) {
  return e->cloneWith([&](int index, const LogicalType&) { return inputs[static_cast<size_t>(index)]->clone(); });
}

// `e` with input column i renumbered to `map[i]`.
ExprS renumber(const ExprS& e, const std::vector<int>& map) {
  return e->cloneWith([&](int index, const LogicalType& type) {
    return std::make_unique<InputRef>(map[static_cast<size_t>(index)], type);
  });
}

// `calc` over `input`, whose columns are `calc`'s old input's renumbered by `map`.
PlanPtr calcOver(const PlanNode& calc, PlanPtr input, const std::vector<int>& map) {
  auto out = std::make_shared<PlanNode>(calc);
  out->inputs = {std::move(input)};
  out->projections.clear();
  for (const auto& p : calc.projections) out->projections.push_back(renumber(p, map));
  if (calc.filter) out->filter = renumber(calc.filter, map);
  return out;
}

// calc(inner) where both are Calcs: one Calc over inner's input.
PlanPtr mergeCalcs(const PlanNode& outer, const PlanNode& inner) {
  auto merged = std::make_shared<PlanNode>(outer);
  merged->inputs = inner.inputs;
  merged->projections.clear();
  for (const auto& p : outer.projections) merged->projections.push_back(substitute(p, inner.projections));
  ExprS outer_filter = outer.filter ? substitute(outer.filter, inner.projections) : nullptr;
  if (inner.filter && outer_filter) {
    merged->filter = std::make_shared<FilterThen>(inner.filter->clone(), outer_filter->clone());
  } else {
    merged->filter = inner.filter ? inner.filter : outer_filter;
  }
  return merged;
}

// calc(scan): the scan outputs only the columns the Calc reads.
PlanPtr pruneScan(const PlanNode& calc, const PlanNode& scan) {
  std::vector<bool> used = readColumns(calc);
  std::vector<int> map(scan.schema.size(), -1);
  auto pruned = std::make_shared<PlanNode>(scan);
  pruned->schema.clear();
  pruned->scan_columns.clear();
  pruned->rowtime = -1;
  for (size_t c = 0; c < scan.schema.size(); ++c) {
    if (!used[c]) continue;
    map[c] = static_cast<int>(pruned->schema.size());
    if (static_cast<int>(c) == scan.rowtime) pruned->rowtime = map[c];
    pruned->schema.push_back(scan.schema[c]);
    pruned->scan_columns.push_back(scan.scan_columns.empty() ? static_cast<int>(c)
                                                             : scan.scan_columns[c]);
  }
  if (pruned->schema.size() == scan.schema.size()) return nullptr;  // Nothing to prune.
  return calcOver(calc, pruned, map);
}

// calc(scan) with a filter: the scan is given it to skip rows by (its own copy: the
// scan may be shared with other parents, whose rows it must still read).
PlanPtr pushFilterIntoScan(const PlanNode& calc) {
  const PlanNode& scan = *calc.inputs[0];
  if (!calc.filter || scan.table->inline_values || scan.scan_filter == calc.filter) return nullptr;
  auto filtered = std::make_shared<PlanNode>(scan);
  filtered->scan_filter = calc.filter;
  auto out = std::make_shared<PlanNode>(calc);
  out->inputs = {filtered};
  return out;
}

// Each input column an aggregate call reads.
template <typename F>
void forEachAggColumn(AggregateCall& call, F&& f) {
  for (int* c : {&call.arg, &call.arg2, &call.filter}) {
    if (*c >= 0) f(*c);
  }
  for (int& c : call.udf_args) f(c);
}

// An aggregate call's EXPLAIN name ("SUM($3) FILTER $5") with its columns renumbered.
std::string renumberName(const std::string& name, const std::map<int, int>& map) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    out += name[i];
    if (name[i] != '$' || i + 1 >= name.size() || !std::isdigit(static_cast<unsigned char>(name[i + 1]))) continue;
    size_t j = i + 1;
    while (j < name.size() && std::isdigit(static_cast<unsigned char>(name[j]))) ++j;
    auto it = map.find(std::stoi(name.substr(i + 1, j - i - 1)));
    out += it == map.end() ? name.substr(i + 1, j - i - 1) : std::to_string(it->second);
    i = j - 1;
  }
  return out;
}

// agg(calc(window TVF)) or agg(window TVF), for TUMBLE, HOP and CUMULATE with
// mergeable aggregates: the aggregation windows the TVF's input itself, by slices (as
// Flink's planner fuses them). The Calc keeps its filter and the columns the
// aggregation reads; the time column is added to its end.
PlanPtr fuseWindowTvf(const PlanNode& agg, const std::function<PlanPtr(const PlanPtr&)>& visit) {
  if (agg.assigns_windows || agg.window.kind == WindowSpec::Kind::kSession || !agg.grouping_sets.empty()) {
    return nullptr;
  }
  for (const auto& call : agg.aggs) {
    if (!mergeable(call)) return nullptr;
  }
  const PlanNode* calc = agg.inputs[0]->kind == PlanNode::Kind::kCalc ? agg.inputs[0].get() : nullptr;
  const PlanNode& tvf = calc ? *calc->inputs[0] : *agg.inputs[0];
  if (tvf.kind != PlanNode::Kind::kWindowTableFunction || tvf.window.kind != agg.window.kind ||
      tvf.window.size != agg.window.size || tvf.window.slide != agg.window.slide ||
      tvf.window.offset != agg.window.offset) {
    return nullptr;
  }
  const int width = static_cast<int>(tvf.inputs[0]->schema.size());
  // What each of the aggregation's input columns is, as a column of the TVF's output.
  auto source = [&](int c) -> int {
    if (!calc) return c;
    auto* ref = dynamic_cast<const InputRef*>(calc->projections[static_cast<size_t>(c)].get());
    return ref ? ref->index() : -2;
  };
  if (source(agg.time_col) != width || source(agg.end_col) != width + 1) return nullptr;
  if (calc && calc->filter) {
    std::vector<bool> read(tvf.schema.size(), false);
    markInputs(*calc->filter, read);
    for (size_t c = static_cast<size_t>(width); c < read.size(); ++c) {
      if (read[c]) return nullptr;  // Filters on the window: not below it.
    }
  }
  // The new Calc over the TVF's input: the columns the aggregation reads, then time.
  auto fused_calc = std::make_shared<PlanNode>();
  fused_calc->kind = PlanNode::Kind::kCalc;
  fused_calc->inputs = {tvf.inputs[0]};
  fused_calc->mode = tvf.inputs[0]->mode;
  if (calc) fused_calc->filter = calc->filter;
  std::map<int, int> new_col;  // Aggregation input column -> fused Calc column.
  bool ok = true;
  auto add = [&](int c) {
    if (new_col.count(c)) return;
    const int from = source(c);
    if (from < 0 || from >= width) {
      ok = false;  // A computed column, or a window column the aggregation reads.
      return;
    }
    new_col[c] = static_cast<int>(fused_calc->schema.size());
    fused_calc->schema.push_back(calc ? calc->schema[static_cast<size_t>(c)] : tvf.schema[static_cast<size_t>(c)]);
    fused_calc->projections.push_back(
        std::make_shared<InputRef>(from, tvf.inputs[0]->schema[static_cast<size_t>(from)].type));
  };
  auto fused = std::make_shared<PlanNode>(agg);
  for (int k : agg.keys) add(k);
  for (auto& call : fused->aggs) forEachAggColumn(call, add);
  if (!ok) return nullptr;
  for (int& k : fused->keys) k = new_col[k];
  for (auto& call : fused->aggs) {
    forEachAggColumn(call, [&](int& c) { c = new_col[c]; });
    call.name = renumberName(call.name, new_col);
  }
  fused->time_col = static_cast<int>(fused_calc->schema.size());
  fused_calc->schema.push_back(tvf.inputs[0]->schema[static_cast<size_t>(tvf.time_col)]);
  fused_calc->projections.push_back(std::make_shared<InputRef>(tvf.time_col, fused_calc->schema.back().type));
  fused_calc->rowtime = fused_calc->schema.back().type.rowtime ? fused->time_col : -1;
  fused->end_col = -1;
  fused->assigns_windows = true;
  fused->inputs = {visit(fused_calc)};
  return fused;
}

// GROUP BY as Flink's two-phase aggregation: a local phase folds each bundle into a
// partial accumulator per key before the shuffle, the global phase merges them.
PlanPtr splitTwoPhase(const PlanNode& agg) {
  if (agg.phase != PlanNode::AggPhase::kSingle || !agg.grouping_sets.empty()) return nullptr;
  // Over an updating input the local phase folds retractions too (as Flink's, which
  // counts rows to know when a group empties): only aggregates whose partial state adds
  // up with negative counts split.
  const bool updating = agg.inputs[0]->mode != ChangelogMode::kInsertOnly;
  for (const auto& call : agg.aggs) {
    if (!(updating ? mergeableWithRetractions(call) : mergeable(call))) return nullptr;
    // Flink's JsonArrayAggFunction has no merge, so Flink keeps it in one phase (a
    // window's slices still concatenate: mergeable() says so for slicing).
    if (call.kind == AggKind::kJsonArrayAgg) return nullptr;
  }
  auto local = std::make_shared<PlanNode>(agg);
  local->phase = PlanNode::AggPhase::kLocal;
  for (auto& call : local->aggs) call.partial = updating;
  local->mode = ChangelogMode::kInsertOnly;
  local->rowtime = -1;
  local->schema.assign(agg.schema.begin(), agg.schema.begin() + static_cast<long>(agg.keys.size()));
  local->schema.push_back({"acc$", LogicalType::string().notNull()});
  auto global = std::make_shared<PlanNode>(agg);
  global->phase = PlanNode::AggPhase::kGlobal;
  global->inputs = {local};
  for (size_t k = 0; k < global->keys.size(); ++k) global->keys[k] = static_cast<int>(k);
  return global;
}

// Flink's HASH_CODE of a value, stable across runs (the key hash of its bytes, Java's
// String.hashCode): a value's bucket must not move when a job restarts from a checkpoint.
Value hashCode(const std::vector<Value>& args, const LogicalType& type) {
  const Value& v = args[0];
  if (v.null) return Value::ofInt(0);
  return Value::ofInt(KeyHash<std::string>()(encodeOrdered(v, type)) & 0x7fffffff);
}

// AVG(x) of the partial sums and counts the distinct split computes: as the AVG
// accumulator gives it (an integer average of the wrapped BIGINT sum, a DECIMAL one
// rounded half up), NULL over no rows.
Value averageOf(const std::vector<Value>& v, const LogicalType& arg, const LogicalType& type) {
  if (v[0].null || v[1].null || v[1].i == 0) return Value();
  const int64_t count = v[1].i;
  if (arg.storage() == Storage::kDouble) return Value::ofDouble(v[0].d / static_cast<double>(count));
  if (arg.id == TypeId::kDecimal) {
    Int128 q = 0;
    if (!divideDecimal(unscaledOf(v[0], LogicalType::decimal(38, arg.scale)), arg.scale, count, 0, type.scale, &q)) {
      return Value();
    }
    return decimalValue(q, type);
  }
  return Value::ofInt(v[0].i / count);
}

// GROUP BY k with DISTINCT aggregates, as Flink's distinct split (SplitAggregateRule):
// a partial aggregation grouped by k and MOD(HASH_CODE(x), buckets) computes every
// aggregate per bucket (a hot key's distinct values spread over the buckets' keyed
// state), and a final one per k sums the counts and sums and takes the extreme of the
// extremes; an AVG is split into a SUM and a COUNT, divided by a Calc after the final
// aggregation. DISTINCT aggregates of several arguments go through Flink's Expand: each
// row once per distinct argument, bucketed by it, each aggregate counting only its own
// argument's copy (the plain aggregates the first one's) through a FILTER column. COUNT,
// SUM, SUM0, MIN, MAX and AVG split; anything else keeps the aggregation whole.
// `*partial` is set to the partial aggregation's slot.
PlanPtr splitDistinct(const PlanNode& agg, int64_t buckets, PlanPtr** partial_slot) {
  if (agg.phase != PlanNode::AggPhase::kSingle || agg.split != PlanNode::SplitStage::kNone ||
      !agg.grouping_sets.empty()) {
    return nullptr;
  }
  std::vector<int> distinct_args;             // Each copy's argument, first seen first.
  std::vector<size_t> copy_of(agg.aggs.size());  // The copy each aggregate counts.
  bool any_avg = false;
  for (size_t a = 0; a < agg.aggs.size(); ++a) {
    const AggregateCall& call = agg.aggs[a];
    switch (call.kind) {
      case AggKind::kCount:
      case AggKind::kSum:
      case AggKind::kSum0:
      case AggKind::kMin:
      case AggKind::kMax: break;
      case AggKind::kAvg: any_avg = true; break;
      default: return nullptr;
    }
    if (!call.distinct) continue;
    auto at = std::find(distinct_args.begin(), distinct_args.end(), call.arg);
    copy_of[a] = static_cast<size_t>(at - distinct_args.begin());
    if (at == distinct_args.end()) distinct_args.push_back(call.arg);
  }
  if (distinct_args.empty()) return nullptr;
  const bool expand = distinct_args.size() > 1;
  const PlanPtr& input = agg.inputs[0];
  const int width = static_cast<int>(input->schema.size());
  const LogicalType int_type = LogicalType::integer().notNull();
  // The input with the bucket of a distinct value appended (and, expanded, each
  // aggregate's FILTER: whether this copy is its argument's).
  auto copyFor = [&](size_t copy) {
    auto bucketed = std::make_shared<PlanNode>();
    bucketed->kind = PlanNode::Kind::kCalc;
    bucketed->inputs = {input};
    bucketed->mode = input->mode;
    bucketed->rowtime = input->rowtime;
    for (int c = 0; c < width; ++c) {
      bucketed->schema.push_back(input->schema[static_cast<size_t>(c)]);
      bucketed->projections.push_back(std::make_shared<InputRef>(c, input->schema[static_cast<size_t>(c)].type));
    }
    const int arg = distinct_args[copy];
    const LogicalType arg_type = input->schema[static_cast<size_t>(arg)].type;
    std::vector<ExprP> hash_args;
    hash_args.push_back(std::make_unique<InputRef>(arg, arg_type));
    auto hash = std::make_unique<RowCall>(
        "HASH_CODE", int_type, std::move(hash_args),
        [arg_type](const std::vector<Value>& args) { return hashCode(args, arg_type); }, false);
    bucketed->projections.push_back(std::make_shared<BinaryCall>(
        BinaryOp::kMod, int_type, std::move(hash),
        std::make_unique<Literal>(Value::ofInt(buckets), int_type, std::to_string(buckets))));
    bucketed->schema.push_back({"$bucket", int_type});
    if (!expand) return bucketed;
    const LogicalType boolean = LogicalType::boolean().notNull();
    for (size_t a = 0; a < agg.aggs.size(); ++a) {
      const AggregateCall& call = agg.aggs[a];
      const bool mine = copy_of[a] == copy;
      if (mine && call.filter >= 0) {
        bucketed->projections.push_back(
            std::make_shared<InputRef>(call.filter, input->schema[static_cast<size_t>(call.filter)].type));
      } else {
        bucketed->projections.push_back(
            std::make_shared<Literal>(Value::ofBool(mine), boolean, mine ? "true" : "false"));
      }
      bucketed->schema.push_back({"$g" + std::to_string(a), bucketed->projections.back()->type()});
    }
    return bucketed;
  };
  PlanPtr bucketed = copyFor(0);
  if (expand) {  // Flink's Expand: a union of the copies.
    auto copies = std::make_shared<PlanNode>();
    copies->kind = PlanNode::Kind::kUnion;
    copies->expand = true;
    copies->schema = bucketed->schema;
    copies->mode = input->mode;
    copies->inputs.push_back(bucketed);
    for (size_t copy = 1; copy < distinct_args.size(); ++copy) copies->inputs.push_back(copyFor(copy));
    bucketed = copies;
  }

  // The partial calls: each aggregate as it is, an AVG as a SUM (BIGINT for an integer
  // argument, as the AVG accumulator sums) and a COUNT; expanded, each filtered to its copy.
  std::vector<AggregateCall> partial_calls;
  for (size_t a = 0; a < agg.aggs.size(); ++a) {
    AggregateCall call = agg.aggs[a];
    if (expand) {
      call.filter = width + 1 + static_cast<int>(a);
      call.name = call.name.substr(0, call.name.find(" FILTER")) + " FILTER $" + std::to_string(call.filter);
    }
    if (call.kind != AggKind::kAvg) {
      partial_calls.push_back(call);
      continue;
    }
    const std::string inside = call.name.substr(call.name.find('('));
    AggregateCall sum = call, count = call;
    sum.kind = AggKind::kSum;
    sum.type = call.arg_type.id == TypeId::kDecimal ? LogicalType::decimal(38, call.arg_type.scale)
               : call.arg_type.storage() == Storage::kDouble ? LogicalType::doubleType()
                                                             : LogicalType::bigint();
    sum.name = "SUM" + inside;
    count.kind = AggKind::kCount;
    count.type = LogicalType::bigint().notNull();
    count.name = "COUNT" + inside;
    partial_calls.push_back(std::move(sum));
    partial_calls.push_back(std::move(count));
  }

  const size_t k = agg.keys.size();
  auto partial = std::make_shared<PlanNode>(agg);
  partial->split = PlanNode::SplitStage::kPartial;
  partial->inputs = {bucketed};
  partial->mode = ChangelogMode::kUpdates;
  partial->keys.push_back(width);
  partial->aggs = partial_calls;
  partial->schema.assign(agg.schema.begin(), agg.schema.begin() + static_cast<long>(k));
  partial->schema.push_back({"$bucket", int_type});
  for (size_t a = 0; a < partial_calls.size(); ++a) {
    partial->schema.push_back({"$p" + std::to_string(a), partial_calls[a].type});
  }

  auto final = std::make_shared<PlanNode>(agg);
  final->split = PlanNode::SplitStage::kFinal;
  final->inputs = {partial};
  final->aggs.clear();
  final->schema.assign(agg.schema.begin(), agg.schema.begin() + static_cast<long>(k));
  for (size_t i = 0; i < k; ++i) final->keys[i] = static_cast<int>(i);
  for (size_t a = 0; a < partial_calls.size(); ++a) {
    const AggregateCall& original = partial_calls[a];
    AggregateCall call;
    call.kind = original.kind == AggKind::kCount ? AggKind::kSum0 : original.kind;  // Counts add up.
    call.arg = static_cast<int>(k + 1 + a);
    call.arg_type = original.type;
    call.type = original.type;
    call.retractable = true;  // The partial aggregation's output is a changelog.
    const char* name = call.kind == AggKind::kSum ? "SUM" : call.kind == AggKind::kMin ? "MIN"
                       : call.kind == AggKind::kMax ? "MAX" : "$SUM0";
    call.name = std::string(name) + "($" + std::to_string(call.arg) + ")";
    final->schema.push_back({"$f" + std::to_string(k + a), call.type});
    final->aggs.push_back(std::move(call));
  }
  *partial_slot = &final->inputs[0];
  if (!any_avg) {
    final->schema = agg.schema;
    return final;
  }
  // The aggregation's columns again, each AVG its sum over its count.
  auto calc = std::make_shared<PlanNode>();
  calc->kind = PlanNode::Kind::kCalc;
  calc->inputs = {final};
  calc->mode = final->mode;
  calc->schema = agg.schema;
  for (size_t i = 0; i < k; ++i) {
    calc->projections.push_back(std::make_shared<InputRef>(static_cast<int>(i), final->schema[i].type));
  }
  size_t at = k;
  for (const AggregateCall& call : agg.aggs) {
    if (call.kind != AggKind::kAvg) {
      calc->projections.push_back(std::make_shared<InputRef>(static_cast<int>(at), final->schema[at].type));
      ++at;
      continue;
    }
    std::vector<ExprP> parts;
    parts.push_back(std::make_unique<InputRef>(static_cast<int>(at), final->schema[at].type));
    parts.push_back(std::make_unique<InputRef>(static_cast<int>(at + 1), final->schema[at + 1].type));
    const LogicalType arg = call.arg_type, type = call.type;
    calc->projections.push_back(std::make_shared<RowCall>(
        "AVG", type, std::move(parts), [arg, type](const std::vector<Value>& v) { return averageOf(v, arg, type); },
        false));
    at += 2;
  }
  return calc;
}

class Optimizer {
 public:
  explicit Optimizer(OptimizerOptions options) : options_(options) {}
  // Marks the nodes of `root`'s plan that several nodes read (a view or CTE read twice,
  // an Expand's input): they stay one node, so that they run once for all their readers.
  void markShared(const PlanPtr& root) {
    std::map<const PlanNode*, int> readers;
    std::set<const PlanNode*> seen;
    std::function<void(const PlanNode&)> walk = [&](const PlanNode& n) {
      if (!seen.insert(&n).second) return;
      for (const auto& in : n.inputs) {
        if (++readers[in.get()] == 2) shared_.insert(in.get());
        walk(*in);
      }
    };
    walk(*root);
  }

  PlanPtr visit(const PlanPtr& p) {
    auto it = done_.find(p.get());
    if (it != done_.end()) return it->second.second;
    auto copy = std::make_shared<PlanNode>(*p);
    for (auto& in : copy->inputs) {
      const PlanNode* original = in.get();
      in = visit(in);
      if (shared_.count(original)) shared_.insert(in.get());
    }
    PlanPtr result = copy;
    // A node others read too is not merged into its reader (the reader would get a copy
    // of its own, and the node would run twice: a source read twice).
    if (copy->kind == PlanNode::Kind::kCalc) {
      const PlanNode& in = *copy->inputs[0];
      if (in.kind == PlanNode::Kind::kCalc && !shared_.count(&in)) result = mergeCalcs(*copy, in);
      const PlanNode& below = *result->inputs[0];
      if (shared_.count(&below)) {
        // Read as it is.
      } else if (below.kind == PlanNode::Kind::kScan) {
        if (PlanPtr pruned = pruneScan(*result, below)) result = pruned;
        if (PlanPtr pushed = pushFilterIntoScan(*result)) result = pushed;
      } else if (below.kind == PlanNode::Kind::kJoin) {
        if (PlanPtr pruned = pruneJoin(*result, below)) result = pruned;
      }
    } else if (copy->kind == PlanNode::Kind::kWindowAggregate) {
      if (PlanPtr fused = shared_.count(copy->inputs[0].get()) ? nullptr : fuseWindowTvf(*copy, visitor())) {
        result = fused;
      }
    } else if (copy->kind == PlanNode::Kind::kGroupAggregate) {
      PlanPtr* slot = nullptr;
      if (PlanPtr split = options_.distinct_split ? splitDistinct(*copy, options_.distinct_buckets, &slot) : nullptr) {
        // The partial aggregation's input Calc merges down; it may run in two phases.
        PlanPtr& partial = *slot;
        markShared(split);  // An Expand's copies read one input.
        partial->inputs[0] = visit(partial->inputs[0]);
        if (PlanPtr two = options_.two_phase ? splitTwoPhase(*partial) : nullptr) partial = two;
        result = split;
      } else if (PlanPtr two = options_.two_phase ? splitTwoPhase(*copy) : nullptr) {
        result = two;
      }
    }
    done_[p.get()] = {p, result};
    return result;
  }

 private:
  // calc(join): each join input keeps only the columns the Calc, the keys and the
  // residual condition read, so the join's state holds no unread column.
  PlanPtr pruneJoin(const PlanNode& calc, const PlanNode& join) {
    const size_t left_width = join.inputs[0]->schema.size();
    if (join.strategy == PlanNode::JoinStrategy::kLookup) return nullptr;  // Its side table is read whole, not scanned.
    std::vector<bool> used = readColumns(calc);
    if (join.filter) markInputs(*join.filter, used);
    for (int k : join.left_keys) used[static_cast<size_t>(k)] = true;
    for (int k : join.right_keys) used[left_width + static_cast<size_t>(k)] = true;
    if (join.left_time >= 0) {  // An interval or temporal join's time columns.
      used[static_cast<size_t>(join.left_time)] = true;
      used[left_width + static_cast<size_t>(join.right_time)] = true;
    }
    bool all = true;
    for (bool u : used) all = all && u;
    if (all) return nullptr;
    std::vector<bool> keep_left(used.begin(), used.begin() + static_cast<long>(left_width));
    std::vector<bool> keep_right(used.begin() + static_cast<long>(left_width), used.end());
    // The new columns: kept ones, renumbered.
    std::vector<int> map(join.schema.size(), -1);
    auto pruned = std::make_shared<PlanNode>(join);
    pruned->schema.clear();
    for (size_t c = 0; c < join.schema.size(); ++c) {
      if (!used[c]) continue;
      map[c] = static_cast<int>(pruned->schema.size());
      pruned->schema.push_back(join.schema[c]);
    }
    int new_left_width = 0;
    for (bool k : keep_left) new_left_width += k ? 1 : 0;
    for (auto& k : pruned->left_keys) k = map[static_cast<size_t>(k)];
    for (auto& k : pruned->right_keys) k = map[left_width + static_cast<size_t>(k)] - new_left_width;
    if (join.filter) pruned->filter = renumber(join.filter, map);
    if (join.left_time >= 0) {
      pruned->left_time = map[static_cast<size_t>(join.left_time)];
      pruned->right_time = map[left_width + static_cast<size_t>(join.right_time)] - new_left_width;
    }
    if (join.rowtime >= 0) pruned->rowtime = map[static_cast<size_t>(join.rowtime)];
    // The pruned inputs merge with the Calcs below them (and push into their scans).
    pruned->inputs = {visit(keepColumns(join.inputs[0], keep_left)), visit(keepColumns(join.inputs[1], keep_right))};
    return calcOver(calc, pruned, map);
  }

  std::function<PlanPtr(const PlanPtr&)> visitor() {
    return [this](const PlanPtr& p) { return visit(p); };
  }

  OptimizerOptions options_;
  std::set<const PlanNode*> shared_;  // Nodes several read (markShared), and what they became.
  // Each visited node (kept alive, so that a temporary node's address is never reused
  // by another while it is a key here) and what it became.
  std::map<const PlanNode*, std::pair<PlanPtr, PlanPtr>> done_;
};

}  // namespace

std::vector<bool> readColumns(const PlanNode& calc) {
  std::vector<bool> used(calc.inputs[0]->schema.size(), false);
  for (const auto& p : calc.projections) markInputs(*p, used);
  if (calc.filter) markInputs(*calc.filter, used);
  return used;
}

PlanPtr keepColumns(const PlanPtr& input, const std::vector<bool>& keep) {
  auto calc = std::make_shared<PlanNode>();
  calc->kind = PlanNode::Kind::kCalc;
  calc->inputs = {input};
  calc->mode = input->mode;
  for (size_t c = 0; c < keep.size(); ++c) {
    if (!keep[c]) continue;
    if (static_cast<int>(c) == input->rowtime) calc->rowtime = static_cast<int>(calc->schema.size());
    calc->schema.push_back(input->schema[c]);
    calc->projections.push_back(std::make_shared<InputRef>(static_cast<int>(c), input->schema[c].type));
  }
  return calc;
}

PlanPtr optimize(const PlanPtr& plan, const OptimizerOptions& options) {
  Optimizer optimizer(options);
  optimizer.markShared(plan);
  return optimizer.visit(plan);
}

}  // namespace eddy::sql
