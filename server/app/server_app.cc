#include "server/app/server_app.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "plugins/builtin_plugins.h"
#include "server/config/config_loader.h"
#include "server/grpc/grpc_auth.h"
#include "server/records/record_terms.h"
#include "server/service/admin_service.h"
#include "server/store/postgres/postgres_store.h"
#include "server/store/sqlite/sqlite_store.h"

namespace mnrecords {
namespace {

// FileBytes is the size of `path`, 0 if it does not exist (a WAL after a
// clean close) or cannot be read.
double FileBytes(const std::string& path) {
  std::error_code error;
  const std::uintmax_t bytes = std::filesystem::file_size(path, error);
  return error ? 0.0 : static_cast<double>(bytes);
}

// Threads gRPC may use for services on its synchronous API (reflection).
constexpr int kSyncServiceThreads = 8;

absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    absl::string_view flag) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(flag, ": cannot read PEM file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// IsLoopback reports whether the host of `listen` (host:port) is a loopback
// address.
bool IsLoopback(absl::string_view listen) {
  const absl::string_view host = listen.substr(0, listen.rfind(':'));
  return host == "localhost" || host == "[::1]" ||
         absl::StartsWith(host, "127.");
}

// ListenCredentials returns the credentials the configuration asks for and
// describes them in `transport`.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListenCredentials(
    const ServerConfig& config, std::string& transport) {
  const bool tls = !config.tls_cert_file.empty();
  if (tls != !config.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert and --tls_key must be given together");
  }
  if (!tls) {
    if (!config.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca (mTLS) needs --tls_cert and --tls_key");
    }
    if (!IsLoopback(config.listen) && !config.allow_insecure) {
      return absl::InvalidArgumentError(absl::StrCat(
          "refusing to listen in plaintext on ", config.listen,
          ": give --tls_cert and --tls_key, listen on 127.0.0.1, or pass "
          "--allow_insecure behind a trusted TLS-terminating proxy"));
    }
    transport = IsLoopback(config.listen) ? "plaintext (loopback only)"
                                          : "plaintext (--allow_insecure)";
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions options;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  MNR_ASSIGN_OR_RETURN(pair.cert_chain,
                       ReadPem(config.tls_cert_file, "--tls_cert"));
  MNR_ASSIGN_OR_RETURN(pair.private_key,
                       ReadPem(config.tls_key_file, "--tls_key"));
  options.pem_key_cert_pairs.push_back(pair);
  if (config.tls_client_ca_file.empty()) {
    options.client_certificate_request =
        GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
    transport = "TLS";
  } else {
    MNR_ASSIGN_OR_RETURN(options.pem_root_certs,
                         ReadPem(config.tls_client_ca_file, "--tls_client_ca"));
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    transport = "mTLS (client certificates required)";
  }
  return grpc::SslServerCredentials(options);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerApp>> ServerApp::Start(
    const ServerConfig& config, const TestingOptions& testing) {
  if (config.max_calls_in_flight < 1 || config.max_concurrent_streams < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_calls_in_flight and max_concurrent_streams must be "
        ">= 1, got ",
        config.max_calls_in_flight, " and ", config.max_concurrent_streams));
  }
  const ChangeWatchOptions& watches = config.watches;
  if (watches.max_watches < 0 || watches.max_watches_per_principal < 0 ||
      watches.heartbeat_interval <= absl::ZeroDuration() ||
      watches.poll_interval < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_watches and max_watches_per_principal must be >= 0, the watch "
        "heartbeat interval > 0 and the change poll interval >= 0; got ",
        watches.max_watches, ", ", watches.max_watches_per_principal, ", ",
        absl::FormatDuration(watches.heartbeat_interval), " and ",
        absl::FormatDuration(watches.poll_interval)));
  }
  MNR_RETURN_IF_ERROR(CheckBackupDir(config.file.backup_dir()));
  MNR_ASSIGN_OR_RETURN(const absl::Duration retention,
                       RequestIdRetention(config.file));
  std::unique_ptr<ServerApp> app(new ServerApp());
  const Clock& clock = testing.clock ? *testing.clock : app->system_clock_;
  app->clock_ = &clock;
  MNR_ASSIGN_OR_RETURN(auto credentials,
                       ListenCredentials(config, app->transport_));
  app->authenticator_ = std::make_unique<Authenticator>(config.file);
  MNR_RETURN_IF_ERROR(app->BuildPlugins(config, testing));
  if (!config.config_path.empty()) {
    app->config_reloader_ = std::make_unique<ConfigReloader>(
        config.config_path, config.file, *app->authenticator_, *app->plugins_,
        *app->plugin_registry_, clock);
  }
  MNR_RETURN_IF_ERROR(app->OpenObservers(config));
  MNR_RETURN_IF_ERROR(app->OpenStore(config, testing));
  app->BuildServices(config, clock, testing);
  app->request_expiry_ = std::make_unique<RequestExpiry>(
      *app->store_, clock,
      RequestExpiryOptions{retention, testing.request_expiry_interval});
  MNR_RETURN_IF_ERROR(app->Serve(config, std::move(credentials)));
  MNR_RETURN_IF_ERROR(app->ServeMetrics(config));
  return app;
}

