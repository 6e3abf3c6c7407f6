#include "server/grpc/grpc_auth.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/grpc_security_constants.h"
#include "server/auth/authorization.h"
#include "server/grpc/unknown_fields.h"

namespace mnrecords {
namespace {

absl::string_view View(const grpc::string_ref& s) {
  return absl::string_view(s.data(), s.size());
}

// Calls these prefixes name authenticate in their handlers (AdmitCall) or
// need no credentials (health checking).
bool HandlesItsOwnAuth(absl::string_view method) {
  return absl::StartsWith(method, "/grpc.health.v1.Health/") ||
         absl::StartsWith(method, "/clinic.microneedling.v1.");
}

class RequireCredentials : public grpc::experimental::Interceptor {
 public:
  RequireCredentials(const Authenticator& authenticator,
                     grpc::experimental::ServerRpcInfo* info)
      : authenticator_(authenticator), info_(info) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::
                POST_RECV_INITIAL_METADATA)) {
      auto* context = info_->server_context();
      const auto auth_context = context->auth_context();
      if (!AuthenticateGrpc(authenticator_, *methods->GetRecvInitialMetadata(),
                            auth_context.get())
               .ok()) {
        context->TryCancel();
      }
    }
    methods->Proceed();
  }

 private:
  const Authenticator& authenticator_;
  grpc::experimental::ServerRpcInfo* info_;
};

class RequireCredentialsFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RequireCredentialsFactory(const Authenticator& authenticator)
      : authenticator_(authenticator) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (HandlesItsOwnAuth(info->method())) return nullptr;
    return new RequireCredentials(authenticator_, info);
  }

 private:
  const Authenticator& authenticator_;
};

}  // namespace

absl::StatusOr<Principal> AuthenticateGrpc(
    const Authenticator& authenticator,
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
    const grpc::AuthContext* auth_context) {
  absl::optional<absl::string_view> authorization;
  const auto range = metadata.equal_range("authorization");
  for (auto it = range.first; it != range.second; ++it) {
    if (authorization.has_value()) {
      return absl::UnauthenticatedError(
          "more than one authorization metadata entry");
    }
    authorization = View(it->second);
  }
  std::string subject;
  if (auth_context != nullptr && auth_context->IsPeerAuthenticated()) {
    for (const grpc::string_ref& value :
         auth_context->FindPropertyValues(GRPC_X509_SUBJECT_PROPERTY_NAME)) {
      subject.assign(value.data(), value.size());
    }
  }
  return authenticator.Authenticate(authorization, subject);
}

absl::Status AdmitCall(const Authenticator& authenticator,
                       const grpc::ServerContextBase& context,
                       const google::protobuf::Message& request,
                       CallContext& call) {
  if (context.IsCancelled()) {
    return absl::DeadlineExceededError(
        "the call was cancelled or passed its deadline before it started");
  }
  const auto auth_context = context.auth_context();
  auto principal = AuthenticateGrpc(authenticator, context.client_metadata(),
                                    auth_context.get());
  if (!principal.ok()) return principal.status();
  call.principal = *std::move(principal);
  if (absl::Status allowed = Authorize(call, request); !allowed.ok()) {
    return allowed;
  }
  return CheckNoUnknownFields(request);
}

std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
RequireCredentialsInterceptors(const Authenticator& authenticator) {
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      factories;
  factories.push_back(
      std::make_unique<RequireCredentialsFactory>(authenticator));
  return factories;
}

}  // namespace mnrecords
