#include "server/validation/validation.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"

namespace mnrecords {
namespace {

absl::Status ValidateBodySite(absl::string_view field, const v1::BodySite& s) {
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "area"), s.area(),
                                v1::BodyArea_IsValid, /*required=*/true));
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "laterality"), s.laterality(),
                                v1::Laterality_IsValid, /*required=*/false));
  MNR_RETURN_IF_ERROR(CheckText(Sub(field, "description"), s.description(),
                                s.area() == v1::BODY_AREA_OTHER ? 1 : 0,
                                kMaxShortText));
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRequestId(absl::string_view field, absl::string_view id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": required (a unique id, e.g. a UUID, reused on retries)"));
  }
  if (id.size() > kMaxRequestIdLength) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": longer than ", kMaxRequestIdLength, " characters"));
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": may hold only A-Z a-z 0-9 - _"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> EffectivePageSize(absl::string_view field, int page_size) {
  if (page_size == 0) return kDefaultPageSize;
  MNR_RETURN_IF_ERROR(CheckIntRange(field, page_size, 0, kMaxPageSize));
  return page_size;
}

absl::Status ValidatePatient(absl::string_view field, const v1::Patient& p) {
  const std::string ids = Sub(field, "identifiers");
  MNR_RETURN_IF_ERROR(
      CheckCount(ids, p.identifiers_size(), 1, kMaxIdentifiers));
  std::set<std::pair<std::string, std::string>> seen;
  for (int i = 0; i < p.identifiers_size(); ++i) {
    const v1::PatientIdentifier& id = p.identifiers(i);
    const std::string f = Indexed(ids, i);
    MNR_RETURN_IF_ERROR(
        CheckText(Sub(f, "system"), id.system(), 1, kMaxShortText));
    MNR_RETURN_IF_ERROR(
        CheckText(Sub(f, "value"), id.value(), 1, kMaxShortText));
    if (!seen.emplace(id.system(), id.value()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ": repeats an earlier identifier"));
    }
  }
  return CheckEnum(Sub(field, "fitzpatrick_skin_type"),
                   p.fitzpatrick_skin_type(), v1::FitzpatrickSkinType_IsValid,
                   /*required=*/false);
}

absl::Status ValidateCourse(absl::string_view field,
                            const v1::TreatmentCourse& c) {
  const std::string ind = Sub(field, "indications");
  MNR_RETURN_IF_ERROR(
      CheckCount(ind, c.indications_size(), 1, kMaxIndications));
  std::set<int> seen;
  for (int i = 0; i < c.indications_size(); ++i) {
    MNR_RETURN_IF_ERROR(CheckEnum(Indexed(ind, i), c.indications(i),
                                  v1::Indication_IsValid, true));
    if (!seen.insert(c.indications(i)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(Indexed(ind, i), ": listed twice"));
    }
  }
  const std::string areas = Sub(field, "treatment_areas");
  MNR_RETURN_IF_ERROR(
      CheckCount(areas, c.treatment_areas_size(), 1, kMaxAreas));
  for (int i = 0; i < c.treatment_areas_size(); ++i) {
    MNR_RETURN_IF_ERROR(
        ValidateBodySite(Indexed(areas, i), c.treatment_areas(i)));
  }
  MNR_RETURN_IF_ERROR(CheckIntRange(Sub(field, "planned_session_count"),
                                    c.planned_session_count(), 1,
                                    kMaxPlannedSessions));
  MNR_RETURN_IF_ERROR(CheckIntRange(Sub(field, "planned_interval_min_days"),
                                    c.planned_interval_min_days(), 1,
                                    kMaxPlannedIntervalDays));
  MNR_RETURN_IF_ERROR(CheckIntRange(
      Sub(field, "planned_interval_max_days"), c.planned_interval_max_days(),
      c.planned_interval_min_days(), kMaxPlannedIntervalDays));
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "status"), c.status(),
                                v1::CourseStatus_IsValid, false));
  MNR_RETURN_IF_ERROR(CheckText(Sub(field, "responsible_clinician"),
                                c.responsible_clinician(), 1, kMaxShortText));
  return CheckText(Sub(field, "notes"), c.notes(), 0, kMaxNotesText,
                   TextKind::kMultiLine);
}

