// ServerMetrics: the server's Prometheus metrics and the HTTP endpoint that
// serves them (docs/operations.md "Metrics"). Names and labels follow the
// gRPC ecosystem's conventions (grpc_server_started_total,
// grpc_server_handled_total, grpc_server_handling_seconds, labelled by
// grpc_service, grpc_method, grpc_type and grpc_code), plus the store's
// group commit, the audit log and the server's state. Labels never hold a
// patient, a record name, a principal or a token: only method names, status
// codes and outcomes.
//
// Thread safe. The observer methods do not block on the endpoint.
#ifndef MNRECORDS_SERVER_OBSERVABILITY_SERVER_METRICS_H_
#define MNRECORDS_SERVER_OBSERVABILITY_SERVER_METRICS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/grpc/call_observer.h"
#include "server/store/write_observer.h"

namespace mnrecords {

class ServerMetrics final : public CallObserver, public WriteBatchObserver {
 public:
  // `services` are the full names of the gRPC services whose methods get
  // series from the start (a method never called shows 0, not nothing);
  // `version` goes into mnrecords_build_info.
  ServerMetrics(const std::vector<std::string>& services,
                absl::string_view version);
  ~ServerMetrics() override;
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  void OnCallStarted(absl::string_view method) override;
  void OnCallFinished(const FinishedCall& call) override;
  void OnWriteBatch(const WriteBatchReport& report) override;

  // AddScrapeGauge adds a gauge read at each scrape by `read` (a database's
  // size, the open watches); call before Serve. `read` must be thread-safe
  // and outlive this.
  void AddScrapeGauge(std::string name, std::string help,
                      std::function<double()> read);

  // Serve starts serving GET /metrics on `address` (host:port, port 0 picks
  // one) and returns the port. UNAVAILABLE if it cannot listen;
  // FAILED_PRECONDITION if already serving.
  absl::StatusOr<int> Serve(const std::string& address);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_OBSERVABILITY_SERVER_METRICS_H_
