// Flink's ARRAY and MAP constructors, element access (`a[i]`, `m[k]`) and collection
// functions, over the encoded values of nested_value.h.

#include <algorithm>

#include "eddy/sql/exec/nested_value.h"
#include "eddy/sql/exec/regex.h"
#include "eddy/sql/planner/function_registry.h"
#include "eddy/sql/planner/functions.h"

namespace eddy::sql::builtin {
namespace {

bool sameValue(const Value& a, const Value& b, Storage storage) {
  if (a.null || b.null) return a.null == b.null;
  switch (storage) {
    case Storage::kInt64: return a.i == b.i;
    case Storage::kDouble: return a.d == b.d;
    case Storage::kString: return a.s == b.s;
  }
  return false;
}

// Orders two non-null values of one storage (for ARRAY_MAX / ARRAY_MIN).
bool lessValue(const Value& a, const Value& b, Storage storage) {
  switch (storage) {
    case Storage::kInt64: return a.i < b.i;
    case Storage::kDouble: return a.d < b.d;
    case Storage::kString: return a.s < b.s;
  }
  return false;
}

Status needArray(const std::string& name, const Args& args, size_t i, Pos pos) {
  if (args[i]->type().id != TypeId::kArray) {
    return argError(name, pos, "argument " + std::to_string(i + 1) + " must be an ARRAY, not " + args[i]->type().toString());
  }
  return Status::ok();
}

Status needMap(const std::string& name, const Args& args, size_t i, Pos pos) {
  if (args[i]->type().id != TypeId::kMap) {
    return argError(name, pos, "argument " + std::to_string(i + 1) + " must be a MAP, not " + args[i]->type().toString());
  }
  return Status::ok();
}

// The type every one of `args[from], args[from + step], ...` converts to, or an error
// naming the first that does not fit.
Result<LogicalType> commonOf(const std::string& name, const Args& args, size_t from, size_t step, Pos pos) {
  LogicalType t = args[from]->type();
  for (size_t i = from + step; i < args.size(); i += step) {
    LogicalType next;
    if (!commonType(t, args[i]->type(), &next)) {
      return argError(name, pos, "argument " + std::to_string(i + 1) + " (" + args[i]->type().toString() +
                                     ") does not fit the others (" + t.toString() + ")");
    }
    t = next;
  }
  if (t.id == TypeId::kNull) t = LogicalType::integer().withNullable(true);
  return t.plain();
}

// `args[i]` cast to `want` (an element or key type), or an error.
Status coerceTo(const std::string& name, Args& args, size_t i, const LogicalType& want, Pos pos) {
  LogicalType common;
  const LogicalType& got = args[i]->type();
  if (got.id != TypeId::kNull && (!commonType(got, want, &common) || !common.sameAs(want))) {
    return argError(name, pos, "argument " + std::to_string(i + 1) + " must be " + want.withNullable(true).toString() +
                                   ", not " + got.toString());
  }
  args[i] = coerce(std::move(args[i]), want.withNullable(true));
  return Status::ok();
}

// An array function of one ARRAY argument giving an array of the same type.
void arrayToArray(const std::string& name, std::function<std::vector<Value>(std::vector<Value>, Storage)> f) {
  registry()[name] = [f](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    const LogicalType t = args[0]->type().plain();
    const LogicalType e = *t.element;
    return row(n, t, std::move(args), [f, e](const std::vector<Value>& v) {
      return Value::ofString(encodeArray(f(decodeArray(v[0].s, e), e.storage()), e));
    });
  };
}

void registerConstructors() {
  auto& r = registry();
  r["ARRAY"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.empty()) return argError(n, pos, "ARRAY[] needs at least one element");
    EDDY_ASSIGN_OR_RETURN(LogicalType e, commonOf(n, args, 0, 1, pos));
    for (auto& a : args) a = coerce(std::move(a), e);
    return row(n, LogicalType::array(e).notNull(), std::move(args), [e](const std::vector<Value>& v) {
      return Value::ofString(encodeArray(v, e));
    }, false);
  };
  r["MAP"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.empty() || args.size() % 2 != 0) return argError(n, pos, "MAP[...] needs keys and values in pairs");
    EDDY_ASSIGN_OR_RETURN(LogicalType k, commonOf(n, args, 0, 2, pos));
    EDDY_ASSIGN_OR_RETURN(LogicalType v, commonOf(n, args, 1, 2, pos));
    for (size_t i = 0; i < args.size(); ++i) args[i] = coerce(std::move(args[i]), i % 2 == 0 ? k : v);
    const LogicalType t = LogicalType::map(k, v).notNull();
    return row(n, t, std::move(args), [t](const std::vector<Value>& vals) {
      MapEntries m;
      for (size_t i = 0; i < vals.size(); i += 2) {
        m.keys.push_back(vals[i]);
        m.values.push_back(vals[i + 1]);
      }
      return Value::ofString(encodeMap(m, t));
    }, false);
  };
  r["MAP_FROM_ARRAYS"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 1, pos));
    const LogicalType t = LogicalType::map(*args[0]->type().element, *args[1]->type().element);
    return row(n, t, std::move(args), [t](const std::vector<Value>& v) {
      MapEntries m{decodeArray(v[0].s, *t.key), decodeArray(v[1].s, *t.element)};
      if (m.keys.size() != m.values.size()) {
        throw EvalError("MAP_FROM_ARRAYS: the key array has " + std::to_string(m.keys.size()) +
                        " elements and the value array " + std::to_string(m.values.size()));
      }
      return Value::ofString(encodeMap(m, t));
    });
  };
}

