#include "eddy/sql/exec/expression.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "eddy/core/number_format.h"
#include "eddy/sql/exec/decimal.h"
#include "eddy/sql/exec/digests.h"
#include "eddy/sql/exec/nested_value.h"
#include "eddy/sql/exec/session_time_zone.h"
#include "eddy/sql/exec/utf8.h"

namespace eddy::sql {

namespace {

std::vector<ExprP> cloneAll(const std::vector<ExprP>& args, const InputMap& map) {
  std::vector<ExprP> out;
  out.reserve(args.size());
  for (const auto& a : args) out.push_back(a->cloneWith(map));
  return out;
}

// `name(arg, arg, ...)` as EXPLAIN shows a call.
std::string callText(const std::string& name, const std::vector<ExprP>& args) {
  std::string s = name + "(";
  for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + args[i]->toString();
  return s + ")";
}

}  // namespace

void markInputs(const Expression& e, std::vector<bool>& used) {
  e.cloneWith([&](int index, const LogicalType& type) {
    used[static_cast<size_t>(index)] = true;
    return std::make_unique<InputRef>(index, type);
  });
}

bool isConstant(const Expression& e) {
  if (dynamic_cast<const Literal*>(&e)) return true;
  if (const auto* b = dynamic_cast<const BinaryCall*>(&e)) return isConstant(b->left()) && isConstant(b->right());
  if (const auto* l = dynamic_cast<const LogicalCall*>(&e)) {
    return std::all_of(l->args().begin(), l->args().end(), [](const ExprP& a) { return isConstant(*a); });
  }
  if (const auto* is = dynamic_cast<const IsCall*>(&e)) return isConstant(is->arg());
  if (const auto* cast = dynamic_cast<const CastCall*>(&e)) return isConstant(cast->arg());
  return false;
}

void countInputs(const Expression& e, std::vector<int>& reads) {
  e.cloneWith([&](int index, const LogicalType& type) {
    if (reads.size() <= static_cast<size_t>(index)) reads.resize(static_cast<size_t>(index) + 1, 0);
    ++reads[static_cast<size_t>(index)];
    return std::make_unique<InputRef>(index, type);
  });
}

namespace {

bool isPlainInteger(const LogicalType& t) { return t.storage() == Storage::kInt64 && t.id != TypeId::kDecimal; }

// `$c = k` (either way round) as column c and value k.
std::optional<std::pair<int, int64_t>> equality(const Expression& e) {
  auto* eq = dynamic_cast<const BinaryCall*>(&e);
  if (!eq || eq->op() != BinaryOp::kEq) return std::nullopt;
  auto* ref = dynamic_cast<const InputRef*>(&eq->left());
  auto* lit = dynamic_cast<const Literal*>(&eq->right());
  if (!ref || !lit) {
    ref = dynamic_cast<const InputRef*>(&eq->right());
    lit = dynamic_cast<const Literal*>(&eq->left());
  }
  if (!ref || !lit || lit->value().null || !isPlainInteger(ref->type()) || !isPlainInteger(lit->type())) {
    return std::nullopt;
  }
  return std::make_pair(ref->index(), lit->value().i);
}

void collectEqualities(const Expression& e, std::vector<ColumnEquality>& out) {
  if (auto* then = dynamic_cast<const FilterThen*>(&e)) {
    collectEqualities(then->first(), out);
    collectEqualities(then->second(), out);
    return;
  }
  auto* logical = dynamic_cast<const LogicalCall*>(&e);
  if (logical && logical->op() == LogicalCall::Op::kAnd) {
    for (const auto& a : logical->args()) collectEqualities(*a, out);
    return;
  }
  if (logical && logical->op() == LogicalCall::Op::kOr) {
    ColumnEquality any{-1, {}};
    for (const auto& a : logical->args()) {
      auto eq = equality(*a);
      if (!eq || (any.column >= 0 && any.column != eq->first)) return;  // Not one column's values.
      any.column = eq->first;
      any.values.push_back(eq->second);
    }
    if (any.column >= 0) out.push_back(std::move(any));
    return;
  }
  if (auto eq = equality(e)) out.push_back({eq->first, {eq->second}});
}

}  // namespace

std::vector<ColumnEquality> columnEqualities(const Expression& filter) {
  std::vector<ColumnEquality> out;
  collectEqualities(filter, out);
  return out;
}

ExprP Expression::clone() const {
  return cloneWith([](int index, const LogicalType& type) { return std::make_unique<InputRef>(index, type); });
}

const Column& Literal::eval(const RecordBatch& in) {
  size_t n = in.size();
  if (out_.size() == n) return out_;
  if (out_.size() > n && out_.storage != Storage::kString) {
    // Batches after a filter vary in length: shrink rather than refill.
    out_.null.resize(n);
    if (out_.storage == Storage::kInt64) {
      out_.i64.resize(n);
    } else {
      out_.f64.resize(n);
    }
    return out_;
  }
  if (out_.size() > n) out_.clear();
  while (out_.size() < n) appendValue(out_, v_);
  return out_;
}

const Column& RowCall::eval(const RecordBatch& in) {
  size_t n = in.size();
  std::vector<const Column*> cols;
  cols.reserve(args_.size());
  for (auto& a : args_) cols.push_back(&a->eval(in));
  out_.clear();
  row_.resize(args_.size());
  for (size_t r = 0; r < n; ++r) {
    bool any_null = false;
    for (size_t k = 0; k < cols.size(); ++k) {
      row_[k] = valueAt(*cols[k], r);
      any_null |= row_[k].null;
    }
    if (strict_ && any_null) {
      out_.appendNull();
    } else {
      appendValue(out_, fn_(row_));
    }
  }
  return out_;
}

ExprP RowCall::cloneWith(const InputMap& m) const {
  return std::make_unique<RowCall>(name_, type_, cloneAll(args_, m), fn_, strict_);
}

std::string RowCall::toString() const {
  // The constructors and element access print as they are written: ARRAY[1, 2], a[1].
  if (name_ == "ITEM" && args_.size() == 2) return args_[0]->toString() + "[" + args_[1]->toString() + "]";
  if (!name_.empty() && name_[0] == '.' && args_.size() == 1) return args_[0]->toString() + name_;  // A ROW's field.
  if (name_ == "ARRAY" || name_ == "MAP") {
    std::string s = name_ + "[";
    for (size_t i = 0; i < args_.size(); ++i) s += (i ? ", " : "") + args_[i]->toString();
    return s + "]";
  }
  return callText(name_, args_);
}

const char* binaryOpName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "MOD";
    case BinaryOp::kEq: return "=";
    case BinaryOp::kNe: return "<>";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLe: return "<=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGe: return ">=";
  }
  return "?";
}

