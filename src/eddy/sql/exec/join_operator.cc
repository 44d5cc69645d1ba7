#include "eddy/sql/exec/join_operator.h"

#include <cstring>

namespace eddy::sql {
namespace {

std::string encodeCounts(int64_t count, int64_t matched) {
  std::string s(16, '\0');
  std::memcpy(s.data(), &count, 8);
  std::memcpy(s.data() + 8, &matched, 8);
  return s;
}

void decodeCounts(const std::string& s, int64_t* count, int64_t* matched) {
  std::memcpy(count, s.data(), 8);
  std::memcpy(matched, s.data() + 8, 8);
}

std::vector<int> allColumns(size_t n) {
  std::vector<int> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<int>(i);
  return v;
}

}  // namespace

JoinOperator::JoinOperator(JoinSpec spec)
    : KeyedSupport([](const RecordBatch&) { return std::string(); }), spec_(std::move(spec)) {
  const std::vector<int>* keys[2] = {&spec_.left_keys, &spec_.right_keys};
  const std::vector<LogicalType>* types[2] = {&spec_.left_types, &spec_.right_types};
  for (int s = 0; s < 2; ++s) {
    Side& side = sides_[s];
    side.keys = *keys[s];
    for (int k : side.keys) side.key_types.push_back((*types[s])[static_cast<size_t>(k)]);
    side.types = *types[s];
    side.all_columns = allColumns(side.types.size());
  }
  sides_[0].outer = spec_.leftOuter();
  sides_[1].outer = spec_.rightOuter();
  if (spec_.condition) condition_ = spec_.condition->clone();
  joined_types_ = spec_.left_types;
  joined_types_.insert(joined_types_.end(), spec_.right_types.begin(), spec_.right_types.end());
  out_ = emptyBatch(joined_types_);
  probe_ = emptyBatch(joined_types_);
}

void JoinOperator::open() {
  openBackend(context());
  dropRestored();
  const char* names[2] = {"leftRecords", "rightRecords"};
  for (int s = 0; s < 2; ++s) {
    state::MapStateDescriptor<std::string, std::string> descriptor(names[s]);
    if (spec_.state_ttl_ms > 0) {
      descriptor.enableTimeToLive(state::StateTtlConfig::newBuilder(Duration(spec_.state_ttl_ms)).build());
    }
    sides_[s].rows = backend().getMapState(descriptor);
  }
}

void JoinOperator::process(const RecordBatch& in, int side) {
  Side& me = sides_[side];
  Side& other = sides_[1 - side];
  const bool inner = spec_.type == JoinType::kInner;
  std::string key, bytes;
  for (size_t r = 0; r < in.size(); ++r) {
    bool null_key = false;
    for (int k : me.keys) null_key = null_key || in.columns[static_cast<size_t>(k)].isNull(r);
    // A NULL key never matches; an inner side's row then has nothing to contribute.
    if (null_key && !me.outer) continue;
    encodeKey(in, r, me.keys, me.key_types, key);
    backend().setCurrentKey(key);
    encodeKey(in, r, me.all_columns, me.types, bytes);
    std::vector<Stored> found = null_key ? std::vector<Stored>{} : matches(in, r, side);
    const RowKind kind = in.kinds[r];
    if (isAccumulate(kind)) {
      int64_t total = 0;
      for (const Stored& m : found) {
        total += m.count;
        if (other.outer) {
          // The other row loses its null-padded form when it gains its first match.
          if (m.matched == 0) emit(nullptr, r, side, &m, RowKind::kDelete, m.count);
          updateMatched(other, m, 1);
        }
        emit(&in, r, side, &m, inner ? kind : RowKind::kInsert, m.count);
      }
      if (me.outer && found.empty()) emit(&in, r, side, nullptr, RowKind::kInsert, 1);
      addToState(me, bytes, 1, me.outer ? std::optional<int64_t>(total) : std::nullopt);
    } else {
      addToState(me, bytes, -1, std::nullopt);
      if (me.outer && found.empty()) emit(&in, r, side, nullptr, RowKind::kDelete, 1);
      for (const Stored& m : found) {
        emit(&in, r, side, &m, inner ? kind : RowKind::kDelete, m.count);
        if (other.outer) {
          // ... and gets it back when its last match goes.
          if (m.matched == 1) emit(nullptr, r, side, &m, RowKind::kInsert, m.count);
          updateMatched(other, m, -1);
        }
      }
    }
  }
  if (!out_.empty()) {
    output().collect(runtime::StreamRecord<RecordBatch>{std::move(out_), runtime::kNoTimestamp});
    out_ = emptyBatch(joined_types_);
  }
}

std::vector<JoinOperator::Stored> JoinOperator::matches(const RecordBatch& in, size_t row, int side) {
  Side& other = sides_[1 - side];
  std::vector<Stored> found;
  for (auto& [bytes, counts] : other.rows->entries()) {
    Stored s;
    s.bytes = bytes;
    decodeCounts(counts, &s.count, &s.matched);
    found.push_back(std::move(s));
  }
  if (!condition_ || found.empty()) return found;
  // Evaluate the residual condition on every candidate at once.
  for (auto& c : probe_.columns) c.clear();
  probe_.kinds.clear();
  const size_t left_width = spec_.left_types.size();
  const size_t my_offset = side == 0 ? 0 : left_width;
  const size_t other_offset = side == 0 ? left_width : 0;
  for (const Stored& s : found) {
    for (size_t c = 0; c < in.columns.size(); ++c) probe_.columns[my_offset + c].appendFrom(in.columns[c], row);
    std::vector<Value> values = decodeKey(s.bytes, other.types);
    for (size_t c = 0; c < values.size(); ++c) appendValue(probe_.columns[other_offset + c], values[c]);
    probe_.kinds.push_back(RowKind::kInsert);
  }
  const Column& ok = condition_->eval(probe_);
  std::vector<Stored> kept;
  for (size_t i = 0; i < found.size(); ++i) {
    if (!ok.isNull(i) && ok.i64[i] != 0) kept.push_back(std::move(found[i]));
  }
  return kept;
}

void JoinOperator::addToState(Side& s, const std::string& bytes, int64_t delta, std::optional<int64_t> matched) {
  int64_t count = 0, m = 0;
  if (std::optional<std::string> cur = s.rows->get(bytes)) decodeCounts(*cur, &count, &m);
  count += delta;
  if (matched) m = *matched;
  if (count <= 0) {
    s.rows->remove(bytes);
  } else {
    s.rows->put(bytes, encodeCounts(count, m));
  }
}

void JoinOperator::updateMatched(Side& s, const Stored& m, int64_t delta) {
  s.rows->put(m.bytes, encodeCounts(m.count, m.matched + delta));
}

void JoinOperator::emit(const RecordBatch* in, size_t row, int side, const Stored* other, RowKind kind, int64_t count) {
  const size_t left_width = spec_.left_types.size();
  const size_t my_offset = side == 0 ? 0 : left_width;
  const size_t my_width = sides_[side].types.size();
  const size_t other_offset = side == 0 ? left_width : 0;
  const Side& other_side = sides_[1 - side];
  std::vector<Value> other_values;
  if (other) other_values = decodeKey(other->bytes, other_side.types);
  for (int64_t n = 0; n < count; ++n) {
    for (size_t c = 0; c < my_width; ++c) {
      Column& col = out_.columns[my_offset + c];
      if (in) {
        col.appendFrom(in->columns[c], row);
      } else {
        col.appendNull();
      }
    }
    for (size_t c = 0; c < other_side.types.size(); ++c) {
      Column& col = out_.columns[other_offset + c];
      if (other) {
        appendValue(col, other_values[c]);
      } else {
        col.appendNull();
      }
    }
    out_.kinds.push_back(kind);
  }
}

}  // namespace eddy::sql
