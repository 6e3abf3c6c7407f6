// TestServer: the real mnrecords server (ServerApp: SQLite file or
// PostgreSQL database, services, gRPC) on an ephemeral loopback port, a
// FakeClock, and a RecordsClient connected to it. Each instance has its own
// database, which Restart() keeps.
#ifndef MNRECORDS_TESTS_SUPPORT_TEST_SERVER_H_
#define MNRECORDS_TESTS_SUPPORT_TEST_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/client.h"
#include "common/clock.h"
#include "server/app/server_app.h"

namespace mnrecords::testing {

// UniqueTempPath returns a fresh path under the test temp dir.
std::string UniqueTempPath(const std::string& stem);

// TestBackendIsPostgres is true when MNRECORDS_TEST_BACKEND=postgres: each
// TestServer then serves a PostgreSQL database of its own in the run's
// throwaway server (postgres_test_db.h) instead of a SQLite file. Tests of
// the SQLite file itself skip there.
bool TestBackendIsPostgres();

// TestServerOptions choose the plugins. The default runs the core service
// without plugins (the core tests log sessions without consents); plugin
// tests list the plugins they want, or use ShippedPlugins().
struct TestServerOptions {
  // The config file's `plugins` section; empty = use `shipped_defaults`.
  std::vector<mnrecords::config::v1::PluginConfig> plugins;
  // With `plugins` empty: true = what the shipped server runs without a
  // config file (microneedling-protocol with defaults); false = none.
  bool shipped_defaults = false;
  // nullptr = the built-in plugins. Must outlive the TestServer.
  const plugins::PluginRegistry* registry = nullptr;
  // Called on the ServerConfig before every Start (limits, the test-only
  // fault VFS); nullptr = nothing.
  std::function<void(ServerConfig&, TestingOptions&)> configure;
  // The config's backup_dir ("" = backups refused).
  std::string backup_dir;
  // "" = a database of its own; else the database another TestServer
  // serves (its db_path(): a PostgreSQL URI), for several servers on one
  // database.
  std::string database;
};

// TestPrincipal is a caller the test server's config lists, with a fresh
// random bearer token (the config holds only its SHA-256).
struct TestPrincipal {
  std::string id;
  Role role = Role::kUnspecified;
  std::vector<std::string> clinics;
};

class TestServer {
 public:
  // Starts a server on a new database file; aborts the test on failure. The
  // config lists the principals "ehr", "admin", "auditor" and "clinician"
  // (members of clinics c1, c2 and c3) and then `extra`; `options` choose the
  // plugins.
  TestServer() : TestServer(TestServerOptions{}, {}) {}
  explicit TestServer(TestServerOptions options)
      : TestServer(std::move(options), {}) {}
  explicit TestServer(std::vector<TestPrincipal> extra)
      : TestServer(TestServerOptions{}, std::move(extra)) {}
  TestServer(TestServerOptions options, std::vector<TestPrincipal> extra);
  ~TestServer();

  // Stops the server (closing the database) and starts it again on the same
  // file, with a new port and client.
  void Restart();

  // Stop shuts the server down and closes the database (so a test can
  // change the file behind its back, as an attacker with file access
  // would); Start serves the same file again with a new port and clients.
  void Stop();
  // `port` 0 picks a free port; another serves on that port again (a
  // restart clients already connected to it must survive).
  void Start(int port = 0);

  // Clients acting as one principal each, all members of clinics c1, c2 and c3.
  // client() is an EHR system (logs and reads records); admin_client()
  // publishes instruction sets; auditor_client() reads consents and the
  // audit log; clinician_client() does what client() does, as a person.
  RecordsClient& client() { return *clients_.at("ehr"); }
  RecordsClient& admin_client() { return *clients_.at("admin"); }
  RecordsClient& auditor_client() { return *clients_.at("auditor"); }
  RecordsClient& clinician_client() { return *clients_.at("clinician"); }

  // token is the bearer token of the principal `id`.
  const std::string& token(const std::string& id) const {
    return tokens_.at(id);
  }
  // NewClient connects a client that sends `token` (none if empty).
  RecordsClient NewClient(const std::string& token) const;
  FakeClock& clock() { return clock_; }
  int port() const { return app_->port(); }
  // The running ServerApp (metrics port, access log reopening).
  ServerApp& app() { return *app_; }
  const std::string& db_path() const { return db_path_; }
  std::string target() const;

 private:
  TestServerOptions options_;
  FakeClock clock_;
  std::string db_path_;
  mnrecords::config::v1::ServerConfig file_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerApp> app_;
  std::map<std::string, std::unique_ptr<RecordsClient>> clients_;
};

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_SUPPORT_TEST_SERVER_H_
