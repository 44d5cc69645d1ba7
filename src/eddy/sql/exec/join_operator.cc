#include "eddy/sql/exec/join_operator.h"

namespace eddy::sql {
namespace {

// Varints: a row's counts stay within std::string's inline buffer (no allocation).
std::string encodeCounts(int64_t count, int64_t matched) {
  std::string s;
  appendVarint(s, static_cast<uint64_t>(count));
  appendVarint(s, static_cast<uint64_t>(matched));
  return s;
}

void decodeCounts(const std::string& s, int64_t* count, int64_t* matched) {
  size_t p = 0;
  *count = static_cast<int64_t>(readVarint(s, p));
  *matched = static_cast<int64_t>(readVarint(s, p));
}

}  // namespace

JoinOperator::JoinOperator(JoinSpec spec)
    : KeyedSupport([](const RecordBatch&) { return std::string(); }),
      spec_(std::move(spec)),
      joined_(spec_.left_types, spec_.right_types, spec_.condition) {
  static_cast<JoinInputColumns&>(sides_[0]) = JoinInputColumns(spec_.left_keys, spec_.left_types);
  static_cast<JoinInputColumns&>(sides_[1]) = JoinInputColumns(spec_.right_keys, spec_.right_types);
  sides_[0].outer = spec_.leftOuter();
  sides_[1].outer = spec_.rightOuter();
}

void JoinOperator::open() {
  openBackend(context());
  dropRestored();
  const char* names[2] = {"leftRecords", "rightRecords"};
  for (int s = 0; s < 2; ++s) {
    state::MapStateDescriptor<std::string, std::string> descriptor(names[s]);
    if (spec_.ttlOf(s) > 0) {
      descriptor.enableTimeToLive(state::StateTtlConfig::newBuilder(Duration(spec_.ttlOf(s))).build());
    }
    sides_[s].rows = backend().getMapState(descriptor);
  }
}

void JoinOperator::process(const RecordBatch& in, int side) {
  if (spec_.semiOrAnti()) {
    processSemiOrAnti(in, side);
    return;
  }
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
    static const std::vector<const Stored*> kNone;
    const std::vector<const Stored*>& found = null_key ? kNone : matches(in, r, side);
    const RowKind kind = in.kinds[r];
    if (isAccumulate(kind)) {
      int64_t total = 0;
      for (const Stored* stored : found) {
        const Stored& m = *stored;
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
      for (const Stored* stored : found) {
        const Stored& m = *stored;
        emit(&in, r, side, &m, inner ? kind : RowKind::kDelete, m.count);
        if (other.outer) {
          // ... and gets it back when its last match goes.
          if (m.matched == 1) emit(nullptr, r, side, &m, RowKind::kInsert, m.count);
          updateMatched(other, m, -1);
        }
      }
    }
  }
  if (!joined_.empty()) output().collect(runtime::StreamRecord<RecordBatch>{joined_.take(), runtime::kNoTimestamp});
}

// The left side keeps each live row with the number of right rows it matches (as a left
// outer join does); a row is visible while that number is above zero (semi) or zero
// (anti), and comes out or goes back as it crosses zero, as Flink's
// StreamingSemiAntiJoinOperator does.
void JoinOperator::processSemiOrAnti(const RecordBatch& in, int side) {
  Side& me = sides_[side];
  const bool semi = spec_.type == JoinType::kSemi;
  std::string key, bytes;
  for (size_t r = 0; r < in.size(); ++r) {
    bool null_key = false;
    for (int k : me.keys) null_key = null_key || in.columns[static_cast<size_t>(k)].isNull(r);
    if (null_key && side == 1) continue;  // Matches nothing.
    encodeKey(in, r, me.keys, me.key_types, key);
    backend().setCurrentKey(key);
    static const std::vector<const Stored*> kNone;
    const std::vector<const Stored*>& found = null_key ? kNone : matches(in, r, side);
    const RowKind kind = in.kinds[r];
    const bool add = isAccumulate(kind);
    encodeKey(in, r, me.all_columns, me.types, bytes);
    if (side == 0) {
      int64_t total = 0;
      for (const Stored* m : found) total += m->count;
      addToState(me, bytes, add ? 1 : -1, add ? std::optional<int64_t>(total) : std::nullopt);
      if ((total > 0) == semi) emit(&in, r, side, nullptr, kind, 1);
      continue;
    }
    // A right row: kept for the left rows to come; the left rows it matches may cross zero.
    addToState(me, bytes, add ? 1 : -1, std::nullopt);
    for (const Stored* stored : found) {
      const Stored& m = *stored;
      const bool crosses = add ? m.matched == 0 : m.matched == 1;
      if (crosses) emit(nullptr, r, side, &m, add == semi ? RowKind::kInsert : RowKind::kDelete, m.count);
      updateMatched(sides_[0], m, add ? 1 : -1);
    }
  }
  if (!joined_.empty()) output().collect(runtime::StreamRecord<RecordBatch>{joined_.take(), runtime::kNoTimestamp});
}

const std::vector<const JoinOperator::Stored*>& JoinOperator::matches(const RecordBatch& in, size_t row, int side) {
  Side& other = sides_[1 - side];
  size_t n = 0;
  other.rows->forEach([&](const std::string& bytes, const std::string& counts) {
    if (n == candidates_.size()) candidates_.emplace_back();
    Stored& s = candidates_[n++];
    s.bytes.assign(bytes);
    decodeCounts(counts, &s.count, &s.matched);
  });
  candidate_bytes_.clear();
  for (size_t i = 0; i < n; ++i) candidate_bytes_.push_back(&candidates_[i].bytes);
  joined_.accept(in, row, side, candidate_bytes_, accepted_);
  matched_.clear();
  for (size_t i = 0; i < n; ++i) {
    if (accepted_[i]) matched_.push_back(&candidates_[i]);
  }
  return matched_;
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

}  // namespace eddy::sql
