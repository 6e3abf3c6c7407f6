#include "plugins/microneedling_protocol/default_instructions.h"

#include <initializer_list>

namespace mnrecords::plugins::microneedling_protocol {
namespace {

namespace v1 = ::clinic::microneedling::v1;

DefaultInstructionSet Make(const char* id, v1::InstructionKind kind,
                           const char* title,
                           std::initializer_list<const char*> items) {
  DefaultInstructionSet set;
  set.id = id;
  set.content.set_kind(kind);
  set.content.set_title(title);
  for (const char* item : items) set.content.add_items()->set_text(item);
  return set;
}

// Procedure: the PROCEDURE consent text, in the sections informed consent
// needs. "Risks" and "Alternatives" are medical wording the clinic's medical
// director must supply, so the default is a template: consents can be
// recorded only once the clinic has published a revision that words them.
DefaultInstructionSet Procedure() {
  DefaultInstructionSet set;
  set.id = "procedure";
  set.content.set_kind(v1::INSTRUCTION_KIND_PROCEDURE);
  set.content.set_title("Consent to microneedling");
  const auto add = [&](const char* section, const char* text) {
    v1::InstructionItem* item = set.content.add_items();
    item->set_section(section);
    item->set_text(text);
  };
  const auto add_for_clinic = [&](const char* section) {
    v1::InstructionItem* item = set.content.add_items();
    item->set_section(section);
    item->set_clinic_wording_required(true);
  };
  add("What is done",
      "Your clinician cleans the agreed treatment areas and may apply a "
      "numbing cream.");
  add("What is done",
      "A microneedling device makes many tiny, controlled punctures in the "
      "skin of those areas.");
  add("What is done", "A course is typically 3-6 sessions, 4-6 weeks apart.");
  add("Expected effects",
      "Redness and sensitivity, like a mild sunburn, usually last 24-48 "
      "hours.");
  add("Expected effects",
      "Results are typically seen after 3-6 sessions. They vary from person "
      "to person and are not guaranteed.");
  add_for_clinic("Risks");
  add_for_clinic("Alternatives");
  add("Your right to withdraw",
      "You may withdraw this consent at any time, before or during the "
      "course, without giving a reason.");
  add("Your right to withdraw",
      "Withdrawing stops further sessions; the record of sessions already "
      "performed is kept.");
  return set;
}

}  // namespace

std::vector<DefaultInstructionSet> DefaultInstructionSets() {
  return {
      Make("preparation", v1::INSTRUCTION_KIND_PREPARATION,
           "Before your microneedling session",
           {"Avoid sun exposure for at least 48 hours before.",
            "Stop retinoids, exfoliants and acids a few days before, as your "
            "provider advises.",
            "Stay hydrated and moisturize.",
            "Arrive with clean skin, no makeup."}),
      Make(
          "aftercare", v1::INSTRUCTION_KIND_AFTERCARE,
          "After your microneedling session",
          {"Redness and sensitivity like a mild sunburn usually settle in "
           "24-48 hours.",
           "Avoid direct sunlight and wear SPF 30+.",
           "Use gentle, fragrance-free products.",
           "No makeup for at least 24 hours.", "No intense workouts for a day.",
           "Results are typically seen after 3-6 sessions, 4-6 weeks apart; "
           "they are not guaranteed."}),
      Procedure(),
      Make("photography", v1::INSTRUCTION_KIND_PHOTOGRAPHY, "Treatment photos",
           {"Photos of the treated areas are taken before and after sessions "
            "to follow your results.",
            "The clinic keeps the photos with your treatment record."}),
  };
}

}  // namespace mnrecords::plugins::microneedling_protocol