namespace {

// The parts of a session, each checked on its own.

absl::Status ValidateEquipment(absl::string_view field,
                               const v1::TreatmentSession& s) {
  if (s.has_device()) {
    const std::string f = Sub(field, "device");
    MNR_RETURN_IF_ERROR(
        CheckText(Sub(f, "model"), s.device().model(), 1, kMaxShortText));
    MNR_RETURN_IF_ERROR(CheckText(Sub(f, "serial_number"),
                                  s.device().serial_number(), 0, kMaxCodeText));
  }
  if (!s.has_cartridge()) return absl::OkStatus();
  const std::string f = Sub(field, "cartridge");
  const v1::NeedleCartridge& c = s.cartridge();
  MNR_RETURN_IF_ERROR(CheckText(Sub(f, "model"), c.model(), 1, kMaxShortText));
  MNR_RETURN_IF_ERROR(CheckText(Sub(f, "lot"), c.lot(), 0, kMaxCodeText));
  MNR_RETURN_IF_ERROR(CheckTime(Sub(f, "lot_expiry_time"),
                                c.has_lot_expiry_time(), c.lot_expiry_time(),
                                false));
  return CheckIntRange(Sub(f, "needle_count"), c.needle_count(), 1,
                       kMaxNeedleCount);
}

absl::Status ValidateTreatment(absl::string_view field,
                               const v1::TreatmentSession& s) {
  const std::string areas = Sub(field, "treated_areas");
  MNR_RETURN_IF_ERROR(CheckCount(
      areas, s.treated_areas_size(),
      s.status() == v1::SESSION_STATUS_COMPLETED ? 1 : 0, kMaxAreas));
  for (int i = 0; i < s.treated_areas_size(); ++i) {
    const std::string f = Indexed(areas, i);
    const v1::TreatedArea& a = s.treated_areas(i);
    MNR_RETURN_IF_ERROR(ValidateBodySite(Sub(f, "site"), a.site()));
    MNR_RETURN_IF_ERROR(CheckDoubleRange(Sub(f, "needle_depth_mm"),
                                         a.needle_depth_mm(), kMinNeedleDepthMm,
                                         kMaxNeedleDepthMm));
    MNR_RETURN_IF_ERROR(
        CheckIntRange(Sub(f, "passes"), a.passes(), 1, kMaxPasses));
  }
  if (s.has_numbing()) {
    const std::string f = Sub(field, "numbing");
    MNR_RETURN_IF_ERROR(
        CheckText(Sub(f, "product"), s.numbing().product(), 1, kMaxShortText));
    MNR_RETURN_IF_ERROR(CheckIntRange(Sub(f, "contact_minutes"),
                                      s.numbing().contact_minutes(), 0,
                                      kMaxNumbingMinutes));
  }
  const std::string topicals = Sub(field, "topicals_applied");
  MNR_RETURN_IF_ERROR(
      CheckCount(topicals, s.topicals_applied_size(), 0, kMaxTopicals));
  for (int i = 0; i < s.topicals_applied_size(); ++i) {
    MNR_RETURN_IF_ERROR(CheckText(Indexed(topicals, i), s.topicals_applied(i),
                                  1, kMaxShortText));
  }
  return absl::OkStatus();
}

// ValidatePrepCheckIn: the answers, and each last use no later than the
// session itself.
absl::Status ValidatePrepCheckIn(absl::string_view field,
                                 const v1::TreatmentSession& s) {
  if (!s.has_prep_check_in()) return absl::OkStatus();
  const std::string f = Sub(field, "prep_check_in");
  const v1::PrepCheckIn& p = s.prep_check_in();
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(f, "sun_exposure_last_48h"),
                                p.sun_exposure_last_48h(),
                                v1::PrepCheckIn_Answer_IsValid, false));
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(f, "skin_clean"), p.skin_clean(),
                                v1::PrepCheckIn_Answer_IsValid, false));
  const struct {
    const char* name;
    bool present;
    const google::protobuf::Timestamp& ts;
  } uses[] = {
      {"last_retinoid_use_time", p.has_last_retinoid_use_time(),
       p.last_retinoid_use_time()},
      {"last_exfoliant_use_time", p.has_last_exfoliant_use_time(),
       p.last_exfoliant_use_time()},
      {"last_acid_use_time", p.has_last_acid_use_time(),
       p.last_acid_use_time()},
      {"last_isotretinoin_use_time", p.has_last_isotretinoin_use_time(),
       p.last_isotretinoin_use_time()},
  };
  for (const auto& use : uses) {
    MNR_RETURN_IF_ERROR(
        CheckTime(Sub(f, use.name), use.present, use.ts, false));
    if (use.present &&
        FromProtoTime(use.ts) > FromProtoTime(s.performed_at())) {
      return absl::InvalidArgumentError(
          absl::StrCat(Sub(f, use.name), ": after performed_at"));
    }
  }
  return absl::OkStatus();
}

