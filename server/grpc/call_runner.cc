#include "server/grpc/call_runner.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/grpc/grpc_auth.h"
#include "server/grpc/grpc_status.h"
#include "server/grpc/output_only_fields.h"

namespace mnrecords {
namespace {

CallContext DescribeCall(const grpc::CallbackServerContext& context,
                         std::string method) {
  CallContext call;
  call.method = std::move(method);
  call.peer = context.peer();
  call.principal.id = "(unauthenticated)";
  call.deadline = absl::FromChrono(context.deadline());
  return call;
}

}  // namespace

std::string FullMethodName(absl::string_view service_full_name,
                           const google::protobuf::Descriptor* request) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          std::string(service_full_name));
  if (service == nullptr) return "";
  for (int i = 0; i < service->method_count(); ++i) {
    if (service->method(i)->input_type() == request) {
      return absl::StrCat("/", service_full_name, "/",
                          service->method(i)->name());
    }
  }
  return "";
}

InFlightCall::InFlightCall(CallEnvironment& env,
                           grpc::CallbackServerContext& context,
                           std::string method,
                           const google::protobuf::Message& request,
                           const google::protobuf::Message& response)
    : env_(env),
      context_(context),
      request_(request),
      response_(response),
      reactor_(context.DefaultReactor()),
      call_(DescribeCall(context, std::move(method)), env.audit) {}

InFlightCall* InFlightCall::Start(CallEnvironment& env,
                                  grpc::CallbackServerContext& context,
                                  std::string method,
                                  const google::protobuf::Message& request,
                                  const google::protobuf::Message& response) {
  // gRPC's callback API gives each call a request object of its own,
  // allocated mutable; the handler sees it const only by convention.
  ClearOutputOnlyFields(const_cast<google::protobuf::Message&>(request));
  for (CallObserver* observer : env.observers) observer->OnCallStarted(method);
  return new InFlightCall(env, context, std::move(method), request, response);
}

absl::Status InFlightCall::Admit() {
  counted_ = true;
  const int in_flight = env_.in_flight.fetch_add(1) + 1;
  if (in_flight > env_.max_calls_in_flight) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the server is at its limit of ", env_.max_calls_in_flight,
                     " calls in flight; nothing was done, retry with backoff"));
  }
  return AdmitCall(env_.authenticator, context_, request_, call_.context());
}

void InFlightCall::Finish(const absl::Status& outcome) {
  if (outcome.ok()) call_.NoteDisclosed(response_);
  call_.Finish(outcome, request_, [this, outcome](absl::Status audited) {
    grpc::Status status = ToGrpcStatus(outcome);
    if (outcome.ok() && !audited.ok()) {
      status = ToGrpcStatus(absl::Status(
          audited.code(),
          absl::StrCat("the audit event of this call could not be stored, "
                       "so no data is returned: ",
                       audited.message())));
    }
    // gRPC's and Abseil's codes share their numbers.
    const auto code = static_cast<absl::StatusCode>(status.error_code());
    NotifyFinished(env_.observers, call_.context(), request_,
                   code == absl::StatusCode::kOk ? &response_ : nullptr, code,
                   timing_, audited.ok());
    if (counted_) env_.in_flight.fetch_sub(1);
    grpc::ServerUnaryReactor* reactor = reactor_;
    delete this;
    reactor->Finish(status);
  });
}

}  // namespace mnrecords
