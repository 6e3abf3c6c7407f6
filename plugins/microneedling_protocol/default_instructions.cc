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

// Screening: the contraindications commonly listed for microneedling as
// yes/no questions, each classed absolute (do not treat) or relative
// (weigh it). The classes are a starting point for the clinic's medical
// director to review and change, not clinical advice.
DefaultInstructionSet Screening() {
  DefaultInstructionSet set;
  set.id = "screening";
  set.content.set_kind(v1::INSTRUCTION_KIND_SCREENING);
  set.content.set_title("Health questions before microneedling");
  const auto ask = [&](const char* code, v1::Contraindication c,
                       const char* question) {
    v1::InstructionItem* item = set.content.add_items();
    item->set_question_code(code);
    item->set_contraindication(c);
    item->set_text(question);
  };
  constexpr v1::Contraindication kAbsolute = v1::CONTRAINDICATION_ABSOLUTE;
  constexpr v1::Contraindication kRelative = v1::CONTRAINDICATION_RELATIVE;
  ask("active-acne", kAbsolute,
      "Do you have active inflammatory acne in the area to be treated?");
  ask("infection-in-area", kAbsolute,
      "Do you have an infection or cold sores in or near the area to be "
      "treated?");
  ask("open-wounds", kAbsolute,
      "Do you have open wounds, cuts or broken skin in the area to be "
      "treated?");
  ask("isotretinoin", kAbsolute,
      "Have you taken isotretinoin (e.g. Roaccutane) in the past 6 months?");
  ask("keloid-scarring", kRelative,
      "Have you ever formed keloid or raised (hypertrophic) scars?");
  ask("pregnancy-or-breastfeeding", kAbsolute,
      "Are you pregnant or breastfeeding?");
  ask("anticoagulants-or-bleeding-disorder", kRelative,
      "Do you take blood thinners (anticoagulants) or have a bleeding "
      "disorder?");
  ask("immunosuppression", kRelative,
      "Is your immune system weakened by an illness or by medication?");
  ask("skin-cancer-in-area", kAbsolute,
      "Do you have, or have you had, skin cancer in the area to be treated?");
  ask("radiation-to-area", kRelative,
      "Have you had radiation therapy to the area to be treated?");
  ask("allergy-numbing-or-metal", kRelative,
      "Are you allergic to numbing creams (local anaesthetics) or to metals "
      "such as nickel?");
  ask("eczema-or-psoriasis-in-area", kRelative,
      "Do you have eczema or psoriasis in the area to be treated?");
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
      Screening(),
  };
}

}  // namespace mnrecords::plugins::microneedling_protocol
