// The Table API's relational methods: each a SELECT over the table, planned by its
// session (TableEnvironment::queryOver).

#include "eddy/sql/table/table.h"

#include <algorithm>
#include <cctype>

#include "eddy/sql/parser/object_path.h"
#include "eddy/sql/table/table_environment.h"

namespace eddy::sql {

namespace {

constexpr const char* kThis = "`$table0`";
constexpr const char* kOther = "`$table1`";

std::string trimmed(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// A name trimmed, without its backquotes if it has them.
std::string unquoted(const std::string& text) {
  std::string n = trimmed(text);
  return n.size() >= 2 && n.front() == '`' && n.back() == '`' ? n.substr(1, n.size() - 2) : n;
}

// "a, b AS c" -> {"a", "b AS c"}: the items of a comma list, trimmed (a comma inside
// backquotes is a name's).
std::vector<std::string> items(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : text) {
    if (c == '`') quoted = !quoted;
    if (c == ',' && !quoted) {
      out.push_back(trimmed(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(trimmed(cur));
  return out;
}

// "a, `b,c`" -> {"a", "b,c"}.
std::vector<std::string> nameList(const std::string& text) {
  std::vector<std::string> names = items(text);
  for (std::string& n : names) n = unquoted(n);
  return names;
}

}  // namespace

std::string Table::explain() const { return "== Optimized Execution Plan ==\n" + plan_->explain(); }

Status Table::usable(const std::string& method) const {
  if (sort_ && sort_->alone_refused) {
    return Status::invalidArgument(method + ": " + sort_->alone_refused->message() +
                                   " (an orderBy on other columns needs a fetch after it)");
  }
  return Status::ok();
}

Result<Table> Table::over(const std::string& method, const std::string& sql, const Table* other) const {
  EDDY_RETURN_IF_ERROR(usable(method));
  if (other) EDDY_RETURN_IF_ERROR(other->usable(method));
  std::vector<const Table*> inputs{this};
  if (other) inputs.push_back(other);
  return env_->queryOver(inputs, sql, method);
}

Result<Table> Table::select(const std::string& fields) const {
  return over("Table.select", "SELECT " + fields + " FROM " + kThis);
}

Result<Table> Table::where(const std::string& predicate) const {
  return over("Table.where", std::string("SELECT * FROM ") + kThis + " WHERE " + predicate);
}

GroupedTable Table::groupBy(const std::string& keys) const { return GroupedTable(*this, keys); }

Result<Table> GroupedTable::select(const std::string& fields) const {
  return table_.over("GroupedTable.select", "SELECT " + fields + " FROM " + kThis + " GROUP BY " + keys_);
}

Result<Table> Table::distinct() const { return over("Table.distinct", std::string("SELECT DISTINCT * FROM ") + kThis); }

Result<Table> Table::as(const std::string& names) const {
  const std::vector<std::string> to = nameList(names);
  const Schema& schema = getSchema();
  if (to.size() != schema.size()) {
    return Status::invalidArgument("Table.as: " + std::to_string(to.size()) + " names for " +
                                   std::to_string(schema.size()) + " columns");
  }
  std::string list;
  for (size_t c = 0; c < schema.size(); ++c) {
    list += (c ? ", " : "") + quoteIdentifier(schema[c].name) + " AS " + quoteIdentifier(to[c]);
  }
  return over("Table.as", "SELECT " + list + " FROM " + kThis);
}

Result<Table> Table::addColumns(const std::string& fields) const {
  return over("Table.addColumns", "SELECT *, " + fields + " FROM " + kThis);
}

Result<Table> Table::dropColumns(const std::string& names) const {
  const std::vector<std::string> dropped = nameList(names);
  const Schema& schema = getSchema();
  for (const std::string& d : dropped) {
    if (std::none_of(schema.begin(), schema.end(), [&](const auto& c) { return c.name == d; })) {
      return Status::invalidArgument("Table.dropColumns: no column '" + d + "'");
    }
  }
  std::string list;
  for (const auto& c : schema) {
    if (std::find(dropped.begin(), dropped.end(), c.name) != dropped.end()) continue;
    list += (list.empty() ? "" : ", ") + quoteIdentifier(c.name);
  }
  if (list.empty()) return Status::invalidArgument("Table.dropColumns: no column would be left");
  return over("Table.dropColumns", "SELECT " + list + " FROM " + kThis);
}

Result<Table> Table::renameColumns(const std::string& renames) const {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string& r : items(renames)) {
    std::string upper = r;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    const size_t as = upper.find(" AS ");
    if (as == std::string::npos) return Status::invalidArgument("Table.renameColumns: '" + r + "' is not `old AS new`");
    pairs.emplace_back(unquoted(r.substr(0, as)), unquoted(r.substr(as + 4)));
  }
  const Schema& schema = getSchema();
  for (const auto& [from, to] : pairs) {
    if (std::none_of(schema.begin(), schema.end(), [&](const auto& c) { return c.name == from; })) {
      return Status::invalidArgument("Table.renameColumns: no column '" + from + "'");
    }
  }
  std::string list;
  for (const auto& c : schema) {
    auto renamed = std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) { return p.first == c.name; });
    list += (list.empty() ? "" : ", ") + quoteIdentifier(c.name) +
            (renamed == pairs.end() ? std::string() : " AS " + quoteIdentifier(renamed->second));
  }
  return over("Table.renameColumns", "SELECT " + list + " FROM " + kThis);
}

Result<Table> Table::orderBy(const std::string& fields) const {
  EDDY_RETURN_IF_ERROR(usable("Table.orderBy"));
  auto sort = std::make_shared<Sort>();
  sort->unsorted = plan_;
  sort->order = fields;
  Result<Table> sorted = over("Table.orderBy", std::string("SELECT * FROM ") + kThis + " ORDER BY " + fields);
  Table out = sorted.isOk() ? *sorted : *this;
  if (!sorted.isOk()) sort->alone_refused = std::make_shared<const Status>(sorted.status());
  out.sort_ = sort;
  return out;
}

Result<Table> Table::fetch(int64_t n) const {
  if (n < 0) return Status::invalidArgument("Table.fetch: a negative count, " + std::to_string(n));
  if (!sort_) return over("Table.fetch", std::string("SELECT * FROM ") + kThis + " LIMIT " + std::to_string(n));
  const Table unsorted(sort_->unsorted, env_);
  return unsorted.over("Table.fetch", std::string("SELECT * FROM ") + kThis + " ORDER BY " + sort_->order +
                                          " LIMIT " + std::to_string(n));
}

Result<Table> Table::joined(const Table& right, const std::string& kind, const std::string& condition,
                            const std::string& method) const {
  return over(method, std::string("SELECT * FROM ") + kThis + " " + kind + " JOIN " + kOther + " ON " + condition, &right);
}

Result<Table> Table::join(const Table& right, const std::string& condition) const {
  return joined(right, "INNER", condition, "Table.join");
}
Result<Table> Table::leftOuterJoin(const Table& right, const std::string& condition) const {
  return joined(right, "LEFT", condition, "Table.leftOuterJoin");
}
Result<Table> Table::rightOuterJoin(const Table& right, const std::string& condition) const {
  return joined(right, "RIGHT", condition, "Table.rightOuterJoin");
}
Result<Table> Table::fullOuterJoin(const Table& right, const std::string& condition) const {
  return joined(right, "FULL", condition, "Table.fullOuterJoin");
}

Result<Table> Table::unionAll(const Table& other) const {
  return over("Table.unionAll", std::string("SELECT * FROM ") + kThis + " UNION ALL SELECT * FROM " + kOther, &other);
}
Result<Table> Table::union_(const Table& other) const {
  return over("Table.union", std::string("SELECT * FROM ") + kThis + " UNION SELECT * FROM " + kOther, &other);
}
Result<Table> Table::intersect(const Table& other) const {
  return over("Table.intersect", std::string("SELECT * FROM ") + kThis + " INTERSECT SELECT * FROM " + kOther, &other);
}
Result<Table> Table::minus(const Table& other) const {
  return over("Table.minus", std::string("SELECT * FROM ") + kThis + " EXCEPT SELECT * FROM " + kOther, &other);
}

Status Table::executeInsert(const std::string& table) const {
  EDDY_RETURN_IF_ERROR(usable("Table.executeInsert"));
  return env_->runOver({this}, "INSERT INTO " + table + " SELECT * FROM " + kThis, "Table.executeInsert");
}

Status Table::execute() const {
  EDDY_RETURN_IF_ERROR(usable("Table.execute"));
  return env_->runOver({this}, std::string("SELECT * FROM ") + kThis, "Table.execute");
}

}  // namespace eddy::sql
