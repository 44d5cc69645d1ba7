#include "eddy/sql/planner/planner.h"

#include <algorithm>
#include <climits>
#include <cctype>
#include <cmath>
#include <set>

#include "eddy/sql/exec/connector_options.h"
#include "eddy/sql/exec/decimal.h"
#include "eddy/sql/exec/nested_value.h"
#include "eddy/sql/exec/session_time_zone.h"
#include "eddy/sql/exec/unnest.h"
#include "eddy/sql/parser/lexer.h"
#include "eddy/sql/planner/functions.h"
#include "eddy/sql/planner/optimizer.h"

namespace eddy::sql {

Result<std::string> Catalog::keyOf(const std::string& written, const std::string& catalog,
                                   const std::string& database) const {
  EDDY_ASSIGN_OR_RETURN(ObjectPath path, resolvePath(written, catalog, database));
  return objectKey(path);
}

bool Catalog::hasDatabase(const std::string& catalog, const std::string& database) const {
  auto c = catalogs.find(catalog);
  return c != catalogs.end() && c->second.databases.count(database) > 0;
}

std::vector<std::string> Catalog::objectsIn(const std::string& catalog, const std::string* database,
                                           bool with_tables) const {
  std::vector<std::string> keys;
  auto collect = [&](const auto& objects) {
    for (const auto& [key, object] : objects) {
      const ObjectPath path = objectPathOf(key);
      if (path.catalog == catalog && (!database || path.database == *database)) keys.push_back(key);
    }
  };
  if (with_tables) collect(tables);
  collect(views);
  return keys;
}

Status Catalog::checkDatabase(const std::string& catalog, const std::string& database) const {
  if (hasDatabase(catalog, database)) return Status::ok();
  return Status::invalidArgument("Database '" + database + "' does not exist in catalog '" + catalog + "'");
}

std::vector<std::string> Catalog::names() const {
  std::vector<std::string> n;
  for (const auto& [k, v] : tables) n.push_back(k);
  for (const auto& [k, v] : views) n.push_back(k);
  return n;
}

Schema TableDef::physicalSchema() const {
  Schema s;
  for (size_t i = 0; i < schema.size(); ++i) {
    if (!computed[i] && !isMetadata(i)) s.push_back(schema[i]);
  }
  return s;
}

Schema TableDef::readSchema() const {
  Schema s = physicalSchema();
  for (size_t i = 0; i < schema.size(); ++i) {
    if (isMetadata(i)) s.push_back(schema[i]);
  }
  return s;
}

std::vector<std::string> TableDef::metadataKeys() const {
  std::vector<std::string> keys;
  for (size_t i = 0; i < schema.size(); ++i) {
    if (isMetadata(i)) keys.push_back(metadata[i]);
  }
  return keys;
}

namespace {

using ast::Expr;

// The operands of a chain of ANDs (`e` itself when it is no AND).
void splitConjuncts(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == Expr::Kind::kCall && e.name == "AND" && e.args.size() == 2) {
    splitConjuncts(*e.args[0], out);
    splitConjuncts(*e.args[1], out);
  } else {
    out.push_back(&e);
  }
}

// A data type as written, upper case: `DECIMAL(10, 2)`, `ARRAY<INT>`, `MAP<STRING, INT>`.
std::string typeText(const ast::DataType& t) {
  std::string out = t.name == "INT" ? "INTEGER" : t.name;
  if (t.precision >= 0) {
    out += "(" + std::to_string(t.precision) + (t.scale >= 0 ? ", " + std::to_string(t.scale) : "") + ")";
  }
  if (!t.fields.empty()) {
    out += "<";
    for (size_t i = 0; i < t.fields.size(); ++i) {
      out += (i ? ", " : "") + (t.fields[i].name.empty() ? "" : "`" + t.fields[i].name + "` ") + typeText(*t.fields[i].type);
    }
    out += ">";
  }
  return out + (t.not_null ? " NOT NULL" : "");
}

// A canonical text of an expression, to match GROUP BY expressions in SELECT.
std::string canon(const Expr& e) {
  std::string s;
  switch (e.kind) {
    case Expr::Kind::kLiteral: return "L" + std::to_string(static_cast<int>(e.literal)) + ":" + e.text;
    case Expr::Kind::kColumn: return "C:" + e.names.back();
    case Expr::Kind::kStar: return "*";
    case Expr::Kind::kInterval: return "I:" + e.text + e.unit;
    case Expr::Kind::kCast: s = "CAST:" + typeText(e.type); break;
    case Expr::Kind::kCase: s = "CASE"; break;
    case Expr::Kind::kCall:
      s = e.name + (e.distinct ? " DISTINCT" : "") + (e.ignore_nulls ? " IGNORE NULLS" : "") +
          (e.filter ? " FILTER " + canon(*e.filter) : "");
      break;
    default: s = "?" + std::to_string(reinterpret_cast<uintptr_t>(&e)); break;
  }
  s += "(";
  for (const auto& a : e.args) s += canon(*a) + ",";
  return s + ")";
}

struct Field {
  std::string qualifier;
  std::string name;
  LogicalType type;
  // The other side's copy of a JOIN ... USING column: reachable qualified only, and not
  // part of SELECT *.
  bool hidden = false;
  // A USING column's place among them: SELECT * lists them first, as SQL has it.
  int using_order = -1;
  // An enclosing query's field, as a subquery sees it (shadowedBy).
  bool outer = false;
};
struct Scope {
  std::vector<Field> fields;
};

// The outer query's fields as a subquery sees them: a name the subquery's own `inner`
// fields also have refers to its own column (SQL's scoping), so the outer one is
// reachable qualified only.
std::vector<Field> shadowedBy(const Scope& inner, std::vector<Field> outer) {
  for (Field& f : outer) {
    f.outer = true;
    for (const Field& own : inner.fields) {
      if (own.name == f.name) f.hidden = true;
    }
  }
  return outer;
}

Scope scopeOf(const Schema& s, const std::string& qualifier) {
  Scope sc;
  for (const auto& c : s) sc.fields.push_back({qualifier, c.name, c.type});
  return sc;
}

// The user-defined aggregate functions of the catalog being planned against (set by
// planQuery for the planning thread): aggregate calls as much as the built-in ones.
thread_local const std::map<std::string, std::shared_ptr<const AggregateFunction>>* tl_user_aggregates = nullptr;

bool isAggregate(const std::string& name) {
  if (tl_user_aggregates && tl_user_aggregates->count(name)) return true;
  return ast::isBuiltinAggregate(name);
}

// A deep copy of an expression (subqueries and OVER windows shared).
ast::ExprPtr cloneExpr(const Expr& e) {
  auto c = std::make_unique<Expr>();
  c->kind = e.kind;
  c->pos = e.pos;
  c->name = e.name;
  c->names = e.names;
  for (const auto& a : e.args) c->args.push_back(cloneExpr(*a));
  c->literal = e.literal;
  c->text = e.text;
  c->unit = e.unit;
  c->type = e.type;
  c->distinct = e.distinct;
  c->ignore_nulls = e.ignore_nulls;
  c->negated = e.negated;
  c->outer_ref = e.outer_ref;
  c->has_operand = e.has_operand;
  c->has_else = e.has_else;
  c->query = e.query;
  if (e.filter) c->filter = cloneExpr(*e.filter);
  c->over = e.over;
  return c;
}

// An expression as Flink writes it back (DESCRIBE's extras and watermark): identifiers
// in backquotes, operators spaced, function names in upper case.
std::string unparse(const Expr& e) {
  auto arg = [&](size_t i) { return unparse(*e.args[i]); };
  // How tightly an operator binds (0: not an operator).
  auto precedence = [](const Expr& x) {
    if (x.kind != Expr::Kind::kCall) return 0;
    const std::string& n = x.name;
    if (n == "OR") return 1;
    if (n == "AND") return 2;
    if (n == "NOT") return 3;
    if (n == "=" || n == "<>" || n == "<" || n == ">" || n == "<=" || n == ">=" || n == "LIKE") return 4;
    if (n == "+" || n == "-" || n == "||") return 5;
    if (n == "*" || n == "/" || n == "%") return 6;
    return 0;
  };
  // An operand of an operator, parenthesized only where the operator binds tighter (or
  // as tight, on the right of a non-associative one).
  auto operand = [&](size_t i) {
    const Expr& a = *e.args[i];
    const int mine = precedence(e), theirs = precedence(a);
    const bool right = i > 0 && (e.name == "-" || e.name == "/" || e.name == "%");
    return theirs > 0 && (theirs < mine || (theirs == mine && right)) ? "(" + unparse(a) + ")" : unparse(a);
  };
  switch (e.kind) {
    case Expr::Kind::kLiteral:
      switch (e.literal) {
        case Expr::LiteralType::kNull: return "NULL";
        case Expr::LiteralType::kBool: return e.text == "true" || e.text == "TRUE" ? "TRUE" : "FALSE";
        case Expr::LiteralType::kString: {
          std::string out = "'";
          for (char c : e.text) out += c == '\'' ? std::string("''") : std::string(1, c);
          return out + "'";
        }
        case Expr::LiteralType::kBinary: return "X'" + e.text + "'";
        case Expr::LiteralType::kTimestamp: return "TIMESTAMP '" + e.text + "'";
        case Expr::LiteralType::kDate: return "DATE '" + e.text + "'";
        case Expr::LiteralType::kTime: return "TIME '" + e.text + "'";
        default: return e.text;
      }
    case Expr::Kind::kColumn: {
      std::string out;
      for (size_t i = 0; i < e.names.size(); ++i) out += (i ? "." : "") + std::string("`") + e.names[i] + "`";
      return out;
    }
    case Expr::Kind::kStar: return "*";
    case Expr::Kind::kInterval: return "INTERVAL '" + e.text + "' " + e.unit;
    case Expr::Kind::kCast: return "CAST(" + arg(0) + " AS " + typeText(e.type) + ")";
    case Expr::Kind::kCall: {
      if (e.args.size() == 2 && !std::isalpha(static_cast<unsigned char>(e.name[0]))) {
        return operand(0) + " " + e.name + " " + operand(1);
      }
      if ((e.name == "AND" || e.name == "OR") && e.args.size() == 2) return operand(0) + " " + e.name + " " + operand(1);
      if (e.name == "NOT" && e.args.size() == 1) return "NOT " + operand(0);
      if (e.name.rfind("IS ", 0) == 0 && e.args.size() == 1) return operand(0) + " " + e.name;
      if (e.name == "NEGATE" && e.args.size() == 1) return "-" + operand(0);
      if (e.name == "ITEM" && e.args.size() == 2) return arg(0) + "[" + arg(1) + "]";
      if (e.name == "ARRAY" || e.name == "MAP") {
        std::string out = e.name + "[";
        for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + arg(i);
        return out + "]";
      }
      std::string out = e.name + "(" + (e.distinct ? "DISTINCT " : "");
      for (size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + arg(i);
      return out + ")";
    }
    case Expr::Kind::kCase: {
      std::string out = "CASE";
      size_t i = 0;
      if (e.has_operand) out += " " + arg(i++);
      const size_t pairs_end = e.args.size() - (e.has_else ? 1 : 0);
      for (; i + 1 < pairs_end + 1 && i < pairs_end; i += 2) out += " WHEN " + arg(i) + " THEN " + arg(i + 1);
      if (e.has_else) out += " ELSE " + arg(e.args.size() - 1);
      return out + " END";
    }
    default: return "...";
  }
}

bool containsAggregate(const Expr& e) {
  if (e.kind == Expr::Kind::kCall && isAggregate(e.name)) return true;
  if (e.kind == Expr::Kind::kOver) return false;
  for (const auto& a : e.args) {
    if (containsAggregate(*a)) return true;
  }
  return false;
}

// The column references `e` makes, its FILTER and arguments included, not those of its
// subqueries (which have scopes of their own).
void columnsOf(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == Expr::Kind::kColumn) {
    out.push_back(&e);
    return;
  }
  for (const auto& a : e.args) {
    if (a) columnsOf(*a, out);
  }
  if (e.filter) columnsOf(*e.filter, out);
}

Result<int64_t> intervalMillis(const Expr& e, bool* year_month = nullptr) {
  std::string text = e.text;
  bool neg = !text.empty() && text[0] == '-';
  if (neg) text = text.substr(1);
  std::string unit = e.unit;
  std::string from = unit.substr(0, unit.find(' '));
  std::string to = unit.find(" TO ") == std::string::npos ? from : unit.substr(unit.rfind(' ') + 1);
  if (year_month) *year_month = from == "YEAR" || from == "MONTH";
  auto bad = [&] { return sqlError(e.pos, "invalid interval '" + e.text + "' " + e.unit); };
  // Split the value into numbers on ' ', ':', '-', '.'.
  std::vector<std::string> parts;
  std::string cur;
  std::vector<char> seps;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      cur += c;
    } else if (c == ' ' || c == ':' || c == '-' || c == '.') {
      parts.push_back(cur);
      seps.push_back(c);
      cur.clear();
    } else {
      return bad();
    }
  }
  parts.push_back(cur);
  for (const auto& p : parts) {
    if (p.empty() || p.size() > 12) return bad();  // Past 12 digits no interval fits in 64 bits of ms.
  }
  static const std::vector<std::string> kUnits = {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"};
  static const int64_t kMs[] = {12, 1, 86400000, 3600000, 60000, 1000};
  auto idx = [&](const std::string& u) { return std::find(kUnits.begin(), kUnits.end(), u) - kUnits.begin(); };
  int64_t total = 0;
  if (from == "MILLISECOND") {
    total = std::stoll(parts[0]);
  } else if (from == "WEEK") {
    total = std::stoll(parts[0]) * 7 * 86400000;
  } else {
    long u = idx(from);
    long last = idx(to);
    if (u >= 6 || last >= 6 || last < u) return bad();
    size_t p = 0;
    for (long k = u; k <= last && p < parts.size(); ++k, ++p) total += std::stoll(parts[p]) * kMs[k];
    if (p < parts.size()) {
      // Fraction of seconds.
      if (to != "SECOND" || p + 1 != parts.size()) return bad();
      std::string f = parts[p].substr(0, 3);
      while (f.size() < 3) f += '0';
      total += std::stoll(f);
    }
  }
  return neg ? -total : total;
}

// Whether `e` is the literal TRUE (a lateral join's ON TRUE).
bool isTrue(const Expr* e) {
  return e && e->kind == Expr::Kind::kLiteral && e->literal == Expr::LiteralType::kBool &&
         (e->text == "TRUE" || e->text == "true");
}

// An integer literal's value (a row count, an offset); an error where it does not fit
// in 64 bits.
Result<int64_t> integerLiteral(const Expr& e) {
  int64_t v = 0;
  if (!integerValue(e.text, &v)) return sqlError(e.pos, "integer " + e.text + " is out of range");
  return v;
}

// An approximate numeric literal (1e3, or a decimal past 38 digits) as a DOUBLE; an
// error past the DOUBLE range, as Calcite's.
Result<ExprP> doubleLiteral(const Expr& e) {
  const double v = std::strtod(e.text.c_str(), nullptr);
  if (std::isinf(v)) return sqlError(e.pos, "numeric literal '" + e.text + "' is out of range");
  return ExprP(std::make_unique<Literal>(Value::ofDouble(v), LogicalType::doubleType().notNull(), e.text));
}

class Planner {
 public:
  explicit Planner(const Catalog& c, bool batch = false)
      : catalog_(c), ns_catalog_(c.current_catalog), ns_database_(c.current_database), batch_(batch) {}

  // A planner for a subquery: the same catalog, database and mode, and the CTEs in
  // scope here.
  Planner nested() const {
    Planner sub(catalog_, batch_);
    sub.ctes_ = ctes_;
    sub.ns_catalog_ = ns_catalog_;
    sub.ns_database_ = ns_database_;
    return sub;
  }

  Result<PlanPtr> query(const ast::Query& q) {
    size_t pushed = 0;
    for (const auto& cte : q.with) {
      EDDY_ASSIGN_OR_RETURN(PlanPtr p, query(*cte.query));
      ctes_.push_back({cte.name, p});
      ++pushed;
    }
    std::vector<PlanPtr> parts;
    for (size_t i = 0; i < q.selects.size(); ++i) {
      PlanPtr p;
      if (q.selects[i]) {
        EDDY_ASSIGN_OR_RETURN(p, select(*q.selects[i]));
      } else {
        EDDY_ASSIGN_OR_RETURN(p, query(*q.union_queries[i]));
      }
      parts.push_back(p);
    }
    PlanPtr result = parts[0];
    // ORDER BY a column the SELECT does not return (Calcite's hidden sort columns): the
    // single SELECT is planned again returning those too, sorted on, then dropped.
    size_t hidden = 0;
    if (parts.size() == 1 && q.selects[0] && !q.selects[0]->distinct && !q.order_by.empty()) {
      Scope sc = scopeOf(result->schema, "");
      std::vector<const Expr*> missing;
      for (const auto& item : q.order_by) {
        if (!expr(*item.expr, sc).isOk()) missing.push_back(item.expr.get());
      }
      if (!missing.empty()) {
        hidden_order_ = &missing;
        Result<PlanPtr> again = select(*q.selects[0]);
        hidden_order_ = nullptr;
        if (again.isOk() && (*again)->schema.size() == result->schema.size() + missing.size()) {
          hidden = missing.size();
          for (size_t i = 0; i < missing.size(); ++i) {
            hidden_columns_[missing[i]] = static_cast<int>(result->schema.size() + i);
          }
          result = *again;
        }
      }
    }
    if (parts.size() > 1) {
      EDDY_ASSIGN_OR_RETURN(result, setOperations(q, parts));
    }
    if (batch_ && (q.limit || q.offset || !q.order_by.empty())) {
      EDDY_ASSIGN_OR_RETURN(result, sortPlan(q, result));
      if (hidden) result = firstColumns(result, result->schema.size() - hidden);
    } else if (q.offset) {
      return sqlError(q.pos, "OFFSET is supported in batch mode only (SET 'execution.runtime-mode' = 'batch'); a "
                             "streaming query takes ORDER BY ... LIMIT n");
    } else if (q.limit) {
      EDDY_ASSIGN_OR_RETURN(result, limitPlan(q, result));
      if (hidden) result = firstColumns(result, result->schema.size() - hidden);
    } else if (!q.order_by.empty()) {
      // Without LIMIT, Flink streaming allows ORDER BY only on an ascending time
      // attribute, which a stream already is in (with bounded out-of-orderness it sorts
      // by it).
      Scope sc = scopeOf(result->schema, "");
      for (const auto& item : q.order_by) {
        EDDY_ASSIGN_OR_RETURN(ExprP e, orderKey(*item.expr, sc, result->schema));
        if (!e->type().rowtime && !e->type().proctime) {
          return sqlError(item.expr->pos,
                          "sort on a non-time-attribute field is not supported in streaming mode (ORDER BY must start "
                          "with an ascending time attribute, or come with a LIMIT; batch mode sorts on any column)");
        }
        if (item.desc) return sqlError(item.expr->pos, "ORDER BY a time attribute must be ascending in streaming mode");
      }
      if (hidden) result = firstColumns(result, result->schema.size() - hidden);
    }
    for (const auto& item : q.order_by) hidden_columns_.erase(item.expr.get());
    ctes_.resize(ctes_.size() - pushed);
    return result;
  }

 private:
  // [ORDER BY ...] LIMIT n over `input`: Flink's streaming sort-limit, a Top-N over all
  // rows (in arrival order without ORDER BY), without the row number.
  Result<PlanPtr> limitPlan(const ast::Query& q, const PlanPtr& input) {
    if (*q.limit < 0) return sqlError(q.pos, "LIMIT must not be negative");
    if (*q.limit == 0) return emptyValues(input);
    auto rank = rankNode(input);
    rank->rank.limit = *q.limit;
    Scope sc = scopeOf(input->schema, "");
    for (const auto& item : q.order_by) {
      EDDY_ASSIGN_OR_RETURN(ExprP e, orderKey(*item.expr, sc, input->schema));
      auto* ref = dynamic_cast<InputRef*>(e.get());
      if (!ref) return sqlError(item.expr->pos, "ORDER BY with LIMIT takes columns of the result");
      rank->rank.order.push_back(ref->index());
      rank->rank.descending.push_back(item.desc);
      rank->rank.nulls_first.push_back(item.nulls_first);
    }
    return firstColumns(rank, input->schema.size());  // The row number is not part of the result.
  }

  // An ORDER BY item over the result's columns `schema`: an expression, or an ordinal
  // (ORDER BY 2: the second column, as Calcite's default conformance reads it).
  Result<ExprP> orderKey(const Expr& item, const Scope& sc, const Schema& schema) {
    auto hidden = hidden_columns_.find(&item);
    if (hidden != hidden_columns_.end()) {
      const auto c = static_cast<size_t>(hidden->second);
      return ExprP(std::make_unique<InputRef>(hidden->second, schema[c].type));
    }
    if (item.kind == Expr::Kind::kLiteral && item.literal == Expr::LiteralType::kInteger) {
      const int64_t n = std::atoll(item.text.c_str());
      if (n < 1 || n > static_cast<int64_t>(schema.size())) {
        return sqlError(item.pos, "Ordinal out of range: ORDER BY " + item.text + " (the result has " +
                                      std::to_string(schema.size()) + " columns)");
      }
      const auto c = static_cast<size_t>(n - 1);
      return ExprP(std::make_unique<InputRef>(static_cast<int>(c), schema[c].type));
    }
    return expr(item, sc);
  }

  // Batch mode's ORDER BY / OFFSET / LIMIT (Flink's batch Sort, SortLimit and Limit):
  // the input's final rows, sorted, skipped and fetched. ORDER BY expressions that are
  // not result columns are computed into extra columns, dropped after the sort.
  Result<PlanPtr> sortPlan(const ast::Query& q, const PlanPtr& input) {
    Scope sc = scopeOf(input->schema, "");
    SortSpec spec;
    std::vector<ExprP> computed;
    for (const auto& item : q.order_by) {
      EDDY_ASSIGN_OR_RETURN(ExprP e, orderKey(*item.expr, sc, input->schema));
      if (auto* ref = dynamic_cast<InputRef*>(e.get())) {
        spec.order.push_back(ref->index());
      } else {
        spec.order.push_back(static_cast<int>(input->schema.size() + computed.size()));
        computed.push_back(std::move(e));
      }
      spec.descending.push_back(item.desc);
      spec.nulls_first.push_back(item.nulls_first);
    }
    PlanPtr below = input;
    if (!computed.empty()) {
      auto calc = std::make_shared<PlanNode>();
      calc->kind = PlanNode::Kind::kCalc;
      calc->inputs.push_back(input);
      calc->mode = input->mode;
      calc->rowtime = input->rowtime;
      for (size_t c = 0; c < input->schema.size(); ++c) {
        calc->projections.push_back(std::make_shared<InputRef>(static_cast<int>(c), input->schema[c].type));
        calc->schema.push_back(input->schema[c]);
      }
      for (ExprP& e : computed) {
        calc->schema.push_back({"$sort" + std::to_string(calc->schema.size()), e->type()});
        calc->projections.push_back(std::shared_ptr<const Expression>(std::move(e)));
      }
      below = calc;
    }
    spec.offset = q.offset.value_or(0);
    spec.fetch = q.limit.value_or(-1);
    spec.input_types = typesOf(below->schema);
    auto sort = std::make_shared<PlanNode>();
    sort->kind = PlanNode::Kind::kSort;
    sort->inputs.push_back(below);
    sort->schema = below->schema;
    sort->rowtime = below->rowtime;
    sort->sort = std::move(spec);
    return computed.empty() ? sort : firstColumns(sort, input->schema.size());
  }

  // A plan with `schema`'s types (UNION ALL operands).
  PlanPtr castTo(const PlanPtr& p, const Schema& schema) {
    bool same = true;
    for (size_t c = 0; c < schema.size(); ++c) same = same && p->schema[c].type.sameAs(schema[c].type);
    if (same) return p;
    auto calc = std::make_shared<PlanNode>();
    calc->kind = PlanNode::Kind::kCalc;
    calc->inputs.push_back(p);
    calc->mode = p->mode;
    for (size_t c = 0; c < schema.size(); ++c) {
      calc->projections.push_back(coerce(std::make_unique<InputRef>(static_cast<int>(c), p->schema[c].type), schema[c].type));
      calc->schema.push_back({schema[c].name, calc->projections.back()->type()});
    }
    return calc;
  }

  // A table read with /*+ OPTIONS(...) */: a scan of the table with those options over
  // its own (Flink's dynamic table options). Views and CTEs take none.
  static Result<PlanPtr> withHintOptions(const PlanPtr& p, const ast::TableRef& ref) {
    if (ref.hint_options.empty()) return p;
    if (p->kind != PlanNode::Kind::kScan) {
      return sqlError(ref.pos, "View '" + ref.name + "' cannot be enriched with new options: OPTIONS hints apply to "
                                                   "tables");
    }
    auto table = std::make_shared<TableDef>(*p->table);
    for (const auto& [k, v] : ref.hint_options) table->options[k] = v;
    auto scan = std::make_shared<PlanNode>(*p);
    scan->table = table;
    return PlanPtr(scan);
  }

  // The catalog object a FROM names, by its key from the database this query is in.
  Result<std::string> objectKeyOf(const std::string& written, Pos pos) const {
    Result<std::string> key = catalog_.keyOf(written, ns_catalog_, ns_database_);
    if (!key.isOk()) return sqlError(pos, key.status().message());
    return key;
  }

