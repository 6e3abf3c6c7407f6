// The printable consent-history report of one patient, built with the
// client library from what an auditor may read: every consent with the
// exact instruction text revision signed and that text's SHA-256 verified
// now (VerifyConsent), signer, witness, method and every state change; a
// timeline of states per consent kind; which sessions each consent
// covered and which were not covered (GetConsentCoverage); every access to
// the patient's records in the period, bulk reads included
// (ListAuditEvents by patient); and the audit chain's verification against
// a checkpoint, so the paper can be tied back to the log.
//
// Gather reads (it makes calls that are themselves audited); Render is
// pure. The page is one self-contained HTML file (html.h).
#ifndef MNRECORDS_CLIENT_REPORT_CONSENT_HISTORY_REPORT_H_
#define MNRECORDS_CLIENT_REPORT_CONSENT_HISTORY_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/client.h"
#include "client/report/chain_check.h"

namespace mnrecords::report {

namespace v1 = ::clinic::microneedling::v1;

struct ConsentHistoryOptions {
  std::string patient;  // clinics/{clinic}/patients/{patient}
  // The period of sessions and accesses, [from, to). Unset `from`: the
  // first consent's signing (or 365 days before `to`); unset `to`: now.
  std::optional<absl::Time> from;
  std::optional<absl::Time> to;
  // A checkpoint kept outside the server (mnrec audit checkpoint --json);
  // without one the chain is checked against its head read now.
  std::optional<v1::AuditCheckpoint> checkpoint;
};

// ConsentRecord is one consent and its text check.
struct ConsentRecord {
  v1::Consent consent;  // current revision
  v1::VerifyConsentResponse verification;
  std::vector<std::string> sessions_covered;  // session names
};

struct ConsentHistoryData {
  std::string patient;
  std::string clinic;  // clinic id
  absl::Time from;
  absl::Time to;
  absl::Time generated_at;
  std::vector<ConsentRecord> consents;        // by kind, then signing
  std::vector<v1::SessionCoverage> sessions;  // the patient's, by time
  std::vector<v1::AuditEvent> accesses;       // oldest first
  ChainCheck chain;
};

// GatherConsentHistory reads everything the report shows. The caller needs
// the auditor role (or one that may read consents, coverage and the audit
// log). Errors are the calls' (INVALID_ARGUMENT for a malformed patient).
absl::StatusOr<ConsentHistoryData> GatherConsentHistory(
    const RecordsClient& client, const ConsentHistoryOptions& options);

// RenderConsentHistory returns the report as one HTML document.
std::string RenderConsentHistory(const ConsentHistoryData& data);

}  // namespace mnrecords::report

#endif  // MNRECORDS_CLIENT_REPORT_CONSENT_HISTORY_REPORT_H_