// A ROW value of `args` with fields named `names` (a NULL literal's field is an INT),
// of a nullable type unless `not_null`.
ExprP rowOf(const std::vector<std::string>& names, Args args, bool not_null) {
  std::vector<RowFieldType> fields;
  for (size_t i = 0; i < args.size(); ++i) {
    LogicalType t = args[i]->type().plain();
    if (t.id == TypeId::kNull) {
      t = LogicalType::integer();
      args[i] = coerce(std::move(args[i]), t);
    }
    fields.push_back({names[i], t});
  }
  LogicalType t = LogicalType::row(std::move(fields));
  if (not_null) t = t.notNull();
  return row("ROW", t, std::move(args), [t](const std::vector<Value>& v) { return Value::ofString(encodeRow(v, t)); },
             false);
}

void registerAccess() {
  auto& r = registry();
  // ROW(e, ...): a ROW value, its fields named EXPR$0, EXPR$1, ... as Flink names them.
  r["ROW"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.empty()) return argError(n, pos, "ROW() needs at least one field");
    std::vector<std::string> names;
    for (size_t i = 0; i < args.size(); ++i) names.push_back("EXPR$" + std::to_string(i));
    return rowOf(names, std::move(args), true);
  };
  // DOT(row, 'field'): a field of a ROW value (`r.f`, `a[1].f`); NULL when the row is.
  r["DOT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    const LogicalType t = args[0]->type().plain();
    auto* name = dynamic_cast<const Literal*>(args[1].get());
    if (!name || !args[1]->type().isString()) return sqlError(pos, "a field name must follow '.'");
    const std::string field = name->value().s;
    if (t.id != TypeId::kRow) return sqlError(pos, "cannot read field '" + field + "' of " + t.toString());
    std::vector<std::string> names;
    for (size_t i = 0; i < t.fields->size(); ++i) {
      if ((*t.fields)[i].name != field) {
        names.push_back((*t.fields)[i].name);
        continue;
      }
      args.pop_back();
      return row("." + field, (*t.fields)[i].type.withNullable(true), std::move(args), [t, i](const std::vector<Value>& v) {
        return std::move(decodeRow(v[0].s, t)[i]);
      });
    }
    return sqlError(pos, t.toString() + " has no field '" + field + "'" + didYouMean(field, names));
  };
  // `a[i]`: 1-based, NULL outside the array; `m[k]`: NULL for a missing key.
  r["ITEM"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    const LogicalType t = args[0]->type().plain();
    if (t.id == TypeId::kArray) {
      if (!args[1]->type().isInteger() && args[1]->type().id != TypeId::kNull) {
        return sqlError(pos, "an ARRAY index must be an integer, not " + args[1]->type().toString());
      }
      const LogicalType e = *t.element;
      return row("ITEM", e.withNullable(true), std::move(args), [e](const std::vector<Value>& v) {
        std::vector<Value> elements = decodeArray(v[0].s, e);
        if (v[1].i < 1 || v[1].i > static_cast<int64_t>(elements.size())) return Value();
        return std::move(elements[static_cast<size_t>(v[1].i - 1)]);
      });
    }
    if (t.id == TypeId::kMap) {
      EDDY_RETURN_IF_ERROR(coerceTo("ITEM", args, 1, *t.key, pos));
      return row("ITEM", t.element->withNullable(true), std::move(args), [t](const std::vector<Value>& v) {
        MapEntries m = decodeMap(v[0].s, t);
        for (size_t i = 0; i < m.keys.size(); ++i) {
          if (sameValue(m.keys[i], v[1], t.key->storage())) return std::move(m.values[i]);
        }
        return Value();
      });
    }
    return sqlError(pos, "cannot index " + t.toString() + " with [...]: only an ARRAY or a MAP can be");
  };
  r["CARDINALITY"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    const TypeId id = args[0]->type().id;
    if (id == TypeId::kMultiset) {  // Its elements with their repetitions: the counts' sum.
      const LogicalType counts = LogicalType::multisetMap(args[0]->type());
      return row(n, LogicalType::integer().notNull(), std::move(args), [counts](const std::vector<Value>& v) {
        int64_t total = 0;
        for (const Value& c : decodeMap(v[0].s, counts).values) total += c.i;
        return Value::ofInt(total);
      });
    }
    if (id != TypeId::kArray && id != TypeId::kMap) {
      return argError(n, pos, "argument 1 must be an ARRAY, a MAP or a MULTISET, not " + args[0]->type().toString());
    }
    return row(n, LogicalType::integer().notNull(), std::move(args), [](const std::vector<Value>& v) {
      return Value::ofInt(static_cast<int64_t>(nestedSize(v[0].s)));
    });
  };
  r["ELEMENT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    const LogicalType e = *args[0]->type().element;
    return row(n, e.withNullable(true), std::move(args), [e](const std::vector<Value>& v) {
      std::vector<Value> elements = decodeArray(v[0].s, e);
      if (elements.empty()) return Value();
      if (elements.size() > 1) throw EvalError("ELEMENT: the array has more than one element");
      return std::move(elements[0]);
    });
  };
  // MAP_KEYS(m) / MAP_VALUES(m): an ARRAY of the keys or the values, in the map's order.
  for (const char* name : {"MAP_KEYS", "MAP_VALUES"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
      EDDY_RETURN_IF_ERROR(needMap(n, args, 0, pos));
      const LogicalType t = args[0]->type().plain();
      const bool keys = n == "MAP_KEYS";
      const LogicalType e = keys ? *t.key : *t.element;
      return row(n, LogicalType::array(e), std::move(args), [t, e, keys](const std::vector<Value>& v) {
        MapEntries m = decodeMap(v[0].s, t);
        return Value::ofString(encodeArray(keys ? m.keys : m.values, e));
      });
    };
  }
  // MAP_ENTRIES(m): ARRAY<ROW<key K, value V>>, in the map's order.
  r["MAP_ENTRIES"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
    EDDY_RETURN_IF_ERROR(needMap(n, args, 0, pos));
    const LogicalType t = args[0]->type().plain();
    const LogicalType entry = LogicalType::row({{"key", *t.key}, {"value", *t.element}});
    return row(n, LogicalType::array(entry), std::move(args), [t, entry](const std::vector<Value>& v) {
      MapEntries m = decodeMap(v[0].s, t);
      std::vector<Value> entries;
      for (size_t i = 0; i < m.keys.size(); ++i) {
        entries.push_back(Value::ofString(encodeRow({std::move(m.keys[i]), std::move(m.values[i])}, entry)));
      }
      return Value::ofString(encodeArray(entries, entry));
    });
  };
}