// ValidateAftercareDelivery: when, how and by whom the aftercare text was
// handed over; only with the text it hands over, and not before the
// session.
absl::Status ValidateAftercareDelivery(absl::string_view field,
                                       const v1::TreatmentSession& s,
                                       absl::Time now) {
  if (!s.has_aftercare_delivery()) return absl::OkStatus();
  const std::string f = Sub(field, "aftercare_delivery");
  const v1::AftercareDelivery& d = s.aftercare_delivery();
  if (!s.has_aftercare_instructions()) {
    return absl::InvalidArgumentError(absl::StrCat(
        f, ": needs aftercare_instructions, the text that was handed over"));
  }
  MNR_RETURN_IF_ERROR(CheckTime(Sub(f, "delivered_at"), d.has_delivered_at(),
                                d.delivered_at(), true));
  MNR_RETURN_IF_ERROR(
      CheckNotFuture(Sub(f, "delivered_at"), d.delivered_at(), now));
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(f, "method"), d.method(),
                                v1::AftercareDeliveryMethod_IsValid, true));
  return CheckText(Sub(f, "delivered_by"), d.delivered_by(), 1, kMaxShortText);
}

// ValidateOutcome: the immediate response and the adverse events (listed
// exactly when the assessment says PRESENT).
absl::Status ValidateOutcome(absl::string_view field,
                             const v1::TreatmentSession& s) {
  if (s.has_immediate_response()) {
    const std::string f = Sub(field, "immediate_response");
    MNR_RETURN_IF_ERROR(CheckEnum(Sub(f, "erythema"),
                                  s.immediate_response().erythema(),
                                  v1::ErythemaGrade_IsValid, false));
    MNR_RETURN_IF_ERROR(CheckEnum(Sub(f, "pinpoint_bleeding"),
                                  s.immediate_response().pinpoint_bleeding(),
                                  v1::PinpointBleeding_IsValid, false));
  }
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "adverse_events_assessment"),
                                s.adverse_events_assessment(),
                                v1::AdverseEventsAssessment_IsValid, false));
  const std::string events = Sub(field, "adverse_events");
  if (s.adverse_events_assessment() == v1::ADVERSE_EVENTS_ASSESSMENT_PRESENT) {
    MNR_RETURN_IF_ERROR(
        CheckCount(events, s.adverse_events_size(), 1, kMaxAdverseEvents));
  } else if (s.adverse_events_size() > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        events, ": must be empty unless adverse_events_assessment is PRESENT"));
  }
  for (int i = 0; i < s.adverse_events_size(); ++i) {
    const std::string f = Indexed(events, i);
    const v1::AdverseEvent& e = s.adverse_events(i);
    MNR_RETURN_IF_ERROR(CheckText(Sub(f, "description"), e.description(), 1,
                                  kMaxReasonText, TextKind::kMultiLine));
    MNR_RETURN_IF_ERROR(CheckEnum(Sub(f, "severity"), e.severity(),
                                  v1::AdverseEventSeverity_IsValid, true));
    MNR_RETURN_IF_ERROR(CheckTime(Sub(f, "onset_time"), e.has_onset_time(),
                                  e.onset_time(), false));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSession(absl::string_view field,
                             const v1::TreatmentSession& s, absl::Time now) {
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "status"), s.status(),
                                v1::SessionStatus_IsValid, true));
  MNR_RETURN_IF_ERROR(CheckTime(Sub(field, "performed_at"),
                                s.has_performed_at(), s.performed_at(), true));
  MNR_RETURN_IF_ERROR(
      CheckNotFuture(Sub(field, "performed_at"), s.performed_at(), now));
  // A session in progress may not know its duration yet.
  if (s.status() != v1::SESSION_STATUS_IN_PROGRESS ||
      s.duration_minutes() != 0) {
    MNR_RETURN_IF_ERROR(CheckIntRange(Sub(field, "duration_minutes"),
                                      s.duration_minutes(), 1,
                                      kMaxSessionMinutes));
  }
  MNR_RETURN_IF_ERROR(
      CheckText(Sub(field, "clinician"), s.clinician(), 1, kMaxShortText));
  MNR_RETURN_IF_ERROR(ValidateEquipment(field, s));
  MNR_RETURN_IF_ERROR(ValidateTreatment(field, s));
  MNR_RETURN_IF_ERROR(ValidatePrepCheckIn(field, s));
  MNR_RETURN_IF_ERROR(ValidateOutcome(field, s));
  if (s.has_aftercare_instructions()) {
    MNR_RETURN_IF_ERROR(ValidateInstructionRef(
        Sub(field, "aftercare_instructions"), s.aftercare_instructions()));
  }
  MNR_RETURN_IF_ERROR(ValidateAftercareDelivery(field, s, now));
  return CheckText(Sub(field, "notes"), s.notes(), 0, kMaxNotesText,
                   TextKind::kMultiLine);
}

