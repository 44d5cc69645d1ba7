#pragma once

#include <cstring>
#include <string>
#include <vector>

#include "eddy/sql/exec/aggregates.h"
#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// The bytes of a row's key columns: each column's null flag and ordered encoding.
/// Equal keys give equal bytes; used as the keyed-state key of SQL operators.
inline void encodeKey(const RecordBatch& b, size_t row, const std::vector<int>& cols,
                      const std::vector<LogicalType>& types, std::string& out) {
  out.clear();
  for (size_t k = 0; k < cols.size(); ++k) {
    const Column& c = b.columns[static_cast<size_t>(cols[k])];
    if (c.null[row]) {
      out.push_back('\0');
      continue;
    }
    out.push_back('\1');
    std::string e = encodeOrdered(valueAt(c, row), types[k]);
    if (c.storage == Storage::kString) {
      // Length-prefix strings so that ("a","bc") and ("ab","c") differ.
      uint32_t n = static_cast<uint32_t>(e.size());
      out.append(reinterpret_cast<const char*>(&n), 4);
    }
    out += e;
  }
}

}  // namespace eddy::sql

namespace eddy::sql {

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

/// The key columns' values back from encodeKey's bytes.
inline std::vector<Value> decodeKey(const std::string& bytes, const std::vector<LogicalType>& types) {
  std::vector<Value> out;
  size_t p = 0;
  for (const LogicalType& t : types) {
    if (bytes[p++] == '\0') {
      out.emplace_back();
      continue;
    }
    if (t.storage() == Storage::kString) {
      uint32_t n;
      std::memcpy(&n, bytes.data() + p, 4);
      p += 4;
      out.push_back(decodeOrdered(bytes.substr(p, n), t));
      p += n;
    } else {
      out.push_back(decodeOrdered(bytes.substr(p, 8), t));
      p += 8;
    }
  }
  return out;
}

}  // namespace eddy::sql
