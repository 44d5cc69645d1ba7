#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eddy/core/flat_hash_map.h"
#include "eddy/core/serialization.h"
#include "eddy/core/status.h"
#include "eddy/core/time_zone.h"
#include "eddy/sql/exec/value.h"

namespace eddy::sql {

enum class AggKind {
  kCount,      // COUNT(x), COUNT(*) when arg < 0
  kSum,
  kSum0,
  kAvg,
  kMin,
  kMax,
  kStddevPop,
  kStddevSamp,
  kVarPop,
  kVarSamp,
  kFirstValue,
  kLastValue,
  kListAgg,
  kCollect,  // COLLECT(x): the multiset of the non-null values.
  kArrayAgg,  // ARRAY_AGG(x): the values in arrival order, NULLs too unless IGNORE NULLS.
  // JSON_ARRAYAGG(x): as ARRAY_AGG, as a JSON array (ignore_nulls: ABSENT ON NULL).
  kJsonArrayAgg,
  // JSON_OBJECTAGG(k VALUE v): a JSON object; the argument is the planner's
  // jsonMember(k, v) text; a key twice is an error.
  kJsonObjectAgg,
  kLag,       // LAG(x [, offset [, default]]) in an OVER window: x `offset` rows back.
  // LEAD(x [, offset [, default]]) in a batch OVER window: x `offset` rows ahead, which
  // the batch operator fills in (the accumulator holds nothing).
  kLead,
  // Window functions of a batch OVER window, which the batch operator fills in from the
  // current row's position among its partition's rows (the accumulator holds nothing):
  // ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST and NTILE(n).
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,
  kSingleValue,  // A scalar subquery's value: its one row's, NULL for none, an error for more.
  kUser,     // A user-defined AggregateFunction.
};

/// A user-defined aggregate function (Flink's AggregateFunction), registered with
/// TableEnvironment::createTemporarySystemFunction. Its accumulator is bytes the
/// function reads and writes (so that keyed state and checkpoints can hold it).
/// Arguments are cast to `argument_types`; NULL arguments are passed as they are.
struct AggregateFunction {
  std::vector<LogicalType> argument_types;
  LogicalType result_type;
  std::function<std::string()> createAccumulator;
  std::function<void(std::string& acc, const std::vector<Value>& args)> accumulate;
  /// Takes a row back out (for GROUP BY over a changelog); may be empty when the
  /// function is only used on insert-only input, as in Flink.
  std::function<void(std::string& acc, const std::vector<Value>& args)> retract;
  std::function<Value(const std::string& acc)> getValue;
  /// Folds `other` into `acc` (Flink's merge); optional. With it, a HOP or CUMULATE
  /// window aggregation keeps one accumulator per slice and merges them when a window
  /// fires; without, each row is counted in each of its windows.
  std::function<void(std::string& acc, const std::string& other)> merge;
};

/// One aggregate of a GROUP BY or window aggregation: its function, input columns, and
/// Flink's result type.
struct AggregateCall {
  AggKind kind = AggKind::kCount;
  int arg = -1;            // Input column, -1 for COUNT(*).
  int arg2 = -1;           // LISTAGG's separator column (a literal), or -1.
  int filter = -1;         // FILTER (WHERE ...): a BOOLEAN input column, or -1.
  std::string separator = ",";
  bool distinct = false;
  bool ignore_nulls = false;  // ARRAY_AGG(x IGNORE NULLS)
  // LAG / LEAD: how many rows back (ahead), and the value when there are fewer (cast to
  // the argument's type); NTILE: the number of buckets.
  int64_t lag_offset = 1;
  Value lag_default;
  // Whether rows may be retracted (the input is a changelog). Without, MIN/MAX and
  // FIRST/LAST_VALUE keep one value instead of every value seen, as Flink's
  // non-retractable aggregate functions do.
  bool retractable = true;
  // A two-phase aggregation's local phase over an updating input: a DISTINCT value
  // retracted before this partial saw it is kept with a negative count, a LISTAGG or
  // ARRAY_AGG element in a retract list, for the global phase's merge to take off (a
  // single phase ignores such a retraction, as Flink's).
  bool partial = false;
  LogicalType arg_type;
  LogicalType type;        // Result.
  // kUser: the function and its argument columns (`arg` is the first, or -1).
  std::shared_ptr<const AggregateFunction> udf;
  std::vector<int> udf_args;
  std::string name;        // As EXPLAIN shows it: "COUNT(*)", "SUM($2)".
};

/// The instant a window ending at `window_end` fires: end - 1, the end read as
/// wall-clock time in `zone` when there is one (see WindowSpec::zone).
int64_t windowFireTime(int64_t window_end, const TimeZone* zone);

/// The window of a window TVF or legacy group window (sizes in milliseconds).
struct WindowSpec {
  enum class Kind { kNone, kTumble, kHop, kCumulate, kSession };
  Kind kind = Kind::kNone;
  int64_t size = 0;   // TUMBLE size, HOP size, CUMULATE max size
  int64_t slide = 0;  // HOP slide, CUMULATE step
  int64_t gap = 0;    // SESSION gap
  int64_t offset = 0;
  /// Set for a window over a TIMESTAMP_LTZ time attribute under a session time zone
  /// other than UTC: as in Flink, such windows align to the zone's wall clock (a day
  /// window runs from local midnight), window_start / window_end are wall-clock
  /// TIMESTAMPs, and a window fires at the instant its end - 1 is in the zone.
  std::shared_ptr<const TimeZone> zone;
  std::string toString() const;
  /// Where a row at `instant` falls on the windows' clock.
  int64_t windowTime(int64_t instant) const;
  /// The instant (watermark or processing time) at which the window ending at
  /// `window_end` fires, and its window_time.
  int64_t fireTime(int64_t window_end) const { return windowFireTime(window_end, zone.get()); }
};

/// The state of one aggregate for one group: accumulate/retract values, read the
/// result, and serialize for keyed state. Retraction of MIN/MAX/FIRST/LAST_VALUE and
/// DISTINCT keeps the values seen (Flink's MapView) so they can be undone.
class Accumulator {
 public:
  explicit Accumulator(const AggregateCall* call);
  void accumulate(const Value& v);
  void retract(const Value& v);
  /// A user-defined function's row of arguments.
  void accumulateArgs(const std::vector<Value>& args);
  void retractArgs(const std::vector<Value>& args);
  Value result() const;
  /// Folds in `other`, an accumulator of the same call over rows that come after this
  /// one's (LISTAGG appends them). Needs mergeable(call).
  void merge(const Accumulator& other);
  void write(DataOutputView& out) const;
  Status read(DataInputView& in);

