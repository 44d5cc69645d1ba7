#pragma once

#include <functional>
#include <string>

#include "eddy/sql/exec/connector_options.h"
#include "eddy/sql/exec/table_source.h"

namespace eddy::sql {

/// The rows of one batch as the filesystem connector writes them, joined by newlines
/// (no trailing one): `format` = `csv` (fields by `csv.field-delimiter`, default ',';
/// quoted with '"' when they hold the delimiter, a quote or a line break; NULL as
/// `csv.null-literal`, default empty) or `json` (one object per row, NULL as null).
/// Values print as Flink prints them (timestamps `2024-01-01 10:00:00.000`).
using BatchEncoder = std::function<std::string(const RecordBatch&)>;

/// The encoder for a filesystem table's WITH options; an error names the table and the
/// option.
Result<BatchEncoder> fileSinkEncoder(const std::string& table, const Options& options, const Schema& schema);

}  // namespace eddy::sql
