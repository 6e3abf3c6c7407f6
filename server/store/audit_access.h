// What a call disclosed, as its audit event keeps it: the patients whose
// records the call's responses named and how many records they named. An
// auditor asking "who saw this patient's records" finds every call whose
// event lists the patient, bulk reads (lists, coverage, change feed)
// included (docs/api.md "Audit log").
//
// Stored form (AuditEvent::accessed), hashed into the chain through its
// SHA-256 (audit_chain.h):
//   netstring(decimal record count), then one netstring per patient name
//   (clinics/{clinic}/patients/{patient}), sorted by bytes, no repeats.
// "" when the call disclosed no patient's records.
#ifndef MNRECORDS_SERVER_STORE_AUDIT_ACCESS_H_
#define MNRECORDS_SERVER_STORE_AUDIT_ACCESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mnrecords {

// RecordsAccessed is the decoded form.
struct RecordsAccessed {
  // Distinct records (patients, courses, sessions, photos, consents) the
  // responses named.
  int64_t record_count = 0;
  // Their patients, sorted, distinct.
  std::vector<std::string> patients;
};

// EncodeRecordsAccessed returns the stored form; "" when `accessed` names no
// patient. `patients` must be sorted and distinct.
std::string EncodeRecordsAccessed(const RecordsAccessed& accessed);

// DecodeRecordsAccessed parses the stored form. DATA_LOSS if it is not one
// (the stored bytes were changed).
absl::StatusOr<RecordsAccessed> DecodeRecordsAccessed(absl::string_view stored);

// PatientOfResource returns clinics/{clinic}/patients/{patient} of a
// resource name at or below a patient, else "" (other names, list parents
// with a "-" patient, anything malformed).
absl::string_view PatientOfResource(absl::string_view resource);

// AuditEventPatients returns the patients an event is filed under for
// AuditQuery::patient, sorted and distinct: those whose records it
// disclosed (`accessed`, the stored form) and the patient of its resource,
// whatever the call's outcome. Malformed `accessed` contributes nothing.
std::vector<std::string> AuditEventPatients(absl::string_view resource,
                                            absl::string_view accessed);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_AUDIT_ACCESS_H_
