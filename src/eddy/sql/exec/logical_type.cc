#include "eddy/sql/exec/logical_type.h"

namespace eddy::sql {

Storage LogicalType::storage() const {
  switch (id) {
    case TypeId::kFloat:
    case TypeId::kDouble:
      return Storage::kDouble;
    case TypeId::kChar:
    case TypeId::kVarchar:
    case TypeId::kBinary:
    case TypeId::kVarbinary:
    case TypeId::kMultiset:
    case TypeId::kArray:
    case TypeId::kMap:
    case TypeId::kRow:
      return Storage::kString;
    case TypeId::kDecimal:  // Past 18 digits: 16 order-preserving bytes (decimal.h).
      return precision > 18 ? Storage::kString : Storage::kInt64;
    default:
      return Storage::kInt64;
  }
}

bool LogicalType::sameAs(const LogicalType& o) const {
  if (id != o.id || precision != o.precision || scale != o.scale) return false;
  auto same = [](const std::shared_ptr<const LogicalType>& a, const std::shared_ptr<const LogicalType>& b) {
    return a == b || (a && b && a->sameAs(*b));
  };
  if (!same(element, o.element) || !same(key, o.key)) return false;
  if (fields == o.fields) return true;
  if (!fields || !o.fields || fields->size() != o.fields->size()) return false;
  for (size_t i = 0; i < fields->size(); ++i) {
    if (!(*fields)[i].type.sameAs((*o.fields)[i].type)) return false;
  }
  return true;
}

LogicalType LogicalType::row(std::vector<RowFieldType> fields) {
  LogicalType t = of(TypeId::kRow);
  t.fields = std::make_shared<const std::vector<RowFieldType>>(std::move(fields));
  return t;
}

namespace {

// `ROW<`a` INT, `b` STRING>`, each field's type as `part` writes it.
template <typename Part>
std::string rowText(const LogicalType& t, Part part) {
  std::string s = "ROW<";
  for (size_t i = 0; i < t.fields->size(); ++i) {
    s += (i ? ", `" : "`") + (*t.fields)[i].name + "` " + part((*t.fields)[i].type);
  }
  return s + ">";
}

}  // namespace

std::string withArticle(const LogicalType& t) {
  const std::string name = t.toString();
  return (std::string("AEIOU").find(name[0]) == std::string::npos ? "a " : "an ") + name;
}

bool LogicalType::isInteger() const {
  return id == TypeId::kTinyInt || id == TypeId::kSmallInt || id == TypeId::kInt || id == TypeId::kBigInt;
}

bool LogicalType::isNumeric() const {
  return isInteger() || id == TypeId::kFloat || id == TypeId::kDouble || id == TypeId::kDecimal;
}

std::string LogicalType::toString() const {
  std::string s;
  switch (id) {
    case TypeId::kNull: s = "NULL"; break;
    case TypeId::kBoolean: s = "BOOLEAN"; break;
    case TypeId::kTinyInt: s = "TINYINT"; break;
    case TypeId::kSmallInt: s = "SMALLINT"; break;
    case TypeId::kInt: s = "INT"; break;
    case TypeId::kBigInt: s = "BIGINT"; break;
    case TypeId::kFloat: s = "FLOAT"; break;
    case TypeId::kDouble: s = "DOUBLE"; break;
    case TypeId::kDecimal: s = "DECIMAL(" + std::to_string(precision) + ", " + std::to_string(scale) + ")"; break;
    case TypeId::kChar: s = "CHAR(" + std::to_string(precision) + ")"; break;
    case TypeId::kVarchar:
      s = precision == 2147483647 ? "STRING" : "VARCHAR(" + std::to_string(precision) + ")";
      break;
    case TypeId::kBinary: s = "BINARY(" + std::to_string(precision) + ")"; break;
    case TypeId::kVarbinary:
      s = precision == 2147483647 ? "BYTES" : "VARBINARY(" + std::to_string(precision) + ")";
      break;
    case TypeId::kDate: s = "DATE"; break;
    case TypeId::kTime: s = "TIME(" + std::to_string(precision) + ")"; break;
    case TypeId::kTimestamp: s = "TIMESTAMP(" + std::to_string(precision) + ")"; break;
    case TypeId::kTimestampLtz: s = "TIMESTAMP_LTZ(" + std::to_string(precision) + ")"; break;
    case TypeId::kIntervalDayTime: s = "INTERVAL SECOND(3)"; break;
    case TypeId::kIntervalYearMonth: s = "INTERVAL MONTH"; break;
    case TypeId::kMultiset: s = "MULTISET<" + (element ? element->toString() : std::string("NULL")) + ">"; break;
    case TypeId::kArray: s = "ARRAY<" + element->toString() + ">"; break;
    case TypeId::kMap: s = "MAP<" + key->toString() + ", " + element->toString() + ">"; break;
    case TypeId::kRow: s = rowText(*this, [](const LogicalType& f) { return f.toString(); }); break;
  }
  if (rowtime) s += " *ROWTIME*";
  if (proctime) s += " *PROCTIME*";
  if (!nullable) s += " NOT NULL";
  return s;
}

std::string LogicalType::asSerializableString() const {
  std::string s;
  switch (id) {
    case TypeId::kVarchar: s = "VARCHAR(" + std::to_string(precision) + ")"; break;
    case TypeId::kVarbinary: s = "VARBINARY(" + std::to_string(precision) + ")"; break;
    case TypeId::kTimestampLtz: s = "TIMESTAMP(" + std::to_string(precision) + ") WITH LOCAL TIME ZONE"; break;
    case TypeId::kMultiset: s = "MULTISET<" + (element ? element->asSerializableString() : std::string("NULL")) + ">"; break;
    case TypeId::kArray: s = "ARRAY<" + element->asSerializableString() + ">"; break;
    case TypeId::kMap: s = "MAP<" + key->asSerializableString() + ", " + element->asSerializableString() + ">"; break;
    case TypeId::kRow: s = rowText(*this, [](const LogicalType& f) { return f.asSerializableString(); }); break;
    default: s = withNullable(true).plain().toString(); break;
  }
  if (!nullable) s += " NOT NULL";
  return s;
}

}  // namespace eddy::sql