absl::Status ValidatePhoto(absl::string_view field, const v1::OutcomePhoto& p,
                           absl::Time now) {
  MNR_RETURN_IF_ERROR(
      CheckEnum(Sub(field, "phase"), p.phase(), v1::PhotoPhase_IsValid, true));
  MNR_RETURN_IF_ERROR(CheckTime(Sub(field, "captured_at"), p.has_captured_at(),
                                p.captured_at(), true));
  MNR_RETURN_IF_ERROR(
      CheckNotFuture(Sub(field, "captured_at"), p.captured_at(), now));
  MNR_RETURN_IF_ERROR(
      CheckEnum(Sub(field, "view"), p.view(), v1::PhotoView_IsValid, true));
  MNR_RETURN_IF_ERROR(ValidateBodySite(Sub(field, "body_site"), p.body_site()));
  MNR_RETURN_IF_ERROR(CheckText(Sub(field, "capture_device"),
                                p.capture_device(), 0, kMaxShortText));
  const std::string uri = Sub(field, "storage_uri");
  MNR_RETURN_IF_ERROR(CheckText(uri, p.storage_uri(), 1, kMaxUriLength));
  const size_t colon = p.storage_uri().find(':');
  if (colon == std::string::npos || colon == 0 ||
      p.storage_uri().find_first_of(" \"<>\\") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        uri, ": must be an absolute URI (scheme:...), without spaces"));
  }
  if (!IsSha256Hex(p.image_sha256())) {
    return absl::InvalidArgumentError(absl::StrCat(
        Sub(field, "image_sha256"), ": must be 64 lower-case hex characters"));
  }
  MNR_RETURN_IF_ERROR(
      CheckIntRange(Sub(field, "byte_size"), p.byte_size(), 1, kMaxImageBytes));
  const std::string media = Sub(field, "media_type");
  MNR_RETURN_IF_ERROR(CheckText(media, p.media_type(), 1, kMaxCodeText));
  if (p.media_type().rfind("image/", 0) != 0 || p.media_type().size() < 7) {
    return absl::InvalidArgumentError(
        absl::StrCat(media, ": must be an image media type (image/...)"));
  }
  if (p.width_px() != 0) {
    MNR_RETURN_IF_ERROR(CheckIntRange(Sub(field, "width_px"), p.width_px(), 1,
                                      kMaxImagePixels));
  }
  if (p.height_px() != 0) {
    MNR_RETURN_IF_ERROR(CheckIntRange(Sub(field, "height_px"), p.height_px(), 1,
                                      kMaxImagePixels));
  }
  return CheckText(Sub(field, "notes"), p.notes(), 0, kMaxNotesText,
                   TextKind::kMultiLine);
}

