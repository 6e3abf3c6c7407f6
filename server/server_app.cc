#include "server/server_app.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "plugins/builtin_plugins.h"
#include "server/status_macros.h"

namespace mnrecords {

absl::StatusOr<std::unique_ptr<ServerApp>> ServerApp::Start(
    const ServerConfig& config) {
  std::unique_ptr<ServerApp> app(new ServerApp());
  const Clock& clock = config.clock ? *config.clock : app->system_clock_;
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
  MNR_ASSIGN_OR_RETURN(app->store_, SqliteStore::Open(config.db_path));
  app->records_ = std::make_unique<RecordsService>(
      *app->store_, clock, app->plugins_.get(), app->exporters_.get());
  app->consents_ = std::make_unique<ConsentsService>(*app->store_, clock,
                                                     app->plugins_.get());
  app->records_grpc_ = std::make_unique<TreatmentRecordsGrpc>(*app->records_);
  app->consents_grpc_ = std::make_unique<ConsentsGrpc>(*app->consents_);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.listen, grpc::InsecureServerCredentials(),
                           &app->port_);
  builder.SetMaxReceiveMessageSize(config.max_request_bytes);
  // Bounds per-connection concurrency (gRPC 1.51 has unfixed HTTP/2 DoS
  // issues; TOOLCHAIN.md).
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 256);
  builder.RegisterService(app->records_grpc_.get());
  builder.RegisterService(app->consents_grpc_.get());
  app->server_ = builder.BuildAndStart();
  if (app->server_ == nullptr || app->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config.listen,
                     " (address in use, or not a host:port?)"));
  }
  app->server_->GetHealthCheckService()->SetServingStatus(true);
  return app;
}

void ServerApp::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    server_->Shutdown(std::chrono::system_clock::now() +
                      absl::ToChronoMilliseconds(grace));
    server_->Wait();
  }
  if (store_ != nullptr) store_->Close().IgnoreError();
}

ServerApp::~ServerApp() { Shutdown(absl::ZeroDuration()); }

}  // namespace mnrecords
