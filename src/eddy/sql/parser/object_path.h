#pragma once

#include <string>
#include <vector>

#include "eddy/core/status.h"

namespace eddy::sql {

/// A catalog object's full name, Flink's ObjectIdentifier: catalog.database.object.
struct ObjectPath {
  std::string catalog, database, name;
  bool operator==(const ObjectPath&) const = default;
};

/// The session's first catalog and database, as Flink names them.
inline constexpr const char* kDefaultCatalog = "default_catalog";
inline constexpr const char* kDefaultDatabase = "default_database";

/// `name` in backquotes, a backquote in it doubled (Flink's EncodingUtils.escapeIdentifier).
std::string quoteIdentifier(const std::string& name);

/// A name as the parser keeps a dotted one: its parts joined by '.', a part that holds
/// '.' or '`' in backquotes (doubled inside), so `a.b`.c splits back into {"a.b", "c"}.
std::string joinPath(const std::vector<std::string>& parts);
std::vector<std::string> splitPath(const std::string& path);

/// What a written name (`t`, `db.t`, `cat.db.t`) names when the current catalog and
/// database are `catalog` and `database`; an error for more than three parts.
Result<ObjectPath> resolvePath(const std::string& written, const std::string& catalog, const std::string& database);

/// The key the session keeps an object under: its name alone in
/// default_catalog.default_database (as every name was before there were others),
/// else the three parts joined; objectPathOf reads one back.
std::string objectKey(const ObjectPath& path);
ObjectPath objectPathOf(const std::string& key);

/// `catalog`.`database`.`name`, as Flink's SHOW CREATE TABLE writes it.
std::string quotedObjectPath(const ObjectPath& path);

}  // namespace eddy::sql
