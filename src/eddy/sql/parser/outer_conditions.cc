// Conditions on an enclosing query's columns inside a subquery's derived table, moved up
// to the subquery (see outer_conditions.h).

#include "eddy/sql/parser/outer_conditions.h"

#include <set>

#include "eddy/sql/parser/object_path.h"

namespace eddy::sql {

namespace {

using ast::Expr;
using ast::ExprPtr;
using Qualifiers = std::set<std::string>;

// The names a FROM item's columns are qualified by.
void qualifiersOf(const ast::TableRef& r, Qualifiers& out) {
  if (r.kind == ast::TableRef::Kind::kJoin) {
    qualifiersOf(*r.left, out);
    qualifiersOf(*r.right, out);
    return;
  }
  if (!r.alias.empty()) out.insert(r.alias);
  if (r.kind == ast::TableRef::Kind::kNamed && r.alias.empty()) out.insert(splitPath(r.name).back());
  if (r.kind == ast::TableRef::Kind::kFunction && r.input) qualifiersOf(*r.input, out);
}

// Visits the subqueries of `e` (not the expressions inside them).
template <typename F>
void forEachSubquery(const Expr& e, const F& f) {
  if (e.query && (e.kind == Expr::Kind::kSubquery || e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kInQuery)) {
    f(*e.query);
  }
  for (const auto& a : e.args) forEachSubquery(*a, f);
  if (e.filter) forEachSubquery(*e.filter, f);
}

// The column references of `e` outside its subqueries; false when it has a subquery.
bool columnRefs(Expr& e, std::vector<Expr*>& refs) {
  if (e.kind == Expr::Kind::kSubquery || e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kInQuery ||
      e.kind == Expr::Kind::kOver) {
    return false;
  }
  if (e.kind == Expr::Kind::kColumn) refs.push_back(&e);
  for (auto& a : e.args) {
    if (!columnRefs(*a, refs)) return false;
  }
  return true;
}

bool hasAggregate(const Expr& e) {
  if (e.kind == Expr::Kind::kCall && ast::isBuiltinAggregate(e.name)) return true;
  if (e.kind == Expr::Kind::kOver) return true;
  for (const auto& a : e.args) {
    if (hasAggregate(*a)) return true;
  }
  return false;
}

void conjuncts(ExprPtr e, std::vector<ExprPtr>& out) {
  if (e->kind == Expr::Kind::kCall && e->name == "AND" && e->args.size() == 2) {
    conjuncts(std::move(e->args[0]), out);
    conjuncts(std::move(e->args[1]), out);
    return;
  }
  out.push_back(std::move(e));
}

ExprPtr conjunction(ExprPtr a, ExprPtr b) {
  if (!a) return b;
  auto c = std::make_unique<Expr>();
  c->kind = Expr::Kind::kCall;
  c->name = "AND";
  c->pos = a->pos;
  c->args.push_back(std::move(a));
  c->args.push_back(std::move(b));
  return c;
}

void hoistQuery(ast::Query& q, const Qualifiers& outer);

// Moves the conditions of derived table `r` (a FROM item of `s`) that read the enclosing
// queries' columns (`outer`) into `s`'s WHERE, the derived table's columns they read
// selected as `$cor<n>` columns of it.
void pullUp(ast::TableRef& r, ast::Select& s, const Qualifiers& outer) {
  ast::Query& q = *r.query;
  if (q.selects.size() != 1 || !q.selects[0] || !q.set_ops.empty() || q.limit || q.offset || !q.order_by.empty()) return;
  ast::Select& d = *q.selects[0];
  if (!d.from || !d.where || d.has_grouping_sets) return;
  bool aggregates = false;
  for (const auto& item : d.items) aggregates = aggregates || hasAggregate(*item.expr);
  // Grouped, a condition moves up only as `inner column = outer expression`: the column
  // then joins the grouping, constant within the rows the condition keeps. One row of
  // an aggregation without GROUP BY is not the same as a row per value: none moves.
  const bool grouped = !d.group_by.empty() || d.distinct;
  if (aggregates && !grouped) return;
  Qualifiers own;
  qualifiersOf(*d.from, own);
  auto isOuter = [&](const Expr* c) { return c->names.size() >= 2 && !own.count(c->names[0]) && !c->outer_ref; };
  std::vector<ExprPtr> parts;
  conjuncts(std::move(d.where), parts);
  ExprPtr kept;
  int next = 0;
  for (ExprPtr& c : parts) {
    std::vector<Expr*> refs;
    bool movable = columnRefs(*c, refs);
    bool reads_outer = false;
    for (const Expr* ref : refs) {
      if (!isOuter(ref)) continue;
      reads_outer = true;
      movable = movable && outer.count(ref->names[0]);  // Else an unknown name, reported as such.
    }
    if (movable && reads_outer && grouped) {
      movable = c->kind == Expr::Kind::kCall && c->name == "=" && c->args.size() == 2;
      if (movable) {
        std::vector<Expr*> left, right;
        columnRefs(*c->args[0], left);
        columnRefs(*c->args[1], right);
        auto innerColumn = [&](const Expr& side) { return side.kind == Expr::Kind::kColumn && !isOuter(&side); };
        auto outerOnly = [&](const std::vector<Expr*>& side) {
          for (const Expr* ref : side) {
            if (!isOuter(ref)) return false;
          }
          return true;
        };
        movable = (innerColumn(*c->args[0]) && outerOnly(right)) || (innerColumn(*c->args[1]) && outerOnly(left));
      }
    }
    if (!movable || !reads_outer) {
      kept = conjunction(std::move(kept), std::move(c));
      continue;
    }
    for (Expr* ref : refs) {
      if (isOuter(ref)) continue;
      const std::string name = "$cor" + std::to_string(next++);
      auto column = std::make_unique<Expr>();
      column->kind = Expr::Kind::kColumn;
      column->pos = ref->pos;
      column->names = ref->names;
      if (grouped && !d.group_by.empty()) {
        auto key = std::make_unique<Expr>();
        key->kind = Expr::Kind::kColumn;
        key->pos = ref->pos;
        key->names = ref->names;
        d.group_by.push_back(std::move(key));
      }
      d.items.push_back({std::move(column), name, ref->pos});
      if (!r.column_aliases.empty()) r.column_aliases.push_back(name);
      ref->names = {r.alias, name};
    }
    s.where = conjunction(std::move(s.where), std::move(c));
  }
  d.where = std::move(kept);
}

// `padded`: `r` is on the side of an outer join that NULLs pad; a condition of its rows
// cannot become one of the SELECT's WHERE there (it would drop the padded rows).
void hoistFrom(ast::TableRef& r, ast::Select& s, const Qualifiers& outer, bool padded) {
  using J = ast::TableRef::JoinType;
  switch (r.kind) {
    case ast::TableRef::Kind::kJoin:
      hoistFrom(*r.left, s, outer, padded || r.join == J::kRight || r.join == J::kFull);
      hoistFrom(*r.right, s, outer, padded || r.join == J::kLeft || r.join == J::kFull);
      break;
    case ast::TableRef::Kind::kSubquery:
      if (r.lateral || !r.query) break;
      hoistQuery(*r.query, outer);  // Its own derived tables first: their conditions come up to it.
      if (!outer.empty() && !r.alias.empty() && !padded) pullUp(r, s, outer);
      break;
    default:
      break;
  }
}

void hoistSelect(ast::Select& s, const Qualifiers& outer) {
  Qualifiers seen = outer;  // What this SELECT's subqueries see: its tables and what it sees.
  if (s.from) qualifiersOf(*s.from, seen);
  auto inside = [&](ast::Query& q) { hoistQuery(q, seen); };
  for (auto& item : s.items) forEachSubquery(*item.expr, inside);
  if (s.where) forEachSubquery(*s.where, inside);
  if (s.having) forEachSubquery(*s.having, inside);
  if (s.from) hoistFrom(*s.from, s, outer, false);
}

void hoistQuery(ast::Query& q, const Qualifiers& outer) {
  for (auto& cte : q.with) {
    if (cte.query) hoistQuery(*cte.query, outer);
  }
  for (auto& s : q.selects) {
    if (s) hoistSelect(*s, outer);
  }
  for (auto& u : q.union_queries) {  // Null where an operand is not parenthesized.
    if (u) hoistQuery(*u, outer);
  }
}

}  // namespace

void hoistOuterConditions(ast::Query& query) { hoistQuery(query, {}); }

}  // namespace eddy::sql
