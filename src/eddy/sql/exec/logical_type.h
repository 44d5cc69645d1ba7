#pragma once

#include <memory>
#include <cstdint>
#include <string>
#include <vector>

namespace eddy::sql {

/// Flink's SQL types that Eddy supports.
enum class TypeId {
  kNull,  // The type of a bare NULL literal before it is cast.
  kBoolean,
  kTinyInt,
  kSmallInt,
  kInt,
  kBigInt,
  kFloat,
  kDouble,
  kDecimal,
  kChar,
  kVarchar,
  kDate,
  kTime,
  kTimestamp,
  kTimestampLtz,
  kIntervalDayTime,    // Milliseconds.
  kIntervalYearMonth,  // Months.
  kMultiset,  // MULTISET<element> (COLLECT's result), held as the MAP of each element to its count.
  kArray,     // ARRAY<element>, held encoded (nested_value.h).
  kMap,       // MAP<key, element>, held encoded (nested_value.h).
  kRow,       // ROW<name type, ...> as a value (in an ARRAY or MAP, or an expression's
              // result), held encoded; a table's ROW column is flattened instead.
  kBinary,     // BINARY(n): n bytes.
  kVarbinary,  // VARBINARY(n): up to n bytes; BYTES is VARBINARY(2147483647).
};

struct RowFieldType;

/// How a column stores its values: every integer-like type (dates as days, times as
/// milliseconds of the day, timestamps since the epoch in the unit their precision sets
/// (value.h), decimals scaled by 10^scale, intervals) in int64,
/// FLOAT and DOUBLE in double, strings as std::string, booleans as int64 0/1, a
/// MULTISET as its printed text (`{a=2, b=1}`: nothing reads its elements back), an
/// ARRAY or MAP as its bytes (nested_value.h) in a string, BINARY and VARBINARY as
/// their bytes in a string.
enum class Storage { kInt64, kDouble, kString };

/// A SQL type: its id, precision and scale where they apply, nullability, and whether
/// the column is a time attribute (Flink's rowtime / proctime markers).
struct LogicalType {
  TypeId id = TypeId::kNull;
  int precision = 0;
  int scale = 0;
  bool nullable = true;
  bool rowtime = false;
  bool proctime = false;
  std::shared_ptr<const LogicalType> element;  // MULTISET's and ARRAY's element, MAP's value.
  std::shared_ptr<const LogicalType> key;      // MAP's key.
  std::shared_ptr<const std::vector<RowFieldType>> fields;  // ROW's.

  static LogicalType of(TypeId id, int precision = 0, int scale = 0) {
    LogicalType t;
    t.id = id;
    t.precision = precision;
    t.scale = scale;
    return t;
  }
  static LogicalType boolean() { return of(TypeId::kBoolean); }
  static LogicalType integer() { return of(TypeId::kInt); }
  static LogicalType bigint() { return of(TypeId::kBigInt); }
  static LogicalType doubleType() { return of(TypeId::kDouble); }
  static LogicalType string() { return of(TypeId::kVarchar, 2147483647); }
  static LogicalType bytes() { return of(TypeId::kVarbinary, 2147483647); }
  static LogicalType timestamp(int p = 3) { return of(TypeId::kTimestamp, p); }
  static LogicalType decimal(int p, int s) { return of(TypeId::kDecimal, p, s); }
  static LogicalType multiset(const LogicalType& e) {
    LogicalType t = of(TypeId::kMultiset);
    t.element = std::make_shared<const LogicalType>(e);
    return t;
  }
  /// How a MULTISET<e> is held: MAP<e, INT NOT NULL>, each element's count (as Flink
  /// prints and writes one).
  static LogicalType multisetMap(const LogicalType& multiset) {
    return map(*multiset.element, of(TypeId::kInt).notNull());
  }

  static LogicalType array(const LogicalType& e) {
    LogicalType t = of(TypeId::kArray);
    t.element = std::make_shared<const LogicalType>(e);
    return t;
  }
  static LogicalType map(const LogicalType& k, const LogicalType& v) {
    LogicalType t = of(TypeId::kMap);
    t.key = std::make_shared<const LogicalType>(k);
    t.element = std::make_shared<const LogicalType>(v);
    return t;
  }

  static LogicalType row(std::vector<RowFieldType> fields);

  LogicalType notNull() const {
    LogicalType t = *this;
    t.nullable = false;
    return t;
  }
  LogicalType withNullable(bool n) const {
    LogicalType t = *this;
    t.nullable = n;
    return t;
  }
  /// Without the time attribute markers (what an expression over a time attribute gives).
  LogicalType plain() const {
    LogicalType t = *this;
    t.rowtime = false;
    t.proctime = false;
    return t;
  }

  Storage storage() const;
  bool isNumeric() const;
  bool isInteger() const;  // TINYINT..BIGINT
  bool isString() const { return id == TypeId::kChar || id == TypeId::kVarchar; }
  bool isBinary() const { return id == TypeId::kBinary || id == TypeId::kVarbinary; }
  bool isTimestamp() const { return id == TypeId::kTimestamp || id == TypeId::kTimestampLtz; }
  bool isInterval() const { return id == TypeId::kIntervalDayTime || id == TypeId::kIntervalYearMonth; }
  /// A value held encoded: compared with = and <> only, never ordered.
  bool isCollection() const {
    return id == TypeId::kArray || id == TypeId::kMap || id == TypeId::kMultiset || id == TypeId::kRow;
  }

  /// Flink's summary: `INT`, `VARCHAR(10)`, `STRING`, `DECIMAL(10, 2)`,
  /// `TIMESTAMP(3) *ROWTIME*`, `BIGINT NOT NULL`.
  std::string toString() const;
  /// As Flink's LogicalType#asSerializableString (SHOW CREATE TABLE): VARCHAR(2147483647)
  /// for STRING, TIMESTAMP(p) WITH LOCAL TIME ZONE, no time attribute markers.
  std::string asSerializableString() const;
  /// Equal ignoring nullability and time attribute markers (of the type and, for a
  /// collection, of its elements').
  bool sameAs(const LogicalType& o) const;
};

/// `t` with its article, for messages: "an INT", "a DATE", "an ARRAY<INT>".
std::string withArticle(const LogicalType& t);

/// A table keeps a ROW column `row` as one column per field (`row.field`) and a BOOLEAN
/// NOT NULL column `row.` (no query can name it: an identifier does not end in a dot),
/// true where the row itself is NULL.
inline std::string rowNullMarker(const std::string& row) { return row + "."; }
inline bool isRowNullMarker(const std::string& column) { return !column.empty() && column.back() == '.'; }

/// A field of a ROW type.
struct RowFieldType {
  std::string name;
  LogicalType type;
};

}  // namespace eddy::sql
