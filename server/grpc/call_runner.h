// RunCall: one RPC of ours from arrival to response, on gRPC's callback API
// (no thread waits for anything). It describes the call (method, peer,
// deadline), refuses it at once when too many calls are in flight, admits
// it (authentication, authorization, unknown fields: grpc_auth.h), runs
// the service method, has the call audited (AuditedCall::Finish: a refused
// or failed call too) and only then finishes the RPC. If the audit event
// cannot be stored the call fails and returns no data.
//
// A read runs on the gRPC thread that received it and answers at once; a
// write plans on that thread and answers from the store's writer once its
// transaction is durable; a long call (a backup, a whole-log check, an
// export) runs on the environment's pool of blocking threads, so it never
// holds up gRPC's few callback threads.
#ifndef MNRECORDS_SERVER_GRPC_CALL_RUNNER_H_
#define MNRECORDS_SERVER_GRPC_CALL_RUNNER_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "server/audit/audited_call.h"
#include "server/auth/authenticator.h"
#include "server/grpc/blocking_pool.h"
#include "server/grpc/call_observer.h"
#include "server/records/reply.h"

namespace mnrecords {

// CallEnvironment is what every call needs besides its service. Everything
// must outlive the server.
struct CallEnvironment {
  const Authenticator& authenticator;
  AuditOptions audit;
  // Calls in flight beyond this are refused at once with
  // RESOURCE_EXHAUSTED (and audited) instead of queueing.
  int max_calls_in_flight = 256;
  // Where long calls run.
  BlockingPool* blocking = nullptr;
  // Told about every call (metrics, access log); each must outlive the
  // server.
  std::vector<CallObserver*> observers{};
  std::atomic<int> in_flight{0};
};

// FullMethodName returns "/{service}/{method}" for the method of
// `service_full_name` whose request type is `request`; the generated
// descriptors are the one source of method names. "" if there is none.
std::string FullMethodName(absl::string_view service_full_name,
                           const google::protobuf::Descriptor* request);

// InFlightCall is one RPC between arrival and finish: its audited call and
// reactor. Deletes itself once finished.
class InFlightCall {
 public:
  // Start clears the request's output-only fields (output_only_fields.h),
  // describes the call and tells the observers. `response` is where the
  // service's answer goes; it must outlive the call.
  static InFlightCall* Start(CallEnvironment& env,
                             grpc::CallbackServerContext& context,
                             std::string method,
                             const google::protobuf::Message& request,
                             const google::protobuf::Message& response);

  // Admit refuses an overload, checks the caller and the request; OK when
  // the service may run.
  absl::Status Admit();

  AuditedCall& call() { return call_; }
  grpc::ServerUnaryReactor* reactor() { return reactor_; }

  // Finish has the call audited, then finishes the RPC with `outcome` (or
  // with the audit failure) and deletes this. Call it exactly once; a
  // successful outcome's response must be in place.
  void Finish(const absl::Status& outcome);

 private:
  InFlightCall(CallEnvironment& env, grpc::CallbackServerContext& context,
               std::string method, const google::protobuf::Message& request,
               const google::protobuf::Message& response);

  CallEnvironment& env_;
  grpc::CallbackServerContext& context_;
  const google::protobuf::Message& request_;
  const google::protobuf::Message& response_;
  const CallTiming timing_;
  grpc::ServerUnaryReactor* const reactor_;
  AuditedCall call_;
  bool counted_ = false;
};

// MethodName is the full name of the method taking `Request` in
// `service_full_name`, looked up once.
template <typename Request>
const std::string& MethodName(absl::string_view service_full_name) {
  static const std::string* const name =
      new std::string(FullMethodName(service_full_name, Request::descriptor()));
  return *name;
}

// RunRead runs a read: the service answers at once on this thread.
template <typename Service, typename Request, typename Response>
grpc::ServerUnaryReactor* RunRead(
    CallEnvironment& env, grpc::CallbackServerContext& context,
    absl::string_view service_full_name, Service& service,
    absl::StatusOr<Response> (Service::*method)(AuditedCall&, const Request&),
    const Request& request, Response* response) {
  InFlightCall* call = InFlightCall::Start(
      env, context, MethodName<Request>(service_full_name), request, *response);
  grpc::ServerUnaryReactor* reactor = call->reactor();
  absl::Status outcome = call->Admit();
  if (outcome.ok()) {
    absl::StatusOr<Response> result = (service.*method)(call->call(), request);
    outcome = result.status();
    if (result.ok()) *response = *std::move(result);
  }
  call->Finish(outcome);
  return reactor;
}

// RunWrite runs a write: the service answers through a Reply once the
// write is durable (or failed).
template <typename Service, typename Request, typename Response>
grpc::ServerUnaryReactor* RunWrite(
    CallEnvironment& env, grpc::CallbackServerContext& context,
    absl::string_view service_full_name, Service& service,
    void (Service::*method)(AuditedCall&, const Request&, Reply<Response>),
    const Request& request, Response* response) {
  InFlightCall* call = InFlightCall::Start(
      env, context, MethodName<Request>(service_full_name), request, *response);
  grpc::ServerUnaryReactor* reactor = call->reactor();
  const absl::Status admitted = call->Admit();
  if (!admitted.ok()) {
    call->Finish(admitted);
    return reactor;
  }
  (service.*method)(call->call(), request,
                    [call, response](absl::StatusOr<Response> result) {
                      if (result.ok()) *response = *std::move(result);
                      call->Finish(result.status());
                    });
  return reactor;
}

// RunBlocking runs a long read on env.blocking.
template <typename Service, typename Request, typename Response>
grpc::ServerUnaryReactor* RunBlocking(
    CallEnvironment& env, grpc::CallbackServerContext& context,
    absl::string_view service_full_name, Service& service,
    absl::StatusOr<Response> (Service::*method)(AuditedCall&, const Request&),
    const Request& request, Response* response) {
  InFlightCall* call = InFlightCall::Start(
      env, context, MethodName<Request>(service_full_name), request, *response);
  grpc::ServerUnaryReactor* reactor = call->reactor();
  const absl::Status admitted = call->Admit();
  if (!admitted.ok()) {
    call->Finish(admitted);
    return reactor;
  }
  env.blocking->Run([call, &service, method, &request, response] {
    absl::StatusOr<Response> result = (service.*method)(call->call(), request);
    if (result.ok()) *response = *std::move(result);
    call->Finish(result.status());
  });
  return reactor;
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_CALL_RUNNER_H_
