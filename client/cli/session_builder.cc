#include "client/cli/session_builder.h"

#include <string>

#include "absl/flags/flag.h"
#include "client/cli/arg_parsing.h"
#include "client/cli/cli_status.h"
#include "client/cli/flags.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "client/cli/value_parsing.h"

namespace mnrecords {
namespace cli {
namespace {

namespace v1 = ::clinic::microneedling::v1;

absl::Status ApplyEquipment(v1::TreatmentSession& s) {
  if (FlagSpecified("device_model")) {
    s.mutable_device()->set_model(absl::GetFlag(FLAGS_device_model));
  }
  if (FlagSpecified("device_serial")) {
    s.mutable_device()->set_serial_number(absl::GetFlag(FLAGS_device_serial));
  }
  if (FlagSpecified("cartridge_model")) {
    s.mutable_cartridge()->set_model(absl::GetFlag(FLAGS_cartridge_model));
  }
  if (FlagSpecified("cartridge_lot")) {
    s.mutable_cartridge()->set_lot(absl::GetFlag(FLAGS_cartridge_lot));
  }
  if (FlagSpecified("needle_count")) {
    s.mutable_cartridge()->set_needle_count(absl::GetFlag(FLAGS_needle_count));
  }
  return SetTimeFlag("cartridge_expiry", FLAGS_cartridge_expiry, [&] {
    return s.mutable_cartridge()->mutable_lot_expiry_time();
  });
}

absl::Status ApplyTreatment(v1::TreatmentSession& s) {
  if (FlagSpecified("area")) {
    s.clear_treated_areas();
    for (const auto& text : absl::GetFlag(FLAGS_area)) {
      auto area = ParseTreatedArea("area", text);
      if (!area.ok()) return area.status();
      *s.add_treated_areas() = *std::move(area);
    }
  }
  if (FlagSpecified("numbing")) {
    s.mutable_numbing()->set_product(absl::GetFlag(FLAGS_numbing));
  }
  if (FlagSpecified("numbing_minutes")) {
    s.mutable_numbing()->set_contact_minutes(
        absl::GetFlag(FLAGS_numbing_minutes));
  }
  if (FlagSpecified("topical")) {
    s.clear_topicals_applied();
    for (const auto& topical : absl::GetFlag(FLAGS_topical)) {
      s.add_topicals_applied(topical);
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyPrepCheckIn(v1::TreatmentSession& s) {
  auto* prep = s.mutable_prep_check_in();
  using Answer = v1::PrepCheckIn::Answer;
  absl::Status st = SetEnumFlag<Answer>(
      "sun_exposure_48h", FLAGS_sun_exposure_48h,
      [&](Answer a) { prep->set_sun_exposure_last_48h(a); });
  if (!st.ok()) return st;
  st = SetEnumFlag<Answer>("skin_clean", FLAGS_skin_clean,
                           [&](Answer a) { prep->set_skin_clean(a); });
  if (!st.ok()) return st;
  st = SetTimeFlag("last_retinoid", FLAGS_last_retinoid,
                   [&] { return prep->mutable_last_retinoid_use_time(); });
  if (!st.ok()) return st;
  st = SetTimeFlag("last_exfoliant", FLAGS_last_exfoliant,
                   [&] { return prep->mutable_last_exfoliant_use_time(); });
  if (!st.ok()) return st;
  st = SetTimeFlag("last_acid", FLAGS_last_acid,
                   [&] { return prep->mutable_last_acid_use_time(); });
  if (!st.ok()) return st;
  st = SetTimeFlag("last_isotretinoin", FLAGS_last_isotretinoin,
                   [&] { return prep->mutable_last_isotretinoin_use_time(); });
  if (!st.ok()) return st;
  if (prep->ByteSizeLong() == 0) s.clear_prep_check_in();
  return absl::OkStatus();
}

absl::Status ApplyResponse(v1::TreatmentSession& s) {
  auto* response = s.mutable_immediate_response();
  absl::Status st = SetEnumFlag<v1::ErythemaGrade>(
      "erythema", FLAGS_erythema,
      [&](v1::ErythemaGrade g) { response->set_erythema(g); });
  if (!st.ok()) return st;
  st = SetEnumFlag<v1::PinpointBleeding>(
      "bleeding", FLAGS_bleeding,
      [&](v1::PinpointBleeding b) { response->set_pinpoint_bleeding(b); });
  if (!st.ok()) return st;
  if (response->ByteSizeLong() == 0) s.clear_immediate_response();

  st = SetEnumFlag<v1::AdverseEventsAssessment>(
      "adverse_events", FLAGS_adverse_events,
      [&](v1::AdverseEventsAssessment a) {
        s.set_adverse_events_assessment(a);
      });
  if (!st.ok()) return st;
  if (FlagSpecified("adverse_event")) {
    if (s.adverse_events_assessment() == v1::ADVERSE_EVENTS_ASSESSMENT_NONE) {
      return UsageError("--adverse_event contradicts --adverse_events=none");
    }
    s.set_adverse_events_assessment(v1::ADVERSE_EVENTS_ASSESSMENT_PRESENT);
    s.clear_adverse_events();
    for (const auto& text : absl::GetFlag(FLAGS_adverse_event)) {
      auto event = ParseAdverseEvent("adverse_event", text);
      if (!event.ok()) return event.status();
      *s.add_adverse_events() = *std::move(event);
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyAftercare(v1::TreatmentSession& s) {
  if (FlagSpecified("aftercare_instruction_set")) {
    auto name =
        InstructionSetName("aftercare_instruction_set",
                           absl::GetFlag(FLAGS_aftercare_instruction_set));
    if (!name.ok()) return name.status();
    s.mutable_aftercare_instructions()->set_instruction_set(*name);
  }
  if (FlagSpecified("aftercare_revision")) {
    s.mutable_aftercare_instructions()->set_revision_id(
        absl::GetFlag(FLAGS_aftercare_revision));
  }
  absl::Status st = SetTimeFlag(
      "aftercare_delivered_at", FLAGS_aftercare_delivered_at,
      [&] { return s.mutable_aftercare_delivery()->mutable_delivered_at(); });
  if (!st.ok()) return st;
  st = SetEnumFlag<v1::AftercareDeliveryMethod>(
      "aftercare_delivery", FLAGS_aftercare_delivery,
      [&](v1::AftercareDeliveryMethod m) {
        s.mutable_aftercare_delivery()->set_method(m);
      });
  if (!st.ok()) return st;
  if (FlagSpecified("aftercare_delivered_by")) {
    s.mutable_aftercare_delivery()->set_delivered_by(
        absl::GetFlag(FLAGS_aftercare_delivered_by));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplySessionFlags(v1::TreatmentSession& s) {
  absl::Status st = SetEnumFlag<v1::SessionStatus>(
      "status", FLAGS_status, [&](v1::SessionStatus v) { s.set_status(v); });
  if (!st.ok()) return st;
  st = SetTimeFlag("performed_at", FLAGS_performed_at,
                   [&] { return s.mutable_performed_at(); });
  if (!st.ok()) return st;
  if (FlagSpecified("duration")) {
    s.set_duration_minutes(absl::GetFlag(FLAGS_duration));
  }
  if (FlagSpecified("clinician"))
    s.set_clinician(absl::GetFlag(FLAGS_clinician));
  if (FlagSpecified("notes")) s.set_notes(absl::GetFlag(FLAGS_notes));
  for (auto apply : {&ApplyEquipment, &ApplyTreatment, &ApplyPrepCheckIn,
                     &ApplyResponse, &ApplyAftercare}) {
    st = apply(s);
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace cli
}  // namespace mnrecords
