#include "server/consent/consent_in_force.h"

#include <vector>

#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/consent_status.h"
#include "server/records/record_codec.h"

namespace mnrecords {

absl::StatusOr<v1::KindConsentStatus> ConsentStatusAt(
    ReadTxn& txn, const std::string& clinic, const std::string& patient,
    v1::InstructionKind kind, absl::Time t, v1::PhotoUse use) {
  v1::KindConsentStatus status;
  status.set_kind(kind);
  status.set_coverage(v1::CONSENT_COVERAGE_MISSING);
  if (kind == v1::INSTRUCTION_KIND_PHOTOGRAPHY) status.set_photo_use(use);
  RecordQuery query;
  query.kind = RecordKind::kConsent;
  query.clinic = clinic;
  query.patient = patient;
  query.category = kind;
  query.order = RecordQuery::Order::kEventTimeDescending;
  query.event_time_to_us = absl::ToUnixMicros(t) + 1;  // signed by t
  query.limit = 8;  // usually the first is in force; revoked ones are few
  for (;;) {
    MNR_ASSIGN_OR_RETURN(const std::vector<StoredRecord> rows,
                         txn.ListRecords(query));
    for (const StoredRecord& row : rows) {
      MNR_ASSIGN_OR_RETURN(const v1::Consent c, DecodeRecord<v1::Consent>(row));
      if (!ConsentInForceAt(c, t) || !ConsentCoversUse(c, use)) continue;
      status.set_consent(c.name());
      status.set_coverage(c.decision() == v1::CONSENT_DECISION_GRANTED
                              ? v1::CONSENT_COVERAGE_GRANTED
                              : v1::CONSENT_COVERAGE_REFUSED);
      return status;
    }
    if (static_cast<int>(rows.size()) < query.limit) return status;
    query.after_event_time_us = rows.back().revision.event_time_us;
    query.after_seq = rows.back().seq;
  }
}

}  // namespace mnrecords
