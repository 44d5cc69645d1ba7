// The eddy command: one binary for every role. Later issues add subcommands (sql,
// jobmanager, taskmanager, savepoint).
#include <cstdio>
#include <cstring>
#include <string>

namespace {

constexpr const char* kVersion = "0.1.0";

void printHelp() {
  std::printf(
      "eddy %s - a stream processor in the lineage of Apache Flink\n"
      "\n"
      "usage: eddy [--help] [--version] <command> [args]\n"
      "\n"
      "commands:\n"
      "  version     print the version\n"
      "\n"
      "DataStream jobs are C++ programs linked against the Eddy library; they run in\n"
      "local mode (the embedded default) when executed. See examples/ and docs/.\n",
      kVersion);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    printHelp();
    return 0;
  }
  std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    std::printf("eddy %s\n", kVersion);
    return 0;
  }
  std::fprintf(stderr, "eddy: unknown command '%s' (try 'eddy --help')\n", cmd.c_str());
  return 2;
}
