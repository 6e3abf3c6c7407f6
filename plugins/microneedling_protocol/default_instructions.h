// The first PREPARATION, AFTERCARE, PROCEDURE and PHOTOGRAPHY instruction
// texts and the SCREENING questionnaire a new clinic starts from (`mnrec
// instructions provision-defaults` publishes them through the normal
// PublishInstructionSet path). Clinics publish their own revisions on top. The
// PROCEDURE text is a template: its "Risks" and "Alternatives" sections are
// left for the clinic's medical director to word (clinic_wording_required), and
// no consent can be recorded against it until they are.
#ifndef MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_DEFAULT_INSTRUCTIONS_H_
#define MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_DEFAULT_INSTRUCTIONS_H_

#include <string>
#include <vector>

#include "clinic/microneedling/v1/consents.pb.h"

namespace mnrecords::plugins::microneedling_protocol {

// DefaultInstructionSet: the instruction set id to publish under and its
// content (kind, title, items; no name, revision or published_by).
struct DefaultInstructionSet {
  // "preparation", "aftercare", "procedure", "photography", "screening"
  std::string id;
  ::clinic::microneedling::v1::InstructionSet content;
};

// DefaultInstructionSets returns the four defaults, in the order above,
// then the default SCREENING questionnaire ("screening"): the
// contraindications commonly listed for microneedling, each classed
// absolute or relative for the clinic's medical director to review.
std::vector<DefaultInstructionSet> DefaultInstructionSets();

}  // namespace mnrecords::plugins::microneedling_protocol

#endif  // MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_DEFAULT_INSTRUCTIONS_H_