namespace {

// `a` and `b` are vectors, or StringVectors (whose rows compare as string_views).
template <typename V, typename R, typename F>
void loop(const V& a, const V& b, std::vector<R>& out, size_t n, F f) {
  out.resize(n);
  for (size_t i = 0; i < n; ++i) out[i] = f(a[i], b[i]);
}

// Vectors: through pointers the compiler may assume do not alias the output, so the
// loop vectorizes.
template <typename T, typename R, typename F>
void loop(const std::vector<T>& a, const std::vector<T>& b, std::vector<R>& out, size_t n, F f) {
  out.resize(n);
  const T* pa = a.data();
  const T* pb = b.data();
  R* __restrict po = out.data();
  for (size_t i = 0; i < n; ++i) po[i] = f(pa[i], pb[i]);
}

// out = a | b over null flags, eight at a time (the loop of bytes does not vectorize
// on the baseline x86-64 target).
void orNulls(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, std::vector<uint8_t>& out, size_t n) {
  out.resize(n);
  const uint8_t* pa = a.data();
  const uint8_t* pb = b.data();
  uint8_t* po = out.data();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, pa + i, 8);
    std::memcpy(&y, pb + i, 8);
    x |= y;
    std::memcpy(po + i, &x, 8);
  }
  for (; i < n; ++i) po[i] = pa[i] | pb[i];
}

template <typename V>
void compare(BinaryOp op, const V& a, const V& b, std::vector<int64_t>& out, size_t n) {
  switch (op) {
    case BinaryOp::kEq: loop(a, b, out, n, [](const auto& x, const auto& y) -> int64_t { return x == y; }); break;
    case BinaryOp::kNe: loop(a, b, out, n, [](const auto& x, const auto& y) -> int64_t { return x != y; }); break;
    case BinaryOp::kLt: loop(a, b, out, n, [](const auto& x, const auto& y) -> int64_t { return x < y; }); break;
    case BinaryOp::kLe: loop(a, b, out, n, [](const auto& x, const auto& y) -> int64_t { return x <= y; }); break;
    case BinaryOp::kGt: loop(a, b, out, n, [](const auto& x, const auto& y) -> int64_t { return x > y; }); break;
    case BinaryOp::kGe: loop(a, b, out, n, [](const auto& x, const auto& y) -> int64_t { return x >= y; }); break;
    default: break;
  }
}

}  // namespace