  Result<PlanPtr> namedTable(const std::string& written, Pos pos) {
    for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it) {
      if (it->first == written) return it->second;
    }
    EDDY_ASSIGN_OR_RETURN(const std::string name, objectKeyOf(written, pos));
    auto t = catalog_.tables.find(name);
    if (t != catalog_.tables.end()) {
      auto scan = std::make_shared<PlanNode>();
      scan->kind = PlanNode::Kind::kScan;
      scan->table = t->second;
      scan->schema = t->second->schema;
      scan->rowtime = t->second->rowtime;
      return scan;
    }
    auto v = catalog_.views.find(name);
    if (v != catalog_.views.end() && v->second.plan) return v->second.plan;
    if (v != catalog_.views.end()) {
      Planner sub(catalog_, batch_);
      sub.ns_catalog_ = v->second.catalog;  // Its names as they were when it was made.
      sub.ns_database_ = v->second.database;
      EDDY_ASSIGN_OR_RETURN(PlanPtr p, sub.query(*v->second.query));
      if (!v->second.columns.empty()) {
        for (size_t i = 0; i < p->schema.size() && i < v->second.columns.size(); ++i) p->schema[i].name = v->second.columns[i];
      }
      return p;
    }
    std::vector<std::string> names = catalog_.names();
    for (const auto& c : ctes_) names.push_back(c.first);
    return sqlError(pos, "Object '" + written + "' not found" + didYouMean(written, names));
  }

  Result<PlanPtr> from(const ast::TableRef& ref, Scope& scope) {
    switch (ref.kind) {
      case ast::TableRef::Kind::kNamed: {
        if (ref.system_time) return sqlError(ref.pos, "FOR SYSTEM_TIME AS OF (temporal joins) is not supported yet");
        EDDY_ASSIGN_OR_RETURN(PlanPtr p, namedTable(ref.name, ref.pos));
        EDDY_ASSIGN_OR_RETURN(p, withHintOptions(p, ref));
        scope = scopeOf(p->schema, ref.alias.empty() ? splitPath(ref.name).back() : ref.alias);
        return renameColumns(p, ref, scope);
      }
      case ast::TableRef::Kind::kSubquery: {
        Planner sub = nested();
        EDDY_ASSIGN_OR_RETURN(PlanPtr p, sub.query(*ref.query));
        scope = scopeOf(p->schema, ref.alias);
        // The columns an outer condition moved up reads (hoistOuterConditions): not
        // part of SELECT *.
        for (Field& f : scope.fields) f.hidden = f.hidden || f.name.rfind("$cor", 0) == 0;
        return renameColumns(p, ref, scope);
      }
      case ast::TableRef::Kind::kFunction:
        return windowFunction(ref, scope);
      case ast::TableRef::Kind::kJoin:
        return join(ref, scope, {});
      case ast::TableRef::Kind::kLateral: {
        if (ref.name == "UNNEST") {  // FROM UNNEST(ARRAY[...]): over one row of no columns.
          std::vector<const Expr*> none;
          return correlateWith(nullptr, ref, ast::TableRef::JoinType::kCross, nullptr, ref.pos, scope, none);
        }
        return sqlError(ref.pos, "LATERAL TABLE must follow the table it is called for: FROM t, LATERAL TABLE(f(t.x))");
      }
      case ast::TableRef::Kind::kValues: {
        EDDY_ASSIGN_OR_RETURN(PlanPtr p, valuesTable(ref));
        scope = scopeOf(p->schema, ref.alias);
        return p;
      }
      case ast::TableRef::Kind::kMatchRecognize: {
        EDDY_ASSIGN_OR_RETURN(PlanPtr p, matchRecognize(ref));
        scope = scopeOf(p->schema, ref.alias);
        return p;
      }
    }
    return sqlError(ref.pos, "unsupported FROM item");
  }

  // ---- MATCH_RECOGNIZE

  // What binding a DEFINE condition or a measure collects: the pattern's variables and
  // the slots (PatternSlot) its navigation and aggregates became, as columns `$slotN`.
  struct PatternBinding {
    const std::vector<std::string>* vars = nullptr;
    const Scope* input = nullptr;
    int time_col = -1;
    std::vector<PatternSlot> slots;
    Schema columns;
  };

  static int patternVar(const PatternBinding& b, const std::string& name) {
    const auto& vars = *b.vars;
    auto it = std::find(vars.begin(), vars.end(), name);
    return it == vars.end() ? -2 : static_cast<int>(it - vars.begin());
  }

  // The one pattern variable `e`'s columns are qualified by (-1: none, the `*` of all
  // rows); an error where they name two.
  static Result<int> singleVariable(const Expr& e, const PatternBinding& b, const char* what) {
    int var = -3;  // none seen
    std::function<Status(const Expr&)> walk = [&](const Expr& x) -> Status {
      if (x.kind == Expr::Kind::kColumn) {
        const int v = x.names.size() >= 2 ? std::max(patternVar(b, x.names[0]), -1) : -1;
        if (var != -3 && var != v) {
          return sqlError(x.pos, std::string(what) + " must refer to a single pattern variable, as in Flink");
        }
        var = v;
      }
      for (const auto& a : x.args) EDDY_RETURN_IF_ERROR(walk(*a));
      if (x.filter) EDDY_RETURN_IF_ERROR(walk(*x.filter));
      return Status::ok();
    };
    EDDY_RETURN_IF_ERROR(walk(e));
    return var == -3 ? -1 : var;
  }

  // A copy of `e` with pattern variable qualifiers dropped: `A.price * A.tax` over the row.
  static ast::ExprPtr unqualified(const Expr& e, const PatternBinding& b) {
    ast::ExprPtr c = cloneExpr(e);
    std::function<void(Expr&)> walk = [&](Expr& x) {
      if (x.kind == Expr::Kind::kColumn && x.names.size() >= 2 && patternVar(b, x.names[0]) >= 0) {
        x.names.erase(x.names.begin());
      }
      for (auto& a : x.args) walk(*a);
      if (x.filter) walk(*x.filter);
    };
    walk(*c);
    return c;
  }

  static ast::ExprPtr slotColumn(PatternBinding& b, PatternSlot slot, Pos pos) {
    const std::string name = "$slot" + std::to_string(b.slots.size());
    b.columns.push_back({name, slot.type});
    b.slots.push_back(std::move(slot));
    auto ref = std::make_unique<Expr>();
    ref->kind = Expr::Kind::kColumn;
    ref->pos = pos;
    ref->names = {name};
    return ref;
  }

  // A navigation slot: the value of `value` (over the input row) in the row of `var`
  // FIRST/LAST `offset` rows from that end.
  Result<ast::ExprPtr> navigationSlot(PatternBinding& b, const Expr& value, int var, bool from_first, int64_t offset,
                                      Pos pos) {
    PatternSlot slot;
    slot.var = var;
    slot.from_first = from_first;
    slot.offset = offset;
    EDDY_ASSIGN_OR_RETURN(ExprP bound, expr(*unqualified(value, b), *b.input));
    slot.type = bound->type().withNullable(true);
    slot.type.rowtime = slot.type.proctime = false;  // A time attribute read back is a plain time.
    slot.value = std::shared_ptr<const Expression>(std::move(bound));
    return slotColumn(b, std::move(slot), pos);
  }

  // `e` with its pattern navigation (A.price, FIRST/LAST(...), MATCH_ROWTIME()) and
  // aggregates (SUM(A.price)) replaced by slot columns; the rest binds over those.
  Result<ast::ExprPtr> patternSlots(const Expr& e, PatternBinding& b) {
    switch (e.kind) {
      case Expr::Kind::kColumn: {
        if (e.names.size() >= 2) {  // var.column (var.row_column.field)
          const int var = patternVar(b, e.names[0]);
          if (var >= 0) return navigationSlot(b, e, var, false, 0, e.pos);
          const std::string row_field = e.names[0] + "." + e.names[1];  // A ROW column's field?
          const auto& fields = b.input->fields;
          if (e.names.size() == 2 &&
              std::none_of(fields.begin(), fields.end(), [&](const Field& f) { return f.name == row_field; })) {
            return sqlError(e.pos, "Unknown pattern variable '" + e.names[0] + "'");
          }
        }
        return navigationSlot(b, e, -1, false, 0, e.pos);
      }
      case Expr::Kind::kSubquery:
      case Expr::Kind::kExists:
      case Expr::Kind::kInQuery:
        return sqlError(e.pos, "subqueries are not supported in MATCH_RECOGNIZE's MEASURES or DEFINE");
      case Expr::Kind::kOver:
        return sqlError(e.pos, "OVER windows are not supported in MATCH_RECOGNIZE's MEASURES or DEFINE");
      case Expr::Kind::kCall: {
        const std::string& n = e.name;
        if (n == "FIRST" || n == "LAST") {
          if (e.args.empty() || e.args.size() > 2) return sqlError(e.pos, n + " takes a value and an optional offset");
          int64_t offset = 0;
          if (e.args.size() == 2) {
            const Expr& o = *e.args[1];
            if (o.kind != Expr::Kind::kLiteral || o.literal != Expr::LiteralType::kInteger ||
                !integerValue(o.text, &offset) || offset < 0) {
              return sqlError(o.pos, n + "'s offset must be a non-negative integer literal");
            }
          }
          EDDY_ASSIGN_OR_RETURN(int var, singleVariable(*e.args[0], b, "FIRST / LAST"));
          return navigationSlot(b, *e.args[0], var, n == "FIRST", offset, e.pos);
        }
        if (n == "PREV" || n == "NEXT") {
          if (e.args.empty() || e.args.size() > 2) return sqlError(e.pos, n + " takes a value and an optional offset");
          const bool zero = e.args.size() == 1 ||
                            (e.args[1]->kind == Expr::Kind::kLiteral && e.args[1]->text == "0");
          if (n == "NEXT" || !zero) {
            return sqlError(e.pos, "Flink does not support physical offsets within partition.");
          }
          return patternSlots(*e.args[0], b);
        }
        if (n == "MATCH_ROWTIME") {
          if (e.args.size() > 1) return sqlError(e.pos, "MATCH_ROWTIME takes at most one rowtime column");
          auto time = std::make_unique<Expr>();
          if (e.args.empty()) {
            time->kind = Expr::Kind::kColumn;
            time->pos = e.pos;
            time->names = {b.input->fields[static_cast<size_t>(b.time_col)].name};
          } else {
            time = cloneExpr(*e.args[0]);
          }
          EDDY_ASSIGN_OR_RETURN(ast::ExprPtr slot, navigationSlot(b, *time, -1, false, 0, e.pos));
          PatternSlot& added = b.slots.back();
          if (!b.columns.back().type.isTimestamp()) {
            return sqlError(e.pos, "MATCH_ROWTIME's argument must be a rowtime attribute");
          }
          if (e.args.empty() && b.columns.back().type.id != TypeId::kTimestamp) {
            // No argument: a TIMESTAMP(3) whatever the rowtime's kind.
            added.value = std::shared_ptr<const Expression>(
                coerce(added.value->clone(), LogicalType::timestamp(3)));
            added.type = added.value->type().withNullable(true);
            b.columns.back().type = added.type;
          }
          b.columns.back().type.rowtime = true;  // Marks the measure; the slot value is plain.
          return slot;
        }
        if (n == "MATCH_PROCTIME") {
          auto call = cloneExpr(e);
          call->name = "PROCTIME";
          return call;
        }
        if (n == "FINAL" || n == "RUNNING") {
          // One row per match is its last row: the running value is the final one.
          if (e.args.size() != 1) return sqlError(e.pos, n + " takes one navigation or aggregate");
          return patternSlots(*e.args[0], b);
        }
        if (n == "CLASSIFIER" || n == "MATCH_NUMBER") {
          return sqlError(e.pos, n + " is not supported in MATCH_RECOGNIZE yet (nor by Flink)");
        }
        if (isAggregate(n)) {
          if (e.distinct) return sqlError(e.pos, "DISTINCT aggregations are not supported in MATCH_RECOGNIZE");
          EDDY_ASSIGN_OR_RETURN(int var, singleVariable(e, b, "Aggregation"));
          auto pre = std::make_shared<PlanNode>();
          pre->kind = PlanNode::Kind::kCalc;
          EDDY_ASSIGN_OR_RETURN(AggregateCall call, aggregateCall(*unqualified(e, b), *b.input, *pre));
          PatternSlot slot;
          slot.kind = PatternSlot::Kind::kAggregate;
          slot.var = var;
          slot.type = call.type;
          slot.call = std::move(call);
          slot.call.retractable = false;
          slot.args = pre->projections;
          return slotColumn(b, std::move(slot), e.pos);
        }
        break;
      }
      default:
        break;
    }
    ast::ExprPtr c = cloneExpr(e);
    for (size_t i = 0; i < e.args.size(); ++i) {
      EDDY_ASSIGN_OR_RETURN(c->args[i], patternSlots(*e.args[i], b));
    }
    return c;
  }

  Result<PatternExpression> patternExpression(const Expr& e, PatternBinding b) {
    EDDY_ASSIGN_OR_RETURN(ast::ExprPtr rewritten, patternSlots(e, b));
    Schema columns = b.columns;
    for (auto& c : columns) c.type.rowtime = false;
    EDDY_ASSIGN_OR_RETURN(ExprP bound, expr(*rewritten, scopeOf(columns, "")));
    PatternExpression out;
    out.slots = std::move(b.slots);
    out.expr = std::shared_ptr<const Expression>(std::move(bound));
    return out;
  }

  // `input MATCH_RECOGNIZE (...)`: Flink's StreamExecMatch over an append-only input.
  Result<PlanPtr> matchRecognize(const ast::TableRef& ref) {
    const ast::MatchRecognize& m = *ref.match;
    Scope in_scope;
    EDDY_ASSIGN_OR_RETURN(PlanPtr input, from(*ref.input, in_scope));
    if (input->mode == ChangelogMode::kUpdates) {
      return sqlError(ref.pos, "Match Recognize doesn't support consuming update and delete changes: its input must be "
                               "append-only");
    }
    auto spec = std::make_shared<MatchSpec>();
    spec->input_types = typesOf(input->schema);
    auto columnOf = [&](const Expr& k, const char* what) -> Result<int> {
      EDDY_ASSIGN_OR_RETURN(ExprP e, expr(k, in_scope));
      auto* col = dynamic_cast<InputRef*>(e.get());
      if (!col) return sqlError(k.pos, std::string(what) + " takes columns of the input");
      return col->index();
    };
    for (const auto& k : m.partition_by) {
      EDDY_ASSIGN_OR_RETURN(int c, columnOf(*k, "PARTITION BY"));
      spec->partition.push_back(c);
    }
    if (m.order_by.empty()) return sqlError(m.order_pos, "You must specify either rowtime or proctime for order by.");
    for (size_t i = 0; i < m.order_by.size(); ++i) {
      EDDY_ASSIGN_OR_RETURN(int c, columnOf(*m.order_by[i].expr, "ORDER BY"));
      const LogicalType& t = input->schema[static_cast<size_t>(c)].type;
      if (i == 0) {
        if (!t.rowtime && !t.proctime) {
          return sqlError(m.order_by[i].expr->pos,
                          "You must specify either rowtime or proctime for order by as the first one.");
        }
        if (m.order_by[i].desc) {
          return sqlError(m.order_by[i].expr->pos,
                          "Primary sort order of a streaming table must be ascending on time.");
        }
        spec->time_col = c;
        spec->proctime = t.proctime;
        continue;
      }
      spec->order.order.push_back(c);
      spec->order.descending.push_back(m.order_by[i].desc);
      spec->order.nulls_first.push_back(std::nullopt);
    }
    // The pattern: variables once each, not all optional, the last not greedy.
    for (const auto& term : m.pattern) {
      if (std::find(spec->vars.begin(), spec->vars.end(), term.var) != spec->vars.end()) {
        return sqlError(term.pos, "Pattern variables must be unique. That might change in the future.");
      }
      const bool optional = term.min == 0 && term.max == 1;
      if (optional && term.reluctant) return sqlError(term.pos, "Reluctant optional variables are not supported yet.");
      MatchSpec::Term t;
      t.var = static_cast<int>(spec->vars.size());
      t.min = term.min;
      t.max = term.max;
      t.greedy = !term.reluctant && !optional && term.min != term.max;  // As Flink applies greedy().
      spec->pattern.push_back(t);
      spec->vars.push_back(term.var);
      const std::string from = std::to_string(term.min), to = std::to_string(term.max);
      std::string q = term.min == 1 && term.max == 1  ? ""
                      : optional                      ? "?"
                      : term.min == 0 && term.max < 0 ? "*"
                      : term.min == 1 && term.max < 0 ? "+"
                      : term.max < 0                  ? "{" + from + ",}"
                      : term.min == term.max          ? "{" + from + "}"
                                                      : "{" + from + "," + to + "}";
      spec->pattern_text += (spec->pattern_text.empty() ? "" : " ") + term.var + q + (term.reluctant ? "?" : "");
    }
    if (std::all_of(m.pattern.begin(), m.pattern.end(), [](const ast::PatternTerm& t) { return t.min == 0; })) {
      return sqlError(m.pattern_pos, "Patterns that can produce empty matches are not supported. There must be at "
                                     "least one non-optional state.");
    }
    if (spec->pattern.back().greedy) {
      return sqlError(m.pattern.back().pos,
                      "Greedy quantifiers are not allowed as the last element of a Pattern yet. "
                      "Finish your pattern with either a simple variable or reluctant quantifier.");
    }
    auto varIndex = [&](const std::string& name, Pos pos) -> Result<int> {
      auto it = std::find(spec->vars.begin(), spec->vars.end(), name);
      if (it == spec->vars.end()) {
        return sqlError(pos, "Unknown pattern variable '" + name + "'" + didYouMean(name, spec->vars));
      }
      return static_cast<int>(it - spec->vars.begin());
    };
    spec->skip = static_cast<MatchSpec::Skip>(m.skip);
    if (!m.skip_var.empty()) {
      EDDY_ASSIGN_OR_RETURN(spec->skip_var, varIndex(m.skip_var, m.skip_pos));
    }
    if (m.within) {
      if (m.within->kind != Expr::Kind::kInterval) {
        return sqlError(m.within->pos, "Only constant intervals with millisecond resolution are supported as time "
                                       "constraints of patterns.");
      }
      bool year_month = false;
      EDDY_ASSIGN_OR_RETURN(spec->within, intervalMillis(*m.within, &year_month));
      if (year_month || spec->within <= 0) {
        return sqlError(m.within->pos, "Only constant intervals with millisecond resolution are supported as time "
                                       "constraints of patterns.");
      }
    }
    PatternBinding binding;
    binding.vars = &spec->vars;
    binding.input = &in_scope;
    binding.time_col = spec->time_col;
    spec->define.resize(spec->vars.size());
    for (const auto& d : m.define) {
      EDDY_ASSIGN_OR_RETURN(int v, varIndex(d.var, d.pos));
      if (spec->define[static_cast<size_t>(v)]) {
        return sqlError(d.pos, "Pattern variable '" + d.var + "' is defined twice");
      }
      EDDY_ASSIGN_OR_RETURN(PatternExpression cond, patternExpression(*d.condition, binding));
      if (cond.expr->type().id != TypeId::kBoolean && cond.expr->type().id != TypeId::kNull) {
        return sqlError(d.condition->pos, "DEFINE needs a boolean condition for " + d.var + ", not " +
                                              cond.expr->type().toString());
      }
      spec->define[static_cast<size_t>(v)] = std::move(cond);
    }
    if (spec->vars.size() > 255) return sqlError(m.pattern_pos, "a pattern has at most 255 variables");
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanNode::Kind::kMatch;
    for (int k : spec->partition) {
      ColumnSchema out_col = input->schema[static_cast<size_t>(k)];
      out_col.type.rowtime = out_col.type.proctime = false;
      node->schema.push_back(out_col);
    }
    for (const auto& item : m.measures) {
      EDDY_ASSIGN_OR_RETURN(PatternExpression measure, patternExpression(*item.expr, binding));
      LogicalType t = measure.expr->type();
      t.rowtime = false;
      // MATCH_ROWTIME() alone is the result's rowtime attribute.
      if (item.expr->kind == Expr::Kind::kCall && item.expr->name == "MATCH_ROWTIME" && node->rowtime < 0) {
        t.rowtime = true;
        node->rowtime = static_cast<int>(node->schema.size());
      }
      for (const auto& c : node->schema) {
        if (c.name == item.alias) {
          return sqlError(item.pos, "Duplicate column name '" + item.alias + "' in MATCH_RECOGNIZE's output");
        }
      }
      node->schema.push_back({item.alias, t});
      spec->measures.push_back(std::move(measure));
    }
    spec->output_types = typesOf(node->schema);
    for (auto& t : spec->output_types) t.rowtime = t.proctime = false;
    node->inputs.push_back(matchInputColumns(*spec, input));
    node->match = spec;
    return PlanPtr(node);
  }

  // The columns of `input` the match reads, and `spec` renumbered to them: a row
  // waiting in the match's state carries nothing it does not need.
  static PlanPtr matchInputColumns(MatchSpec& spec, const PlanPtr& input) {
    auto eachSlot = [&](const std::function<void(PatternSlot&)>& f) {
      for (auto& d : spec.define) {
        if (d) std::for_each(d->slots.begin(), d->slots.end(), f);
      }
      for (auto& m : spec.measures) std::for_each(m.slots.begin(), m.slots.end(), f);
    };
    std::vector<bool> used(input->schema.size());
    for (int k : spec.partition) used[static_cast<size_t>(k)] = true;
    for (int k : spec.order.order) used[static_cast<size_t>(k)] = true;
    used[static_cast<size_t>(spec.time_col)] = true;
    eachSlot([&](PatternSlot& slot) {
      if (slot.value) markInputs(*slot.value, used);
      for (const auto& a : slot.args) markInputs(*a, used);  // FILTER's condition is one of them.
    });
    if (std::all_of(used.begin(), used.end(), [](bool u) { return u; })) return input;
    std::vector<int> to(input->schema.size(), -1);
    for (size_t c = 0, kept = 0; c < used.size(); ++c) {
      if (used[c]) to[c] = static_cast<int>(kept++);
    }
    const InputMap renumber = [&](int index, const LogicalType& type) -> ExprP {
      return std::make_unique<InputRef>(to[static_cast<size_t>(index)], type);
    };
    auto renumbered = [&](std::shared_ptr<const Expression>& e) {
      if (e) e = std::shared_ptr<const Expression>(e->cloneWith(renumber));
    };
    for (int& k : spec.partition) k = to[static_cast<size_t>(k)];
    for (int& k : spec.order.order) k = to[static_cast<size_t>(k)];
    spec.time_col = to[static_cast<size_t>(spec.time_col)];
    eachSlot([&](PatternSlot& slot) {
      renumbered(slot.value);
      for (auto& a : slot.args) renumbered(a);
    });
    PlanPtr kept = keepColumns(input, used);
    spec.input_types = typesOf(kept->schema);
    return kept;
  }

  // The operands of a query's set operations combined, INTERSECT first, then UNION
  // [ALL] and EXCEPT left to right, as SQL has it: UNION ALL as one Union, UNION as a
  // distinct aggregation over it, INTERSECT and EXCEPT as Flink rewrites them (a semi- or
  // anti-join of the left side's distinct rows with the right side on every column,
  // NULLs equal).
  Result<PlanPtr> setOperations(const ast::Query& q, std::vector<PlanPtr> parts) {
    using Op = ast::Query::SetOp;
    std::vector<PlanPtr> terms{parts[0]};
    std::vector<Op> ops;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      const Op op = i < q.set_ops.size() ? q.set_ops[i] : Op::kUnionAll;
      if (op == Op::kIntersect) {
        EDDY_ASSIGN_OR_RETURN(terms.back(), semiOrAntiOnAllColumns(q, terms.back(), parts[i + 1], false));
      } else if (op == Op::kIntersectAll) {
        EDDY_ASSIGN_OR_RETURN(terms.back(), countedSetOperation(q, terms.back(), parts[i + 1], false));
      } else {
        terms.push_back(parts[i + 1]);
        ops.push_back(op);
      }
    }
    PlanPtr result = terms[0];
    std::vector<PlanPtr> union_all{result};  // A run of UNION ALL operands: one Union.
    for (size_t j = 0; j < ops.size(); ++j) {
      if (ops[j] == Op::kUnionAll || ops[j] == Op::kUnion) {
        union_all.push_back(terms[j + 1]);
        if (j + 1 < ops.size() && ops[j + 1] == Op::kUnionAll && ops[j] == Op::kUnionAll) continue;
        EDDY_ASSIGN_OR_RETURN(result, unionAll(q, union_all, ops[j] == Op::kUnion ? "UNION" : "UNION ALL"));
        if (ops[j] == Op::kUnion) result = distinctRows(result);
      } else if (ops[j] == Op::kExceptAll) {
        EDDY_ASSIGN_OR_RETURN(result, countedSetOperation(q, result, terms[j + 1], true));
      } else {  // EXCEPT
        EDDY_ASSIGN_OR_RETURN(result, semiOrAntiOnAllColumns(q, result, terms[j + 1], true));
      }
      union_all = {result};
    }
    return result;
  }

  // The operands as one Union of their columns' common types.
  Result<PlanPtr> unionAll(const ast::Query& q, const std::vector<PlanPtr>& parts, const std::string& what) {
    if (parts.size() == 1) return parts[0];
    auto u = std::make_shared<PlanNode>();
    u->kind = PlanNode::Kind::kUnion;
    EDDY_ASSIGN_OR_RETURN(u->schema, commonSchema(q, parts, what));
    for (const auto& p : parts) {
      if (p->mode == ChangelogMode::kUpdates) u->mode = ChangelogMode::kUpdates;
      u->inputs.push_back(castTo(p, u->schema));
    }
    return u;
  }

  // The set operation's result columns: the first operand's names, each column's type
  // common to all operands.
  Result<Schema> commonSchema(const ast::Query& q, const std::vector<PlanPtr>& parts, const std::string& what) {
    Schema schema = parts[0]->schema;
    for (const auto& p : parts) {
      if (p->schema.size() != schema.size()) {
        return sqlError(q.pos, what + " operands have " + std::to_string(schema.size()) + " and " +
                                   std::to_string(p->schema.size()) + " columns");
      }
      for (size_t c = 0; c < schema.size(); ++c) {
        LogicalType t;
        if (!commonType(schema[c].type, p->schema[c].type, &t)) {
          return sqlError(q.pos, what + " column " + std::to_string(c + 1) + ": types " + schema[c].type.toString() +
                                     " and " + p->schema[c].type.toString() + " have no common type");
        }
        schema[c].type = t;
      }
    }
    return schema;
  }

  // The distinct rows of `input` (a GROUP BY of every column).
  static PlanPtr distinctRows(const PlanPtr& input) {
    auto distinct = std::make_shared<PlanNode>();
    distinct->kind = PlanNode::Kind::kGroupAggregate;
    distinct->inputs = {input};
    distinct->mode = ChangelogMode::kUpdates;
    for (size_t c = 0; c < input->schema.size(); ++c) {
      distinct->keys.push_back(static_cast<int>(c));
      LogicalType t = input->schema[c].type.plain();
      distinct->schema.push_back({input->schema[c].name, t});
    }
    return distinct;
  }

  // INTERSECT ALL (`except` false) or EXCEPT ALL, as Flink rewrites them: both sides'
  // rows tagged and counted per distinct row, each row then replicated min(left, right)
  // (or left - right) times by a table function.
  Result<PlanPtr> countedSetOperation(const ast::Query& q, const PlanPtr& left, const PlanPtr& right, bool except) {
    EDDY_ASSIGN_OR_RETURN(Schema schema, commonSchema(q, {left, right}, except ? "EXCEPT ALL" : "INTERSECT ALL"));
    const int width = static_cast<int>(schema.size());
    auto tagged = [&](const PlanPtr& side, bool is_left) {
      PlanPtr calc = castTo(side, schema);
      auto tag = keepColumns(calc, std::vector<bool>(calc->schema.size(), true));
      for (int k = 0; k < 2; ++k) {
        const bool one = (k == 0) == is_left;
        tag->projections.push_back(std::make_shared<Literal>(Value::ofInt(one ? 1 : 0), LogicalType::bigint().notNull(),
                                                             one ? "1" : "0"));
        tag->schema.push_back({k == 0 ? "$l" : "$r", LogicalType::bigint().notNull()});
      }
      return PlanPtr(tag);
    };
    EDDY_ASSIGN_OR_RETURN(PlanPtr u, unionAll(q, {tagged(left, true), tagged(right, false)}, "UNION ALL"));
    auto counts = std::make_shared<PlanNode>();
    counts->kind = PlanNode::Kind::kGroupAggregate;
    counts->inputs = {u};
    counts->mode = ChangelogMode::kUpdates;
    for (int c = 0; c < width; ++c) {
      counts->keys.push_back(c);
      counts->schema.push_back({schema[static_cast<size_t>(c)].name, schema[static_cast<size_t>(c)].type.plain()});
    }
    for (int k = 0; k < 2; ++k) {
      AggregateCall sum;
      sum.kind = AggKind::kSum0;
      sum.arg = width + k;
      sum.arg_type = LogicalType::bigint().notNull();
      sum.type = sum.arg_type;
      sum.retractable = u->mode == ChangelogMode::kUpdates;
      sum.name = "$SUM0($" + std::to_string(width + k) + ")";
      counts->aggs.push_back(sum);
      counts->schema.push_back({k == 0 ? "$cl" : "$cr", sum.type});
    }
    // Each counted row as many times as it is in the result.
    auto replicate = std::make_shared<TableFunction>();
    replicate->argument_types = {LogicalType::bigint()};
    replicate->result = {{"$copy", LogicalType::bigint().notNull()}};
    replicate->eval = [](const std::vector<Value>& args, const std::function<void(std::vector<Value>)>& collect) {
      for (int64_t i = 0; !args[0].null && i < args[0].i; ++i) collect({Value::ofInt(i)});
    };
    std::vector<ExprP> both;
    both.push_back(std::make_unique<InputRef>(width, LogicalType::bigint().notNull()));
    both.push_back(std::make_unique<InputRef>(width + 1, LogicalType::bigint().notNull()));
    auto times = std::make_shared<RowCall>(
        except ? "EXCEPT_COUNT" : "INTERSECT_COUNT", LogicalType::bigint().notNull(), std::move(both),
        [except](const std::vector<Value>& v) {
          return Value::ofInt(except ? std::max<int64_t>(v[0].i - v[1].i, 0) : std::min(v[0].i, v[1].i));
        }, true);
    auto correlate = std::make_shared<PlanNode>();
    correlate->kind = PlanNode::Kind::kCorrelate;
    correlate->inputs = {counts};
    correlate->table_function = replicate;
    correlate->join_type = JoinType::kInner;
    correlate->mode = ChangelogMode::kUpdates;
    correlate->projections = {times};
    correlate->schema = counts->schema;
    correlate->schema.push_back(replicate->result[0]);
    return firstColumns(correlate, static_cast<size_t>(width));
  }

  // INTERSECT (`anti` false) or EXCEPT: the distinct rows of `left` with (without) an
  // equal row in `right`, every column compared with NULLs equal (each as the pair
  // "is NULL", COALESCE(value, zero)).
  Result<PlanPtr> semiOrAntiOnAllColumns(const ast::Query& q, const PlanPtr& left, const PlanPtr& right, bool anti) {
    const std::string what = anti ? "EXCEPT" : "INTERSECT";
    EDDY_ASSIGN_OR_RETURN(Schema schema, commonSchema(q, {left, right}, what));
    PlanPtr l = distinctRows(castTo(left, schema));
    PlanPtr r = castTo(right, schema);
    std::vector<ExprP> needles, values;
    for (size_t c = 0; c < schema.size(); ++c) {
      const LogicalType t = schema[c].type.plain().withNullable(true);
      for (auto* side : {&needles, &values}) {
        const LogicalType& col = (side == &needles ? l : r)->schema[c].type;
        side->push_back(std::make_unique<IsCall>(IsCall::What::kNull, std::make_unique<InputRef>(static_cast<int>(c), col)));
        Value zero;
        zero.null = false;
        std::vector<ExprP> args;
        args.push_back(std::make_unique<InputRef>(static_cast<int>(c), col));
        args.push_back(std::make_unique<Literal>(zero, t.withNullable(false), "0"));
        side->push_back(std::make_unique<RowCall>(
            "COALESCE", t.withNullable(false), std::move(args),
            [](const std::vector<Value>& v) { return v[0].null ? v[1] : v[0]; }, false));
      }
    }
    return subqueryJoin(l, std::move(needles), r, std::move(values), anti, false, q.pos);
  }

  // VALUES (e, ...), ...: each value a constant, evaluated now; each column of the common
  // type of its values (named EXPR$0, ...), as Flink's Values. Read as a bounded table.
  Result<PlanPtr> valuesTable(const ast::TableRef& ref) {
    const size_t width = ref.rows[0].size();
    std::vector<std::vector<Value>> values(ref.rows.size());
    std::vector<std::vector<LogicalType>> types(ref.rows.size());
    std::vector<LogicalType> column(width);
    Scope none;
    RecordBatch one;
    one.kinds.push_back(RowKind::kInsert);
    for (size_t r = 0; r < ref.rows.size(); ++r) {
      for (size_t c = 0; c < width; ++c) {
        const Expr& e = *ref.rows[r][c];
        Result<ExprP> bound = expr(e, none);
        if (!bound.isOk()) return sqlError(e.pos, "a VALUES value must be a constant: " + bound.status().message());
        try {
          values[r].push_back(valueAt((*bound)->eval(one), 0));
        } catch (const std::exception& ex) {
          return sqlError(e.pos, ex.what());
        }
        types[r].push_back((*bound)->type());
        if (r == 0) {
          column[c] = (*bound)->type();
        } else if (!commonType(column[c], (*bound)->type(), &column[c])) {
          return sqlError(e.pos, "VALUES column " + std::to_string(c + 1) + " mixes " + column[c].toString() + " and " +
                                     (*bound)->type().toString());
        }
      }
    }
    auto table = std::make_shared<TableDef>();
    table->name = "Values";
    table->inline_values = true;
    table->options["connector"] = "values";
    auto data = std::make_shared<ValuesData>();
    for (size_t c = 0; c < width; ++c) {
      if (column[c].id == TypeId::kNull) {
        return sqlError(ref.rows[0][c]->pos, "VALUES column " + std::to_string(c + 1) +
                                                 " is NULL in every row: CAST one of them to its type");
      }
      LogicalType t = column[c].plain();
      if (t.id == TypeId::kChar) t = LogicalType::of(TypeId::kVarchar, t.precision).withNullable(t.nullable);
      table->schema.push_back({"EXPR$" + std::to_string(c), t});
    }
    for (size_t r = 0; r < values.size(); ++r) {
      ValuesData::Item item;
      for (size_t c = 0; c < width; ++c) {
        Value v;
        std::string error;
        if (!castValue(values[r][c], types[r][c], table->schema[c].type, v, &error)) {
          return sqlError(ref.rows[r][c]->pos, "VALUES value cannot be a " + table->schema[c].type.toString() +
                                                   (error.empty() ? "" : ": " + error));
        }
        item.values.push_back(std::move(v));
      }
      item.nulls.assign(width, false);
      data->items.push_back(std::move(item));
    }
    return valuesScan(std::move(table), std::move(data));
  }

  // A scan of `data`, the rows of `table` (a Values table whose schema is set).
  static PlanPtr valuesScan(std::shared_ptr<TableDef> table, std::shared_ptr<ValuesData> data) {
    const size_t width = table->schema.size();
    table->values = std::move(data);
    table->computed.assign(width, false);
    table->computed_exprs.resize(width);
    table->computed_text.resize(width);
    table->metadata.assign(width, "");
    table->metadata_virtual.assign(width, false);
    auto scan = std::make_shared<PlanNode>();
    scan->kind = PlanNode::Kind::kScan;
    scan->table = table;
    scan->schema = table->schema;
    return scan;
  }

  // No rows with `input`'s columns, `input` not read at all (Flink's PruneEmptyRules
  // make LIMIT 0 an empty Values, so the job ends at once even over an endless source).
  static PlanPtr emptyValues(const PlanPtr& input) {
    auto table = std::make_shared<TableDef>();
    table->name = "Values";
    table->inline_values = true;
    table->options["connector"] = "values";
    for (ColumnSchema c : input->schema) {
      c.type = c.type.plain();
      table->schema.push_back(c);
    }
    return valuesScan(std::move(table), std::make_shared<ValuesData>());
  }

  // The conjunction of `conds` (at least one).
  static ExprP andAll(std::vector<ExprP> conds) {
    if (conds.size() == 1) return std::move(conds[0]);
    return std::make_unique<LogicalCall>(LogicalCall::Op::kAnd, std::move(conds));
  }

  // `input`'s rows for which `cond` holds: a Calc with the identity projection.
  static PlanPtr filtered(const PlanPtr& input, ExprP cond) {
    PlanPtr calc = keepColumns(input, std::vector<bool>(input->schema.size(), true));
    calc->filter = std::shared_ptr<const Expression>(std::move(cond));
    return calc;
  }

  // A Top-N node over `input` (ordering, partitioning and limit to fill in). Output: the
  // input's columns, then the row number.
  static std::shared_ptr<PlanNode> rankNode(const PlanPtr& input) {
    auto rank = std::make_shared<PlanNode>();
    rank->kind = PlanNode::Kind::kRank;
    rank->inputs.push_back(input);
    rank->mode = ChangelogMode::kUpdates;
    rank->rank.append_only_input = input->mode == ChangelogMode::kInsertOnly;
    rank->rank.input_types = typesOf(input->schema);
    rank->schema = input->schema;
    for (auto& c : rank->schema) c.type = c.type.plain();
    rank->schema.push_back({"w0$o0", LogicalType::bigint().notNull()});
    return rank;
  }

  // All of `input`'s columns as a regular join's input: without time attributes, which a
  // regular join does not keep.
  static PlanPtr regularJoinInput(const PlanPtr& input) {
    PlanPtr p = keepColumns(input, std::vector<bool>(input->schema.size(), true));
    for (auto& col : p->schema) col.type = col.type.plain();
    p->rowtime = -1;
    return p;
  }

  // The first `n` columns of `input`.
  static PlanPtr firstColumns(const PlanPtr& input, size_t n) {
    std::vector<bool> keep(input->schema.size(), false);
    std::fill(keep.begin(), keep.begin() + static_cast<long>(n), true);
    return keepColumns(input, keep);
  }

  // JOIN ... USING (c, ...): the conditions left.c = right.c, and in `scope` the side
  // whose copy of each c is not the join's (the right one; the left one for a RIGHT
  // join) hidden from SELECT * and unqualified names. A FULL join's c is neither copy
  // but COALESCE(left.c, right.c): both copies are hidden and `coalesced` gets their
  // scope indexes, for coalesceUsing to add that column after the join.
  Status usingConditions(const ast::TableRef& ref, const Scope& left, const Scope& right, Scope& scope,
                         std::vector<const Expr*>& conjuncts, std::vector<std::pair<size_t, size_t>>& coalesced) {
    const bool full = ref.join == ast::TableRef::JoinType::kFull;
    auto find = [&](const Scope& side, const std::string& c, const char* which) -> Result<int> {
      int found = -1;
      for (size_t i = 0; i < side.fields.size(); ++i) {
        if (side.fields[i].name != c || side.fields[i].hidden) continue;
        if (found >= 0) return sqlError(ref.pos, "Column '" + c + "' in USING is ambiguous on the " + which + " side");
        found = static_cast<int>(i);
      }
      if (found < 0) return sqlError(ref.pos, "Column '" + c + "' in USING not found on the " + which + " side");
      return found;
    };
    auto columnRef = [&](const Field& f) {
      auto e = std::make_unique<Expr>();
      e->kind = Expr::Kind::kColumn;
      e->pos = ref.pos;
      if (!f.qualifier.empty()) e->names.push_back(f.qualifier);
      e->names.push_back(f.name);
      return e;
    };
    const size_t left_width = left.fields.size();
    std::vector<std::string> columns = ref.using_columns;
    if (ref.natural) {  // Every column name both sides have.
      for (const Field& f : left.fields) {
        bool common = false;
        for (const Field& g : right.fields) common = common || (!g.hidden && g.name == f.name);
        if (!f.hidden && common && std::find(columns.begin(), columns.end(), f.name) == columns.end()) {
          columns.push_back(f.name);
        }
      }
      if (columns.empty()) return sqlError(ref.pos, "NATURAL JOIN: the two sides have no column name in common");
    }
    for (const std::string& c : columns) {
      EDDY_ASSIGN_OR_RETURN(int l, find(left, c, "left"));
      EDDY_ASSIGN_OR_RETURN(int r, find(right, c, "right"));
      if (left.fields[static_cast<size_t>(l)].qualifier.empty() || right.fields[static_cast<size_t>(r)].qualifier.empty()) {
        return sqlError(ref.pos, "JOIN ... USING needs named inputs: give the subquery an alias");
      }
      auto eq = std::make_unique<Expr>();
      eq->kind = Expr::Kind::kCall;
      eq->name = "=";
      eq->pos = ref.pos;
      eq->args.push_back(columnRef(left.fields[static_cast<size_t>(l)]));
      eq->args.push_back(columnRef(right.fields[static_cast<size_t>(r)]));
      conjuncts.push_back(eq.get());
      synthetic_.push_back(std::move(eq));
      const bool right_join = ref.join == ast::TableRef::JoinType::kRight;
      const size_t left_copy = static_cast<size_t>(l), right_copy = left_width + static_cast<size_t>(r);
      if (full) {
        scope.fields[left_copy].hidden = true;
        scope.fields[right_copy].hidden = true;
        coalesced.emplace_back(left_copy, right_copy);
        continue;
      }
      scope.fields[right_join ? left_copy : right_copy].hidden = true;
      scope.fields[right_join ? right_copy : left_copy].using_order = static_cast<int>(&c - &columns[0]);
    }
    return Status::ok();
  }

  // A FULL JOIN ... USING's columns: `join` and, after its columns, COALESCE(left.c,
  // right.c) for each pair, unqualified in `scope` (either side's copy stays reachable
  // by its qualified name), as Calcite plans it for Flink.
  Result<PlanPtr> coalesceUsing(PlanPtr join, Scope& scope, const std::vector<std::pair<size_t, size_t>>& coalesced,
                                Pos pos) {
    if (coalesced.empty()) return join;
    PlanPtr calc = keepColumns(join, std::vector<bool>(join->schema.size(), true));
    for (size_t k = 0; k < coalesced.size(); ++k) {
      const auto [l, r] = coalesced[k];
      std::vector<ExprP> args;
      args.push_back(std::make_unique<InputRef>(static_cast<int>(l), join->schema[l].type));
      args.push_back(std::make_unique<InputRef>(static_cast<int>(r), join->schema[r].type));
      EDDY_ASSIGN_OR_RETURN(ExprP value, bindCall("COALESCE", std::move(args), pos));
      const std::string& name = scope.fields[l].name;
      calc->schema.push_back({name, value->type()});
      calc->projections.push_back(std::shared_ptr<const Expression>(std::move(value)));
      Field f{"", name, calc->schema.back().type};
      f.using_order = static_cast<int>(k);
      scope.fields.push_back(f);
    }
    return calc;
  }

  // A regular join. `where` (an inner or cross join directly under SELECT) joins the ON
  // condition, so that `FROM a, b WHERE a.k = b.k` is keyed like `a JOIN b ON ...`.
  Result<PlanPtr> join(const ast::TableRef& ref, Scope& scope, const std::vector<const Expr*>& where) {
    if (ref.right->kind == ast::TableRef::Kind::kLateral) return correlate(ref, scope, where);
    if (ref.right->kind == ast::TableRef::Kind::kSubquery && ref.right->lateral) return lateralSubquery(ref, scope, where);
    Scope left_scope, right_scope;
    EDDY_ASSIGN_OR_RETURN(PlanPtr left, from(*ref.left, left_scope));
    PlanPtr right;
    int as_of = -1;  // An event-time temporal join: the left rowtime column.
    if (ref.right->system_time) {
      EDDY_ASSIGN_OR_RETURN(ExprP t, expr(*ref.right->system_time, left_scope));
      if (!t->type().rowtime) return lookupJoin(ref, scope, where);
      as_of = dynamic_cast<const InputRef*>(t.get()) ? dynamic_cast<const InputRef*>(t.get())->index() : -1;
      if (as_of < 0) {
        return sqlError(ref.right->system_time->pos, "FOR SYSTEM_TIME AS OF needs a time attribute column");
      }
      EDDY_ASSIGN_OR_RETURN(right, namedTable(ref.right->name, ref.right->pos));
      right_scope = scopeOf(right->schema, ref.right->alias.empty() ? ref.right->name : ref.right->alias);
      EDDY_ASSIGN_OR_RETURN(right, renameColumns(right, *ref.right, right_scope));
    } else {
      EDDY_ASSIGN_OR_RETURN(right, from(*ref.right, right_scope));
    }
    scope.fields = left_scope.fields;
    scope.fields.insert(scope.fields.end(), right_scope.fields.begin(), right_scope.fields.end());
    const int left_width = static_cast<int>(left->schema.size());

    auto node = std::make_shared<PlanNode>();
    node->kind = PlanNode::Kind::kJoin;
    node->inputs = {left, right};
    EDDY_ASSIGN_OR_RETURN(node->hinted_ttl_ms[0], hintedTtl(*ref.left));
    EDDY_ASSIGN_OR_RETURN(node->hinted_ttl_ms[1], hintedTtl(*ref.right));
    using J = ast::TableRef::JoinType;
    node->join_type = ref.join == J::kLeft    ? JoinType::kLeft
                      : ref.join == J::kRight ? JoinType::kRight
                      : ref.join == J::kFull  ? JoinType::kFull
                                              : JoinType::kInner;
    std::vector<const Expr*> conjuncts;
    if (ref.on) splitConjuncts(*ref.on, conjuncts);
    std::vector<std::pair<size_t, size_t>> coalesced;  // FULL JOIN ... USING's pairs.
    if (!ref.using_columns.empty() || ref.natural) {
      EDDY_RETURN_IF_ERROR(usingConditions(ref, left_scope, right_scope, scope, conjuncts, coalesced));
    }
    conjuncts.insert(conjuncts.end(), where.begin(), where.end());
    std::vector<ExprP> residual, left_filters, right_filters;
    // Conditions bounding one input's rowtime by the other's make an interval join.
    std::vector<const Expr*> time_conjuncts;
    std::vector<TimeBound> bounds;
    for (const Expr* c : conjuncts) {
      std::vector<TimeBound> found = timeBounds(*c, scope, left_width);
      if (found.empty()) continue;
      time_conjuncts.push_back(c);
      bounds.insert(bounds.end(), found.begin(), found.end());
    }
    const bool interval = as_of < 0 && intervalJoin(bounds, *node);
    for (const Expr* c : conjuncts) {
      if (containsAggregate(*c)) return sqlError(c->pos, "aggregate functions are not allowed in a join condition");
      if (interval && std::find(time_conjuncts.begin(), time_conjuncts.end(), c) != time_conjuncts.end()) continue;
      if (c->kind == Expr::Kind::kCall && c->name == "=" && c->args.size() == 2) {
        EDDY_ASSIGN_OR_RETURN(ExprP a, expr(*c->args[0], scope));
        EDDY_ASSIGN_OR_RETURN(ExprP b, expr(*c->args[1], scope));
        auto* ra = dynamic_cast<InputRef*>(a.get());
        auto* rb = dynamic_cast<InputRef*>(b.get());
        if (ra && rb && (ra->index() < left_width) != (rb->index() < left_width) &&
            keyCompatible(ra->type(), rb->type())) {
          if (ra->index() > rb->index()) std::swap(ra, rb);
          node->left_keys.push_back(ra->index());
          node->right_keys.push_back(rb->index() - left_width);
          continue;
        }
      }
      EDDY_ASSIGN_OR_RETURN(ExprP e, joinCondition(*c, scope));
      // A condition on one side only filters that side before the join (Flink's
      // FilterJoinRule), unless that side is preserved by an outer join.
      std::vector<bool> reads(scope.fields.size(), false);
      markInputs(*e, reads);
      bool on_left = false, on_right = false;
      for (size_t i = 0; i < reads.size(); ++i) (i < static_cast<size_t>(left_width) ? on_left : on_right) |= reads[i];
      if (on_left && !on_right && node->join_type != JoinType::kLeft && node->join_type != JoinType::kFull) {
        left_filters.push_back(std::move(e));
      } else if (on_right && !on_left && node->join_type != JoinType::kRight && node->join_type != JoinType::kFull &&
                 as_of < 0) {
        // (Not below a versioned table: that would hide a version and show an older one.)
        right_filters.push_back(e->cloneWith([&](int index, const LogicalType& type) {
          return std::make_unique<InputRef>(index - left_width, type);
        }));
      } else {
        residual.push_back(std::move(e));
      }
    }
    if (!residual.empty()) node->filter = std::shared_ptr<const Expression>(andAll(std::move(residual)));
    bool window = false;
    if (as_of < 0 && !interval) {
      EDDY_ASSIGN_OR_RETURN(window, windowJoin(*node, left, right, ref.pos));
    }
    if (!left_filters.empty()) node->inputs[0] = filtered(node->inputs[0], andAll(std::move(left_filters)));
    if (!right_filters.empty()) node->inputs[1] = filtered(node->inputs[1], andAll(std::move(right_filters)));
    // Flink: a regular join's output has no time attributes, an interval join keeps
    // them, and the outer join's other side becomes nullable.
    bool left_nullable = node->join_type == JoinType::kRight || node->join_type == JoinType::kFull;
    bool right_nullable = node->join_type == JoinType::kLeft || node->join_type == JoinType::kFull;
    std::set<std::string> used;
    for (int side = 0; side < 2; ++side) {
      for (const auto& c : node->inputs[static_cast<size_t>(side)]->schema) {
        std::string name = c.name;
        for (int k = 0; used.count(name); ++k) name = c.name + std::to_string(k);
        used.insert(name);
        const bool nullable = side == 0 ? left_nullable : right_nullable;
        const bool keeps_time = interval || (as_of >= 0 && side == 0);
        LogicalType t = keeps_time && !nullable ? c.type : c.type.plain();
        if (nullable) t.nullable = true;
        node->schema.push_back({name, t});
      }
    }
    for (size_t f = 0; f < scope.fields.size(); ++f) scope.fields[f].type = node->schema[f].type;
    bool updates = left->mode == ChangelogMode::kUpdates || right->mode == ChangelogMode::kUpdates;
    if (as_of >= 0) return temporalJoin(ref, node, as_of);
    if (window) {
      if (updates) return sqlError(ref.pos, "a window join does not support consuming update and delete changes");
      return coalesceUsing(node, scope, coalesced, ref.pos);  // Append-only: a window's rows come out as it fires.
    }
    if (interval) {
      if (updates) {
        return sqlError(ref.pos, "an interval join does not support consuming update and delete changes");
      }
      // The output's rowtime: the left input's, or the right's when only it is kept.
      if (!left_nullable && left->rowtime >= 0) {
        node->rowtime = left->rowtime;
      } else if (!right_nullable && right->rowtime >= 0) {
        node->rowtime = left_width + right->rowtime;
      }
      return coalesceUsing(node, scope, coalesced, ref.pos);
    }
    node->mode = updates || node->join_type != JoinType::kInner ? ChangelogMode::kUpdates : ChangelogMode::kInsertOnly;
    return coalesceUsing(node, scope, coalesced, ref.pos);
  }

  // `FROM t, LATERAL (SELECT ... FROM u WHERE u.k = t.k AND ... [GROUP BY ...] [ORDER BY
  // ... LIMIT n]) [AS x (a, ...)]` (also CROSS JOIN, JOIN ... ON cond, LEFT JOIN ... ON
  // TRUE), decorrelated as Calcite does: the subquery runs once over all of u keeping its
  // correlation columns u.k (grouped by them too when it groups, its LIMIT a Top-N per
  // value of them), and is joined with t on t.k = u.k. Correlated by equalities only.
  Result<PlanPtr> lateralSubquery(const ast::TableRef& ref, Scope& scope, const std::vector<const Expr*>& where) {
    using J = ast::TableRef::JoinType;
    if (ref.join != J::kInner && ref.join != J::kCross && ref.join != J::kLeft) {
      return sqlError(ref.pos, "a LATERAL join is a comma, CROSS, INNER or LEFT join");
    }
    if (ref.join == J::kLeft && ref.on && !isTrue(ref.on.get())) {
      return sqlError(ref.on->pos, "a LEFT JOIN LATERAL only supports ON TRUE, as in Flink");
    }
    Scope left_scope;
    EDDY_ASSIGN_OR_RETURN(PlanPtr left, from(*ref.left, left_scope));
    return lateralOver(ref, left, left_scope, scope, where);
  }
  // The same over `left`'s rows (named by `left_scope`, its first columns); `ref.left`
  // is not read.
  Result<PlanPtr> lateralOver(const ast::TableRef& ref, const PlanPtr& left, const Scope& left_scope, Scope& scope,
                              const std::vector<const Expr*>& where) {
    const ast::TableRef& lateral = *ref.right;
    const bool left_join = ref.join == ast::TableRef::JoinType::kLeft;
    const bool on_true = !ref.on || isTrue(ref.on.get());
    const ast::Query& q = *lateral.query;
    if (q.selects.size() != 1 || !q.selects[0] || !q.with.empty() || q.offset || !q.selects[0]->from) {
      return sqlError(lateral.pos, "a LATERAL subquery must be a single SELECT ... FROM");
    }
    const ast::Select& s = *q.selects[0];
    Planner sub = nested();
    Scope inner;
    EDDY_ASSIGN_OR_RETURN(PlanPtr right, sub.from(*s.from, inner));
    std::vector<const Expr*> conjuncts;
    if (s.where) splitConjuncts(*s.where, conjuncts);
    std::vector<ExprP> filters;
    std::vector<Correlation> pairs;
    std::vector<const Expr*> residual;
    EDDY_RETURN_IF_ERROR(splitCorrelation(conjuncts, sub, inner, left_scope, filters, pairs, &residual));
    const bool grouped = !s.group_by.empty() || s.having;
    bool aggregates = grouped;
    for (const auto& item : s.items) aggregates = aggregates || containsAggregate(*item.expr);
    // Neither aggregating nor limiting, and reading the outer row beyond equalities: a join.
    if (!aggregates && !q.limit && !s.distinct) {
      bool reads_outer = !residual.empty();
      for (const auto& item : s.items) {
        reads_outer = reads_outer || (item.expr->kind != Expr::Kind::kStar && !sub.expr(*item.expr, inner).isOk());
      }
      if (reads_outer) {
        if (!filters.empty()) right = filtered(right, andAll(std::move(filters)));
        return lateralJoin(ref, left, left_scope, right, inner, std::move(pairs), residual, left_join, scope);
      }
    }
    // The outer row's columns its SELECT list reads other than those its WHERE equates
    // with its own (those read as the inner ones).
    std::vector<ExprP> outer_reads;
    std::vector<const Expr*> read;
    for (const auto& item : s.items) {
      if (item.expr->kind != Expr::Kind::kStar) columnsOf(*item.expr, read);
    }
    for (const Expr* c : read) {
      if (sub.expr(*c, inner).isOk()) continue;
      Result<ExprP> o = expr(*c, left_scope);
      if (!o.isOk()) continue;
      const bool equated = std::any_of(pairs.begin(), pairs.end(),
                                       [&](const Correlation& p) { return p.outer->toString() == (*o)->toString(); });
      if (!equated) outer_reads.push_back(std::move(*o));
    }
    // Correlated beyond equalities, or reading such outer columns, it runs over a value
    // generator: the distinct outer values its correlation and SELECT list read, joined
    // with its own rows by the correlation; it is then grouped (or ranked) per generated
    // row rather than per correlation column, and reads those columns from it.
    const bool generated = !residual.empty() || !outer_reads.empty();
    const bool correlated = !pairs.empty() || generated;
    // Aggregating without GROUP BY, the subquery has one row for every outer row: it is
    // grouped by its correlation columns and LEFT JOINed, and a COUNT of no rows reads 0.
    const bool one_row_each = correlated && aggregates && !grouped;
    if (one_row_each) {
      for (const auto& item : s.items) {
        const bool bare_count = item.expr->kind == Expr::Kind::kCall && item.expr->name == "COUNT";
        if (!bare_count && containsCount(*item.expr)) {
          return sqlError(item.pos, "a correlated LATERAL subquery that aggregates without GROUP BY may use COUNT "
                                    "only as a whole column");
        }
      }
    }
    if (correlated && grouped && s.has_grouping_sets) {
      return sqlError(s.pos, "a correlated LATERAL subquery with GROUPING SETS, ROLLUP or CUBE is not supported yet");
    }
    if (correlated && q.limit && q.order_by.empty()) {
      return sqlError(lateral.pos, "a correlated LATERAL subquery with LIMIT needs an ORDER BY");
    }
    if (!filters.empty()) right = filtered(right, andAll(std::move(filters)));
    PlanPtr body_input = right;
    Scope body_scope = inner;
    ValueGenerator g;
    if (generated) {
      EDDY_ASSIGN_OR_RETURN(body_input, generatedRows(left, left_scope, pairs, right, inner, residual, outer_reads,
                                                      lateral.pos, g, body_scope));
    }
    // The columns it is grouped (ranked) per and joined back on: the correlation's inner
    // columns, or the generated ones.
    const size_t lat = generated ? g.columns.size() : pairs.size();
    // The subquery's SELECT over its filtered rows, with the correlation columns after
    // its own and, for ORDER BY ... LIMIT, the sort expressions it does not select.
    ast::Select body;
    body.pos = s.pos;
    body.distinct = s.distinct;
    // An outer column the WHERE equates with an inner one reads as that inner one (they
    // are equal in every joined row; an unmatched row of a LEFT join is padded anyway).
    std::function<ast::ExprPtr(const Expr&)> inwards = [&](const Expr& e) -> ast::ExprPtr {
      if (e.kind == Expr::Kind::kColumn && !sub.expr(e, inner).isOk()) {
        Result<ExprP> outer = expr(e, left_scope);
        for (const Correlation& p : pairs) {
          if (outer.isOk() && (*outer)->toString() == p.outer->toString()) return cloneExpr(*p.inner_ast);
        }
      }
      ast::ExprPtr c = cloneExpr(e);
      for (size_t i = 0; i < c->args.size(); ++i) c->args[i] = inwards(*e.args[i]);
      return c;
    };
    for (const auto& item : s.items) {
      // An unaliased outer column keeps its own name.
      std::string alias = item.alias;
      if (alias.empty() && item.expr->kind == Expr::Kind::kColumn) alias = item.expr->names.back();
      body.items.push_back({inwards(*item.expr), alias, item.pos});
    }
    for (const auto& g : s.group_by) body.group_by.push_back(cloneExpr(*g));
    if (s.having) body.having = cloneExpr(*s.having);
    for (size_t i = 0; i < lat; ++i) {
      ast::ExprPtr column =
          generated ? generatedColumn(g.scope.fields[i], lateral.pos) : cloneExpr(*pairs[i].inner_ast);
      if (grouped || one_row_each) body.group_by.push_back(cloneExpr(*column));
      body.items.push_back({std::move(column), "$lat" + std::to_string(i), lateral.pos});
    }
    EDDY_ASSIGN_OR_RETURN(PlanPtr selected, sub.selectOver(body, body_input, body_scope));
    const size_t width = selected->schema.size() - lat;  // The subquery's own columns.
    if (q.limit) {
      if (*q.limit < 1) return sqlError(q.pos, "LIMIT must be at least 1");
      std::vector<const Expr*> hidden;  // ORDER BY expressions that are not result columns.
      Scope sorted_scope = scopeOf(selected->schema, "");
      for (const auto& item : q.order_by) {
        if (!sub.orderKey(*item.expr, sorted_scope, selected->schema).isOk()) hidden.push_back(item.expr.get());
      }
      if (!hidden.empty()) {
        for (size_t i = 0; i < hidden.size(); ++i) {
          body.items.push_back({cloneExpr(*hidden[i]), "$ord" + std::to_string(i), hidden[i]->pos});
          sub.hidden_columns_[hidden[i]] = static_cast<int>(selected->schema.size() + i);
        }
        EDDY_ASSIGN_OR_RETURN(selected, sub.selectOver(body, body_input, body_scope));
      }
      auto rank = rankNode(selected);
      rank->rank.limit = *q.limit;
      for (size_t i = 0; i < lat; ++i) rank->rank.partition.push_back(static_cast<int>(width + i));
      for (const auto& item : q.order_by) {
        EDDY_ASSIGN_OR_RETURN(ExprP e, sub.orderKey(*item.expr, sorted_scope, selected->schema));
        auto* col = dynamic_cast<InputRef*>(e.get());
        if (!col) return sqlError(item.expr->pos, "ORDER BY with LIMIT takes columns of the result");
        rank->rank.order.push_back(col->index());
        rank->rank.descending.push_back(item.desc);
        rank->rank.nulls_first.push_back(item.nulls_first);
      }
      for (const Expr* h : hidden) sub.hidden_columns_.erase(h);
      selected = firstColumns(rank, width + lat);  // Without the row number and hidden sort columns.
    }
    // Joined on outer = inner correlation column; the join's keys and the correlation
    // columns are dropped after it.
    PlanPtr left_in = regularJoinInput(left);
    auto right_in = regularJoinInput(selected);
    const int left_width = static_cast<int>(left->schema.size());
    std::vector<ExprP> needles, values;
    if (generated) {  // Null-safely on the generated columns: a NULL outer value may have matched.
      std::vector<int> mine(lat);
      for (size_t i = 0; i < lat; ++i) mine[i] = static_cast<int>(width + i);
      needles.push_back(nullSafeKey(g.columns, left->schema));
      values.push_back(nullSafeKey(mine, selected->schema));
    } else {
      for (size_t i = 0; i < pairs.size(); ++i) {
        needles.push_back(std::move(pairs[i].outer));
        const auto c = static_cast<int>(width + i);
        values.push_back(std::make_unique<InputRef>(c, selected->schema[static_cast<size_t>(c)].type));
      }
    }
    const size_t keys = needles.size();
    auto left_keyed = std::make_shared<PlanNode>(*left_in);
    auto right_keyed = std::make_shared<PlanNode>(*right_in);
    EDDY_RETURN_IF_ERROR(addMatchKeys(std::move(needles), std::move(values), *left_keyed, *right_keyed, lateral.pos));
    const bool outer = left_join || one_row_each;
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanNode::Kind::kJoin;
    node->inputs = {left_keyed, right_keyed};
    node->join_type = outer ? JoinType::kLeft : JoinType::kInner;
    node->schema = left_keyed->schema;
    for (auto col : right_keyed->schema) {
      if (outer) col.type.nullable = true;
      node->schema.push_back(col);
    }
    const int left_keyed_width = static_cast<int>(left_keyed->schema.size());
    for (size_t i = 0; i < keys; ++i) {
      node->left_keys.push_back(left_width + static_cast<int>(i));
      node->right_keys.push_back(static_cast<int>(right_in->schema.size() + i));
    }
    const bool updates = left->mode != ChangelogMode::kInsertOnly || selected->mode != ChangelogMode::kInsertOnly;
    node->mode = updates || outer ? ChangelogMode::kUpdates : ChangelogMode::kInsertOnly;
    std::vector<bool> keep(node->schema.size(), false);
    std::fill(keep.begin(), keep.begin() + left_width, true);
    std::fill(keep.begin() + left_keyed_width, keep.begin() + left_keyed_width + static_cast<long>(width), true);
    PlanPtr joined = keepColumns(node, keep);
    if (one_row_each) {
      // An outer row no subquery row matched: its COUNTs are 0, not NULL.
      PlanPtr counted = joined;  // keepColumns made a Calc of the kept columns.
      for (size_t i = 0; i < s.items.size() && i < width; ++i) {
        const Expr& item = *s.items[i].expr;
        if (item.kind != Expr::Kind::kCall || item.name != "COUNT") continue;
        const size_t c = static_cast<size_t>(left_width) + i;
        const LogicalType t = counted->schema[c].type.withNullable(false);
        std::vector<ExprP> args;
        args.push_back(ExprP(counted->projections[c]->clone()));
        args.push_back(std::make_unique<Literal>(Value::ofInt(0), LogicalType::bigint().notNull(), "0"));
        counted->projections[c] = std::make_shared<RowCall>(
            "COALESCE", t, std::move(args), [](const std::vector<Value>& v) { return v[0].null ? v[1] : v[0]; }, false);
        counted->schema[c].type = t;
      }
      joined = counted;
    }
    if (!lateral.column_aliases.empty() && lateral.column_aliases.size() != width) {
      return sqlError(lateral.pos, "alias list has " + std::to_string(lateral.column_aliases.size()) + " names for " +
                                       std::to_string(width) + " columns");
    }
    scope.fields = left_scope.fields;
    for (size_t c = 0; c < width; ++c) {
      const std::string name = lateral.column_aliases.empty() ? selected->schema[c].name : lateral.column_aliases[c];
      scope.fields.push_back({lateral.alias, name, joined->schema[static_cast<size_t>(left_width) + c].type});
    }
    // An inner join's ON and the WHERE's conditions on both filter the joined rows.
    std::vector<const Expr*> conds(where.begin(), where.end());
    if (!on_true) splitConjuncts(*ref.on, conds);
    if (conds.empty()) return joined;
    std::vector<ExprP> bound;
    for (const Expr* c : conds) {
      EDDY_ASSIGN_OR_RETURN(ExprP e, joinCondition(*c, scope));
      bound.push_back(std::move(e));
    }
    return filtered(joined, andAll(std::move(bound)));
  }

  // `FROM t, LATERAL TABLE(f(t.x)) [AS T(a, b)]` (also CROSS JOIN, JOIN ... ON TRUE, or
  // LEFT JOIN ... ON TRUE): Flink's Correlate, the function's rows for each row of t.
  Result<PlanPtr> correlate(const ast::TableRef& ref, Scope& scope, const std::vector<const Expr*>& where) {
    return correlateWith(ref.left.get(), *ref.right, ref.join, ref.on.get(), ref.pos, scope, where);
  }
  // The same over `left_ref`'s rows, or over one row of no columns when there is none
  // (`SELECT * FROM UNNEST(ARRAY[...])`).
  Result<PlanPtr> correlateWith(const ast::TableRef* left_ref, const ast::TableRef& lateral,
                                ast::TableRef::JoinType join, const Expr* on, Pos pos, Scope& scope,
                                const std::vector<const Expr*>& where) {
    using J = ast::TableRef::JoinType;
    if (join != J::kInner && join != J::kCross && join != J::kLeft) {
      return sqlError(pos, "a LATERAL TABLE join is a comma, CROSS, INNER or LEFT join");
    }
    const bool left_join = join == J::kLeft;
    if (left_join && on && !isTrue(on)) {
      return sqlError(on->pos, "a LEFT JOIN LATERAL TABLE only supports ON TRUE, as in Flink");
    }
    Scope left_scope;
    PlanPtr left;
    if (left_ref) {
      EDDY_ASSIGN_OR_RETURN(left, from(*left_ref, left_scope));
    } else {
      EDDY_ASSIGN_OR_RETURN(left, oneRow(pos));
      left_scope = scopeOf(left->schema, "");
      for (auto& f : left_scope.fields) f.hidden = true;  // Not part of SELECT *.
    }
    std::shared_ptr<const TableFunction> function;
    if (lateral.name == "UNNEST") {
      if (lateral.call->args.size() != 1) return sqlError(lateral.call->pos, "UNNEST takes one ARRAY or MAP");
      EDDY_ASSIGN_OR_RETURN(ExprP a, expr(*lateral.call->args[0], left_scope));
      Result<std::shared_ptr<const TableFunction>> unnest = unnestFunction(a->type(), lateral.with_ordinality);
      if (!unnest.isOk()) return sqlError(lateral.call->args[0]->pos, unnest.status().message());
      function = *unnest;
    } else {
      auto f = catalog_.table_functions.find(lateral.name);
      if (f == catalog_.table_functions.end()) {
        std::vector<std::string> names;
        for (const auto& [n, fn] : catalog_.table_functions) names.push_back(n);
        return sqlError(lateral.call->pos, "No table function '" + lateral.name + "'" + didYouMean(lateral.name, names));
      }
      function = f->second;
    }
    const TableFunction& fn = *function;
    if (lateral.call->args.size() != fn.argument_types.size()) {
      return sqlError(lateral.call->pos, "table function " + lateral.name + " takes " +
                                             std::to_string(fn.argument_types.size()) + " arguments, not " +
                                             std::to_string(lateral.call->args.size()));
    }
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanNode::Kind::kCorrelate;
    node->inputs = {left};
    node->table_function = function;
    node->join_type = left_join ? JoinType::kLeft : JoinType::kInner;
    node->mode = left->mode;
    node->rowtime = left->rowtime;
    for (size_t i = 0; i < lateral.call->args.size(); ++i) {
      EDDY_ASSIGN_OR_RETURN(ExprP a, expr(*lateral.call->args[i], left_scope));
      LogicalType common;
      const LogicalType& want = fn.argument_types[i];
      if (a->type().id != TypeId::kNull && !commonType(a->type(), want, &common)) {
        return sqlError(lateral.call->args[i]->pos, "table function " + lateral.name + " argument " +
                                                        std::to_string(i + 1) + " must be " + want.toString() +
                                                        ", not " + a->type().toString());
      }
      node->projections.push_back(std::shared_ptr<const Expression>(coerce(std::move(a), want.withNullable(true))));
    }
    node->schema = left->schema;
    if (!lateral.column_aliases.empty() && lateral.column_aliases.size() != fn.result.size()) {
      return sqlError(lateral.pos, "alias list has " + std::to_string(lateral.column_aliases.size()) +
                                       " names for the " + std::to_string(fn.result.size()) + " columns of " +
                                       lateral.name);
    }
    scope.fields = left_scope.fields;
    const std::string qualifier = lateral.alias.empty() ? lateral.name : lateral.alias;
    for (size_t c = 0; c < fn.result.size(); ++c) {
      LogicalType t = fn.result[c].type.plain();
      if (left_join) t.nullable = true;
      std::string name = lateral.column_aliases.empty() ? fn.result[c].name : lateral.column_aliases[c];
      node->schema.push_back({name, t});
      scope.fields.push_back({qualifier, name, t});
    }
    // The rest of an inner join's condition filters the joined rows.
    std::vector<const Expr*> conds(where.begin(), where.end());
    if (on && !isTrue(on)) splitConjuncts(*on, conds);
    if (conds.empty()) return PlanPtr(node);
    std::vector<ExprP> bound;
    for (const Expr* c : conds) {
      EDDY_ASSIGN_OR_RETURN(ExprP e, joinCondition(*c, scope));
      bound.push_back(std::move(e));
    }
    return filtered(node, andAll(std::move(bound)));
  }

  // One conjunct of a join condition bound over the joined row's `scope`: boolean, and
  // without aggregates.
  Result<ExprP> joinCondition(const Expr& c, const Scope& scope) {
    if (containsAggregate(c)) return sqlError(c.pos, "aggregate functions are not allowed in a join condition");
    EDDY_ASSIGN_OR_RETURN(ExprP e, expr(c, scope));
    if (e->type().id != TypeId::kBoolean) {
      return sqlError(c.pos, "a join condition must be boolean, not " + e->type().toString());
    }
    return e;
  }

  // `JOIN t FOR SYSTEM_TIME AS OF s.proctime [AS alias] ON s.expr = t.col AND ...`: a
  // lookup join (Flink's processing-time temporal join against a lookup table). The
  // left side's key expressions become extra columns, dropped again after the join.
  Result<PlanPtr> lookupJoin(const ast::TableRef& ref, Scope& scope, const std::vector<const Expr*>& where) {
    const ast::TableRef& table_ref = *ref.right;
    if (ref.join != ast::TableRef::JoinType::kInner && ref.join != ast::TableRef::JoinType::kLeft) {
      return sqlError(ref.pos, "a lookup join (FOR SYSTEM_TIME AS OF) is INNER or LEFT");
    }
    Scope left_scope;
    EDDY_ASSIGN_OR_RETURN(PlanPtr left, from(*ref.left, left_scope));
    EDDY_ASSIGN_OR_RETURN(ExprP as_of, expr(*table_ref.system_time, left_scope));
    if (as_of->type().rowtime) {
      return sqlError(table_ref.system_time->pos,
                      "event-time temporal joins (FOR SYSTEM_TIME AS OF a rowtime, against a versioned table) are not "
                      "supported yet");
    }
    if (!as_of->type().proctime || !dynamic_cast<const InputRef*>(as_of.get())) {
      return sqlError(table_ref.system_time->pos,
                      "FOR SYSTEM_TIME AS OF needs a processing-time attribute of the left table, such as a "
                      "PROCTIME() column");
    }
    EDDY_ASSIGN_OR_RETURN(const std::string key, objectKeyOf(table_ref.name, table_ref.pos));
    auto t = catalog_.tables.find(key);
    if (t == catalog_.tables.end()) {
      return sqlError(table_ref.pos, "FOR SYSTEM_TIME AS OF needs a table; '" + table_ref.name + "' is not one");
    }
    auto scan = std::make_shared<PlanNode>();
    scan->kind = PlanNode::Kind::kScan;
    scan->table = t->second;
    scan->schema = t->second->schema;
    Scope right_scope = scopeOf(scan->schema, table_ref.alias.empty() ? splitPath(table_ref.name).back() : table_ref.alias);
    const int left_width = static_cast<int>(left->schema.size());
    Scope both;
    both.fields = left_scope.fields;
    both.fields.insert(both.fields.end(), right_scope.fields.begin(), right_scope.fields.end());

    // The left input plus one column per key expression, typed as its lookup column.
    auto keyed = keepColumns(left, std::vector<bool>(left->schema.size(), true));
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanNode::Kind::kJoin;
    node->strategy = PlanNode::JoinStrategy::kLookup;
    node->join_type = ref.join == ast::TableRef::JoinType::kLeft ? JoinType::kLeft : JoinType::kInner;
    std::vector<const Expr*> conjuncts;
    if (ref.on) splitConjuncts(*ref.on, conjuncts);
    conjuncts.insert(conjuncts.end(), where.begin(), where.end());
    std::vector<const Expr*> rest;
    for (const Expr* c : conjuncts) {
      bool key = false;
      if (c->kind == Expr::Kind::kCall && c->name == "=" && c->args.size() == 2) {
        for (int first = 0; first < 2 && !key; ++first) {
          Result<ExprP> col = expr(*c->args[static_cast<size_t>(first)], right_scope);
          Result<ExprP> probe = expr(*c->args[static_cast<size_t>(1 - first)], left_scope);
          auto* ref_col = col.isOk() ? dynamic_cast<const InputRef*>(col->get()) : nullptr;
          if (!ref_col || !probe.isOk()) continue;
          LogicalType common;
          if (!commonType((*probe)->type(), ref_col->type(), &common)) continue;
          node->left_keys.push_back(static_cast<int>(keyed->schema.size()));
          node->right_keys.push_back(ref_col->index());
          ExprP k = coerce(std::move(*probe), ref_col->type().plain());
          keyed->schema.push_back({"$lookup" + std::to_string(node->right_keys.size()), k->type()});
          keyed->projections.push_back(std::shared_ptr<const Expression>(std::move(k)));
          key = true;
        }
      }
      if (!key) rest.push_back(c);
    }
    if (node->left_keys.empty()) {
      return sqlError(ref.pos, "a lookup join needs an equality between a column of '" + table_ref.name +
                                   "' and the left side in its ON condition");
    }
    const int keyed_width = static_cast<int>(keyed->schema.size());
    std::vector<ExprP> residual;
    for (const Expr* c : rest) {
      EDDY_ASSIGN_OR_RETURN(ExprP e, joinCondition(*c, both));
      // Over the joined row, where the key columns sit between the two sides.
      residual.push_back(e->cloneWith([&](int index, const LogicalType& type) {
        return std::make_unique<InputRef>(index < left_width ? index : index - left_width + keyed_width, type);
      }));
    }
    if (!residual.empty()) node->filter = std::shared_ptr<const Expression>(andAll(std::move(residual)));
    node->inputs = {keyed, scan};
    node->mode = left->mode;
    node->rowtime = left->rowtime;
    // The left side keeps its time attributes (the lookup happens at processing time);
    // the side table's columns are plain, nullable in a left join.
    std::vector<bool> keep;
    node->schema = keyed->schema;
    for (size_t c = 0; c < node->schema.size(); ++c) keep.push_back(static_cast<int>(c) < left_width);
    std::set<std::string> used;
    for (const auto& c : node->schema) used.insert(c.name);
    for (const auto& c : scan->schema) {
      std::string name = c.name;
      for (int k = 0; used.count(name); ++k) name = c.name + std::to_string(k);
      used.insert(name);
      LogicalType type = c.type.plain();
      if (node->join_type == JoinType::kLeft) type.nullable = true;
      node->schema.push_back({name, type});
      keep.push_back(true);
    }
    scope = both;
    for (size_t f = static_cast<size_t>(left_width); f < scope.fields.size(); ++f) {
      scope.fields[f].type = node->schema[f - static_cast<size_t>(left_width) + static_cast<size_t>(keyed_width)].type;
    }
    return keepColumns(node, keep);
  }

  // Completes `join` as an event-time temporal join (Flink's TemporalRowTimeJoin) of its
  // left rows, at their rowtime `as_of`, with the versioned table on the right: one with
  // a primary key, all of whose columns the equi-join condition covers, and a rowtime.
  Result<PlanPtr> temporalJoin(const ast::TableRef& ref, std::shared_ptr<PlanNode> join, int as_of) {
    const PlanPtr& left = join->inputs[0];
    const PlanPtr& right = join->inputs[1];
    if (join->join_type != JoinType::kInner && join->join_type != JoinType::kLeft) {
      return sqlError(ref.pos, "an event-time temporal join is INNER or LEFT");
    }
    if (left->mode != ChangelogMode::kInsertOnly) {
      return sqlError(ref.pos, "an event-time temporal join does not support an updating left input");
    }
    int version_time = right->rowtime;
    bool view = false;
    std::vector<std::string> primary_key = versionedKey(*right, &version_time, &view);
    if (primary_key.empty()) {
      return sqlError(ref.right->pos, "Temporal Table Join requires primary key in versioned table, but no primary "
                                      "key can be found: declare PRIMARY KEY (...) NOT ENFORCED on '" +
                                          ref.right->name + "'");
    }
    std::string missing;
    for (const std::string& k : primary_key) {
      bool covered = false;
      for (int r : join->right_keys) covered = covered || right->schema[static_cast<size_t>(r)].name == k;
      if (!covered) missing += (missing.empty() ? "" : ", ") + k;
    }
    if (!missing.empty()) {
      return sqlError(ref.pos, "Temporal table's primary key [" + missing +
                                   "] must be included in the equivalence condition of the temporal join");
    }
    if (version_time < 0) {
      return sqlError(ref.right->pos, "the versioned table '" + ref.right->name +
                                          "' of an event-time temporal join needs a rowtime attribute (WATERMARK FOR)");
    }
    join->strategy = PlanNode::JoinStrategy::kTemporal;
    join->left_time = as_of;
    join->right_time = version_time;
    join->upsert_right = view;
    join->mode = ChangelogMode::kInsertOnly;
    join->rowtime = left->rowtime;
    return PlanPtr(join);
  }

  // The primary key of a versioned table: its table's PRIMARY KEY, through the Calcs
  // that keep those columns' names. Or a versioned view (Flink's): the last row per key
  // by a rowtime (ROW_NUMBER() OVER (PARTITION BY k ORDER BY rowtime DESC) = 1), whose
  // key is the partition columns and whose version time (`*time_col`, a column of `p`)
  // is that rowtime; `*view` says which.
  static std::vector<std::string> versionedKey(const PlanNode& p, int* time_col, bool* view) {
    const PlanNode* n = &p;
    while (n->kind == PlanNode::Kind::kCalc) n = n->inputs[0].get();
    if (n->kind == PlanNode::Kind::kRank) {
      const RankSpec& r = n->rank;
      if (!r.deduplicate() || !r.keepsLastRow() || !r.input_types[static_cast<size_t>(r.order[0])].rowtime) return {};
      auto column = [&](const std::string& name) {
        for (size_t c = 0; c < p.schema.size(); ++c) {
          if (p.schema[c].name == name) return static_cast<int>(c);
        }
        return -1;
      };
      std::vector<std::string> key;
      for (int k : r.partition) {
        const std::string& name = n->schema[static_cast<size_t>(k)].name;
        if (column(name) < 0) return {};
        key.push_back(name);
      }
      *time_col = column(n->schema[static_cast<size_t>(r.order[0])].name);
      *view = true;
      return key;
    }
    if (n->kind != PlanNode::Kind::kScan) return {};
    for (const std::string& k : n->table->primary_key) {
      bool kept = false;
      for (const auto& c : p.schema) kept = kept || c.name == k;
      if (!kept) return {};
    }
    return n->table->primary_key;
  }

  // Both inputs' windows, when a join's equalities (`equal`: pairs of a left and a right
  // column) equate their window_start and window_end: each side's window_end column and
  // the windows' zone.
  struct WindowMatch {
    int left_end, right_end;
    std::shared_ptr<const TimeZone> zone;
  };
  Result<std::optional<WindowMatch>> windowMatch(const PlanPtr& left, const PlanPtr& right,
                                                 const std::vector<std::pair<int, int>>& equal, Pos pos) {
    auto lw = windowColumns(*left, true);
    auto rw = windowColumns(*right, true);
    if (!lw || !rw) return std::optional<WindowMatch>();
    bool start = false, end = false;
    for (const auto& [l, r] : equal) {
      start = start || (l == lw->start && r == rw->start);
      end = end || (l == lw->end && r == rw->end);
    }
    if (!start || !end) return std::optional<WindowMatch>();
    if (lw->proctime || rw->proctime) {
      return sqlError(pos, "Processing time Window Join is not supported yet.");
    }
    if (lw->source->window.toString() != rw->source->window.toString()) {
      return sqlError(pos, "a window join needs the same window on both inputs, not " + lw->source->window.toString() +
                               " and " + rw->source->window.toString());
    }
    return std::optional<WindowMatch>(WindowMatch{lw->end, rw->end, lw->source->window.zone});
  }

  // `join` as Flink's WindowJoin over `w`'s windows: append-only, each window joined
  // when it fires.
  static void makeWindowJoin(PlanNode& join, const WindowMatch& w) {
    join.strategy = PlanNode::JoinStrategy::kWindow;
    join.left_time = w.left_end;
    join.right_time = w.right_end;
    join.window.zone = w.zone;  // Fires as the windows do.
    join.mode = ChangelogMode::kInsertOnly;
  }

  // Whether `join` equates both inputs' window_start and window_end (Flink's window join:
  // both windowed alike, joined per window); if so it becomes one.
  Result<bool> windowJoin(PlanNode& join, const PlanPtr& left, const PlanPtr& right, Pos pos) {
    std::vector<std::pair<int, int>> equal;
    for (size_t k = 0; k < join.left_keys.size(); ++k) equal.emplace_back(join.left_keys[k], join.right_keys[k]);
    EDDY_ASSIGN_OR_RETURN(std::optional<WindowMatch> w, windowMatch(left, right, equal, pos));
    if (w) makeWindowJoin(join, *w);
    return w.has_value();
  }

  // One bound of an interval join: right time + value <= left time (lower), or left time
  // <= right time + value (upper), on the rowtime columns left_col and right_col
  // (indexes into the joined row and the right input).
  struct TimeBound {
    int left_col, right_col;
    bool lower;
    int64_t value;
    bool proctime;  // Both columns are processing-time attributes (else rowtimes).
  };

  // A time attribute column shifted by constant intervals: `t`, `t + INTERVAL ..`,
  // `t - ...`; the column, the shift, and whether it is a proctime attribute.
  struct TimeTerm {
    int first;
    int64_t second;
    bool proctime;
  };
  std::optional<TimeTerm> timeTerm(const Expr& e, const Scope& scope) {
    if (e.kind == Expr::Kind::kCall && (e.name == "+" || e.name == "-") && e.args.size() == 2 &&
        e.args[1]->kind == Expr::Kind::kInterval) {
      auto base = timeTerm(*e.args[0], scope);
      bool year_month = false;
      Result<int64_t> ms = intervalMillis(*e.args[1], &year_month);
      if (!base || !ms.isOk() || year_month) return std::nullopt;
      base->second += e.name == "+" ? *ms : -*ms;
      return base;
    }
    if (e.kind != Expr::Kind::kColumn) return std::nullopt;
    Result<ExprP> bound = expr(e, scope);
    if (!bound.isOk()) return std::nullopt;
    auto* ref = dynamic_cast<const InputRef*>(bound->get());
    if (!ref || !(ref->type().rowtime || ref->type().proctime)) return std::nullopt;
    return TimeTerm{ref->index(), 0, ref->type().proctime};
  }

  // The interval bounds a join conjunct states (two for BETWEEN), or none when it is
  // not a comparison of the two inputs' rowtimes (Flink's IntervalJoinUtil).
  std::vector<TimeBound> timeBounds(const Expr& c, const Scope& scope, int left_width) {
    if (c.kind != Expr::Kind::kCall) return {};
    std::vector<std::pair<std::string, std::pair<const Expr*, const Expr*>>> comparisons;
    if (c.name == "BETWEEN" && c.args.size() == 3) {
      comparisons = {{">=", {c.args[0].get(), c.args[1].get()}}, {"<=", {c.args[0].get(), c.args[2].get()}}};
    } else if ((c.name == "<" || c.name == "<=" || c.name == ">" || c.name == ">=") && c.args.size() == 2) {
      comparisons = {{c.name, {c.args[0].get(), c.args[1].get()}}};
    } else {
      return {};
    }
    std::vector<TimeBound> out;
    for (auto& [op, operands] : comparisons) {
      auto a = timeTerm(*operands.first, scope);
      auto b = timeTerm(*operands.second, scope);
      // Both inputs' rowtimes, or both their proctimes (Flink plans a mix as a regular join).
      if (!a || !b || (a->first < left_width) == (b->first < left_width) || a->proctime != b->proctime) return {};
      // a.t + a.off OP b.t + b.off, turned into: left time OP' right time + d.
      std::string cmp = op;
      if (a->first >= left_width) {
        std::swap(a, b);
        cmp = cmp == "<" ? ">" : cmp == "<=" ? ">=" : cmp == ">" ? "<" : "<=";
      }
      const int64_t d = b->second - a->second;
      TimeBound bound{a->first, b->first - left_width, cmp[0] == '>', d, a->proctime};
      if (cmp == ">") bound.value = d + 1;  // Strict bounds become inclusive, as in Flink.
      if (cmp == "<") bound.value = d - 1;
      out.push_back(bound);
    }
    return out;
  }

  // Whether `bounds` give the join a lower and an upper bound on the same two rowtime
  // columns; if so, `join` becomes an interval join with the tightest of them.
  static bool intervalJoin(const std::vector<TimeBound>& bounds, PlanNode& join) {
    bool has_lower = false, has_upper = false;
    for (const TimeBound& b : bounds) {
      if (b.left_col != bounds[0].left_col || b.right_col != bounds[0].right_col) return false;
      if (b.lower) {
        join.lower = has_lower ? std::max(join.lower, b.value) : b.value;
        has_lower = true;
      } else {
        join.upper = has_upper ? std::min(join.upper, b.value) : b.value;
        has_upper = true;
      }
    }
    if (!has_lower || !has_upper) return false;
    join.strategy = PlanNode::JoinStrategy::kInterval;
    join.left_time = bounds[0].left_col;
    join.right_time = bounds[0].right_col;
    join.interval_proctime = bounds[0].proctime;
    return true;
  }

  // Equal values of both types have equal key bytes (same storage and, for decimals,
  // the same scale); other equalities stay in the residual condition.
  static bool keyCompatible(const LogicalType& a, const LogicalType& b) {
    if (a.storage() != b.storage()) return false;
    if (a.id == TypeId::kDecimal || b.id == TypeId::kDecimal) return a.id == b.id && a.scale == b.scale;
    if (a.isInteger() || b.isInteger()) return a.isInteger() && b.isInteger();
    if (a.isTimestamp() || b.isTimestamp()) return a.id == b.id && unitsPerMilli(a) == unitsPerMilli(b);  // value.h
    return a.id == b.id || (a.isString() && b.isString());
  }

  Result<PlanPtr> renameColumns(PlanPtr p, const ast::TableRef& ref, Scope& scope) {
    if (ref.column_aliases.empty()) return p;
    if (ref.column_aliases.size() != scope.fields.size()) {
      return sqlError(ref.pos, "alias list has " + std::to_string(ref.column_aliases.size()) + " names for " +
                                   std::to_string(scope.fields.size()) + " columns");
    }
    for (size_t i = 0; i < scope.fields.size(); ++i) scope.fields[i].name = ref.column_aliases[i];
    return p;
  }

  Result<PlanPtr> windowFunction(const ast::TableRef& ref, Scope& scope) {
    WindowSpec w;
    size_t need;
    if (ref.name == "TUMBLE") {
      w.kind = WindowSpec::Kind::kTumble;
      need = 1;
    } else if (ref.name == "HOP") {
      w.kind = WindowSpec::Kind::kHop;
      need = 2;
    } else if (ref.name == "CUMULATE") {
      w.kind = WindowSpec::Kind::kCumulate;
      need = 2;
    } else if (ref.name == "SESSION") {
      w.kind = WindowSpec::Kind::kSession;
      need = 1;
    } else {
      return sqlError(ref.pos, "unknown table function '" + ref.name + "'" +
                                   didYouMean(ref.name, {"TUMBLE", "HOP", "CUMULATE", "SESSION"}));
    }
    Scope input_scope;
    EDDY_ASSIGN_OR_RETURN(PlanPtr input, from(*ref.input, input_scope));
    if (input->mode != ChangelogMode::kInsertOnly) {
      return sqlError(ref.pos, ref.name + " window table function does not support an updating input");
    }
    if (ref.descriptor.size() != 1) return sqlError(ref.pos, ref.name + " needs DESCRIPTOR(time_column)");
    int time_col = -1;
    for (size_t i = 0; i < input->schema.size(); ++i) {
      if (input->schema[i].name == ref.descriptor[0]) time_col = static_cast<int>(i);
    }
    if (time_col < 0) {
      std::vector<std::string> names;
      for (const auto& c : input->schema) names.push_back(c.name);
      return sqlError(ref.pos, "column '" + ref.descriptor[0] + "' not found in table '" + ref.input->name + "'" +
                                   didYouMean(ref.descriptor[0], names));
    }
    std::vector<const Expr*> args;
    for (const auto& a : ref.args) args.push_back(a.get());
    EDDY_RETURN_IF_ERROR(windowSizes(ref.name, args, need, ref.pos, w));
    std::vector<int> partition;
    if (!ref.partition_keys.empty() && w.kind != WindowSpec::Kind::kSession) {
      return sqlError(ref.partition_keys[0]->pos, "PARTITION BY is only allowed in the SESSION window function");
    }
    Scope in_scope = scopeOf(input->schema, splitPath(ref.input->name).back());
    for (const auto& k : ref.partition_keys) {
      EDDY_ASSIGN_OR_RETURN(ExprP e, expr(*k, in_scope));
      auto* col = dynamic_cast<InputRef*>(e.get());
      if (!col) return sqlError(k->pos, "SESSION's PARTITION BY takes columns");
      partition.push_back(col->index());
    }
    EDDY_ASSIGN_OR_RETURN(PlanPtr node, windowNode(input, time_col, w, ref.descriptor[0], ref.pos));
    node->partition_keys = partition;
    scope = scopeOf(node->schema, ref.alias);
    return node;
  }

  // The window sizes of TUMBLE(size [, offset]), HOP(slide, size [, offset]),
  // CUMULATE(step, max size [, offset]) and SESSION(gap), from INTERVAL literals.
  Status windowSizes(const std::string& name, const std::vector<const Expr*>& args, size_t need, Pos pos,
                           WindowSpec& w) {
    size_t most = w.kind == WindowSpec::Kind::kSession ? need : need + 1;
    if (args.size() < need || args.size() > most) {
      return sqlError(pos, name + " takes " + std::to_string(need) + " interval argument" + (need > 1 ? "s" : "") +
                               (most > need ? " (and an optional offset)" : ""));
    }
    std::vector<int64_t> ms;
    for (const Expr* a : args) {
      if (a->kind != Expr::Kind::kInterval) return sqlError(a->pos, name + " arguments must be INTERVAL literals");
      EDDY_ASSIGN_OR_RETURN(int64_t v, intervalMillis(*a));
      ms.push_back(v);
    }
    if (w.kind == WindowSpec::Kind::kSession) {
      w.gap = ms[0];
      if (w.gap <= 0) return sqlError(pos, "SESSION gap must be positive");
      return Status::ok();
    }
    if (w.kind == WindowSpec::Kind::kTumble) {
      w.size = ms[0];
    } else {
      w.slide = ms[0];
      w.size = ms[1];
      if (w.kind == WindowSpec::Kind::kCumulate && w.size % w.slide != 0) {
        return sqlError(pos, "CUMULATE's max size must be a multiple of its step");
      }
    }
    if (ms.size() > need) w.offset = ms[need];
    if (w.size <= 0 || (w.kind != WindowSpec::Kind::kTumble && w.slide <= 0)) {
      return sqlError(pos, name + " window size must be positive");
    }
    return Status::ok();
  }

  // A window table function node over `input`'s time attribute `time_col`.
  Result<PlanPtr> windowNode(const PlanPtr& input, int time_col, const WindowSpec& w, const std::string& col_name,
                             Pos pos) {
    const LogicalType& tt = input->schema[static_cast<size_t>(time_col)].type;
    if (!tt.rowtime && !tt.proctime) {
      return sqlError(pos, "the window function requires the timecol to be a time attribute, but '" + col_name +
                               "' is " + tt.toString());
    }
    auto node = std::make_shared<PlanNode>();
    node->kind = PlanNode::Kind::kWindowTableFunction;
    node->inputs.push_back(input);
    node->window = w;
    // Over a TIMESTAMP_LTZ attribute the windows keep the session time zone's clock.
    if (tt.id == TypeId::kTimestampLtz && !sessionTimeZone().isUtc()) {
      node->window.zone = std::make_shared<const TimeZone>(sessionTimeZone());
    }
    node->time_col = time_col;
    node->schema = input->schema;
    node->schema[static_cast<size_t>(time_col)].type = tt.plain();  // Not a time attribute any more.
    LogicalType bound = LogicalType::timestamp(3).notNull();
    // window_time is a time attribute of the window's kind.
    LogicalType wt = LogicalType::of(tt.id, 3).notNull();
    wt.rowtime = tt.rowtime;
    wt.proctime = tt.proctime;
    node->schema.push_back({"window_start", bound});
    node->schema.push_back({"window_end", bound});
    node->schema.push_back({"window_time", wt});
    node->rowtime = tt.rowtime ? static_cast<int>(node->schema.size()) - 1 : -1;
    return PlanPtr(node);
  }

  // ---- SELECT.
  struct AggBinding {
    std::map<std::string, int> groups;  // canon -> output column
    std::map<std::string, int> aggs;    // canon -> output column
    const Schema* schema = nullptr;     // aggregate node's output
    // GROUPING SETS: per set, per group expression (canon), whether the set keeps it;
    // and the output column of the set number.
    std::vector<std::map<std::string, bool>> kept;
    int set_column = -1;
  };

  // The STATE_TTL hint's retention for FROM item `input`, named by its alias or its
  // table's (view's) name as Flink's hint keys name inputs; -1 when none names it.
  Result<int64_t> hintedTtl(const ast::TableRef& input) {
    if (!ttl_select_) return int64_t{-1};
    std::vector<std::string> names;
    if (!input.alias.empty()) names.push_back(input.alias);
    if (input.kind == ast::TableRef::Kind::kNamed) names.push_back(splitPath(input.name).back());
    for (const auto& [key, value] : ttl_select_->state_ttl) {
      if (std::find(names.begin(), names.end(), key) == names.end()) continue;
      int64_t ms = 0;
      if (!parseDurationMillis(value, &ms) || ms < 0) {
        return sqlError(ttl_select_->state_ttl_pos, "STATE_TTL: '" + value + "' (for '" + key +
                                                        "') is not a duration such as '1d', '12h' or '30 min'");
      }
      ttl_used_.insert(key);
      return ms;
    }
    return int64_t{-1};
  }

  // After a SELECT's joins and group aggregation took their STATE_TTL keys: a key that
  // names none of their inputs is Flink's error (a SELECT with neither ignores the hint).
  Status checkTtlKeys(const ast::Select& s, bool applies) {
    if (!applies) return Status::ok();
    std::string unmatched;
    for (const auto& [key, value] : s.state_ttl) {
      if (!ttl_used_.count(key)) unmatched += "\n`" + key + "` in `state_ttl`";
    }
    if (unmatched.empty()) return Status::ok();
    return sqlError(s.state_ttl_pos, "The options of following hints cannot match the name of input tables or views:" +
                                         unmatched);
  }

  Result<PlanPtr> select(const ast::Select& s) {
    // A STATE_TTL hint reaches this SELECT's own joins and aggregation, not those of its
    // subqueries (other query blocks, planned by planners of their own).
    const ast::Select* outer_ttl = ttl_select_;
    const int64_t outer_agg_ttl = agg_ttl_ms_;
    std::set<std::string> outer_used = std::move(ttl_used_);
    ttl_select_ = s.state_ttl.empty() ? nullptr : &s;
    ttl_used_.clear();
    agg_ttl_ms_ = -1;
    Result<PlanPtr> planned = selectBlock(s);
    ttl_select_ = outer_ttl;
    agg_ttl_ms_ = outer_agg_ttl;
    ttl_used_ = std::move(outer_used);
    return planned;
  }

  Result<PlanPtr> selectBlock(const ast::Select& s) {
    PlanPtr input;
    Scope scope;
    const Expr* where = s.where.get();
    if (!s.from) return selectWithoutFrom(s);
    if (where && containsAggregate(*where)) return sqlError(where->pos, "aggregate functions are not allowed in WHERE");
    // The WHERE's conjuncts; a bound on the row number of a ROW_NUMBER() subquery
    // (Top-N) is taken out of them into the rank.
    std::vector<const Expr*> conditions;
    if (where) splitConjuncts(*where, conditions);
    if (s.from->kind == ast::TableRef::Kind::kJoin &&
        (s.from->join == ast::TableRef::JoinType::kInner || s.from->join == ast::TableRef::JoinType::kCross)) {
      // The WHERE joins the join condition, but for its subquery predicates and scalar
      // subqueries, which become joins of their own above it.
      std::vector<const Expr*> to_join, rest;
      for (const Expr* c : conditions) {
        std::vector<const Expr*> scalars;
        collectScalarSubqueries(*c, scalars);
        (isSubqueryPredicate(*c) || !scalars.empty() ? rest : to_join).push_back(c);
      }
      EDDY_ASSIGN_OR_RETURN(input, join(*s.from, scope, to_join));
      conditions = rest;
    } else {
      EDDY_ASSIGN_OR_RETURN(input, from(*s.from, scope));
    }
    if (ttl_select_) {
      bool aggregates = !s.group_by.empty() || s.having || s.distinct;
      for (const auto& item : s.items) aggregates = aggregates || containsAggregate(*item.expr);
      const bool joins = s.from->kind == ast::TableRef::Kind::kJoin;
      if (!joins && aggregates) {
        EDDY_ASSIGN_OR_RETURN(agg_ttl_ms_, hintedTtl(*s.from));
      }
      EDDY_RETURN_IF_ERROR(checkTtlKeys(s, joins || aggregates));
      ttl_select_ = nullptr;  // Not for the joins its subqueries become.
    }
    EDDY_RETURN_IF_ERROR(scalarSubqueries(s, conditions, input, scope));
    PlanNode* bounded = nullptr;
    int rank_number = -1;
    if (!conditions.empty()) EDDY_RETURN_IF_ERROR(boundRank(input, scope, conditions, &bounded, &rank_number));
    if (!conditions.empty()) EDDY_RETURN_IF_ERROR(subqueryPredicates(input, scope, conditions));
    if (!conditions.empty()) EDDY_RETURN_IF_ERROR(orSubqueries(input, scope, conditions));
    if (!conditions.empty()) EDDY_RETURN_IF_ERROR(markSubqueries(input, scope, conditions));
    {
      // IN / EXISTS in the SELECT list of a query that does not aggregate: mark joins too.
      bool aggregate = !s.group_by.empty() || s.having;
      std::vector<const Expr*> items;
      for (const auto& item : s.items) {
        aggregate = aggregate || containsAggregate(*item.expr);
        items.push_back(item.expr.get());
      }
      if (!aggregate) EDDY_RETURN_IF_ERROR(markSubqueries(input, scope, items, true));
    }
    if (!conditions.empty()) {
      std::vector<ExprP> conds;
      for (const Expr* c : conditions) {
        EDDY_ASSIGN_OR_RETURN(ExprP e, expr(*c, scope));
        if (e->type().id != TypeId::kBoolean) {
          return sqlError(c->pos, "WHERE needs a boolean condition, not " + e->type().toString());
        }
        conds.push_back(std::move(e));
      }
      input = filtered(input, andAll(std::move(conds)));
    }
    if (bounded) {
      // Flink outputs rank numbers only when the query reads them; otherwise changes are
      // inserts and deletes of rows.
      EDDY_ASSIGN_OR_RETURN(PlanPtr result, selectOver(s, input, scope));
      bounded->rank.output_rank_number = readsColumn(*result, rank_number, input.get());
      return result;
    }
    return selectOver(s, input, scope);
  }

  // SELECT without FROM: over one row of no visible columns, as Flink's Values of
  // { 0 }.
  Result<PlanPtr> selectWithoutFrom(const ast::Select& s) {
    for (const auto& item : s.items) {
      if (item.expr->kind == Expr::Kind::kStar) return sqlError(item.pos, "SELECT * needs a FROM clause");
    }
    if (s.where || !s.group_by.empty() || s.having) return sqlError(s.pos, "SELECT without FROM cannot filter or group");
    EDDY_ASSIGN_OR_RETURN(PlanPtr input, oneRow(s.pos));
    Scope none;
    return selectOver(s, input, none);
  }

  // One row of one column no query names (Flink's Values of { 0 }).
  Result<PlanPtr> oneRow(Pos pos) {
    ast::TableRef one;
    one.kind = ast::TableRef::Kind::kValues;
    one.pos = pos;
    one.rows.emplace_back();
    auto zero = std::make_unique<Expr>();
    zero->kind = Expr::Kind::kLiteral;
    zero->literal = Expr::LiteralType::kInteger;
    zero->text = "0";
    zero->pos = pos;
    one.rows[0].push_back(std::move(zero));
    return valuesTable(one);
  }

  // The scalar subqueries of `e` (not those inside other subqueries).
  static void collectScalarSubqueries(const Expr& e, std::vector<const Expr*>& out) {
    if (e.kind == Expr::Kind::kSubquery) {
      out.push_back(&e);
      return;
    }
    for (const auto& a : e.args) collectScalarSubqueries(*a, out);
    if (e.filter) collectScalarSubqueries(*e.filter, out);
  }

  // Uncorrelated scalar subqueries in the WHERE and (without aggregation) the SELECT
  // list, as Flink plans them: `input` LEFT JOINed with the subquery's row, whose value
  // the expression then reads as a column (NULL while the subquery has no row).
  Status scalarSubqueries(const ast::Select& s, const std::vector<const Expr*>& conditions, PlanPtr& input,
                          Scope& scope) {
    std::vector<const Expr*> found;
    for (const Expr* c : conditions) {
      if (!isSubqueryPredicate(*c)) collectScalarSubqueries(*c, found);
    }
    std::vector<const Expr*> in_items;
    for (const auto& item : s.items) collectScalarSubqueries(*item.expr, in_items);
    if (s.having) collectScalarSubqueries(*s.having, in_items);
    bool aggregate = !s.group_by.empty() || s.having;
    for (const auto& item : s.items) aggregate = aggregate || containsAggregate(*item.expr);
    // In an aggregating SELECT a scalar subquery's value is one more group key: one value
    // at a time for every row, so it splits no group, and a change of it moves every
    // group to the new value.
    if (aggregate) implicit_groups_ = in_items;
    found.insert(found.end(), in_items.begin(), in_items.end());
    for (const Expr* e : found) {
      Planner sub = nested();
      Result<PlanPtr> value = sub.query(*e->query);
      if (!value.isOk()) {
        // It may read the outer query's columns (correlated); one that cannot be keeps
        // its own error.
        bool correlatable = false;
        Status st = correlatedScalar(*e, scope, input, &correlatable);
        if (st.isOk()) continue;
        if (correlatable) return st;
        return sqlError(e->pos, "in a scalar subquery: " + value.status().message());
      }
      if ((*value)->schema.size() != 1) {
        return sqlError(e->pos, "a scalar subquery must return one column, not " +
                                    std::to_string((*value)->schema.size()));
      }
      *value = singleValue(*value);
      auto join = std::make_shared<PlanNode>();
      join->kind = PlanNode::Kind::kJoin;
      join->join_type = JoinType::kLeft;
      join->inputs = {input, *value};
      join->mode = ChangelogMode::kUpdates;
      for (const auto& c : input->schema) join->schema.push_back({c.name, c.type.plain()});
      LogicalType t = (*value)->schema[0].type.plain();
      t.nullable = true;
      const int col = static_cast<int>(join->schema.size());
      join->schema.push_back({"$scalar" + std::to_string(col), t});
      scalar_cols_[e] = {col, t};
      for (auto& f : scope.fields) f.type = f.type.plain();  // A regular join keeps no time attributes.
      input = join;
    }
    return Status::ok();
  }

  // A correlated subquery's WHERE conjuncts, split: those on its own columns (bound over
  // `inner`, in `filters`) and the equalities of a subquery expression with an outer one
  // (in `pairs`: the inner side as written and bound, the outer side bound). Anything
  // else is an error: a mistake of its own, or a correlation other than equality.
  struct Correlation {
    const Expr* inner_ast;
    ExprP inner, outer;
  };

  // A LATERAL subquery that neither aggregates nor limits nor takes DISTINCT rows, and
  // reads the outer row beyond equalities (`WHERE b.k = a.k AND b.v > a.v`, or outer
  // columns in its SELECT list): a join of the outer rows with its FROM (`right`, its
  // own conditions applied) on its correlated conditions — the equalities as keys, the
  // rest checked per pair —, its SELECT list computed over each joined pair, as Calcite
  // decorrelates it. `scope` becomes the outer fields, then the subquery's columns.
  Result<PlanPtr> lateralJoin(const ast::TableRef& ref, const PlanPtr& left, const Scope& left_scope,
                              const PlanPtr& right, const Scope& inner, std::vector<Correlation> pairs,
                              const std::vector<const Expr*>& residual, bool left_join, Scope& scope) {
    const ast::TableRef& lateral = *ref.right;
    const ast::Select& s = *lateral.query->selects[0];
    const int left_width = static_cast<int>(left->schema.size());
    const int right_width = static_cast<int>(right->schema.size());
    auto left_keyed = regularJoinInput(left);
    auto right_keyed = regularJoinInput(right);
    std::vector<ExprP> needles, values;
    for (Correlation& p : pairs) {
      needles.push_back(std::move(p.outer));
      values.push_back(std::move(p.inner));
    }
    const int n = static_cast<int>(needles.size());
    EDDY_RETURN_IF_ERROR(addMatchKeys(std::move(needles), std::move(values), *left_keyed, *right_keyed, lateral.pos));
    // A column never NULL in a matched row: NULL where a LEFT join found no subquery row.
    right_keyed->schema.push_back({"$m", LogicalType::boolean().notNull()});
    right_keyed->projections.push_back(
        std::make_shared<Literal>(Value::ofBool(true), LogicalType::boolean().notNull(), "true"));
    // The joined row: the outer columns, their keys, the subquery's columns, its keys,
    // the marker.
    Scope joined = keyedJoinScope(left_scope, *left_keyed, left_width, inner, *right_keyed, right_width, n);
    joined.fields.push_back({"$", "$m", LogicalType::boolean().notNull(), true});
    auto join = joinNode(left_keyed, right_keyed, left_join ? JoinType::kLeft : JoinType::kInner,
                         ChangelogMode::kUpdates);
    for (int i = 0; i < n; ++i) {
      join->left_keys.push_back(left_width + i);
      join->right_keys.push_back(right_width + i);
    }
    std::vector<ExprP> conds;
    for (const Expr* c : residual) {
      EDDY_ASSIGN_OR_RETURN(ExprP cond, joinCondition(*c, joined));
      conds.push_back(std::move(cond));
    }
    if (!conds.empty()) join->filter = std::shared_ptr<const Expression>(andAll(std::move(conds)));
    const bool updates = left->mode != ChangelogMode::kInsertOnly || right->mode != ChangelogMode::kInsertOnly;
    join->mode = updates || left_join ? ChangelogMode::kUpdates : ChangelogMode::kInsertOnly;
    // A LEFT join pads the subquery's columns with NULLs.
    Scope padded = joined;
    if (left_join) {
      for (size_t f = static_cast<size_t>(left_width + n); f < padded.fields.size(); ++f) {
        padded.fields[f].type.nullable = true;
      }
    }
    // The outer columns, then the subquery's SELECT list.
    auto calc = keepColumns(join, std::vector<bool>(join->schema.size(), false));
    for (int c = 0; c < left_width; ++c) {
      calc->projections.push_back(std::make_shared<InputRef>(c, join->schema[static_cast<size_t>(c)].type));
      calc->schema.push_back(join->schema[static_cast<size_t>(c)]);
    }
    std::vector<std::string> names;
    for (size_t i = 0; i < s.items.size(); ++i) {
      const ast::SelectItem& item = s.items[i];
      if (item.expr->kind == Expr::Kind::kStar) {
        for (size_t f = 0; f < inner.fields.size(); ++f) {
          if (inner.fields[f].hidden) continue;
          const int c = left_width + n + static_cast<int>(f);
          calc->projections.push_back(std::make_shared<InputRef>(c, join->schema[static_cast<size_t>(c)].type));
          calc->schema.push_back({inner.fields[f].name, join->schema[static_cast<size_t>(c)].type});
          names.push_back(inner.fields[f].name);
        }
        continue;
      }
      EDDY_ASSIGN_OR_RETURN(ExprP e, expr(*item.expr, padded));
      if (left_join) {
        // No subquery row: every item is NULL, one of outer columns only too.
        const int marker = static_cast<int>(join->schema.size()) - 1;
        std::vector<ExprP> arms;
        arms.push_back(std::make_unique<IsCall>(
            IsCall::What::kNotNull,
            std::make_unique<InputRef>(marker, join->schema[static_cast<size_t>(marker)].type)));
        const LogicalType t = e->type().withNullable(true);
        arms.push_back(std::move(e));
        e = std::make_unique<CaseCall>(t, std::move(arms));
      }
      names.push_back(outputName(item, i));
      calc->schema.push_back({names.back(), e->type()});
      calc->projections.push_back(std::shared_ptr<const Expression>(std::move(e)));
    }
    if (!lateral.column_aliases.empty() && lateral.column_aliases.size() != names.size()) {
      return sqlError(lateral.pos, "alias list has " + std::to_string(lateral.column_aliases.size()) + " names for " +
                                       std::to_string(names.size()) + " columns");
    }
    scope.fields = left_scope.fields;
    for (size_t c = 0; c < names.size(); ++c) {
      const std::string& name = lateral.column_aliases.empty() ? names[c] : lateral.column_aliases[c];
      scope.fields.push_back({lateral.alias, name, calc->schema[static_cast<size_t>(left_width) + c].type});
    }
    return PlanPtr(calc);
  }

  // With `residual`, a condition on both sides that is not such an equality goes there
  // (an EXISTS / IN becomes a semi- or anti-join with it) instead of failing.
  Status splitCorrelation(const std::vector<const Expr*>& conjuncts, Planner& sub, const Scope& inner,
                          const Scope& outer, std::vector<ExprP>& filters, std::vector<Correlation>& pairs,
                          std::vector<const Expr*>* residual = nullptr) {
    for (const Expr* c : conjuncts) {
      Result<ExprP> own = sub.expr(*c, inner);
      if (own.isOk()) {
        filters.push_back(std::move(*own));
        continue;
      }
      bool paired = false;
      if (c->kind == Expr::Kind::kCall && c->name == "=" && c->args.size() == 2) {
        for (int first = 0; first < 2 && !paired; ++first) {
          const Expr& in_side = *c->args[static_cast<size_t>(first)];
          Result<ExprP> a = sub.expr(in_side, inner);
          Result<ExprP> b = expr(*c->args[static_cast<size_t>(1 - first)], outer);
          if (a.isOk() && b.isOk()) {
            pairs.push_back({&in_side, std::move(*a), std::move(*b)});
            paired = true;
          }
        }
      }
      if (!paired) {
        Scope both = inner;
        const std::vector<Field> seen = shadowedBy(inner, outer.fields);
        both.fields.insert(both.fields.end(), seen.begin(), seen.end());
        // Its error over both sides names the cause (an unknown or an ambiguous column).
        Result<ExprP> over_both = sub.expr(*c, both);
        if (!over_both.isOk()) return over_both.status();
        if (residual) {
          residual->push_back(c);
          continue;
        }
        return sqlError(c->pos, "a condition of a correlated scalar subquery must be an equality of a subquery "
                                "column and an outer one");
      }
    }
    return Status::ok();
  }

  // A subquery's `*` (or `t.*`) as the one column it stands for, its scope being
  // `inner`; null when `item` is not a star. A star of several columns is an error.
  static Result<ast::ExprPtr> starColumn(const Expr& item, const Scope& inner, const char* what) {
    if (item.kind != Expr::Kind::kStar) return ast::ExprPtr();
    std::vector<const Field*> visible;
    for (const Field& f : inner.fields) {
      if (f.hidden || f.outer || (!item.names.empty() && f.qualifier != item.names[0])) continue;
      visible.push_back(&f);
    }
    if (visible.size() != 1) {
      return sqlError(item.pos, std::string(what) + " must return one column, not " + std::to_string(visible.size()));
    }
    auto column = std::make_unique<Expr>();
    column->kind = Expr::Kind::kColumn;
    column->pos = item.pos;
    column->names = {visible[0]->qualifier, visible[0]->name};
    return ast::ExprPtr(std::move(column));
  }

  // A correlated scalar subquery `(SELECT item FROM ... WHERE inner = outer AND ...)`,
  // decorrelated as Flink's planner does: the subquery grouped by its correlation
  // columns (when `item` aggregates; else its rows as they are), LEFT JOINed to `input`
  // on them, the value read as a column. A bare COUNT of no rows is 0, not NULL.
  // `*correlatable`: whether the query has the shape (its own error is reported if not).
  Status correlatedScalar(const Expr& e, Scope& scope, PlanPtr& input, bool* correlatable) {
    const ast::Query& q = *e.query;
    if (q.limit && q.selects.size() == 1 && q.selects[0] && q.with.empty() && !q.offset) {
      // ORDER BY ... LIMIT 1: the subquery as a LEFT JOIN LATERAL, its first row for
      // each outer row (a Top-1 per correlation), its value NULL where it has none.
      *correlatable = true;
      if (q.selects[0]->items.size() != 1) return sqlError(q.pos, "a scalar subquery must return one column");
      if (*q.limit != 1) {
        return sqlError(q.pos, "a correlated scalar subquery with LIMIT takes LIMIT 1 (it has one row at most)");
      }
      ast::TableRef ref;
      ref.kind = ast::TableRef::Kind::kJoin;
      ref.join = ast::TableRef::JoinType::kLeft;
      ref.pos = e.pos;
      ref.right = std::make_unique<ast::TableRef>();
      ref.right->kind = ast::TableRef::Kind::kSubquery;
      ref.right->pos = e.pos;
      ref.right->query = e.query;
      ref.right->lateral = true;
      ref.right->alias = "$scalar";
      Scope joined_scope;
      EDDY_ASSIGN_OR_RETURN(PlanPtr joined, lateralOver(ref, input, scope, joined_scope, {}));
      const int col = static_cast<int>(input->schema.size());
      LogicalType t = joined->schema[static_cast<size_t>(col)].type.plain();
      t.nullable = true;
      scalar_cols_[&e] = {col, t};
      for (auto& f : scope.fields) f.type = f.type.plain();  // A regular join keeps no time attributes.
      input = joined;
      return Status::ok();
    }
    if (q.selects.size() != 1 || !q.selects[0] || !q.with.empty() || q.limit || q.offset || !q.order_by.empty()) {
      return sqlError(q.pos, "a correlated subquery must be a single SELECT");
    }
    const ast::Select& s = *q.selects[0];
    if (!s.from || s.items.size() != 1 || s.has_grouping_sets) {
      return sqlError(s.pos, "a correlated scalar subquery must select one value from a FROM, without GROUPING SETS");
    }
    *correlatable = true;
    Planner sub = nested();
    Scope inner;
    EDDY_ASSIGN_OR_RETURN(PlanPtr from_plan, sub.from(*s.from, inner));
    // The WHERE's conjuncts: on the subquery's own columns, or inner = outer pairs.
    std::vector<const Expr*> conjuncts;
    if (s.where) splitConjuncts(*s.where, conjuncts);
    std::vector<ExprP> filters, outer;
    std::vector<Correlation> pairs;
    std::vector<const Expr*> residual;
    EDDY_RETURN_IF_ERROR(splitCorrelation(conjuncts, sub, inner, scope, filters, pairs, &residual));
    std::vector<const Expr*> inner_keys;
    for (auto& p : pairs) {
      inner_keys.push_back(p.inner_ast);
      outer.push_back(std::move(p.outer));
    }
    if (!filters.empty()) from_plan = filtered(from_plan, andAll(std::move(filters)));
    EDDY_ASSIGN_OR_RETURN(ast::ExprPtr star, starColumn(*s.items[0].expr, inner, "a scalar subquery"));
    const Expr& item = star ? *star : *s.items[0].expr;
    if (!residual.empty()) {
      // Correlated beyond equalities: the subquery runs per distinct outer value.
      std::vector<const Expr*> correlated;
      for (const Expr* c : conjuncts) {
        if (!sub.expr(*c, inner).isOk()) correlated.push_back(c);
      }
      outer.clear();
      EDDY_ASSIGN_OR_RETURN(from_plan, perOuterValue(s.pos, sub, from_plan, inner, correlated, input, scope, outer));
      inner_keys.clear();
    }
    if (inner_keys.empty() && outer.empty()) {
      return sqlError(s.pos, "a correlated scalar subquery needs an equality with an outer column");
    }
    // The subquery as SELECT keys..., item GROUP BY keys [, its own GROUP BY] [HAVING ...],
    // the keys being its correlation columns (or the outer values it runs per). Grouped
    // by more than them, it may have several rows per outer row: SINGLE_VALUE takes the
    // one there is, failing the job on a second, as Flink's does.
    const bool more_groups = std::any_of(s.group_by.begin(), s.group_by.end(), [&](const ast::ExprPtr& g) {
      const std::string key = canon(*g);
      return !residual.empty() ||
             std::none_of(inner_keys.begin(), inner_keys.end(), [&](const Expr* k) { return canon(*k) == key; });
    });
    const bool aggregates = containsAggregate(item) || !s.group_by.empty() || s.having;
    // A global COUNT of no rows is 0; a grouped one (GROUP BY, HAVING) has no row: NULL.
    const bool bare_count = aggregates && item.kind == Expr::Kind::kCall && item.name == "COUNT" &&
                            s.group_by.empty() && !s.having;
    if (aggregates && s.group_by.empty() && !s.having && !bare_count && containsCount(item)) {
      return sqlError(item.pos, "a correlated scalar subquery may use COUNT only as its whole value");
    }
    ast::Select grouped;
    grouped.pos = s.pos;
    for (const Expr* k : inner_keys) {
      grouped.items.push_back({cloneExpr(*k), "", k->pos});
      if (aggregates) grouped.group_by.push_back(cloneExpr(*k));
    }
    Scope grouped_scope = inner;
    if (inner_keys.empty()) {
      // perOuterValue's rows: the outer values ($outer.$o<i>), then the subquery's columns.
      grouped_scope.fields.clear();
      for (size_t i = 0; i < outer.size(); ++i) {
        const std::string name = "$o" + std::to_string(i);
        grouped_scope.fields.push_back({"$outer", name, from_plan->schema[i].type});
        auto column = std::make_unique<Expr>();
        column->kind = Expr::Kind::kColumn;
        column->pos = s.pos;
        column->names = {"$outer", name};
        grouped.items.push_back({cloneExpr(*column), "", s.pos});
        if (aggregates) grouped.group_by.push_back(std::move(column));
      }
      for (const Field& f : inner.fields) grouped_scope.fields.push_back(f);
    }
    grouped.items.push_back({cloneExpr(item), "", item.pos});
    if (s.having) grouped.having = cloneExpr(*s.having);
    if (more_groups) {
      for (const auto& g : s.group_by) grouped.group_by.push_back(cloneExpr(*g));
    }
    EDDY_ASSIGN_OR_RETURN(PlanPtr right, sub.selectOver(grouped, from_plan, grouped_scope));
    if (more_groups) right = singleValuePer(right, grouped.items.size() - 1);
    // input + its outer keys, LEFT JOIN right ON keys.
    const int width = static_cast<int>(input->schema.size());
    const int n = static_cast<int>(outer.size());
    auto left = regularJoinInput(input);
    auto keyed = keepColumns(right, std::vector<bool>(right->schema.size(), true));
    for (int i = 0; i < n; ++i) {
      LogicalType common;
      const LogicalType rt = right->schema[static_cast<size_t>(i)].type;
      if (!commonType(outer[static_cast<size_t>(i)]->type(), rt, &common)) {
        return sqlError(e.pos, "the subquery compares " + outer[static_cast<size_t>(i)]->type().toString() +
                                   " with " + rt.toString());
      }
      ExprP key = coerce(std::move(outer[static_cast<size_t>(i)]), common.plain());
      left->schema.push_back({"$k" + std::to_string(i), key->type()});
      left->projections.push_back(std::shared_ptr<const Expression>(std::move(key)));
      keyed->projections[static_cast<size_t>(i)] = coerce(std::make_unique<InputRef>(i, rt), common.plain());
      keyed->schema[static_cast<size_t>(i)].type = common.plain();
    }
    auto join = std::make_shared<PlanNode>();
    join->kind = PlanNode::Kind::kJoin;
    join->join_type = JoinType::kLeft;
    join->inputs = {left, keyed};
    join->mode = ChangelogMode::kUpdates;
    join->schema = left->schema;
    for (auto col : keyed->schema) {
      col.type = col.type.plain();
      col.type.nullable = true;
      join->schema.push_back(col);
    }
    for (int i = 0; i < n; ++i) {
      join->left_keys.push_back(width + i);
      join->right_keys.push_back(i);
    }
    input = join;
    int col = width + n + n;
    LogicalType t = join->schema[static_cast<size_t>(col)].type;
    if (bare_count) {
      // No row in the subquery: COUNT is 0 there, where the join gives NULL.
      auto counted = keepColumns(join, std::vector<bool>(join->schema.size(), true));
      std::vector<ExprP> args;
      args.push_back(std::make_unique<InputRef>(col, t));
      args.push_back(std::make_unique<Literal>(Value::ofInt(0), LogicalType::bigint().notNull(), "0"));
      t = t.withNullable(false);
      counted->projections.push_back(std::make_shared<RowCall>(
          "COALESCE", t, std::move(args), [](const std::vector<Value>& v) { return v[0].null ? v[1] : v[0]; }, false));
      counted->schema.push_back({"$count", t});
      col = static_cast<int>(counted->schema.size()) - 1;
      input = counted;
    }
    scalar_cols_[&e] = {col, t};
    for (auto& f : scope.fields) f.type = f.type.plain();  // A regular join keeps no time attributes.
    return Status::ok();
  }

  // A subquery correlated beyond equalities, as Calcite decorrelates it: the distinct
  // values of the outer columns its `correlated` conditions read (`outer` gets them,
  // bound over the outer query), joined with its FROM (`from_plan`, `inner`) on those
  // conditions — equalities of a column of each side as keys, the rest checked per
  // pair. Output: the outer values, then the subquery's columns.
  Result<PlanPtr> perOuterValue(Pos pos, Planner& sub, const PlanPtr& from_plan, const Scope& inner,
                                const std::vector<const Expr*>& correlated, const PlanPtr& input, const Scope& scope,
                                std::vector<ExprP>& outer) {
    std::set<int> read;
    std::function<void(const Expr&)> walk = [&](const Expr& x) {
      if (x.kind == Expr::Kind::kColumn && !sub.expr(x, inner).isOk()) {
        Result<ExprP> o = expr(x, scope);
        if (o.isOk()) {
          if (auto* ref = dynamic_cast<InputRef*>(o->get())) read.insert(ref->index());
        }
      }
      for (const auto& a : x.args) walk(*a);
    };
    for (const Expr* c : correlated) walk(*c);
    if (read.empty()) return sqlError(pos, "a correlated subquery's conditions read no column of the outer query");
    std::vector<bool> keep(input->schema.size(), false);
    for (int r : read) keep[static_cast<size_t>(r)] = true;
    PlanPtr values = distinctRows(keepColumns(input, keep));
    Scope both;
    for (int r : read) {
      Field f = shadowedBy(inner, {scope.fields[static_cast<size_t>(r)]})[0];
      f.type = f.type.plain();
      both.fields.push_back(f);
      outer.push_back(std::make_unique<InputRef>(r, scope.fields[static_cast<size_t>(r)].type));
    }
    const int width = static_cast<int>(read.size());
    for (const Field& f : inner.fields) both.fields.push_back(f);
    auto join = std::make_shared<PlanNode>();
    join->kind = PlanNode::Kind::kJoin;
    join->inputs = {values, from_plan};
    join->join_type = JoinType::kInner;
    join->mode = ChangelogMode::kUpdates;
    for (const PlanPtr& side : join->inputs) {
      for (ColumnSchema c : side->schema) {
        c.type = c.type.plain();
        join->schema.push_back(c);
      }
    }
    std::vector<ExprP> checks;
    for (const Expr* c : correlated) {
      EDDY_ASSIGN_OR_RETURN(ExprP e, sub.expr(*c, both));
      if (e->type().id != TypeId::kBoolean) return sqlError(c->pos, "a subquery condition must be boolean");
      auto* call = dynamic_cast<BinaryCall*>(e.get());
      if (call && call->op() == BinaryOp::kEq) {
        auto* a = dynamic_cast<const InputRef*>(&call->left());
        auto* b = dynamic_cast<const InputRef*>(&call->right());
        if (a && b && (a->index() < width) != (b->index() < width) && keyCompatible(a->type(), b->type())) {
          if (a->index() > b->index()) std::swap(a, b);
          join->left_keys.push_back(a->index());
          join->right_keys.push_back(b->index() - width);
          continue;
        }
      }
      checks.push_back(std::move(e));
    }
    if (!checks.empty()) join->filter = std::shared_ptr<const Expression>(andAll(std::move(checks)));
    return PlanPtr(join);
  }

  // Whether `e` calls COUNT anywhere.
  static bool containsCount(const Expr& e) {
    if (e.kind == Expr::Kind::kCall && e.name == "COUNT") return true;
    for (const auto& a : e.args) {
      if (containsCount(*a)) return true;
    }
    return false;
  }

  // A scalar subquery's plan as at most one row: a global aggregation has one already;
  // anything else goes through Flink's SINGLE_VALUE, which fails the job on a second row.
  static PlanPtr singleValue(const PlanPtr& p) {
    const PlanNode* n = p.get();
    while (n->kind == PlanNode::Kind::kCalc && !n->filter) n = n->inputs[0].get();
    if (n->kind == PlanNode::Kind::kGroupAggregate && n->keys.empty()) return p;
    return singleValuePer(p, 0);
  }

  // `p`'s last column through SINGLE_VALUE per value of its first `keys` columns.
  static PlanPtr singleValuePer(const PlanPtr& p, size_t keys) {
    auto agg = std::make_shared<PlanNode>();
    agg->kind = PlanNode::Kind::kGroupAggregate;
    agg->inputs = {p};
    agg->mode = ChangelogMode::kUpdates;
    for (size_t k = 0; k < keys; ++k) {
      agg->keys.push_back(static_cast<int>(k));
      ColumnSchema c = p->schema[k];
      c.type = c.type.plain();
      agg->schema.push_back(c);
    }
    AggregateCall call;
    call.kind = AggKind::kSingleValue;
    call.arg = static_cast<int>(keys);
    call.arg_type = p->schema[keys].type.plain();
    call.type = call.arg_type.withNullable(true);
    call.retractable = p->mode == ChangelogMode::kUpdates;
    call.name = "SINGLE_VALUE($" + std::to_string(keys) + ")";
    agg->aggs.push_back(call);
    agg->schema.push_back({p->schema[keys].name, call.type});
    return agg;
  }

  // How many columns an IN's subquery matches: 1, or n for `(a, b, ...) IN (SELECT ...)`
  // (0 for EXISTS).
  static size_t inColumns(const Expr& e) {
    if (e.kind != Expr::Kind::kInQuery) return 0;
    const Expr& lhs = *e.args[0];
    return lhs.kind == Expr::Kind::kCall && lhs.name == "ROW" && lhs.args.size() > 1 ? lhs.args.size() : 1;
  }

  // A NOT IN (or an IN whose unknown result matters) of several columns some of which
  // may be NULL: its three-valued comparison of rows is not supported.
  static Status severalNullableColumns(const Expr& e, const std::vector<ExprP>& needles,
                                       const std::vector<ExprP>& values) {
    const size_t n = inColumns(e);
    if (n < 2) return Status::ok();
    for (size_t i = 0; i < n; ++i) {
      if (needles[i]->type().nullable || values[i]->type().nullable) {
        return sqlError(e.pos, "a NOT IN of several columns (or one whose unknown result matters) needs columns that "
                               "cannot be NULL");
      }
    }
    return Status::ok();
  }

  // [NOT] x IN (SELECT ...) or [NOT] EXISTS (SELECT ...), possibly under NOT.
  static bool isSubqueryPredicate(const Expr& c) {
    const Expr* e = &c;
    if (e->kind == Expr::Kind::kCall && e->name == "NOT" && e->args.size() == 1) e = e->args[0].get();
    return e->kind == Expr::Kind::kInQuery || e->kind == Expr::Kind::kExists;
  }

  // The WHERE conjuncts that are subquery predicates become joins, as in Flink: IN and
  // EXISTS a semi-join, NOT IN and NOT EXISTS an anti-join (see subqueryJoin). Takes them
  // out of `conditions`; such a predicate below OR is not supported.
  Status subqueryPredicates(PlanPtr& input, const Scope& scope, std::vector<const Expr*>& conditions) {
    std::vector<const Expr*> conjuncts, rest;
    for (const Expr* c : conditions) splitConjuncts(*c, conjuncts);
    for (const Expr* c : conjuncts) {
      if (!isSubqueryPredicate(*c)) {
        rest.push_back(c);
        continue;
      }
      const bool not_call = c->kind == Expr::Kind::kCall;
      const Expr& e = not_call ? *c->args[0] : *c;
      const bool anti = not_call != (e.kind == Expr::Kind::kInQuery && e.negated);
      std::vector<ExprP> needles, values;
      PlanPtr right;
      std::vector<const Expr*> residual;
      Scope inner;
      EDDY_RETURN_IF_ERROR(subqueryMatch(e, input, scope, needles, right, values, &residual, &inner));
      const bool null_aware = anti && e.kind == Expr::Kind::kInQuery;  // NOT IN
      if (null_aware) EDDY_RETURN_IF_ERROR(severalNullableColumns(e, needles, values));
      // IN / EXISTS correlated by the windows' start and end: a window semi- / anti-join.
      std::vector<std::pair<int, int>> equal;
      for (size_t i = 0; i < needles.size(); ++i) {
        auto* l = dynamic_cast<const InputRef*>(needles[i].get());
        auto* r = dynamic_cast<const InputRef*>(values[i].get());
        if (l && r) equal.emplace_back(l->index(), r->index());
      }
      EDDY_ASSIGN_OR_RETURN(std::optional<WindowMatch> window, windowMatch(input, right, equal, e.pos));
      if (window || !residual.empty()) {  // A window semi- / anti-join, or conditions per pair.
        EDDY_ASSIGN_OR_RETURN(input, residualSemiJoin(input, scope, std::move(needles), right, inner, std::move(values),
                                                      residual, anti, null_aware, e.pos, window ? &*window : nullptr));
        continue;
      }
      EDDY_ASSIGN_OR_RETURN(input, subqueryJoin(input, std::move(needles), right, std::move(values), anti,
                                                anti && e.kind == Expr::Kind::kInQuery, e.pos));
    }
    conditions = rest;
    return Status::ok();
  }

  // What `x IN (SELECT v ...)` or `EXISTS (...)` matches: `needles` over the outer
  // query (x, then a correlated subquery's outer columns) against `values` over `right`
  // (v, then its inner columns), the subquery planned alone or decorrelated.
  // A correlated subquery's conditions beyond equalities come out in `residual`, bound
  // over the outer columns then `right`'s (with `residual_scope` for them). `input` is
  // the outer query's rows (`scope` names its first columns).
  Status subqueryMatch(const Expr& e, const PlanPtr& input, const Scope& scope, std::vector<ExprP>& needles,
                       PlanPtr& right,
                       std::vector<ExprP>& values, std::vector<const Expr*>* residual = nullptr,
                       Scope* residual_scope = nullptr) {
    // `(a, b) IN (SELECT x, y ...)`: a needle per column, matched column by column.
    const size_t in_columns = inColumns(e);
    if (e.kind == Expr::Kind::kInQuery) {
      const Expr& lhs = *e.args[0];
      for (size_t i = 0; i < in_columns; ++i) {
        EDDY_ASSIGN_OR_RETURN(ExprP needle, expr(in_columns > 1 ? *lhs.args[i] : lhs, scope));
        needles.push_back(std::move(needle));
      }
    }
    Planner sub = nested();
    Result<PlanPtr> plain = sub.query(*e.query);
    if (plain.isOk()) {
      right = *plain;
      if (e.kind == Expr::Kind::kInQuery) {
        if (right->schema.size() != in_columns) {
          return sqlError(e.pos, "the subquery of IN must return " +
                                     (in_columns == 1 ? std::string("one column") : std::to_string(in_columns) + " columns") +
                                     ", not " + std::to_string(right->schema.size()));
        }
        for (size_t c = 0; c < in_columns; ++c) {
          values.push_back(std::make_unique<InputRef>(static_cast<int>(c), right->schema[c].type));
        }
      }
      return Status::ok();
    }
    if (in_columns > 1) return sqlError(e.pos, "an IN of several columns takes an uncorrelated subquery");
    // Not a query of its own: it may read the outer query's columns (correlated). A
    // subquery that cannot be a correlated one keeps its own error.
    bool correlatable = false;
    Result<Decorrelated> d = decorrelate(*e.query, input, scope, e.kind == Expr::Kind::kInQuery, &correlatable);
    if (!d.isOk()) return correlatable ? d.status() : plain.status();
    right = d->plan;
    values = std::move(d->inner);
    for (auto& o : d->outer) needles.push_back(std::move(o));
    if (!d->residual.empty()) {
      if (!residual) {
        return sqlError(d->residual[0]->pos, "a subquery under OR or in a SELECT list can only correlate by "
                                             "equalities of a subquery column and an outer one");
      }
      *residual = d->residual;
      *residual_scope = d->inner_scope;
    }
    return Status::ok();
  }

  // `P OR [NOT] EXISTS (...)` (or `[NOT] x IN (...)`, either order), its subquery
  // correlated beyond equalities (`WHERE p.k = o.k AND p.v > o.v`), which a mark join
  // cannot take: a UNION ALL of the rows for which P holds and of the others semi- (anti-)
  // joined with the subquery per pair, each row in exactly one branch. Takes such
  // conjuncts out of `conditions`; the rest go to markSubqueries.
  Status orSubqueries(PlanPtr& input, Scope& scope, std::vector<const Expr*>& conditions) {
    std::vector<const Expr*> conjuncts, rest;
    for (const Expr* c : conditions) splitConjuncts(*c, conjuncts);
    std::function<bool(const Expr&)> hasSubquery = [&](const Expr& e) {
      if (e.kind == Expr::Kind::kInQuery || e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kSubquery) return true;
      for (const auto& a : e.args) {
        if (hasSubquery(*a)) return true;
      }
      return false;
    };
    for (const Expr* c : conjuncts) {
      const bool two = c->kind == Expr::Kind::kCall && c->name == "OR" && c->args.size() == 2;
      const int side = !two ? -1 : isSubqueryPredicate(*c->args[0]) ? 0 : isSubqueryPredicate(*c->args[1]) ? 1 : -1;
      if (side < 0 || hasSubquery(*c->args[static_cast<size_t>(1 - side)])) {
        rest.push_back(c);
        continue;
      }
      const Expr* predicate = c->args[static_cast<size_t>(side)].get();
      const bool not_call = predicate->kind == Expr::Kind::kCall;
      const Expr& e = not_call ? *predicate->args[0] : *predicate;
      std::vector<ExprP> needles, values;
      PlanPtr right;
      std::vector<const Expr*> residual;
      Scope inner;
      EDDY_RETURN_IF_ERROR(subqueryMatch(e, input, scope, needles, right, values, &residual, &inner));
      if (residual.empty()) {  // Correlated by equalities at most: a mark join.
        rest.push_back(c);
        continue;
      }
      const bool anti = not_call != (e.kind == Expr::Kind::kInQuery && e.negated);
      EDDY_ASSIGN_OR_RETURN(ExprP other, expr(*c->args[static_cast<size_t>(1 - side)], scope));
      if (other->type().id != TypeId::kBoolean) {
        return sqlError(c->args[static_cast<size_t>(1 - side)]->pos, "OR needs boolean operands, not " +
                                                                          other->type().toString());
      }
      PlanPtr holds = filtered(input, std::make_unique<IsCall>(IsCall::What::kTrue, other->clone()));
      PlanPtr others = filtered(input, std::make_unique<IsCall>(IsCall::What::kNotTrue, std::move(other)));
      EDDY_ASSIGN_OR_RETURN(others, residualSemiJoin(others, scope, std::move(needles), right, inner, std::move(values),
                                                     residual, anti, anti && e.kind == Expr::Kind::kInQuery, e.pos));
      auto u = std::make_shared<PlanNode>();
      u->kind = PlanNode::Kind::kUnion;
      u->schema = regularJoinInput(holds)->schema;  // Neither branch keeps time attributes.
      u->mode = holds->mode == ChangelogMode::kUpdates || others->mode == ChangelogMode::kUpdates
                    ? ChangelogMode::kUpdates
                    : ChangelogMode::kInsertOnly;
      u->inputs = {regularJoinInput(holds), regularJoinInput(others)};
      input = u;
      for (auto& f : scope.fields) f.type = f.type.plain();
    }
    conditions = rest;
    return Status::ok();
  }

  // IN (SELECT ...) and EXISTS inside a larger condition (under OR): each a LEFT join
  // of `input` with the subquery's distinct values and a marker, the predicate then
  // "the marker is set" (Flink's mark join). Outside NOT, and for a NOT IN only between
  // columns that cannot be NULL, SQL's unknown results make no difference in a WHERE.
  // In a SELECT list (`in_select`) the predicate's value itself is output: an IN must
  // compare columns that cannot be NULL, where it is never unknown.
  Status markSubqueries(PlanPtr& input, Scope& scope, const std::vector<const Expr*>& conditions,
                        bool in_select = false) {
    std::vector<std::pair<const Expr*, bool>> found;  // The predicate; whether under a NOT.
    std::function<void(const Expr&, bool)> collect = [&](const Expr& e, bool under_not) {
      if (e.kind == Expr::Kind::kInQuery || e.kind == Expr::Kind::kExists) {
        found.emplace_back(&e, under_not);
        return;
      }
      if (e.kind == Expr::Kind::kSubquery) return;
      const bool is_not = e.kind == Expr::Kind::kCall && e.name == "NOT";
      for (const auto& a : e.args) collect(*a, under_not || is_not);
    };
    for (const Expr* c : conditions) collect(*c, in_select);
    for (const auto& [e, under_not] : found) {
      std::vector<ExprP> needles, values;
      PlanPtr right;
      std::vector<const Expr*> residual;
      Scope inner;
      EDDY_RETURN_IF_ERROR(subqueryMatch(*e, input, scope, needles, right, values, &residual, &inner));
      if (under_not || e->negated) EDDY_RETURN_IF_ERROR(severalNullableColumns(*e, needles, values));
      // Where its unknown result matters, an IN whose sides may be NULL is valued three ways.
      const bool three_valued = e->kind == Expr::Kind::kInQuery && (under_not || e->negated) &&
                                (needles[0]->type().nullable || values[0]->type().nullable);
      if (!residual.empty()) {
        // Correlated beyond equalities: through a value generator.
        if (three_valued) {
          EDDY_ASSIGN_OR_RETURN(input, generatedIn(input, scope, std::move(needles), right, inner, std::move(values),
                                                   residual, e->pos));
          in_values_.insert(e);
        } else {
          EDDY_ASSIGN_OR_RETURN(input, generatedMark(input, scope, std::move(needles), right, inner,
                                                     std::move(values), residual, e->pos));
        }
        const int mark = static_cast<int>(input->schema.size()) - 1;
        mark_cols_[e] = {mark, input->schema[static_cast<size_t>(mark)].type};
        for (auto& f : scope.fields) f.type = f.type.plain();
        continue;
      }
      std::vector<ExprP> kept_values;
      if (three_valued) {
        for (const ExprP& v : values) kept_values.push_back(v->clone());
      }
      const int width = static_cast<int>(input->schema.size());
      const int n = static_cast<int>(needles.size());
      EDDY_ASSIGN_OR_RETURN(input, markJoin(input, std::move(needles), right, std::move(values), JoinType::kLeft,
                                            false, e->pos));
      if (three_valued) {
        EDDY_ASSIGN_OR_RETURN(input, nullAwareIn(input, width, right, kept_values));
        const int value = static_cast<int>(input->schema.size()) - 1;
        mark_cols_[e] = {value, input->schema[static_cast<size_t>(value)].type};
        in_values_.insert(e);
        for (auto& f : scope.fields) f.type = f.type.plain();
        continue;
      }
      const int mark = width + n + n;
      mark_cols_[e] = {mark, input->schema[static_cast<size_t>(mark)].type};
      for (auto& f : scope.fields) f.type = f.type.plain();  // A regular join keeps no time attributes.
    }
    return Status::ok();
  }

  // A correlated subquery `SELECT v FROM ... WHERE inner = outer AND ...`: its FROM
  // filtered by the conditions on its own columns, and the pairs of inner and outer
  // expressions its other conditions equate (for IN, the selected value first).
  struct Decorrelated {
    PlanPtr plan;
    std::vector<ExprP> inner, outer;
    std::vector<const Expr*> residual;  // Conditions on both sides beyond inner = outer.
    Scope inner_scope;                  // `plan`'s columns, for binding them.
  };
  // `*correlatable`: whether the query has a shape this can decorrelate (a single
  // SELECT without GROUP BY); when not, its own planning error is the one to report.
  Result<Decorrelated> decorrelate(const ast::Query& q, const PlanPtr& input, const Scope& outer, bool with_value,
                                   bool* correlatable) {
    if (q.selects.size() != 1 || !q.selects[0] || !q.with.empty() || q.limit || q.offset || !q.order_by.empty()) {
      return sqlError(q.pos, "a correlated subquery must be a single SELECT");
    }
    const ast::Select& s = *q.selects[0];
    if (!s.from) return sqlError(s.pos, "a correlated subquery needs a FROM");
    const bool grouped = !s.group_by.empty() || s.having;
    if (grouped && s.has_grouping_sets) {
      return sqlError(s.pos, "a correlated subquery with GROUPING SETS, ROLLUP or CUBE is not supported yet");
    }
    *correlatable = true;
    Planner sub = nested();
    Scope inner;
    Decorrelated d;
    EDDY_ASSIGN_OR_RETURN(d.plan, sub.from(*s.from, inner));
    if (with_value && s.items.size() != 1) return sqlError(s.pos, "the subquery of IN must return one column");
    ast::ExprPtr star;  // EXISTS (SELECT * ...) has no value to read.
    if (with_value) {
      EDDY_ASSIGN_OR_RETURN(star, starColumn(*s.items[0].expr, inner, "the subquery of IN"));
    }
    const Expr& value = star ? *star : *s.items[0].expr;
    if (with_value && !grouped) {
      EDDY_ASSIGN_OR_RETURN(ExprP v, sub.expr(value, inner));
      d.inner.push_back(std::move(v));
    }
    std::vector<const Expr*> conjuncts;
    if (s.where) splitConjuncts(*s.where, conjuncts);
    std::vector<ExprP> filters;
    std::vector<Correlation> pairs;
    EDDY_RETURN_IF_ERROR(splitCorrelation(conjuncts, sub, inner, outer, filters, pairs, &d.residual));
    d.inner_scope = inner;
    if (!filters.empty()) d.plan = filtered(d.plan, andAll(std::move(filters)));
    if (!grouped) {
      for (auto& p : pairs) {
        d.inner.push_back(std::move(p.inner));
        d.outer.push_back(std::move(p.outer));
      }
      return d;
    }
    // GROUP BY / HAVING: the subquery grouped by its own keys and its correlation
    // columns too (all rows matching one outer row share those), as Calcite
    // decorrelates it; its value and those columns come out of the aggregation.
    if (!d.residual.empty()) return generatedGroups(s, input, outer, sub, inner, std::move(d), pairs, with_value);
    ast::Select regrouped;
    regrouped.pos = s.pos;
    if (with_value) regrouped.items.push_back({cloneExpr(value), "", s.items[0].pos});
    for (const auto& g : s.group_by) regrouped.group_by.push_back(cloneExpr(*g));
    for (auto& p : pairs) {
      regrouped.items.push_back({cloneExpr(*p.inner_ast), "", p.inner_ast->pos});
      regrouped.group_by.push_back(cloneExpr(*p.inner_ast));
      d.outer.push_back(std::move(p.outer));
    }
    if (s.having) regrouped.having = cloneExpr(*s.having);
    EDDY_ASSIGN_OR_RETURN(d.plan, sub.selectOver(regrouped, d.plan, inner));
    d.inner_scope = scopeOf(d.plan->schema, "");
    for (size_t c = 0; c < d.plan->schema.size(); ++c) {
      d.inner.push_back(std::make_unique<InputRef>(static_cast<int>(c), d.plan->schema[c].type));
    }
    return d;
  }

  // A grouped subquery correlated beyond equalities (`d.residual`), as Calcite
  // decorrelates it with a value generator: the distinct outer values the correlation
  // reads, joined with the subquery's rows on it, grouped by its own keys and those
  // values; it matches (after its value, for IN) null-safely on those values.
  Result<Decorrelated> generatedGroups(const ast::Select& s, const PlanPtr& input, const Scope& outer, Planner& sub,
                                       const Scope& inner, Decorrelated d, std::vector<Correlation>& pairs,
                                       bool with_value) {
    ValueGenerator g;
    Scope joined;
    EDDY_ASSIGN_OR_RETURN(PlanPtr join, generatedRows(input, outer, pairs, d.plan, inner, d.residual, {}, s.pos, g, joined));
    ast::Select regrouped;
    regrouped.pos = s.pos;
    if (with_value) regrouped.items.push_back({cloneExpr(*s.items[0].expr), "", s.items[0].pos});
    for (const auto& group : s.group_by) regrouped.group_by.push_back(cloneExpr(*group));
    for (const Field& f : g.scope.fields) {
      ast::ExprPtr column = generatedColumn(f, s.pos);
      regrouped.group_by.push_back(cloneExpr(*column));
      regrouped.items.push_back({std::move(column), "", s.pos});
    }
    if (s.having) regrouped.having = cloneExpr(*s.having);
    EDDY_ASSIGN_OR_RETURN(d.plan, sub.selectOver(regrouped, join, joined));
    const int first = with_value ? 1 : 0;
    std::vector<int> generated(g.columns.size());
    for (size_t i = 0; i < generated.size(); ++i) generated[i] = first + static_cast<int>(i);
    d.inner.clear();
    d.outer.clear();
    if (with_value) d.inner.push_back(std::make_unique<InputRef>(0, d.plan->schema[0].type));
    d.inner.push_back(nullSafeKey(generated, d.plan->schema));
    d.outer.push_back(nullSafeKey(g.columns, input->schema));
    d.residual.clear();
    d.inner_scope = scopeOf(d.plan->schema, "");
    return d;
  }

  // Appends to the Calcs `left` and `right` a subquery match's key columns `$k<i>`
  // (`needles`) and `$v<i>` (`values`), each pair cast to their common type.
  static Status addMatchKeys(std::vector<ExprP> needles, std::vector<ExprP> values, PlanNode& left, PlanNode& right,
                             Pos pos) {
    for (size_t i = 0; i < needles.size(); ++i) {
      LogicalType common;
      if (!commonType(needles[i]->type(), values[i]->type(), &common)) {
        return sqlError(pos, "the subquery compares " + needles[i]->type().toString() + " with " +
                                 values[i]->type().toString());
      }
      ExprP key = coerce(std::move(needles[i]), common.plain());
      left.schema.push_back({"$k" + std::to_string(i), key->type()});
      left.projections.push_back(std::shared_ptr<const Expression>(std::move(key)));
      ExprP value = coerce(std::move(values[i]), common.plain());
      right.schema.push_back({"$v" + std::to_string(i), value->type()});
      right.projections.push_back(std::shared_ptr<const Expression>(std::move(value)));
    }
    return Status::ok();
  }

  // NOT IN's match of columns `l` and `r` of a joined row: equal, or either NULL (so a
  // NULL on either side keeps every row out, as SQL's NOT IN has it).
  static ExprP nullAwareMatch(int l, const LogicalType& lt, int r, const LogicalType& rt) {
    std::vector<ExprP> either;
    either.push_back(std::make_unique<BinaryCall>(BinaryOp::kEq, LogicalType::boolean(), std::make_unique<InputRef>(l, lt),
                                                  std::make_unique<InputRef>(r, rt)));
    either.push_back(std::make_unique<IsCall>(IsCall::What::kNull, std::make_unique<InputRef>(l, lt)));
    either.push_back(std::make_unique<IsCall>(IsCall::What::kNull, std::make_unique<InputRef>(r, rt)));
    return std::make_unique<LogicalCall>(LogicalCall::Op::kOr, std::move(either));
  }

  // `calc` with SQL's three-valued `x IN (subquery)` appended from `args`: whether (or
  // how often) a subquery row equals x, x, the subquery's rows, and those of them whose
  // column is not NULL (NULL counts: none) — TRUE on a match, else FALSE for no rows,
  // NULL when x or a row's column is NULL, FALSE otherwise (Calcite's rewrite).
  static PlanPtr withInValue(const std::shared_ptr<PlanNode>& calc, std::vector<ExprP> args) {
    calc->projections.push_back(std::make_shared<RowCall>("IN", LogicalType::boolean(), std::move(args),
                                                          [](const std::vector<Value>& v) {
      if (!v[0].null && v[0].i != 0) return Value::ofBool(true);
      if (v[2].null || v[2].i == 0) return Value::ofBool(false);
      if (v[1].null || v[3].i < v[2].i) return Value();
      return Value::ofBool(false);
    }, false));
    calc->schema.push_back({"$in", LogicalType::boolean()});
    return calc;
  }

  // `x IN (subquery)` as a value, where x or the subquery's column may be NULL (in a
  // SELECT list, or under NOT): after the mark join (`marked`: `width` outer columns,
  // then the n keys $k — x first, then the correlation keys —, the n values and the
  // mark), a LEFT join with the subquery's row counts per correlation (COUNT(*), and
  // COUNT of its column), and SQL's three-valued IN as Calcite rewrites it: TRUE when
  // marked, else FALSE for no rows, NULL when x is NULL or a row's column is, else FALSE.
  // `right` and `values` are the subquery and its columns, as given to the mark join.
  // Returns the plan with the IN's value as its last column.
  Result<PlanPtr> nullAwareIn(const PlanPtr& marked, int width, const PlanPtr& right,
                              const std::vector<ExprP>& values) {
    const int n = static_cast<int>(values.size());
    auto columns = std::make_shared<PlanNode>();
    columns->kind = PlanNode::Kind::kCalc;
    columns->inputs = {right};
    columns->mode = right->mode;
    for (int i = 1; i < n; ++i) {
      const LogicalType key = marked->schema[static_cast<size_t>(width + i)].type.plain();
      columns->schema.push_back({"$c" + std::to_string(i), key});
      columns->projections.push_back(std::shared_ptr<const Expression>(coerce(values[static_cast<size_t>(i)]->clone(), key)));
    }
    columns->schema.push_back({"$x", values[0]->type()});
    columns->projections.push_back(std::shared_ptr<const Expression>(values[0]->clone()));
    auto counts = std::make_shared<PlanNode>();
    counts->kind = PlanNode::Kind::kGroupAggregate;
    counts->inputs = {columns};
    counts->mode = ChangelogMode::kUpdates;
    for (int i = 0; i + 1 < n; ++i) {
      counts->keys.push_back(i);
      counts->schema.push_back(columns->schema[static_cast<size_t>(i)]);
    }
    for (bool all : {true, false}) {
      AggregateCall count;
      count.kind = AggKind::kCount;
      count.arg = all ? -1 : n - 1;
      count.arg_type = values[0]->type().plain();
      count.type = LogicalType::bigint().notNull();
      count.retractable = right->mode == ChangelogMode::kUpdates;
      count.name = all ? "COUNT(*)" : "COUNT($" + std::to_string(n - 1) + ")";
      counts->aggs.push_back(count);
      counts->schema.push_back({all ? "$c" : "$ck", count.type});
    }
    auto left = regularJoinInput(marked);
    auto join = joinNode(left, counts, JoinType::kLeft, ChangelogMode::kUpdates);
    for (int i = 1; i < n; ++i) {
      join->left_keys.push_back(width + i);
      join->right_keys.push_back(i - 1);
    }
    const int joined = static_cast<int>(left->schema.size());
    auto in = keepColumns(join, std::vector<bool>(join->schema.size(), true));
    std::vector<ExprP> args;
    auto ref = [&](int c) { return std::make_unique<InputRef>(c, join->schema[static_cast<size_t>(c)].type); };
    args.push_back(ref(width + 2 * n));     // The mark.
    args.push_back(ref(width));             // x.
    args.push_back(ref(joined + n - 1));    // COUNT(*).
    args.push_back(ref(joined + n));        // COUNT(column).
    return withInValue(in, std::move(args));
  }

  // Columns `columns` of a row as one STRING that is equal exactly when each column is
  // equal or both are NULL (a null-safe join key): length-prefixed ordered encodings.
  static ExprP nullSafeKey(const std::vector<int>& columns, const Schema& schema) {
    std::vector<ExprP> parts;
    std::vector<LogicalType> types;
    for (int c : columns) {
      types.push_back(schema[static_cast<size_t>(c)].type.plain());
      parts.push_back(std::make_unique<InputRef>(c, schema[static_cast<size_t>(c)].type));
    }
    return std::make_unique<RowCall>("NULL_SAFE_KEY", LogicalType::string().notNull(), std::move(parts),
                                     [types](const std::vector<Value>& v) {
      std::string key;
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i].null) {
          key += "n";
          continue;
        }
        const std::string e = encodeOrdered(v[i], types[i]);
        key += std::to_string(e.size()) + ":" + e;
      }
      return Value::ofString(std::move(key));
    }, false);
  }

  // Calcite's value generator for a subquery correlated beyond equalities: the
  // distinct values of the outer columns (`columns` of `input`, named as in `scope`) that
  // the needles, the other conditions (`residual`) and `also` (over `input`) read, and
  // the needles rebound over them.
  struct ValueGenerator {
    PlanPtr distinct;
    std::vector<int> columns;
    Scope scope;
    std::vector<ExprP> needles;
  };
  Result<ValueGenerator> valueGenerator(const PlanPtr& input, const Scope& scope, std::vector<ExprP> needles,
                                        const Scope& inner, const std::vector<const Expr*>& residual,
                                        const std::vector<ExprP>& also = {}) {
    const size_t width = input->schema.size();
    const size_t outer = scope.fields.size();  // `scope` names input's first columns (an earlier mark's follow).
    std::vector<bool> used(width, false);
    for (const ExprP& n : needles) markInputs(*n, used);
    for (const ExprP& a : also) markInputs(*a, used);
    Scope both{shadowedBy(inner, scope.fields)};
    for (const Field& f : inner.fields) both.fields.push_back(f);
    for (const Expr* c : residual) {
      EDDY_ASSIGN_OR_RETURN(ExprP cond, joinCondition(*c, both));
      std::vector<bool> read(both.fields.size(), false);
      markInputs(*cond, read);
      for (size_t i = 0; i < outer; ++i) used[i] = used[i] || read[i];
    }
    ValueGenerator g;
    std::map<int, int> slot;
    for (size_t c = 0; c < outer; ++c) {
      if (!used[c]) continue;
      slot[static_cast<int>(c)] = static_cast<int>(g.columns.size());
      g.columns.push_back(static_cast<int>(c));
      Field f = scope.fields[c];
      f.type = f.type.plain();
      g.scope.fields.push_back(f);
    }
    g.distinct = distinctRows(keepColumns(input, used));
    for (ExprP& n : needles) {
      g.needles.push_back(n->cloneWith([&](int index, const LogicalType& type) -> ExprP {
        return std::make_unique<InputRef>(slot.at(index), type.plain());
      }));
    }
    return g;
  }

  // A value generator's rows INNER JOINed with `right` (named by `inner`) on the
  // generator's needles = `values` from the `first_key`th on and the `residual`
  // conditions: the generator's columns, its keys `$k`, right's columns, right's keys
  // `$v`, which `joined` names.
  Result<std::shared_ptr<PlanNode>> generatedJoin(ValueGenerator& g, const PlanPtr& right, const Scope& inner,
                                                  std::vector<ExprP> values, const std::vector<const Expr*>& residual,
                                                  int first_key, Pos pos, Scope& joined) {
    const int width = static_cast<int>(g.columns.size());
    const int n = static_cast<int>(g.needles.size());
    const int right_width = static_cast<int>(right->schema.size());
    auto left = regularJoinInput(g.distinct);
    auto keyed = regularJoinInput(right);
    EDDY_RETURN_IF_ERROR(addMatchKeys(std::move(g.needles), std::move(values), *left, *keyed, pos));
    joined = keyedJoinScope(g.scope, *left, width, inner, *keyed, right_width, n);
    std::vector<ExprP> conds;
    for (const Expr* c : residual) {
      EDDY_ASSIGN_OR_RETURN(ExprP cond, joinCondition(*c, joined));
      conds.push_back(std::move(cond));
    }
    auto join = joinNode(left, keyed, JoinType::kInner, ChangelogMode::kUpdates);
    for (int i = first_key; i < n; ++i) {
      join->left_keys.push_back(width + i);
      join->right_keys.push_back(right_width + i);
    }
    if (!conds.empty()) join->filter = std::shared_ptr<const Expression>(andAll(std::move(conds)));
    return join;
  }

  // The value generator of a subquery correlated by `pairs` and `residual` over `input`
  // (named by `scope`; `also` marks more outer columns to keep), in `g`, its rows
  // joined with the subquery's `right` (named by `inner`) by the correlation; `joined`
  // names the result (generatedJoin's).
  Result<PlanPtr> generatedRows(const PlanPtr& input, const Scope& scope, const std::vector<Correlation>& pairs,
                                const PlanPtr& right, const Scope& inner, const std::vector<const Expr*>& residual,
                                const std::vector<ExprP>& also, Pos pos, ValueGenerator& g, Scope& joined) {
    std::vector<ExprP> needles, values;
    for (const Correlation& p : pairs) {
      needles.push_back(p.outer->clone());
      values.push_back(p.inner->clone());
    }
    EDDY_ASSIGN_OR_RETURN(g, valueGenerator(input, scope, std::move(needles), inner, residual, also));
    return generatedJoin(g, right, inner, std::move(values), residual, 0, pos, joined);
  }

  // A generated row's column as a query names it: as the outer row has it, read from
  // the enclosing row (outer_ref) whatever the subquery's own names.
  static ast::ExprPtr generatedColumn(const Field& f, Pos pos) {
    auto column = std::make_unique<Expr>();
    column->kind = Expr::Kind::kColumn;
    column->pos = pos;
    column->names = f.qualifier.empty() ? std::vector<std::string>{f.name} : std::vector<std::string>{f.qualifier, f.name};
    column->outer_ref = true;
    return column;
  }

  // `input` LEFT JOINed with `found` (rows of a value generator's columns, then more
  // columns), null-safely on the generator's `columns`: `input`'s columns, the two
  // keys, then `found`'s columns (NULL where none matched).
  static PlanPtr joinGenerated(const PlanPtr& input, const std::vector<int>& columns, const PlanPtr& found) {
    std::vector<int> first(columns.size());
    for (size_t i = 0; i < first.size(); ++i) first[i] = static_cast<int>(i);
    auto left = regularJoinInput(input);
    left->schema.push_back({"$g", LogicalType::string().notNull()});
    left->projections.push_back(std::shared_ptr<const Expression>(nullSafeKey(columns, input->schema)));
    auto right = keepColumns(found, std::vector<bool>(found->schema.size(), false));
    right->schema.push_back({"$g", LogicalType::string().notNull()});
    right->projections.push_back(std::shared_ptr<const Expression>(nullSafeKey(first, found->schema)));
    for (size_t c = 0; c < found->schema.size(); ++c) {
      right->schema.push_back({found->schema[c].name, found->schema[c].type.plain()});
      right->projections.push_back(std::make_shared<InputRef>(static_cast<int>(c), found->schema[c].type));
    }
    auto join = joinNode(left, right, JoinType::kLeft, ChangelogMode::kUpdates);
    join->left_keys = {static_cast<int>(input->schema.size())};
    join->right_keys = {0};
    return join;
  }

  // [NOT] EXISTS / IN in a SELECT list or under OR, its subquery correlated beyond
  // equalities (`residual`), as Calcite decorrelates it with a value generator: its rows
  // are semi-joined with the subquery (residualSemiJoin: the pairs checked one by one)
  // and `input` is joined back with those that matched (joinGenerated), the last column
  // a marker that is NULL where the subquery has no match.
  Result<PlanPtr> generatedMark(const PlanPtr& input, const Scope& scope, std::vector<ExprP> needles,
                                const PlanPtr& right, const Scope& inner, std::vector<ExprP> values,
                                const std::vector<const Expr*>& residual, Pos pos) {
    EDDY_ASSIGN_OR_RETURN(ValueGenerator g, valueGenerator(input, scope, std::move(needles), inner, residual));
    EDDY_ASSIGN_OR_RETURN(PlanPtr matched, residualSemiJoin(g.distinct, g.scope, std::move(g.needles), right, inner,
                                                            std::move(values), residual, false, false, pos));
    auto marked = keepColumns(matched, std::vector<bool>(matched->schema.size(), true));
    marked->schema.push_back({"$m", LogicalType::boolean().notNull()});
    marked->projections.push_back(
        std::make_shared<Literal>(Value::ofBool(true), LogicalType::boolean().notNull(), "true"));
    return joinGenerated(input, g.columns, marked);
  }

  // `x IN (subquery)` correlated beyond equalities, valued three ways (in a SELECT list
  // or under NOT, where x or the subquery's column may be NULL): per row of the value
  // generator, the subquery's rows that satisfy the correlation (an INNER join on the
  // other equalities and `residual`) are counted — all of them, those whose column is
  // not NULL, those equal to x — and `input` is joined back with the counts
  // (joinGenerated); the IN's value, last, is TRUE for an equal row, else FALSE for no
  // rows, NULL when x or a row's column is NULL, FALSE otherwise (as nullAwareIn).
  Result<PlanPtr> generatedIn(const PlanPtr& input, const Scope& scope, std::vector<ExprP> needles,
                              const PlanPtr& right, const Scope& inner, std::vector<ExprP> values,
                              const std::vector<const Expr*>& residual, Pos pos) {
    ExprP x = needles[0]->clone();  // Over `input`.
    EDDY_ASSIGN_OR_RETURN(ValueGenerator g, valueGenerator(input, scope, std::move(needles), inner, residual));
    const int width = static_cast<int>(g.columns.size());
    const int n = static_cast<int>(g.needles.size());
    const int right_width = static_cast<int>(right->schema.size());
    Scope joined;
    // The correlation's equalities are keys; x's (the first) is counted, not joined on.
    EDDY_ASSIGN_OR_RETURN(auto join, generatedJoin(g, right, inner, std::move(values), residual, 1, pos, joined));
    // Per joined pair: the generator's columns, the subquery's column, whether it equals x.
    const int key = width, value = width + n + right_width;
    const LogicalType& value_type = join->schema[static_cast<size_t>(value)].type;
    auto pairs = keepColumns(join, std::vector<bool>(join->schema.size(), false));
    for (int c = 0; c < width; ++c) {
      pairs->schema.push_back(join->schema[static_cast<size_t>(c)]);
      pairs->projections.push_back(std::make_shared<InputRef>(c, join->schema[static_cast<size_t>(c)].type));
    }
    pairs->schema.push_back({"$v", value_type});
    pairs->projections.push_back(std::make_shared<InputRef>(value, value_type));
    pairs->schema.push_back({"$eq", LogicalType::boolean()});
    pairs->projections.push_back(std::make_shared<BinaryCall>(
        BinaryOp::kEq, LogicalType::boolean(), std::make_unique<InputRef>(key, join->schema[static_cast<size_t>(key)].type),
        std::make_unique<InputRef>(value, value_type)));
    auto counts = std::make_shared<PlanNode>();
    counts->kind = PlanNode::Kind::kGroupAggregate;
    counts->inputs = {pairs};
    counts->mode = ChangelogMode::kUpdates;
    for (int c = 0; c < width; ++c) {
      counts->keys.push_back(c);
      counts->schema.push_back({pairs->schema[static_cast<size_t>(c)].name, pairs->schema[static_cast<size_t>(c)].type});
    }
    for (int k = 0; k < 3; ++k) {  // COUNT(*), COUNT($v), COUNT(*) FILTER $eq
      AggregateCall count;
      count.kind = AggKind::kCount;
      count.arg = k == 1 ? width : -1;
      count.filter = k == 2 ? width + 1 : -1;
      count.arg_type = value_type.plain();
      count.type = LogicalType::bigint().notNull();
      count.name = k == 1 ? "COUNT($" + std::to_string(width) + ")"
                          : std::string("COUNT(*)") + (k == 2 ? " FILTER $" + std::to_string(width + 1) : "");
      counts->aggs.push_back(count);
      counts->schema.push_back({k == 0 ? "$c" : k == 1 ? "$ck" : "$ce", count.type});
    }
    PlanPtr back = joinGenerated(input, g.columns, counts);
    const int c_all = static_cast<int>(back->schema.size()) - 3;
    auto in = keepColumns(back, std::vector<bool>(back->schema.size(), true));
    std::vector<ExprP> args;
    auto ref = [&](int c) { return std::make_unique<InputRef>(c, back->schema[static_cast<size_t>(c)].type); };
    args.push_back(ref(c_all + 2));  // Rows equal to x.
    args.push_back(std::move(x));
    args.push_back(ref(c_all));      // COUNT(*).
    args.push_back(ref(c_all + 1));  // COUNT(column).
    return withInValue(in, std::move(args));
  }

  // The scope of a row of a join keyed by addMatchKeys: the `outer` fields (those
  // `inner` also names reachable qualified only), the n keys of `left` (after its
  // `left_width` columns), `inner`'s fields, the n keys of `right` (after its
  // `right_width`).
  static Scope keyedJoinScope(const Scope& outer, const PlanNode& left, int left_width, const Scope& inner,
                              const PlanNode& right, int right_width, int n) {
    Scope joined{shadowedBy(inner, outer.fields)};
    for (int i = 0; i < n; ++i) {
      joined.fields.push_back({"$", "$k" + std::to_string(i), left.schema[static_cast<size_t>(left_width + i)].type, true});
    }
    for (const Field& f : inner.fields) joined.fields.push_back(f);
    for (int i = 0; i < n; ++i) {
      joined.fields.push_back({"$", "$v" + std::to_string(i), right.schema[static_cast<size_t>(right_width + i)].type, true});
    }
    return joined;
  }

  // A regular join node of `left` and `right`: their columns (the right's nullable for a
  // LEFT join), the keys and condition still to set.
  static std::shared_ptr<PlanNode> joinNode(const PlanPtr& left, const PlanPtr& right, JoinType type,
                                            ChangelogMode mode) {
    auto join = std::make_shared<PlanNode>();
    join->kind = PlanNode::Kind::kJoin;
    join->inputs = {left, right};
    join->join_type = type;
    join->mode = mode;
    join->schema = left->schema;
    for (auto col : right->schema) {
      if (type == JoinType::kLeft) col.type.nullable = true;
      join->schema.push_back(col);
    }
    return join;
  }

  // `input` joined (`type` INNER or LEFT) with the distinct rows of `values` over
  // `right`, matched with `needles` over `input` (as subqueryJoin), keeping every column:
  // `input`'s, the needles, the values and last a marker that is NULL where a LEFT join
  // found no match.
  Result<PlanPtr> markJoin(const PlanPtr& input, std::vector<ExprP> needles, const PlanPtr& right,
                           std::vector<ExprP> values, JoinType type, bool null_aware, Pos pos) {
    const bool outer = type == JoinType::kLeft;
    const int width = static_cast<int>(input->schema.size());
    const int n = static_cast<int>(needles.size());
    auto left = regularJoinInput(input);
    auto marked = std::make_shared<PlanNode>();
    marked->kind = PlanNode::Kind::kCalc;
    marked->inputs = {right};
    marked->mode = right->mode;
    EDDY_RETURN_IF_ERROR(addMatchKeys(std::move(needles), std::move(values), *left, *marked, pos));
    // A column never NULL in a matched row: NULL where a LEFT join found no match.
    marked->schema.push_back({"$m", LogicalType::boolean().notNull()});
    marked->projections.push_back(std::make_shared<Literal>(Value::ofBool(true), LogicalType::boolean().notNull(), "true"));
    PlanPtr distinct = distinctRows(marked);
    auto join = std::make_shared<PlanNode>();
    join->kind = PlanNode::Kind::kJoin;
    join->inputs = {left, distinct};
    join->join_type = type;
    join->schema = left->schema;
    for (auto col : distinct->schema) {
      if (outer) col.type.nullable = true;
      join->schema.push_back(col);
    }
    join->mode = ChangelogMode::kUpdates;
    for (int i = 0; i < n; ++i) {
      const LogicalType& lt = left->schema[static_cast<size_t>(width + i)].type;
      const LogicalType& rt = distinct->schema[static_cast<size_t>(i)].type;
      if (i == 0 && null_aware && (lt.nullable || rt.nullable)) {
        join->filter = std::shared_ptr<const Expression>(nullAwareMatch(width, lt, width + n, rt));
        continue;
      }
      join->left_keys.push_back(width + i);
      join->right_keys.push_back(i);
    }
    return PlanPtr(join);
  }

  // [NOT] EXISTS / [NOT] IN as Flink's semi- or anti-join of `input` with the
  // subquery's rows, on the equalities' keys, with the other conditions (`residual`: a
  // subquery correlated beyond equalities, `WHERE b.k = a.k AND b.v > a.v`, over the
  // outer `scope` and the subquery's `inner` scope) checked per pair; with `null_aware`
  // (NOT IN) the first pair is such a condition, matching NULLs too. With `window`
  // (windowMatch's) it is a window join: each left row comes out once, when its window
  // fires. `input`'s columns come out.
  Result<PlanPtr> residualSemiJoin(const PlanPtr& input, const Scope& scope, std::vector<ExprP> needles,
                                   const PlanPtr& right, const Scope& inner, std::vector<ExprP> values,
                                   const std::vector<const Expr*>& residual, bool anti, bool null_aware, Pos pos,
                                   const WindowMatch* window = nullptr) {
    const int width = static_cast<int>(input->schema.size());
    const int n = static_cast<int>(needles.size());
    const int right_width = static_cast<int>(right->schema.size());
    auto left = regularJoinInput(input);
    auto keyed = regularJoinInput(right);
    EDDY_RETURN_IF_ERROR(addMatchKeys(std::move(needles), std::move(values), *left, *keyed, pos));
    // The joined row: the outer columns, their keys, the subquery's columns, its keys.
    Scope joined = keyedJoinScope(scope, *left, width, inner, *keyed, right_width, n);
    std::vector<ExprP> conds;
    for (const Expr* c : residual) {
      EDDY_ASSIGN_OR_RETURN(ExprP cond, joinCondition(*c, joined));
      conds.push_back(std::move(cond));
    }
    auto join = std::make_shared<PlanNode>();
    join->kind = PlanNode::Kind::kJoin;
    join->inputs = {left, keyed};
    join->join_type = anti ? JoinType::kAnti : JoinType::kSemi;
    join->schema = left->schema;
    for (auto col : keyed->schema) {
      col.type.nullable = true;  // Never filled: a semi- or anti-join outputs its left rows.
      join->schema.push_back(col);
    }
    // A semi-join of inserts only ever adds rows (a row comes out when its first match
    // does); an anti-join takes a row back when its first match comes.
    const bool inserts = input->mode == ChangelogMode::kInsertOnly && right->mode == ChangelogMode::kInsertOnly;
    join->mode = !anti && inserts ? ChangelogMode::kInsertOnly : ChangelogMode::kUpdates;
    for (int i = 0; i < n; ++i) {
      const LogicalType& lt = left->schema[static_cast<size_t>(width + i)].type;
      const LogicalType& rt = keyed->schema[static_cast<size_t>(right_width + i)].type;
      if (i == 0 && null_aware && (lt.nullable || rt.nullable)) {  // NOT IN: not a key.
        conds.push_back(nullAwareMatch(width, lt, width + n + right_width, rt));
        continue;
      }
      join->left_keys.push_back(width + i);
      join->right_keys.push_back(right_width + i);
    }
    join->filter = std::shared_ptr<const Expression>(andAll(std::move(conds)));
    if (window) makeWindowJoin(*join, *window);  // keepColumns kept the window_end columns in place.
    return firstColumns(join, static_cast<size_t>(width));
  }

  // `input` joined with the distinct rows of `values` (expressions over `right`),
  // compared with `needles` (over `input`), then `input`'s columns again, as Flink's
  // semi- and anti-joins: a semi-join keeps the rows with a match, an anti-join (a left
  // join keeping the rows that found none) those without; a row leaves or comes back as
  // matches come and go. With `null_aware` (NOT IN) the first pair also matches when
  // either side is NULL, so such a row is dropped, as SQL's NOT IN has it.
  Result<PlanPtr> subqueryJoin(const PlanPtr& input, std::vector<ExprP> needles, const PlanPtr& right,
                               std::vector<ExprP> values, bool anti, bool null_aware, Pos pos) {
    const int width = static_cast<int>(input->schema.size());
    const int n = static_cast<int>(needles.size());
    EDDY_ASSIGN_OR_RETURN(PlanPtr result, markJoin(input, std::move(needles), right, std::move(values),
                                                  anti ? JoinType::kLeft : JoinType::kInner, null_aware, pos));
    if (anti) {
      const int mark = width + n + n;
      result = filtered(result, std::make_unique<IsCall>(IsCall::What::kNull,
                                                         std::make_unique<InputRef>(mark, result->schema[static_cast<size_t>(mark)].type)));
    }
    return firstColumns(result, static_cast<size_t>(width));
  }

  // Whether `p` (or the Calcs between it and `below`) reads column `column` of `below`.
  static bool readsColumn(const PlanNode& p, int column, const PlanNode* below) {
    if (&p == below) return true;
    if (p.kind != PlanNode::Kind::kCalc || p.inputs[0].get() != below) return true;  // Not sure: assume it does.
    return readColumns(p)[static_cast<size_t>(column)];
  }

  // The SELECT list (and GROUP BY) over the FROM/WHERE result.
  Result<PlanPtr> selectOver(const ast::Select& s, const PlanPtr& input, const Scope& scope) {
    std::vector<const Expr*> overs;
    for (const auto& item : s.items) collectOvers(*item.expr, overs);
    for (const auto& item : s.items) {
      // A rank alone is a rank node (Top-N when the enclosing query filters its number);
      // beside other OVER calls, in batch mode, one of the window functions.
      if (item.expr->kind != Expr::Kind::kOver || (batch_ && overs.size() > 1)) continue;
      const Expr& fn = *item.expr->args[0];
      if (fn.kind != Expr::Kind::kCall || !isRankFunction(fn.name)) continue;
      bool aggregate = !s.group_by.empty() || s.having;
      for (const auto& other : s.items) aggregate = aggregate || (&other != &item && containsAggregate(*other.expr));
      for (const auto& o : item.expr->over->order_by) aggregate = aggregate || containsAggregate(*o);
      if (aggregate) return rankOverAggregate(s, item, input, scope);
      return rankPlan(s, item, input, scope);
    }
    if (!overs.empty()) return overPlan(s, overs, input, scope);
    bool aggregate = !s.group_by.empty() || (s.having != nullptr);
    for (const auto& item : s.items) aggregate = aggregate || containsAggregate(*item.expr);
    if (!aggregate) return project(s, input, scope, nullptr);
    return aggregatePlan(s, input, scope);
  }

  // SELECT ..., ROW_NUMBER() OVER (PARTITION BY p ORDER BY o) AS rn FROM input GROUP BY
  // ...: the rank numbers the aggregated rows (window functions come after GROUP BY), so
  // the SELECT is planned as Calcite does, the aggregation first — its items, p and o as
  // columns — then the rank over its rows: `SELECT items, ROW_NUMBER() OVER (PARTITION BY
  // $p ORDER BY $o) FROM (SELECT items AS $i.., p AS $p.., o AS $o.. ... GROUP BY ...)`.
  Result<PlanPtr> rankOverAggregate(const ast::Select& s, const ast::SelectItem& rank_item, const PlanPtr& input,
                                    const Scope& scope) {
    const Expr::Window& w = *rank_item.expr->over;
    ast::Select grouped;
    grouped.pos = s.pos;
    for (const auto& g : s.group_by) grouped.group_by.push_back(cloneExpr(*g));
    grouped.grouping_sets = s.grouping_sets;
    grouped.has_grouping_sets = s.has_grouping_sets;
    if (s.having) grouped.having = cloneExpr(*s.having);
    auto column = [](const std::string& name, Pos pos) {
      auto c = std::make_unique<Expr>();
      c->kind = Expr::Kind::kColumn;
      c->pos = pos;
      c->names = {name};
      return c;
    };
    ast::Select ranked;
    ranked.pos = s.pos;
    auto window = std::make_shared<Expr::Window>();
    // A PARTITION BY / ORDER BY expression the SELECT returns is read from that column (a
    // window's start and end must stay the window aggregation's own for a window Top-N).
    std::map<std::string, std::string> returned;
    for (size_t i = 0; i < s.items.size(); ++i) {
      if (&s.items[i] != &rank_item) returned.emplace(canon(*s.items[i].expr), "$i" + std::to_string(i));
    }
    auto columnFor = [&](const Expr& e, const std::string& name) {
      auto it = returned.find(canon(e));
      if (it != returned.end()) return column(it->second, e.pos);
      grouped.items.push_back({cloneExpr(e), name, e.pos});
      return column(name, e.pos);
    };
    for (size_t i = 0; i < s.items.size(); ++i) {
      const ast::SelectItem& item = s.items[i];
      if (&item == &rank_item) {
        auto over = std::make_unique<Expr>();
        over->kind = Expr::Kind::kOver;
        over->pos = item.expr->pos;
        over->args.push_back(cloneExpr(*item.expr->args[0]));
        over->over = window;
        ranked.items.push_back({std::move(over), outputName(item, i), item.pos});
        continue;
      }
      if (item.expr->kind == Expr::Kind::kStar) return sqlError(item.pos, "SELECT * is not allowed with GROUP BY");
      const std::string name = "$i" + std::to_string(i);
      grouped.items.push_back({cloneExpr(*item.expr), name, item.pos});
      ranked.items.push_back({column(name, item.pos), outputName(item, i), item.pos});
    }
    for (size_t i = 0; i < w.partition_by.size(); ++i) {
      window->partition_by.push_back(columnFor(*w.partition_by[i], "$p" + std::to_string(i)));
    }
    for (size_t i = 0; i < w.order_by.size(); ++i) {
      window->order_by.push_back(columnFor(*w.order_by[i], "$o" + std::to_string(i)));
      window->order_desc.push_back(w.order_desc[i]);
      window->order_nulls_first.push_back(w.order_nulls_first[i]);
    }
    EDDY_ASSIGN_OR_RETURN(PlanPtr aggregated, aggregatePlan(grouped, input, scope));
    return rankPlan(ranked, ranked.items[static_cast<size_t>(&rank_item - s.items.data())], aggregated,
                    scopeOf(aggregated->schema, ""));
  }

  static bool isRankFunction(const std::string& name) {
    return name == "ROW_NUMBER" || name == "RANK" || name == "DENSE_RANK";
  }

  // SELECT ..., ROW_NUMBER() OVER (PARTITION BY p ORDER BY o) AS rn FROM input: a rank
  // node (unbounded until a WHERE on rn in the enclosing query bounds it) and the
  // projection over it.
  Result<PlanPtr> rankPlan(const ast::Select& s, const ast::SelectItem& item, const PlanPtr& input,
                           const Scope& scope) {
    const Expr& over = *item.expr;
    const Expr& fn = *over.args[0];
    if (fn.kind != Expr::Kind::kCall || !isRankFunction(fn.name) || !fn.args.empty()) {
      return sqlError(over.pos, "OVER aggregations are not supported yet (ROW_NUMBER(), RANK() and DENSE_RANK() for "
                                "Top-N are)");
    }
    const std::string f = fn.name + "()";
    for (const auto& other : s.items) {
      if (&other != &item && other.expr->kind == Expr::Kind::kOver) {
        const Expr& g = *other.expr->args[0];
        if (g.kind == Expr::Kind::kCall && isRankFunction(g.name)) {
          return sqlError(other.pos, "only one ROW_NUMBER(), RANK() or DENSE_RANK() per SELECT is supported");
        }
        return sqlError(other.pos, f + " and an OVER aggregate cannot share a SELECT: rank in a subquery and "
                                       "aggregate over its rows, or the other way round");
      }
    }
    if (!s.group_by.empty() || s.having) return sqlError(s.pos, f + " with GROUP BY is not supported yet");
    if (over.over->order_by.empty()) return sqlError(over.pos, f + " needs an ORDER BY in its OVER clause");
    auto node = rankNode(input);
    node->rank.limit = 0;
    node->rank.function = fn.name == "RANK"         ? RankSpec::Function::kRank
                          : fn.name == "DENSE_RANK" ? RankSpec::Function::kDenseRank
                                                    : RankSpec::Function::kRowNumber;
    auto columnOf = [&](const Expr& e, const char* what) -> Result<int> {
      EDDY_ASSIGN_OR_RETURN(ExprP b, expr(e, scope));
      auto* ref = dynamic_cast<InputRef*>(b.get());
      if (!ref) return sqlError(e.pos, f + "'s " + what + " must be a column");
      return ref->index();
    };
    for (const auto& p : over.over->partition_by) {
      EDDY_ASSIGN_OR_RETURN(int c, columnOf(*p, "PARTITION BY"));
      node->rank.partition.push_back(c);
    }
    for (size_t i = 0; i < over.over->order_by.size(); ++i) {
      EDDY_ASSIGN_OR_RETURN(int c, columnOf(*over.over->order_by[i], "ORDER BY"));
      node->rank.order.push_back(c);
      node->rank.descending.push_back(over.over->order_desc[i]);
      node->rank.nulls_first.push_back(over.over->order_nulls_first[i]);
    }
    const LogicalType& first_order = input->schema[static_cast<size_t>(node->rank.order[0])].type;
    node->rank.order_by_time = node->rank.order.size() == 1 && (first_order.rowtime || first_order.proctime);
    // Partitioned by a window's start and end: Flink's window Top-N / deduplication,
    // append-only, keeping the input's time attributes.
    if (auto window = windowColumns(*input)) {
      const auto& part = node->rank.partition;
      if (std::count(part.begin(), part.end(), window->start) && std::count(part.begin(), part.end(), window->end)) {
        node->rank.window_end = window->end;
        node->rank.window_zone = window->source->window.zone;
        // Window deduplication orders by the column the window is over.
        node->rank.order_by_time = node->rank.order.size() == 1 && node->rank.order[0] == window->time;
        node->mode = ChangelogMode::kInsertOnly;
        for (size_t c = 0; c < input->schema.size(); ++c) node->schema[c].type = input->schema[c].type;
        node->rowtime = input->rowtime;
      }
    }
    Scope rank_scope = scope;
    for (size_t f = 0; f < rank_scope.fields.size(); ++f) rank_scope.fields[f].type = node->schema[f].type;
    rank_expr_ = &over;
    rank_col_ = static_cast<int>(node->schema.size()) - 1;
    auto projected = project(s, node, rank_scope, nullptr);
    rank_expr_ = nullptr;
    return projected;
  }

  static void collectOvers(const Expr& e, std::vector<const Expr*>& out) {
    if (e.kind == Expr::Kind::kOver) {
      out.push_back(&e);
      return;
    }
    for (const auto& a : e.args) collectOvers(*a, out);
  }

  // ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST and NTILE: ranking window
  // functions (numbers of the row among its partition's).
  static bool isRankingFunction(const std::string& name) {
    return isRankFunction(name) || name == "PERCENT_RANK" || name == "CUME_DIST" || name == "NTILE";
  }

  // A ranking function's call in a batch OVER window (the operator numbers the rows).
  Result<AggregateCall> rankingCall(const Expr& fn) {
    AggregateCall call;
    call.kind = fn.name == "ROW_NUMBER"     ? AggKind::kRowNumber
                : fn.name == "RANK"         ? AggKind::kRank
                : fn.name == "DENSE_RANK"   ? AggKind::kDenseRank
                : fn.name == "PERCENT_RANK" ? AggKind::kPercentRank
                : fn.name == "CUME_DIST"    ? AggKind::kCumeDist
                                            : AggKind::kNtile;
    call.type = call.kind == AggKind::kPercentRank || call.kind == AggKind::kCumeDist ? LogicalType::doubleType().notNull()
                                                                                     : LogicalType::bigint().notNull();
    call.name = fn.name + "()";
    if (call.kind != AggKind::kNtile) {
      if (!fn.args.empty()) return sqlError(fn.pos, fn.name + " takes no arguments");
      return call;
    }
    if (fn.args.size() != 1 || fn.args[0]->kind != Expr::Kind::kLiteral ||
        fn.args[0]->literal != Expr::LiteralType::kInteger || !integerValue(fn.args[0]->text, &call.lag_offset) ||
        call.lag_offset < 1) {
      return sqlError(fn.pos, "NTILE takes one positive integer literal, the number of buckets");
    }
    call.name = "NTILE(" + fn.args[0]->text + ")";
    return call;
  }

  // SELECT ..., agg(x) OVER (PARTITION BY p ORDER BY rowtime ROWS|RANGE ...) ...:
  // over-aggregate nodes and the projection over them. A stream's SELECT has one window
  // for all its OVER calls, as Flink requires; batch mode's may have several, one node
  // each, stacked (each passes its input's columns on and adds its own, w<i>$o<j>).
  Result<PlanPtr> overPlan(const ast::Select& s, const std::vector<const Expr*>& overs, const PlanPtr& input,
                           const Scope& scope) {
    if (!s.group_by.empty() || s.having) return sqlError(s.pos, "OVER aggregates with GROUP BY are not supported");
    auto frameText = [](const Expr::Window& x) {
      std::string t;
      for (const auto& p : x.partition_by) t += canon(*p) + ";";
      t += "|";
      for (size_t i = 0; i < x.order_by.size(); ++i) {
        const std::optional<bool>& nulls = x.order_nulls_first[i];
        t += canon(*x.order_by[i]) + (x.order_desc[i] ? " DESC" : "") + (!nulls ? ";" : *nulls ? " NF;" : " NL;");
      }
      t += std::string(x.rows ? "ROWS" : "RANGE") + (x.unbounded ? "U" : x.current_start ? "C" : canon(*x.preceding) + (x.start_following ? "F" : "P"));
      t += x.unbounded_following ? "|UF" : x.following ? "|" + canon(*x.following) + (x.end_preceding ? "P" : "F") : "|C";
      return t;
    };
    // The windows in order of first use, and each OVER call's.
    std::vector<std::string> frames;
    std::vector<const Expr*> windows;  // The first OVER call of each.
    std::vector<size_t> frame_of;
    for (const Expr* o : overs) {
      const Expr& fn = *o->args[0];
      if (fn.kind == Expr::Kind::kCall && fn.name == "LEAD" && !batch_) {
        return sqlError(fn.pos, "LEAD Function is not supported in stream mode.");
      }
      const bool ranking = fn.kind == Expr::Kind::kCall && isRankingFunction(fn.name);
      if (ranking && !batch_) {
        return sqlError(fn.pos, fn.name + "() OVER a stream is supported only as Top-N or deduplication: ROW_NUMBER, "
                                          "RANK or DENSE_RANK alone in its SELECT, with a filter on the number in "
                                          "the enclosing query (batch mode has every ranking function)");
      }
      if (fn.kind != Expr::Kind::kCall ||
          (!isAggregate(fn.name) && fn.name != "LAG" && fn.name != "LEAD" && !ranking)) {
        return sqlError(o->pos, "OVER takes an aggregate function, LAG, LEAD or a ranking function (ROW_NUMBER, "
                                "RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE)");
      }
      if (ranking && o->over->order_by.empty() && fn.name != "ROW_NUMBER") {
        return sqlError(o->pos, fn.name + "() needs an ORDER BY in its OVER clause");
      }
      const std::string text = frameText(*o->over);
      auto seen = std::find(frames.begin(), frames.end(), text);
      if (seen == frames.end() && !frames.empty() && !batch_) {
        return sqlError(o->pos, "all OVER aggregates of a SELECT must use the same window (in stream mode; batch "
                                "mode takes several)");
      }
      if (seen == frames.end()) {
        frames.push_back(text);
        windows.push_back(o);
        seen = frames.end() - 1;
      }
      frame_of.push_back(static_cast<size_t>(seen - frames.begin()));
    }
    // The input's columns, then the aggregates' arguments; the calls of each window.
    PlanPtr pre = keepColumns(input, std::vector<bool>(input->schema.size(), true));
    std::vector<std::vector<AggregateCall>> calls(frames.size());
    std::vector<std::vector<std::string>> canons(frames.size());
    std::vector<size_t> agg_of_over;
    for (size_t i = 0; i < overs.size(); ++i) {
      const Expr& fn = *overs[i]->args[0];
      const size_t f = frame_of[i];
      const std::string key = canon(fn);
      auto seen = std::find(canons[f].begin(), canons[f].end(), key);
      if (seen != canons[f].end()) {
        agg_of_over.push_back(static_cast<size_t>(seen - canons[f].begin()));
        continue;
      }
      AggregateCall call;
      if (isRankingFunction(fn.name)) {
        EDDY_ASSIGN_OR_RETURN(call, rankingCall(fn));
      } else {
        EDDY_ASSIGN_OR_RETURN(call, aggregateCall(fn, scope, *pre));
        call.retractable = !windows[f]->over->unbounded;  // A bounded frame retracts rows that leave it.
      }
      calls[f].push_back(std::move(call));
      canons[f].push_back(key);
      agg_of_over.push_back(canons[f].size() - 1);
    }
    PlanPtr below = pre;
    std::vector<int> first_agg;
    for (size_t f = 0; f < frames.size(); ++f) {
      auto node = std::make_shared<PlanNode>();
      node->kind = PlanNode::Kind::kOverAggregate;
      node->mode = ChangelogMode::kInsertOnly;
      EDDY_RETURN_IF_ERROR(overWindow(*windows[f], *input, scope, node->over));
      node->over.aggs = std::move(calls[f]);
      node->inputs.push_back(below);
      node->schema = below->schema;
      node->rowtime = below->rowtime;
      node->over.input_types = typesOf(below->schema);
      first_agg.push_back(static_cast<int>(below->schema.size()));
      for (size_t a = 0; a < node->over.aggs.size(); ++a) {
        node->schema.push_back({"w" + std::to_string(f) + "$o" + std::to_string(a), node->over.aggs[a].type});
      }
      below = node;
    }
    for (size_t i = 0; i < overs.size(); ++i) {
      const int col = first_agg[frame_of[i]] + static_cast<int>(agg_of_over[i]);
      over_cols_[overs[i]] = {col, below->schema[static_cast<size_t>(col)].type};
    }
    auto projected = project(s, below, scope, nullptr);
    over_cols_.clear();
    return projected;
  }

  // The partitioning, ordering and frame of OVER call `call`'s window, over `input`'s
  // columns (`scope`).
  Status overWindow(const Expr& call, const PlanNode& input, const Scope& scope, OverSpec& over) {
    const Expr::Window& w = *call.over;
    if (batch_) {
      // Any ordering, over an updating input too (the batch operator takes final rows).
      EDDY_RETURN_IF_ERROR(batchOverFrame(w, scope, over));
    } else {
      if (w.order_by.size() != 1 || w.order_desc[0]) {
        return sqlError(call.pos, "OVER windows' ordering in stream mode must be one ascending time attribute");
      }
      if (w.following || w.unbounded_following || w.start_following) {
        return sqlError(call.pos, std::string("OVER ") + (w.rows ? "ROWS" : "RANGE") +
                                      (w.end_preceding ? " windows ending before the current row"
                                                       : " FOLLOWING windows") +
                                      " are not supported in streaming mode (batch mode has them)");
      }
      if (input.mode != ChangelogMode::kInsertOnly) {
        return sqlError(call.pos, "OVER aggregation does not support an updating input");
      }
      EDDY_ASSIGN_OR_RETURN(ExprP order, expr(*w.order_by[0], scope));
      auto* time = dynamic_cast<InputRef*>(order.get());
      if (!time || !(order->type().rowtime || order->type().proctime)) {
        return sqlError(w.order_by[0]->pos,
                        "OVER windows' ordering in stream mode must be defined on a time attribute (a rowtime or "
                        "proctime column)");
      }
      over.time_col = time->index();
      over.proctime = order->type().proctime;
    }
    for (const auto& p : w.partition_by) {
      EDDY_ASSIGN_OR_RETURN(ExprP b, expr(*p, scope));
      auto* ref = dynamic_cast<InputRef*>(b.get());
      if (!ref) return sqlError(p->pos, "an OVER window's PARTITION BY must be a column");
      over.partition.push_back(ref->index());
    }
    over.rows = w.rows;
    over.unbounded = w.unbounded;
    if (w.current_start && !batch_) {
      // BETWEEN CURRENT ROW AND CURRENT ROW: the row alone (its peers too, for RANGE).
      if (!w.rows) return sqlError(call.pos, "OVER RANGE BETWEEN CURRENT ROW is supported in batch mode only");
      over.preceding = 0;
    } else if (!w.unbounded && !batch_) {
      if (w.rows) {
        if (w.preceding->kind != Expr::Kind::kLiteral || w.preceding->literal != Expr::LiteralType::kInteger) {
          return sqlError(w.preceding->pos, "ROWS ... PRECEDING takes an integer");
        }
        EDDY_ASSIGN_OR_RETURN(over.preceding, integerLiteral(*w.preceding));
      } else {
        if (w.preceding->kind != Expr::Kind::kInterval) {
          return sqlError(w.preceding->pos, "RANGE ... PRECEDING over a time attribute takes an INTERVAL");
        }
        EDDY_ASSIGN_OR_RETURN(over.preceding, intervalMillis(*w.preceding));
      }
    }
    return Status::ok();
  }

  // Batch mode's OVER window (Flink's batch OverAggregate): ORDER BY any columns, or
  // none (every row of the partition a peer); a bounded RANGE frame measures from one
  // ORDER BY column, a time (INTERVAL preceding) or an integer (integer preceding).
  Status batchOverFrame(const Expr::Window& w, const Scope& scope, OverSpec& over) {
    for (size_t i = 0; i < w.order_by.size(); ++i) {
      EDDY_ASSIGN_OR_RETURN(ExprP e, expr(*w.order_by[i], scope));
      auto* ref = dynamic_cast<InputRef*>(e.get());
      if (!ref) return sqlError(w.order_by[i]->pos, "an OVER window's ORDER BY must be a column");
      over.order.order.push_back(ref->index());
      over.order.descending.push_back(w.order_desc[i]);
      over.order.nulls_first.push_back(w.order_nulls_first[i]);
    }
    over.current_start = w.current_start;
    over.unbounded_following = w.unbounded_following;
    // A bound's distance: rows, or for RANGE an amount of the one ORDER BY column.
    auto distance = [&](const Expr& bound) -> Result<int64_t> {
      const bool integer_literal = bound.kind == Expr::Kind::kLiteral && bound.literal == Expr::LiteralType::kInteger;
      if (w.rows) {
        if (!integer_literal) return sqlError(bound.pos, "ROWS ... PRECEDING / FOLLOWING takes an integer");
        return integerLiteral(bound);
      }
      if (w.order_by.size() != 1) {
        return sqlError(bound.pos, "a RANGE frame bounded by an amount needs exactly one ORDER BY column");
      }
      const LogicalType& t = scope.fields[static_cast<size_t>(over.order.order[0])].type;
      if (t.isTimestamp() && bound.kind == Expr::Kind::kInterval) {  // In the column's unit.
        EDDY_ASSIGN_OR_RETURN(int64_t ms, intervalMillis(bound));
        return timestampFromMillis(ms, t.precision);
      }
      if (t.isInteger() && integer_literal) return integerLiteral(bound);
      return sqlError(bound.pos, "RANGE ... PRECEDING / FOLLOWING takes an INTERVAL over a TIMESTAMP column or an "
                                 "integer over an integer column; the ORDER BY column is " + withArticle(t));
    };
    if (!w.unbounded && !w.current_start) {
      EDDY_ASSIGN_OR_RETURN(over.preceding, distance(*w.preceding));
      if (w.start_following) over.preceding = -over.preceding;  // Starts after the current row.
    }
    if (w.following) {
      EDDY_ASSIGN_OR_RETURN(over.following, distance(*w.following));
      if (w.end_preceding) over.following = -over.following;  // Ends before the current row.
    }
    return Status::ok();
  }

  // WHERE rn <= N (or rn < N, rn = 1) over a query whose column rn is a rank node's row
  // number: bounds a copy of that rank node (`*bounded`, with rn at `*rank_number` of
  // the new `input`) and takes that conjunct out of `conditions`.
  Status boundRank(PlanPtr& input, const Scope& scope, std::vector<const Expr*>& conditions, PlanNode** bounded,
                   int* rank_number) {
    if (input->kind != PlanNode::Kind::kCalc || input->filter || input->inputs[0]->kind != PlanNode::Kind::kRank ||
        input->inputs[0]->rank.limit != 0) {
      return Status::ok();
    }
    const PlanNode& rank = *input->inputs[0];
    std::vector<const Expr*> conjuncts;
    for (const Expr* c : conditions) splitConjuncts(*c, conjuncts);
    for (const Expr* c : conjuncts) {
      if (c->kind != Expr::Kind::kCall || c->args.size() != 2 || c->args[0]->kind != Expr::Kind::kColumn ||
          c->args[1]->kind != Expr::Kind::kLiteral || c->args[1]->literal != Expr::LiteralType::kInteger) {
        continue;
      }
      EDDY_ASSIGN_OR_RETURN(ExprP col, expr(*c->args[0], scope));
      auto* ref = dynamic_cast<InputRef*>(col.get());
      if (!ref) continue;
      auto* source = dynamic_cast<const InputRef*>(input->projections[static_cast<size_t>(ref->index())].get());
      if (!source || source->index() != static_cast<int>(rank.schema.size()) - 1) continue;
      int64_t n = 0;
      if (!integerValue(c->args[1]->text, &n)) continue;
      int64_t limit = 0;
      if (c->name == "<=") {
        limit = n;
      } else if (c->name == "<") {
        limit = n - 1;
      } else if (c->name == "=" && n == 1) {
        limit = 1;
      } else {
        continue;
      }
      if (limit < 1) return sqlError(c->pos, "the row number filter keeps no rows");
      if (rank.rank.window_end < 0) {
        auto window = windowColumns(*rank.inputs[0], true);
        const auto& part = rank.rank.partition;
        if (window && window->proctime && std::count(part.begin(), part.end(), window->start) &&
            std::count(part.begin(), part.end(), window->end)) {
          const bool deduplicate = limit == 1 && rank.rank.function == RankSpec::Function::kRowNumber &&
                                   rank.rank.order.size() == 1 && rank.rank.order[0] == window->time;
          return sqlError(c->pos, deduplicate ? "Processing time Window Deduplication is not supported yet."
                                              : "Processing time Window TopN is not supported yet.");
        }
      }
      auto copy = std::make_shared<PlanNode>(rank);
      copy->rank.limit = limit;
      copy->rank.output_rank_number = true;
      auto calc = std::make_shared<PlanNode>(*input);
      calc->inputs = {copy};
      input = calc;
      *bounded = copy.get();
      *rank_number = ref->index();
      conditions.clear();
      for (const Expr* other : conjuncts) {
        if (other != c) conditions.push_back(other);
      }
      return Status::ok();
    }
    return Status::ok();
  }

  std::string outputName(const ast::SelectItem& item, size_t index) {
    if (!item.alias.empty()) return item.alias;
    if (item.expr->kind == Expr::Kind::kColumn) return item.expr->names.back();
    return "EXPR$" + std::to_string(index);
  }

  Result<PlanPtr> project(const ast::Select& s, const PlanPtr& input, const Scope& scope, AggBinding* agg,
                          const ast::Expr* having = nullptr) {
    auto calc = std::make_shared<PlanNode>();
    calc->kind = PlanNode::Kind::kCalc;
    calc->inputs.push_back(input);
    calc->mode = input->mode;
    std::set<std::string> used;
    for (size_t i = 0; i < s.items.size(); ++i) {
      const ast::SelectItem& item = s.items[i];
      if (item.expr->kind == Expr::Kind::kStar) {
        if (agg) return sqlError(item.pos, "SELECT * is not allowed with GROUP BY");
        std::string q = item.expr->names.empty() ? "" : item.expr->names[0];
        bool any = false;
        std::vector<size_t> order(scope.fields.size());
        for (size_t f = 0; f < order.size(); ++f) order[f] = f;
        if (q.empty()) {  // A USING join's columns first.
          std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
            auto rank = [&](size_t f) {
              return scope.fields[f].using_order >= 0 ? scope.fields[f].using_order : INT_MAX;
            };
            return rank(a) < rank(b);
          });
        }
        std::set<std::pair<std::string, std::string>> rows;  // ROW columns listed: (qualifier, name).
        for (size_t f : order) {
          const Field& field = scope.fields[f];
          if (!q.empty() && field.qualifier != q) continue;
          if (q.empty() && field.hidden) continue;
          if (isRowNullMarker(field.name)) continue;  // Read by the ROW column's value.
          any = true;
          const size_t dot = field.name.find('.');
          if (dot != std::string::npos && static_cast<int>(f) != input->rowtime) {
            // A ROW column's field: the ROW comes out whole, where its first field is.
            const std::string row = field.name.substr(0, dot);
            if (!rows.insert({field.qualifier, row}).second) continue;
            EDDY_ASSIGN_OR_RETURN(ExprP whole, flattenedRow(scope, field.qualifier, row, item.pos));
            addProjection(*calc, std::shared_ptr<const Expression>(std::move(whole)), row, used, false);
            continue;
          }
          addProjection(*calc, std::make_shared<InputRef>(static_cast<int>(f), field.type), field.name, used,
                        static_cast<int>(f) == input->rowtime);
        }
        if (!any) return sqlError(item.pos, "unknown table '" + q + "' in " + q + ".*");
        continue;
      }
      EDDY_ASSIGN_OR_RETURN(ExprP e, agg ? aggExpr(*item.expr, scope, *agg) : expr(*item.expr, scope));
      bool keeps_rowtime = false;
      if (auto* ref = dynamic_cast<InputRef*>(e.get())) keeps_rowtime = ref->index() == input->rowtime;
      addProjection(*calc, std::shared_ptr<const Expression>(std::move(e)), outputName(item, i), used, keeps_rowtime);
    }
    if (hidden_order_) {
      // ORDER BY expressions the query does not return, as columns named after them
      // (so that the ORDER BY binds to them), dropped after the sort.
      for (const Expr* o : *hidden_order_) {
        EDDY_ASSIGN_OR_RETURN(ExprP e, agg ? aggExpr(*o, scope, *agg) : expr(*o, scope));
        bool keeps_rowtime = false;
        if (auto* ref = dynamic_cast<InputRef*>(e.get())) keeps_rowtime = ref->index() == input->rowtime;
        std::string name = o->kind == Expr::Kind::kColumn ? o->names.back() : canon(*o);
        calc->schema.push_back({name, keeps_rowtime ? e->type() : e->type().plain()});
        if (keeps_rowtime) calc->rowtime = static_cast<int>(calc->schema.size()) - 1;
        calc->projections.push_back(std::shared_ptr<const Expression>(std::move(e)));
      }
      hidden_order_ = nullptr;
    }
    if (having) {
      EDDY_ASSIGN_OR_RETURN(ExprP h, aggExpr(*having, scope, *agg));
      if (h->type().id != TypeId::kBoolean) return sqlError(having->pos, "HAVING needs a boolean condition");
      calc->filter = std::shared_ptr<const Expression>(std::move(h));
    }
    if (s.distinct) {
      // SELECT DISTINCT = GROUP BY every column, no aggregates.
      auto g = std::make_shared<PlanNode>();
      g->kind = PlanNode::Kind::kGroupAggregate;
      g->hinted_ttl_ms[0] = agg_ttl_ms_;
      g->inputs.push_back(calc);
      g->schema = calc->schema;
      for (auto& c : g->schema) c.type = c.type.plain();
      for (size_t i = 0; i < calc->schema.size(); ++i) g->keys.push_back(static_cast<int>(i));
      g->mode = ChangelogMode::kUpdates;
      return PlanPtr(g);
    }
    return PlanPtr(calc);
  }

  void addProjection(PlanNode& calc, std::shared_ptr<const Expression> e, std::string name, std::set<std::string>& used,
                     bool rowtime) {
    // Flink de-duplicates output names with a suffix: a, a0, a1...
    std::string unique = name;
    for (int k = 0; used.count(unique); ++k) unique = name + std::to_string(k);
    used.insert(unique);
    LogicalType t = e->type();
    if (!rowtime) {
      t.rowtime = false;
    } else {
      calc.rowtime = static_cast<int>(calc.schema.size());
    }
    calc.schema.push_back({unique, t});
    calc.projections.push_back(std::move(e));
  }

  // The window table function a GROUP BY aggregates over: `input` itself, or under the
  // filters a WHERE put on it (which keep its columns); null when there is none.
  // The columns of `p` that are a window TVF's window_start and window_end and the time
  // column it windows by (-1 when not kept), traced through window aggregations, Calcs
  // and window Top-Ns (Flink's window properties).
  struct WindowColumns {
    int start, end, time;
    const PlanNode* source = nullptr;  // The TVF or window aggregation: its window spec.
    // Windows over processing time (their window_time a proctime attribute): Flink runs
    // window joins, Top-N and deduplication over event time only.
    bool proctime = false;
  };

  // The window columns of `p`'s rows, when they carry their window: a window TVF's (a
  // SESSION one's merged sessions, not each row's own window) or a window aggregation's.
  // Windows over processing time count only with `proctime` (window Top-N and joins
  // fire on the watermark: event-time windows only).
  static std::optional<WindowColumns> windowColumns(const PlanNode& p, bool proctime = false) {
    std::optional<WindowColumns> in;
    switch (p.kind) {
      case PlanNode::Kind::kWindowTableFunction: {
        const int width = static_cast<int>(p.inputs[0]->schema.size());
        const LogicalType& time = p.schema.back().type;
        if ((p.window.kind == WindowSpec::Kind::kSession && p.per_row_windows) ||
            !(time.rowtime || (proctime && time.proctime))) {
          return std::nullopt;
        }
        return WindowColumns{width, width + 1, p.time_col, &p, time.proctime};
      }
      case PlanNode::Kind::kWindowAggregate: {
        // Output: the group keys, window_start, window_end, window_time, the aggregates.
        const int k = static_cast<int>(p.keys.size());
        const LogicalType& time = p.schema[static_cast<size_t>(k + 2)].type;
        if (!(time.rowtime || (proctime && time.proctime))) {
          return std::nullopt;
        }
        return WindowColumns{k, k + 1, k + 2, &p, time.proctime};
      }
      case PlanNode::Kind::kCalc: {
        if (!(in = windowColumns(*p.inputs[0], proctime))) return std::nullopt;
        WindowColumns out{-1, -1, -1, in->source, in->proctime};
        for (size_t i = 0; i < p.projections.size(); ++i) {
          auto* ref = dynamic_cast<const InputRef*>(p.projections[i].get());
          if (!ref) continue;
          const int c = static_cast<int>(i);
          if (ref->index() == in->start && out.start < 0) out.start = c;
          if (ref->index() == in->end && out.end < 0) out.end = c;
          if (ref->index() == in->time && out.time < 0) out.time = c;
        }
        if (out.start < 0 || out.end < 0) return std::nullopt;
        return out;
      }
      case PlanNode::Kind::kRank:
        if (p.rank.window_end < 0) return std::nullopt;
        return windowColumns(*p.inputs[0], proctime);
      default: return std::nullopt;
    }
  }

  // `input` with the SESSION window table function it reads through filters (if any)
  // giving each row its own window: a session window aggregation merges them itself.
  static PlanPtr perRowSessions(const PlanPtr& input) {
    if (input->kind == PlanNode::Kind::kWindowTableFunction && input->window.kind == WindowSpec::Kind::kSession) {
      auto copy = std::make_shared<PlanNode>(*input);
      copy->per_row_windows = true;
      return copy;
    }
    if (!windowSource(*input) || input->kind != PlanNode::Kind::kCalc) return input;
    auto copy = std::make_shared<PlanNode>(*input);
    copy->inputs[0] = perRowSessions(input->inputs[0]);
    return copy;
  }

  static const PlanNode* windowSource(const PlanNode& input) {
    const PlanNode* p = &input;
    while (p->kind == PlanNode::Kind::kCalc && p->schema.size() == p->inputs[0]->schema.size()) {
      bool identity = true;
      for (size_t i = 0; i < p->projections.size(); ++i) {
        auto* ref = dynamic_cast<const InputRef*>(p->projections[i].get());
        identity = identity && ref && ref->index() == static_cast<int>(i);
      }
      if (!identity) return nullptr;
      p = p->inputs[0].get();
    }
    return p->kind == PlanNode::Kind::kWindowTableFunction ? p : nullptr;
  }

  static bool isGroupWindow(const Expr& e) {
    return e.kind == Expr::Kind::kCall && (e.name == "TUMBLE" || e.name == "HOP" || e.name == "SESSION");
  }

  // A legacy group window, GROUP BY TUMBLE(ts, size) / HOP(ts, slide, size) /
  // SESSION(ts, gap): planned as the window table function over `input`, whose
  // window_start and window_end the aggregation then groups by (as Flink does).
  Result<PlanPtr> legacyWindow(const Expr& call, const PlanPtr& input, Scope& scope) {
    if (call.args.empty()) return sqlError(call.pos, call.name + " needs a time attribute and an interval");
    EDDY_ASSIGN_OR_RETURN(ExprP time, expr(*call.args[0], scope));
    auto* col = dynamic_cast<InputRef*>(time.get());
    if (!col) return sqlError(call.args[0]->pos, call.name + "'s first argument must be a time attribute column");
    WindowSpec w;
    w.kind = call.name == "TUMBLE" ? WindowSpec::Kind::kTumble
             : call.name == "HOP"  ? WindowSpec::Kind::kHop
                                   : WindowSpec::Kind::kSession;
    std::vector<const Expr*> sizes;
    for (size_t i = 1; i < call.args.size(); ++i) sizes.push_back(call.args[i].get());
    EDDY_RETURN_IF_ERROR(windowSizes(call.name, sizes, w.kind == WindowSpec::Kind::kHop ? 2 : 1, call.pos, w));
    const std::string& name = scope.fields[static_cast<size_t>(col->index())].name;
    EDDY_ASSIGN_OR_RETURN(PlanPtr node, windowNode(input, col->index(), w, name, call.args[0]->pos));
    size_t n = scope.fields.size();
    for (size_t i = n; i < node->schema.size(); ++i) scope.fields.push_back({"", node->schema[i].name, node->schema[i].type});
    scope.fields[static_cast<size_t>(col->index())].type = node->schema[static_cast<size_t>(col->index())].type;
    return node;
  }

  // GROUPING SETS / ROLLUP / CUBE as Flink's Expand: each row once per grouping set, the
  // group columns outside the set NULL and a set number ($e) appended, which the
  // aggregation then also groups by. A group column written twice is one column.
  Result<PlanPtr> expandGroupingSets(const ast::Select& s, const PlanPtr& pre, const std::vector<std::string>& group_canon,
                                     int window_start, int window_end,
                                     std::vector<std::map<std::string, bool>>* kept_by_canon) {
    const size_t groups = group_canon.size();
    std::vector<size_t> slot(groups);
    for (size_t i = 0; i < groups; ++i) {
      slot[i] = static_cast<size_t>(std::find(group_canon.begin(), group_canon.end(), group_canon[i]) -
                                    group_canon.begin());
    }
    std::vector<std::vector<bool>> kept;  // Per set, per group column.
    for (const auto& set : s.grouping_sets) {
      std::vector<bool> in(groups, false);
      for (int g : set) {
        for (size_t i = 0; i < groups; ++i) in[i] = in[i] || slot[i] == slot[static_cast<size_t>(g)];
      }
      if (window_start >= 0 && (!in[static_cast<size_t>(window_start)] || !in[static_cast<size_t>(window_end)])) {
        return sqlError(s.pos, "every grouping set of a window aggregation must contain window_start and window_end");
      }
      std::map<std::string, bool> by_canon;
      for (size_t i = 0; i < groups; ++i) by_canon[group_canon[i]] = in[i];
      kept_by_canon->push_back(std::move(by_canon));
      kept.push_back(std::move(in));
    }
    Schema schema = pre->schema;
    for (size_t i = 0; i < groups; ++i) {
      for (const auto& in : kept) {
        if (!in[i]) schema[i].type.nullable = true;
      }
    }
    schema.push_back({"$e", LogicalType::bigint().notNull()});
    auto uni = std::make_shared<PlanNode>();
    uni->kind = PlanNode::Kind::kUnion;
    uni->expand = true;
    uni->schema = schema;
    uni->mode = pre->mode;
    for (size_t k = 0; k < kept.size(); ++k) {
      auto calc = std::make_shared<PlanNode>();
      calc->kind = PlanNode::Kind::kCalc;
      calc->inputs.push_back(pre);
      calc->mode = pre->mode;
      calc->schema = schema;
      for (size_t c = 0; c < pre->schema.size(); ++c) {
        if (c < groups && !kept[k][c]) {
          calc->projections.push_back(std::make_shared<Literal>(Value(), schema[c].type, "null"));
        } else {
          calc->projections.push_back(std::make_shared<InputRef>(static_cast<int>(c), schema[c].type));
        }
      }
      calc->projections.push_back(
          std::make_shared<Literal>(Value::ofInt(static_cast<int64_t>(k)), schema.back().type, std::to_string(k)));
      uni->inputs.push_back(calc);
    }
    return PlanPtr(uni);
  }

  Result<PlanPtr> aggregatePlan(const ast::Select& s, PlanPtr input, const Scope& input_scope) {
    Scope scope = input_scope;
    const Expr* legacy = nullptr;
    for (const auto& g : s.group_by) {
      if (!isGroupWindow(*g)) continue;
      if (legacy) return sqlError(g->pos, "a GROUP BY can have only one group window");
      legacy = g.get();
    }
    if (legacy) {
      EDDY_ASSIGN_OR_RETURN(input, legacyWindow(*legacy, input, scope));
    }
    input = perRowSessions(input);
    // Collect the aggregate calls of SELECT and HAVING.
    std::vector<const Expr*> calls;
    std::function<Status(const Expr&)> collect = [&](const Expr& e) -> Status {
      if (e.kind == Expr::Kind::kCall && isAggregate(e.name)) {
        for (const auto& a : e.args) {
          if (containsAggregate(*a)) return sqlError(a->pos, "aggregate function calls cannot be nested");
        }
        calls.push_back(&e);
        return Status::ok();
      }
      for (const auto& a : e.args) EDDY_RETURN_IF_ERROR(collect(*a));
      return Status::ok();
    };
    for (const auto& item : s.items) EDDY_RETURN_IF_ERROR(collect(*item.expr));
    if (s.having) EDDY_RETURN_IF_ERROR(collect(*s.having));

    // Pre-projection: group expressions, then aggregate arguments.
    auto pre = std::make_shared<PlanNode>();
    pre->kind = PlanNode::Kind::kCalc;
    pre->inputs.push_back(input);
    pre->mode = input->mode;
    std::vector<std::string> group_canon;
    int window_start = -1, window_end = -1;
    int window_time = -1;  // A GROUP BY of window_time too: a window property, not a key.
    const PlanNode* window = windowSource(*input);
    // Over a window aggregation's (or a TVF's) rows further up: grouping by their
    // window_start and window_end aggregates per window again (Flink's cascading window
    // aggregation), with the same window.
    std::optional<WindowColumns> cascade;
    if (!window && !legacy && (cascade = windowColumns(*input))) window = cascade->source;
    for (const auto& g : s.group_by) {
      if (g.get() == legacy) {
        // The group window stands for its window_start and window_end.
        size_t base = input->schema.size() - 3;
        for (size_t k = 0; k < 2; ++k) {
          (k == 0 ? window_start : window_end) = static_cast<int>(pre->schema.size());
          group_canon.push_back("C:" + input->schema[base + k].name);
          pre->schema.push_back(input->schema[base + k]);
          pre->projections.push_back(std::make_shared<InputRef>(static_cast<int>(base + k), input->schema[base + k].type));
        }
        continue;
      }
      EDDY_ASSIGN_OR_RETURN(ExprP e, expr(*g, scope));
      std::string name = g->kind == Expr::Kind::kColumn ? g->names.back() : "$f" + std::to_string(pre->schema.size());
      if (cascade) {
        if (auto* ref = dynamic_cast<InputRef*>(e.get())) {
          if (ref->index() == cascade->start) window_start = static_cast<int>(pre->schema.size());
          if (ref->index() == cascade->end) window_end = static_cast<int>(pre->schema.size());
          if (ref->index() == cascade->time && cascade->time >= 0) window_time = static_cast<int>(pre->schema.size());
        }
      } else if (window && g->kind == Expr::Kind::kColumn) {
        if (auto* ref = dynamic_cast<InputRef*>(e.get())) {
          const std::string& col = input->schema[static_cast<size_t>(ref->index())].name;
          size_t base = input->schema.size() - 3;
          if (static_cast<size_t>(ref->index()) == base && col == "window_start") window_start = static_cast<int>(pre->schema.size());
          if (static_cast<size_t>(ref->index()) == base + 1 && col == "window_end") window_end = static_cast<int>(pre->schema.size());
          if (static_cast<size_t>(ref->index()) == base + 2 && col == "window_time") window_time = static_cast<int>(pre->schema.size());
        }
      }
      group_canon.push_back(canon(*g));
      LogicalType t = e->type().plain();
      pre->schema.push_back({name, t});
      pre->projections.push_back(std::shared_ptr<const Expression>(std::move(e)));
    }
    for (const Expr* g : implicit_groups_) {  // Scalar subqueries (see scalarSubqueries).
      EDDY_ASSIGN_OR_RETURN(ExprP e, expr(*g, scope));
      group_canon.push_back(canon(*g));
      LogicalType t = e->type().plain();
      pre->schema.push_back({"$f" + std::to_string(pre->schema.size()), t});
      pre->projections.push_back(std::shared_ptr<const Expression>(std::move(e)));
    }
    implicit_groups_.clear();
    std::vector<AggregateCall> aggs;
    std::vector<std::string> agg_canon;
    for (const Expr* c : calls) {
      std::string key = canon(*c);
      if (std::find(agg_canon.begin(), agg_canon.end(), key) != agg_canon.end()) continue;
      EDDY_ASSIGN_OR_RETURN(AggregateCall call, aggregateCall(*c, scope, *pre));
      aggs.push_back(std::move(call));
      agg_canon.push_back(key);
    }
    bool window_agg = window_start >= 0 && window_end >= 0;
    int expand_col = -1;
    std::vector<std::map<std::string, bool>> kept_sets;
    if (s.has_grouping_sets) {
      if (window_agg && window->window.kind == WindowSpec::Kind::kSession) {
        return sqlError(s.pos, "GROUPING SETS over a SESSION window are not supported");
      }
      EDDY_ASSIGN_OR_RETURN(pre, expandGroupingSets(s, pre, group_canon, window_start, window_end, &kept_sets));
      expand_col = static_cast<int>(pre->schema.size()) - 1;
    }
    auto node = std::make_shared<PlanNode>();
    node->inputs.push_back(pre);
    AggBinding binding;
    binding.kept = kept_sets;
    if (window_agg) {
      if (input->mode != ChangelogMode::kInsertOnly) {
        return sqlError(s.pos, "window aggregation does not support an updating input");
      }
      const WindowSpec& w = window->window;
      if (!legacy && w.kind == WindowSpec::Kind::kHop && w.size % w.slide != 0) {
        // Flink slices a HOP window TVF's aggregation by its slide (legacy group windows
        // are not sliced there; here they are, by gcd(size, slide)).
        return sqlError(s.pos, "HOP table function based aggregate requires size must be an integral multiple of "
                               "slide, but got size " + std::to_string(w.size) + " ms and slide " +
                               std::to_string(w.slide) + " ms");
      }
      node->kind = PlanNode::Kind::kWindowAggregate;
      node->window = window->window;
      node->mode = ChangelogMode::kInsertOnly;
      for (size_t i = 0; i < group_canon.size(); ++i) {
        int idx = static_cast<int>(i);
        if (idx == window_start || idx == window_end || idx == window_time) continue;
        binding.groups[group_canon[i]] = static_cast<int>(node->keys.size());
        node->keys.push_back(idx);
        node->schema.push_back(pre->schema[i]);
      }
      if (expand_col >= 0) {
        binding.set_column = static_cast<int>(node->schema.size());
        node->keys.push_back(expand_col);
        node->schema.push_back(pre->schema[static_cast<size_t>(expand_col)]);
      }
      size_t k = node->keys.size();
      binding.groups[group_canon[static_cast<size_t>(window_start)]] = static_cast<int>(k);
      binding.groups[group_canon[static_cast<size_t>(window_end)]] = static_cast<int>(k + 1);
      binding.groups["C:window_time"] = static_cast<int>(k + 2);
      if (window_time >= 0) binding.groups[group_canon[static_cast<size_t>(window_time)]] = static_cast<int>(k + 2);
      node->schema.push_back({"window_start", LogicalType::timestamp(3).notNull()});
      node->schema.push_back({"window_end", LogicalType::timestamp(3).notNull()});
      LogicalType wt = input->schema.back().type;
      if (cascade) {
        wt = cascade->time >= 0 ? input->schema[static_cast<size_t>(cascade->time)].type : LogicalType::timestamp(3);
        wt.rowtime = true;
      }
      node->schema.push_back({"window_time", wt});
      node->rowtime = wt.rowtime ? static_cast<int>(k + 2) : -1;
      node->time_col = window_start;  // The pre-projection's window_start column ...
      node->end_col = window_end;     // ... and window_end.
      if (legacy) {
        // TUMBLE_START(ts, size) and friends name the window's columns.
        std::string args = canon(*legacy).substr(legacy->name.size());
        binding.groups[legacy->name + "_START" + args] = static_cast<int>(k);
        binding.groups[legacy->name + "_END" + args] = static_cast<int>(k + 1);
        binding.groups[legacy->name + "_ROWTIME" + args] = static_cast<int>(k + 2);
      }
      if (node->window.kind == WindowSpec::Kind::kSession && cascade) {
        node->attached_sessions = true;  // Its rows carry merged sessions: windows as they are.
      } else if (node->window.kind == WindowSpec::Kind::kSession) {
        if (legacy) {
          node->partition_keys = node->keys;
        } else {
          for (int c : window->partition_keys) {
            node->partition_keys.push_back(static_cast<int>(pre->schema.size()));
            pre->schema.push_back(input->schema[static_cast<size_t>(c)]);
            pre->projections.push_back(std::make_shared<InputRef>(c, input->schema[static_cast<size_t>(c)].type));
          }
        }
      }
    } else {
      node->kind = PlanNode::Kind::kGroupAggregate;
      node->hinted_ttl_ms[0] = agg_ttl_ms_;
      node->mode = ChangelogMode::kUpdates;
      for (size_t i = 0; i < group_canon.size(); ++i) {
        binding.groups[group_canon[i]] = static_cast<int>(i);
        node->keys.push_back(static_cast<int>(i));
        node->schema.push_back(pre->schema[i]);
      }
      if (expand_col >= 0) {
        binding.set_column = static_cast<int>(node->schema.size());
        node->keys.push_back(expand_col);
        node->schema.push_back(pre->schema[static_cast<size_t>(expand_col)]);
      }
    }
    for (size_t a = 0; a < aggs.size(); ++a) {
      binding.aggs[agg_canon[a]] = static_cast<int>(node->schema.size());
      node->schema.push_back({"$a" + std::to_string(a), aggs[a].type});
    }
    node->aggs = std::move(aggs);
    binding.schema = &node->schema;
    Scope out_scope = scopeOf(node->schema, "");
    return project(s, node, out_scope, &binding, s.having.get());
  }

  Result<AggregateCall> aggregateCall(const Expr& c, const Scope& scope, PlanNode& pre) {
    AggregateCall call;
    call.distinct = c.distinct;
    std::string filter_text;
    if (c.filter) {
      if (containsAggregate(*c.filter)) return sqlError(c.filter->pos, "aggregate functions are not allowed in FILTER");
      EDDY_ASSIGN_OR_RETURN(ExprP f, expr(*c.filter, scope));
      if (f->type().id != TypeId::kBoolean) {
        return sqlError(c.filter->pos, "FILTER needs a boolean condition, not " + f->type().toString());
      }
      call.filter = static_cast<int>(pre.schema.size());
      filter_text = " FILTER $" + std::to_string(call.filter);
      pre.schema.push_back({"$f" + std::to_string(pre.schema.size()), f->type()});
      pre.projections.push_back(std::shared_ptr<const Expression>(std::move(f)));
    }
    const std::string& n = c.name;
    static const std::map<std::string, AggKind> kKinds = {
        {"COUNT", AggKind::kCount},         {"SUM", AggKind::kSum},           {"SUM0", AggKind::kSum0},
        {"AVG", AggKind::kAvg},             {"MIN", AggKind::kMin},           {"MAX", AggKind::kMax},
        {"STDDEV", AggKind::kStddevSamp},   {"STDDEV_POP", AggKind::kStddevPop}, {"STDDEV_SAMP", AggKind::kStddevSamp},
        {"VAR_POP", AggKind::kVarPop},      {"VAR_SAMP", AggKind::kVarSamp},  {"VARIANCE", AggKind::kVarSamp},
        {"FIRST_VALUE", AggKind::kFirstValue}, {"LAST_VALUE", AggKind::kLastValue}, {"LISTAGG", AggKind::kListAgg},
        {"COLLECT", AggKind::kCollect},       {"ARRAY_AGG", AggKind::kArrayAgg},
        {"JSON_ARRAYAGG", AggKind::kJsonArrayAgg}, {"JSON_OBJECTAGG", AggKind::kJsonObjectAgg},
        {"LAG", AggKind::kLag}, {"LEAD", AggKind::kLead}};
    auto user = catalog_.aggregate_functions.find(n);
    if (user != catalog_.aggregate_functions.end()) return userAggregateCall(c, scope, pre, user->second, filter_text, call);
    call.kind = kKinds.at(n);
    if (call.kind == AggKind::kCount && (c.args.empty() || c.args[0]->kind == Expr::Kind::kStar)) {
      call.arg = -1;
      call.type = LogicalType::bigint().notNull();
      call.name = "COUNT(*)" + filter_text;
      return call;
    }
    size_t max_args = call.kind == AggKind::kListAgg || call.kind == AggKind::kJsonObjectAgg ? 2
                      : call.kind == AggKind::kLag || call.kind == AggKind::kLead ? 3
                      : call.kind == AggKind::kCount ? c.args.size()
                                                     : 1;
    if (c.args.empty() || c.args.size() > max_args) {
      return sqlError(c.pos, n + " takes " + (max_args == 1   ? "one argument"
                                              : max_args == 2 ? "one or two arguments"
                                                              : "one to three arguments"));
    }
    ExprP arg;
    if (call.kind == AggKind::kCount && c.args.size() > 1) {
      // COUNT([DISTINCT] a, b, ...): the rows where none is NULL, as one value each.
      std::vector<ExprP> parts;
      std::vector<LogicalType> types;
      for (const auto& a : c.args) {
        EDDY_ASSIGN_OR_RETURN(ExprP b, expr(*a, scope));
        types.push_back(b->type());
        parts.push_back(std::move(b));
      }
      arg = std::make_unique<RowCall>("ROW", LogicalType::string(), std::move(parts), [types](const std::vector<Value>& v) {
        std::string key;
        for (size_t i = 0; i < v.size(); ++i) {
          if (v[i].null) return Value();
          const std::string e = encodeOrdered(v[i], types[i]);
          key += std::to_string(e.size()) + ":" + e;
        }
        return Value::ofString(std::move(key));
      }, false);
    } else if (call.kind == AggKind::kJsonObjectAgg) {
      // The member "key\0value as JSON" per row (NULL: absent), so that the members
      // travel as one value; a NULL key is an error, as in Flink.
      if (c.args.size() != 2) return sqlError(c.pos, "JSON_OBJECTAGG takes a key and a value");
      EDDY_ASSIGN_OR_RETURN(ExprP key, expr(*c.args[0], scope));
      EDDY_ASSIGN_OR_RETURN(ExprP value, expr(*c.args[1], scope));
      if (!key->type().isString()) {
        return sqlError(c.args[0]->pos, "JSON_OBJECTAGG's key must be a string, not " + key->type().toString());
      }
      const LogicalType value_type = value->type().plain();
      const bool absent_on_null = c.ignore_nulls;
      std::vector<ExprP> parts;
      parts.push_back(std::move(key));
      parts.push_back(std::move(value));
      arg = std::make_unique<RowCall>("JSON_MEMBER", LogicalType::string(), std::move(parts),
                                      [value_type, absent_on_null](const std::vector<Value>& v) {
        if (v[0].null) throw EvalError("JSON_OBJECTAGG: a key is NULL");
        if (v[1].null && absent_on_null) return Value();
        std::string member = v[0].s;
        member += '\0';
        appendJson(member, v[1], value_type);
        return Value::ofString(std::move(member));
      }, false);
    } else {
      EDDY_ASSIGN_OR_RETURN(arg, expr(*c.args[0], scope));
    }
    LogicalType t = arg->type().plain();
    bool numeric = t.isNumeric();
    switch (call.kind) {
      case AggKind::kCount:
        call.type = LogicalType::bigint().notNull();
        break;
      case AggKind::kSum:
      case AggKind::kSum0:
        if (!numeric) return sqlError(c.pos, n + " needs a numeric argument, not " + t.toString());
        call.type = t.id == TypeId::kDecimal ? LogicalType::decimal(38, t.scale) : t;
        break;
      case AggKind::kAvg:
      case AggKind::kStddevPop:
      case AggKind::kStddevSamp:
      case AggKind::kVarPop:
      case AggKind::kVarSamp:
        if (!numeric) return sqlError(c.pos, n + " needs a numeric argument, not " + t.toString());
        call.type = t.id == TypeId::kDecimal ? LogicalType::decimal(38, std::max(6, t.scale)) : t;
        break;
      case AggKind::kListAgg:
        if (!t.isString()) return sqlError(c.pos, "LISTAGG needs a string argument, not " + t.toString());
        call.type = LogicalType::string();
        if (c.args.size() > 1) {
          if (c.args[1]->kind != Expr::Kind::kLiteral || c.args[1]->literal != Expr::LiteralType::kString) {
            return sqlError(c.args[1]->pos, "LISTAGG's separator must be a string literal");
          }
          call.separator = c.args[1]->text;
        }
        break;
      case AggKind::kCollect:
        call.type = LogicalType::multiset(t);
        break;
      case AggKind::kArrayAgg:
        call.type = LogicalType::array(arg->type().plain());
        call.ignore_nulls = c.ignore_nulls;
        break;
      case AggKind::kJsonArrayAgg:
      case AggKind::kJsonObjectAgg:
        // An object's absent members are NULL arguments (see above): always skipped.
        call.ignore_nulls = call.kind == AggKind::kJsonObjectAgg || c.ignore_nulls;
        call.type = LogicalType::string().notNull();
        break;
      case AggKind::kLag:
      case AggKind::kLead: {
        // LAG|LEAD(x [, offset [, default]]): a constant offset (1) and default (NULL).
        if (call.distinct) return sqlError(c.pos, n + " takes no DISTINCT");
        call.type = t;
        if (c.args.size() > 1) {
          const Expr& offset = *c.args[1];
          if (offset.kind != Expr::Kind::kLiteral || offset.literal != Expr::LiteralType::kInteger ||
              !integerValue(offset.text, &call.lag_offset) || call.lag_offset < 0) {
            return sqlError(offset.pos, n + "'s offset must be a non-negative integer literal");
          }
        }
        if (c.args.size() > 2) {
          EDDY_ASSIGN_OR_RETURN(ExprP d, expr(*c.args[2], scope));
          LogicalType common;
          if (d->type().id != TypeId::kNull && !commonType(d->type(), t, &common)) {
            return sqlError(c.args[2]->pos, n + "'s default must be " + t.toString() + ", not " + d->type().toString());
          }
          ExprP cast = coerce(std::move(d), t.withNullable(true));
          auto* lit = dynamic_cast<const Literal*>(cast.get());
          if (!lit) return sqlError(c.args[2]->pos, n + "'s default must be a constant");
          call.lag_default = lit->value();
        }
        break;
      }
      default:
        call.type = t;
        break;
    }
    call.type.nullable = call.kind != AggKind::kCount && call.kind != AggKind::kSum0 && call.kind != AggKind::kCollect;
    call.arg_type = t;
    call.retractable = pre.mode == ChangelogMode::kUpdates;
    call.arg = static_cast<int>(pre.schema.size());
    call.name = n + "(" + std::string(call.distinct ? "DISTINCT " : "") + "$" + std::to_string(call.arg) +
                (call.ignore_nulls ? " IGNORE NULLS" : "") + ")" + filter_text;
    pre.schema.push_back({"$f" + std::to_string(pre.schema.size()), arg->type()});
    pre.projections.push_back(std::shared_ptr<const Expression>(std::move(arg)));
    return call;
  }

  // A call of a user-defined aggregate function: its arguments, cast to the declared
  // types, become pre-projection columns.
  Result<AggregateCall> userAggregateCall(const Expr& c, const Scope& scope, PlanNode& pre,
                                          const std::shared_ptr<const AggregateFunction>& f,
                                          const std::string& filter_text, AggregateCall call) {
    if (c.distinct) return sqlError(c.pos, "DISTINCT is not supported for the user-defined function " + c.name);
    if (c.args.size() != f->argument_types.size()) {
      return sqlError(c.pos, c.name + " takes " + std::to_string(f->argument_types.size()) + " arguments, not " +
                                 std::to_string(c.args.size()));
    }
    call.kind = AggKind::kUser;
    call.udf = f;
    call.type = f->result_type;
    call.type.nullable = true;
    call.retractable = pre.mode == ChangelogMode::kUpdates;
    if (call.retractable && !f->retract) {
      return sqlError(c.pos, "the aggregate function " + c.name +
                                 " has no retract, so it cannot consume updates and deletes");
    }
    std::string args;
    for (size_t i = 0; i < c.args.size(); ++i) {
      EDDY_ASSIGN_OR_RETURN(ExprP arg, expr(*c.args[i], scope));
      LogicalType common;
      const LogicalType& want = f->argument_types[i];
      if (arg->type().id != TypeId::kNull && !commonType(arg->type(), want, &common)) {
        return sqlError(c.args[i]->pos, c.name + "'s argument " + std::to_string(i + 1) + " must be " +
                                            want.toString() + ", not " + arg->type().toString());
      }
      ExprP cast = coerce(std::move(arg), want.withNullable(true));
      const int col = static_cast<int>(pre.schema.size());
      call.udf_args.push_back(col);
      args += (i ? ", $" : "$") + std::to_string(col);
      pre.schema.push_back({"$f" + std::to_string(col), cast->type()});
      pre.projections.push_back(std::shared_ptr<const Expression>(std::move(cast)));
    }
    call.arg = call.udf_args.empty() ? -1 : call.udf_args[0];
    if (call.arg >= 0) call.arg_type = pre.schema[static_cast<size_t>(call.arg)].type;
    call.name = c.name + "(" + args + ")" + filter_text;
    return call;
  }

  // Binds an expression over an aggregate's output: group expressions and aggregate
  // calls become column references; other column references are an error.
  // GROUPING(a, b, ...) / GROUPING_ID(...): per row, a bit per argument, the first the
  // highest, set when the row's grouping set does not group by that argument.
  Result<ExprP> grouping(const Expr& e, const AggBinding& b) {
    if (e.args.empty()) return sqlError(e.pos, e.name + " needs at least one argument");
    std::vector<std::string> args;
    for (const auto& a : e.args) {
      std::string c = canon(*a);
      if (!b.groups.count(c)) return sqlError(a->pos, "the arguments of " + e.name + " must be group expressions");
      args.push_back(c);
    }
    LogicalType type = LogicalType::bigint().notNull();
    if (b.set_column < 0) return ExprP(std::make_unique<Literal>(Value::ofInt(0), type, "0"));
    std::vector<int64_t> per_set;
    for (const auto& kept : b.kept) {
      int64_t bits = 0;
      for (const auto& c : args) bits = (bits << 1) | (kept.at(c) ? 0 : 1);
      per_set.push_back(bits);
    }
    std::vector<ExprP> set;
    set.push_back(std::make_unique<InputRef>(b.set_column, LogicalType::bigint().notNull()));
    return ExprP(std::make_unique<RowCall>(
        e.name, type, std::move(set),
        [per_set](const std::vector<Value>& v) { return Value::ofInt(per_set[static_cast<size_t>(v[0].i)]); }, true));
  }

  Result<ExprP> aggExpr(const Expr& e, const Scope& scope, AggBinding& b) {
    if (e.kind == Expr::Kind::kCall && (e.name == "GROUPING" || e.name == "GROUPING_ID")) return grouping(e, b);
    std::string key = canon(e);
    auto g = b.groups.find(key);
    if (g != b.groups.end()) {
      const ColumnSchema& c = (*b.schema)[static_cast<size_t>(g->second)];
      return ExprP(std::make_unique<InputRef>(g->second, c.type));
    }
    auto a = b.aggs.find(key);
    if (a != b.aggs.end()) {
      const ColumnSchema& c = (*b.schema)[static_cast<size_t>(a->second)];
      return ExprP(std::make_unique<InputRef>(a->second, c.type));
    }
    if (e.kind == Expr::Kind::kColumn) {
      return sqlError(e.pos, "Expression '" + e.names.back() + "' is not being grouped");
    }
    return bindWith(e, scope, [&](const Expr& sub) { return aggExpr(sub, scope, b); });
  }

  Result<ExprP> expr(const Expr& e, const Scope& scope) {
    return bindWith(e, scope, [&](const Expr& sub) { return expr(sub, scope); });
  }

  // Binds `e`, using `rec` for its sub-expressions.
  template <typename Rec>
  Result<ExprP> bindWith(const Expr& e, const Scope& scope, Rec rec) {
    switch (e.kind) {
      case Expr::Kind::kLiteral: return literal(e);
      case Expr::Kind::kInterval: {
        bool ym = false;
        EDDY_ASSIGN_OR_RETURN(int64_t v, intervalMillis(e, &ym));
        LogicalType t = LogicalType::of(ym ? TypeId::kIntervalYearMonth : TypeId::kIntervalDayTime).notNull();
        return ExprP(std::make_unique<Literal>(Value::ofInt(v), t, "INTERVAL '" + e.text + "' " + e.unit));
      }
      case Expr::Kind::kColumn: return column(e, scope);
      case Expr::Kind::kStar: return sqlError(e.pos, "'*' is only allowed in the SELECT list or COUNT(*)");
      case Expr::Kind::kCast: {
        EDDY_ASSIGN_OR_RETURN(ExprP arg, rec(*e.args[0]));
        EDDY_ASSIGN_OR_RETURN(LogicalType t, bindType(e.type));
        bool try_cast = e.name == "TRY_CAST";
        t.nullable = try_cast || arg->type().nullable;
        Value probe;
        std::string why;
        if (arg->type().id != TypeId::kNull && !arg->type().isString() && !t.isString() &&
            !castValue(Value::ofInt(0), arg->type(), t, probe, &why) && !(arg->type().isNumeric() && t.isNumeric())) {
          if (why.rfind("The cast from", 0) == 0) return sqlError(e.pos, why);  // Flink's own words.
          return sqlError(e.pos, "cannot cast " + arg->type().toString() + " to " + t.toString());
        }
        return ExprP(std::make_unique<CastCall>(t, std::move(arg), try_cast));
      }
      case Expr::Kind::kCase: return caseExpr(e, rec);
      case Expr::Kind::kCall: return call(e, scope, rec);
      case Expr::Kind::kSubquery:
        if (scalar_cols_.count(&e)) {
          const auto& [col, type] = scalar_cols_.at(&e);
          return ExprP(std::make_unique<InputRef>(col, type));
        }
        return sqlError(e.pos, "scalar subqueries are supported in WHERE and SELECT only");
      case Expr::Kind::kExists:
      case Expr::Kind::kInQuery:
        if (mark_cols_.count(&e)) {
          // A mark join's marker: set where the subquery has a match.
          const auto& [col, type] = mark_cols_.at(&e);
          const bool match = !(e.kind == Expr::Kind::kInQuery && e.negated);
          if (in_values_.count(&e)) {  // The IN's three-valued result itself (nullAwareIn).
            ExprP value = std::make_unique<InputRef>(col, type);
            if (match) return value;
            std::vector<ExprP> arg;
            arg.push_back(std::move(value));
            return ExprP(std::make_unique<LogicalCall>(LogicalCall::Op::kNot, std::move(arg)));
          }
          return ExprP(std::make_unique<IsCall>(match ? IsCall::What::kNotNull : IsCall::What::kNull,
                                                std::make_unique<InputRef>(col, type)));
        }
        return sqlError(e.pos, "IN (SELECT ...) and EXISTS are supported in a WHERE only (not in SELECT) yet");
      case Expr::Kind::kOver:
        if (&e == rank_expr_) return ExprP(std::make_unique<InputRef>(rank_col_, LogicalType::bigint().notNull()));
        if (over_cols_.count(&e)) {
          const auto& [col, type] = over_cols_.at(&e);
          return ExprP(std::make_unique<InputRef>(col, type));
        }
        return sqlError(e.pos, "OVER aggregations are not supported yet (ROW_NUMBER() for Top-N is)");
    }
    return sqlError(e.pos, "unsupported expression");
  }

  Result<ExprP> literal(const Expr& e) {
    using LT = Expr::LiteralType;
    switch (e.literal) {
      case LT::kNull: return ExprP(std::make_unique<Literal>(Value(), LogicalType::of(TypeId::kNull), "null"));
      case LT::kBool:
        return ExprP(std::make_unique<Literal>(Value::ofBool(e.text == "TRUE"), LogicalType::boolean().notNull(),
                                               e.text == "TRUE" ? "true" : "false"));
      case LT::kInteger: {
        errno = 0;
        char* end = nullptr;
        long long v = std::strtoll(e.text.c_str(), &end, 10);
        if (errno != 0) {
          // Too big for BIGINT: a DECIMAL, as Flink does.
          Int128 scaled;
          if (!parseDecimal(e.text, 0, scaled)) return sqlError(e.pos, "number out of range: " + e.text);
          const LogicalType t = LogicalType::decimal(static_cast<int>(e.text.size()), 0).notNull();
          return ExprP(std::make_unique<Literal>(decimalValue(scaled, t), t, e.text));
        }
        LogicalType t = (v >= INT32_MIN && v <= INT32_MAX) ? LogicalType::integer() : LogicalType::bigint();
        return ExprP(std::make_unique<Literal>(Value::ofInt(v), t.notNull(), e.text));
      }
      case LT::kDecimal: {
        std::string digits = e.text;
        bool neg = !digits.empty() && digits[0] == '-';
        if (neg) digits = digits.substr(1);
        size_t dot = digits.find('.');
        int scale = static_cast<int>(digits.size() - dot - 1);
        std::string intpart = digits.substr(0, dot);
        while (intpart.size() > 1 && intpart[0] == '0') intpart.erase(0, 1);
        int precision = static_cast<int>((intpart == "0" || intpart.empty() ? 0 : intpart.size())) + scale;
        precision = std::max(precision, 1);
        Int128 scaled;
        if (precision > kMaxDecimalPrecision || !parseDecimal(e.text, scale, scaled)) {
          return doubleLiteral(e);
        }
        const LogicalType t = LogicalType::decimal(precision, scale).notNull();
        return ExprP(std::make_unique<Literal>(decimalValue(scaled, t), t, e.text));
      }
      case LT::kDouble:
        return doubleLiteral(e);
      case LT::kString: {
        LogicalType t = LogicalType::of(TypeId::kChar, std::max<int>(1, static_cast<int>(e.text.size()))).notNull();
        return ExprP(std::make_unique<Literal>(Value::ofString(e.text), t, "'" + e.text + "'"));
      }
      case LT::kBinary: {
        std::string bytes;
        for (size_t i = 0; i + 1 < e.text.size(); i += 2) bytes += static_cast<char>(std::stoi(e.text.substr(i, 2), nullptr, 16));
        LogicalType t = LogicalType::of(TypeId::kBinary, std::max<int>(1, static_cast<int>(bytes.size()))).notNull();
        return ExprP(std::make_unique<Literal>(Value::ofString(std::move(bytes)), t, "X'" + e.text + "'"));
      }
      case LT::kTimestamp: {
        // Its precision is the number of fraction digits it writes (at most 9).
        size_t dot = e.text.find('.');
        int p = dot == std::string::npos ? 0 : std::min(9, static_cast<int>(e.text.size() - dot - 1));
        int64_t v;
        if (!parseTimestamp(e.text, v, p)) {
          return sqlError(e.pos, parseTimestamp(e.text, v)
                                     ? "TIMESTAMP '" + e.text + "' is out of the range of TIMESTAMP(" + std::to_string(p) +
                                           ") (1677-09-21 to 2262-04-11 past 6 digits)"
                                     : "invalid TIMESTAMP literal '" + e.text + "'");
        }
        return ExprP(std::make_unique<Literal>(Value::ofInt(v), LogicalType::timestamp(p).notNull(), "TIMESTAMP '" + e.text + "'"));
      }
      case LT::kDate: {
        int64_t d;
        if (!parseDate(e.text, d)) return sqlError(e.pos, "invalid DATE literal '" + e.text + "'");
        return ExprP(std::make_unique<Literal>(Value::ofInt(d), LogicalType::of(TypeId::kDate).notNull(), "DATE '" + e.text + "'"));
      }
      case LT::kTime: {
        int64_t ms;
        if (!parseTime(e.text, ms)) return sqlError(e.pos, "invalid TIME literal '" + e.text + "'");
        return ExprP(std::make_unique<Literal>(Value::ofInt(ms), LogicalType::of(TypeId::kTime).notNull(), "TIME '" + e.text + "'"));
      }
    }
    return sqlError(e.pos, "unsupported literal");
  }

  // The field named `name` (with qualifier `q` unless empty): its index, -1 when there
  // is none, -2 when there are several.
  static int lookup(const Scope& scope, const std::string& q, const std::string& name) {
    int found = -1;
    for (size_t i = 0; i < scope.fields.size(); ++i) {
      const Field& f = scope.fields[i];
      if (f.name != name || (!q.empty() && f.qualifier != q) || (q.empty() && f.hidden)) continue;
      if (found >= 0) return -2;
      found = static_cast<int>(i);
    }
    return found;
  }

  // The ROW value of the fields kept as `prefix.field` columns (qualified by `q` unless
  // empty); null when there are none.
  static Result<ExprP> flattenedRow(const Scope& scope, const std::string& q, const std::string& prefix, Pos pos) {
    Schema columns;
    std::set<std::string> qualifiers;
    for (const Field& f : scope.fields) {
      const bool eligible = (q.empty() ? !f.hidden : f.qualifier == q) && isFieldOf(f.name, prefix);
      if (eligible) qualifiers.insert(f.qualifier);
    }
    if (qualifiers.size() > 1) return sqlError(pos, "Column '" + prefix + "' is ambiguous");
    // The one table's columns, the others' out of reach by a name no field has.
    for (const Field& f : scope.fields) {
      const bool mine = !qualifiers.empty() && f.qualifier == *qualifiers.begin() && (!q.empty() || !f.hidden);
      columns.push_back({mine ? f.name : std::string(), f.type});
    }
    return rowOfColumns(columns, prefix);
  }

  Result<ExprP> column(const Expr& e, const Scope& in_scope) {
    // A reference to the enclosing query's row sees its fields only, shadowed or not
    // (the same places, so the same input indexes).
    Scope outer_only;
    if (e.outer_ref) {
      outer_only = in_scope;
      for (Field& f : outer_only.fields) {
        if (f.outer) {
          f.hidden = false;
        } else {
          f.name.clear();
          f.qualifier.clear();
        }
      }
    }
    const Scope& scope = e.outer_ref ? outer_only : in_scope;
    std::string q = e.names.size() > 1 ? e.names[e.names.size() - 2] : "";
    const std::string& name = e.names.back();
    int found = lookup(scope, q, name);
    if (found == -1 && e.names.size() > 1) {
      // A field of a ROW column (kept as `row.field`): `row.field` or `t.row.field`.
      auto joined = [&](size_t from) {
        std::string r;
        for (size_t i = from; i < e.names.size(); ++i) r += (i > from ? "." : "") + e.names[i];
        return r;
      };
      found = lookup(scope, "", joined(0));
      if (found == -1) found = lookup(scope, e.names[0], joined(1));
      // A field of a ROW value: `r.f`, `t.r.f`, `r.f.g`.
      for (size_t k = 1; found == -1 && k <= 2 && k < e.names.size(); ++k) {
        const int c = k == 1 ? lookup(scope, "", e.names[0]) : lookup(scope, e.names[0], e.names[1]);
        if (c < 0 || scope.fields[static_cast<size_t>(c)].type.id != TypeId::kRow) continue;
        ExprP out = std::make_unique<InputRef>(c, scope.fields[static_cast<size_t>(c)].type);
        for (size_t i = k; i < e.names.size(); ++i) {
          std::vector<ExprP> args;
          args.push_back(std::move(out));
          args.push_back(std::make_unique<Literal>(Value::ofString(e.names[i]), LogicalType::string().notNull(),
                                                   "'" + e.names[i] + "'"));
          EDDY_ASSIGN_OR_RETURN(out, bindCall("DOT", std::move(args), e.pos));
        }
        return out;
      }
    }
    if (found == -1) {
      // A whole ROW column (kept as its `row.field` columns): `row`, `t.row`, `row.nested`.
      std::string path;
      for (size_t i = 0; i < e.names.size(); ++i) path += (i ? "." : "") + e.names[i];
      EDDY_ASSIGN_OR_RETURN(ExprP whole, flattenedRow(scope, "", path, e.pos));
      if (!whole && e.names.size() > 1) {
        EDDY_ASSIGN_OR_RETURN(whole, flattenedRow(scope, e.names[0], path.substr(e.names[0].size() + 1), e.pos));
      }
      if (whole) return whole;
    }
    if (found == -2) return sqlError(e.pos, "Column '" + name + "' is ambiguous");
    if (found < 0) {
      std::vector<std::string> names;
      for (const Field& f : scope.fields) names.push_back(f.name);
      if (!q.empty()) {
        bool known = false;
        for (const Field& f : scope.fields) known = known || f.qualifier == q;
        if (!known) return sqlError(e.pos, "Table '" + q + "' not found" );
        return sqlError(e.pos, "Column '" + name + "' not found in table '" + q + "'" + didYouMean(name, names));
      }
      return sqlError(e.pos, "Column '" + name + "' not found in any table" + didYouMean(name, names));
    }
    return ExprP(std::make_unique<InputRef>(found, scope.fields[static_cast<size_t>(found)].type));
  }

  template <typename Rec>
  Result<ExprP> caseExpr(const Expr& e, Rec rec) {
    std::vector<ExprP> conds, values;
    ExprP operand;
    size_t i = 0;
    if (e.has_operand) {
      EDDY_ASSIGN_OR_RETURN(operand, rec(*e.args[i++]));
    }
    size_t end = e.args.size() - (e.has_else ? 1 : 0);
    for (; i + 1 < end + 1 && i < end; i += 2) {
      EDDY_ASSIGN_OR_RETURN(ExprP c, rec(*e.args[i]));
      if (operand) {
        std::vector<ExprP> args;
        args.push_back(operand->clone());
        args.push_back(std::move(c));
        EDDY_ASSIGN_OR_RETURN(c, bindCall("=", std::move(args), e.args[i]->pos));
      }
      if (c->type().id == TypeId::kNull) c = coerce(std::move(c), LogicalType::boolean());  // A bare NULL: unknown.
      if (c->type().id != TypeId::kBoolean) return sqlError(e.args[i]->pos, "CASE WHEN needs a boolean condition");
      EDDY_ASSIGN_OR_RETURN(ExprP v, rec(*e.args[i + 1]));
      conds.push_back(std::move(c));
      values.push_back(std::move(v));
    }
    ExprP else_value;
    if (e.has_else) {
      EDDY_ASSIGN_OR_RETURN(else_value, rec(*e.args.back()));
    }
    LogicalType t = values[0]->type();
    for (const auto& v : values) {
      if (!commonType(t, v->type(), &t)) return sqlError(e.pos, "CASE branches have no common type");
    }
    if (else_value && !commonType(t, else_value->type(), &t)) return sqlError(e.pos, "CASE branches have no common type");
    if (t.id == TypeId::kChar) t = LogicalType::of(TypeId::kVarchar, t.precision);
    bool nullable = !else_value || else_value->type().nullable;
    for (const auto& v : values) nullable = nullable || v->type().nullable;
    std::vector<ExprP> args;
    for (size_t k = 0; k < conds.size(); ++k) {
      args.push_back(std::move(conds[k]));
      args.push_back(coerce(std::move(values[k]), t));
    }
    if (else_value) args.push_back(coerce(std::move(else_value), t));
    return ExprP(std::make_unique<CaseCall>(t.withNullable(nullable), std::move(args)));
  }

  // Calls bound here rather than by a registered function.
  inline static const std::set<std::string> kInlineCalls = {"AND", "OR", "NOT", "BETWEEN", "BETWEEN SYMMETRIC", "IN", "ROW", "ARRAY", "MAP"};

  template <typename Rec>
  Result<ExprP> call(const Expr& e, const Scope& scope, Rec rec) {
    const std::string& n = e.name;
    if (isAggregate(n)) return sqlError(e.pos, "aggregate function " + n + " is not allowed here");
    if (e.filter) return sqlError(e.filter->pos, "FILTER is only allowed on aggregate functions, not on " + n);
    if ((n == "CURRENT_CATALOG" || n == "CURRENT_DATABASE") && e.args.empty()) {  // The session's, when planned.
      const std::string& value = n == "CURRENT_CATALOG" ? catalog_.current_catalog : catalog_.current_database;
      return ExprP(std::make_unique<Literal>(Value::ofString(value), LogicalType::string().notNull(), "'" + value + "'"));
    }
    if (n == "CURRENT_WATERMARK") {
      if (e.args.size() != 1) return sqlError(e.pos, "CURRENT_WATERMARK takes the rowtime column");
      EDDY_ASSIGN_OR_RETURN(ExprP arg, rec(*e.args[0]));
      if (!arg->type().rowtime) {
        return sqlError(e.args[0]->pos, "CURRENT_WATERMARK needs a rowtime attribute, not " + arg->type().toString());
      }
      return ExprP(std::make_unique<NowCall>(NowCall::What::kCurrentWatermark, arg->type().plain().withNullable(true),
                                             "CURRENT_WATERMARK"));
    }
    if (n == "PROCTIME" || n == "CURRENT_TIMESTAMP" || n == "NOW" || n == "LOCALTIMESTAMP" || n == "CURRENT_DATE" ||
        n == "CURRENT_ROW_TIMESTAMP" || n == "LOCALTIME" || n == "CURRENT_TIME") {
      if (!e.args.empty()) return sqlError(e.pos, n + "() takes no arguments");
      if (n == "PROCTIME") {
        LogicalType t = LogicalType::of(TypeId::kTimestampLtz, 3).notNull();
        t.proctime = true;
        return ExprP(std::make_unique<NowCall>(NowCall::What::kProcTime, t, n));
      }
      if (n == "CURRENT_DATE") {
        return ExprP(std::make_unique<NowCall>(NowCall::What::kCurrentDate, LogicalType::of(TypeId::kDate).notNull(), n));
      }
      if (n == "LOCALTIME" || n == "CURRENT_TIME") {
        return ExprP(std::make_unique<NowCall>(NowCall::What::kLocalTime, LogicalType::of(TypeId::kTime, 0).notNull(), n));
      }
      if (n == "LOCALTIMESTAMP") {
        return ExprP(std::make_unique<NowCall>(NowCall::What::kLocalTimestamp, LogicalType::timestamp(3).notNull(), n));
      }
      return ExprP(std::make_unique<NowCall>(NowCall::What::kCurrentTimestamp,
                                             LogicalType::of(TypeId::kTimestampLtz, 3).notNull(), n));
    }
    if (n == "TUMBLE" || n == "HOP" || n == "SESSION") {
      return sqlError(e.pos, n + "(...) is a group window: it belongs in GROUP BY (or use the window TVF)");
    }
    if (n.find("_START") != std::string::npos || n.find("_END") != std::string::npos ||
        n.find("_ROWTIME") != std::string::npos) {
      std::string base = n.substr(0, n.find('_'));
      if (base == "TUMBLE" || base == "HOP" || base == "SESSION") {
        return sqlError(e.pos, n + " needs a GROUP BY " + base + "(...) with the same arguments");
      }
    }
    std::vector<ExprP> args;
    for (const auto& a : e.args) {
      Result<ExprP> b = rec(*a);
      // A misspelled function is the error to report, not what its arguments lack.
      if (!b.isOk() && !isScalarFunction(n) && !catalog_.functions.count(n) && std::isalpha(static_cast<unsigned char>(n[0])) &&
          n.find(' ') == std::string::npos && !kInlineCalls.count(n)) {
        std::vector<std::string> names = scalarFunctionNames();
        for (const std::string& agg : ast::builtinAggregateNames()) names.push_back(agg);
        return sqlError(e.pos, "no function named '" + n + "'" + didYouMean(n, names));
      }
      if (!b.isOk()) return b.status();
      args.push_back(std::move(*b));
    }
    if (n == "JSON_VALUE" && !e.type.name.empty()) {
      // RETURNING t: handed over as a NULL of type t after the parsed clauses.
      EDDY_ASSIGN_OR_RETURN(LogicalType t, bindType(e.type));
      args.push_back(std::make_unique<Literal>(Value(), t, "NULL"));
    }
    if (n == "AND" || n == "OR" || n == "NOT") {
      for (size_t i = 0; i < args.size(); ++i) {
        if (args[i]->type().id != TypeId::kBoolean && args[i]->type().id != TypeId::kNull) {
          return sqlError(e.args[i]->pos, n + " needs boolean operands, not " + args[i]->type().toString());
        }
      }
      auto op = n == "AND" ? LogicalCall::Op::kAnd : n == "OR" ? LogicalCall::Op::kOr : LogicalCall::Op::kNot;
      return ExprP(std::make_unique<LogicalCall>(op, std::move(args)));
    }
    if (n.rfind("IS ", 0) == 0) {
      static const std::map<std::string, IsCall::What> kIs = {
          {"IS NULL", IsCall::What::kNull},   {"IS NOT NULL", IsCall::What::kNotNull},
          {"IS TRUE", IsCall::What::kTrue},   {"IS NOT TRUE", IsCall::What::kNotTrue},
          {"IS FALSE", IsCall::What::kFalse}, {"IS NOT FALSE", IsCall::What::kNotFalse}};
      auto it = kIs.find(n);
      if (it != kIs.end()) return ExprP(std::make_unique<IsCall>(it->second, std::move(args[0])));
      if (n == "IS DISTINCT FROM" || n == "IS NOT DISTINCT FROM") {
        // a IS NOT DISTINCT FROM b = (a = b) or both null.
        ExprP a0 = args[0]->clone(), b0 = args[1]->clone();
        std::vector<ExprP> eq_args;
        eq_args.push_back(std::move(args[0]));
        eq_args.push_back(std::move(args[1]));
        EDDY_ASSIGN_OR_RETURN(ExprP eq, bindCall("=", std::move(eq_args), e.pos));
        std::vector<ExprP> both;
        both.push_back(std::make_unique<IsCall>(IsCall::What::kNull, std::move(a0)));
        both.push_back(std::make_unique<IsCall>(IsCall::What::kNull, std::move(b0)));
        std::vector<ExprP> either;
        either.push_back(std::make_unique<IsCall>(IsCall::What::kTrue, std::move(eq)));
        either.push_back(std::make_unique<LogicalCall>(LogicalCall::Op::kAnd, std::move(both)));
        ExprP same = std::make_unique<LogicalCall>(LogicalCall::Op::kOr, std::move(either));
        if (n == "IS NOT DISTINCT FROM") return same;
        std::vector<ExprP> one;
        one.push_back(std::move(same));
        return ExprP(std::make_unique<LogicalCall>(LogicalCall::Op::kNot, std::move(one)));
      }
    }
    if (n == "BETWEEN" || n == "BETWEEN SYMMETRIC") {
      // x >= lo AND x <= hi; SYMMETRIC: that, or the same with the bounds swapped.
      auto between = [&](ExprP x, ExprP lo, ExprP hi) -> Result<ExprP> {
        ExprP x2 = x->clone();
        std::vector<ExprP> above, below;
        above.push_back(std::move(x));
        above.push_back(std::move(lo));
        below.push_back(std::move(x2));
        below.push_back(std::move(hi));
        EDDY_ASSIGN_OR_RETURN(ExprP a, bindCall(">=", std::move(above), e.pos));
        EDDY_ASSIGN_OR_RETURN(ExprP b, bindCall("<=", std::move(below), e.pos));
        std::vector<ExprP> both;
        both.push_back(std::move(a));
        both.push_back(std::move(b));
        return ExprP(std::make_unique<LogicalCall>(LogicalCall::Op::kAnd, std::move(both)));
      };
      if (n == "BETWEEN") return between(std::move(args[0]), std::move(args[1]), std::move(args[2]));
      EDDY_ASSIGN_OR_RETURN(ExprP swapped, between(args[0]->clone(), args[2]->clone(), args[1]->clone()));
      EDDY_ASSIGN_OR_RETURN(ExprP ordered, between(std::move(args[0]), std::move(args[1]), std::move(args[2])));
      std::vector<ExprP> either;
      either.push_back(std::move(ordered));
      either.push_back(std::move(swapped));
      return ExprP(std::make_unique<LogicalCall>(LogicalCall::Op::kOr, std::move(either)));
    }
    if (n == "IN") {
      // x IN (a, b) = x = a OR x = b, with SQL's NULL rules.
      std::vector<ExprP> ors;
      for (size_t i = 1; i < args.size(); ++i) {
        std::vector<ExprP> eq;
        eq.push_back(args[0]->clone());
        eq.push_back(std::move(args[i]));
        EDDY_ASSIGN_OR_RETURN(ExprP c, bindCall("=", std::move(eq), e.args[i]->pos));
        ors.push_back(std::move(c));
      }
      if (ors.size() == 1) return std::move(ors[0]);
      return ExprP(std::make_unique<LogicalCall>(LogicalCall::Op::kOr, std::move(ors)));
    }
    (void)scope;
    auto udf = catalog_.functions.find(n);
    if (udf != catalog_.functions.end()) return bindUserFunction(n, udf->second, std::move(args), e.pos);
    return bindCall(n, std::move(args), e.pos);
  }

  // While a SELECT with a STATE_TTL hint plans its FROM and aggregation: the SELECT,
  // the hint keys an input took, and the retention its group aggregation gets (-1: none).
  const ast::Select* ttl_select_ = nullptr;
  std::set<std::string> ttl_used_;
  int64_t agg_ttl_ms_ = -1;

  const Catalog& catalog_;
  // The database unqualified names are in: the session's current one, or a view's own.
  std::string ns_catalog_, ns_database_;
  const bool batch_;  // execution.runtime-mode = batch
  std::vector<std::pair<std::string, PlanPtr>> ctes_;
  // While a SELECT with ROW_NUMBER() OVER (...) is projected: that expression and the
  // rank node's row number column.
  const Expr* rank_expr_ = nullptr;
  int rank_col_ = -1;
  // While a SELECT with OVER aggregates is projected: each OVER expression's column.
  std::map<const Expr*, std::pair<int, LogicalType>> over_cols_;
  // While a SELECT is planned again for its query's ORDER BY: the ORDER BY expressions
  // its result lacks, for project() to add.
  const std::vector<const Expr*>* hidden_order_ = nullptr;
  // The ORDER BY items the query's SELECT was planned again to return, by the column
  // each became (while that query's ORDER BY is planned).
  std::map<const Expr*, int> hidden_columns_;
  // Scalar subqueries of the SELECT being planned: the column holding each one's value.
  std::map<const Expr*, std::pair<int, LogicalType>> scalar_cols_;
  // Expressions the planner writes itself (JOIN ... USING's conditions), alive while
  // the plan is made.
  std::vector<ast::ExprPtr> synthetic_;
  // Scalar subqueries of an aggregating SELECT: group keys the GROUP BY does not name.
  std::vector<const Expr*> implicit_groups_;
  // IN / EXISTS inside a larger WHERE condition: the marker column of its mark join.
  std::map<const Expr*, std::pair<int, LogicalType>> mark_cols_;
  std::set<const Expr*> in_values_;  // Of mark_cols_, the INs whose column is their value.
};

}  // namespace

