#include "server/store/audit_access.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/store/netstring.h"

namespace mnrecords {

std::string EncodeRecordsAccessed(const RecordsAccessed& accessed) {
  if (accessed.patients.empty()) return "";
  std::string out;
  AppendNetstring(&out, accessed.record_count);
  for (const std::string& patient : accessed.patients) {
    AppendNetstring(&out, patient);
  }
  return out;
}

absl::StatusOr<RecordsAccessed> DecodeRecordsAccessed(
    absl::string_view stored) {
  RecordsAccessed out;
  if (stored.empty()) return out;
  absl::string_view in = stored;
  absl::string_view count;
  if (!ConsumeNetstring(&in, &count) ||
      !absl::SimpleAtoi(count, &out.record_count) || out.record_count < 0) {
    return absl::DataLossError(
        "the stored list of records a call disclosed does not start with a "
        "record count");
  }
  while (!in.empty()) {
    absl::string_view patient;
    if (!ConsumeNetstring(&in, &patient) ||
        PatientOfResource(patient) != patient ||
        (!out.patients.empty() && out.patients.back() >= patient)) {
      return absl::DataLossError(absl::StrCat(
          "the stored list of patients a call disclosed is malformed after ",
          out.patients.size(), " patients"));
    }
    out.patients.emplace_back(patient);
  }
  if (out.patients.empty()) {
    return absl::DataLossError(
        "the stored list of records a call disclosed names no patient");
  }
  return out;
}

absl::string_view PatientOfResource(absl::string_view resource) {
  absl::string_view rest = resource;
  if (!absl::ConsumePrefix(&rest, "clinics/")) return "";
  const size_t clinic_end = rest.find('/');
  if (clinic_end == absl::string_view::npos) return "";
  const absl::string_view clinic = rest.substr(0, clinic_end);
  if (clinic.empty() || clinic == "-") return "";
  rest.remove_prefix(clinic_end + 1);
  if (!absl::ConsumePrefix(&rest, "patients/")) return "";
  const size_t patient_end = std::min(rest.find('/'), rest.size());
  const absl::string_view patient = rest.substr(0, patient_end);
  if (patient.empty() || patient == "-") return "";
  return resource.substr(0, resource.size() - rest.size() + patient_end);
}

std::vector<std::string> AuditEventPatients(absl::string_view resource,
                                            absl::string_view accessed) {
  std::vector<std::string> patients;
  absl::StatusOr<RecordsAccessed> decoded = DecodeRecordsAccessed(accessed);
  if (decoded.ok()) patients = std::move(decoded->patients);
  const absl::string_view own = PatientOfResource(resource);
  if (!own.empty() &&
      !std::binary_search(patients.begin(), patients.end(), own)) {
    patients.insert(std::lower_bound(patients.begin(), patients.end(), own),
                    std::string(own));
  }
  return patients;
}

}  // namespace mnrecords