const Column& BinaryCall::eval(const RecordBatch& in) {
  const Column& a = a_->eval(in);
  const Column& b = b_->eval(in);
  size_t n = in.size();
  orNulls(a.null, b.null, out_.null, n);
  bool cmp = op_ >= BinaryOp::kEq;
  if (cmp) {
    switch (a.storage) {
      case Storage::kInt64: compare(op_, a.i64, b.i64, out_.i64, n); break;
      case Storage::kDouble: compare(op_, a.f64, b.f64, out_.i64, n); break;
      case Storage::kString: compare(op_, a.str, b.str, out_.i64, n); break;
    }
    return out_;
  }
  if (a.storage == Storage::kDouble) {
    switch (op_) {
      case BinaryOp::kAdd: loop(a.f64, b.f64, out_.f64, n, [](double x, double y) { return x + y; }); break;
      case BinaryOp::kSub: loop(a.f64, b.f64, out_.f64, n, [](double x, double y) { return x - y; }); break;
      case BinaryOp::kMul: loop(a.f64, b.f64, out_.f64, n, [](double x, double y) { return x * y; }); break;
      case BinaryOp::kDiv: loop(a.f64, b.f64, out_.f64, n, [](double x, double y) { return x / y; }); break;
      case BinaryOp::kMod: loop(a.f64, b.f64, out_.f64, n, [](double x, double y) { return std::fmod(x, y); }); break;
      default: break;
    }
    return out_;
  }
  if (type_.id == TypeId::kDecimal) return evalDecimal(a, b, n);
  // int64: wraps like Java's long arithmetic; division by zero fails as in Flink.
  auto wrap = [](auto f) { return f; };
  switch (op_) {
    case BinaryOp::kAdd:
      loop(a.i64, b.i64, out_.i64, n, wrap([](int64_t x, int64_t y) {
             return static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y));
           }));
      break;
    case BinaryOp::kSub:
      loop(a.i64, b.i64, out_.i64, n, [](int64_t x, int64_t y) {
        return static_cast<int64_t>(static_cast<uint64_t>(x) - static_cast<uint64_t>(y));
      });
      break;
    case BinaryOp::kMul:
      loop(a.i64, b.i64, out_.i64, n, [](int64_t x, int64_t y) {
        return static_cast<int64_t>(static_cast<uint64_t>(x) * static_cast<uint64_t>(y));
      });
      break;
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      out_.i64.resize(n);
      for (size_t i = 0; i < n; ++i) {
        if (out_.null[i]) {
          out_.i64[i] = 0;
          continue;
        }
        int64_t y = b.i64[i];
        if (y == 0) throw EvalError("division by zero in " + toString());
        int64_t x = a.i64[i];
        if (y == -1) {
          out_.i64[i] = op_ == BinaryOp::kDiv ? static_cast<int64_t>(0ULL - static_cast<uint64_t>(x)) : 0;
        } else {
          out_.i64[i] = op_ == BinaryOp::kDiv ? x / y : x % y;
        }
      }
      break;
    default: break;
  }
  if (type_.id == TypeId::kInt || type_.id == TypeId::kSmallInt || type_.id == TypeId::kTinyInt) {
    for (size_t i = 0; i < n; ++i) out_.i64[i] = wrapToWidth(out_.i64[i], type_);
  }
  return out_;
}

namespace {

// Writes a batch's DECIMAL results of `type` into `out`, row by row in place, at
// either width; a row whose result failed or has more digits than the type is NULL
// (Flink's overflow), as is a row already NULL in `out`.
class DecimalResults {
 public:
  // `fits`: every result fits the type's precision (its operands' digits say so).
  DecimalResults(Column& out, const LogicalType& type, size_t n, bool fits)
      : out_(out), precision_(type.precision), fits_(fits) {
    out_.i64.resize(out_.storage == Storage::kInt64 ? n : 0);
    wide_ = out_.storage == Storage::kString ? out_.str.assignFixedWidth(n, kWideDecimalBytes) : nullptr;
  }
  void put(size_t r, Int128 v, bool ok) {
    if (out_.null[r] || !ok || (!fits_ && !fitsDecimalPrecision(v, precision_))) {
      out_.null[r] = 1;
      v = 0;
    }
    if (wide_) {
      writeWideDecimal(v, wide_ + r * kWideDecimalBytes);
    } else {
      out_.i64[r] = static_cast<int64_t>(v);
    }
  }

 private:
  Column& out_;
  int precision_;
  bool fits_;
  char* wide_;
};

}  // namespace

// DECIMAL arithmetic; the operands keep their own types (an integer counts as scale 0).
// Both in int64 at the result's scale (the product's for *) into an int64 result: a
// pass over the vectors with overflow flags, an overflowing row being past the result's
// precision (NULL). Otherwise row by row: int64 operands exactly in 128 bits where the
// result keeps their scale (as q1's `0.908 * price`), anything else by decimal.h.
const Column& BinaryCall::evalDecimal(const Column& a, const Column& b, size_t n) {
  const int sa = a_->type().scale, sb = b_->type().scale, s = type_.scale;
  const bool narrow_in = a.storage == Storage::kInt64 && b.storage == Storage::kInt64;
  const bool aligned = op_ == BinaryOp::kMul ? sa + sb == s : (op_ == BinaryOp::kAdd || op_ == BinaryOp::kSub) && sa == s && sb == s;
  if (narrow_in && aligned && out_.storage == Storage::kInt64) {
    out_.i64.resize(n);
    const int64_t* __restrict x_in = a.i64.data();
    const int64_t* __restrict y_in = b.i64.data();
    int64_t* __restrict r_out = out_.i64.data();
    uint8_t* nulls = out_.null.data();
    switch (op_) {
      case BinaryOp::kAdd:
        for (size_t i = 0; i < n; ++i) nulls[i] |= __builtin_add_overflow(x_in[i], y_in[i], &r_out[i]);
        break;
      case BinaryOp::kSub:
        for (size_t i = 0; i < n; ++i) nulls[i] |= __builtin_sub_overflow(x_in[i], y_in[i], &r_out[i]);
        break;
      default:
        for (size_t i = 0; i < n; ++i) nulls[i] |= __builtin_mul_overflow(x_in[i], y_in[i], &r_out[i]);
        break;
    }
    return out_;
  }
  const bool add = op_ == BinaryOp::kAdd || op_ == BinaryOp::kSub;
  const bool in_128 = narrow_in && (add ? s == std::max(sa, sb) : op_ == BinaryOp::kMul && aligned);
  // The exact 128-bit results below have at most the digits of the operands' integer
  // parts (plus a carry) and the result's scale; an integer operand counts as DECIMAL(19).
  auto digits = [](const LogicalType& t) { return t.id == TypeId::kDecimal ? t.precision : 19; };
  const int pa = digits(a_->type()), pb = digits(b_->type());
  const int most_digits = add ? std::max(pa - sa, pb - sb) + 1 + s : pa + pb;
  DecimalResults results(out_, type_, n, in_128 && most_digits <= type_.precision);
  auto put = [&](size_t r, Int128 v, bool ok) { results.put(r, v, ok); };
  if (in_128) {
    const int64_t* x = a.i64.data();
    const int64_t* y = b.i64.data();
    const Int128 fa = add ? powerOfTen128(s - sa) : 1, fb = add ? powerOfTen128(s - sb) : 1;
    switch (op_) {
      case BinaryOp::kAdd:
        for (size_t r = 0; r < n; ++r) put(r, x[r] * fa + y[r] * fb, true);
        break;
      case BinaryOp::kSub:
        for (size_t r = 0; r < n; ++r) put(r, x[r] * fa - y[r] * fb, true);
        break;
      default:
        for (size_t r = 0; r < n; ++r) put(r, static_cast<Int128>(x[r]) * y[r], true);
        break;
    }
    return out_;
  }
  for (size_t r = 0; r < n; ++r) {
    Int128 v = 0;
    bool ok = true;
    if (!out_.null[r]) {
      const Int128 x = unscaledAt(a, r), y = unscaledAt(b, r);
      switch (op_) {
        case BinaryOp::kAdd: ok = addDecimal(x, sa, y, sb, s, &v); break;
        case BinaryOp::kSub: ok = addDecimal(x, sa, -y, sb, s, &v); break;
        case BinaryOp::kMul: ok = multiplyDecimal(x, sa, y, sb, s, &v); break;
        default:
          if (y == 0) throw EvalError("division by zero in " + toString());
          ok = op_ == BinaryOp::kDiv ? divideDecimal(x, sa, y, sb, s, &v) : modDecimal(x, sa, y, sb, s, &v);
          break;
      }
    }
    put(r, v, ok);
  }
  return out_;
}

