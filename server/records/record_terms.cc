#include "server/records/record_terms.h"

#include "server/records/record_traits.h"

namespace mnrecords {
namespace {

template <typename R>
std::vector<std::string> TermsOf(const RecordRevision& revision) {
  R record;
  if (!record.ParseFromString(revision.payload)) return {};
  return RecordTraits<R>::Terms(record);
}

}  // namespace

std::vector<std::string> DeriveRecordTerms(const RecordRevision& revision) {
  switch (revision.kind) {
    case RecordKind::kSession:
      return TermsOf<v1::TreatmentSession>(revision);
    case RecordKind::kPhotoRelease:
      return TermsOf<v1::PhotoRelease>(revision);
    case RecordKind::kPatient:
    case RecordKind::kCourse:
    case RecordKind::kPhoto:
    case RecordKind::kConsent:
    case RecordKind::kInstructionSet:
    case RecordKind::kPluginSettings:
    case RecordKind::kScreening:
    case RecordKind::kOutcomeAssessment:
    case RecordKind::kSessionSignature:
      return {};
  }
  return {};
}

}  // namespace mnrecords
