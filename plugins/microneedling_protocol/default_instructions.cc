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
           "Results build over 3-6 sessions 4-6 weeks apart."}),
      Make("procedure", v1::INSTRUCTION_KIND_PROCEDURE,
           "Microneedling procedure",
           {"Your clinician treats the agreed areas with a microneedling "
            "device.",
            "Results build over 3-6 sessions 4-6 weeks apart."}),
      Make("photography", v1::INSTRUCTION_KIND_PHOTOGRAPHY, "Treatment photos",
           {"Photos of the treated areas are taken before and after sessions "
            "to follow your results.",
            "The clinic keeps the photos with your treatment record."}),
  };
}

}  // namespace mnrecords::plugins::microneedling_protocol
