// CallContext: who is calling and from where, as the gRPC layer established
// it. Every service method receives one (inside its AuditedCall,
// server/audit/audited_call.h); authorization and auditing read the caller
// from here, never from request fields.
#ifndef MNRECORDS_SERVER_AUTH_CALL_CONTEXT_H_
#define MNRECORDS_SERVER_AUTH_CALL_CONTEXT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace mnrecords {

// Role of a principal: what it may call (authorization.h).
enum class Role {
  kUnspecified,
  kClinician,
  kEhrSystem,
  kAuditor,
  kAdmin,
};

// RoleName is the lower-case name of a role ("clinician", "ehr_system",
// "auditor", "admin"; "unspecified"), as the config and the audit log
// spell it.
inline absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kClinician:
      return "clinician";
    case Role::kEhrSystem:
      return "ehr_system";
    case Role::kAuditor:
      return "auditor";
    case Role::kAdmin:
      return "admin";
    case Role::kUnspecified:
      break;
  }
  return "unspecified";
}

// Principal is an authenticated caller.
struct Principal {
  std::string id;            // stable id from the server config
  std::string display_name;  // for people reading the audit log
  Role role = Role::kUnspecified;
  std::vector<std::string> clinics;  // clinic ids the principal belongs to
  // Sign-off (server_config.proto PrincipalConfig): the id sessions name
  // this clinician by, the professional role signatures show, whether the
  // principal may co-sign, and whether its sessions need a co-signature.
  std::string clinician_id;
  std::string credential;
  bool may_cosign = false;
  bool cosign_required = false;
};

// CallContext describes one RPC.
struct CallContext {
  std::string method;  // full gRPC method, e.g. "/pkg.Service/Method"
  std::string peer;    // the caller's address as gRPC reports it
  Principal principal;
  // The caller's deadline (wall clock). A write whose transaction would
  // start after it is not started (DEADLINE_EXCEEDED, nothing stored).
  absl::Time deadline = absl::InfiniteFuture();
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUTH_CALL_CONTEXT_H_
