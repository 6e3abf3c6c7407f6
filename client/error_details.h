// The machine-readable details of an error the server returned. Every
// error carries a reason (clinic/microneedling/v1/error_reason.proto);
// INVALID_ARGUMENT names the refused fields and a protocol rule's
// FAILED_PRECONDITION names the rules. The client keeps them on the
// absl::Status it returns (as payloads, see ToAbslStatus); read them here.
#ifndef MNRECORDS_CLIENT_ERROR_DETAILS_H_
#define MNRECORDS_CLIENT_ERROR_DETAILS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace mnrecords {

// A refused field of the request (google.rpc.BadRequest.FieldViolation).
struct FieldViolation {
  std::string field;        // its path, e.g. "session.performed_at"; "" =
                            // the request as a whole
  std::string description;  // what is wrong, for a person
};

// A rule the request broke (google.rpc.PreconditionFailure.Violation).
struct PreconditionViolation {
  std::string type;         // the rule's finding code, e.g.
                            // "MNP-CONSENT-MISSING"
  std::string subject;      // the plugin that reported it
  std::string description;  // for a person
};

struct ErrorDetails {
  // google.rpc.ErrorInfo: the name of a clinic.microneedling.v1.ErrorReason
  // value (e.g. "INVALID_FIELD") in the domain "mnrecords.clinic"; empty
  // when the error came from elsewhere (the client, gRPC or a proxy).
  std::string reason;
  std::string domain;
  std::map<std::string, std::string> metadata;
  std::vector<FieldViolation> field_violations;
  std::vector<PreconditionViolation> precondition_violations;
};

// GetErrorDetails reads the details of a status the client library
// returned. An OK status, or one without details, gives empty details.
ErrorDetails GetErrorDetails(const absl::Status& status);

}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_ERROR_DETAILS_H_
