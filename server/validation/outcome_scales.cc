#include "server/validation/outcome_scales.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

constexpr int kMaxAssessmentPhotos = 20;

// Score labels, index 0 = score 1, as the sources publish them.
// GAIS: Narins et al., Dermatol Surg 2003;29(6):588-595.
constexpr const char* kGaisLabels[] = {"Very much improved", "Much improved",
                                       "Improved", "No change", "Worse"};
// Our local 5-point satisfaction rating (not a published instrument).
constexpr const char* kSatisfactionLabels[] = {
    "Very satisfied", "Satisfied", "Neither satisfied nor dissatisfied",
    "Dissatisfied", "Very dissatisfied"};
// Goodman GJ, Baron JA. Postacne scarring: a qualitative global scarring
// grading system. Dermatol Surg 2006;32(12):1458-1466.
constexpr const char* kGoodmanBaronLabels[] = {
    "Macular disease", "Mild disease", "Moderate disease", "Severe disease"};

struct ScaleLabels {
  const char* const* labels;
  int count;
};

ScaleLabels LabelsOf(v1::OutcomeScale scale) {
  switch (scale) {
    case v1::OUTCOME_SCALE_GAIS:
      return {kGaisLabels, 5};
    case v1::OUTCOME_SCALE_PATIENT_SATISFACTION:
      return {kSatisfactionLabels, 5};
    case v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE:
      return {kGoodmanBaronLabels, 4};
    default:
      return {nullptr, 0};
  }
}

absl::Status CheckRater(absl::string_view field,
                        const v1::OutcomeAssessment& a) {
  const bool patient = a.rater() == v1::OUTCOME_RATER_PATIENT;
  if (a.scale() == v1::OUTCOME_SCALE_PATIENT_SATISFACTION && !patient) {
    return absl::InvalidArgumentError(
        absl::StrCat(field,
                     ": the patient's satisfaction is rated by the patient "
                     "(OUTCOME_RATER_PATIENT)"));
  }
  if (a.scale() == v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE && patient) {
    return absl::InvalidArgumentError(
        absl::StrCat(field,
                     ": Goodman and Baron's scarring grade is a clinician's "
                     "assessment (OUTCOME_RATER_CLINICIAN)"));
  }
  return absl::OkStatus();
}

absl::Status CheckUnder(absl::string_view field, absl::string_view name,
                        absl::string_view course) {
  if (!absl::StartsWith(name, absl::StrCat(course, "/"))) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", name, " is not in the course ", course));
  }
  return absl::OkStatus();
}

}  // namespace

std::string OutcomeScoreLabel(v1::OutcomeScale scale, int score) {
  const ScaleLabels labels = LabelsOf(scale);
  if (score < 1 || score > labels.count) return "";
  return labels.labels[score - 1];
}

std::string OutcomeScaleName(v1::OutcomeScale scale) {
  switch (scale) {
    case v1::OUTCOME_SCALE_GAIS:
      return "GAIS";
    case v1::OUTCOME_SCALE_PATIENT_SATISFACTION:
      return "patient satisfaction";
    case v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE:
      return "Goodman and Baron scarring grade";
    default:
      return "unknown scale";
  }
}

absl::Status ValidateOutcomeAssessment(absl::string_view field,
                                       const v1::OutcomeAssessment& a,
                                       absl::string_view course,
                                       absl::Time now) {
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "scale"), a.scale(),
                                v1::OutcomeScale_IsValid, true));
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "rater"), a.rater(),
                                v1::OutcomeRater_IsValid, true));
  MNR_RETURN_IF_ERROR(CheckRater(Sub(field, "rater"), a));
  const ScaleLabels labels = LabelsOf(a.scale());
  if (a.score() < 1 || a.score() > labels.count) {
    return absl::InvalidArgumentError(absl::StrCat(
        Sub(field, "score"), ": must be 1..", labels.count, " on the ",
        OutcomeScaleName(a.scale()), " scale, got ", a.score()));
  }
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "timepoint"), a.timepoint(),
                                v1::OutcomeTimepoint_IsValid, true));
  if (a.timepoint() == v1::OUTCOME_TIMEPOINT_BASELINE &&
      a.scale() != v1::OUTCOME_SCALE_GOODMAN_BARON_QUALITATIVE) {
    return absl::InvalidArgumentError(absl::StrCat(
        Sub(field, "timepoint"), ": the ", OutcomeScaleName(a.scale()),
        " rates the result against the start, so it has no BASELINE; use "
        "DURING_COURSE or FOLLOW_UP"));
  }
  MNR_RETURN_IF_ERROR(CheckTime(Sub(field, "assessed_at"), a.has_assessed_at(),
                                a.assessed_at(), true));
  MNR_RETURN_IF_ERROR(
      CheckNotFuture(Sub(field, "assessed_at"), a.assessed_at(), now));
  MNR_RETURN_IF_ERROR(
      CheckText(Sub(field, "assessed_by"), a.assessed_by(), 1, kMaxShortText));
  if (!a.session().empty()) {
    const std::string f = Sub(field, "session");
    MNR_RETURN_IF_ERROR(ParseName(f, a.session(), NameKind::kSession).status());
    MNR_RETURN_IF_ERROR(CheckUnder(f, a.session(), course));
  }
  const std::string photos = Sub(field, "photos");
  MNR_RETURN_IF_ERROR(
      CheckCount(photos, a.photos_size(), 0, kMaxAssessmentPhotos));
  std::set<std::string> seen;
  for (int i = 0; i < a.photos_size(); ++i) {
    const std::string f = Indexed(photos, i);
    MNR_RETURN_IF_ERROR(ParseName(f, a.photos(i), NameKind::kPhoto).status());
    MNR_RETURN_IF_ERROR(CheckUnder(f, a.photos(i), course));
    if (!seen.insert(a.photos(i)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ": ", a.photos(i), " is listed twice"));
    }
  }
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "status"), a.status(),
                                v1::OutcomeAssessmentStatus_IsValid, false));
  return CheckText(Sub(field, "notes"), a.notes(), 0, kMaxNotesText,
                   TextKind::kMultiLine);
}

}  // namespace mnrecords