void registerArrayFunctions() {
  auto& r = registry();
  // ARRAY_CONTAINS(a, e): NULL for a NULL array; a NULL e looks for a NULL element.
  r["ARRAY_CONTAINS"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    const LogicalType e = *args[0]->type().element;
    EDDY_RETURN_IF_ERROR(coerceTo(n, args, 1, e, pos));
    const LogicalType t = LogicalType::boolean().withNullable(args[0]->type().nullable);
    return row(n, t, std::move(args), [e](const std::vector<Value>& v) {
      if (v[0].null) return Value();
      for (const Value& x : decodeArray(v[0].s, e)) {
        if (sameValue(x, v[1], e.storage())) return Value::ofBool(true);
      }
      return Value::ofBool(false);
    }, false);
  };
  // ARRAY_POSITION(a, e): the first 1-based position of e, 0 when absent.
  r["ARRAY_POSITION"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    const LogicalType e = *args[0]->type().element;
    EDDY_RETURN_IF_ERROR(coerceTo(n, args, 1, e, pos));
    return row(n, LogicalType::integer(), std::move(args), [e](const std::vector<Value>& v) {
      const std::vector<Value> elements = decodeArray(v[0].s, e);
      for (size_t i = 0; i < elements.size(); ++i) {
        if (sameValue(elements[i], v[1], e.storage())) return Value::ofInt(static_cast<int64_t>(i + 1));
      }
      return Value::ofInt(0);
    });
  };
  // ARRAY_REMOVE(a, e): without every element equal to e (NULL removes the NULLs).
  r["ARRAY_REMOVE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    const LogicalType t = args[0]->type().plain();
    const LogicalType e = *t.element;
    EDDY_RETURN_IF_ERROR(coerceTo(n, args, 1, e, pos));
    return row(n, t, std::move(args), [e](const std::vector<Value>& v) {
      if (v[0].null) return Value();
      std::vector<Value> kept;
      for (Value& x : decodeArray(v[0].s, e)) {
        if (!sameValue(x, v[1], e.storage())) kept.push_back(std::move(x));
      }
      return Value::ofString(encodeArray(kept, e));
    }, false);
  };
  arrayToArray("ARRAY_REVERSE", [](std::vector<Value> a, Storage) {
    std::reverse(a.begin(), a.end());
    return a;
  });
  arrayToArray("ARRAY_DISTINCT", [](std::vector<Value> a, Storage s) {
    std::vector<Value> kept;
    for (Value& x : a) {
      if (std::none_of(kept.begin(), kept.end(), [&](const Value& k) { return sameValue(k, x, s); })) {
        kept.push_back(std::move(x));
      }
    }
    return kept;
  });
  // ARRAY_CONCAT(a, b, ...): NULL when any is.
  r["ARRAY_CONCAT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.empty()) return argError(n, pos, "takes at least one ARRAY");
    for (size_t i = 0; i < args.size(); ++i) EDDY_RETURN_IF_ERROR(needArray(n, args, i, pos));
    EDDY_ASSIGN_OR_RETURN(LogicalType t, commonOf(n, args, 0, 1, pos));
    for (auto& a : args) a = coerce(std::move(a), t);
    const LogicalType e = *t.element;
    return row(n, t, std::move(args), [e](const std::vector<Value>& v) {
      std::vector<Value> all;
      for (const Value& a : v) {
        for (Value& x : decodeArray(a.s, e)) all.push_back(std::move(x));
      }
      return Value::ofString(encodeArray(all, e));
    });
  };
  // ARRAY_SLICE(a, start [, end]): 1-based and inclusive; 0 is the start, negative
  // offsets count from the end.
  r["ARRAY_SLICE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 3, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    for (size_t i = 1; i < args.size(); ++i) {
      if (!args[i]->type().isInteger() && args[i]->type().id != TypeId::kNull) {
        return argError(n, pos, "argument " + std::to_string(i + 1) + " must be an integer, not " + args[i]->type().toString());
      }
    }
    const LogicalType t = args[0]->type().plain();
    const LogicalType e = *t.element;
    return row(n, t, std::move(args), [e](const std::vector<Value>& v) {
      std::vector<Value> a = decodeArray(v[0].s, e);
      const auto size = static_cast<int64_t>(a.size());
      auto position = [size](int64_t p) { return p < 0 ? size + p + 1 : p == 0 ? 1 : p; };
      const int64_t from = std::max<int64_t>(1, position(v[1].i));
      const int64_t to = std::min<int64_t>(size, v.size() > 2 ? position(v[2].i) : size);
      std::vector<Value> out;
      for (int64_t i = from; i <= to; ++i) out.push_back(std::move(a[static_cast<size_t>(i - 1)]));
      return Value::ofString(encodeArray(out, e));
    });
  };
  // ARRAY_JOIN(a, delimiter [, null_replacement]): NULL elements skipped unless replaced.
  r["ARRAY_JOIN"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 3, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    if (!args[0]->type().element->isString()) {
      return argError(n, pos, "argument 1 must be an ARRAY of strings, not " + args[0]->type().toString());
    }
    for (size_t i = 1; i < args.size(); ++i) EDDY_RETURN_IF_ERROR(coerceTo(n, args, i, LogicalType::string(), pos));
    const LogicalType e = *args[0]->type().element;
    return row(n, LogicalType::string(), std::move(args), [e](const std::vector<Value>& v) {
      std::string out;
      bool first = true;
      for (const Value& x : decodeArray(v[0].s, e)) {
        if (x.null && v.size() < 3) continue;
        if (!first) out += v[1].s;
        out += x.null ? v[2].s : x.s;
        first = false;
      }
      return Value::ofString(std::move(out));
    });
  };
  for (const char* name : {"ARRAY_MAX", "ARRAY_MIN"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 1, 1, pos));
      EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
      const LogicalType e = *args[0]->type().element;
      if (e.isCollection() || e.id == TypeId::kBoolean) {
        return argError(n, pos, "the elements of " + args[0]->type().toString() + " have no order");
      }
      const bool max = n == "ARRAY_MAX";
      return row(n, e.withNullable(true), std::move(args), [e, max](const std::vector<Value>& v) {
        Value best;
        for (Value& x : decodeArray(v[0].s, e)) {
          if (x.null) continue;
          if (best.null || (max ? lessValue(best, x, e.storage()) : lessValue(x, best, e.storage()))) best = std::move(x);
        }
        return best;
      });
    };
  }
}

