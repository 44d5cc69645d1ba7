#pragma once

#include <string>
#include <vector>

namespace eddy::tools {

/// `eddy sql [-f FILE]`: returns the process exit code (0 ok, 1 a failed statement,
/// 2 bad usage).
int runSql(const std::vector<std::string>& args);

}  // namespace eddy::tools
