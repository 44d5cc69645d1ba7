#pragma once

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// The bytes of a row's key columns, used as the keyed-state key of SQL operators and
/// to keep whole rows in state. Equal keys give equal bytes (not ordered bytes). Per
/// column a null flag, then for integer storage a zigzag varint, for doubles their 8
/// bytes, for strings a varint length and the bytes: a row of small numbers stays short
/// enough for std::string's inline buffer, so a stored row costs no allocation of its
/// own. Columns are read from their vectors directly (no Value in between).
void encodeKey(const RecordBatch& b, size_t row, const std::vector<int>& cols, const std::vector<LogicalType>& types,
               std::string& out);

/// The key columns' values back from encodeKey's bytes.
std::vector<Value> decodeKey(std::string_view bytes, const std::vector<LogicalType>& types);

/// Appends the row encodeKey wrote (`types` its columns) to the columns of `to` from
/// `first_column` on, decoding straight into them. With `only` (indexed by `to`'s
/// columns), a column it does not mark gets a NULL instead.
void appendDecoded(std::string_view bytes, const std::vector<LogicalType>& types, RecordBatch& to,
                   size_t first_column, const std::vector<bool>* only = nullptr);

/// Appends bytes that compare (as unsigned bytes) as the column's value at `row` sorts
/// in an ORDER BY: NULL before or after every value as `nulls_first` says; strings
/// escaped (0 -> 0 1) and ended by 0 0 so that a prefix sorts first; a descending
/// column's bytes inverted. Keys of several columns concatenate.
void appendSortable(const Column& c, size_t row, const LogicalType& t, bool desc, bool nulls_first, std::string& out);

/// An unsigned LEB128 varint, as encodeKey writes integers and lengths.
void appendVarint(std::string& out, uint64_t v);
/// Reads the varint at `p`, moving `p` past it.
uint64_t readVarint(std::string_view in, size_t& p);

/// Appends `s` to `out` with a 4-byte length before it (rows kept in one state value).
inline void appendBytes(std::string& out, const std::string& s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), 4);
  out += s;
}

/// Reads what appendBytes wrote at `p`, moving `p` past it.
inline std::string readBytes(const std::string& in, size_t& p) {
  uint32_t n;
  std::memcpy(&n, in.data() + p, 4);
  std::string s = in.substr(p + 4, n);
  p += 4 + n;
  return s;
}

}  // namespace eddy::sql
