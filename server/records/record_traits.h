// RecordTraits<R> tells the generic record code (record_codec.h) how one
// resource type maps onto the Store: its kind, its request field name, its
// index columns, its unique keys, its search terms and its revision fields.
#ifndef MNRECORDS_SERVER_RECORDS_RECORD_TRAITS_H_
#define MNRECORDS_SERVER_RECORDS_RECORD_TRAITS_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "clinic/microneedling/v1/records.pb.h"
#include "common/time_util.h"
#include "server/store/store.h"
#include "server/validation/resource_names.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

template <typename R>
struct RecordTraits;

// PatientIdentifierKey is the unique key of a patient identifier in a clinic.
inline std::string PatientIdentifierKey(const v1::PatientIdentifier& id) {
  return absl::StrCat("patient-identifier:", id.system().size(), ":",
                      id.system(), id.value());
}

// The search terms of a session's equipment (store.h RecordKeys::terms),
// which ListSessions' cartridge_lot, cartridge_model and device_serial
// filters look up: exact values, one term per field that is set.
inline std::string CartridgeLotTerm(absl::string_view lot) {
  return absl::StrCat("cartridge_lot=", lot);
}
inline std::string CartridgeModelTerm(absl::string_view model) {
  return absl::StrCat("cartridge_model=", model);
}
inline std::string DeviceSerialTerm(absl::string_view serial) {
  return absl::StrCat("device_serial=", serial);
}

template <>
struct RecordTraits<v1::Patient> {
  static constexpr RecordKind kKind = RecordKind::kPatient;
  static constexpr NameKind kNameKind = NameKind::kPatient;
  static constexpr const char* kField = "patient";
  static void Index(const v1::Patient&, RecordRevision*) {}
  static std::vector<std::string> Keys(const v1::Patient& p) {
    std::vector<std::string> keys;
    for (const auto& id : p.identifiers()) {
      keys.push_back(PatientIdentifierKey(id));
    }
    return keys;
  }
  static std::vector<std::string> Terms(const v1::Patient&) { return {}; }
  static void MarkEnteredInError(v1::Patient*) {}
  static std::vector<std::string> AmendablePaths() {
    return {"identifiers", "fitzpatrick_skin_type"};
  }
};

template <>
struct RecordTraits<v1::TreatmentCourse> {
  static constexpr RecordKind kKind = RecordKind::kCourse;
  static constexpr NameKind kNameKind = NameKind::kCourse;
  static constexpr const char* kField = "course";
  static void Index(const v1::TreatmentCourse& c, RecordRevision* r) {
    r->actor = c.responsible_clinician();
    r->category = c.status();
  }
  static std::vector<std::string> Keys(const v1::TreatmentCourse&) {
    return {};
  }
  static std::vector<std::string> Terms(const v1::TreatmentCourse&) {
    return {};
  }
  static void MarkEnteredInError(v1::TreatmentCourse* c) {
    c->set_status(v1::COURSE_STATUS_ENTERED_IN_ERROR);
  }
  static std::vector<std::string> AmendablePaths() {
    return {"indications",
            "treatment_areas",
            "planned_session_count",
            "planned_interval_min_days",
            "planned_interval_max_days",
            "status",
            "responsible_clinician",
            "notes"};
  }
};

template <>
struct RecordTraits<v1::TreatmentSession> {
  static constexpr RecordKind kKind = RecordKind::kSession;
  static constexpr NameKind kNameKind = NameKind::kSession;
  static constexpr const char* kField = "session";
  static void Index(const v1::TreatmentSession& s, RecordRevision* r) {
    r->actor = s.clinician();
    r->event_time_us = ProtoTimeToMicros(s.performed_at());
    r->category = s.status();
  }
  static std::vector<std::string> Keys(const v1::TreatmentSession&) {
    return {};
  }
  // Terms: the equipment a recall looks sessions up by.
  static std::vector<std::string> Terms(const v1::TreatmentSession& s) {
    std::vector<std::string> terms;
    if (!s.cartridge().lot().empty()) {
      terms.push_back(CartridgeLotTerm(s.cartridge().lot()));
    }
    if (!s.cartridge().model().empty()) {
      terms.push_back(CartridgeModelTerm(s.cartridge().model()));
    }
    if (!s.device().serial_number().empty()) {
      terms.push_back(DeviceSerialTerm(s.device().serial_number()));
    }
    return terms;
  }
  static void MarkEnteredInError(v1::TreatmentSession* s) {
    s->set_status(v1::SESSION_STATUS_ENTERED_IN_ERROR);
  }
  static std::vector<std::string> AmendablePaths() {
    return {"status",
            "performed_at",
            "duration_minutes",
            "clinician",
            "device",
            "cartridge",
            "treated_areas",
            "numbing",
            "topicals_applied",
            "prep_check_in",
            "immediate_response",
            "adverse_events_assessment",
            "adverse_events",
            "aftercare_instructions",
            "aftercare_delivery",
            "notes"};
  }
};

template <>
struct RecordTraits<v1::OutcomePhoto> {
  static constexpr RecordKind kKind = RecordKind::kPhoto;
  static constexpr NameKind kNameKind = NameKind::kPhoto;
  static constexpr const char* kField = "photo";
  static void Index(const v1::OutcomePhoto& p, RecordRevision* r) {
    r->event_time_us = ProtoTimeToMicros(p.captured_at());
    r->category = p.phase();
  }
  static std::vector<std::string> Keys(const v1::OutcomePhoto&) { return {}; }
  static std::vector<std::string> Terms(const v1::OutcomePhoto&) { return {}; }
  static void MarkEnteredInError(v1::OutcomePhoto*) {}
  static std::vector<std::string> AmendablePaths() {
    return {"phase",        "captured_at",    "view",        "body_site",
            "identifiable", "capture_device", "storage_uri", "image_sha256",
            "byte_size",    "media_type",     "width_px",    "height_px",
            "notes"};
  }
};

