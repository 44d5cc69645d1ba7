#include "eddy/sql/exec/lookup_join_operator.h"

#include <stdexcept>

#include "eddy/sql/exec/group_key.h"

namespace eddy::sql {

LookupJoinOperator::LookupJoinOperator(LookupJoinSpec spec)
    : spec_(std::move(spec)), joined_(spec_.left_types, spec_.right_types, spec_.condition) {
  for (int k : spec_.right_keys) key_types_.push_back(spec_.right_types[static_cast<size_t>(k)]);
}

void LookupJoinOperator::open() {
  Result<RecordBatch> rows = readAll(*spec_.source, spec_.table, context().processing_time->clock());
  if (!rows.isOk()) {
    throw std::runtime_error("lookup join: reading table '" + spec_.table + "': " + rows.status().message());
  }
  std::vector<int> all;
  for (size_t c = 0; c < spec_.right_types.size(); ++c) all.push_back(static_cast<int>(c));
  std::string key, row;
  for (size_t r = 0; r < rows->size(); ++r) {
    bool null_key = false;
    for (int k : spec_.right_keys) null_key = null_key || rows->columns[static_cast<size_t>(k)].isNull(r);
    if (null_key) continue;
    encodeKey(*rows, r, spec_.right_keys, key_types_, key);
    encodeKey(*rows, r, all, spec_.right_types, row);
    index_[key].push_back(row);
  }
}

void LookupJoinOperator::processElement(const runtime::StreamRecord<RecordBatch>& record) {
  const RecordBatch& in = record.value;
  std::string key;
  static const std::vector<std::string> kNone;
  for (size_t r = 0; r < in.size(); ++r) {
    bool null_key = false;
    for (int k : spec_.left_keys) null_key = null_key || in.columns[static_cast<size_t>(k)].isNull(r);
    const std::vector<std::string>* found = &kNone;
    if (!null_key) {
      encodeKey(in, r, spec_.left_keys, key_types_, key);
      auto it = index_.find(key);
      if (it != index_.end()) found = &it->second;
    }
    std::vector<const std::string*> candidates;
    for (const std::string& s : *found) candidates.push_back(&s);
    std::vector<bool> ok = joined_.accept(in, r, 0, candidates);
    bool matched = false;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (!ok[i]) continue;
      joined_.emit(&in, r, 0, candidates[i], in.kinds[r]);
      matched = true;
    }
    if (!matched && spec_.type == JoinType::kLeft) joined_.emit(&in, r, 0, nullptr, in.kinds[r]);
  }
  if (!joined_.empty()) output().collect(runtime::StreamRecord<RecordBatch>{joined_.take(), record.timestamp});
}

}  // namespace eddy::sql
