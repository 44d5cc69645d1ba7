#pragma once

#include <map>
#include <string>
#include <vector>

#include "eddy/core/status.h"

namespace eddy::sql {

/// Checks a table's WITH options against what its connector and format read, as Flink's
/// factories do ("Unsupported options found"): an option no one reads — a typo such as
/// 'csv.ignore-parse-error' — is an error naming it, with the closest known option.
/// `columns`: the table's columns (datagen's `fields.<column>.*`). The test connector
/// `values` and `nexmark` (which takes the benchmark's own options) are not checked.
Status validateTableOptions(const std::string& table, const std::map<std::string, std::string>& options,
                            const std::vector<std::string>& columns);

}  // namespace eddy::sql
