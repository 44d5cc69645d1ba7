#pragma once

namespace eddy::state {

/// Flink's AggregateFunction: incremental aggregation through an accumulator.
/// An implementation must be copyable; each parallel instance gets its own copy.
template <typename IN, typename ACC, typename OUT>
class AggregateFunction {
 public:
  using InputType = IN;
  using AccumulatorType = ACC;
  using OutputType = OUT;
  virtual ~AggregateFunction() = default;
  virtual ACC createAccumulator() const = 0;
  virtual ACC add(const IN& value, ACC accumulator) const = 0;
  virtual OUT getResult(const ACC& accumulator) const = 0;
  virtual ACC merge(ACC a, const ACC& b) const = 0;
};

}  // namespace eddy::state