absl::Status ServerApp::BuildPlugins(const ServerConfig& config,
                                     const TestingOptions& testing) {
  plugin_registry_ = testing.plugin_registry;
  if (plugin_registry_ == nullptr) {
    builtin_registry_ = std::make_unique<plugins::PluginRegistry>();
    MNR_RETURN_IF_ERROR(plugins::RegisterBuiltinPlugins(*builtin_registry_));
    plugin_registry_ = builtin_registry_.get();
  }
  MNR_ASSIGN_OR_RETURN(
      plugins_, plugins::PluginHost::Build(
                    *plugin_registry_,
                    plugins::EffectivePluginConfigs(config.file.plugins())));
  exporters_ = std::make_unique<plugins::ExporterRegistry>();
  MNR_RETURN_IF_ERROR(plugins::RegisterBuiltinExporters(*exporters_));
  audit_exporters_ = std::make_unique<plugins::AuditExporterRegistry>();
  return plugins::RegisterBuiltinAuditExporters(*audit_exporters_);
}

absl::Status ServerApp::OpenObservers(const ServerConfig& config) {
  if (!config.access_log.empty()) {
    MNR_ASSIGN_OR_RETURN(access_log_, AccessLog::Open(config.access_log));
  }
  if (!config.metrics_listen.empty()) {
    metrics_ = std::make_unique<ServerMetrics>(
        std::vector<std::string>{v1::TreatmentRecords::service_full_name(),
                                 v1::Consents::service_full_name(),
                                 v1::Audit::service_full_name(),
                                 v1::Admin::service_full_name(),
                                 v1::ChangeFeed::service_full_name()},
        MNRECORDS_VERSION);
  }
  return absl::OkStatus();
}

absl::Status ServerApp::ServeMetrics(const ServerConfig& config) {
  if (metrics_ == nullptr) return absl::OkStatus();
  metrics_->AddScrapeGauge(
      "mnrecords_writes_healthy",
      "1 while records can be written (disk above its reserve, database "
      "reachable), else 0; the gRPC health service mnrecords.writes.",
      [this] {
        absl::MutexLock lock(&health_mu_);
        return disk_writable_ && database_reachable_ ? 1.0 : 0.0;
      });
  metrics_->AddScrapeGauge(
      "mnrecords_change_watches", "Change-feed watches open on this server.",
      [hub = watch_hub_.get()] { return static_cast<double>(hub->open()); });
  metrics_->AddScrapeGauge(
      "mnrecords_calls_in_flight", "Calls of ours being served now.",
      [calls = calls_.get()] {
        return static_cast<double>(calls->in_flight.load());
      });
  if (!IsPostgresUri(config.db_path)) {
    metrics_->AddScrapeGauge(
        "mnrecords_store_database_bytes", "Size of the SQLite database file.",
        [path = config.db_path] { return FileBytes(path); });
    metrics_->AddScrapeGauge(
        "mnrecords_store_wal_bytes",
        "Size of the SQLite write-ahead log (checkpointed into the database "
        "file as it grows).",
        [path = config.db_path + "-wal"] { return FileBytes(path); });
  }
  MNR_ASSIGN_OR_RETURN(metrics_port_, metrics_->Serve(config.metrics_listen));
  return absl::OkStatus();
}

absl::Status ServerApp::ReloadConfigOnSignal() {
  if (config_reloader_ == nullptr) {
    return absl::FailedPreconditionError(
        "this server was started without a configuration file to reload");
  }
  const absl::StatusOr<v1::ReloadConfigResponse> reloaded =
      config_reloader_->Reload();
  AuditEvent event;
  event.time = clock_->Now();
  event.principal = "(sighup)";
  event.action =
      absl::StrCat("/", v1::Admin::service_full_name(), "/ReloadConfig");
  event.clinic = "-";
  event.peer = "signal";
  event.outcome = static_cast<int32_t>(reloaded.status().code());
  if (reloaded.ok()) {
    event.resource = absl::StrCat("config:sha256:", reloaded->config_sha256());
  }
  // Appended to the store itself, like every call's event: it may use the
  // disk reserve.
  const absl::Status audited = store_->Write(
      [&](WriteTxn& txn) { return txn.AppendAuditEvent(event).status(); });
  if (!audited.ok()) {
    std::cerr << "mnrecords_server: the audit event of the SIGHUP config "
                 "reload could not be stored: "
              << audited << std::endl;
    return audited;
  }
  return reloaded.status();
}