template <>
struct RecordTraits<v1::Consent> {
  static constexpr RecordKind kKind = RecordKind::kConsent;
  static constexpr NameKind kNameKind = NameKind::kConsent;
  static constexpr const char* kField = "consent";
  static void Index(const v1::Consent& c, RecordRevision* r) {
    r->actor = c.recorded_by();
    r->event_time_us = ProtoTimeToMicros(c.signed_at());
    r->category = c.kind();
  }
  static std::vector<std::string> Keys(const v1::Consent&) { return {}; }
  static std::vector<std::string> Terms(const v1::Consent&) { return {}; }
  static void MarkEnteredInError(v1::Consent* c) {
    c->set_state(v1::CONSENT_STATE_ENTERED_IN_ERROR);
  }
};

template <>
struct RecordTraits<v1::Screening> {
  static constexpr RecordKind kKind = RecordKind::kScreening;
  static constexpr NameKind kNameKind = NameKind::kScreening;
  static constexpr const char* kField = "screening";
  static void Index(const v1::Screening& s, RecordRevision* r) {
    r->actor = s.asked_by();
    r->event_time_us = ProtoTimeToMicros(s.asked_at());
    r->category = s.status();
  }
  static std::vector<std::string> Keys(const v1::Screening&) { return {}; }
  static std::vector<std::string> Terms(const v1::Screening&) { return {}; }
  static void MarkEnteredInError(v1::Screening* s) {
    s->set_status(v1::SCREENING_STATUS_ENTERED_IN_ERROR);
  }
  static std::vector<std::string> AmendablePaths() {
    return {"questionnaire", "asked_at", "asked_by",
            "answers",       "status",   "notes"};
  }
};

template <>
struct RecordTraits<v1::OutcomeAssessment> {
  static constexpr RecordKind kKind = RecordKind::kOutcomeAssessment;
  static constexpr NameKind kNameKind = NameKind::kOutcomeAssessment;
  static constexpr const char* kField = "assessment";
  static void Index(const v1::OutcomeAssessment& a, RecordRevision* r) {
    r->actor = a.assessed_by();
    r->event_time_us = ProtoTimeToMicros(a.assessed_at());
    r->category = a.status();
  }
  static std::vector<std::string> Keys(const v1::OutcomeAssessment&) {
    return {};
  }
  static std::vector<std::string> Terms(const v1::OutcomeAssessment&) {
    return {};
  }
  static void MarkEnteredInError(v1::OutcomeAssessment* a) {
    a->set_status(v1::OUTCOME_ASSESSMENT_STATUS_ENTERED_IN_ERROR);
  }
  static std::vector<std::string> AmendablePaths() {
    return {"scale",       "rater",   "score",  "timepoint", "assessed_at",
            "assessed_by", "session", "photos", "status",    "notes"};
  }
};

// PhotoReleaseTerm is the search term a photo's releases are filed under
// (their parent column is the session, the photo's parent).
inline std::string PhotoReleaseTerm(absl::string_view photo) {
  return absl::StrCat("photo=", photo);
}

// A release is never amended: it records that a photo was used.
template <>
struct RecordTraits<v1::PhotoRelease> {
  static constexpr RecordKind kKind = RecordKind::kPhotoRelease;
  static constexpr NameKind kNameKind = NameKind::kPhotoRelease;
  static constexpr const char* kField = "release";
  static void Index(const v1::PhotoRelease& r, RecordRevision* row) {
    row->actor = r.released_by();
    row->event_time_us = ProtoTimeToMicros(r.released_at());
    row->category = r.purpose();
  }
  static std::vector<std::string> Keys(const v1::PhotoRelease&) { return {}; }
  static std::vector<std::string> Terms(const v1::PhotoRelease& r) {
    const size_t at = r.name().rfind("/releases/");
    if (at == std::string::npos) return {};
    return {PhotoReleaseTerm(absl::string_view(r.name()).substr(0, at))};
  }
  static void MarkEnteredInError(v1::PhotoRelease*) {}
  static std::vector<std::string> AmendablePaths() { return {}; }
};

// A signature is never amended: a session amended after it is signed gets
// a new signature of its new revision.
template <>
struct RecordTraits<v1::SessionSignature> {
  static constexpr RecordKind kKind = RecordKind::kSessionSignature;
  static constexpr NameKind kNameKind = NameKind::kSessionSignature;
  static constexpr const char* kField = "signature";
  static void Index(const v1::SessionSignature& s, RecordRevision* row) {
    row->actor = s.signer();
    row->event_time_us = ProtoTimeToMicros(s.signed_at());
    row->category = s.kind();
  }
  static std::vector<std::string> Keys(const v1::SessionSignature&) {
    return {};
  }
  static std::vector<std::string> Terms(const v1::SessionSignature&) {
    return {};
  }
  static void MarkEnteredInError(v1::SessionSignature*) {}
  static std::vector<std::string> AmendablePaths() { return {}; }
};

// KeysOf: the unique keys and search terms the store files `r` under.
template <typename R>
RecordKeys KeysOf(const R& r) {
  return {RecordTraits<R>::Keys(r), RecordTraits<R>::Terms(r)};
}

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_RECORD_TRAITS_H_