namespace {

// ValidateQuestions: a SCREENING questionnaire's items each carry a unique
// question code and a contraindication class; other kinds' items carry
// neither.
absl::Status ValidateQuestions(const std::string& items,
                               const v1::InstructionSet& s) {
  const bool screening = s.kind() == v1::INSTRUCTION_KIND_SCREENING;
  std::set<std::string> codes;
  for (int i = 0; i < s.items_size(); ++i) {
    const v1::InstructionItem& item = s.items(i);
    const std::string at = Indexed(items, i);
    if (!screening) {
      if (!item.question_code().empty() ||
          item.contraindication() != v1::CONTRAINDICATION_UNSPECIFIED) {
        return absl::InvalidArgumentError(absl::StrCat(
            at,
            ": question_code and contraindication belong to SCREENING "
            "questionnaires only"));
      }
      continue;
    }
    MNR_RETURN_IF_ERROR(
        ValidateId(Sub(at, "question_code"), item.question_code()));
    if (!codes.insert(item.question_code()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(Sub(at, "question_code"), ": \"", item.question_code(),
                       "\" is used by an earlier question"));
    }
    MNR_RETURN_IF_ERROR(CheckEnum(Sub(at, "contraindication"),
                                  item.contraindication(),
                                  v1::Contraindication_IsValid, true));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateInstructionSet(absl::string_view field,
                                    const v1::InstructionSet& s) {
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "kind"), s.kind(),
                                v1::InstructionKind_IsValid, true));
  MNR_RETURN_IF_ERROR(
      CheckText(Sub(field, "title"), s.title(), 1, kMaxShortText));
  const std::string items = Sub(field, "items");
  MNR_RETURN_IF_ERROR(
      CheckCount(items, s.items_size(), 1, kMaxInstructionItems));
  for (int i = 0; i < s.items_size(); ++i) {
    const v1::InstructionItem& item = s.items(i);
    const std::string at = Indexed(items, i);
    MNR_RETURN_IF_ERROR(CheckText(Sub(at, "section"), item.section(), 0,
                                  kMaxInstructionSection));
    if (item.clinic_wording_required() &&
        absl::StripAsciiWhitespace(item.section()).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          Sub(at, "section"),
          ": required when clinic_wording_required is set, so the missing "
          "wording can be named"));
    }
    // An item the clinic still has to word may be empty (a template).
    MNR_RETURN_IF_ERROR(CheckText(
        Sub(at, "text"), item.text(), item.clinic_wording_required() ? 0 : 1,
        kMaxInstructionItemText, TextKind::kMultiLine));
  }
  MNR_RETURN_IF_ERROR(ValidateQuestions(items, s));
  MNR_RETURN_IF_ERROR(CheckTime(Sub(field, "effective_time"),
                                s.has_effective_time(), s.effective_time(),
                                false));
  return CheckText(Sub(field, "published_by"), s.published_by(), 1,
                   kMaxShortText);
}