absl::Status ServerApp::ReopenAccessLog() {
  if (access_log_ == nullptr) return absl::OkStatus();
  return access_log_->Reopen();
}

absl::Status ServerApp::OpenStore(const ServerConfig& config,
                                  const TestingOptions& testing) {
  WriteGuard::FreeBytesFn free_bytes = testing.free_disk_bytes;
  if (IsPostgresUri(config.db_path)) {
    MNR_RETURN_IF_ERROR(CheckNoPasswordInUri(config.db_path));
    PostgresStoreOptions store_options;
    store_options.observer = metrics_.get();
    store_options.record_terms = DeriveRecordTerms;
    MNR_ASSIGN_OR_RETURN(store_,
                         PostgresStore::Open(config.db_path, store_options));
    // The database's disk is not ours to watch: PostgreSQL refuses a write
    // on a full disk itself (RESOURCE_EXHAUSTED).
    if (!free_bytes) {
      free_bytes = []() -> absl::StatusOr<uint64_t> {
        return std::numeric_limits<uint64_t>::max();
      };
    }
  } else {
    SqliteStoreOptions store_options;
    store_options.vfs_name_test_only = testing.sqlite_vfs;
    store_options.observer = metrics_.get();
    store_options.record_terms = DeriveRecordTerms;
    MNR_ASSIGN_OR_RETURN(store_,
                         SqliteStore::Open(config.db_path, store_options));
    if (!free_bytes) {
      free_bytes = [path = config.db_path] { return FreeDiskBytes(path); };
    }
  }
  // Record writes go through the guard; the audit events of calls are
  // appended to the store directly and may use the disk reserve.
  write_guard_ = std::make_unique<WriteGuard>(
      *store_, config.min_free_disk_bytes, std::move(free_bytes),
      [this](bool writable) { SetDiskWritable(writable); });
  if (IsPostgresUri(config.db_path)) {
    database_probe_ = std::make_unique<DatabaseProbe>(
        *store_, config.database_probe_interval,
        [this](bool reachable) { SetDatabaseReachable(reachable); });
  }
  return absl::OkStatus();
}

void ServerApp::BuildServices(const ServerConfig& config, const Clock& clock,
                              const TestingOptions& testing) {
  // Watches of the change feed are woken by the commits of record writes.
  watch_hub_ = std::make_unique<ChangeWatchHub>(*store_, config.watches);
  commit_signal_ = std::make_unique<CommitSignal>(
      *write_guard_, [hub = watch_hub_.get()] { hub->NotifyCommitted(); });
  records_ = std::make_unique<RecordsService>(*commit_signal_, clock,
                                              plugins_.get(), exporters_.get());
  if (config.file.signature_window_hours() > 0) {
    records_->set_signature_window(
        absl::Hours(config.file.signature_window_hours()));
  }
  consents_ =
      std::make_unique<ConsentsService>(*commit_signal_, clock, plugins_.get());
  change_feed_ = std::make_unique<ChangeFeedService>(*store_);
  audit_ = std::make_unique<AuditService>(*store_, audit_exporters_.get());
  ReloadConfigFn reload;
  if (config_reloader_ != nullptr) {
    reload = [reloader = config_reloader_.get()] { return reloader->Reload(); };
  }
  admin_ = std::make_unique<AdminService>(*store_, config.file.backup_dir(),
                                          clock, std::move(reload));
  AuditOptions audit;
  audit.store = store_.get();
  audit.clock = &clock;
  audit.audit_successful_reads = testing.audit_successful_reads;
  // Two threads for the long calls (backups, whole-log checks, exports,
  // coverage reports): they wait on the disk, not the CPU.
  blocking_ = std::make_unique<BlockingPool>(2);
  calls_.reset(new CallEnvironment{*authenticator_, audit});
  calls_->max_calls_in_flight = config.max_calls_in_flight;
  calls_->blocking = blocking_.get();
  if (metrics_ != nullptr) calls_->observers.push_back(metrics_.get());
  if (access_log_ != nullptr) calls_->observers.push_back(access_log_.get());
  records_grpc_ = std::make_unique<TreatmentRecordsGrpc>(*records_, *calls_);
  consents_grpc_ = std::make_unique<ConsentsGrpc>(*consents_, *calls_);
  audit_grpc_ = std::make_unique<AuditGrpc>(*audit_, *calls_);
  admin_grpc_ = std::make_unique<AdminGrpc>(*admin_, *calls_);
  // Watches read on threads of their own, apart from the long calls.
  watch_pool_ = std::make_unique<BlockingPool>(2);
  watch_env_.reset(
      new WatchEnvironment{*calls_, *change_feed_, *watch_hub_, *watch_pool_});
  change_feed_grpc_ = std::make_unique<ChangeFeedGrpc>(*watch_env_);
}