const Column& LogicalCall::eval(const RecordBatch& in) {
  size_t n = in.size();
  if (op_ == Op::kNot) {
    const Column& a = args_[0]->eval(in);
    out_.i64.resize(n);
    out_.null.assign(a.null.begin(), a.null.end());
    for (size_t i = 0; i < n; ++i) out_.i64[i] = a.i64[i] == 0;
    return out_;
  }
  // Three-valued: AND is false if any is false, else null if any is null, else true.
  bool is_and = op_ == Op::kAnd;
  out_.i64.assign(n, is_and ? 1 : 0);
  out_.null.assign(n, 0);
  for (auto& arg : args_) {
    const Column& c = arg->eval(in);
    for (size_t i = 0; i < n; ++i) {
      if (c.null[i]) {
        if (out_.i64[i] == (is_and ? 1 : 0)) out_.null[i] = 1;
      } else if ((c.i64[i] != 0) != is_and) {
        // A definite false for AND (true for OR) decides the row.
        out_.i64[i] = is_and ? 0 : 1;
        out_.null[i] = 0;
      }
    }
  }
  return out_;
}

namespace {
std::atomic<const Clock*> sql_clock{nullptr};
}  // namespace

void setSqlClock(const Clock* clock) { sql_clock.store(clock); }

const Clock& sqlClock() {
  const Clock* clock = sql_clock.load();
  return clock ? *clock : static_cast<const Clock&>(SystemClock::instance());
}

namespace {
thread_local int64_t tl_current_watermark = INT64_MIN;
}  // namespace

void setCurrentWatermark(int64_t watermark) { tl_current_watermark = watermark; }

const Column& NowCall::eval(const RecordBatch& in) {
  if (what_ == What::kCurrentWatermark) {
    const bool none = tl_current_watermark == INT64_MIN;
    out_.i64.assign(in.size(), none ? 0 : tl_current_watermark);
    out_.null.assign(in.size(), none ? 1 : 0);
    return out_;
  }
  const int64_t instant = sqlClock().currentTimeMillis();
  // PROCTIME() and CURRENT_TIMESTAMP are instants; the others the session's wall clock.
  const bool zoned = what_ == What::kProcTime || what_ == What::kCurrentTimestamp;
  const int64_t now = zoned ? instant : sessionTimeZone().toLocal(instant);
  int64_t v = what_ == What::kCurrentDate ? floorDays(now) : now;
  if (what_ == What::kLocalTime) v = now - floorDays(now) * 86400000;  // Milliseconds of the day (TIME(0): seconds).
  if (what_ == What::kLocalTime) v -= v % 1000;
  out_.i64.assign(in.size(), v);
  out_.null.assign(in.size(), 0);
  return out_;
}

const Column& FilterThen::eval(const RecordBatch& in) {
  const size_t n = in.size();
  const Column& a = first_->eval(in);
  rows_.clear();
  for (size_t r = 0; r < n; ++r) {
    if (!a.null[r] && a.i64[r] != 0) rows_.push_back(static_cast<uint32_t>(r));
  }
  out_.clear();
  out_.i64.assign(n, 0);
  out_.null.assign(n, 0);
  if (rows_.empty()) return out_;
  const RecordBatch* src = &in;
  if (rows_.size() < n) {
    selected_.selectFrom(in, rows_);
    src = &selected_;
  }
  const Column& b = second_->eval(*src);
  for (size_t k = 0; k < rows_.size(); ++k) out_.i64[rows_[k]] = !b.null[k] && b.i64[k] != 0;
  return out_;
}