 private:
  // Adds (sign 1) or removes (sign -1) one value.
  void add(const Value& v, int sign);
  // Changes `key`'s multiplicity by `by` (a row's sign, or a merged count). A
  // retraction of a key not there leaves a count of -1 (as Flink's retracting MIN /
  // MAX / COLLECT keep it): a local phase's partial state, which the global phase's
  // merge adds to the row it retracts; values are read from the keys whose count is
  // positive.
  void addToMultiset(std::string key, int64_t by);
  void addToArray(const Value& v, int sign);
  const AggregateCall* call_;
  int64_t count_ = 0;   // Non-null values
  // Exact (a DECIMAL sum to 38 digits); an integer result wraps it as Java's long does.
  __int128 isum_ = 0;
  double dsum_ = 0;
  double sumsq_ = 0;
  // Changes `key`'s multiplicity in the DISTINCT set by `sign`; true when the key
  // appeared or vanished.
  bool addToDistinct(const std::string& key, int sign);
  // Values with multiplicities (key: encoded value) for retractable aggregates, in value
  // order (MIN, MAX, COLLECT).
  std::map<std::string, int64_t> values_;
  // A DISTINCT aggregate's values with multiplicities: hashed, as only membership counts.
  struct DistinctHash {
    size_t operator()(const std::string& s) const { return std::hash<std::string>()(s) * 0x9E3779B97F4A7C15ULL; }
  };
  FlatHashMap<std::string, int64_t, DistinctHash> distinct_;
  // A DISTINCT aggregate of a number column keeps its values by their 64 bits instead
  // (no string per value, an integer hash): snapshots still hold the ordered encoding.
  struct NumberHash {
    size_t operator()(uint64_t v) const {
      v ^= v >> 33;
      v *= 0xff51afd7ed558ccdULL;
      v ^= v >> 33;
      return v * 0xc4ceb9fe1a85ec53ULL;
    }
  };
  FlatHashMap<uint64_t, int64_t, NumberHash> distinct_numbers_;
  bool distinctByBits() const;
  uint64_t bitsOf(const Value& v) const;
  Value fromBits(uint64_t bits) const;
  // Every distinct value's ordered encoding with its multiplicity.
  void forEachDistinct(const std::function<void(const std::string&, int64_t)>& f) const;
  // Adds `n` to the multiplicity of the value encoded as `e` (a merge: it may go below
  // zero); drops it at zero. Returns 1 when the value started counting, -1 when it
  // stopped, else 0.
  int addEncodedDistinct(const std::string& e, int64_t n);
  std::vector<std::string> order_;  // LISTAGG / FIRST / LAST: arrival order
  // A partial LISTAGG's / ARRAY_AGG's retractions of values it never saw (Flink's
  // retractList), which the merge applies.
  std::vector<std::string> retracted_;
  void takeOut(std::string e);
  std::string user_;                // A user-defined function's accumulator.
};

template <typename ColumnOf>
void foldArguments(Accumulator& acc, const AggregateCall& call, ColumnOf&& column, bool add);

/// Folds one row into `acc` for `call`, or takes it back out (`add` false), when the
/// call's FILTER lets it count; `column(c)` gives the row's value of input column c.
/// Every aggregation operator goes through here, whatever holds its rows.
template <typename ColumnOf>
void foldRow(Accumulator& acc, const AggregateCall& call, ColumnOf&& column, bool add) {
  if (call.filter >= 0) {
    Value f = column(call.filter);
    if (f.null || f.i == 0) return;
  }
  foldArguments(acc, call, column, add);
}

/// foldRow past the FILTER: folds the row's arguments in (or out).
template <typename ColumnOf>
void foldArguments(Accumulator& acc, const AggregateCall& call, ColumnOf&& column, bool add) {
  if (call.kind == AggKind::kUser) {
    std::vector<Value> args;
    args.reserve(call.udf_args.size());
    for (int c : call.udf_args) args.push_back(column(c));
    if (add) {
      acc.accumulateArgs(args);
    } else {
      acc.retractArgs(args);
    }
    return;
  }
  Value v = call.arg >= 0 ? column(call.arg) : Value();
  if (add) {
    acc.accumulate(v);
  } else {
    acc.retract(v);
  }
}

/// Whether row `row` of `in` counts for `call`: its FILTER (WHERE ...) holds (NULL
/// does not).
inline bool passesFilter(const AggregateCall& call, const RecordBatch& in, size_t row) {
  if (call.filter < 0) return true;
  const Column& f = in.columns[static_cast<size_t>(call.filter)];
  return !f.null[row] && f.i64[row] != 0;
}

/// foldRow for row `row` of a batch (the FILTER read from its column, no Value made
/// for it).
inline void foldRow(Accumulator& acc, const AggregateCall& call, const RecordBatch& in, size_t row, bool add) {
  if (!passesFilter(call, in, row)) return;
  foldArguments(acc, call, [&](int c) { return valueAt(in.columns[static_cast<size_t>(c)], row); }, add);
}

/// Whether accumulators of `call` can merge: the built-in aggregates but FIRST_VALUE
/// and LAST_VALUE (as in Flink), and user-defined ones that provide merge.
bool mergeable(const AggregateCall& call);
/// Whether they also merge when one holds retractions of rows the other added (a
/// local phase over an updating input): the counting, summing and multiset ones, whose
/// state adds up with negative counts (not DISTINCT, ordered or user-defined ones).
bool mergeableWithRetractions(const AggregateCall& call);

/// One accumulator per call, empty. The calls must outlive them.
std::vector<Accumulator> freshAccumulators(const std::vector<AggregateCall>& calls);
/// The keyed-state bytes of one group: an int64 the operator chooses (a row count, a
/// window start), then the accumulators.
std::string encodeAccumulators(int64_t head, const std::vector<Accumulator>& accs);
/// Reads encodeAccumulators' bytes into `accs` (fresh ones of the same calls).
Status decodeAccumulators(std::string_view bytes, int64_t* head, std::vector<Accumulator>& accs);

/// Encodes a value so that bytes order as the values do (for MIN/MAX maps and keys).
std::string encodeOrdered(const Value& v, const LogicalType& t);
Value decodeOrdered(const std::string& s, const LogicalType& t);

}  // namespace eddy::sql
