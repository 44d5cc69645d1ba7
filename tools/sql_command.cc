// `eddy sql`: runs Flink SQL in local mode, from a file (-f) or typed statements.
#include "tools/sql_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "eddy/sql/table/table_environment.h"

namespace eddy::tools {

namespace {

// Result rows go to stdout; statement messages ("[INFO] ...") to stderr, so that
// stdout holds exactly the changelog.
class CliCollector final : public sql::ChangelogCollector {
 public:
  void line(const std::string& s) override {
    FILE* f = s.rfind("[INFO]", 0) == 0 ? stderr : stdout;
    std::string l = s + "\n";
    std::fwrite(l.data(), 1, l.size(), f);
  }
  void flush() override { std::fflush(stdout); }
};

int fail(const Status& st) {
  std::fflush(stdout);
  std::fprintf(stderr, "%s\n", st.message().c_str());
  return 1;
}

}  // namespace

int runSql(const std::vector<std::string>& args) {
  std::string file;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-f" || args[i] == "--file") && i + 1 < args.size()) {
      file = args[++i];
    } else if (args[i] == "--help" || args[i] == "-h") {
      std::printf(
          "usage: eddy sql [-f FILE.sql]\n"
          "  -f FILE   run the statements of FILE in order; a SELECT prints its changelog\n"
          "            (+I[...], -U[...], +U[...], -D[...]) to stdout and ends when its\n"
          "            bounded inputs end\n"
          "  without -f, statements are read from standard input, each ended by ';'\n");
      return 0;
    } else {
      std::fprintf(stderr, "eddy sql: unknown argument '%s' (see eddy sql --help)\n", args[i].c_str());
      return 2;
    }
  }
  sql::TableEnvironment env(std::make_shared<CliCollector>());
  std::string script;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) {
      std::fprintf(stderr, "eddy sql: cannot read '%s'\n", file.c_str());
      return 1;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    script = ss.str();
    Status st = env.executeScript(script);
    return st.isOk() ? 0 : fail(st);
  }
  // Statements from standard input: run each once its ';' arrives.
  std::string pending, line;
  int status = 0;
  while (std::getline(std::cin, line)) {
    pending += line + "\n";
    if (line.find(';') == std::string::npos) continue;
    Status st = env.executeScript(pending);
    if (!st.isOk()) status = fail(st);
    pending.clear();
  }
  if (pending.find_first_not_of(" \t\n") != std::string::npos) {
    Status st = env.executeScript(pending);
    if (!st.isOk()) status = fail(st);
  }
  return status;
}

}  // namespace eddy::tools
