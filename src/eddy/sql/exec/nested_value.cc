#include "eddy/sql/exec/nested_value.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "eddy/sql/exec/decimal.h"
#include "eddy/sql/exec/expression.h"

namespace eddy::sql {
namespace {

void putVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

uint64_t getVarint(std::string_view& in) {
  uint64_t v = 0;
  for (int shift = 0; !in.empty() && shift < 64; shift += 7) {
    const auto b = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) break;
  }
  return v;
}

void putValue(std::string& out, const Value& v, Storage storage) {
  if (v.null) {
    out += '\0';
    return;
  }
  out += '\1';
  switch (storage) {
    case Storage::kInt64:
    case Storage::kDouble: {
      uint64_t bits = 0;
      if (storage == Storage::kInt64) {
        bits = static_cast<uint64_t>(v.i);
      } else {
        std::memcpy(&bits, &v.d, sizeof bits);
      }
      for (int k = 0; k < 8; ++k) out += static_cast<char>((bits >> (8 * k)) & 0xFF);
      break;
    }
    case Storage::kString:
      putVarint(out, v.s.size());
      out += v.s;
      break;
  }
}

Value getValue(std::string_view& in, Storage storage) {
  Value v;
  if (in.empty()) return v;
  const bool present = in.front() != '\0';
  in.remove_prefix(1);
  if (!present) return v;
  v.null = false;
  switch (storage) {
    case Storage::kInt64:
    case Storage::kDouble: {
      uint64_t bits = 0;
      for (size_t k = 0; k < 8 && k < in.size(); ++k) bits |= static_cast<uint64_t>(static_cast<unsigned char>(in[k])) << (8 * k);
      in.remove_prefix(std::min<size_t>(8, in.size()));
      if (storage == Storage::kInt64) {
        v.i = static_cast<int64_t>(bits);
      } else {
        std::memcpy(&v.d, &bits, sizeof bits);
      }
      break;
    }
    case Storage::kString: {
      const size_t n = std::min<size_t>(getVarint(in), in.size());
      v.s = std::string(in.substr(0, n));
      in.remove_prefix(n);
      break;
    }
  }
  return v;
}

// A JSON value as a value of the scalar or nested `type`; `where` names it for errors.
Result<Value> fromJson(const nlohmann::ordered_json& j, const LogicalType& type, const std::string& where) {
  // A MULTISET is written as the object of each element's count (Flink's json format).
  if (type.id == TypeId::kMultiset) return fromJson(j, LogicalType::multisetMap(type), where);
  if (j.is_null()) return Value();
  if (type.id == TypeId::kArray) {
    if (!j.is_array()) return Status::invalidArgument(where + ": expected a JSON array for " + type.toString());
    std::vector<Value> elements;
    for (size_t i = 0; i < j.size(); ++i) {
      EDDY_ASSIGN_OR_RETURN(Value e, fromJson(j[i], *type.element, where + "[" + std::to_string(i + 1) + "]"));
      elements.push_back(std::move(e));
    }
    return Value::ofString(encodeArray(elements, *type.element));
  }
  if (type.id == TypeId::kMap) {
    if (!j.is_object()) return Status::invalidArgument(where + ": expected a JSON object for " + type.toString());
    MapEntries entries;
    for (auto it = j.begin(); it != j.end(); ++it) {
      EDDY_ASSIGN_OR_RETURN(Value k, fromJson(nlohmann::ordered_json(it.key()), *type.key, where + " key '" + it.key() + "'"));
      EDDY_ASSIGN_OR_RETURN(Value v, fromJson(it.value(), *type.element, where + "['" + it.key() + "']"));
      entries.keys.push_back(std::move(k));
      entries.values.push_back(std::move(v));
    }
    return Value::ofString(encodeMap(entries, type));
  }
  if (type.id == TypeId::kRow) {
    if (!j.is_object()) return Status::invalidArgument(where + ": expected a JSON object for " + type.toString());
    std::vector<Value> fields;
    for (const RowFieldType& f : *type.fields) {
      auto it = j.find(f.name);
      if (it == j.end()) {
        fields.emplace_back();  // A missing field is NULL, as Flink's json format reads it.
        continue;
      }
      EDDY_ASSIGN_OR_RETURN(Value v, fromJson(*it, f.type, where + "." + f.name));
      fields.push_back(std::move(v));
    }
    return Value::ofString(encodeRow(fields, type));
  }
  if (j.is_array() || j.is_object()) {
    if (type.isString()) return Value::ofString(j.dump());  // Flink keeps nested JSON as its text.
    return Status::invalidArgument(where + ": a JSON " + std::string(j.type_name()) + " is not " + withArticle(type));
  }
  std::string text = j.is_string() ? j.get<std::string>() : j.is_boolean() ? (j.get<bool>() ? "true" : "false") : j.dump();
  Value out;
  std::string error;
  if (!parseFileText(text, type, out, &error)) {
    return Status::invalidArgument(where + ": " + error);
  }
  return out;
}

}  // namespace

