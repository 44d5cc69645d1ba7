// CREATE TABLE ... LIKE: merging a base table's definition into a new one, as Flink's
// MergeTableLikeUtil does.
#include <algorithm>
#include <array>

#include "eddy/sql/parser/sql_error.h"
#include "eddy/sql/planner/planner.h"

namespace eddy::sql {
namespace {

enum class Strategy { kIncluding, kExcluding, kOverwriting };
enum Feature { kConstraints, kGenerated, kMetadata, kOptions, kPartitions, kWatermarks, kFeatureCount };

Feature featureNamed(const std::string& name) {
  return name == "CONSTRAINTS" ? kConstraints
         : name == "GENERATED" ? kGenerated
         : name == "METADATA"  ? kMetadata
         : name == "OPTIONS"   ? kOptions
         : name == "PARTITIONS" ? kPartitions
                                : kWatermarks;
}

Strategy strategyNamed(const std::string& name) {
  return name == "INCLUDING" ? Strategy::kIncluding : name == "EXCLUDING" ? Strategy::kExcluding : Strategy::kOverwriting;
}

// Flink's defaults, then each option in turn (an ALL sets every feature).
std::array<Strategy, kFeatureCount> strategies(const ast::Statement& own) {
  std::array<Strategy, kFeatureCount> s;
  s.fill(Strategy::kIncluding);
  s[kOptions] = Strategy::kOverwriting;
  for (const auto& [how, feature] : own.like_options) {
    if (feature == "ALL") {
      s.fill(strategyNamed(how));
    } else {
      s[featureNamed(feature)] = strategyNamed(how);
    }
  }
  return s;
}

bool isGenerated(const ast::ColumnDef& c) { return c.computed != nullptr; }

}  // namespace

Result<std::unique_ptr<ast::Statement>> mergeTableLike(ast::Statement base, ast::Statement own) {
  const std::array<Strategy, kFeatureCount> s = strategies(own);
  auto out = std::make_unique<ast::Statement>();
  out->kind = ast::Statement::Kind::kCreateTable;
  out->pos = own.pos;
  out->text = own.text;
  out->name = own.name;
  out->if_not_exists = own.if_not_exists;

  // Columns: the base's (computed and metadata ones unless excluded), then the new
  // ones; an overwritten column keeps its place.
  for (auto& c : base.columns) {
    if (isGenerated(c) && s[kGenerated] == Strategy::kExcluding) continue;
    if (c.metadata && s[kMetadata] == Strategy::kExcluding) continue;
    out->columns.push_back(std::move(c));
  }
  for (auto& c : own.columns) {
    auto same = std::find_if(out->columns.begin(), out->columns.end(),
                             [&](const ast::ColumnDef& b) { return b.name == c.name; });
    if (same == out->columns.end()) {
      out->columns.push_back(std::move(c));
      continue;
    }
    if (isGenerated(*same)) {
      if (!isGenerated(c) || s[kGenerated] != Strategy::kOverwriting) {
        return sqlError(c.pos, "A generated column named '" + c.name +
                                   "' already exists in the base table. You might want to specify EXCLUDING "
                                   "GENERATED or OVERWRITING GENERATED.");
      }
    } else if (same->metadata) {
      if (!c.metadata || s[kMetadata] != Strategy::kOverwriting) {
        return sqlError(c.pos, "A metadata column named '" + c.name +
                                   "' already exists in the base table. You might want to specify EXCLUDING "
                                   "METADATA or OVERWRITING METADATA.");
      }
    } else {
      return sqlError(c.pos, "A column named '" + c.name + "' already exists in the base table.");
    }
    *same = std::move(c);
  }

  // The watermark: one per table.
  if (!own.watermark_column.empty()) {
    if (!base.watermark_column.empty() && s[kWatermarks] == Strategy::kIncluding) {
      return sqlError(own.watermark->pos, "There already exists a watermark spec for column '" + base.watermark_column +
                                              "' in the base table. You might want to specify EXCLUDING WATERMARKS or "
                                              "OVERWRITING WATERMARKS.");
    }
    out->watermark_column = own.watermark_column;
    out->watermark = std::move(own.watermark);
  } else if (!base.watermark_column.empty() && s[kWatermarks] != Strategy::kExcluding) {
    out->watermark_column = base.watermark_column;
    out->watermark = std::move(base.watermark);
  }

  if (!own.primary_key.empty()) {
    if (!base.primary_key.empty() && s[kConstraints] == Strategy::kIncluding) {
      return sqlError(own.pos, "The base table already has a primary key. You might want to specify EXCLUDING "
                               "CONSTRAINTS.");
    }
    out->primary_key = own.primary_key;
  } else if (s[kConstraints] == Strategy::kIncluding) {
    out->primary_key = base.primary_key;
  }

  if (!own.partition_keys.empty()) {
    if (!base.partition_keys.empty() && s[kPartitions] == Strategy::kIncluding) {
      return sqlError(own.pos, "The base table already has partitions defined. You might want to specify EXCLUDING "
                               "PARTITIONS.");
    }
    out->partition_keys = own.partition_keys;
  } else if (s[kPartitions] == Strategy::kIncluding) {
    out->partition_keys = base.partition_keys;
  }

  if (s[kOptions] != Strategy::kExcluding) out->options = base.options;
  for (auto& [k, v] : own.options) {
    auto same = std::find_if(out->options.begin(), out->options.end(), [&](const auto& o) { return o.first == k; });
    if (same == out->options.end()) {
      out->options.emplace_back(k, v);
    } else if (s[kOptions] == Strategy::kOverwriting) {
      same->second = v;
    } else {
      return sqlError(own.pos, "There already exists an option ['" + k + "' -> '" + same->second +
                                   "'] in the base table. You might want to specify EXCLUDING OPTIONS or "
                                   "OVERWRITING OPTIONS.");
    }
  }
  return out;
}

}  // namespace eddy::sql