absl::Status ValidateScreening(absl::string_view field, const v1::Screening& s,
                               absl::Time now) {
  if (!s.has_questionnaire()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Sub(field, "questionnaire"), ": required"));
  }
  MNR_RETURN_IF_ERROR(
      ValidateInstructionRef(Sub(field, "questionnaire"), s.questionnaire()));
  MNR_RETURN_IF_ERROR(
      CheckTime(Sub(field, "asked_at"), s.has_asked_at(), s.asked_at(), true));
  MNR_RETURN_IF_ERROR(
      CheckNotFuture(Sub(field, "asked_at"), s.asked_at(), now));
  MNR_RETURN_IF_ERROR(
      CheckText(Sub(field, "asked_by"), s.asked_by(), 1, kMaxShortText));
  const std::string answers = Sub(field, "answers");
  MNR_RETURN_IF_ERROR(
      CheckCount(answers, s.answers_size(), 1, kMaxInstructionItems));
  for (int i = 0; i < s.answers_size(); ++i) {
    const v1::ScreeningAnswer& a = s.answers(i);
    const std::string at = Indexed(answers, i);
    MNR_RETURN_IF_ERROR(
        ValidateId(Sub(at, "question_code"), a.question_code()));
    MNR_RETURN_IF_ERROR(CheckEnum(Sub(at, "answer"), a.answer(),
                                  v1::ScreeningAnswer::Answer_IsValid, true));
    MNR_RETURN_IF_ERROR(
        CheckText(Sub(at, "details"), a.details(), 0, kMaxReasonText));
  }
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "status"), s.status(),
                                v1::ScreeningStatus_IsValid, false));
  return CheckText(Sub(field, "notes"), s.notes(), 0, kMaxNotesText,
                   TextKind::kMultiLine);
}

absl::Status ValidatePluginSettings(absl::string_view field,
                                    const v1::PluginSettings& s) {
  const std::string params = Sub(field, "params");
  MNR_RETURN_IF_ERROR(CheckCount(params, s.params_size(), 0, kMaxSettings));
  for (int i = 0; i < s.params_size(); ++i) {
    const std::string at = Indexed(params, i);
    MNR_RETURN_IF_ERROR(
        CheckText(Sub(at, "key"), s.params(i).key(), 1, kMaxSettingKey));
    MNR_RETURN_IF_ERROR(
        CheckText(Sub(at, "value"), s.params(i).value(), 0, kMaxSettingValue));
  }
  const std::string severities = Sub(field, "severities");
  MNR_RETURN_IF_ERROR(
      CheckCount(severities, s.severities_size(), 0, kMaxSettings));
  for (int i = 0; i < s.severities_size(); ++i) {
    const std::string at = Indexed(severities, i);
    MNR_RETURN_IF_ERROR(
        CheckText(Sub(at, "code"), s.severities(i).code(), 1, kMaxSettingKey));
    MNR_RETURN_IF_ERROR(CheckEnum(Sub(at, "severity"),
                                  s.severities(i).severity(),
                                  v1::FindingSeverity_IsValid, true));
  }
  MNR_RETURN_IF_ERROR(CheckText(Sub(field, "published_by"), s.published_by(), 1,
                                kMaxShortText));
  return CheckText(Sub(field, "reason"), s.reason(), 1, kMaxReasonText,
                   TextKind::kMultiLine);
}

