#include "server/charts/chart_completeness.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "server/consent/consent_status.h"
#include "server/records/record_codec.h"

namespace mnrecords {
namespace {

bool BelongsTo(const v1::OutcomePhoto& photo, const std::string& session) {
  return absl::StartsWith(photo.name(), absl::StrCat(session, "/photos/"));
}

void AddFindings(const std::string& record,
                 const google::protobuf::RepeatedPtrField<v1::Finding>& in,
                 v1::CourseSummary* summary) {
  for (const v1::Finding& f : in) {
    v1::RecordFinding* out = summary->add_open_findings();
    out->set_record(record);
    *out->mutable_finding() = f;
  }
}

}  // namespace

std::vector<v1::ChartItem> SessionMissing(
    const v1::TreatmentSession& session,
    const std::vector<v1::OutcomePhoto>& photos,
    const std::vector<v1::Consent>& consents) {
  std::vector<v1::ChartItem> missing;
  const absl::Time at = FromProtoTime(session.performed_at());
  const struct {
    v1::InstructionKind kind;
    v1::ChartItem item;
  } kinds[] = {
      {v1::INSTRUCTION_KIND_PROCEDURE, v1::CHART_ITEM_PROCEDURE_CONSENT},
      {v1::INSTRUCTION_KIND_PREPARATION, v1::CHART_ITEM_PREPARATION_CONSENT},
      {v1::INSTRUCTION_KIND_AFTERCARE, v1::CHART_ITEM_AFTERCARE_CONSENT},
  };
  for (const auto& k : kinds) {
    if (ConsentStatusForKind(k.kind, consents, at).coverage() !=
        v1::CONSENT_COVERAGE_GRANTED) {
      missing.push_back(k.item);
    }
  }
  if (!session.has_aftercare_instructions()) {
    missing.push_back(v1::CHART_ITEM_AFTERCARE_HANDED_OUT);
  }
  if (session.cartridge().lot().empty()) {
    missing.push_back(v1::CHART_ITEM_CARTRIDGE_LOT);
  }
  bool baseline = false;
  for (const v1::OutcomePhoto& p : photos) {
    if (BelongsTo(p, session.name()) && !IsEnteredInError(p) &&
        p.phase() == v1::PHOTO_PHASE_BASELINE) {
      baseline = true;
    }
  }
  if (!baseline) missing.push_back(v1::CHART_ITEM_BASELINE_PHOTOS);
  if (session.adverse_events_assessment() ==
      v1::ADVERSE_EVENTS_ASSESSMENT_UNSPECIFIED) {
    missing.push_back(v1::CHART_ITEM_ADVERSE_EVENTS);
  }
  if (session.notes().empty()) missing.push_back(v1::CHART_ITEM_NOTES);
  if (!session.has_aftercare_delivery()) {
    missing.push_back(v1::CHART_ITEM_AFTERCARE_DELIVERED);
  }
  return missing;
}

void AddChartDetails(const v1::TreatmentCourse& course,
                     const std::vector<v1::TreatmentSession>& sessions,
                     const std::vector<v1::OutcomePhoto>& photos,
                     const std::vector<v1::Consent>& consents,
                     v1::CourseSummary* summary) {
  AddFindings(course.name(), course.findings(), summary);
  std::set<std::string> live;
  for (const v1::TreatmentSession& s : sessions) {
    if (s.status() == v1::SESSION_STATUS_ENTERED_IN_ERROR) continue;
    live.insert(s.name());
    AddFindings(s.name(), s.findings(), summary);
    v1::SessionCompleteness* c = summary->add_session_completeness();
    c->set_session(s.name());
    for (v1::ChartItem item : SessionMissing(s, photos, consents)) {
      c->add_missing(item);
    }
  }
  for (const v1::OutcomePhoto& p : photos) {
    const std::string session = p.name().substr(0, p.name().find("/photos/"));
    if (live.count(session) == 0 || IsEnteredInError(p)) continue;
    AddFindings(p.name(), p.findings(), summary);
  }
}

}  // namespace mnrecords