Result<LogicalType> bindType(const ast::DataType& t) {
  const std::string& n = t.name;
  LogicalType r;
  if (n == "BOOLEAN" || n == "BOOL") {
    r = LogicalType::boolean();
  } else if (n == "TINYINT") {
    r = LogicalType::of(TypeId::kTinyInt);
  } else if (n == "SMALLINT") {
    r = LogicalType::of(TypeId::kSmallInt);
  } else if (n == "INT" || n == "INTEGER") {
    r = LogicalType::integer();
  } else if (n == "BIGINT") {
    r = LogicalType::bigint();
  } else if (n == "FLOAT" || n == "REAL") {
    r = LogicalType::of(TypeId::kFloat);
  } else if (n == "DOUBLE") {
    r = LogicalType::doubleType();
  } else if (n == "DECIMAL" || n == "DEC" || n == "NUMERIC") {
    int p = t.precision < 0 ? 10 : t.precision;
    int s = t.scale < 0 ? 0 : t.scale;
    if (p < 1 || p > 38 || s > p) return sqlError(t.pos, "invalid DECIMAL(" + std::to_string(p) + ", " + std::to_string(s) + ")");
    r = LogicalType::decimal(p, s);
  } else if (n == "STRING") {
    r = LogicalType::string();
  } else if (n == "VARCHAR") {
    r = LogicalType::of(TypeId::kVarchar, t.precision < 0 ? 1 : t.precision);
  } else if (n == "CHAR") {
    r = LogicalType::of(TypeId::kChar, t.precision < 0 ? 1 : t.precision);
  } else if (n == "DATE") {
    r = LogicalType::of(TypeId::kDate);
  } else if (n == "TIME") {
    r = LogicalType::of(TypeId::kTime, t.precision < 0 ? 0 : t.precision);
  } else if (n == "TIMESTAMP") {
    r = LogicalType::timestamp(t.precision < 0 ? 6 : t.precision);
  } else if (n == "TIMESTAMP_LTZ") {
    r = LogicalType::of(TypeId::kTimestampLtz, t.precision < 0 ? 6 : t.precision);
  } else if (((n == "ARRAY" || n == "MULTISET") && t.fields.size() == 1) || (n == "MAP" && t.fields.size() == 2)) {
    std::vector<LogicalType> parts;
    for (const auto& f : t.fields) {
      EDDY_ASSIGN_OR_RETURN(LogicalType part, bindType(*f.type));
      parts.push_back(part);
    }
    r = n == "ARRAY"      ? LogicalType::array(parts[0])
        : n == "MULTISET" ? LogicalType::multiset(parts[0])
                          : LogicalType::map(parts[0], parts[1]);
  } else if (n == "ROW" && !t.fields.empty()) {  // A ROW value (a table's ROW column is flattened before).
    std::vector<RowFieldType> fields;
    for (const auto& f : t.fields) {
      EDDY_ASSIGN_OR_RETURN(LogicalType ft, bindType(*f.type));
      fields.push_back({f.name, ft});
    }
    r = LogicalType::row(std::move(fields));
  } else if (n == "BYTES") {
    r = LogicalType::bytes();
  } else if (n == "BINARY" || n == "VARBINARY") {
    if (t.precision == 0) return sqlError(t.pos, n + " length must be at least 1");
    r = LogicalType::of(n == "BINARY" ? TypeId::kBinary : TypeId::kVarbinary, t.precision < 0 ? 1 : t.precision);
  } else {
    return sqlError(t.pos, "unknown data type '" + n + "'" +
                               didYouMean(n, {"BOOLEAN", "TINYINT", "SMALLINT", "INT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE", "NUMERIC",
                                              "ARRAY", "MAP", "MULTISET", "ROW", "INTERVAL",
                                              "DECIMAL", "STRING", "VARCHAR", "CHAR", "BYTES", "BINARY", "VARBINARY", "DATE", "TIME", "TIMESTAMP",
                                              "TIMESTAMP_LTZ"}));
  }
  r.nullable = !t.not_null;
  return r;
}

