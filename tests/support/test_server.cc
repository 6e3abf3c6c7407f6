#include "tests/support/test_server.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/postgres_test_db.h"

namespace mnrecords::testing {

bool TestBackendIsPostgres() {
  const char* backend = std::getenv("MNRECORDS_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres";
}

std::string UniqueTempPath(const std::string& stem) {
  static std::atomic<int> counter{0};
  return absl::StrCat(::testing::TempDir(), "/mnrecords-", getpid(), "-",
                      counter.fetch_add(1), "-", stem);
}

namespace {

mnrecords::config::v1::Role ConfigRole(Role role) {
  switch (role) {
    case Role::kClinician:
      return mnrecords::config::v1::ROLE_CLINICIAN;
    case Role::kEhrSystem:
      return mnrecords::config::v1::ROLE_EHR_SYSTEM;
    case Role::kAuditor:
      return mnrecords::config::v1::ROLE_AUDITOR;
    case Role::kAdmin:
      return mnrecords::config::v1::ROLE_ADMIN;
    case Role::kUnspecified:
      break;
  }
  return mnrecords::config::v1::ROLE_UNSPECIFIED;
}

// RandomToken is 32 random characters of [A-Za-z0-9].
std::string RandomToken() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  absl::BitGen gen;
  std::string token;
  for (int i = 0; i < 32; ++i) {
    token += kAlphabet[absl::Uniform<size_t>(gen, 0, sizeof(kAlphabet) - 1)];
  }
  return token;
}

}  // namespace

TestServer::TestServer(TestServerOptions options,
                       std::vector<TestPrincipal> extra)
    : options_(std::move(options)),
      clock_(TestNow()),
      db_path_(UniqueTempPath("test.db")) {
  std::vector<TestPrincipal> principals = {
      {"ehr", Role::kEhrSystem, {"c1", "c2", "c3"}},
      {"admin", Role::kAdmin, {"c1", "c2", "c3"}},
      {"auditor", Role::kAuditor, {"c1", "c2", "c3"}},
      {"clinician", Role::kClinician, {"c1", "c2", "c3"}},
  };
  principals.insert(principals.end(), extra.begin(), extra.end());
  if (!options_.database.empty()) {
    db_path_ = options_.database;
  } else if (TestBackendIsPostgres()) {
    absl::StatusOr<std::string> database = PostgresTestDatabase(db_path_);
    if (!database.ok()) {
      ADD_FAILURE() << database.status();
      std::abort();
    }
    db_path_ = *database;
  }
  for (const TestPrincipal& p : principals) {
    const std::string token = RandomToken();
    tokens_[p.id] = token;
    auto* config = file_.add_principals();
    config->set_id(p.id);
    config->set_display_name("test " + p.id);
    config->set_role(ConfigRole(p.role));
    for (const std::string& clinic : p.clinics) config->add_clinics(clinic);
    config->add_token_sha256(Sha256Hex(token));
  }
  Start();
}

TestServer::~TestServer() {
  clients_.clear();
  if (app_) app_->Shutdown(absl::Seconds(5));
  app_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (!options_.database.empty()) break;  // another server's database
    std::remove(absl::StrCat(db_path_, suffix).c_str());
  }
}

void TestServer::Start(int port) {
  ServerConfig config;
  config.listen = absl::StrCat("127.0.0.1:", port);
  config.db_path = db_path_;
  config.file = file_;
  TestingOptions test_only;
  test_only.clock = &clock_;
  test_only.plugin_registry = options_.registry;
  config.file.set_backup_dir(options_.backup_dir);
  for (const auto& plugin : options_.plugins) {
    *config.file.add_plugins() = plugin;
  }
  if (options_.plugins.empty() && !options_.shipped_defaults) {
    auto* off = config.file.add_plugins();
    off->set_name("microneedling-protocol");
    off->set_enabled(false);
  }
  if (options_.configure) options_.configure(config, test_only);
  auto app = ServerApp::Start(config, test_only);
  if (!app.ok()) {
    ADD_FAILURE() << "server did not start: " << app.status();
    std::abort();
  }
  app_ = *std::move(app);
  for (const auto& [id, token] : tokens_) {
    clients_[id] = std::make_unique<RecordsClient>(NewClient(token));
  }
}

RecordsClient TestServer::NewClient(const std::string& token) const {
  ClientOptions options;
  options.target = target();
  options.bearer_token = token;
  auto client = RecordsClient::Create(options);
  if (!client.ok()) {
    ADD_FAILURE() << "client: " << client.status();
    std::abort();
  }
  return *std::move(client);
}

void TestServer::Stop() {
  clients_.clear();
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
