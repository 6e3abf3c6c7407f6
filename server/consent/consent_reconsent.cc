#include "server/consent/consent_reconsent.h"

#include <vector>

#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/consent_status.h"
#include "server/consent/instruction_refs.h"

namespace mnrecords {

absl::StatusOr<std::optional<absl::Time>> ReconsentCutoff(
    ReadTxn& txn, const v1::Consent& c) {
  int64_t after = c.instructions().revision_id();
  for (;;) {
    MNR_ASSIGN_OR_RETURN(
        std::vector<StoredRecord> rows,
        txn.ListRevisions(c.instructions().instruction_set(), after, 100));
    for (const StoredRecord& row : rows) {
      MNR_ASSIGN_OR_RETURN(const v1::InstructionSet set,
                           DecodeInstructionSet(row));
      if (set.requires_reconsent()) {
        return std::optional<absl::Time>(FromProtoTime(set.effective_time()));
      }
      after = row.revision.revision_id;
    }
    if (rows.size() < 100) return std::optional<absl::Time>();
  }
}

absl::StatusOr<std::optional<absl::Time>> ApplyReconsent(ReadTxn& txn,
                                                         v1::Consent* c) {
  MNR_ASSIGN_OR_RETURN(const std::optional<absl::Time> cutoff,
                       ReconsentCutoff(txn, *c));
  c->set_needs_reconsent(cutoff.has_value());
  return cutoff;
}

bool InForceAt(const v1::Consent& c, std::optional<absl::Time> cutoff,
               absl::Time t) {
  if (cutoff.has_value() && t >= *cutoff) return false;
  return ConsentInForceAt(c, t);
}

}  // namespace mnrecords