ExprP LogicalCall::cloneWith(const InputMap& m) const { return std::make_unique<LogicalCall>(op_, cloneAll(args_, m)); }

std::string LogicalCall::toString() const {
  return callText(op_ == Op::kAnd ? "AND" : op_ == Op::kOr ? "OR" : "NOT", args_);
}

const Column& CaseCall::eval(const RecordBatch& in) {
  constexpr uint32_t kNone = UINT32_MAX;
  const size_t n = in.size();
  cols_.clear();
  for (auto& a : args_) cols_.push_back(&a->eval(in));
  const size_t whens = cols_.size() / 2;
  const uint32_t otherwise = cols_.size() % 2 == 1 ? static_cast<uint32_t>(cols_.size() - 1) : kNone;
  // First which argument each row takes (the value after its first true condition, the
  // ELSE, or none), then the values, a column at a time.
  pick_.assign(n, otherwise);
  for (size_t r = 0; r < n; ++r) {
    for (size_t k = 0; k < whens; ++k) {
      const Column& cond = *cols_[2 * k];
      if (!cond.null[r] && cond.i64[r] != 0) {
        pick_[r] = static_cast<uint32_t>(2 * k + 1);
        break;
      }
    }
  }
  // One branch for the whole batch (a view's CASE over a filtered scan): its column.
  if (n > 0 && pick_[0] != kNone && std::all_of(pick_.begin(), pick_.end(), [&](uint32_t p) { return p == pick_[0]; })) {
    out_ = *cols_[pick_[0]];
    return out_;
  }
  out_.clear();
  if (out_.storage == Storage::kString) {
    for (size_t r = 0; r < n; ++r) {
      if (pick_[r] == kNone) {
        out_.appendNull();
      } else {
        out_.appendFrom(*cols_[pick_[r]], r);
      }
    }
    return out_;
  }
  out_.null.resize(n);
  const bool ints = out_.storage == Storage::kInt64;
  if (ints) {
    out_.i64.resize(n);
  } else {
    out_.f64.resize(n);
  }
  for (size_t r = 0; r < n; ++r) {
    if (pick_[r] == kNone) {
      out_.null[r] = 1;
      if (ints) {
        out_.i64[r] = 0;
      } else {
        out_.f64[r] = 0;
      }
      continue;
    }
    const Column& from = *cols_[pick_[r]];
    out_.null[r] = from.null[r];
    if (ints) {
      out_.i64[r] = from.i64[r];
    } else {
      out_.f64[r] = from.f64[r];
    }
  }
  return out_;
}

ExprP CaseCall::cloneWith(const InputMap& m) const { return std::make_unique<CaseCall>(type_, cloneAll(args_, m)); }

ExprP CaseCall::withConstantConditionsDecided() const {
  std::vector<ExprP> kept;
  const size_t whens = args_.size() / 2;
  for (size_t k = 0; k < whens; ++k) {
    const Expression& cond = *args_[2 * k];
    std::optional<bool> truth;
    if (isConstant(cond)) {
      RecordBatch one;
      one.kinds.push_back(RowKind::kInsert);
      try {
        const ExprP copy = cond.clone();  // eval() is not const; the copy owns the result.
        const Column& c = copy->eval(one);
        truth = !c.null[0] && c.i64[0] != 0;
      } catch (const EvalError&) {
        // Left to fail where the row reaches it, as it did.
      }
    }
    if (truth == false) continue;  // Never taken.
    if (truth == true) {           // Taken by every row that gets here: the ELSE.
      if (kept.empty()) return args_[2 * k + 1]->clone();
      kept.push_back(args_[2 * k + 1]->clone());
      return std::make_unique<CaseCall>(type_, std::move(kept));
    }
    kept.push_back(cond.clone());
    kept.push_back(args_[2 * k + 1]->clone());
  }
  const bool has_else = args_.size() % 2 == 1;
  if (kept.empty()) return has_else ? args_.back()->clone() : std::make_unique<Literal>(Value::nullValue(), type_, "NULL");
  if (has_else) kept.push_back(args_.back()->clone());
  return std::make_unique<CaseCall>(type_, std::move(kept));
}

std::string CaseCall::toString() const { return callText("CASE", args_); }

const Column& IsCall::eval(const RecordBatch& in) {
  const Column& a = arg_->eval(in);
  size_t n = in.size();
  out_.i64.resize(n);
  out_.null.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    bool null = a.null[i] != 0;
    bool truth = !null && a.storage == Storage::kInt64 && a.i64[i] != 0;
    bool r = false;
    switch (what_) {
      case What::kNull: r = null; break;
      case What::kNotNull: r = !null; break;
      case What::kTrue: r = truth; break;
      case What::kNotTrue: r = !truth; break;
      case What::kFalse: r = !null && !truth; break;
      case What::kNotFalse: r = null || truth; break;
    }
    out_.i64[i] = r;
  }
  return out_;
}

std::string IsCall::toString() const {
  static const char* kNames[] = {"IS NULL", "IS NOT NULL", "IS TRUE", "IS NOT TRUE", "IS FALSE", "IS NOT FALSE"};
  return std::string(kNames[static_cast<int>(what_)]) + "(" + arg_->toString() + ")";
}

