// CarePlan (course), Procedure (session) and Media (photo).
#include <string>

#include "absl/strings/str_cat.h"
#include "plugins/fhir_r4/fhir_resources.h"

namespace mnrecords::fhir_r4 {
namespace {

Json NameIdentifier(absl::string_view name) {
  return Json::array({{{"system", NamingSystemUrl("resource-name")},
                       {"value", std::string(name)}}});
}

Json Meta(const v1::RevisionInfo& revision) {
  Json meta{{"versionId", std::to_string(revision.revision_id())}};
  if (HasTime(revision.create_time())) {
    meta["lastUpdated"] = FhirDateTime(revision.create_time());
  }
  return meta;
}

// BodySiteConcept: the local body-area code, laterality as an extension,
// the description (if any) as text.
Json BodySiteConcept(const v1::BodySite& site) {
  Json c = Concept(
      LocalCoding("body-area", v1::BodyArea_Name(site.area()), "BODY_AREA_"),
      site.description());
  if (site.laterality() != v1::LATERALITY_UNSPECIFIED) {
    c["extension"] = Json::array({Extension(
        "laterality", "valueCoding",
        LocalCoding("laterality", v1::Laterality_Name(site.laterality()),
                    "LATERALITY_"))});
  }
  return c;
}

std::string CarePlanStatus(v1::CourseStatus s) {
  switch (s) {
    case v1::COURSE_STATUS_PLANNED:
    case v1::COURSE_STATUS_ACTIVE:
      return "active";
    case v1::COURSE_STATUS_ON_HOLD:
      return "on-hold";
    case v1::COURSE_STATUS_COMPLETED:
      return "completed";
    case v1::COURSE_STATUS_CANCELLED:
      return "revoked";
    case v1::COURSE_STATUS_ENTERED_IN_ERROR:
      return "entered-in-error";
    default:
      return "unknown";
  }
}

std::string ActivityStatus(v1::CourseStatus s) {
  switch (s) {
    case v1::COURSE_STATUS_PLANNED:
      return "not-started";
    case v1::COURSE_STATUS_ACTIVE:
      return "in-progress";
    case v1::COURSE_STATUS_ON_HOLD:
      return "on-hold";
    case v1::COURSE_STATUS_COMPLETED:
      return "completed";
    case v1::COURSE_STATUS_CANCELLED:
      return "cancelled";
    case v1::COURSE_STATUS_ENTERED_IN_ERROR:
      return "entered-in-error";
    default:
      return "unknown";
  }
}

std::string ProcedureStatus(v1::SessionStatus s) {
  switch (s) {
    case v1::SESSION_STATUS_IN_PROGRESS:
      return "in-progress";
    case v1::SESSION_STATUS_COMPLETED:
      return "completed";
    case v1::SESSION_STATUS_STOPPED:
      return "stopped";
    case v1::SESSION_STATUS_ENTERED_IN_ERROR:
      return "entered-in-error";
    default:
      return "unknown";
  }
}

Json MicroneedlingCode() {
  return Concept({{"system", CodeSystemUrl("procedure")},
                  {"code", "microneedling"},
                  {"display", "Microneedling (collagen induction therapy)"}},
                 "Microneedling");
}

// Devices: the pen (focalDevice) and the needle cartridge (usedReference)
// as contained Device resources.
void AddDevices(const v1::TreatmentSession& s, Json& procedure) {
  Json contained = Json::array();
  if (!s.device().model().empty()) {
    Json pen{{"resourceType", "Device"},
             {"id", "pen"},
             {"deviceName", Json::array({{{"name", s.device().model()},
                                          {"type", "model-name"}}})}};
    if (!s.device().serial_number().empty()) {
      pen["serialNumber"] = s.device().serial_number();
    }
    contained.push_back(pen);
    procedure["focalDevice"] =
        Json::array({{{"manipulated", {{"reference", "#pen"}}}}});
  }
  const v1::NeedleCartridge& c = s.cartridge();
  if (!c.model().empty()) {
    Json cartridge{{"resourceType", "Device"}, {"id", "cartridge"}};
    if (!c.lot().empty()) cartridge["lotNumber"] = c.lot();
    if (HasTime(c.lot_expiry_time())) {
      cartridge["expirationDate"] = FhirDateTime(c.lot_expiry_time());
    }
    cartridge["deviceName"] =
        Json::array({{{"name", c.model()}, {"type", "model-name"}}});
    if (c.needle_count() > 0) {
      cartridge["property"] = Json::array(
          {{{"type", {{"text", "needle count"}}},
            {"valueQuantity", Json::array({{{"value", c.needle_count()}}})}}});
    }
    contained.push_back(cartridge);
    procedure["usedReference"] = Json::array({{{"reference", "#cartridge"}}});
  }
  if (!contained.empty()) procedure["contained"] = contained;
}

}  // namespace

std::string EntryId(absl::string_view resource_type, absl::string_view name) {
  return ResourceUuid(absl::StrCat(resource_type, "/", name));
}

std::string Parent(absl::string_view name, absl::string_view collection) {
  const size_t at = name.rfind(absl::StrCat("/", collection, "/"));
  return std::string(name.substr(0, at == absl::string_view::npos ? 0 : at));
}

std::string EntryUrl(absl::string_view resource_type, absl::string_view name) {
  return absl::StrCat("urn:uuid:", EntryId(resource_type, name));
}

std::string InstructionKey(absl::string_view set, int64_t revision_id) {
  return absl::StrCat(set, "/revisions/", revision_id);
}

Json PatientRef(const v1::Patient& patient) {
  if (patient.identifiers().empty()) return Json{{"display", patient.name()}};
  const v1::PatientIdentifier& id = patient.identifiers(0);
  return IdentifierRef(id.system(), id.value());
}

Json StaffRef(absl::string_view staff_id) {
  return IdentifierRef(NamingSystemUrl("staff-id"), staff_id);
}

Json CarePlanOf(const History<v1::TreatmentCourse>& history,
                const Json& patient,
                const std::vector<std::string>& session_names) {
  const v1::TreatmentCourse& c = history.back();
  Json plan{{"resourceType", "CarePlan"},
            {"id", EntryId("CarePlan", c.name())},
            {"meta", Meta(c.revision())},
            {"extension",
             Json::array({Extension(
                 "course-status", "valueCoding",
                 LocalCoding("course-status", v1::CourseStatus_Name(c.status()),
                             "COURSE_STATUS_"))})},
            {"identifier", NameIdentifier(c.name())},
            {"status", CarePlanStatus(c.status())},
            {"intent", "plan"},
            {"title", "Microneedling course"},
            {"subject", patient}};
  if (HasTime(c.create_time())) plan["created"] = FhirDateTime(c.create_time());
  if (!c.responsible_clinician().empty()) {
    plan["author"] = StaffRef(c.responsible_clinician());
  }
  Json detail{{"code", MicroneedlingCode()}};
  Json reasons = Json::array();
  for (int i : c.indications()) {
    reasons.push_back(Concept(LocalCoding(
        "indication", v1::Indication_Name(static_cast<v1::Indication>(i)),
        "INDICATION_")));
  }
  if (!reasons.empty()) detail["reasonCode"] = reasons;
  detail["status"] = ActivityStatus(c.status());
  Json repeat{{"count", c.planned_session_count()},
              {"frequency", 1},
              {"period", c.planned_interval_min_days()}};
  if (c.planned_interval_max_days() != c.planned_interval_min_days()) {
    repeat["periodMax"] = c.planned_interval_max_days();
  }
  repeat["periodUnit"] = "d";
  detail["scheduledTiming"] = {{"repeat", repeat}};
  Json areas = Json::array();
  for (const v1::BodySite& site : c.treatment_areas()) {
    areas.push_back(Extension("treatment-area", "valueCodeableConcept",
                              BodySiteConcept(site)));
  }
  if (!areas.empty()) {
    Json with_ext{{"extension", areas}};
    with_ext.update(detail);
    detail = with_ext;
  }
  Json activity = Json::object();
  Json outcomes = Json::array();
  for (const std::string& s : session_names) {
    outcomes.push_back({{"reference", EntryUrl("Procedure", s)}});
  }
  if (!outcomes.empty()) activity["outcomeReference"] = outcomes;
  activity["detail"] = detail;
  plan["activity"] = Json::array({activity});
  if (!c.notes().empty()) plan["note"] = Json::array({{{"text", c.notes()}}});
  return plan;
}

Json ProcedureOf(const History<v1::TreatmentSession>& history,
                 const Json& patient) {
  const v1::TreatmentSession& s = history.back();
  Json p{{"resourceType", "Procedure"},
         {"id", EntryId("Procedure", s.name())},
         {"meta", Meta(s.revision())}};
  Json extensions = Json::array();
  const v1::ImmediateResponse& response = s.immediate_response();
  if (response.erythema() != v1::ERYTHEMA_GRADE_UNSPECIFIED) {
    extensions.push_back(
        Extension("erythema-grade", "valueCoding",
                  LocalCoding("erythema-grade",
                              v1::ErythemaGrade_Name(response.erythema()),
                              "ERYTHEMA_GRADE_")));
  }
  if (response.pinpoint_bleeding() != v1::PINPOINT_BLEEDING_UNSPECIFIED) {
    extensions.push_back(Extension(
        "pinpoint-bleeding", "valueCoding",
        LocalCoding("pinpoint-bleeding",
                    v1::PinpointBleeding_Name(response.pinpoint_bleeding()),
                    "PINPOINT_BLEEDING_")));
  }
  if (s.adverse_events_assessment() !=
      v1::ADVERSE_EVENTS_ASSESSMENT_UNSPECIFIED) {
    extensions.push_back(Extension(
        "adverse-events-assessment", "valueCoding",
        LocalCoding(
            "adverse-events-assessment",
            v1::AdverseEventsAssessment_Name(s.adverse_events_assessment()),
            "ADVERSE_EVENTS_ASSESSMENT_")));
  }
  if (!s.aftercare_instructions().instruction_set().empty()) {
    const v1::InstructionRevisionRef& ref = s.aftercare_instructions();
    extensions.push_back(Extension(
        "aftercare-instructions", "valueReference",
        {{"reference",
          EntryUrl("DocumentReference", InstructionKey(ref.instruction_set(),
                                                       ref.revision_id()))}}));
  }
  if (!extensions.empty()) p["extension"] = extensions;
  p["identifier"] = NameIdentifier(s.name());
  p["basedOn"] = Json::array(
      {{{"reference", EntryUrl("CarePlan", Parent(s.name(), "sessions"))}}});
  p["status"] = ProcedureStatus(s.status());
  p["code"] = MicroneedlingCode();
  p["subject"] = patient;
  Json period{{"start", FhirDateTime(s.performed_at())}};
  if (s.duration_minutes() > 0) {
    google::protobuf::Timestamp end = s.performed_at();
    end.set_seconds(end.seconds() + int64_t{60} * s.duration_minutes());
    period["end"] = FhirDateTime(end);
  }
  p["performedPeriod"] = period;
  if (!s.clinician().empty()) {
    p["performer"] = Json::array({{{"actor", StaffRef(s.clinician())}}});
  }
  Json sites = Json::array();
  for (const v1::TreatedArea& area : s.treated_areas()) {
    Json site = BodySiteConcept(area.site());
    if (!site.contains("extension")) site["extension"] = Json::array();
    site["extension"].push_back(
        Extension("needle-depth-mm", "valueDecimal", area.needle_depth_mm()));
    site["extension"].push_back(
        Extension("needle-passes", "valuePositiveInt", area.passes()));
    sites.push_back(site);
  }
  if (!sites.empty()) p["bodySite"] = sites;
  Json complications = Json::array();
  for (const v1::AdverseEvent& e : s.adverse_events()) {
    Json c{{"text", e.description()}};
    Json ext = Json::array();
    if (e.severity() != v1::ADVERSE_EVENT_SEVERITY_UNSPECIFIED) {
      ext.push_back(
          Extension("adverse-event-severity", "valueCoding",
                    LocalCoding("adverse-event-severity",
                                v1::AdverseEventSeverity_Name(e.severity()),
                                "ADVERSE_EVENT_SEVERITY_")));
    }
    if (HasTime(e.onset_time())) {
      ext.push_back(Extension("adverse-event-onset", "valueDateTime",
                              FhirDateTime(e.onset_time())));
    }
    if (!ext.empty()) c = Json{{"extension", ext}, {"text", e.description()}};
    complications.push_back(c);
  }
  if (!complications.empty()) p["complication"] = complications;
  Json notes = Json::array();
  if (!s.notes().empty()) notes.push_back({{"text", s.notes()}});
  if (!notes.empty()) p["note"] = notes;
  AddDevices(s, p);
  Json used = Json::array();
  if (!s.numbing().product().empty()) {
    used.push_back({{"text", absl::StrCat("numbing: ", s.numbing().product(),
                                          " (", s.numbing().contact_minutes(),
                                          " min contact)")}});
  }
  for (const std::string& topical : s.topicals_applied()) {
    used.push_back({{"text", absl::StrCat("topical: ", topical)}});
  }
  if (!used.empty()) p["usedCode"] = used;
  return p;
}

Json MediaOf(const History<v1::OutcomePhoto>& history, const Json& patient) {
  const v1::OutcomePhoto& ph = history.back();
  const bool in_error =
      ph.revision().amendment().kind() == v1::AMENDMENT_KIND_ENTERED_IN_ERROR;
  Json m{{"resourceType", "Media"},
         {"id", EntryId("Media", ph.name())},
         {"meta", Meta(ph.revision())}};
  m["extension"] = Json::array(
      {Extension("photo-phase", "valueCoding",
                 LocalCoding("photo-phase", v1::PhotoPhase_Name(ph.phase()),
                             "PHOTO_PHASE_")),
       Extension("identifiable", "valueBoolean", ph.identifiable())});
  m["identifier"] = NameIdentifier(ph.name());
  m["identifier"].push_back({{"system", NamingSystemUrl("image-sha256")},
                             {"value", ph.image_sha256()}});
  m["partOf"] = Json::array(
      {{{"reference", EntryUrl("Procedure", Parent(ph.name(), "photos"))}}});
  m["status"] = in_error ? "entered-in-error" : "completed";
  m["type"] =
      Concept({{"system", "http://terminology.hl7.org/CodeSystem/media-type"},
               {"code", "image"},
               {"display", "Image"}});
  m["view"] = Concept(
      LocalCoding("photo-view", v1::PhotoView_Name(ph.view()), "PHOTO_VIEW_"));
  m["subject"] = patient;
  m["createdDateTime"] = FhirDateTime(ph.captured_at());
  m["bodySite"] = BodySiteConcept(ph.body_site());
  if (!ph.capture_device().empty()) m["deviceName"] = ph.capture_device();
  if (ph.height_px() > 0) m["height"] = ph.height_px();
  if (ph.width_px() > 0) m["width"] = ph.width_px();
  Json content{{"contentType", ph.media_type()},
               {"url", ph.storage_uri()},
               {"size", ph.byte_size()},
               {"creation", FhirDateTime(ph.captured_at())}};
  m["content"] = content;
  if (!ph.notes().empty()) m["note"] = Json::array({{{"text", ph.notes()}}});
  return m;
}

}  // namespace mnrecords::fhir_r4
