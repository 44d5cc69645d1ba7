#pragma once

#include <vector>

#include "eddy/operators/window/evictor.h"
#include "eddy/runtime/stream_record.h"

namespace eddy::operators {

// How elements accumulate in a window's state. Each policy is a template parameter of
// the WindowOperator so adding an element is an inlined call.

/// reduce(f): the accumulator is the reduced element.
template <typename IN, typename F>
struct ReduceContents {
  using Acc = IN;
  F f;
  Acc create(const runtime::StreamRecord<IN>& r) const { return r.value; }
  void add(Acc& acc, const runtime::StreamRecord<IN>& r) const { acc = f(acc, r.value); }
  void merge(Acc& into, Acc&& from) const { into = f(into, from); }
};

/// aggregate(f): an AggregateFunction's accumulator.
template <typename IN, typename AggF>
struct AggregateContents {
  using Acc = typename AggF::AccumulatorType;
  AggF f;
  Acc create(const runtime::StreamRecord<IN>& r) const { return f.add(r.value, f.createAccumulator()); }
  void add(Acc& acc, const runtime::StreamRecord<IN>& r) const { acc = f.add(r.value, std::move(acc)); }
  void merge(Acc& into, Acc&& from) const { into = f.merge(std::move(into), from); }
};

/// process(...) and evicting windows: every element with its timestamp.
template <typename IN>
struct ListContents {
  using Acc = std::vector<runtime::StreamRecord<IN>>;
  Acc create(const runtime::StreamRecord<IN>& r) const { return Acc{r}; }
  void add(Acc& acc, const runtime::StreamRecord<IN>& r) const { acc.push_back(r); }
  void merge(Acc& into, Acc&& from) const {
    for (auto& r : from) into.push_back(std::move(r));
  }
};

/// A list of timestamped elements seen by an Evictor.
template <typename IN>
class ListEvictable final : public EvictableElements {
 public:
  explicit ListEvictable(std::vector<runtime::StreamRecord<IN>>* list) : list_(list) {}
  size_t size() const override { return list_->size(); }
  Timestamp timestamp(size_t i) const override { return (*list_)[i].timestamp; }
  const void* value(size_t i) const override { return &(*list_)[i].value; }
  void removeIf(const std::vector<bool>& remove) override {
    size_t out = 0;
    for (size_t i = 0; i < list_->size(); ++i) {
      if (!remove[i]) (*list_)[out++] = std::move((*list_)[i]);
    }
    list_->erase(list_->begin() + static_cast<std::ptrdiff_t>(out), list_->end());
  }

 private:
  std::vector<runtime::StreamRecord<IN>>* list_;
};

}  // namespace eddy::operators
