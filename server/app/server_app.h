// ServerApp wires the whole server together: the SQLite store, the services,
// gRPC (with health checking and reflection) on one listening address. Used
// by main and by integration tests, so tests run exactly what ships.
#ifndef MNRECORDS_SERVER_APP_SERVER_APP_H_
#define MNRECORDS_SERVER_APP_SERVER_APP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "mnrecords/config/v1/server_config.pb.h"
#include "plugins/api/audit_exporter.h"
#include "plugins/api/exporter.h"
#include "plugins/api/plugin_host.h"
#include "plugins/api/plugin_registry.h"
#include "server/app/config_reloader.h"
#include "server/app/database_probe.h"
#include "server/auth/authenticator.h"
#include "server/grpc/blocking_pool.h"
#include "server/grpc/change_feed_grpc.h"
#include "server/grpc/grpc_services.h"
#include "server/observability/access_log.h"
#include "server/observability/server_metrics.h"
#include "server/service/change_feed_service.h"
#include "server/service/change_watch_hub.h"
#include "server/service/consents_service.h"
#include "server/service/records_service.h"
#include "server/store/commit_signal.h"
#include "server/store/request_expiry.h"
#include "server/store/store.h"
#include "server/store/write_guard.h"

namespace mnrecords {

struct ServerConfig {
  // host:port; port 0 picks a free port (see ServerApp::port()).
  std::string listen = "127.0.0.1:50051";
  // The database: a SQLite file (created with its schema if missing), or a
  // PostgreSQL connection URI (postgresql://... or postgres://...; any
  // libpq URI, without a password: libpq's PGPASSFILE or PGPASSWORD give
  // it). The schema is created or migrated at start either way.
  std::string db_path = "mnrecords.db";
  // How often a PostgreSQL database is probed for the health of writes.
  absl::Duration database_probe_interval = absl::Seconds(1);
  // Largest request accepted, in bytes.
  int max_request_bytes = 4 << 20;
  // Overload limits (docs/reliability.md "Overload and deadlines"). At most
  // `max_calls_in_flight` calls are served at once; a call arriving beyond
  // them fails at once with RESOURCE_EXHAUSTED (audited) rather than
  // queueing. At most `max_concurrent_streams` calls in flight per
  // connection (HTTP/2 SETTINGS). Health checking answers outside this
  // limit. Both >= 1.
  int max_calls_in_flight = 256;
  int max_concurrent_streams = 256;
  // Disk reserve (docs/reliability.md "Disk full"): record writes are refused
  // with RESOURCE_EXHAUSTED while the disk holding the database has fewer free
  // bytes, so audit events still fit. 0 turns the check off.
  uint64_t min_free_disk_bytes = uint64_t{64} << 20;
  // The change feed's watches (docs/api.md "Change feed"): limits, the
  // heartbeat interval, and how often the store's latest change is polled
  // to see the writes of other servers on the same database.
  ChangeWatchOptions watches;
  // The parsed --config file (principals, plugins); empty without one.
  // Without `plugins` entries, microneedling-protocol runs with defaults.
  // Without principals every call but health checking is UNAUTHENTICATED.
  mnrecords::config::v1::ServerConfig file;
  // The path `file` was read from, which ReloadConfig reads again; "" =
  // none (reloads are refused).
  std::string config_path;

  // TLS: PEM files of the server's certificate chain and private key. Both
  // or neither. Without them the server speaks plaintext, which Start
  // refuses on anything but a loopback address unless allow_insecure.
  std::string tls_cert_file;
  std::string tls_key_file;
  // PEM file of the CA(s) that sign client certificates: when set, every
  // connection must present a client certificate it verifies (mTLS).
  // Needs tls_cert_file.
  std::string tls_client_ca_file;
  // Allow plaintext on a non-loopback address (tokens then travel in the
  // clear: only behind a TLS-terminating proxy on a trusted network).
  bool allow_insecure = false;
  // Prometheus metrics (docs/operations.md "Metrics"): GET /metrics over
  // plain HTTP on this host:port (port 0 picks one: metrics_port()); ""
  // = no endpoint. The metrics name no patient, record or principal, but
  // they show how busy the clinic is: keep the endpoint on loopback or a
  // private network.
  std::string metrics_listen;
  // The access log (docs/operations.md "Access log"): a file appended to,
  // "-" for standard output, "" for none.
  std::string access_log;
};

// TestingOptions are the knobs only tests and benchmarks set; the server
// binary never does. The defaults are what ships.
struct TestingOptions {
  // Time source; nullptr = the system clock. Must outlive the server.
  const Clock* clock = nullptr;
  // The plugins `file.plugins` may name; nullptr = the built-in ones
  // (plugins/builtin_plugins.h). Must outlive Start.
  const plugins::PluginRegistry* plugin_registry = nullptr;
  // false stops auditing successful reads, so the read-cost benchmark can
  // compare. The shipped server always audits every call.
  bool audit_successful_reads = true;
  // The SQLite VFS the store opens its connections through ("" = the
  // default), for the storage fault tests (tests/support/fault_vfs.h).
  std::string sqlite_vfs;
  // How often expired request ids are looked for (RequestExpiry).
  absl::Duration request_expiry_interval = absl::Minutes(1);
  // The source of the free disk space (nullptr = statvfs of the database's
  // directory), for the disk-full tests.
  std::function<absl::StatusOr<uint64_t>()> free_disk_bytes;
};

// The gRPC health service name that is NOT_SERVING while records cannot be
// written (disk full, or a PostgreSQL database that does not answer); ""
// (the server) stays SERVING as long as it serves.
inline constexpr char kWritesHealthService[] = "mnrecords.writes";

class ServerApp {
 public:
  // Start opens the database and starts serving. INVALID_ARGUMENT for
  // inconsistent TLS settings or plaintext on a non-loopback address
  // without allow_insecure, and naming the entry for a bad plugin config
  // (unknown plugin, finding code, severity or setting); NOT_FOUND for an
  // unreadable PEM file; UNAVAILABLE if the address cannot be bound (or the
  // certificate and key are unusable); the store's error if the database
  // cannot be opened.
  static absl::StatusOr<std::unique_ptr<ServerApp>> Start(
      const ServerConfig& config, const TestingOptions& testing = {});

