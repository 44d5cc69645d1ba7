// SQL/JSON path functions: JSON_VALUE (RETURNING, ON EMPTY / ON ERROR), JSON_QUERY
// (array wrappers, ON EMPTY / ON ERROR) and JSON_EXISTS (ON ERROR), over lax or strict
// paths ($, .key, ['key'], [index]).
#include <string>

#include <nlohmann/json.hpp>

#include "eddy/sql/exec/expression.h"
#include "eddy/sql/planner/function_registry.h"
#include "eddy/sql/planner/functions.h"

namespace eddy::sql::builtin {
namespace {

// The value at a lax JSON path ($, .key, ['key'], [index]) in `doc`, or null.
const nlohmann::json* jsonPath(const nlohmann::json& doc, const std::string& path) {
  if (path.empty() || path[0] != '$') return nullptr;
  size_t i = 1;
  const nlohmann::json* cur = &doc;
  while (i < path.size()) {
    if (path[i] == '.') {
      size_t e = path.find_first_of(".[", i + 1);
      std::string key = path.substr(i + 1, e == std::string::npos ? std::string::npos : e - i - 1);
      if (!cur->is_object() || !cur->contains(key)) return nullptr;
      cur = &(*cur)[key];
      i = e == std::string::npos ? path.size() : e;
    } else if (path[i] == '[') {
      size_t e = path.find(']', i);
      if (e == std::string::npos) return nullptr;
      std::string inner = path.substr(i + 1, e - i - 1);
      if (!inner.empty() && (inner[0] == '\'' || inner[0] == '"')) {
        std::string key = inner.substr(1, inner.size() - 2);
        if (!cur->is_object() || !cur->contains(key)) return nullptr;
        cur = &(*cur)[key];
      } else {
        if (inner.empty() || inner.find_first_not_of("0123456789") != std::string::npos) return nullptr;
        size_t idx = std::stoul(inner);
        if (!cur->is_array() || idx >= cur->size()) return nullptr;
        cur = &(*cur)[idx];
      }
      i = e + 1;
    } else {
      return nullptr;
    }
  }
  return cur;
}

// What a JSON path finds in a text, as SQL/JSON tells them apart: the text is not JSON
// or the path is malformed (an error), nothing is there (empty: also a JSON null), or
// a value. `strict $...` makes a path that finds nothing an error; `lax $...` is the
// default. A JSON null found is empty for JSON_VALUE and JSON_QUERY (`null_is_empty`),
// a value for JSON_EXISTS.
struct JsonFound {
  enum class What { kError, kEmpty, kValue } what = What::kEmpty;
  std::string error;
  nlohmann::json value;
};

JsonFound findJson(const std::string& text, std::string path, bool null_is_empty = true) {
  JsonFound f;
  bool strict = false;
  if (path.rfind("strict ", 0) == 0) {
    strict = true;
    path = path.substr(7);
  } else if (path.rfind("lax ", 0) == 0) {
    path = path.substr(4);
  }
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    f.what = JsonFound::What::kError;
    f.error = "not JSON: " + text.substr(0, 40);
    return f;
  }
  if (path.empty() || path[0] != '$') {
    f.what = JsonFound::What::kError;
    f.error = "illegal JSON path '" + path + "'";
    return f;
  }
  const nlohmann::json* at = jsonPath(doc, path);
  if (at == nullptr || (null_is_empty && at->is_null())) {
    f.what = strict && at == nullptr ? JsonFound::What::kError : JsonFound::What::kEmpty;
    if (strict) f.error = "no value at '" + path + "' (strict mode)";
    return f;
  }
  f.what = JsonFound::What::kValue;
  f.value = *at;
  return f;
}

// A choice of ON EMPTY / ON ERROR, as the parser hands it over (a string literal).
Result<std::string> choiceOf(const std::string& n, const Args& args, size_t i, Pos pos) {
  auto* c = dynamic_cast<const Literal*>(args[i].get());
  if (!c || !args[i]->type().isString()) return argError(n, pos, "malformed ON EMPTY / ON ERROR clause");
  return c->value().s;
}

}  // namespace