namespace {



// Java's narrowing of a double (Flink's generated `(long) d`, `(int) d`, `(short) d`):
// NaN is 0, and out of range saturates at the long's or int's bounds; SMALLINT and
// TINYINT then keep the int's low bits, as `(short) d` goes through an int.
int64_t javaDoubleToInteger(double d, const LogicalType& to) {
  if (std::isnan(d)) return 0;
  const bool wide = to.id == TypeId::kBigInt;
  const double lo = wide ? -9223372036854775808.0 : -2147483648.0;
  const double hi = wide ? 9223372036854775807.0 : 2147483647.0;
  if (d <= lo) return wide ? INT64_MIN : wrapToWidth(INT32_MIN, to);
  if (d >= hi) return wide ? INT64_MAX : wrapToWidth(INT32_MAX, to);
  return wrapToWidth(static_cast<int64_t>(d), to);
}

bool parseBool(std::string s, int64_t& out) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  // Flink's (and Spark's) spellings of the two values.
  if (s == "true" || s == "t" || s == "yes" || s == "y" || s == "1") {
    out = 1;
    return true;
  }
  if (s == "false" || s == "f" || s == "no" || s == "n" || s == "0") {
    out = 0;
    return true;
  }
  return false;
}

}  // namespace

std::string toText(const Value& v, const LogicalType& t) { return formatValue(v, t); }


