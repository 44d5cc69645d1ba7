// The REST API of a local job and its client (what `eddy savepoint|stop|cancel|list`
// use), against a real server on 127.0.0.1 and a real running job.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "eddy/api/eddy.h"
#include "eddy/api/testing_util.h"
#include "eddy/rest/rest_client.h"
#include "eddy/rest/rest_server.h"

namespace eddy::rest {
namespace {

namespace fs = std::filesystem;

/// A long-running job (a slow source) that takes checkpoints, served over REST.
struct ServedJob {
  fs::path dir;
  api::StreamExecutionEnvironment env;
  std::unique_ptr<api::JobClient> client;
  RestServer server;
  int port = 0;

  explicit ServedJob(const std::string& name) : dir(api::testing::scratchDir(name)) {
    env.enableCheckpointing(50);
    env.getCheckpointConfig().setCheckpointStorage("file://" + (dir / "checkpoints").string());
    env.fromSource<int64_t>(std::make_shared<GeneratorSource<int64_t>>([](int64_t i) { return i; }, 10'000'000, 2000),
                            WatermarkStrategy<int64_t>::noWatermarks(), "numbers")
        .uid("numbers")
        .addSink(DiscardingSink<int64_t>(), "discard");
    client = env.executeAsync(name);
    server.addJob(name, client.get());
    Result<int> p = server.start("127.0.0.1", 0);
    EXPECT_TRUE(p.isOk()) << p.status().toString();
    port = p.isOk() ? *p : 0;
  }
  ~ServedJob() {
    server.stop();
    client.reset();  // Cancels the job if it still runs.
  }
};

TEST(RestApi, ListsTheJobTakesASavepointAndStopsItWithAnother) {
  ServedJob job("rest_savepoint");
  RestClient c("127.0.0.1", job.port);
  const std::string id = job.client->getJobID();
  ASSERT_EQ(id.size(), 32u);

  auto jobs = c.listJobs();
  ASSERT_TRUE(jobs.isOk()) << jobs.status().toString();
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].id, id);
  EXPECT_EQ((*jobs)[0].status, "RUNNING");

  auto trigger = c.triggerSavepoint(id, (job.dir / "savepoints").string(), /*cancel_job=*/false);
  ASSERT_TRUE(trigger.isOk()) << trigger.status().toString();
  auto path = c.waitForSavepoint(id, *trigger, Duration(10));
  ASSERT_TRUE(path.isOk()) << path.status().toString();
  EXPECT_TRUE(fs::exists(fs::path(*path) / "_metadata")) << *path;
  EXPECT_EQ(c.listJobs().value()[0].status, "RUNNING");  // A savepoint leaves it running.

  auto stop = c.stopWithSavepoint(id, (job.dir / "stopped").string());
  ASSERT_TRUE(stop.isOk()) << stop.status().toString();
  auto stopped = c.waitForSavepoint(id, *stop, Duration(10));
  ASSERT_TRUE(stopped.isOk()) << stopped.status().toString();
  EXPECT_TRUE(fs::exists(fs::path(*stopped) / "_metadata"));
  EXPECT_TRUE(job.client->getJobExecutionResult().isOk()) << job.client->getJobExecutionResult().status.toString();
  EXPECT_EQ(c.listJobs().value()[0].status, "FINISHED");

  auto late = c.triggerSavepoint(id, (job.dir / "late").string(), false);
  ASSERT_FALSE(late.isOk());
  EXPECT_NE(late.status().message().find("is not running"), std::string::npos) << late.status().toString();
}

TEST(RestApi, CancelsAndNamesWhatIsWrong) {
  ServedJob job("rest_cancel");
  RestClient c("127.0.0.1", job.port);
  const std::string id = job.client->getJobID();

  auto unknown = c.triggerSavepoint("0123abcd", (job.dir / "sp").string(), false);
  ASSERT_FALSE(unknown.isOk());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("Job 0123abcd not found"), std::string::npos) << unknown.status().toString();

  auto no_dir = c.triggerSavepoint(id, "", false);
  ASSERT_FALSE(no_dir.isOk());
  EXPECT_NE(no_dir.status().message().find("target-directory"), std::string::npos) << no_dir.status().toString();

  ASSERT_TRUE(c.cancel(id).isOk());
  EXPECT_EQ(job.client->getJobExecutionResult().status.code(), StatusCode::kCancelled);
  EXPECT_EQ(c.listJobs().value()[0].status, "CANCELED");
}

TEST(RestApi, ADeadServerIsAnErrorNamingItsAddress) {
  int port = 0;
  {
    RestServer probe;  // A port that was free a moment ago and is closed now.
    port = probe.start("127.0.0.1", 0).value();
  }
  RestClient c("127.0.0.1", port);
  auto jobs = c.listJobs();
  ASSERT_FALSE(jobs.isOk());
  EXPECT_NE(jobs.status().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << jobs.status().toString();
}

}  // namespace
}  // namespace eddy::rest
