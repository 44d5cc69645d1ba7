#pragma once

#include <string>
#include <vector>

#include "eddy/sql/exec/record_batch.h"

namespace eddy::sql {

/// A table row as the DataStream API sees it (Flink's Row): its change kind and its
/// fields, in the table's column order. toDataStream gives +I rows; toChangelogStream
/// every kind; fromDataStream reads the fields (and takes each row's kind).
struct Row {
  RowKind kind = RowKind::kInsert;
  std::vector<Value> fields;

  static Row of(std::vector<Value> fields) { return Row{RowKind::kInsert, std::move(fields)}; }
  static Row ofKind(RowKind kind, std::vector<Value> fields) { return Row{kind, std::move(fields)}; }
};

}  // namespace eddy::sql
