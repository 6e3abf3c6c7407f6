#include "server/app/server_app.h"

#include <chrono>
#include <fstream>
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
#include "server/grpc/grpc_auth.h"

namespace mnrecords {
namespace {

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
    const ServerConfig& config) {
  std::unique_ptr<ServerApp> app(new ServerApp());
  const Clock& clock = config.clock ? *config.clock : app->system_clock_;
  MNR_ASSIGN_OR_RETURN(auto credentials,
                       ListenCredentials(config, app->transport_));
  app->authenticator_ = std::make_unique<Authenticator>(config.file);
  plugins::PluginRegistry builtin;
  const plugins::PluginRegistry* registry = config.plugin_registry;
  if (registry == nullptr) {
    MNR_RETURN_IF_ERROR(plugins::RegisterBuiltinPlugins(builtin));
    registry = &builtin;
  }
  MNR_ASSIGN_OR_RETURN(
      app->plugins_,
      plugins::PluginHost::Build(
          *registry, plugins::EffectivePluginConfigs(config.file.plugins())));
  app->exporters_ = std::make_unique<plugins::ExporterRegistry>();
  MNR_RETURN_IF_ERROR(plugins::RegisterBuiltinExporters(*app->exporters_));
  // gRPC's pollers take threads from the same quota: fewer than 4 leaves
  // too few to serve calls.
  if (config.max_threads < 4 || config.max_concurrent_streams < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_threads must be >= 4 and max_concurrent_streams >= 1, got ",
        config.max_threads, " and ", config.max_concurrent_streams));
  }
  SqliteStoreOptions store_options;
  store_options.vfs_name_test_only = config.sqlite_vfs_test_only;
  MNR_ASSIGN_OR_RETURN(app->store_,
                       SqliteStore::Open(config.db_path, store_options));
  // Record writes go through the guard; the audit log (AuditLog) writes to
  // the store directly and may use the disk reserve.
  WriteGuard::FreeBytesFn free_bytes = config.free_disk_bytes_test_only;
  if (!free_bytes) {
    free_bytes = [path = config.db_path] { return FreeDiskBytes(path); };
  }
  ServerApp* raw_app = app.get();
  app->write_guard_ = std::make_unique<WriteGuard>(
      *app->store_, config.min_free_disk_bytes, std::move(free_bytes),
      [raw_app](bool writable) { raw_app->SetWritable(writable); });
  app->records_ = std::make_unique<RecordsService>(
      *app->write_guard_, clock, app->plugins_.get(), app->exporters_.get());
  app->consents_ = std::make_unique<ConsentsService>(*app->write_guard_, clock,
                                                     app->plugins_.get());
  app->audit_ = std::make_unique<AuditService>(*app->store_);
  app->audit_log_ = std::make_unique<AuditLog>(
      *app->store_, clock, config.audit_successful_reads_benchmark_only);
  app->records_grpc_ = std::make_unique<TreatmentRecordsGrpc>(
      *app->records_, *app->authenticator_, *app->audit_log_);
  app->consents_grpc_ = std::make_unique<ConsentsGrpc>(
      *app->consents_, *app->authenticator_, *app->audit_log_);
  app->audit_grpc_ = std::make_unique<AuditGrpc>(
      *app->audit_, *app->authenticator_, *app->audit_log_);
  MNR_RETURN_IF_ERROR(CheckBackupDir(config.file.backup_dir()));
  app->admin_ = std::make_unique<AdminService>(*app->store_,
                                               config.file.backup_dir(), clock);
  app->admin_grpc_ = std::make_unique<AdminGrpc>(
      *app->admin_, *app->authenticator_, *app->audit_log_);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.listen, credentials, &app->port_);
  builder.SetMaxReceiveMessageSize(config.max_request_bytes);
  // Bounds per-connection concurrency (gRPC 1.51 has unfixed HTTP/2 DoS
  // issues; TOOLCHAIN.md).
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             config.max_concurrent_streams);
  // gRPC 1.51 cannot cap the number of connections; closing idle ones
  // (with a GOAWAY: clients reconnect when they next call) at least keeps
  // abandoned ones from piling up.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 5 * 60 * 1000);
  // Bounds the threads serving calls: beyond them a call is refused with
  // RESOURCE_EXHAUSTED instead of queueing without limit.
  grpc::ResourceQuota quota("mnrecords");
  quota.SetMaxThreads(config.max_threads);
  builder.SetResourceQuota(quota);
  // Reflection needs credentials too (our handlers check their own).
  builder.experimental().SetInterceptorCreators(
      RequireCredentialsInterceptors(*app->authenticator_));
  builder.RegisterService(app->records_grpc_.get());
  builder.RegisterService(app->consents_grpc_.get());
  builder.RegisterService(app->audit_grpc_.get());
  builder.RegisterService(app->admin_grpc_.get());
  {
    // SetWritable may run on a call's thread as soon as the server starts.
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    absl::MutexLock lock(&app->health_mu_);
    app->server_ = std::move(server);
    if (app->server_ != nullptr) {
      app->server_->GetHealthCheckService()->SetServingStatus(
          kWritesHealthService, true);
      app->server_->GetHealthCheckService()->SetServingStatus(true);
    }
  }
  if (app->server_ == nullptr || app->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config.listen,
                     " (address in use, not a host:port, or an unusable TLS "
                     "certificate/key?)"));
  }
  return app;
}

void ServerApp::SetWritable(bool writable) {
  absl::MutexLock lock(&health_mu_);
  if (shut_down_ || server_ == nullptr) return;
  server_->GetHealthCheckService()->SetServingStatus(kWritesHealthService,
                                                     writable);
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
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoMilliseconds(grace));
    server_->Wait();
  }
  if (store_ != nullptr) store_->Close().IgnoreError();
}

ServerApp::~ServerApp() { Shutdown(absl::ZeroDuration()); }

}  // namespace mnrecords
