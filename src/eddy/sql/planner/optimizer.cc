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

void markInputs(const Expression& e, std::vector<bool>& used) {
  e.cloneWith([&](int index, const LogicalType& type) {
    used[static_cast<size_t>(index)] = true;
    return std::make_unique<InputRef>(index, type);
  });
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
  std::vector<bool> used(scan.schema.size(), false);
  for (const auto& p : calc.projections) markInputs(*p, used);
  if (calc.filter) markInputs(*calc.filter, used);
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
  auto out = std::make_shared<PlanNode>(calc);
  out->inputs = {pruned};
  out->projections.clear();
  for (const auto& p : calc.projections) out->projections.push_back(renumber(p, map));
  if (calc.filter) out->filter = renumber(calc.filter, map);
  return out;
}

class Optimizer {
 public:
  PlanPtr visit(const PlanPtr& p) {
    auto it = done_.find(p.get());
    if (it != done_.end()) return it->second;
    auto copy = std::make_shared<PlanNode>(*p);
    for (auto& in : copy->inputs) in = visit(in);
    PlanPtr result = copy;
    if (copy->kind == PlanNode::Kind::kCalc) {
      const PlanNode& in = *copy->inputs[0];
      if (in.kind == PlanNode::Kind::kCalc) result = mergeCalcs(*copy, in);
      const PlanNode& below = *result->inputs[0];
      if (below.kind == PlanNode::Kind::kScan) {
        if (PlanPtr pruned = pruneScan(*result, below)) result = pruned;
      }
    }
    done_[p.get()] = result;
    return result;
  }

 private:
  std::map<const PlanNode*, PlanPtr> done_;
};

}  // namespace

PlanPtr optimize(const PlanPtr& plan) { return Optimizer().visit(plan); }

}  // namespace eddy::sql
