#include "eddy/sql/parser/object_path.h"

#include <gtest/gtest.h>

namespace eddy::sql {
namespace {

TEST(ObjectPath, SplitsWhatJoinWritesBackIntoItsParts) {
  const std::vector<std::vector<std::string>> cases = {{"t"}, {"db", "t"}, {"cat", "db", "t"}, {"a.b", "c"}, {"x`y", "z"}};
  for (const auto& parts : cases) EXPECT_EQ(splitPath(joinPath(parts)), parts);
  EXPECT_EQ(joinPath({"db", "t"}), "db.t");
  EXPECT_EQ(joinPath({"a.b"}), "`a.b`");
}

TEST(ObjectPath, ResolvesAgainstTheCurrentCatalogAndDatabase) {
  EXPECT_EQ(resolvePath("t", "c", "d").value(), (ObjectPath{"c", "d", "t"}));
  EXPECT_EQ(resolvePath("d2.t", "c", "d").value(), (ObjectPath{"c", "d2", "t"}));
  EXPECT_EQ(resolvePath("c2.d2.t", "c", "d").value(), (ObjectPath{"c2", "d2", "t"}));
  EXPECT_FALSE(resolvePath("a.b.c.d", "c", "d").isOk());
}

TEST(ObjectPath, KeysAreBareNamesInTheDefaultDatabaseOnly) {
  EXPECT_EQ(objectKey({kDefaultCatalog, kDefaultDatabase, "t"}), "t");
  EXPECT_EQ(objectKey({kDefaultCatalog, "sales", "t"}), "default_catalog.sales.t");
  for (const ObjectPath& p : {ObjectPath{kDefaultCatalog, kDefaultDatabase, "a.b"}, ObjectPath{"c", "d", "t"},
                              ObjectPath{kDefaultCatalog, "x.y", "t"}}) {
    EXPECT_EQ(objectPathOf(objectKey(p)), p);
  }
  EXPECT_EQ(quotedObjectPath({"c", "d", "t`"}), "`c`.`d`.`t```");
}

}  // namespace
}  // namespace eddy::sql