absl::Status ValidateInstructionRef(absl::string_view field,
                                    const v1::InstructionRevisionRef& ref) {
  MNR_RETURN_IF_ERROR(ParseName(Sub(field, "instruction_set"),
                                ref.instruction_set(),
                                NameKind::kInstructionSet)
                          .status());
  MNR_RETURN_IF_ERROR(CheckIntRange(Sub(field, "revision_id"),
                                    ref.revision_id(), 1, kMaxRevisionId));
  if (!ref.content_sha256().empty() && !IsSha256Hex(ref.content_sha256())) {
    return absl::InvalidArgumentError(
        absl::StrCat(Sub(field, "content_sha256"),
                     ": must be empty or 64 lower-case hex characters"));
  }
  return absl::OkStatus();
}

namespace {

// ValidatePhotoUses: each use known and listed once; uses and the
// identifiable flag only on PHOTOGRAPHY consents (c.kind() is known once the
// instructions are resolved; unset before, when only the shape is checked).
absl::Status ValidatePhotoUses(absl::string_view field, const v1::Consent& c) {
  const std::string uses = Sub(field, "photo_uses");
  MNR_RETURN_IF_ERROR(CheckCount(uses, c.photo_uses_size(), 0, 3));
  std::set<int> seen;
  for (int i = 0; i < c.photo_uses_size(); ++i) {
    const std::string f = Indexed(uses, i);
    MNR_RETURN_IF_ERROR(
        CheckEnum(f, c.photo_uses(i), v1::PhotoUse_IsValid, true));
    if (!seen.insert(c.photo_uses(i)).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          f, ": ", v1::PhotoUse_Name(c.photo_uses(i)), " is listed twice"));
    }
  }
  if (c.kind() != v1::INSTRUCTION_KIND_UNSPECIFIED &&
      c.kind() != v1::INSTRUCTION_KIND_PHOTOGRAPHY &&
      (c.photo_uses_size() > 0 || c.identifiable_images_allowed())) {
    return absl::InvalidArgumentError(absl::StrCat(
        uses, ": only a PHOTOGRAPHY consent decides on photo uses (this is ",
        v1::InstructionKind_Name(c.kind()), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateConsent(absl::string_view field, const v1::Consent& c,
                             absl::Time now) {
  if (!c.has_instructions()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Sub(field, "instructions"), ": required"));
  }
  MNR_RETURN_IF_ERROR(
      ValidateInstructionRef(Sub(field, "instructions"), c.instructions()));
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "decision"), c.decision(),
                                v1::ConsentDecision_IsValid, true));
  MNR_RETURN_IF_ERROR(CheckTime(Sub(field, "signed_at"), c.has_signed_at(),
                                c.signed_at(), true));
  MNR_RETURN_IF_ERROR(
      CheckNotFuture(Sub(field, "signed_at"), c.signed_at(), now));
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "method"), c.method(),
                                v1::ConsentMethod_IsValid, true));
  const std::string signer = Sub(field, "signer");
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(signer, "relationship"),
                                c.signer().relationship(),
                                v1::Signer_Relationship_IsValid, true));
  const bool representative =
      c.signer().relationship() == v1::Signer::RELATIONSHIP_REPRESENTATIVE;
  MNR_RETURN_IF_ERROR(CheckText(Sub(signer, "display_name"),
                                c.signer().display_name(),
                                representative ? 1 : 0, kMaxShortText));
  MNR_RETURN_IF_ERROR(CheckText(Sub(signer, "role"), c.signer().role(),
                                representative ? 1 : 0, kMaxShortText));
  const bool witnessed = c.method() == v1::CONSENT_METHOD_VERBAL_WITH_WITNESS;
  if (witnessed || c.has_witness()) {
    const std::string w = Sub(field, "witness");
    MNR_RETURN_IF_ERROR(CheckText(
        Sub(w, "display_name"), c.witness().display_name(), 1, kMaxShortText));
    MNR_RETURN_IF_ERROR(
        CheckText(Sub(w, "role"), c.witness().role(), 0, kMaxShortText));
  }
  if (c.has_expire_time()) {
    const std::string f = Sub(field, "expire_time");
    MNR_RETURN_IF_ERROR(ValidateTimestamp(f, c.expire_time()));
    if (FromProtoTime(c.expire_time()) <= FromProtoTime(c.signed_at())) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ": must be after signed_at"));
    }
  }
  MNR_RETURN_IF_ERROR(ValidatePhotoUses(field, c));
  return CheckText(Sub(field, "recorded_by"), c.recorded_by(), 1,
                   kMaxShortText);
}