namespace {

// Binds `e` (owned by a statement) over the columns of `table`, by planning
// `SELECT e FROM table` with the expression borrowed for the duration.
Result<ExprP> bindOver(const Expr& e, std::shared_ptr<TableDef> table) {
  // Under its bare name: the table may not exist yet, and its database need not.
  const std::string bare = joinPath({splitPath(table->name).back()});
  Catalog cat;
  cat.tables[bare] = table;
  ast::Query q;
  auto s = std::make_shared<ast::Select>();
  s->pos = e.pos;
  ast::SelectItem si;
  si.pos = e.pos;
  si.expr.reset(const_cast<Expr*>(&e));
  s->items.push_back(std::move(si));
  s->from = std::make_unique<ast::TableRef>();
  s->from->name = bare;
  q.selects.push_back(s);
  q.union_queries.push_back(nullptr);
  Result<PlanPtr> p = Planner(cat).query(q);
  (void)s->items[0].expr.release();  // Borrowed, not owned.
  if (!p.isOk()) return p.status();
  return (*p)->projections[0]->clone();
}

}  // namespace

ast::ExprPtr copyExpr(const ast::Expr& e) { return cloneExpr(e); }

bool isFieldOf(const std::string& column, const std::string& prefix) {
  return column.size() > prefix.size() + 1 && column.compare(0, prefix.size(), prefix) == 0 &&
         column[prefix.size()] == '.';
}

