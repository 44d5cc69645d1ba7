// The session's catalog statements (Flink's GenericInMemoryCatalog): CREATE / DROP
// CATALOG, CREATE / DROP / ALTER DATABASE, USE, and how names resolve against them.

#include <algorithm>

#include "eddy/sql/parser/object_path.h"
#include "eddy/sql/parser/sql_error.h"
#include "eddy/sql/table/table_environment.h"

namespace eddy::sql {

Result<std::string> TableEnvironment::objectKey(const std::string& written, Pos pos) const {
  Result<std::string> key = catalog_.keyOf(written);
  if (!key.isOk()) return sqlError(pos, key.status().message());
  return key;
}

Result<std::string> TableEnvironment::renameTarget(const ast::Statement& st, const std::string& from) const {
  // As Flink's catalogs rename: the object stays in its database, under the new name's
  // last part.
  ObjectPath path = objectPathOf(from);
  path.name = splitPath(st.key).back();
  const std::string to = sql::objectKey(path);
  if (catalog_.tables.count(to) || catalog_.views.count(to)) {
    return sqlError(st.pos, "Table or view '" + st.key + "' already exists");
  }
  return to;
}

Result<std::pair<std::string, std::string>> TableEnvironment::databasePath(const std::string& written, Pos pos) const {
  const std::vector<std::string> parts = splitPath(written);
  if (parts.size() > 2) return sqlError(pos, "A database name has at most two parts, catalog.database: '" + written + "'");
  return parts.size() == 2 ? std::make_pair(parts[0], parts[1]) : std::make_pair(catalog_.current_catalog, parts[0]);
}

Result<std::pair<std::string, std::string>> TableEnvironment::databaseOf(const std::string& written, Pos pos) const {
  if (written.empty()) return std::make_pair(catalog_.current_catalog, catalog_.current_database);
  EDDY_ASSIGN_OR_RETURN(auto db, databasePath(written, pos));
  if (Status st = catalog_.checkDatabase(db.first, db.second); !st.isOk()) return sqlError(pos, st.message());
  return db;
}

Status TableEnvironment::runCatalogStatement(const ast::Statement& st) {
  using K = ast::Statement::Kind;
  auto succeeded = [&] {
    info("[INFO] Execute statement succeeded.");
    return Status::ok();
  };
  auto dropAll = [&](const std::vector<std::string>& keys) {
    for (const std::string& k : keys) {
      catalog_.tables.erase(k);
      catalog_.views.erase(k);
    }
  };
  switch (st.kind) {
    case K::kCreateCatalog: {
      if (catalog_.catalogs.count(st.name)) {
        if (st.if_not_exists) return succeeded();
        return sqlError(st.pos, "Catalog " + st.name + " already exists.");
      }
      auto type = std::find_if(st.options.begin(), st.options.end(), [](const auto& o) { return o.first == "type"; });
      if (type == st.options.end()) {
        return sqlError(st.pos, "Catalog options do not contain an option key 'type' for discovering a catalog: "
                                "Eddy's catalogs are 'generic_in_memory'");
      }
      if (type->second != "generic_in_memory") {
        return sqlError(st.pos, "Catalog type '" + type->second + "' is not supported: Eddy keeps catalogs in memory "
                                "only ('type' = 'generic_in_memory')");
      }
      std::string default_database = "default";  // GenericInMemoryCatalog's default
      for (const auto& [k, v] : st.options) {
        if (k == "default-database") {
          default_database = v;
        } else if (k != "type" && k != "property-version") {
          return sqlError(st.pos, "Unsupported option '" + k + "' for catalog '" + st.name +
                                      "' of type 'generic_in_memory' (supported: type, default-database, property-version)");
        }
      }
      Catalog::InMemoryCatalog c;
      c.default_database = default_database;
      c.databases[default_database] = Catalog::Database{};
      catalog_.catalogs[st.name] = std::move(c);
      return succeeded();
    }
    case K::kDropCatalog: {
      if (!catalog_.catalogs.count(st.name)) {
        if (st.if_exists) return succeeded();
        return sqlError(st.pos, "Catalog " + st.name + " does not exist.");
      }
      if (st.name == catalog_.current_catalog) return sqlError(st.pos, "Cannot drop a catalog which is currently in use.");
      dropAll(catalog_.objectsIn(st.name, nullptr, true));
      catalog_.catalogs.erase(st.name);
      return succeeded();
    }
    case K::kCreateDatabase:
    case K::kDropDatabase:
    case K::kAlterDatabase: {
      EDDY_ASSIGN_OR_RETURN(const auto path, databasePath(st.name, st.pos));
      const auto& [catalog, database] = path;
      auto c = catalog_.catalogs.find(catalog);
      if (c == catalog_.catalogs.end()) return sqlError(st.pos, "Catalog " + catalog + " does not exist.");
      auto& databases = c->second.databases;
      const bool exists = databases.count(database) > 0;
      if (st.kind == K::kCreateDatabase) {
        if (exists) {
          if (st.if_not_exists) return succeeded();
          return sqlError(st.pos, "Database " + database + " already exists in Catalog " + catalog + ".");
        }
        Catalog::Database d;
        d.comment = st.value;
        for (const auto& [k, v] : st.options) d.properties[k] = v;
        databases[database] = std::move(d);
        return succeeded();
      }
      if (!exists) {
        if (st.kind == K::kDropDatabase && st.if_exists) return succeeded();
        return sqlError(st.pos, "Database " + database + " does not exist in Catalog " + catalog + ".");
      }
      if (st.kind == K::kAlterDatabase) {
        for (const auto& [k, v] : st.options) databases[database].properties[k] = v;
        return succeeded();
      }
      if (catalog == catalog_.current_catalog && database == catalog_.current_database) {
        return sqlError(st.pos, "Cannot drop a database which is currently in use.");
      }
      const std::vector<std::string> objects = catalog_.objectsIn(catalog, &database, true);
      if (!objects.empty() && st.value != "CASCADE") {  // RESTRICT, the default
        return sqlError(st.pos, "Database " + database + " in catalog " + catalog + " is not empty.");
      }
      dropAll(objects);
      databases.erase(database);
      return succeeded();
    }
    case K::kUse: {
      if (st.key == "CATALOG") {
        auto c = catalog_.catalogs.find(st.name);
        if (c == catalog_.catalogs.end()) {
          std::vector<std::string> names;
          for (const auto& [n, unused] : catalog_.catalogs) names.push_back(n);
          return sqlError(st.pos, "Catalog " + st.name + " does not exist" + didYouMean(st.name, names));
        }
        catalog_.current_catalog = st.name;
        catalog_.current_database = c->second.default_database;
        return succeeded();
      }
      EDDY_ASSIGN_OR_RETURN(auto db, databaseOf(st.name, st.pos));
      catalog_.current_catalog = db.first;
      catalog_.current_database = db.second;
      return succeeded();
    }
    default:
      return sqlError(st.pos, "not a catalog statement");
  }
}

}  // namespace eddy::sql
