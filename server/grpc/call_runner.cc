#include "server/grpc/call_runner.h"

#include "absl/strings/str_cat.h"
#include "server/grpc/grpc_auth.h"
#include "server/grpc/grpc_status.h"

namespace mnrecords {

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

AuditedCall NewCall(const CallEnvironment& env,
                    const grpc::ServerContext& context, std::string method) {
  CallContext call;
  call.method = std::move(method);
  call.peer = context.peer();
  call.principal.id = "(unauthenticated)";
  call.deadline = absl::FromChrono(context.deadline());
  return AuditedCall(std::move(call), env.audit);
}

absl::Status AdmitAndRun(const CallEnvironment& env,
                         const grpc::ServerContext& context,
                         const google::protobuf::Message& request,
                         AuditedCall& call,
                         absl::FunctionRef<absl::Status()> run) {
  absl::Status admitted =
      AdmitCall(env.authenticator, context, request, call.context());
  if (!admitted.ok()) return admitted;
  return run();
}

grpc::Status Respond(AuditedCall& call, const absl::Status& outcome,
                     const google::protobuf::Message& request) {
  const absl::Status audited = call.Finish(outcome, request);
  if (!outcome.ok()) return ToGrpcStatus(outcome);
  if (!audited.ok()) {
    return ToGrpcStatus(absl::Status(
        audited.code(), absl::StrCat("the audit event of this call could not "
                                     "be stored, so no data is returned: ",
                                     audited.message())));
  }
  return grpc::Status::OK;
}

}  // namespace mnrecords
