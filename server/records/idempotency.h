// Idempotent mutations (AIP-155): a mutation carries a request_id; the first
// call with an id does the work and remembers (digest of the request, record,
// revision); a retry with the same id and an identical request returns that
// first result and stores nothing; the same id with a different request is
// INVALID_ARGUMENT. Ids are scoped to a clinic and kept for good
// (docs/reliability.md "Idempotency keys").
#ifndef MNRECORDS_SERVER_RECORDS_IDEMPOTENCY_H_
#define MNRECORDS_SERVER_RECORDS_IDEMPOTENCY_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/status_macros.h"
#include "google/protobuf/message.h"
#include "server/audit/audited_call.h"
#include "server/store/store.h"

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

// RunOnce runs `mutate` in one write transaction unless (scope, request_id)
// was seen: then `replay` rebuilds the first result. `mutate` returns the
// result and the record/revision it produced. Either way the call's audit
// event (resource: the record produced) is stored in the same transaction
// (AuditedCall::Write); a replay is audited as a read of the first result.
// Every mutation goes through here, so no write can skip its audit event.
template <typename R>
absl::StatusOr<R> RunOnce(
    Store& store, AuditedCall& call, const std::string& scope,
    const std::string& request_id, const std::string& digest,
    absl::FunctionRef<absl::StatusOr<R>(WriteTxn&, RequestRecord*)> mutate,
    absl::FunctionRef<absl::StatusOr<R>(ReadTxn&, const RequestRecord&)>
        replay) {
  std::optional<R> result;
  MNR_RETURN_IF_ERROR(
      call.Write(store, [&](WriteTxn& txn) -> absl::StatusOr<WrittenResource> {
        MNR_ASSIGN_OR_RETURN(std::optional<RequestRecord> prior,
                             txn.GetRequest(scope, request_id));
        if (prior.has_value()) {
          if (prior->request_hash != digest) {
            return absl::InvalidArgumentError(absl::StrCat(
                "request_id: \"", request_id,
                "\" was already used for a different request (", prior->name,
                "); use a new request_id for a new request"));
          }
          MNR_ASSIGN_OR_RETURN(result, replay(txn, *prior));
          return WrittenResource{prior->name, request_id};
        }
        RequestRecord record;
        record.request_hash = digest;
        MNR_ASSIGN_OR_RETURN(result, mutate(txn, &record));
        MNR_RETURN_IF_ERROR(txn.PutRequest(scope, request_id, record));
        return WrittenResource{record.name, request_id};
      }));
  return *std::move(result);
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_IDEMPOTENCY_H_
