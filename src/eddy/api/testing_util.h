#pragma once

// Helpers for tests of jobs built with the DataStream API (test-only).

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "eddy/api/data_stream.h"
#include "eddy/operators/sinks.h"

namespace eddy::api::testing {

template <typename T>
std::vector<T> sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

/// Adds a collecting sink to `s`; the results are complete once execute() returns.
template <typename T>
std::shared_ptr<typename operators::CollectSink<T>::Results> collect(DataStream<T> s) {
  auto results = std::make_shared<typename operators::CollectSink<T>::Results>();
  s.addSink(operators::CollectSink<T>(results), "collect");
  return results;
}

/// An empty scratch directory path, unique to this process: `<tmp>/eddy_<name>_<pid>`,
/// removed first if a run left it behind (not created).
inline std::filesystem::path scratchDir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("eddy_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace eddy::api::testing
