// RunCall: one RPC of ours from arrival to response. It describes the call
// (method, peer, deadline), admits it (authentication, authorization,
// unknown fields: grpc_auth.h), runs the service method, has the call
// audited (AuditedCall::Finish: a refused or failed call too) and only then
// converts the result. If the audit event cannot be stored the call fails
// and returns no data.
#ifndef MNRECORDS_SERVER_GRPC_CALL_RUNNER_H_
#define MNRECORDS_SERVER_GRPC_CALL_RUNNER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "server/audit/audited_call.h"
#include "server/auth/authenticator.h"

namespace mnrecords {

// CallEnvironment is what every call needs besides its service: who may
// call, and where calls are audited. Both must outlive the server.
struct CallEnvironment {
  const Authenticator& authenticator;
  AuditOptions audit;
};

// FullMethodName returns "/{service}/{method}" for the method of
// `service_full_name` whose request type is `request`; the generated
// descriptors are the one source of method names. "" if there is none.
std::string FullMethodName(absl::string_view service_full_name,
                           const google::protobuf::Descriptor* request);

// AdmitAndRun admits the call described by `call` and runs `run` if it is
// admitted; returns the outcome to audit and respond with.
absl::Status AdmitAndRun(const CallEnvironment& env,
                         const grpc::ServerContext& context,
                         const google::protobuf::Message& request,
                         AuditedCall& call,
                         absl::FunctionRef<absl::Status()> run);

// Respond has the call audited, then returns `outcome` (OK once the audit
// event is stored, else the audit failure).
grpc::Status Respond(AuditedCall& call, const absl::Status& outcome,
                     const google::protobuf::Message& request);

// NewCall describes an RPC of ours before it is admitted: method, peer,
// deadline, and the principal "(unauthenticated)".
AuditedCall NewCall(const CallEnvironment& env,
                    const grpc::ServerContext& context, std::string method);

template <typename Service, typename Request, typename Response>
grpc::Status RunCall(
    const CallEnvironment& env, const grpc::ServerContext& context,
    absl::string_view service_full_name, Service& service,
    absl::StatusOr<Response> (Service::*method)(AuditedCall&, const Request&),
    const Request& request, Response* response) {
  static const std::string full_method =
      FullMethodName(service_full_name, Request::descriptor());
  AuditedCall call = NewCall(env, context, full_method);
  absl::StatusOr<Response> result = absl::UnknownError("not run");
  const absl::Status outcome = AdmitAndRun(env, context, request, call, [&] {
    result = (service.*method)(call, request);
    return result.status();
  });
  grpc::Status status = Respond(call, outcome, request);
  if (status.ok()) *response = *std::move(result);
  return status;
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_CALL_RUNNER_H_
