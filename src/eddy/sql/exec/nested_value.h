#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eddy/core/status.h"
#include "eddy/sql/exec/value.h"

namespace eddy::sql {

/// ARRAY and MAP values live in string columns as bytes, as Flink's BinaryArrayData
/// and BinaryMapData do: a count, then per element a null flag and, when not null, the
/// value in its storage's form (8 little-endian bytes for an int64 or a double, a
/// length and the bytes for a string, which is also how a nested ARRAY or MAP nests).
/// A MAP is its entries' keys and values, alternating, in insertion order.
///
/// The encoding is canonical: equal values of one type have equal bytes, so GROUP BY,
/// DISTINCT, joins and `=` compare ARRAY and MAP values as they compare strings.
/// Decoding trusts its input (it only ever reads what the encoder wrote).

/// An ARRAY of `elements`, each of `element_type`.
std::string encodeArray(const std::vector<Value>& elements, const LogicalType& element_type);
/// The elements of an encoded ARRAY of `element_type`.
std::vector<Value> decodeArray(std::string_view bytes, const LogicalType& element_type);
/// The number of elements of an encoded ARRAY or entries of an encoded MAP.
size_t nestedSize(std::string_view bytes);

/// A MAP's entries as two parallel vectors.
struct MapEntries {
  std::vector<Value> keys;
  std::vector<Value> values;
};
/// A MAP of `type` (MAP<K, V>) holding `entries`; a key given twice keeps its first
/// place and its last value (as Flink's MAP[...] constructor does).
std::string encodeMap(const MapEntries& entries, const LogicalType& type);
MapEntries decodeMap(std::string_view bytes, const LogicalType& type);

/// A ROW value of `type`: its fields' values in order, each as an element is.
std::string encodeRow(const std::vector<Value>& fields, const LogicalType& type);
std::vector<Value> decodeRow(std::string_view bytes, const LogicalType& type);

/// As Flink prints them (Row#toString): `[1, null, 3]`, `{a=1, b=2}`, a ROW as
/// `+I[1, a]`; strings bare. With `as_cast`, as Flink's CAST(x AS STRING) writes them
/// (castToText): each element cast the same way, a ROW as `(1, a)`.
std::string formatNested(std::string_view bytes, const LogicalType& type, bool as_cast = false);

/// JSON text (an array for an ARRAY, an object for a MAP or a ROW) as a value of `type`, each
/// element read as Flink's json format reads a field of its type; an error names the
/// element that does not fit.
Result<std::string> nestedFromJson(std::string_view json, const LogicalType& type);
/// Flink's csv format for an ARRAY of scalars: the elements' text joined by
/// `delimiter` (`csv.array-element-delimiter`, ";" by default), a NULL element as
/// `null_literal`. Reading splits the same way; an element that does not parse is an
/// error naming it.
std::string arrayToCsv(std::string_view bytes, const LogicalType& type, const std::string& delimiter,
                       const std::string& null_literal);
Result<std::string> arrayFromCsv(std::string_view text, const LogicalType& type, const std::string& delimiter,
                                 const std::string& null_literal);

/// What a MAP's NULL key becomes in JSON.
struct JsonMapNullKey {
  /// json.map-null-key.mode: FAIL (an EvalError), DROP (the entry is left out) or
  /// LITERAL (the key is `literal`, json.map-null-key.literal).
  enum class Mode { kFail, kDrop, kLiteral };
  Mode mode = Mode::kLiteral;
  std::string literal = "null";
};
/// How appendJson writes what JSON has more than one form for (the json format's options).
struct JsonEncoding {
  /// json.timestamp-format.standard = 'ISO-8601': a 'T' between a timestamp's date and time.
  bool iso8601 = false;
  JsonMapNullKey null_key;
  /// json.encode.decimal-as-plain-number: a DECIMAL with its exact digits; false writes
  /// it as Java's BigDecimal.toString does (0.000000027 as 2.7E-8), the json format's
  /// default.
  bool decimal_plain = true;
};
/// Appends `v` of `type` as Flink's json format writes it: a number for a numeric type,
/// true/false, a string for text and the time types, an array for an ARRAY, an object
/// for a MAP (keys as their text), a MULTISET (element to count) or a ROW (by field
/// name), null for NULL.
void appendJson(std::string& out, const Value& v, const LogicalType& type, const JsonEncoding& how = {});

}  // namespace eddy::sql
