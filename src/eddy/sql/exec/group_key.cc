#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {
void appendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t readVarint(std::string_view in, size_t& p) {
  uint64_t v = 0;
  for (int shift = 0; p < in.size() && shift < 64; shift += 7) {
    const auto byte = static_cast<unsigned char>(in[p++]);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  return v;
}

namespace {

uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t unzigzag(uint64_t u) { return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1); }

}  // namespace

void encodeKey(const RecordBatch& b, size_t row, const std::vector<int>& cols, const std::vector<LogicalType>&,
               std::string& out) {
  out.clear();
  for (int col : cols) {
    const Column& c = b.columns[static_cast<size_t>(col)];
    if (c.null[row]) {
      out.push_back('\0');
      continue;
    }
    out.push_back('\1');
    switch (c.storage) {
      case Storage::kInt64: appendVarint(out, zigzag(c.i64[row])); break;
      case Storage::kDouble: out.append(reinterpret_cast<const char*>(&c.f64[row]), 8); break;
      case Storage::kString: {
        // Length-prefixed so that ("a","bc") and ("ab","c") differ.
        const std::string_view s = c.str[row];
        appendVarint(out, s.size());
        out.append(s);
        break;
      }
    }
  }
}

std::vector<Value> decodeKey(std::string_view bytes, const std::vector<LogicalType>& types) {
  std::vector<Value> out;
  out.reserve(types.size());
  size_t p = 0;
  for (const LogicalType& t : types) {
    if (bytes[p++] == '\0') {
      out.emplace_back();
      continue;
    }
    Value v;
    v.null = false;
    switch (t.storage()) {
      case Storage::kInt64: v.i = unzigzag(readVarint(bytes, p)); break;
      case Storage::kDouble:
        std::memcpy(&v.d, bytes.data() + p, 8);
        p += 8;
        break;
      case Storage::kString: {
        const size_t n = readVarint(bytes, p);
        v.s.assign(bytes.data() + p, n);
        p += n;
        break;
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

void appendDecoded(std::string_view bytes, const std::vector<LogicalType>& types, RecordBatch& to,
                   size_t first_column, const std::vector<bool>* only) {
  size_t p = 0;
  for (size_t k = 0; k < types.size(); ++k) {
    Column& c = to.columns[first_column + k];
    const bool wanted = only == nullptr || (*only)[first_column + k];
    if (bytes[p++] == '\0') {
      c.appendNull();
      continue;
    }
    switch (types[k].storage()) {
      case Storage::kInt64: {
        const int64_t v = unzigzag(readVarint(bytes, p));
        c.i64.push_back(wanted ? v : 0);
        break;
      }
      case Storage::kDouble: {
        double d = 0;
        if (wanted) std::memcpy(&d, bytes.data() + p, 8);
        p += 8;
        c.f64.push_back(d);
        break;
      }
      case Storage::kString: {
        const size_t n = readVarint(bytes, p);
        if (wanted) {
          c.str.push_back(bytes.substr(p, n));
        } else {
          c.str.emplace_back();
        }
        p += n;
        break;
      }
    }
    c.null.push_back(wanted ? 0 : 1);
  }
}

void appendSortable(const Column& c, size_t row, const LogicalType& t, bool desc, bool nulls_first,
                    std::string& out) {
  const size_t start = out.size();
  if (c.isNull(row)) {
    // Values start with 1; a descending column's bytes are inverted afterwards.
    out.push_back(nulls_first != desc ? '\0' : '\2');
  } else {
    out.push_back('\1');
    std::string e = encodeOrdered(valueAt(c, row), t);
    if (t.storage() == Storage::kString) {
      for (char ch : e) {
        out.push_back(ch);
        if (ch == '\0') out.push_back('\1');
      }
      out.append(2, '\0');
    } else {
      out += e;
    }
  }
  if (desc) {
    for (size_t i = start; i < out.size(); ++i) out[i] = static_cast<char>(~static_cast<unsigned char>(out[i]));
  }
}

}  // namespace eddy::sql
