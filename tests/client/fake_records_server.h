// A real gRPC server on 127.0.0.1 (port chosen by the OS) with a scripted
// TreatmentRecords service, for testing the client's retries, request ids,
// deadlines, metadata and paging over a real loopback connection, and a
// scripted ChangeFeed service (fake_change_feed_service.h).
#ifndef MNRECORDS_TESTS_CLIENT_FAKE_RECORDS_SERVER_H_
#define MNRECORDS_TESTS_CLIENT_FAKE_RECORDS_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "grpcpp/server.h"
#include "tests/client/fake_change_feed_service.h"

namespace mnrecords {
namespace testing {

namespace v1 = ::clinic::microneedling::v1;

// ScriptedRecordsService answers CreatePatient, GetPatient, ListPatients and
// LogSession; every other RPC is UNIMPLEMENTED. Each call is recorded, then
// the first `unavailable_calls` calls fail with UNAVAILABLE, after which
// `final_status` (OK by default) is returned.
class ScriptedRecordsService final : public v1::TreatmentRecords::Service {
 public:
  struct Call {
    std::string method;
    std::string request_id;     // empty for reads
    std::string authorization;  // the authorization metadata, if any
  };

  void FailFirst(int unavailable_calls) ABSL_LOCKS_EXCLUDED(mu_);
  void SetFinalStatus(grpc::Status status) ABSL_LOCKS_EXCLUDED(mu_);
  void SetDelay(absl::Duration delay) ABSL_LOCKS_EXCLUDED(mu_);
  // ListPatients serves `pages` pages of 2 patients; with `repeat_token`
  // every page returns the same next_page_token forever.
  void SetPages(int pages, bool repeat_token) ABSL_LOCKS_EXCLUDED(mu_);

  std::vector<Call> calls() const ABSL_LOCKS_EXCLUDED(mu_);

  grpc::Status CreatePatient(grpc::ServerContext* context,
                             const v1::CreatePatientRequest* request,
                             v1::Patient* response) override;
  grpc::Status GetPatient(grpc::ServerContext* context,
                          const v1::GetPatientRequest* request,
                          v1::Patient* response) override;
  grpc::Status ListPatients(grpc::ServerContext* context,
                            const v1::ListPatientsRequest* request,
                            v1::ListPatientsResponse* response) override;
  grpc::Status LogSession(grpc::ServerContext* context,
                          const v1::LogSessionRequest* request,
                          v1::TreatmentSession* response) override;

 private:
  // Record records the call and returns the scripted outcome.
  grpc::Status Record(grpc::ServerContext* context, const std::string& method,
                      const std::string& request_id) ABSL_LOCKS_EXCLUDED(mu_);

  mutable absl::Mutex mu_;
  int unavailable_calls_ ABSL_GUARDED_BY(mu_) = 0;
  grpc::Status final_status_ ABSL_GUARDED_BY(mu_);
  absl::Duration delay_ ABSL_GUARDED_BY(mu_);
  int pages_ ABSL_GUARDED_BY(mu_) = 1;
  bool repeat_token_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Call> calls_ ABSL_GUARDED_BY(mu_);
};

// FakeRecordsServer runs ScriptedRecordsService, ScriptedChangeFeedService
// and the default health service on 127.0.0.1:<free port> until destroyed.
class FakeRecordsServer {
 public:
  FakeRecordsServer();
  ~FakeRecordsServer();

  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  ScriptedRecordsService& service() { return service_; }
  ScriptedChangeFeedService& change_feed() { return change_feed_; }
  grpc::Server& server() { return *server_; }

 private:
  ScriptedRecordsService service_;
  ScriptedChangeFeedService change_feed_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace testing
}  // namespace mnrecords

#endif  // MNRECORDS_TESTS_CLIENT_FAKE_RECORDS_SERVER_H_
