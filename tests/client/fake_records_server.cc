#include "tests/client/fake_records_server.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace mnrecords {
namespace testing {

void ScriptedRecordsService::FailFirst(int unavailable_calls) {
  absl::MutexLock lock(&mu_);
  unavailable_calls_ = unavailable_calls;
}

void ScriptedRecordsService::SetFinalStatus(grpc::Status status) {
  absl::MutexLock lock(&mu_);
  final_status_ = std::move(status);
}

void ScriptedRecordsService::SetDelay(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  delay_ = delay;
}

void ScriptedRecordsService::SetPages(int pages, bool repeat_token) {
  absl::MutexLock lock(&mu_);
  pages_ = pages;
  repeat_token_ = repeat_token;
}

std::vector<ScriptedRecordsService::Call> ScriptedRecordsService::calls()
    const {
  absl::MutexLock lock(&mu_);
  return calls_;
}

grpc::Status ScriptedRecordsService::Record(grpc::ServerContext* context,
                                            const std::string& method,
                                            const std::string& request_id) {
  Call call{method, request_id, ""};
  auto auth = context->client_metadata().find("authorization");
  if (auth != context->client_metadata().end()) {
    call.authorization.assign(auth->second.data(), auth->second.size());
  }
  absl::Duration delay;
  grpc::Status outcome;
  {
    absl::MutexLock lock(&mu_);
    calls_.push_back(std::move(call));
    delay = delay_;
    if (unavailable_calls_ > 0) {
      --unavailable_calls_;
      outcome = grpc::Status(grpc::StatusCode::UNAVAILABLE, "scripted outage");
    } else {
      outcome = final_status_;
    }
  }
  if (delay > absl::ZeroDuration()) absl::SleepFor(delay);
  return outcome;
}

grpc::Status ScriptedRecordsService::CreatePatient(
    grpc::ServerContext* context, const v1::CreatePatientRequest* request,
    v1::Patient* response) {
  grpc::Status s = Record(context, "CreatePatient", request->request_id());
  if (!s.ok()) return s;
  *response = request->patient();
  response->set_name(
      absl::StrCat(request->parent(), "/patients/p-", request->request_id()));
  return grpc::Status::OK;
}

grpc::Status ScriptedRecordsService::GetPatient(
    grpc::ServerContext* context, const v1::GetPatientRequest* request,
    v1::Patient* response) {
  grpc::Status s = Record(context, "GetPatient", "");
  if (!s.ok()) return s;
  response->set_name(request->name());
  return grpc::Status::OK;
}

grpc::Status ScriptedRecordsService::ListPatients(
    grpc::ServerContext* context, const v1::ListPatientsRequest* request,
    v1::ListPatientsResponse* response) {
  grpc::Status s = Record(context, "ListPatients", "");
  if (!s.ok()) return s;
  int pages;
  bool repeat;
  {
    absl::MutexLock lock(&mu_);
    pages = pages_;
    repeat = repeat_token_;
  }
  // Tokens are "page-<n>"; page 0 has no token.
  int page = 0;
  if (!request->page_token().empty()) {
    page = std::atoi(request->page_token().c_str() + 5);
  }
  for (int i = 0; i < 2; ++i) {
    response->add_patients()->set_name(
        absl::StrCat(request->parent(), "/patients/p", page * 2 + i));
  }
  if (repeat) {
    response->set_next_page_token("page-1");
  } else if (page + 1 < pages) {
    response->set_next_page_token(absl::StrCat("page-", page + 1));
  }
  return grpc::Status::OK;
}

grpc::Status ScriptedRecordsService::LogSession(
    grpc::ServerContext* context, const v1::LogSessionRequest* request,
    v1::TreatmentSession* response) {
  grpc::Status s = Record(context, "LogSession", request->request_id());
  if (!s.ok()) return s;
  *response = request->session();
  response->set_name(absl::StrCat(request->parent(), "/sessions/s1"));
  return grpc::Status::OK;
}

FakeRecordsServer::FakeRecordsServer() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port_);
  builder.RegisterService(&service_);
  builder.RegisterService(&change_feed_);
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    std::fprintf(stderr, "FakeRecordsServer: cannot listen on 127.0.0.1\n");
    std::abort();
  }
}

FakeRecordsServer::~FakeRecordsServer() {
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

}  // namespace testing
}  // namespace mnrecords