bool castValue(const Value& in, const LogicalType& from, const LogicalType& to, Value& out, std::string* error) {
  out = Value();
  if (in.null) return true;
  out.null = false;
  auto fail = [&](const std::string& why) {
    if (error) *error = why;
    out = Value();
    return false;
  };
  if (to.isString()) {
    // Bytes decode as UTF-8 (a malformed sequence becomes U+FFFD, as Java's String does).
    std::string s = from.id == TypeId::kNull ? "" : from.isBinary() ? utf8Repair(in.s) : castToText(in, from);
    // VARCHAR(n) keeps n characters; CHAR(n) is padded to n with spaces.
    if (to.precision > 0 && s.size() > static_cast<size_t>(to.precision)) {  // More bytes than characters allowed.
      s.resize(utf8Offset(s, static_cast<size_t>(to.precision)));
    }
    if (to.id == TypeId::kChar) {
      const size_t length = utf8Length(s);
      if (length < static_cast<size_t>(to.precision)) s.append(static_cast<size_t>(to.precision) - length, ' ');
    }
    out.s = std::move(s);
    return true;
  }
  // Flink refuses these casts, pointing at the functions that do the conversion.
  if (from.isTimestamp() && (to.isNumeric() || to.id == TypeId::kBoolean)) {
    return fail(from.id == TypeId::kTimestamp
                    ? "The cast from TIMESTAMP type to NUMERIC type is not allowed. It's recommended to use "
                      "UNIX_TIMESTAMP(CAST(timestamp_col AS STRING)) instead."
                    : "The cast from TIMESTAMP_LTZ type to NUMERIC type is not allowed.");
  }
  if (to.id == TypeId::kTimestamp && (from.isNumeric() || from.id == TypeId::kBoolean)) {
    return fail("The cast from NUMERIC type to TIMESTAMP type is not allowed. It's recommended to use "
                "TO_TIMESTAMP(FROM_UNIXTIME(numeric_col)) instead.");
  }
  if ((from.id == TypeId::kDate || from.id == TypeId::kTime) && (to.isNumeric() || to.id == TypeId::kBoolean)) {
    return fail("cannot cast " + from.toString() + " to " + to.toString());
  }
  if (to.isBinary() || from.isBinary()) {
    // Text converts to its UTF-8 bytes; nothing else converts to or from bytes.
    if (!to.isBinary() || (!from.isBinary() && !from.isString())) {
      return fail("cannot cast " + from.toString() + " to " + to.toString());
    }
    std::string b = in.s;
    // VARBINARY(n) keeps n bytes; BINARY(n) is padded to n with zero bytes.
    if (b.size() > static_cast<size_t>(to.precision)) b.resize(static_cast<size_t>(to.precision));
    if (to.id == TypeId::kBinary) b.resize(static_cast<size_t>(to.precision), '\0');
    out.s = std::move(b);
    return true;
  }
  if (from.isString()) {
    const std::string& s = in.s;
    std::string trimmed = s;
    while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.pop_back();
    size_t start = 0;
    while (start < trimmed.size() && std::isspace(static_cast<unsigned char>(trimmed[start]))) ++start;
    trimmed = trimmed.substr(start);
    const std::string bad = "cannot cast '" + s + "' to " + to.plain().withNullable(true).toString();
    switch (to.id) {
      case TypeId::kBoolean:
        if (!parseBool(trimmed, out.i)) return fail(bad);
        return true;
      case TypeId::kTinyInt:
      case TypeId::kSmallInt:
      case TypeId::kInt:
      case TypeId::kBigInt: {
        if (trimmed.empty()) return fail(bad);
        char* end = nullptr;
        errno = 0;
        long long v = std::strtoll(trimmed.c_str(), &end, 10);
        if (*end != '\0' || errno != 0 || wrapToWidth(v, to) != v) return fail(bad);
        out.i = v;
        return true;
      }
      case TypeId::kFloat:
      case TypeId::kDouble: {
        if (trimmed.empty()) return fail(bad);
        char* end = nullptr;
        out.d = std::strtod(trimmed.c_str(), &end);
        if (*end != '\0') return fail(bad);
        return true;
      }
      case TypeId::kDecimal: {
        Int128 scaled = 0;
        if (!parseDecimal(trimmed, to.scale, scaled)) return fail(bad);
        out = decimalValue(scaled, to);  // Past its precision: NULL, as Flink's.
        return true;
      }
      case TypeId::kDate:
        if (!parseDate(trimmed, out.i)) return fail(bad);
        return true;
      case TypeId::kTime:
        if (!parseTime(trimmed, out.i)) return fail(bad);
        return true;
      case TypeId::kTimestamp:
      case TypeId::kTimestampLtz:
        if (!parseTimestamp(trimmed, out.i, to.precision)) return fail(bad);
        if (to.id == TypeId::kTimestampLtz) out.i = localToInstant(out.i, to.precision);  // Text is wall-clock time.
        return true;
      default:
        return fail(bad);
    }
  }
  switch (to.id) {
    case TypeId::kBoolean:
      if (from.storage() == Storage::kDouble) {
        out.i = in.d != 0;
      } else if (from.id == TypeId::kDecimal) {
        out.i = unscaledOf(in, from) != 0;
      } else {
        out.i = in.i != 0;
      }
      return true;
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt:
      if (from.storage() == Storage::kDouble) {
        out.i = javaDoubleToInteger(in.d, to);
      } else if (from.id == TypeId::kDecimal) {
        out.i = wrapToWidth(static_cast<int64_t>(unscaledOf(in, from) / powerOfTen128(from.scale)), to);
      } else {
        out.i = wrapToWidth(in.i, to);
      }
      return true;
    case TypeId::kFloat:
    case TypeId::kDouble:
      out.d = asDouble(in, from);
      if (to.id == TypeId::kFloat) out.d = static_cast<float>(out.d);
      return true;
    case TypeId::kDecimal: {
      // As Flink's DecimalDataUtils: a DOUBLE goes through its shortest text
      // (BigDecimal.valueOf), then everything rounds half up to the scale; past the
      // precision (or NaN, infinite) the result is NULL.
      Int128 scaled = 0;
      bool ok = false;
      if (from.id == TypeId::kDecimal) {
        ok = rescaleDecimal(unscaledOf(in, from), from.scale, to.scale, &scaled);
      } else if (from.storage() == Storage::kDouble) {
        ok = std::isfinite(in.d) && parseDecimal(formatValue(in, LogicalType::doubleType()), to.scale, scaled);
      } else {
        ok = rescaleDecimal(in.i, 0, to.scale, &scaled);
      }
      out = ok ? decimalValue(scaled, to) : Value();
      return true;
    }
    case TypeId::kDate:
      if (from.isTimestamp()) {
        out.i = floorDays(wallClockMillis(in.i, from));
        return true;
      }
      if (from.id == TypeId::kDate) {
        out.i = in.i;
        return true;
      }
      break;
    case TypeId::kTime:
      if (from.isTimestamp()) {
        out.i = floorMod(wallClockMillis(in.i, from), 86400000);
        return true;
      }
      if (from.id == TypeId::kTime) {
        out.i = in.i;
        return true;
      }
      break;
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz: {
      // TIMESTAMP and DATE are wall-clock times, TIMESTAMP_LTZ an instant: between them
      // the session time zone converts.
      const bool to_instant = to.id == TypeId::kTimestampLtz;
      if ((from.isTimestamp() || from.id == TypeId::kDate) &&
          !timestampFits(from.id == TypeId::kDate ? in.i * 86400000 : timestampToMillis(in.i, from.precision),
                         to.precision)) {
        return fail(formatValue(in, from) + " is out of the range of " + to.plain().withNullable(true).toString() +
                    " (1677-09-21 to 2262-04-11 past 6 digits)");
      }
      if (from.isTimestamp()) {
        const bool from_instant = from.id == TypeId::kTimestampLtz;
        const int64_t v = rescaleTimestamp(in.i, from.precision, to.precision);
        out.i = from_instant == to_instant ? v
                : to_instant               ? localToInstant(v, to.precision)
                                           : instantToLocal(v, to.precision);
        return true;
      }
      if (from.id == TypeId::kDate) {
        out.i = timestampFromMillis(in.i * 86400000, to.precision);
        if (to_instant) out.i = localToInstant(out.i, to.precision);
        return true;
      }
      if (from.isInteger() && to.id == TypeId::kTimestampLtz) {
        out.i = timestampFromMillis(in.i * 1000, to.precision);  // Flink: numeric to TIMESTAMP_LTZ is epoch seconds.
        return true;
      }
      break;
    }
    case TypeId::kIntervalDayTime:
    case TypeId::kIntervalYearMonth:
      if (from.id == to.id) {
        out.i = in.i;
        return true;
      }
      break;
    case TypeId::kArray:
      if (from.id == TypeId::kArray) {  // Element by element.
        std::vector<Value> elements = decodeArray(in.s, *from.element);
        for (Value& e : elements) {
          Value cast;
          if (!castValue(e, *from.element, *to.element, cast, error)) return fail(error ? *error : "");
          e = std::move(cast);
        }
        out.s = encodeArray(elements, *to.element);
        return true;
      }
      break;
    case TypeId::kRow:
      if (from.id == TypeId::kRow && from.fields->size() == to.fields->size()) {  // Field by field.
        std::vector<Value> fields = decodeRow(in.s, from);
        for (size_t i = 0; i < fields.size(); ++i) {
          Value cast;
          if (!castValue(fields[i], (*from.fields)[i].type, (*to.fields)[i].type, cast, error)) return fail(error ? *error : "");
          fields[i] = std::move(cast);
        }
        out.s = encodeRow(fields, to);
        return true;
      }
      break;
    case TypeId::kMap:
      if (from.id == TypeId::kMap) {
        MapEntries m = decodeMap(in.s, from);
        for (size_t i = 0; i < m.keys.size(); ++i) {
          Value k, v;
          if (!castValue(m.keys[i], *from.key, *to.key, k, error) ||
              !castValue(m.values[i], *from.element, *to.element, v, error)) {
            return fail(error ? *error : "");
          }
          m.keys[i] = std::move(k);
          m.values[i] = std::move(v);
        }
        out.s = encodeMap(m, to);
        return true;
      }
      break;
    default:
      break;
  }
  return fail("cannot cast " + from.toString() + " to " + to.toString());
}

