// The clinic-level consent report for a period, in the style of the
// consent-history report: session coverage (every session of the clinic
// in the period checked against the consents in force when it was
// performed), the sessions not covered and why, consents in force that
// expire soon, the clinic's consents by kind and state, and the audit
// chain's verification against a checkpoint.
//
// Gather reads (with calls that are themselves audited); Render is pure.
#ifndef MNRECORDS_CLIENT_REPORT_CLINIC_REPORT_H_
#define MNRECORDS_CLIENT_REPORT_CLINIC_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/client.h"
#include "client/report/chain_check.h"

namespace mnrecords::report {

struct ClinicReportOptions {
  std::string clinic;  // clinic id
  absl::Time from;     // [from, to), required
  absl::Time to;
  // Consents in force that expire within this long after the report is
  // made are listed.
  absl::Duration expiring_within = absl::Hours(24 * 30);
  std::optional<clinic::microneedling::v1::AuditCheckpoint> checkpoint;
};

struct ClinicReportData {
  ClinicReportOptions options;
  absl::Time generated_at;
  clinic::microneedling::v1::GetConsentCoverageResponse coverage;
  std::vector<clinic::microneedling::v1::Consent> consents;  // all of them
  std::vector<clinic::microneedling::v1::Consent> expiring;  // soonest first
  ChainCheck chain;
};

// GatherClinicReport reads what the report shows (an auditor may).
// INVALID_ARGUMENT for an empty clinic or a period that ends before it
// starts; otherwise the calls' errors.
absl::StatusOr<ClinicReportData> GatherClinicReport(
    const RecordsClient& client, const ClinicReportOptions& options);

// RenderClinicReport returns the report as one HTML document.
std::string RenderClinicReport(const ClinicReportData& data);

}  // namespace mnrecords::report

#endif  // MNRECORDS_CLIENT_REPORT_CLINIC_REPORT_H_
