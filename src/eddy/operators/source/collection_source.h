#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "eddy/operators/source/rate_limiter.h"
#include "eddy/operators/source/source.h"

namespace eddy::operators {

/// A bounded source over a fixed list of elements (fromElements/fromCollection); one
/// split, read by subtask 0.
template <typename T>
class CollectionSource final : public Source<T> {
 public:
  explicit CollectionSource(std::vector<T> elements)
      : elements_(std::make_shared<const std::vector<T>>(std::move(elements))) {}
  bool isBounded() const override { return true; }
  Result<std::vector<std::unique_ptr<SplitReader<T>>>> createReaders(int subtask, int, const Clock&) override {
    std::vector<std::unique_ptr<SplitReader<T>>> readers;
    if (subtask == 0) readers.push_back(std::make_unique<Reader>(elements_, 0));
    return readers;
  }
  /// The split is "collection", its position the index of the next element.
  Result<std::vector<std::unique_ptr<SplitReader<T>>>> restoreReaders(const std::vector<SplitState>& splits, int,
                                                                      const Clock&) override {
    std::vector<std::unique_ptr<SplitReader<T>>> readers;
    for (const SplitState& st : splits) {
      EDDY_ASSIGN_OR_RETURN(int64_t next, parsePosition(st));
      readers.push_back(std::make_unique<Reader>(elements_, static_cast<size_t>(next)));
    }
    return readers;
  }

 private:
  static Result<int64_t> parsePosition(const SplitState& st) {
    char* end = nullptr;
    long long v = std::strtoll(st.position.c_str(), &end, 10);
    if (st.split != "collection" || end == st.position.c_str() || *end != '\0' || v < 0) {
      return Status::invalidArgument("not a collection split: \"" + st.split + "\" at \"" + st.position + "\"");
    }
    return static_cast<int64_t>(v);
  }

  class Reader final : public SplitReader<T> {
   public:
    Reader(std::shared_ptr<const std::vector<T>> e, size_t next) : elements_(std::move(e)), next_(next) {}
    Result<ReadStatus> pollNext(ReaderOutput<T>& out, int max_records) override {
      for (int n = 0; n < max_records && next_ < elements_->size(); ++n) out.collect((*elements_)[next_++]);
      return next_ < elements_->size() ? ReadStatus::kMoreAvailable : ReadStatus::kEndOfInput;
    }
    Result<SplitState> snapshotSplit() const override { return SplitState{"collection", std::to_string(next_)}; }

   private:
    std::shared_ptr<const std::vector<T>> elements_;
    size_t next_;
  };
  std::shared_ptr<const std::vector<T>> elements_;
};

/// Generates `count` records from their index, `generator(i)` for i in [0, count),
/// split evenly over the subtasks (Flink's DataGeneratorSource). Unbounded when count
/// < 0. With `records_per_second > 0` the whole source is throttled to about that rate
/// in processing time (Flink's RateLimiterStrategy.perSecond).
template <typename T>
class GeneratorSource final : public Source<T> {
 public:
  using Generator = std::function<T(int64_t)>;
  GeneratorSource(Generator g, int64_t count, double records_per_second = 0)
      : g_(std::move(g)), count_(count), rate_(records_per_second) {}
  bool isBounded() const override { return count_ >= 0; }
  Result<std::vector<std::unique_ptr<SplitReader<T>>>> createReaders(int subtask, int parallelism,
                                                                     const Clock& clock) override {
    int64_t total = count_ < 0 ? INT64_MAX : count_;
    int64_t begin = total / parallelism * subtask + std::min<int64_t>(subtask, total % parallelism);
    int64_t end = begin + total / parallelism + (subtask < total % parallelism ? 1 : 0);
    std::vector<std::unique_ptr<SplitReader<T>>> readers;
    readers.push_back(std::make_unique<Reader>(g_, begin, end, rate_ / parallelism, &clock));
    return readers;
  }
  /// A split is "gen:<end>", its position the index of the next record.
  Result<std::vector<std::unique_ptr<SplitReader<T>>>> restoreReaders(const std::vector<SplitState>& splits,
                                                                      int parallelism, const Clock& clock) override {
    std::vector<std::unique_ptr<SplitReader<T>>> readers;
    for (const SplitState& st : splits) {
      char* end_of_end = nullptr;
      char* end_of_next = nullptr;
      long long end = st.split.rfind("gen:", 0) == 0 ? std::strtoll(st.split.c_str() + 4, &end_of_end, 10) : -1;
      long long next = std::strtoll(st.position.c_str(), &end_of_next, 10);
      if (end < 0 || *end_of_end != '\0' || *end_of_next != '\0' || next < 0 || next > end) {
        return Status::invalidArgument("not a generator split: \"" + st.split + "\" at \"" + st.position + "\"");
      }
      readers.push_back(std::make_unique<Reader>(g_, next, end, rate_ / parallelism, &clock));
    }
    return readers;
  }

 private:
  class Reader final : public SplitReader<T> {
   public:
    Reader(Generator g, int64_t begin, int64_t end, double rate, const Clock* clock)
        : g_(std::move(g)), next_(begin), end_(end), limiter_(rate, clock) {}
    Status open() override {
      limiter_.start();
      return Status::ok();
    }
    Result<ReadStatus> pollNext(ReaderOutput<T>& out, int max_records) override {
      int64_t n = limiter_.allowance(std::min<int64_t>(max_records, end_ - next_));
      if (n == 0 && next_ < end_) return ReadStatus::kNothingAvailable;
      for (int64_t stop = next_ + n; next_ < stop; ++next_) out.collect(g_(next_));
      limiter_.emitted(n);
      return next_ >= end_ ? ReadStatus::kEndOfInput : ReadStatus::kMoreAvailable;
    }
    Timestamp nextAvailableTime() const override { return limiter_.nextAvailableTime(); }
    Result<SplitState> snapshotSplit() const override {
      return SplitState{"gen:" + std::to_string(end_), std::to_string(next_)};
    }

   private:
    Generator g_;
    int64_t next_, end_;
    RateLimiter limiter_;
  };
  Generator g_;
  int64_t count_;
  double rate_;
};

}  // namespace eddy::operators
