// Exporter: the narrow interface through which an export format (FHIR R4,
// ...) sees a patient's records. Exporters are read only: they get a const
// snapshot the service gathered in one read transaction and return the
// exported document; they cannot read or write the store themselves.
// Authorization, clinic scope and auditing stay in the service around them.
//
// Thread safety: Export is const and may be called concurrently.
#ifndef MNRECORDS_PLUGINS_API_EXPORTER_H_
#define MNRECORDS_PLUGINS_API_EXPORTER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "plugins/api/format_registry.h"

namespace mnrecords::plugins {

namespace v1 = ::clinic::microneedling::v1;

// History is every revision of one record, oldest first: back() is the
// current revision. Never empty.
template <typename R>
using History = std::vector<R>;

// ExportSnapshot is what an exporter sees: one consistent read of a
// patient's records, in creation order. With a course filter, `courses`,
// `sessions` and `photos` hold only that course's records; consents are the
// patient's in any case.
struct ExportSnapshot {
  std::string clinic;         // clinic id
  v1::Patient patient;        // current revision
  std::string course_filter;  // the one course exported, "" = all
  std::vector<History<v1::TreatmentCourse>> courses;
  std::vector<History<v1::TreatmentSession>> sessions;
  std::vector<History<v1::OutcomePhoto>> photos;
  std::vector<History<v1::Consent>> consents;
  // The patient's screenings (whatever the course filter).
  std::vector<History<v1::Screening>> screenings;
  // The outcome assessments of the courses above.
  std::vector<History<v1::OutcomeAssessment>> assessments;
  // The signatures of the sessions above (never amended: one revision).
  std::vector<v1::SessionSignature> signatures;
  // Every instruction set revision a consent, a session or a screening
  // (its questionnaire) refers to.
  std::vector<v1::InstructionSet> instruction_revisions;
  // Current revision id of each referenced instruction set, by set name.
  std::map<std::string, int64_t> instruction_current_revision;
};

class Exporter {
 public:
  virtual ~Exporter() = default;

  // media_type is the MIME type of what Export returns.
  virtual std::string media_type() const = 0;

  // Export turns the snapshot into the exported document. INTERNAL if a
  // record cannot be represented (a bug, not bad input).
  virtual absl::StatusOr<std::string> Export(
      const ExportSnapshot& snapshot) const = 0;
};

// ExporterRegistry: the patient record export formats a server offers.
using ExporterRegistry = FormatRegistry<Exporter>;

}  // namespace mnrecords::plugins

#endif  // MNRECORDS_PLUGINS_API_EXPORTER_H_
