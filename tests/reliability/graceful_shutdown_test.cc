// Graceful shutdown under load: SIGTERM to the shipped server while 64
// clients write. The process exits 0 within its grace period, and after a
// restart every call acknowledged before or during the shutdown is there
// exactly once with its audit event, calls cut off are there at most once
// (exactly once after a retry), the audit chain verifies and the file
// passes PRAGMA integrity_check.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/reliability/durability_check.h"
#include "tests/reliability/process_config.h"
#include "tests/reliability/server_process.h"
#include "tests/reliability/write_load.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

RecordsClient Client(int port, const std::string& token) {
  ClientOptions options;
  options.target = absl::StrCat("127.0.0.1:", port);
  options.bearer_token = token;
  return *RecordsClient::Create(options);
}

TEST(GracefulShutdownTest, SigtermUnderLoadLosesNoAcknowledgedCall) {
  auto config = WriteProcessConfig(UniqueTempPath("config.textproto"));
  ASSERT_TRUE(config.ok()) << config.status();
  const std::string db = UniqueTempPath("shutdown.db");
  ServerProcess server(MNRECORDS_SERVER_BINARY, db, config->path,
                       UniqueTempPath("server.log"));
  auto port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status();

  WriteLoadOptions options;
  options.targets = {absl::StrCat("127.0.0.1:", *port)};
  options.token = config->ehr_token;
  options.workers = 64;
  auto load = WriteLoad::Prepare(options);
  ASSERT_TRUE(load.ok()) << load.status();
  (*load)->Start();
  absl::SleepFor(absl::Seconds(1));
  const int64_t before = (*load)->calls_done();
  // The server's default --shutdown_grace is 10 s; it must be gone by then
  // (plus a little for closing the database and exiting).
  auto exit_code = server.Terminate(absl::Seconds(11));
  std::vector<SentCreate> calls = (*load)->Stop();  // while it is down
  ASSERT_TRUE(exit_code.ok()) << exit_code.status() << server.LogTail();
  EXPECT_EQ(*exit_code, 0) << server.LogTail();
  EXPECT_GT(before, 0) << "the load wrote nothing before SIGTERM";

  ASSERT_TRUE(server.Start().ok()) << server.LogTail();
  auto report = CheckDurability(calls, (*load)->setup_tags(),
                                Client(*port, config->ehr_token),
                                Client(*port, config->auditor_token));
  ASSERT_TRUE(report.ok()) << report.status();
  std::cout << report->Summary() << std::endl;
  EXPECT_TRUE(report->ok()) << report->Summary();
  EXPECT_EQ(report->lost, 0);
  EXPECT_EQ(report->duplicates, 0);
  EXPECT_EQ(report->failed, 0);
  EXPECT_GT(report->acknowledged, 0);

  auto stopped = server.Terminate(absl::Seconds(11));
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(*stopped, 0);
  auto integrity = IntegrityCheck(db);
  ASSERT_TRUE(integrity.ok()) << integrity.status();
  EXPECT_EQ(*integrity, "ok");
}

}  // namespace
}  // namespace mnrecords::testing
