// Idempotent mutations (AIP-155): a mutation carries a request_id; the first
// call with an id does the work and remembers (digest of the request, record,
// revision); a retry with the same id and an identical request returns that
// first result and stores nothing; the same id with a different request is
// INVALID_ARGUMENT (prepared_write.h runs this in the write transaction). Ids
// are scoped to a clinic and remembered for the configured retention, at
// least 24 hours (server/store/request_expiry.h; docs/reliability.md
// "Idempotency keys").
#ifndef MNRECORDS_SERVER_RECORDS_IDEMPOTENCY_H_
#define MNRECORDS_SERVER_RECORDS_IDEMPOTENCY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace mnrecords {

// RequestDigest is a SHA-256 over the method's name (the part of the full
// gRPC method after its last '/', e.g. "LogSession") and the request's
// deterministic serialization without its request_id field.
std::string RequestDigest(absl::string_view method,
                          const google::protobuf::Message& request);

// RequestScope is the scope request ids are unique in.
inline std::string RequestScope(absl::string_view clinic) {
  return absl::StrCat("clinics/", clinic);
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_IDEMPOTENCY_H_
