// mnrecords_server: flags, start, wait for SIGINT/SIGTERM, drain, close.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/app/server_app.h"
#include "server/config/config_loader.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to listen on (port 0 picks a free port)");
ABSL_FLAG(std::string, db, "mnrecords.db",
          "SQLite database file (created if missing), or a PostgreSQL "
          "connection URI postgresql://... (no password in it: use "
          "PGPASSFILE or PGPASSWORD)");
ABSL_FLAG(std::string, config, "",
          "server configuration file (protobuf text format; see "
          "server/config/example.textproto); SIGHUP or `mnrec admin "
          "reload-config` applies its principals and plugin settings again");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM file of the server certificate chain (TLS; with --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM file of the server private key");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM file of the CA that signs client certificates: requires and "
          "verifies a client certificate on every connection (mTLS)");
ABSL_FLAG(bool, allow_insecure, false,
          "allow plaintext on a non-loopback address (only behind a trusted "
          "TLS-terminating proxy)");
ABSL_FLAG(std::string, port_file, "",
          "if set, write the port listened on to this file once serving");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long calls in flight may finish after SIGTERM/SIGINT");
ABSL_FLAG(int, max_calls_in_flight, 256,
          "most calls served at once; more fail at once with "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_concurrent_streams, 256,
          "most calls in flight on one client connection");
ABSL_FLAG(int64_t, min_free_disk_mb, 64,
          "record writes fail with RESOURCE_EXHAUSTED while the database's "
          "disk has less free space (MiB; kept for the audit log; 0 = off)");

ABSL_FLAG(int, max_watches, 256,
          "most change-feed watches open at once; more fail with "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_watches_per_principal, 16,
          "most change-feed watches one principal may have open");
ABSL_FLAG(absl::Duration, watch_heartbeat, absl::Seconds(5),
          "how often an idle change-feed watch sends its cursor");
ABSL_FLAG(absl::Duration, change_poll_interval, absl::Milliseconds(200),
          "how often watches look for changes written by other servers on "
          "the same database (0 = never: this server is the only writer)");

ABSL_FLAG(std::string, metrics_listen, "",
          "host:port serving Prometheus metrics at /metrics over plain HTTP "
          "(\"\" = none); keep it on loopback or a private network");
ABSL_FLAG(std::string, access_log, "",
          "append one JSON line per call to this file (\"-\" = standard "
          "output, \"\" = none); SIGHUP reopens it after a rotation");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "mnrecords_server --config=mnrecords.textproto "
      "[--listen=127.0.0.1:50051] [--db=mnrecords.db] "
      "[--tls_cert=PEM --tls_key=PEM [--tls_client_ca=PEM]]");
  absl::ParseCommandLine(argc, argv);
  // Debian builds Abseil with the Mutex deadlock detector on: every lock,
  // ours and gRPC's (grpc_core::Mutex is an absl::Mutex), then updates a
  // global lock graph. That is a debugging aid; the shipped server turns it
  // off (docs/performance.md). Tests keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Block the shutdown and reopen signals before gRPC starts its threads,
  // so that only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  mnrecords::ServerConfig config;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.db_path = absl::GetFlag(FLAGS_db);
  config.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  config.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  config.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  config.allow_insecure = absl::GetFlag(FLAGS_allow_insecure);
  config.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  config.access_log = absl::GetFlag(FLAGS_access_log);
  config.max_calls_in_flight = absl::GetFlag(FLAGS_max_calls_in_flight);
  config.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  config.watches.max_watches = absl::GetFlag(FLAGS_max_watches);
  config.watches.max_watches_per_principal =
      absl::GetFlag(FLAGS_max_watches_per_principal);
  config.watches.heartbeat_interval = absl::GetFlag(FLAGS_watch_heartbeat);
  config.watches.poll_interval = absl::GetFlag(FLAGS_change_poll_interval);
  const int64_t min_free_mb = absl::GetFlag(FLAGS_min_free_disk_mb);
  if (min_free_mb < 0) {
    std::cerr << "mnrecords_server: --min_free_disk_mb must be >= 0\n";
    return 2;
  }
  config.min_free_disk_bytes = static_cast<uint64_t>(min_free_mb) << 20;
  if (absl::GetFlag(FLAGS_config).empty()) {
    std::cerr << "mnrecords_server: --config=PATH is required: it lists who "
                 "may call (see server/config/example.textproto; "
                 "scripts/run-server.sh creates a development one)\n";
    return 2;
  }
  auto file = mnrecords::LoadServerConfig(absl::GetFlag(FLAGS_config));
  if (!file.ok()) {
    std::cerr << "mnrecords_server: " << file.status().message() << "\n";
    return 2;
  }
  config.file = *std::move(file);
  config.config_path = absl::GetFlag(FLAGS_config);
  if (config.file.principals().empty()) {
    std::cerr << "mnrecords_server: " << absl::GetFlag(FLAGS_config)
              << " lists no principals: nobody could call\n";
    return 2;
  }
  auto app = mnrecords::ServerApp::Start(config);
  if (!app.ok()) {
    std::cerr << "mnrecords_server: " << app.status() << "\n";
    return 1;
  }
  const std::string host = config.listen.substr(0, config.listen.rfind(':'));
  std::cout << "mnrecords_server listening on " << host << ":" << (*app)->port()
            << ", " << (*app)->transport() << ", database " << config.db_path
            << ", " << config.file.principals_size()
            << " principals; every call but health checking needs "
               "credentials"
            << std::endl;
  if (!absl::GetFlag(FLAGS_port_file).empty()) {
    const std::string path = absl::GetFlag(FLAGS_port_file);
    const std::string tmp = path + ".tmp";
    std::ofstream(tmp) << (*app)->port() << "\n";
    std::rename(tmp.c_str(), path.c_str());  // readers never see half a file
  }

  if ((*app)->metrics_port() != 0) {
    std::cout << "mnrecords_server: metrics at http://"
              << config.metrics_listen.substr(0,
                                              config.metrics_listen.rfind(':'))
              << ":" << (*app)->metrics_port() << "/metrics" << std::endl;
  }

  int received = 0;
  for (;;) {
    sigwait(&signals, &received);
    if (received != SIGHUP) break;
    // SIGHUP: reopen the access log (after a rotation) and apply the config
    // file again (principals, tokens, plugin settings); each says how it
    // went.
    const absl::Status reopened = (*app)->ReopenAccessLog();
    std::cout << "mnrecords_server: SIGHUP, "
              << (reopened.ok() ? "access log reopened"
                                : "access log NOT reopened (still writing "
                                  "the old file): " +
                                      std::string(reopened.message()))
              << std::endl;
    (*app)->ReloadConfigOnSignal().IgnoreError();  // the reloader logs it
  }
  std::cout << "mnrecords_server: "
            << (received == SIGINT ? "SIGINT" : "SIGTERM")
            << ", draining calls in flight" << std::endl;
  (*app)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
  std::cout << "mnrecords_server: stopped, database closed" << std::endl;
  return 0;
}
