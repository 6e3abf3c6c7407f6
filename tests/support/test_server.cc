#include "tests/support/test_server.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"

namespace mnrecords::testing {

std::string UniqueTempPath(const std::string& stem) {
  static std::atomic<int> counter{0};
  return absl::StrCat(::testing::TempDir(), "/mnrecords-", getpid(), "-",
                      counter.fetch_add(1), "-", stem);
}

TestServer::TestServer()
    : clock_(TestNow()), db_path_(UniqueTempPath("test.db")) {
  Start();
}

TestServer::~TestServer() {
  client_.reset();
  if (app_) app_->Shutdown(absl::Seconds(5));
  app_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove(absl::StrCat(db_path_, suffix).c_str());
  }
}

void TestServer::Start() {
  ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.db_path = db_path_;
  config.clock = &clock_;
  auto app = ServerApp::Start(config);
  if (!app.ok()) {
    ADD_FAILURE() << "server did not start: " << app.status();
    std::abort();
  }
  app_ = *std::move(app);
  ClientOptions options;
  options.target = target();
  auto client = RecordsClient::Create(options);
  if (!client.ok()) {
    ADD_FAILURE() << "client: " << client.status();
    std::abort();
  }
  client_ = std::make_unique<RecordsClient>(*std::move(client));
}

void TestServer::Stop() {
  client_.reset();
  if (app_) app_->Shutdown(absl::Seconds(5));
  app_.reset();
}

void TestServer::Restart() {
  Stop();
  Start();
}

std::string TestServer::target() const {
  return absl::StrCat("127.0.0.1:", app_->port());
}

}  // namespace mnrecords::testing