ExprP rowOfColumns(const Schema& columns, const std::string& prefix) {
  std::vector<std::string> names;
  std::vector<ExprP> fields;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!isFieldOf(columns[i].name, prefix)) continue;
    const std::string rest = columns[i].name.substr(prefix.size() + 1);
    const std::string field = rest.substr(0, rest.find('.'));
    if (std::find(names.begin(), names.end(), field) != names.end()) continue;  // A nested ROW's later field.
    names.push_back(field);
    if (field.size() == rest.size()) {
      fields.push_back(std::make_unique<InputRef>(static_cast<int>(i), columns[i].type.plain()));
    } else {
      fields.push_back(rowOfColumns(columns, prefix + "." + field));
    }
  }
  if (fields.empty()) return nullptr;
  ExprP row = namedRow(names, std::move(fields));
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name != rowNullMarker(prefix)) continue;
    std::vector<ExprP> cases;  // CASE WHEN marker IS NOT TRUE THEN row END
    cases.push_back(std::make_unique<IsCall>(IsCall::What::kNotTrue,
                                             std::make_unique<InputRef>(static_cast<int>(i), columns[i].type)));
    const LogicalType type = row->type().withNullable(true);
    cases.push_back(std::move(row));
    return std::make_unique<CaseCall>(type, std::move(cases));
  }
  return row;
}

