#pragma once

#include <stdexcept>
#include <string>

namespace eddy::runtime {

/// A user function or operator threw: carries the operator's name and the cause, and
/// travels up the chain unchanged to the task, which turns it into the job's Status.
class OperatorFailure : public std::runtime_error {
 public:
  OperatorFailure(std::string operator_name, const std::string& cause)
      : std::runtime_error(cause), operator_name_(std::move(operator_name)) {}
  const std::string& operatorName() const { return operator_name_; }

 private:
  std::string operator_name_;
};

}  // namespace eddy::runtime
