#include "eddy/core/status.h"

#include <gtest/gtest.h>

namespace eddy {
namespace {

Result<int> parsePositive(int v) {
  if (v <= 0) return Status::invalidArgument("not positive: " + std::to_string(v));
  return v;
}

Result<int> doubled(int v) {
  EDDY_ASSIGN_OR_RETURN(int x, parsePositive(v));
  return 2 * x;
}

TEST(Status, CarriesCodeAndMessage) {
  Status s = Status::notFound("input.csv: no such file");
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.toString(), "NotFound: input.csv: no such file");
  EXPECT_EQ(Status::ok().toString(), "OK");
}

TEST(Result, PropagatesErrorsThroughAssignOrReturn) {
  EXPECT_EQ(doubled(4).value(), 8);
  Result<int> bad = doubled(-1);
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "not positive: -1");
}

}  // namespace
}  // namespace eddy