std::string encodeArray(const std::vector<Value>& elements, const LogicalType& element_type) {
  std::string out;
  putVarint(out, elements.size());
  const Storage storage = element_type.storage();
  for (const Value& e : elements) putValue(out, e, storage);
  return out;
}

std::vector<Value> decodeArray(std::string_view bytes, const LogicalType& element_type) {
  const size_t n = getVarint(bytes);
  std::vector<Value> out;
  out.reserve(std::min(n, bytes.size()));
  const Storage storage = element_type.storage();
  for (size_t i = 0; i < n && !bytes.empty(); ++i) out.push_back(getValue(bytes, storage));
  return out;
}

size_t nestedSize(std::string_view bytes) { return getVarint(bytes); }

std::string encodeMap(const MapEntries& entries, const LogicalType& type) {
  // Deduplicate: a later entry's value replaces an earlier one of the same key.
  std::vector<size_t> order;
  std::vector<size_t> value_of(entries.keys.size());
  std::string key_bytes, other;
  for (size_t i = 0; i < entries.keys.size(); ++i) {
    size_t at = order.size();
    key_bytes.clear();
    putValue(key_bytes, entries.keys[i], type.key->storage());
    for (size_t k = 0; k < order.size(); ++k) {
      other.clear();
      putValue(other, entries.keys[order[k]], type.key->storage());
      if (other == key_bytes) {
        at = k;
        break;
      }
    }
    if (at == order.size()) order.push_back(i);
    value_of[order[at]] = i;
  }
  std::string out;
  putVarint(out, order.size());
  for (size_t i : order) {
    putValue(out, entries.keys[i], type.key->storage());
    putValue(out, entries.values[value_of[i]], type.element->storage());
  }
  return out;
}

MapEntries decodeMap(std::string_view bytes, const LogicalType& type) {
  const size_t n = getVarint(bytes);
  MapEntries out;
  for (size_t i = 0; i < n && !bytes.empty(); ++i) {
    out.keys.push_back(getValue(bytes, type.key->storage()));
    out.values.push_back(getValue(bytes, type.element->storage()));
  }
  return out;
}

std::string encodeRow(const std::vector<Value>& fields, const LogicalType& type) {
  std::string out;
  for (size_t i = 0; i < type.fields->size(); ++i) {
    putValue(out, i < fields.size() ? fields[i] : Value(), (*type.fields)[i].type.storage());
  }
  return out;
}

std::vector<Value> decodeRow(std::string_view bytes, const LogicalType& type) {
  std::vector<Value> out;
  out.reserve(type.fields->size());
  for (const RowFieldType& f : *type.fields) out.push_back(getValue(bytes, f.type.storage()));
  return out;
}

std::string formatNested(std::string_view bytes, const LogicalType& type, bool as_cast) {
  auto text = [as_cast](const Value& v, const LogicalType& t) { return as_cast ? castToText(v, t) : formatValue(v, t); };
  std::string s;
  if (type.id == TypeId::kRow) {
    const std::vector<Value> fields = decodeRow(bytes, type);
    s += as_cast ? "(" : "+I[";
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) s += ", ";
      s += text(fields[i], (*type.fields)[i].type);
    }
    return s + (as_cast ? ")" : "]");
  }
  if (type.id == TypeId::kMap) {
    const MapEntries m = decodeMap(bytes, type);
    s += '{';
    for (size_t i = 0; i < m.keys.size(); ++i) {
      if (i > 0) s += ", ";
      s += text(m.keys[i], *type.key);
      s += '=';
      s += text(m.values[i], *type.element);
    }
    s += '}';
    return s;
  }
  const std::vector<Value> elements = decodeArray(bytes, *type.element);
  s += '[';
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) s += ", ";
    s += text(elements[i], *type.element);
  }
  s += ']';
  return s;
}

