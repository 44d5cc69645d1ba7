#include "eddy/sql/exec/aggregates.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "eddy/sql/exec/decimal.h"
#include "eddy/sql/exec/expression.h"
#include "eddy/sql/exec/nested_value.h"

namespace eddy::sql {

std::string WindowSpec::toString() const {
  switch (kind) {
    case Kind::kNone: return "";
    case Kind::kTumble: return "TUMBLE(size=[" + std::to_string(size) + " ms])";
    case Kind::kHop: return "HOP(slide=[" + std::to_string(slide) + " ms], size=[" + std::to_string(size) + " ms])";
    case Kind::kCumulate:
      return "CUMULATE(max_size=[" + std::to_string(size) + " ms], step=[" + std::to_string(slide) + " ms])";
    case Kind::kSession: return "SESSION(gap=[" + std::to_string(gap) + " ms])";
  }
  return "";
}

int64_t windowFireTime(int64_t window_end, const TimeZone* zone) {
  return (zone ? zone->toUtc(window_end) : window_end) - 1;
}

int64_t WindowSpec::windowTime(int64_t instant) const { return zone ? zone->toLocal(instant) : instant; }

std::vector<Accumulator> freshAccumulators(const std::vector<AggregateCall>& calls) {
  std::vector<Accumulator> accs;
  accs.reserve(calls.size());
  for (const auto& call : calls) accs.emplace_back(&call);
  return accs;
}

std::string encodeAccumulators(int64_t head, const std::vector<Accumulator>& accs) {
  DataOutputView out;
  out.write<int64_t>(head);
  for (const auto& a : accs) a.write(out);
  return out.release();
}

Status decodeAccumulators(std::string_view bytes, int64_t* head, std::vector<Accumulator>& accs) {
  DataInputView in(bytes);
  EDDY_ASSIGN_OR_RETURN(*head, in.read<int64_t>());
  for (auto& a : accs) EDDY_RETURN_IF_ERROR(a.read(in));
  return Status::ok();
}

std::string encodeOrdered(const Value& v, const LogicalType& t) {
  std::string s;
  switch (t.storage()) {
    case Storage::kInt64: {
      uint64_t u = static_cast<uint64_t>(v.i) ^ (uint64_t{1} << 63);
      for (int b = 7; b >= 0; --b) s.push_back(static_cast<char>((u >> (b * 8)) & 0xff));
      break;
    }
    case Storage::kDouble: {
      uint64_t u;
      std::memcpy(&u, &v.d, 8);
      u = (u & (uint64_t{1} << 63)) ? ~u : u ^ (uint64_t{1} << 63);
      for (int b = 7; b >= 0; --b) s.push_back(static_cast<char>((u >> (b * 8)) & 0xff));
      break;
    }
    case Storage::kString: s = v.s; break;
  }
  return s;
}

Value decodeOrdered(const std::string& s, const LogicalType& t) {
  Value v;
  v.null = false;
  if (t.storage() == Storage::kString) {
    v.s = s;
    return v;
  }
  uint64_t u = 0;
  for (int b = 0; b < 8; ++b) u = (u << 8) | static_cast<unsigned char>(s[static_cast<size_t>(b)]);
  if (t.storage() == Storage::kInt64) {
    v.i = static_cast<int64_t>(u ^ (uint64_t{1} << 63));
  } else {
    u = (u & (uint64_t{1} << 63)) ? u ^ (uint64_t{1} << 63) : ~u;
    std::memcpy(&v.d, &u, 8);
  }
  return v;
}

namespace {

// Changes `key`'s multiplicity in a DISTINCT set `m` by `delta` (a key goes at zero; a
// retraction of a key not there is ignored unless `negative`, which keeps it counted
// below zero: a partial's or a merge's); a key counts while its multiplicity is
// positive. Returns 1 when it started counting, -1 when it stopped, else 0.
template <typename Map, typename Key>
int addMultiplicity(Map& m, const Key& key, int64_t delta, bool negative = false) {
  int64_t* n = m.find(key);
  if (n == nullptr && delta < 0 && !negative) return 0;
  if (n == nullptr) n = &m.tryEmplace(key);
  const bool before = *n > 0;
  *n += delta;
  const bool after = *n > 0;
  if (*n == 0 || (*n < 0 && !negative)) m.erase(key);
  return after == before ? 0 : after ? 1 : -1;
}


}  // namespace

Accumulator::Accumulator(const AggregateCall* call) : call_(call) {
  if (call_->kind == AggKind::kUser) user_ = call_->udf->createAccumulator();
}

void Accumulator::accumulateArgs(const std::vector<Value>& args) { call_->udf->accumulate(user_, args); }

void Accumulator::retractArgs(const std::vector<Value>& args) {
  if (!call_->udf->retract) {
    throw std::runtime_error("aggregate function " + call_->name +
                             " has no retract, so it cannot consume updates or deletes");
  }
  call_->udf->retract(user_, args);
}

void Accumulator::accumulate(const Value& v) { add(v, 1); }

void Accumulator::retract(const Value& v) { add(v, -1); }

bool Accumulator::distinctByBits() const {
  return call_->distinct && call_->kind != AggKind::kArrayAgg && call_->kind != AggKind::kJsonArrayAgg &&
         call_->arg_type.storage() != Storage::kString;
}

uint64_t Accumulator::bitsOf(const Value& v) const {
  if (call_->arg_type.storage() != Storage::kDouble) return static_cast<uint64_t>(v.i);
  uint64_t bits;
  std::memcpy(&bits, &v.d, 8);
  return bits;
}

Value Accumulator::fromBits(uint64_t bits) const {
  if (call_->arg_type.storage() != Storage::kDouble) return Value::ofInt(static_cast<int64_t>(bits));
  double d;
  std::memcpy(&d, &bits, 8);
  return Value::ofDouble(d);
}

void Accumulator::forEachDistinct(const std::function<void(const std::string&, int64_t)>& f) const {
  if (!distinctByBits()) {
    distinct_.forEach(f);
    return;
  }
  distinct_numbers_.forEach(
      [&](uint64_t bits, int64_t n) { f(encodeOrdered(fromBits(bits), call_->arg_type), n); });
}

int Accumulator::addEncodedDistinct(const std::string& e, int64_t n) {
  if (distinctByBits()) return addMultiplicity(distinct_numbers_, bitsOf(decodeOrdered(e, call_->arg_type)), n, true);
  return addMultiplicity(distinct_, e, n, true);
}

bool Accumulator::addToDistinct(const std::string& key, int sign) { return addMultiplicity(distinct_, key, sign) != 0; }

void Accumulator::addToMultiset(std::string key, int64_t by) {
  auto it = values_.try_emplace(std::move(key), 0).first;
  it->second += by;
  if (it->second == 0) values_.erase(it);
}

// ARRAY_AGG keeps its elements in arrival order, a NULL as "" and a value as "v" and
// its ordered encoding. As Flink's, a retraction takes out the first equal element;
// with DISTINCT, an element enters when its value first comes and leaves when its
// last copy is retracted.
void Accumulator::addToArray(const Value& v, int sign) {
  if (v.null && call_->ignore_nulls) return;
  std::string e = v.null ? std::string() : "v" + encodeOrdered(v, call_->arg_type);
  if (call_->distinct && !addToDistinct(e, sign)) return;
  count_ += sign;
  if (sign > 0) {
    order_.push_back(std::move(e));
    return;
  }
  takeOut(std::move(e));
}

// A retraction of an element of the list: its first copy goes; one a partial never saw
// waits for the merge (Flink's retractList).
void Accumulator::takeOut(std::string e) {
  auto it = std::find(order_.begin(), order_.end(), e);
  if (it != order_.end()) {
    order_.erase(it);
  } else if (call_->partial) {
    retracted_.push_back(std::move(e));
  }
}

void Accumulator::add(const Value& v, int sign) {
  if (call_->kind == AggKind::kCount && call_->arg < 0) {
    count_ += sign;
    return;
  }
  if (call_->kind == AggKind::kSingleValue) {
    // Every row counts, NULL ones too; the values are kept to undo a retraction.
    isum_ += sign;
    addToMultiset(v.null ? std::string() : "v" + encodeOrdered(v, call_->arg_type), sign);
    return;
  }
  if (call_->kind == AggKind::kArrayAgg || call_->kind == AggKind::kJsonArrayAgg ||
      call_->kind == AggKind::kJsonObjectAgg) {
    addToArray(v, sign);
    return;
  }
  if (call_->kind == AggKind::kLag) {
    // The last offset + 1 values, NULLs too. A row leaving a bounded frame does not
    // change what lies `offset` rows before the current one.
    if (sign < 0) return;
    order_.push_back(v.null ? std::string() : "v" + encodeOrdered(v, call_->arg_type));
    if (static_cast<int64_t>(order_.size()) > call_->lag_offset + 1) order_.erase(order_.begin());
    return;
  }
  if (v.null) return;
  const LogicalType& t = call_->arg_type;
  if (call_->distinct) {
    // Counts distinct values; result() replays them.
    count_ += distinctByBits() ? addMultiplicity(distinct_numbers_, bitsOf(v), sign, call_->partial)
                               : addMultiplicity(distinct_, encodeOrdered(v, t), sign, call_->partial);
    return;
  }
  count_ += sign;
  switch (call_->kind) {
    case AggKind::kSum:
    case AggKind::kSum0:
    case AggKind::kAvg:
      if (t.storage() == Storage::kDouble) {
        dsum_ += sign * v.d;
      } else if (t.id == TypeId::kDecimal) {
        isum_ += sign > 0 ? unscaledOf(v, t) : -unscaledOf(v, t);  // Exact: result() checks the precision.
      } else {
        isum_ += sign > 0 ? v.i : -static_cast<Int128>(v.i);  // result() wraps it as Java's long.
      }
      break;
    case AggKind::kStddevPop:
    case AggKind::kStddevSamp:
    case AggKind::kVarPop:
    case AggKind::kVarSamp: {
      double d = asDouble(v, t);
      dsum_ += sign * d;
      sumsq_ += sign * d * d;
      break;
    }
    case AggKind::kMin:
    case AggKind::kMax: {
      std::string e = encodeOrdered(v, t);
      if (!call_->retractable) {
        // Keep the extreme only.
        bool better = values_.empty() || (call_->kind == AggKind::kMin ? e < values_.begin()->first
                                                                        : e > values_.begin()->first);
        if (better) {
          values_.clear();
          values_.emplace(std::move(e), 1);
        }
        break;
      }
      addToMultiset(std::move(e), sign);
      break;
    }
    case AggKind::kFirstValue:
    case AggKind::kLastValue:
      if (!call_->retractable) {
        if (order_.empty()) {
          order_.push_back(encodeOrdered(v, t));
        } else if (call_->kind == AggKind::kLastValue) {
          order_[0] = encodeOrdered(v, t);
        }
        break;
      }
      [[fallthrough]];
    case AggKind::kListAgg: {
      std::string e = encodeOrdered(v, t);
      if (sign > 0) {
        order_.push_back(std::move(e));
        break;
      }
      // Flink's retractable FIRST/LAST_VALUE and LISTAGG take out the earliest equal value
      // (ListAggWithRetract's List.remove, FirstValueWithRetract's first order of it).
      takeOut(std::move(e));
      break;
    }
    case AggKind::kCollect:
      addToMultiset(encodeOrdered(v, t), sign);
      break;
    case AggKind::kSingleValue:
    case AggKind::kArrayAgg:
    case AggKind::kJsonArrayAgg:
    case AggKind::kJsonObjectAgg:
    case AggKind::kLag: break;  // Handled above.
    case AggKind::kLead:
    case AggKind::kRowNumber:
    case AggKind::kRank:
    case AggKind::kDenseRank:
    case AggKind::kPercentRank:
    case AggKind::kCumeDist:
    case AggKind::kNtile: break;  // Filled in by the batch OVER operator.
    case AggKind::kCount:
    case AggKind::kUser:  // Through accumulateArgs.
      break;
  }
}

Value Accumulator::result() const {
  if (call_->kind == AggKind::kUser) return call_->udf->getValue(user_);
  const LogicalType& t = call_->arg_type;
  if (call_->kind == AggKind::kLag) {
    if (static_cast<int64_t>(order_.size()) <= call_->lag_offset) return call_->lag_default;
    const std::string& e = order_[order_.size() - 1 - static_cast<size_t>(call_->lag_offset)];
    return e.empty() ? Value() : decodeOrdered(e.substr(1), t);
  }
  if (call_->kind == AggKind::kJsonArrayAgg) {
    std::string json = "[";
    for (const std::string& e : order_) {
      if (json.size() > 1) json += ',';
      appendJson(json, e.empty() ? Value() : decodeOrdered(e.substr(1), t), t);
    }
    return Value::ofString(json + "]");
  }
  if (call_->kind == AggKind::kJsonObjectAgg) {
    // Members "key\0json" (as encoded: "v" first); keys in order, each once.
    std::vector<std::string> members;
    for (const std::string& e : order_) members.push_back(e.substr(1));
    std::sort(members.begin(), members.end());
    std::string json = "{";
    for (size_t i = 0; i < members.size(); ++i) {
      const size_t cut = members[i].find('\0');
      const std::string key = members[i].substr(0, cut);
      if (i > 0 && members[i - 1].compare(0, cut + 1, members[i], 0, cut + 1) == 0) {
        throw EvalError("JSON_OBJECTAGG: the key '" + key + "' appears more than once");
      }
      if (i > 0) json += ',';
      appendJson(json, Value::ofString(key), LogicalType::string());
      json += ':' + members[i].substr(cut + 1);
    }
    return Value::ofString(json + "}");
  }
  if (call_->kind == AggKind::kArrayAgg) {
    if (order_.empty()) return Value();
    std::vector<Value> elements;
    for (const std::string& e : order_) elements.push_back(e.empty() ? Value() : decodeOrdered(e.substr(1), t));
    return Value::ofString(encodeArray(elements, *call_->type.element));
  }
  if (call_->distinct && call_->kind != AggKind::kCount) {
    // Replay the distinct values through a plain accumulator.
    AggregateCall plain = *call_;
    plain.distinct = false;
    Accumulator acc(&plain);
    // In value order, so that a result that depends on it (LISTAGG) does not depend on
    // the hashing.
    std::vector<std::string> keys;
    forEachDistinct([&](const std::string& e, int64_t n) {
      if (n > 0) keys.push_back(e);  // A partial's negative counts are not values.
    });
    std::sort(keys.begin(), keys.end());
    for (const std::string& e : keys) acc.accumulate(decodeOrdered(e, t));
    return acc.result();
  }
  switch (call_->kind) {
    case AggKind::kCount: return Value::ofInt(count_);
    case AggKind::kSum:
    case AggKind::kSum0:
      if (count_ == 0) {
        if (call_->kind == AggKind::kSum) return Value();
        return t.storage() == Storage::kDouble ? Value::ofDouble(0) : t.id == TypeId::kDecimal ? decimalValue(0, call_->type) : Value::ofInt(0);
      }
      if (t.storage() == Storage::kDouble) return Value::ofDouble(dsum_);
      if (t.id == TypeId::kDecimal) return decimalValue(isum_, call_->type);  // Past 38 digits: NULL, as Flink's.
      return Value::ofInt(call_->type.id == TypeId::kInt ? static_cast<int32_t>(isum_)
                          : call_->type.id == TypeId::kSmallInt ? static_cast<int16_t>(isum_)
                          : call_->type.id == TypeId::kTinyInt ? static_cast<int8_t>(isum_)
                                                                : static_cast<int64_t>(isum_));
    case AggKind::kAvg: {
      if (count_ == 0) return Value();
      if (t.storage() == Storage::kDouble) return Value::ofDouble(dsum_ / static_cast<double>(count_));
      if (t.id == TypeId::kDecimal) {  // DECIMAL(38, max(6, s)), rounding half up.
        Int128 q = 0;
        if (!divideDecimal(isum_, t.scale, count_, 0, call_->type.scale, &q)) return Value();
        return decimalValue(q, call_->type);
      }
      return Value::ofInt(static_cast<int64_t>(isum_) / count_);  // Flink: AVG of an integer type is integer.
    }
    case AggKind::kStddevPop:
    case AggKind::kStddevSamp:
    case AggKind::kVarPop:
    case AggKind::kVarSamp: {
      bool samp = call_->kind == AggKind::kStddevSamp || call_->kind == AggKind::kVarSamp;
      if (count_ == 0 || (samp && count_ == 1)) return Value();
      double n = static_cast<double>(count_);
      double var = (sumsq_ - dsum_ * dsum_ / n) / (samp ? n - 1 : n);
      if (var < 0) var = 0;
      double r = call_->kind == AggKind::kStddevPop || call_->kind == AggKind::kStddevSamp ? std::sqrt(var) : var;
      Value out;
      Value in = Value::ofDouble(r);
      castValue(in, LogicalType::doubleType(), call_->type, out, nullptr);
      return out;
    }
    case AggKind::kMin:
      for (auto it = values_.begin(); it != values_.end(); ++it) {
        if (it->second > 0) return decodeOrdered(it->first, t);
      }
      return Value();
    case AggKind::kMax:
      for (auto it = values_.rbegin(); it != values_.rend(); ++it) {
        if (it->second > 0) return decodeOrdered(it->first, t);
      }
      return Value();
    case AggKind::kFirstValue:
      if (order_.empty()) return Value();
      return decodeOrdered(order_.front(), t);
    case AggKind::kLastValue:
      if (order_.empty()) return Value();
      return decodeOrdered(order_.back(), t);
    case AggKind::kListAgg: {
      if (order_.empty()) return Value();
      std::string s;
      for (size_t i = 0; i < order_.size(); ++i) {
        if (i > 0) s += call_->separator;
        s += order_[i];
      }
      return Value::ofString(std::move(s));
    }
    case AggKind::kSingleValue: {
      if (isum_ > 1) throw std::runtime_error("SingleValueAggFunction received more than one element.");
      if (isum_ <= 0 || values_.empty() || values_.begin()->first.empty()) return Value();
      return decodeOrdered(values_.begin()->first.substr(1), t);
    }
    case AggKind::kCollect: {
      // Each element and its count, in element order.
      MapEntries counts;
      for (const auto& [e, n] : values_) {
        if (n <= 0) continue;  // Retracted before it came (a local phase's partial).
        counts.keys.push_back(decodeOrdered(e, t));
        counts.values.push_back(Value::ofInt(n));
      }
      return Value::ofString(encodeMap(counts, LogicalType::multisetMap(call_->type)));
    }
    case AggKind::kUser:
    case AggKind::kArrayAgg:
    case AggKind::kJsonArrayAgg:
    case AggKind::kJsonObjectAgg:
    case AggKind::kLag: break;  // Answered above.
    case AggKind::kLead:
    case AggKind::kRowNumber:
    case AggKind::kRank:
    case AggKind::kDenseRank:
    case AggKind::kPercentRank:
    case AggKind::kCumeDist:
    case AggKind::kNtile: break;  // Filled in by the batch OVER operator.
  }
  return Value();
}

bool mergeable(const AggregateCall& call) {
  switch (call.kind) {
    case AggKind::kFirstValue:
    case AggKind::kLastValue: return false;  // Flink's have no merge: they follow arrival order.
    case AggKind::kArrayAgg:
    case AggKind::kJsonArrayAgg: return !call.distinct;  // A distinct one's order is its own.
    case AggKind::kLag:
    case AggKind::kLead:
    case AggKind::kRowNumber:
    case AggKind::kRank:
    case AggKind::kDenseRank:
    case AggKind::kPercentRank:
    case AggKind::kCumeDist:
    case AggKind::kNtile: return false;  // Only in OVER windows, which never merge.
    case AggKind::kUser: return call.udf->merge != nullptr;
    default: return true;
  }
}

bool mergeableWithRetractions(const AggregateCall& call) {
  if (call.distinct && call.kind != AggKind::kCount && call.kind != AggKind::kSum && call.kind != AggKind::kSum0 &&
      call.kind != AggKind::kAvg && call.kind != AggKind::kMin && call.kind != AggKind::kMax) {
    return false;
  }
  if (call.distinct) return true;  // Its values' counts add up, negative ones too (AggregateCall::partial).
  switch (call.kind) {
    case AggKind::kCount:
    case AggKind::kSum:
    case AggKind::kSum0:
    case AggKind::kAvg:
    case AggKind::kStddevPop:
    case AggKind::kStddevSamp:
    case AggKind::kVarPop:
    case AggKind::kVarSamp:
    case AggKind::kCollect:
    case AggKind::kListAgg:   // Retractions a partial has not matched wait for the merge.
    case AggKind::kArrayAgg: return true;
    case AggKind::kMin:
    case AggKind::kMax: return call.retractable;  // Each value's count, not the best one.
    default: return false;
  }
}

void Accumulator::merge(const Accumulator& other) {
  if (call_->kind == AggKind::kUser) {
    call_->udf->merge(user_, other.user_);
    return;
  }
  auto mergeMultiset = [&] {
    for (const auto& [k, n] : other.values_) addToMultiset(k, n);
  };
  if (call_->distinct) {
    other.forEachDistinct([&](const std::string& k, int64_t n) { count_ += addEncodedDistinct(k, n); });
    return;
  }
  count_ += other.count_;
  isum_ += other.isum_;
  dsum_ += other.dsum_;
  sumsq_ += other.sumsq_;
  switch (call_->kind) {
    case AggKind::kMin:
    case AggKind::kMax:
      if (call_->retractable) {
        mergeMultiset();
      } else if (!other.values_.empty()) {
        const std::string& e = other.values_.begin()->first;
        bool better = values_.empty() || (call_->kind == AggKind::kMin ? e < values_.begin()->first
                                                                        : e > values_.begin()->first);
        if (better) values_ = other.values_;
      }
      break;
    case AggKind::kListAgg:
    case AggKind::kArrayAgg: {
      // ListAggWithRetract's merge: the lists in order, then each retraction either side
      // has not matched takes out the first copy there is, or keeps waiting.
      order_.insert(order_.end(), other.order_.begin(), other.order_.end());
      std::vector<std::string> pending = std::move(retracted_);
      pending.insert(pending.end(), other.retracted_.begin(), other.retracted_.end());
      retracted_.clear();
      for (std::string& e : pending) {
        auto it = std::find(order_.begin(), order_.end(), e);
        if (it != order_.end()) {
          order_.erase(it);
        } else {
          retracted_.push_back(std::move(e));
        }
      }
      count_ = static_cast<int64_t>(order_.size());
      break;
    }
    case AggKind::kJsonArrayAgg:
    case AggKind::kJsonObjectAgg:
      order_.insert(order_.end(), other.order_.begin(), other.order_.end());
      break;
    case AggKind::kCollect:
    case AggKind::kSingleValue: mergeMultiset(); break;
    default: break;  // Counts and sums are added above.
  }
}

void Accumulator::write(DataOutputView& out) const {
  out.write<int64_t>(count_);
  out.write<int64_t>(static_cast<int64_t>(isum_));
  out.write<int64_t>(static_cast<int64_t>(isum_ >> 64));
  out.write<double>(dsum_);
  out.write<double>(sumsq_);
  out.writeVarint(values_.size());
  for (const auto& [k, n] : values_) {
    out.writeString(k);
    out.write<int64_t>(n);
  }
  out.writeVarint(order_.size());
  for (const auto& s : order_) out.writeString(s);
  if (call_->kind == AggKind::kListAgg || call_->kind == AggKind::kArrayAgg) {
    out.writeVarint(retracted_.size());
    for (const auto& s : retracted_) out.writeString(s);
  }
  out.writeVarint(distinctByBits() ? distinct_numbers_.size() : distinct_.size());
  forEachDistinct([&](const std::string& k, int64_t n) {
    out.writeString(k);
    out.write<int64_t>(n);
  });
  if (call_->kind == AggKind::kUser) out.writeString(user_);
}

Status Accumulator::read(DataInputView& in) {
  EDDY_ASSIGN_OR_RETURN(count_, in.read<int64_t>());
  EDDY_ASSIGN_OR_RETURN(int64_t sum_low, in.read<int64_t>());
  EDDY_ASSIGN_OR_RETURN(int64_t sum_high, in.read<int64_t>());
  isum_ = static_cast<Int128>((static_cast<unsigned __int128>(static_cast<uint64_t>(sum_high)) << 64) |
                              static_cast<uint64_t>(sum_low));
  EDDY_ASSIGN_OR_RETURN(dsum_, in.read<double>());
  EDDY_ASSIGN_OR_RETURN(sumsq_, in.read<double>());
  EDDY_ASSIGN_OR_RETURN(uint64_t n, in.readVarint());
  values_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    EDDY_ASSIGN_OR_RETURN(std::string k, in.readString());
    EDDY_ASSIGN_OR_RETURN(int64_t c, in.read<int64_t>());
    values_[k] = c;
  }
  EDDY_ASSIGN_OR_RETURN(uint64_t m, in.readVarint());
  order_.clear();
  for (uint64_t i = 0; i < m; ++i) {
    EDDY_ASSIGN_OR_RETURN(std::string s, in.readString());
    order_.push_back(std::move(s));
  }
  retracted_.clear();
  if (call_->kind == AggKind::kListAgg || call_->kind == AggKind::kArrayAgg) {
    EDDY_ASSIGN_OR_RETURN(uint64_t r, in.readVarint());
    for (uint64_t i = 0; i < r; ++i) {
      EDDY_ASSIGN_OR_RETURN(std::string s, in.readString());
      retracted_.push_back(std::move(s));
    }
  }
  EDDY_ASSIGN_OR_RETURN(uint64_t d, in.readVarint());
  distinct_.clear();
  distinct_numbers_.clear();
  for (uint64_t i = 0; i < d; ++i) {
    EDDY_ASSIGN_OR_RETURN(std::string k, in.readString());
    EDDY_ASSIGN_OR_RETURN(int64_t c, in.read<int64_t>());
    addEncodedDistinct(k, c);
  }
  if (call_->kind == AggKind::kUser) {
    EDDY_ASSIGN_OR_RETURN(user_, in.readString());
  }
  return Status::ok();
}

}  // namespace eddy::sql
