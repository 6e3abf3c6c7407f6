// Authorization: the one place that decides whether the authenticated
// principal of a call may make it. Two checks, in this order:
//   1. role: the method's entry in MethodRoles() must list the principal's
//      role (a method without an entry is refused for everyone);
//   2. clinic: every clinic named by the request's resource names (`parent`,
//      `name`, and the `name` of a resource message it carries, as in
//      Amend*) must be one of the principal's clinics.
// Both failures are PERMISSION_DENIED. The clinic check looks only at the
// request, before anything is read, so the answer is the same whether the
// named resource exists or not: it reveals nothing about another clinic.
// The request fields are found by protobuf reflection, so a new RPC is
// covered without code here (its roles still need a table entry).
#ifndef MNRECORDS_SERVER_AUTH_AUTHORIZATION_H_
#define MNRECORDS_SERVER_AUTH_AUTHORIZATION_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "server/auth/call_context.h"

namespace mnrecords {

// MethodRoles maps each full gRPC method name ("/pkg.Service/Method") to
// the roles that may call it.
const std::map<std::string, std::set<Role>>& MethodRoles();

// ClinicsNamedIn returns the clinic ids of every resource name in `request`
// — any string field, at any depth, that starts with "clinics/{clinic}" with
// a well-formed clinic id (may repeat). Names of any other shape (including the
// "-" wildcard as clinic) name no clinic; validation refuses them
// (INVALID_ARGUMENT).
std::vector<std::string> ClinicsNamedIn(
    const google::protobuf::Message& request);

// Authorize returns OK when call.principal may call call.method with
// `request`, else PERMISSION_DENIED saying which check failed.
absl::Status Authorize(const CallContext& call,
                       const google::protobuf::Message& request);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUTH_AUTHORIZATION_H_