Result<std::string> nestedFromJson(std::string_view json, const LogicalType& type) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(json, nullptr, false);
  if (j.is_discarded()) return Status::invalidArgument("not JSON: " + std::string(json));
  EDDY_ASSIGN_OR_RETURN(Value v, fromJson(j, type, "value"));
  if (v.null) return Status::invalidArgument("null is not " + withArticle(type));
  return v.s;
}

std::string arrayToCsv(std::string_view bytes, const LogicalType& type, const std::string& delimiter,
                       const std::string& null_literal) {
  std::string out;
  const std::vector<Value> elements = decodeArray(bytes, *type.element);
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += delimiter;
    out += elements[i].null ? null_literal : formatForFile(elements[i], *type.element);
  }
  return out;
}

Result<std::string> arrayFromCsv(std::string_view text, const LogicalType& type, const std::string& delimiter,
                                 const std::string& null_literal) {
  std::vector<Value> elements;
  const LogicalType& e = *type.element;
  if (e.isCollection()) return Status::invalidArgument("the csv format cannot hold " + type.toString());
  for (size_t start = 0; !text.empty() && start <= text.size();) {
    size_t end = delimiter.empty() ? std::string_view::npos : text.find(delimiter, start);
    if (end == std::string_view::npos) end = text.size();
    const std::string item(text.substr(start, end - start));
    Value v;
    std::string error;
    const bool null = item == null_literal && (!null_literal.empty() || !e.isString());
    if (!null && !parseFileText(item, e, v, &error)) {
      return Status::invalidArgument("element " + std::to_string(elements.size() + 1) + ": " + error);
    }
    elements.push_back(std::move(v));
    if (end == text.size()) break;
    start = end + delimiter.size();
  }
  return encodeArray(elements, e);
}

void appendJson(std::string& out, const Value& v, const LogicalType& type, const JsonEncoding& how) {
  if (v.null) {
    out += "null";
  } else if (type.id == TypeId::kBoolean) {
    out += v.i != 0 ? "true" : "false";
  } else if (type.id == TypeId::kDecimal && !how.decimal_plain) {
    out += formatDecimalJava(unscaledOf(v, type), type.scale);
  } else if (type.isNumeric()) {
    out += formatValue(v, type);  // Integers, DECIMAL digits, DOUBLE as Java prints it.
  } else if (type.isString()) {
    out += nlohmann::ordered_json(v.s).dump();
  } else if (type.id == TypeId::kArray) {
    out += '[';
    const std::vector<Value> elements = decodeArray(v.s, *type.element);
    for (size_t i = 0; i < elements.size(); ++i) {
      if (i > 0) out += ',';
      appendJson(out, elements[i], *type.element, how);
    }
    out += ']';
  } else if (type.id == TypeId::kMap) {
    out += '{';
    const MapEntries m = decodeMap(v.s, type);
    bool first = true;
    for (size_t i = 0; i < m.keys.size(); ++i) {
      std::string key;
      if (!m.keys[i].null) {
        key = formatValue(m.keys[i], *type.key);
      } else if (how.null_key.mode == JsonMapNullKey::Mode::kFail) {
        throw EvalError(
            "JSON format doesn't support to serialize map data with null keys. You can drop null key entries or "
            "encode null in literals by specifying map-null-key.mode option.");
      } else if (how.null_key.mode == JsonMapNullKey::Mode::kDrop) {
        continue;
      } else {
        key = how.null_key.literal;
      }
      if (!first) out += ',';
      first = false;
      out += nlohmann::ordered_json(key).dump();
      out += ':';
      appendJson(out, m.values[i], *type.element, how);
    }
    out += '}';
  } else if (type.id == TypeId::kMultiset) {
    appendJson(out, v, LogicalType::multisetMap(type), how);
  } else if (type.id == TypeId::kRow) {
    out += '{';
    const std::vector<Value> fields = decodeRow(v.s, type);
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += nlohmann::ordered_json((*type.fields)[i].name).dump();
      out += ':';
      appendJson(out, fields[i], (*type.fields)[i].type, how);
    }
    out += '}';
  } else {
    std::string text = formatForFile(v, type);  // Time types as Flink's text.
    if (how.iso8601 && type.isTimestamp() && text.size() > 10 && text[10] == ' ') text[10] = 'T';
    out += nlohmann::ordered_json(text).dump();
  }
}

}  // namespace eddy::sql
