// TestServer: the real mnrecords server (ServerApp: SQLite file, services,
// gRPC) on an ephemeral loopback port, a FakeClock, and a RecordsClient
// connected to it. Each instance has its own temporary database file, which
// Restart() keeps.
#ifndef MNRECORDS_TESTS_SUPPORT_TEST_SERVER_H_
#define MNRECORDS_TESTS_SUPPORT_TEST_SERVER_H_

#include <memory>
#include <string>

#include "client/client.h"
#include "server/clock.h"
#include "server/server_app.h"

namespace mnrecords::testing {

// UniqueTempPath returns a fresh path under the test temp dir.
std::string UniqueTempPath(const std::string& stem);

class TestServer {
 public:
  // Starts a server on a new database file; aborts the test on failure.
  TestServer();
  ~TestServer();

  // Stops the server (closing the database) and starts it again on the same
  // file, with a new port and client.
  void Restart();

  // Stop shuts the server down and closes the database (so a test can
  // change the file behind its back, as an attacker with file access
  // would); Start serves the same file again with a new port and client.
  void Stop();
  void Start();

  // Clients acting as one principal each, all members of clinics c1 and c2.
  // client() is an EHR system (logs and reads records); admin_client()
  // publishes instruction sets; auditor_client() reads consents and the
  // audit log. Until authentication exists (issue 4) the server treats
  // every caller alike, but tests already use the client of the role that
  // the call needs.
  RecordsClient& client() { return *client_; }
  RecordsClient& admin_client() { return *client_; }
  RecordsClient& auditor_client() { return *client_; }
  FakeClock& clock() { return clock_; }
  int port() const { return app_->port(); }
  const std::string& db_path() const { return db_path_; }
  std::string target() const;

 private:
  FakeClock clock_;
  std::string db_path_;
  std::unique_ptr<ServerApp> app_;
  std::unique_ptr<RecordsClient> client_;
};

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_SUPPORT_TEST_SERVER_H_