// Set-like functions of two arrays of a common type: `keep(element, in_other)` says
// whether an element of the first array stays; the result has no duplicates and keeps
// the first array's order (then, for ARRAY_UNION, the second's new elements).
void setFunction(const std::string& name, bool take_second, bool keep_if_in_other) {
  registry()[name] = [take_second, keep_if_in_other](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 1, pos));
    EDDY_ASSIGN_OR_RETURN(LogicalType t, commonOf(n, args, 0, 1, pos));
    for (auto& a : args) a = coerce(std::move(a), t);
    const LogicalType e = *t.element;
    return row(n, t, std::move(args), [e, take_second, keep_if_in_other](const std::vector<Value>& v) {
      const Storage s = e.storage();
      const std::vector<Value> first = decodeArray(v[0].s, e), second = decodeArray(v[1].s, e);
      auto in = [s](const std::vector<Value>& vs, const Value& x) {
        return std::any_of(vs.begin(), vs.end(), [&](const Value& y) { return sameValue(x, y, s); });
      };
      std::vector<Value> out;
      for (const Value& x : first) {
        if ((take_second || in(second, x) == keep_if_in_other) && !in(out, x)) out.push_back(x);
      }
      if (take_second) {
        for (const Value& x : second) {
          if (!in(out, x)) out.push_back(x);
        }
      }
      return Value::ofString(encodeArray(out, e));
    });
  };
}

