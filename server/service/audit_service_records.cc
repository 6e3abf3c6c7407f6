// AuditService::VerifyRecords (audit_service.h).
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/audit/records_verify.h"
#include "server/service/audit_service.h"
#include "server/validation/resource_names.h"

namespace mnrecords {
namespace {

constexpr int kDefaultMaxProblems = 100;
constexpr int kMaxMaxProblems = 1000;

v1::RecordProblem::Kind KindOf(RevisionProblem::Kind kind) {
  switch (kind) {
    case RevisionProblem::Kind::kContentChanged:
      return v1::RecordProblem::CONTENT_CHANGED;
    case RevisionProblem::Kind::kStoredHashChanged:
      return v1::RecordProblem::STORED_HASH_CHANGED;
    case RevisionProblem::Kind::kMissing:
      return v1::RecordProblem::REVISION_MISSING;
    case RevisionProblem::Kind::kNotInLog:
      return v1::RecordProblem::NOT_IN_LOG;
    case RevisionProblem::Kind::kDuplicated:
      return v1::RecordProblem::DUPLICATED;
  }
  return v1::RecordProblem::KIND_UNSPECIFIED;
}

}  // namespace

absl::StatusOr<v1::VerifyRecordsResponse> AuditService::VerifyRecords(
    AuditedCall& call, const v1::VerifyRecordsRequest& r) {
  std::string clinic;
  if (r.parent() == "clinics/-") {
    if (call.context().principal.role != Role::kAdmin) {
      return absl::PermissionDeniedError(
          "parent: verifying every clinic (clinics/-) needs the admin role; "
          "name one clinic");
    }
  } else {
    MNR_ASSIGN_OR_RETURN(const ResourceName name,
                         ParseName("parent", r.parent(), NameKind::kClinic));
    clinic = name.clinic;
  }
  if (r.max_problems() < 0 || r.max_problems() > kMaxMaxProblems) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_problems: must be between 0 and ", kMaxMaxProblems,
                     ", got ", r.max_problems()));
  }
  const int max_problems =
      r.max_problems() == 0 ? kDefaultMaxProblems : r.max_problems();

  v1::VerifyRecordsResponse response;
  v1::VerifyAuditLogRequest chain_request;
  if (r.has_checkpoint()) *chain_request.mutable_checkpoint() = r.checkpoint();
  MNR_ASSIGN_OR_RETURN(*response.mutable_chain(),
                       VerifyAuditLog(call, chain_request));
  MNR_ASSIGN_OR_RETURN(const RevisionsCheck check,
                       VerifyStoredRevisions(store_, clinic, max_problems));
  response.set_revisions_checked(check.revisions_checked);
  response.set_baseline_revisions(check.baseline_revisions);
  response.set_problem_count(check.problem_count);
  for (const RevisionProblem& p : check.problems) {
    v1::RecordProblem* out = response.add_problems();
    out->set_record(p.record);
    out->set_revision_id(p.revision_id);
    out->set_kind(KindOf(p.kind));
    out->set_problem(p.problem);
    out->set_audit_sequence(p.audit_sequence);
  }
  response.set_ok(response.chain().ok() && check.problem_count == 0);
  return response;
}

}  // namespace mnrecords