namespace {

// A ROW column is kept as one column per field, named `row.field` (nested rows
// recursively); `row.field` in a query reads it. A whole ROW value is not a column.
Status flattenColumn(const std::string& name, const ast::DataType& type, Schema& out) {
  if (type.name != "ROW") {
    EDDY_ASSIGN_OR_RETURN(LogicalType t, bindType(type));
    out.push_back({name, t});
    return Status::ok();
  }
  out.push_back({rowNullMarker(name), LogicalType::boolean().notNull()});
  for (const auto& f : type.fields) EDDY_RETURN_IF_ERROR(flattenColumn(name + "." + f.name, *f.type, out));
  return Status::ok();
}

}  // namespace

Result<std::shared_ptr<TableDef>> bindCreateTable(const ast::Statement& st) {
  auto t = std::make_shared<TableDef>();
  t->name = st.name;
  for (const auto& [k, v] : st.options) t->options[k] = v;
  // Physical columns first (computed ones may use them).
  Schema physical;
  std::set<std::string> seen;
  for (const auto& c : st.columns) {
    if (!seen.insert(c.name).second) return sqlError(c.pos, "duplicate column '" + c.name + "'");
    if (c.computed || c.metadata) continue;
    EDDY_RETURN_IF_ERROR(flattenColumn(c.name, c.type, physical));
  }
  // Metadata columns come after the physical ones in the row a reader produces.
  for (const auto& c : st.columns) {
    if (!c.metadata) continue;
    EDDY_ASSIGN_OR_RETURN(LogicalType mt, bindType(c.type));
    physical.push_back({c.name, mt});
  }
  for (const auto& c : st.columns) {
    if (c.metadata) {
      EDDY_ASSIGN_OR_RETURN(LogicalType mt, bindType(c.type));
      t->schema.push_back({c.name, mt});
      t->computed.push_back(false);
      t->computed_exprs.push_back(nullptr);
      t->computed_text.push_back("");
      t->metadata.resize(t->schema.size() - 1);
      t->metadata.push_back(c.metadata_key.empty() ? c.name : c.metadata_key);
      t->metadata_virtual.resize(t->schema.size() - 1);
      t->metadata_virtual.push_back(c.is_virtual);
      continue;
    }
    if (!c.computed) {
      for (const auto& p : physical) {
        if (p.name == c.name || p.name.rfind(c.name + ".", 0) == 0) {
          t->schema.push_back(p);
          t->computed.push_back(false);
          t->computed_exprs.push_back(nullptr);
          t->computed_text.push_back("");
        }
      }
      continue;
    }
    auto scan = std::make_shared<TableDef>();
    scan->name = st.name;
    scan->schema = physical;
    scan->computed.assign(physical.size(), false);
    scan->computed_exprs.assign(physical.size(), nullptr);
    EDDY_ASSIGN_OR_RETURN(ExprP e, bindOver(*c.computed, scan));
    LogicalType ct = e->type().plain();
    ct.proctime = e->type().proctime;  // `proc AS PROCTIME()` declares a processing-time attribute.
    t->schema.push_back({c.name, ct});
    t->computed.push_back(true);
    t->computed_exprs.push_back(std::shared_ptr<const Expression>(std::move(e)));
    t->computed_text.push_back("AS " + unparse(*c.computed));
  }
  t->metadata.resize(t->schema.size());
  t->metadata_virtual.resize(t->schema.size());
  for (const auto& k : st.primary_key) {
    bool found = false;
    for (const auto& c : t->schema) found = found || c.name == k;
    if (!found) return sqlError(st.pos, "primary key column '" + k + "' is not a column of '" + st.name + "'");
  }
  t->primary_key = st.primary_key;
  for (const auto& k : st.partition_keys) {
    bool found = false;
    for (const auto& c : t->schema) found = found || c.name == k;
    if (!found) return sqlError(st.pos, "partition column '" + k + "' is not a column of '" + st.name + "'");
  }
  // A partitioned filesystem table keeps its partition columns in directory names
  // (k=v/): they must be physical columns, and some column must be left for the files.
  t->partition_keys = st.partition_keys;
  auto connector = t->options.find("connector");
  if (!st.partition_keys.empty() && connector != t->options.end() && connector->second == "filesystem") {
    for (const auto& k : st.partition_keys) {
      for (size_t c = 0; c < t->schema.size(); ++c) {
        if (t->schema[c].name == k && (t->computed[c] || t->isMetadata(c))) {
          return sqlError(st.pos, "partition column '" + k + "' of '" + st.name + "' must be a physical column");
        }
      }
    }
    if (st.partition_keys.size() >= t->physicalSchema().size()) {
      return sqlError(st.pos, "table '" + st.name + "': the filesystem connector needs a column that is not a "
                              "partition column");
    }
  }
  if (st.watermark) {
    int idx = -1;
    for (size_t i = 0; i < t->schema.size(); ++i) {
      if (t->schema[i].name == st.watermark_column) idx = static_cast<int>(i);
    }
    if (idx < 0) {
      std::vector<std::string> names;
      for (const auto& c : t->schema) names.push_back(c.name);
      return sqlError(st.watermark->pos, "watermark column '" + st.watermark_column + "' is not a column of '" +
                                             st.name + "'" + didYouMean(st.watermark_column, names));
    }
    LogicalType& rt = t->schema[static_cast<size_t>(idx)].type;
    if (!rt.isTimestamp() || rt.precision > 3) {
      return sqlError(st.watermark->pos, "the rowtime column '" + st.watermark_column +
                                             "' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), not " + rt.toString());
    }
    if (st.watermark->kind == Expr::Kind::kCall && st.watermark->name == "SOURCE_WATERMARK") {
      return sqlError(st.watermark->pos, "SOURCE_WATERMARK() needs a connector that emits watermarks of its own "
                                         "(Flink's SupportsSourceWatermark, such as Kafka's); write the watermark "
                                         "as an expression, e.g. `" + st.watermark_column + "` - INTERVAL '5' SECOND");
    }
    EDDY_ASSIGN_OR_RETURN(ExprP bound, bindOver(*st.watermark, std::make_shared<TableDef>(*t)));
    std::shared_ptr<const Expression> proj(std::move(bound));
    if (!proj->type().isTimestamp()) {
      return sqlError(st.watermark->pos, "the watermark expression must return a TIMESTAMP, not " + proj->type().toString());
    }
    t->watermark = proj;
    t->watermark_text = unparse(*st.watermark);
    rt.rowtime = true;
    t->rowtime = idx;
  }
  return t;
}

Result<PlanPtr> planQuery(const ast::Query& query, const Catalog& catalog, const OptimizerOptions& options) {
  struct UserAggregates {
    explicit UserAggregates(const Catalog& c) : outer(tl_user_aggregates) { tl_user_aggregates = &c.aggregate_functions; }
    ~UserAggregates() { tl_user_aggregates = outer; }
    const std::map<std::string, std::shared_ptr<const AggregateFunction>>* outer;
  } in_scope(catalog);
  EDDY_ASSIGN_OR_RETURN(PlanPtr plan, Planner(catalog, options.batch).query(query));
  if (options.batch && plan->mode == ChangelogMode::kUpdates) {
    // A batch job's sinks take its final rows: the changelog is applied and they come
    // out, as inserts, when the input ends.
    auto final_rows = std::make_shared<PlanNode>();
    final_rows->kind = PlanNode::Kind::kSort;
    final_rows->inputs.push_back(plan);
    final_rows->schema = plan->schema;
    final_rows->sort.input_types = typesOf(plan->schema);
    plan = final_rows;
  }
  return optimize(plan, options);
}

}  // namespace eddy::sql