void registerMoreArrayFunctions() {
  auto& r = registry();
  // ARRAY_APPEND(a, e) / ARRAY_PREPEND(a, e): NULL for a NULL array; e may be NULL.
  for (const char* name : {"ARRAY_APPEND", "ARRAY_PREPEND"}) {
    r[name] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
      EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
      EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
      LogicalType t = args[0]->type().plain();
      LogicalType e = *t.element;
      if (args[1]->type().nullable && !e.nullable) {
        e = e.withNullable(true);
        t = LogicalType::array(e).withNullable(t.nullable);
        args[0] = coerce(std::move(args[0]), t);
      }
      EDDY_RETURN_IF_ERROR(coerceTo(n, args, 1, e, pos));
      const bool append = n == "ARRAY_APPEND";
      return row(n, t, std::move(args), [e, append](const std::vector<Value>& v) {
        if (v[0].null) return Value();
        std::vector<Value> a = decodeArray(v[0].s, e);
        a.insert(append ? a.end() : a.begin(), v[1]);
        return Value::ofString(encodeArray(a, e));
      }, false);
    };
  }
  setFunction("ARRAY_UNION", true, true);
  setFunction("ARRAY_INTERSECT", false, true);
  setFunction("ARRAY_EXCEPT", false, false);
  // ARRAY_SORT(a [, ascending [, nulls_first]]): ascending with NULLs first by default;
  // descending puts them last unless nulls_first says otherwise.
  r["ARRAY_SORT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 1, 3, pos));
    EDDY_RETURN_IF_ERROR(needArray(n, args, 0, pos));
    for (size_t i = 1; i < args.size(); ++i) EDDY_RETURN_IF_ERROR(coerceTo(n, args, i, LogicalType::boolean(), pos));
    const LogicalType t = args[0]->type().plain();
    const LogicalType e = *t.element;
    return row(n, t, std::move(args), [e](const std::vector<Value>& v) {
      const bool ascending = v.size() < 2 || v[1].i != 0;
      const bool nulls_first = v.size() > 2 ? v[2].i != 0 : ascending;
      std::vector<Value> a = decodeArray(v[0].s, e);
      const Storage s = e.storage();
      std::stable_sort(a.begin(), a.end(), [&](const Value& x, const Value& y) {
        if (x.null || y.null) return !y.null ? nulls_first : !x.null ? !nulls_first : false;
        return ascending ? lessValue(x, y, s) : lessValue(y, x, s);
      });
      return Value::ofString(encodeArray(a, e));
    });
  };
  // MAP_UNION(m1, m2, ...): a later map's value wins for a key in several; NULL when any is.
  r["MAP_UNION"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.empty()) return argError(n, pos, "takes at least one MAP");
    for (size_t i = 0; i < args.size(); ++i) EDDY_RETURN_IF_ERROR(needMap(n, args, i, pos));
    EDDY_ASSIGN_OR_RETURN(LogicalType t, commonOf(n, args, 0, 1, pos));
    for (auto& a : args) a = coerce(std::move(a), t);
    return row(n, t, std::move(args), [t](const std::vector<Value>& v) {
      MapEntries all;
      for (const Value& m : v) {
        MapEntries one = decodeMap(m.s, t);
        all.keys.insert(all.keys.end(), one.keys.begin(), one.keys.end());
        all.values.insert(all.values.end(), one.values.begin(), one.values.end());
      }
      return Value::ofString(encodeMap(all, t));
    });
  };
}