bool parseFileText(const std::string& text, const LogicalType& t, Value& out, std::string* error) {
  if (t.isTimestamp() && !hasTimeOfDay(text)) {  // The formats' SQL timestamp format wants the time.
    if (error) *error = "not " + withArticle(t.plain().withNullable(true)) + ": '" + text + "'";
    out = Value();
    return false;
  }
  if (!t.isBinary()) return castValue(Value::ofString(text), LogicalType::string(), t, out, error);
  std::string bytes;
  if (!fromBase64(text, bytes)) {
    if (error) *error = "not base64: '" + text + "'";
    out = Value();
    return false;
  }
  return castValue(Value::ofString(std::move(bytes)), LogicalType::bytes(), t, out, error);
}

const Column& CastCall::eval(const RecordBatch& in) {
  const Column& a = arg_->eval(in);
  size_t n = in.size();
  out_.clear();
  const LogicalType& from = arg_->type();
  // Same storage and no conversion of meaning: copy.
  if (from.storage() == type_.storage() && from.id == type_.id && from.scale == type_.scale &&
      !(from.isTimestamp() && from.precision != type_.precision) &&
      !((type_.isString() || type_.isBinary() || type_.id == TypeId::kDecimal) && type_.precision < from.precision) &&
      !((type_.id == TypeId::kChar || type_.id == TypeId::kBinary) && type_.precision != from.precision) &&
      (!from.isCollection() || from.sameAs(type_))) {
    out_ = a;
    return out_;
  }
  // DECIMAL to DECIMAL (a sink's narrower precision, another scale): row by row on the
  // unscaled values, without a Value in between.
  if (from.id == TypeId::kDecimal && type_.id == TypeId::kDecimal) {
    out_.null = a.null;
    DecimalResults results(out_, type_, n, false);
    for (size_t r = 0; r < n; ++r) {
      Int128 v = a.null[r] ? 0 : unscaledAt(a, r);
      const bool ok = from.scale == type_.scale || a.null[r] || rescaleDecimal(v, from.scale, type_.scale, &v);
      results.put(r, v, ok);
    }
    return out_;
  }
  // Widening an integer type, or an integer to DOUBLE: vectorized, nothing can fail.
  auto rank = [](TypeId id) {
    return id == TypeId::kTinyInt ? 1 : id == TypeId::kSmallInt ? 2 : id == TypeId::kInt ? 3 : 4;
  };
  if (from.isInteger() && type_.isInteger() && rank(type_.id) >= rank(from.id)) {
    out_ = a;
    return out_;
  }
  if (from.isInteger() && type_.id == TypeId::kDecimal && !isWideDecimal(type_)) {  // Scaled as castValue does.
    const int64_t scale = powerOfTen(type_.scale);
    // Digits the integer part may have: below 10^limit the value fits.
    const int digits = type_.precision - type_.scale;
    const int64_t limit = digits >= 19 ? INT64_MAX / scale : std::min(powerOfTen(digits), INT64_MAX / scale);
    out_.i64.resize(n);
    out_.null = a.null;
    for (size_t r = 0; r < n; ++r) {
      const int64_t x = a.i64[r];
      if ((x >= limit || x <= -limit) && !a.null[r]) {
        const Value v = decimalValue(static_cast<Int128>(x) * scale, type_);
        out_.i64[r] = v.i;
        out_.null[r] = v.null;
        continue;
      }
      out_.i64[r] = static_cast<int64_t>(static_cast<uint64_t>(x) * static_cast<uint64_t>(scale));
    }
    return out_;
  }
  if (from.isInteger() && (type_.id == TypeId::kDouble || type_.id == TypeId::kFloat)) {
    out_.f64.resize(n);
    for (size_t r = 0; r < n; ++r) out_.f64[r] = static_cast<double>(a.i64[r]);
    out_.null = a.null;
    return out_;
  }
  Value v;
  std::string error;
  for (size_t r = 0; r < n; ++r) {
    if (!castValue(valueAt(a, r), from, type_, v, &error)) {
      if (!try_) throw EvalError(error);
      v = Value();
    }
    appendValue(out_, v);
  }
  return out_;
}

}  // namespace eddy::sql