  ~ServerApp();

  // port is the TCP port the server listens on.
  int port() const { return port_; }

  // transport describes how the server listens, for the start-up line:
  // "plaintext (loopback only)", "plaintext (--allow_insecure)", "TLS" or
  // "mTLS (client certificates required)".
  const std::string& transport() const { return transport_; }

  // metrics_port is the port serving /metrics, 0 without metrics_listen.
  int metrics_port() const { return metrics_port_; }

  // ReopenAccessLog reopens the access log file after a rotation (the
  // server does on SIGHUP); OK without an access log. On failure the old
  // file stays in use.
  absl::Status ReopenAccessLog();

  // ReloadConfigOnSignal applies config_path again, as Admin.ReloadConfig
  // does (server/app/config_reloader.h), for a SIGHUP: the reload's audit
  // event names the principal "(sighup)". Returns the reload's outcome (or
  // the audit store's error: the reload then still happened).
  absl::Status ReloadConfigOnSignal();

  // Shutdown marks health NOT_SERVING, stops accepting calls, lets calls in
  // flight finish for up to `grace` (then cancels them) and closes the
  // database. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  ServerApp() = default;

  // The parts of Start, in order.
  absl::Status BuildPlugins(const ServerConfig& config,
                            const TestingOptions& testing);
  absl::Status OpenObservers(const ServerConfig& config);
  absl::Status OpenStore(const ServerConfig& config,
                         const TestingOptions& testing);
  void BuildServices(const ServerConfig& config, const Clock& clock,
                     const TestingOptions& testing);
  absl::Status Serve(const ServerConfig& config,
                     std::shared_ptr<grpc::ServerCredentials> credentials);
  absl::Status ServeMetrics(const ServerConfig& config);

  // SetDiskWritable (WriteGuard) and SetDatabaseReachable (DatabaseProbe)
  // set the health of kWritesHealthService: SERVING when both hold.
  void SetDiskWritable(bool writable);
  void SetDatabaseReachable(bool reachable);
  void UpdateWritesHealth() ABSL_EXCLUSIVE_LOCKS_REQUIRED(health_mu_);

  SystemClock system_clock_;
  std::unique_ptr<plugins::PluginHost> plugins_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<plugins::ExporterRegistry> exporters_;
  std::unique_ptr<plugins::AuditExporterRegistry> audit_exporters_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<WriteGuard> write_guard_;
  std::unique_ptr<DatabaseProbe> database_probe_;
  std::unique_ptr<RequestExpiry> request_expiry_;
  // The registry plugins are built from (the built-in one unless a test
  // gives its own), kept for reloads.
  std::unique_ptr<plugins::PluginRegistry> builtin_registry_;
  const plugins::PluginRegistry* plugin_registry_ = nullptr;
  std::unique_ptr<ConfigReloader> config_reloader_;
  const Clock* clock_ = nullptr;
  std::unique_ptr<RecordsService> records_;
  std::unique_ptr<ConsentsService> consents_;
  std::unique_ptr<AuditService> audit_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<ChangeWatchHub> watch_hub_;
  std::unique_ptr<CommitSignal> commit_signal_;
  std::unique_ptr<ChangeFeedService> change_feed_;
  std::unique_ptr<BlockingPool> watch_pool_;
  std::unique_ptr<WatchEnvironment> watch_env_;
  std::unique_ptr<BlockingPool> blocking_;
  std::unique_ptr<CallEnvironment> calls_;
  std::unique_ptr<TreatmentRecordsGrpc> records_grpc_;
  std::unique_ptr<ConsentsGrpc> consents_grpc_;
  std::unique_ptr<AuditGrpc> audit_grpc_;
  std::unique_ptr<AdminGrpc> admin_grpc_;
  std::unique_ptr<ChangeFeedGrpc> change_feed_grpc_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string transport_;
  absl::Mutex health_mu_;
  bool shut_down_ ABSL_GUARDED_BY(health_mu_) = false;
  bool disk_writable_ ABSL_GUARDED_BY(health_mu_) = true;
  bool database_reachable_ ABSL_GUARDED_BY(health_mu_) = true;
  // Last, so destroyed first: the metrics endpoint stops before what its
  // gauges read goes away. Shutdown has stopped the calls and the store's
  // writer, the observers' other callers, by then.
  std::unique_ptr<AccessLog> access_log_;
  std::unique_ptr<ServerMetrics> metrics_;
  int metrics_port_ = 0;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_APP_SERVER_APP_H_