// Strings to collections: SPLIT, STR_TO_MAP, REGEXP_EXTRACT_ALL.
void registerStringToCollection() {
  auto& r = registry();
  // SPLIT(s, delimiter): every piece, empty ones too; an empty delimiter splits every
  // character.
  r["SPLIT"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 2, pos));
    for (size_t i = 0; i < 2; ++i) EDDY_RETURN_IF_ERROR(coerceTo(n, args, i, LogicalType::string(), pos));
    return row(n, LogicalType::array(LogicalType::string()), std::move(args), [](const std::vector<Value>& v) {
      const std::string& s = v[0].s;
      const std::string& d = v[1].s;
      std::vector<Value> out;
      if (d.empty()) {
        for (size_t i = 0; i < s.size();) {
          size_t len = 1;
          while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
          out.push_back(Value::ofString(s.substr(i, len)));
          i += len;
        }
      } else {
        for (size_t start = 0;;) {
          const size_t at = s.find(d, start);
          out.push_back(Value::ofString(s.substr(start, at == std::string::npos ? std::string::npos : at - start)));
          if (at == std::string::npos) break;
          start = at + d.size();
        }
      }
      return Value::ofString(encodeArray(out, LogicalType::string()));
    });
  };
  // STR_TO_MAP(s [, pair_delimiter, key_value_delimiter]): delimiters are regular
  // expressions (',' and '=' by default); a pair without the second gives a NULL value.
  r["STR_TO_MAP"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.size() != 1 && args.size() != 3) return argError(n, pos, "takes one or three arguments");
    for (size_t i = 0; i < args.size(); ++i) EDDY_RETURN_IF_ERROR(coerceTo(n, args, i, LogicalType::string(), pos));
    const LogicalType t = LogicalType::map(LogicalType::string(), LogicalType::string());
    return row(n, t, std::move(args), [t](const std::vector<Value>& v) {
      const std::string pairs = v.size() > 1 ? v[1].s : ",", kv = v.size() > 2 ? v[2].s : "=";
      std::optional<std::vector<std::string>> parts = regexSplit(v[0].s, pairs, 0);
      if (!parts) throw EvalError("STR_TO_MAP: invalid pair delimiter '" + pairs + "'");
      MapEntries m;
      for (const std::string& part : *parts) {
        std::optional<std::vector<std::string>> entry = regexSplit(part, kv, 2);
        if (!entry) throw EvalError("STR_TO_MAP: invalid key-value delimiter '" + kv + "'");
        m.keys.push_back(Value::ofString((*entry)[0]));
        m.values.push_back(entry->size() > 1 ? Value::ofString((*entry)[1]) : Value());
      }
      return Value::ofString(encodeMap(m, t));
    });
  };
  // REGEXP_EXTRACT_ALL(s, regex [, group]): group 1 by default, 0 the whole match;
  // NULL for an invalid regex or group.
  r["REGEXP_EXTRACT_ALL"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    EDDY_RETURN_IF_ERROR(arity(n, args, 2, 3, pos));
    for (size_t i = 0; i < 2; ++i) EDDY_RETURN_IF_ERROR(coerceTo(n, args, i, LogicalType::string(), pos));
    if (args.size() > 2) EDDY_RETURN_IF_ERROR(coerceTo(n, args, 2, LogicalType::bigint(), pos));
    const LogicalType t = LogicalType::array(LogicalType::string());
    return row(n, t.withNullable(true), std::move(args), [](const std::vector<Value>& v) {
      if (v.size() > 2 && v[2].i < 0) return Value();
      std::optional<std::vector<std::string>> all =
          regexExtractAll(v[0].s, v[1].s, v.size() > 2 ? static_cast<size_t>(v[2].i) : 1);
      if (!all) return Value();
      std::vector<Value> out;
      for (std::string& s : *all) out.push_back(Value::ofString(std::move(s)));
      return Value::ofString(encodeArray(out, LogicalType::string()));
    });
  };
}

}  // namespace

void registerCollectionFunctions() {
  registerConstructors();
  registerAccess();
  registerArrayFunctions();
  registerMoreArrayFunctions();
  registerStringToCollection();
}

}  // namespace eddy::sql::builtin

namespace eddy::sql {

ExprP namedRow(const std::vector<std::string>& names, std::vector<ExprP> fields) {
  // Typed as declared (nullable), though a row read from its columns is never NULL.
  return builtin::rowOf(names, std::move(fields), false);
}

}  // namespace eddy::sql