absl::Status ValidateSessionSignature(absl::string_view field,
                                      const v1::SessionSignature& s) {
  MNR_RETURN_IF_ERROR(
      CheckEnum(Sub(field, "kind"), s.kind(), v1::SignatureKind_IsValid, true));
  if (!s.has_attestation()) {
    return absl::InvalidArgumentError(absl::StrCat(
        Sub(field, "attestation"),
        ": required (the ATTESTATION text revision the signer attests)"));
  }
  return ValidateInstructionRef(Sub(field, "attestation"), s.attestation());
}

absl::Status ValidatePhotoRelease(absl::string_view field,
                                  const v1::PhotoRelease& r, absl::Time now) {
  MNR_RETURN_IF_ERROR(CheckEnum(Sub(field, "purpose"), r.purpose(),
                                v1::PhotoUse_IsValid, true));
  MNR_RETURN_IF_ERROR(CheckTime(Sub(field, "released_at"), r.has_released_at(),
                                r.released_at(), true));
  MNR_RETURN_IF_ERROR(
      CheckNotFuture(Sub(field, "released_at"), r.released_at(), now));
  MNR_RETURN_IF_ERROR(
      CheckText(Sub(field, "released_by"), r.released_by(), 1, kMaxShortText));
  MNR_RETURN_IF_ERROR(
      CheckText(Sub(field, "recipient"), r.recipient(), 1, kMaxRecipientText));
  return CheckText(Sub(field, "notes"), r.notes(), 0, kMaxNotesText,
                   TextKind::kMultiLine);
}

absl::Status CheckEnteredInErrorStatus(absl::string_view field,
                                       bool entered_in_error,
                                       const v1::Amendment* amendment) {
  if (entered_in_error &&
      (amendment == nullptr ||
       amendment->kind() != v1::AMENDMENT_KIND_ENTERED_IN_ERROR)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field,
                     ": ENTERED_IN_ERROR is set by an amendment of kind "
                     "ENTERED_IN_ERROR"));
  }
  return absl::OkStatus();
}

absl::Status ValidateAmendment(absl::string_view field,
                               const v1::Amendment& a) {
  MNR_RETURN_IF_ERROR(
      CheckEnum(Sub(field, "kind"), a.kind(), v1::AmendmentKind_IsValid, true));
  MNR_RETURN_IF_ERROR(CheckText(Sub(field, "reason"), a.reason(), 1,
                                kMaxReasonText, TextKind::kMultiLine));
  return CheckText(Sub(field, "author"), a.author(), 1, kMaxShortText);
}

absl::Status ValidateUpdateMask(absl::string_view field,
                                const google::protobuf::FieldMask& mask,
                                const std::vector<std::string>& allowed,
                                bool allow_empty) {
  if (mask.paths_size() == 0) {
    if (allow_empty) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": required; list the fields to change, or \"*\" for all of: ",
        absl::StrJoin(allowed, ", ")));
  }
  if (mask.paths_size() == 1 && mask.paths(0) == "*") return absl::OkStatus();
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    bool ok = false;
    for (const std::string& a : allowed) ok = ok || a == path;
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          Indexed(Sub(field, "paths"), i), ": \"", path,
          "\" cannot be amended; allowed: ", absl::StrJoin(allowed, ", "),
          " or \"*\""));
    }
  }
  return absl::OkStatus();
}

}  // namespace mnrecords
