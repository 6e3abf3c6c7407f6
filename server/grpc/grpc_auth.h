// The gRPC side of authentication and authorization: reads the credentials
// of a call from its metadata and TLS peer, and admits or refuses it.
#ifndef MNRECORDS_SERVER_GRPC_GRPC_AUTH_H_
#define MNRECORDS_SERVER_GRPC_GRPC_AUTH_H_

#include <map>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"
#include "server/auth/authenticator.h"
#include "server/auth/call_context.h"

namespace mnrecords {

// AuthenticateGrpc authenticates a call from its client metadata (the
// `authorization` entry; more than one is UNAUTHENTICATED) and, over mTLS,
// the verified client certificate's subject in `auth_context` (may be null).
absl::StatusOr<Principal> AuthenticateGrpc(
    const Authenticator& authenticator,
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata,
    const grpc::AuthContext* auth_context);

// AdmitCall admits an RPC of ours described by `call`: the call must not be
// cancelled or past its deadline (DEADLINE_EXCEEDED), must be authenticated
// (UNAUTHENTICATED) and authorized for `request` (PERMISSION_DENIED; see
// server/auth/authorization.h), and `request` may hold no unknown fields
// (INVALID_ARGUMENT; unknown_fields.h). Sets call.principal once the
// caller is authenticated, so a refused call is audited with whoever it was.
absl::Status AdmitCall(const Authenticator& authenticator,
                       const grpc::ServerContextBase& context,
                       const google::protobuf::Message& request,
                       CallContext& call);

// RequireCredentialsInterceptors guards the services that are not ours:
// a call to any method other than gRPC health checking and the
// mnrecords services (which call AdmitCall themselves), i.e. server
// reflection, is cancelled (CANCELLED) unless it authenticates.
// `authenticator` must outlive the server.
std::vector<
    std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
RequireCredentialsInterceptors(const Authenticator& authenticator);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_GRPC_AUTH_H_