absl::Status ServerApp::Serve(
    const ServerConfig& config,
    std::shared_ptr<grpc::ServerCredentials> credentials) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.listen, credentials, &port_);
  builder.SetMaxReceiveMessageSize(config.max_request_bytes);
  // Bounds per-connection concurrency (gRPC 1.51 has unfixed HTTP/2
  // denial-of-service issues: rapid reset, HPACK).
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             config.max_concurrent_streams);
  // gRPC 1.51 cannot cap the number of connections; closing idle ones
  // (with a GOAWAY: clients reconnect when they next call) at least keeps
  // abandoned ones from piling up.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 5 * 60 * 1000);
  // Our services run on gRPC's callback threads and bound their own calls
  // in flight (CallEnvironment); only server reflection still runs on
  // gRPC's synchronous thread pool, which this keeps small.
  grpc::ResourceQuota quota("mnrecords");
  quota.SetMaxThreads(kSyncServiceThreads);
  builder.SetResourceQuota(quota);
  // Reflection needs credentials too (our handlers check their own).
  builder.experimental().SetInterceptorCreators(
      RequireCredentialsInterceptors(*authenticator_));
  builder.RegisterService(records_grpc_.get());
  builder.RegisterService(consents_grpc_.get());
  builder.RegisterService(audit_grpc_.get());
  builder.RegisterService(admin_grpc_.get());
  builder.RegisterService(change_feed_grpc_.get());
  {
    // SetWritable may run on a call's thread as soon as the server starts.
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    absl::MutexLock lock(&health_mu_);
    server_ = std::move(server);
    if (server_ != nullptr) {
      server_->GetHealthCheckService()->SetServingStatus(
          kWritesHealthService, disk_writable_ && database_reachable_);
      server_->GetHealthCheckService()->SetServingStatus(true);
    }
  }
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config.listen,
                     " (address in use, not a host:port, or an unusable TLS "
                     "certificate/key?)"));
  }
  return absl::OkStatus();
}

void ServerApp::SetDiskWritable(bool writable) {
  absl::MutexLock lock(&health_mu_);
  disk_writable_ = writable;
  UpdateWritesHealth();
}

void ServerApp::SetDatabaseReachable(bool reachable) {
  absl::MutexLock lock(&health_mu_);
  database_reachable_ = reachable;
  UpdateWritesHealth();
}

void ServerApp::UpdateWritesHealth() {
  if (shut_down_ || server_ == nullptr) return;
  server_->GetHealthCheckService()->SetServingStatus(
      kWritesHealthService, disk_writable_ && database_reachable_);
}

void ServerApp::Shutdown(absl::Duration grace) {
  {
    absl::MutexLock lock(&health_mu_);
    if (shut_down_) return;
    shut_down_ = true;
    if (server_ != nullptr) {
      server_->GetHealthCheckService()->SetServingStatus(false);
    }
  }
  // Watches never end by themselves: end each now, telling its client the
  // cursor to resume from, so that the calls below can drain.
  if (watch_hub_ != nullptr) watch_hub_->Shutdown(grace);
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoMilliseconds(grace));
    server_->Wait();
  }
  // Calls whose write is still with the store's writer answer once it
  // commits; let them finish before the store closes.
  const absl::Time deadline = absl::Now() + grace + absl::Seconds(5);
  while (calls_ != nullptr && calls_->in_flight.load() > 0 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  blocking_.reset();  // runs what is queued, joins its threads
  watch_pool_.reset();
  database_probe_.reset();
  request_expiry_.reset();
  if (store_ != nullptr) store_->Close().IgnoreError();
}

ServerApp::~ServerApp() { Shutdown(absl::ZeroDuration()); }

}  // namespace mnrecords
