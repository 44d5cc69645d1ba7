// The eddy command: one binary for every role. Today it drives running jobs through
// their REST API, as Flink's CLI does (savepoint, stop, cancel, list); later issues add
// sql, jobmanager and taskmanager.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "eddy/core/allocator.h"
#include "eddy/rest/rest_client.h"
#include "tools/sql_command.h"

namespace {

constexpr const char* kVersion = "0.1.0";

void printHelp() {
  std::printf(
      "eddy %s - a stream processor in the lineage of Apache Flink\n"
      "\n"
      "usage: eddy [--help] [--version] <command> [args]\n"
      "\n"
      "commands (as Flink's CLI; -m/--jobmanager HOST:PORT, default localhost:8081):\n"
      "  list                                   the jobs the REST API serves\n"
      "  savepoint <jobId> <targetDirectory>    take a savepoint of a running job\n"
      "  stop [-p|--savepointPath DIR] <jobId>  stop a job with a savepoint\n"
      "  cancel <jobId>                         cancel a job\n"
      "  sql [-f FILE.sql]                      run Flink SQL in local mode (see docs/sql.md)\n"
      "  version                                print the version\n"
      "\n"
      "DataStream jobs are C++ programs linked against the Eddy library; they run in\n"
      "local mode (the embedded default) when executed, and serve the REST API with\n"
      "--rest-port PORT (the examples do). See examples/ and docs/checkpoints.md.\n",
      kVersion);
}

/// The command's arguments after the command name: options and positionals.
struct Args {
  std::string host = "localhost";
  int port = 8081;
  std::string savepoint_path;
  std::vector<std::string> positional;
};

int usageError(const std::string& message) {
  std::fprintf(stderr, "eddy: %s (try 'eddy --help')\n", message.c_str());
  return 2;
}

bool parse(int argc, char** argv, Args& out, std::string& error) {
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&](std::string& into) {
      if (i + 1 >= argc) {
        error = "option " + a + " needs a value";
        return false;
      }
      into = argv[++i];
      return true;
    };
    if (a == "-m" || a == "--jobmanager") {
      std::string address;
      if (!next(address)) return false;
      size_t colon = address.rfind(':');
      if (colon == std::string::npos) {
        error = "option " + a + ": expected HOST:PORT, got \"" + address + "\"";
        return false;
      }
      out.host = address.substr(0, colon);
      char* end = nullptr;
      long port = std::strtol(address.c_str() + colon + 1, &end, 10);
      if (*end != '\0' || port <= 0 || port > 65535) {
        error = "option " + a + ": not a port: \"" + address.substr(colon + 1) + "\"";
        return false;
      }
      out.port = static_cast<int>(port);
    } else if (a == "-p" || a == "--savepointPath") {
      if (!next(out.savepoint_path)) return false;
    } else if (!a.empty() && a[0] == '-') {
      error = "unknown option " + a;
      return false;
    } else {
      out.positional.push_back(a);
    }
  }
  return true;
}

int fail(const eddy::Status& st) {
  std::fprintf(stderr, "eddy: %s\n", st.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  eddy::tuneAllocator();
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    printHelp();
    return 0;
  }
  std::string cmd = argv[1];
  if (cmd == "sql") {
    // Every error the SQL layers know is a Status; an exception reaching here is a bug,
    // reported as one rather than as an abort.
    try {
      return eddy::tools::runSql(std::vector<std::string>(argv + 2, argv + argc));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "eddy sql: internal error: %s\n", e.what());
      return 1;
    }
  }
  if (cmd == "--version" || cmd == "version") {
    std::printf("eddy %s\n", kVersion);
    return 0;
  }
  if (cmd != "list" && cmd != "savepoint" && cmd != "stop" && cmd != "cancel") {
    return usageError("unknown command '" + cmd + "'");
  }
  Args args;
  std::string error;
  if (!parse(argc, argv, args, error)) return usageError(error);
  eddy::rest::RestClient client(args.host, args.port);

  if (cmd == "list") {
    if (!args.positional.empty()) return usageError("list takes no arguments");
    auto jobs = client.listJobs();
    if (!jobs.isOk()) return fail(jobs.status());
    std::printf("------------------ Jobs ------------------\n");
    for (const auto& j : *jobs) std::printf("%s (%s)\n", j.id.c_str(), j.status.c_str());
    if (jobs->empty()) std::printf("No jobs.\n");
    std::printf("------------------------------------------\n");
    return 0;
  }
  if (args.positional.empty()) return usageError(cmd + " needs a job id");
  const std::string job = args.positional[0];
  if (cmd == "cancel") {
    if (args.positional.size() != 1) return usageError("cancel takes one job id");
    std::printf("Cancelling job %s.\n", job.c_str());
    eddy::Status st = client.cancel(job);
    if (!st.isOk()) return fail(st);
    std::printf("Cancelled job %s.\n", job.c_str());
    return 0;
  }
  eddy::Result<std::string> trigger = eddy::Status::internal("unset");
  if (cmd == "savepoint") {
    if (args.positional.size() != 2) return usageError("savepoint takes a job id and a target directory");
    std::printf("Triggering savepoint for job %s.\nWaiting for response...\n", job.c_str());
    trigger = client.triggerSavepoint(job, args.positional[1], /*cancel_job=*/false);
  } else {
    if (args.positional.size() != 1) return usageError("stop takes one job id");
    if (args.savepoint_path.empty()) return usageError("stop needs -p/--savepointPath DIR");
    std::printf("Suspending job \"%s\" with a savepoint.\n", job.c_str());
    trigger = client.stopWithSavepoint(job, args.savepoint_path);
  }
  if (!trigger.isOk()) return fail(trigger.status());
  std::fflush(stdout);
  auto path = client.waitForSavepoint(job, *trigger);
  if (!path.isOk()) return fail(path.status());
  std::printf("Savepoint completed. Path: %s\n", path->c_str());
  if (cmd == "savepoint") std::printf("You can resume your program from this savepoint with --from-savepoint.\n");
  return 0;
}
