#include "eddy/sql/exec/unnest.h"

#include "eddy/sql/exec/nested_value.h"

namespace eddy::sql {

Result<std::shared_ptr<const TableFunction>> unnestFunction(const LogicalType& type, bool with_ordinality) {
  if (type.id != TypeId::kArray && type.id != TypeId::kMap) {
    return Status::invalidArgument("UNNEST needs an ARRAY or a MAP, not " + type.toString());
  }
  auto f = std::make_shared<TableFunction>();
  f->argument_types = {type.plain().withNullable(true)};
  const bool rows = type.id == TypeId::kArray && type.element->id == TypeId::kRow;
  if (rows) {
    for (const RowFieldType& field : *type.element->fields) f->result.push_back({field.name, field.type.withNullable(true)});
  } else if (type.id == TypeId::kArray) {
    f->result.push_back({"f0", *type.element});
  } else {
    f->result.push_back({"f0", *type.key});
    f->result.push_back({"f1", *type.element});
  }
  if (with_ordinality) f->result.push_back({"ordinality", LogicalType::integer().notNull()});
  const LogicalType t = type.plain();
  f->eval = [t, rows, with_ordinality](const std::vector<Value>& args,
                                       const std::function<void(std::vector<Value>)>& collect) {
    if (args[0].null) return;
    if (t.id == TypeId::kArray) {
      std::vector<Value> elements = decodeArray(args[0].s, *t.element);
      for (size_t i = 0; i < elements.size(); ++i) {
        // A ROW element comes out as its fields (all NULL for a NULL element).
        std::vector<Value> out = !rows                 ? std::vector<Value>{std::move(elements[i])}
                                 : elements[i].null    ? std::vector<Value>(t.element->fields->size())
                                                       : decodeRow(elements[i].s, *t.element);
        if (with_ordinality) out.push_back(Value::ofInt(static_cast<int64_t>(i + 1)));
        collect(std::move(out));
      }
      return;
    }
    MapEntries m = decodeMap(args[0].s, t);
    for (size_t i = 0; i < m.keys.size(); ++i) {
      std::vector<Value> out{std::move(m.keys[i]), std::move(m.values[i])};
      if (with_ordinality) out.push_back(Value::ofInt(static_cast<int64_t>(i + 1)));
      collect(std::move(out));
    }
  };
  return std::shared_ptr<const TableFunction>(std::move(f));
}

}  // namespace eddy::sql
