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

/// When the filesystem sink starts a new part file besides at each checkpoint (Flink's
/// `sink.rolling-policy.*`): once a part holds `file-size` bytes (default 128 MB), has
/// been open `rollover-interval` (default 30 min) or not written for
/// `inactivity-interval` (default 30 min) of processing time — the times checked when
/// the next rows come (`check-interval` is read and checked only for its form).
struct RollingPolicy {
  uint64_t file_size = 128ull << 20;
  int64_t rollover_ms = 30 * 60000;
  int64_t inactivity_ms = 30 * 60000;
};
/// The rolling policy of a filesystem table's WITH options; an error names the option.
Result<RollingPolicy> fileRollingPolicy(const std::string& table, const Options& options);

/// Whether `schema` (with `partition_keys` not in the files) suits the `raw` format: one
/// physical column, of a text or bytes type (Flink's message otherwise).
Status checkRawSchema(const std::string& table, const Schema& schema, const std::vector<std::string>& partition_keys);

/// The encoder for a filesystem table's WITH options; an error names the table and the
/// option.
Result<BatchEncoder> fileSinkEncoder(const std::string& table, const Options& options, const Schema& schema);

}  // namespace eddy::sql
