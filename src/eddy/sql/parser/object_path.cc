#include "eddy/sql/parser/object_path.h"

namespace eddy::sql {

std::string quoteIdentifier(const std::string& name) {
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

std::string joinPath(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '.';
    const bool plain = parts[i].find_first_of(".`") == std::string::npos;
    out += plain ? parts[i] : quoteIdentifier(parts[i]);
  }
  return out;
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '.') {
      parts.emplace_back();
    } else if (path[i] == '`' && parts.back().empty()) {  // A quoted part, to its closing backquote.
      for (++i; i < path.size(); ++i) {
        if (path[i] != '`') {
          parts.back() += path[i];
        } else if (i + 1 < path.size() && path[i + 1] == '`') {
          parts.back() += '`';
          ++i;
        } else {
          break;
        }
      }
    } else {
      parts.back() += path[i];
    }
  }
  return parts;
}

Result<ObjectPath> resolvePath(const std::string& written, const std::string& catalog, const std::string& database) {
  const std::vector<std::string> parts = splitPath(written);
  switch (parts.size()) {
    case 1: return ObjectPath{catalog, database, parts[0]};
    case 2: return ObjectPath{catalog, parts[0], parts[1]};
    case 3: return ObjectPath{parts[0], parts[1], parts[2]};
    default:
      return Status::invalidArgument("Object identifier '" + written +
                                     "' has more than three parts: catalog.database.object at most");
  }
}

std::string objectKey(const ObjectPath& path) {
  if (path.catalog == kDefaultCatalog && path.database == kDefaultDatabase) return joinPath({path.name});
  return joinPath({path.catalog, path.database, path.name});
}

ObjectPath objectPathOf(const std::string& key) {
  std::vector<std::string> parts = splitPath(key);
  if (parts.size() == 3) return ObjectPath{parts[0], parts[1], parts[2]};
  return ObjectPath{kDefaultCatalog, kDefaultDatabase, parts.back()};
}

std::string quotedObjectPath(const ObjectPath& path) {
  return quoteIdentifier(path.catalog) + "." + quoteIdentifier(path.database) + "." + quoteIdentifier(path.name);
}

}  // namespace eddy::sql
