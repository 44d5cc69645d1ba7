#include "eddy/sql/planner/optimizer.h"

#include <map>

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

class Optimizer {
 public:
  PlanPtr visit(const PlanPtr& p) {
    auto it = done_.find(p.get());
    if (it != done_.end()) return it->second.second;
    auto copy = std::make_shared<PlanNode>(*p);
    for (auto& in : copy->inputs) in = visit(in);
    PlanPtr result = copy;
    if (copy->kind == PlanNode::Kind::kCalc) {
      const PlanNode& in = *copy->inputs[0];
      if (in.kind == PlanNode::Kind::kCalc) result = mergeCalcs(*copy, in);
      const PlanNode& below = *result->inputs[0];
      if (below.kind == PlanNode::Kind::kScan) {
        if (PlanPtr pruned = pruneScan(*result, below)) result = pruned;
      } else if (below.kind == PlanNode::Kind::kJoin) {
        if (PlanPtr pruned = pruneJoin(*result, below)) result = pruned;
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

PlanPtr optimize(const PlanPtr& plan) { return Optimizer().visit(plan); }

}  // namespace eddy::sql
