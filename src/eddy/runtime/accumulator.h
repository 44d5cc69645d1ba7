#pragma once

#include <any>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "eddy/core/number_format.h"

namespace eddy::runtime {

/// Type-independent side of an accumulator, for the registry and the job result.
class AccumulatorBase {
 public:
  virtual ~AccumulatorBase() = default;
  virtual std::unique_ptr<AccumulatorBase> clone() const = 0;
  /// Adds `other` (an accumulator of the same class) into this one.
  virtual void mergeFrom(const AccumulatorBase& other) = 0;
  /// The local value, as the result type R of Accumulator<V, R>.
  virtual std::any value() const = 0;
  /// The value as Flink's CLI prints it, and the Java type it names there.
  virtual std::string toString() const = 0;
  virtual std::string typeName() const = 0;
};

/// Flink's Accumulator<V, R>: a function adds values of type V in each parallel
/// subtask; at the end of the job the subtasks' accumulators of one name are merged and
/// the result (type R) is in JobExecutionResult::getAccumulatorResult.
template <typename V, typename R, typename Self>
class Accumulator : public AccumulatorBase {
 public:
  using ValueType = V;
  using ResultType = R;
  virtual void add(V value) = 0;
  virtual R getLocalValue() const = 0;
  virtual void resetLocal() = 0;
  virtual void merge(const Self& other) = 0;

  std::unique_ptr<AccumulatorBase> clone() const override {
    return std::make_unique<Self>(static_cast<const Self&>(*this));
  }
  void mergeFrom(const AccumulatorBase& other) override { merge(static_cast<const Self&>(other)); }
  std::any value() const override { return getLocalValue(); }
};

/// Sums of int, long and double (Flink's IntCounter, LongCounter, DoubleCounter).
template <typename T, const char* kJavaType>
class SumCounter final : public Accumulator<T, T, SumCounter<T, kJavaType>> {
 public:
  SumCounter() = default;
  explicit SumCounter(T initial) : v_(initial) {}
  void add(T value) override { v_ += value; }
  T getLocalValue() const override { return v_; }
  void resetLocal() override { v_ = 0; }
  void merge(const SumCounter& other) override { v_ += other.v_; }
  std::string toString() const override {
    if constexpr (std::is_floating_point_v<T>) return formatJava(v_);
    return std::to_string(v_);
  }
  std::string typeName() const override { return kJavaType; }

 private:
  T v_ = 0;
};
inline constexpr char kJavaInteger[] = "java.lang.Integer";
inline constexpr char kJavaLong[] = "java.lang.Long";
inline constexpr char kJavaDouble[] = "java.lang.Double";
using IntCounter = SumCounter<int32_t, kJavaInteger>;
using LongCounter = SumCounter<int64_t, kJavaLong>;
using DoubleCounter = SumCounter<double, kJavaDouble>;

/// The mean of the added values (Flink's AverageAccumulator); 0 when none were added.
class AverageAccumulator final : public Accumulator<double, double, AverageAccumulator> {
 public:
  void add(double value) override {
    sum_ += value;
    ++count_;
  }
  double getLocalValue() const override { return count_ == 0 ? 0.0 : sum_ / static_cast<double>(count_); }
  void resetLocal() override {
    sum_ = 0;
    count_ = 0;
  }
  void merge(const AverageAccumulator& other) override {
    sum_ += other.sum_;
    count_ += other.count_;
  }
  std::string toString() const override { return formatJava(getLocalValue()); }
  std::string typeName() const override { return kJavaDouble; }

 private:
  double sum_ = 0;
  int64_t count_ = 0;
};

/// How often each int was added (Flink's Histogram).
class Histogram final : public Accumulator<int32_t, std::map<int32_t, int32_t>, Histogram> {
 public:
  void add(int32_t value) override { ++counts_[value]; }
  std::map<int32_t, int32_t> getLocalValue() const override { return counts_; }
  void resetLocal() override { counts_.clear(); }
  void merge(const Histogram& other) override {
    for (const auto& [k, n] : other.counts_) counts_[k] += n;
  }
  std::string toString() const override {
    std::string s = "{";
    for (const auto& [k, n] : counts_) s += (s.size() > 1 ? ", " : "") + std::to_string(k) + "=" + std::to_string(n);
    return s + "}";
  }
  std::string typeName() const override { return "java.util.TreeMap"; }

 private:
  std::map<int32_t, int32_t> counts_;
};

/// The accumulators registered by the functions of one task, by name. The functions own
/// them; the registry reads them when the task has finished.
/// Thread: the task thread registers; the job reads after the task thread ended.
class AccumulatorRegistry {
 public:
  /// Flink: a name can be registered once per task.
  void add(const std::string& name, AccumulatorBase* accumulator) {
    if (!entries_.emplace(name, accumulator).second) {
      throw std::logic_error("The accumulator '" + name + "' already exists and cannot be added.");
    }
  }
  AccumulatorBase* get(const std::string& name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : it->second;
  }
  /// Registers an accumulator the registry owns (getIntCounter and friends), or returns
  /// the one of that name when it has the same class.
  template <typename A>
  A& getOrCreate(const std::string& name) {
    if (AccumulatorBase* a = get(name)) {
      if (typeid(*a) != typeid(A)) {
        throw std::logic_error("The accumulator '" + name + "' was registered with another type.");
      }
      return static_cast<A&>(*a);
    }
    auto owned = std::make_unique<A>();
    A& ref = *owned;
    add(name, owned.get());
    owned_.push_back(std::move(owned));
    return ref;
  }
  const std::map<std::string, AccumulatorBase*>& entries() const { return entries_; }

 private:
  std::map<std::string, AccumulatorBase*> entries_;
  std::vector<std::unique_ptr<AccumulatorBase>> owned_;
};

}  // namespace eddy::runtime