void registerJsonPathFunctions() {
  auto& r = registry();
  // JSON_VALUE(json, path [RETURNING t] [.. ON EMPTY] [.. ON ERROR]): the scalar at the
  // path as `t` (STRING by default). Nothing there: the ON EMPTY choice; not JSON, an
  // object or array, or a value `t` cannot hold: the ON ERROR choice (both NULL by
  // default; ERROR fails the job; DEFAULT e gives e).
  r["JSON_VALUE"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.size() == 2) {  // Called directly (not parsed): the default clauses.
      for (int k = 0; k < 2; ++k) {
        args.push_back(std::make_unique<Literal>(Value::ofString("NULL"), LogicalType::string().notNull(), "'NULL'"));
        args.push_back(std::make_unique<Literal>(Value(), LogicalType::string(), "NULL"));
      }
    }
    if (args.size() != 6 && args.size() != 7) return argError(n, pos, "takes a JSON text and a path");
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    const LogicalType type = args.size() == 7 ? args[6]->type().plain().withNullable(true) : LogicalType::string();
    if (type.isCollection() || type.id == TypeId::kRow) {
      return argError(n, pos, "RETURNING " + type.toString() + " is not supported: JSON_VALUE returns a scalar");
    }
    EDDY_ASSIGN_OR_RETURN(std::string on_empty, choiceOf(n, args, 2, pos));
    EDDY_ASSIGN_OR_RETURN(std::string on_error, choiceOf(n, args, 4, pos));
    // The DEFAULT values, as the RETURNING type.
    for (size_t i : {size_t{3}, size_t{5}}) {
      LogicalType common;
      if (args[i]->type().id != TypeId::kNull && !commonType(args[i]->type(), type, &common) &&
          !args[i]->type().isString()) {
        return argError(n, pos, "the DEFAULT value " + args[i]->type().toString() + " is not " + withArticle(type));
      }
      args[i] = coerce(std::move(args[i]), type);
    }
    args.resize(6);
    return row(n, type, std::move(args), [type, on_empty, on_error](const std::vector<Value>& v) {
      if (v[0].null || v[1].null) return Value();
      JsonFound f = findJson(v[0].s, v[1].s);
      Value out;
      if (f.what == JsonFound::What::kValue) {
        if (f.value.is_object() || f.value.is_array()) {
          f.what = JsonFound::What::kError;
          f.error = "the value at '" + v[1].s + "' is not a scalar: " + f.value.dump();
        } else {
          const std::string text = f.value.is_string() ? f.value.get<std::string>() : f.value.dump();
          std::string why;
          if (castValue(Value::ofString(text), LogicalType::string(), type, out, &why)) return out;
          f.what = JsonFound::What::kError;
          f.error = "'" + text + "' is not " + withArticle(type) + (why.empty() ? "" : ": " + why);
        }
      }
      const bool empty = f.what == JsonFound::What::kEmpty;
      const std::string& choice = empty ? on_empty : on_error;
      if (choice == "ERROR") {
        throw EvalError("JSON_VALUE: " + (empty ? "no value at '" + v[1].s + "'" : f.error));
      }
      return choice == "DEFAULT" ? v[empty ? 3 : 5] : Value();
    }, false);
  };
  // JSON_QUERY(json, path [wrapper] [.. ON EMPTY] [.. ON ERROR]): the object or array at
  // the path as JSON text. WITH [UNCONDITIONAL] ARRAY WRAPPER wraps whatever is found
  // in an array, WITH CONDITIONAL only a scalar; without a wrapper a scalar is an error.
  // Nothing there: ON EMPTY; not JSON or a scalar unwrapped: ON ERROR (NULL, EMPTY
  // ARRAY, EMPTY OBJECT or ERROR; NULL by default).
  r["JSON_QUERY"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.size() == 2) {
      for (const char* c : {"WITHOUT", "NULL", "NULL"}) {
        args.push_back(std::make_unique<Literal>(Value::ofString(c), LogicalType::string().notNull(), c));
      }
    }
    if (args.size() != 5) return argError(n, pos, "takes a JSON text and a path");
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    EDDY_ASSIGN_OR_RETURN(std::string wrapper, choiceOf(n, args, 2, pos));
    EDDY_ASSIGN_OR_RETURN(std::string on_empty, choiceOf(n, args, 3, pos));
    EDDY_ASSIGN_OR_RETURN(std::string on_error, choiceOf(n, args, 4, pos));
    args.resize(2);
    return row(n, LogicalType::string(), std::move(args), [wrapper, on_empty, on_error](const std::vector<Value>& v) {
      JsonFound f = findJson(v[0].s, v[1].s);
      if (f.what == JsonFound::What::kValue) {
        const bool scalar = !f.value.is_object() && !f.value.is_array();
        if (wrapper == "UNCONDITIONAL" || (wrapper == "CONDITIONAL" && scalar)) {
          return Value::ofString(nlohmann::json::array({f.value}).dump());
        }
        if (!scalar) return Value::ofString(f.value.dump());
        f.what = JsonFound::What::kError;
        f.error = "the value at '" + v[1].s + "' is a scalar: " + f.value.dump() + " (use WITH ARRAY WRAPPER)";
      }
      const bool empty = f.what == JsonFound::What::kEmpty;
      const std::string& choice = empty ? on_empty : on_error;
      if (choice == "ERROR") throw EvalError("JSON_QUERY: " + (empty ? "no value at '" + v[1].s + "'" : f.error));
      if (choice == "EMPTY ARRAY") return Value::ofString("[]");
      if (choice == "EMPTY OBJECT") return Value::ofString("{}");
      return Value();
    });
  };
  // JSON_EXISTS(json, path [{TRUE | FALSE | UNKNOWN | ERROR} ON ERROR]): whether the path
  // finds a value (a JSON null counts); not JSON: the ON ERROR choice (FALSE).
  r["JSON_EXISTS"] = [](const std::string& n, Args args, Pos pos) -> Result<ExprP> {
    if (args.size() == 2) {
      args.push_back(std::make_unique<Literal>(Value::ofString("FALSE"), LogicalType::string().notNull(), "FALSE"));
    }
    if (args.size() != 3) return argError(n, pos, "takes a JSON text and a path");
    EDDY_RETURN_IF_ERROR(needString(n, args, 0, pos));
    EDDY_ASSIGN_OR_RETURN(std::string on_error, choiceOf(n, args, 2, pos));
    args.resize(2);
    return row(n, LogicalType::boolean(), std::move(args), [on_error](const std::vector<Value>& v) {
      const JsonFound f = findJson(v[0].s, v[1].s, /*null_is_empty=*/false);
      if (f.what != JsonFound::What::kError) return Value::ofBool(f.what == JsonFound::What::kValue);
      if (on_error == "ERROR") throw EvalError("JSON_EXISTS: " + f.error);
      if (on_error == "UNKNOWN") return Value();
      return Value::ofBool(on_error == "TRUE");
    });
  };
}

}  // namespace eddy::sql::builtin
