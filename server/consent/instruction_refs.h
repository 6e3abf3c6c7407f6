// Instruction set revisions as stored records, and resolving references to
// them from sessions and consents.
#ifndef MNRECORDS_SERVER_CONSENT_INSTRUCTION_REFS_H_
#define MNRECORDS_SERVER_CONSENT_INSTRUCTION_REFS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/microneedling/v1/consents.pb.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// InstructionContentSha256 is the lower-case hex SHA-256 of the canonical
// content of `s`: the netstrings ("<byte length>:<bytes>,") of
// "mnrecords.instructions.v1", the kind's enum name (e.g.
// "INSTRUCTION_KIND_AFTERCARE"), the title, the decimal item count, then
// each item's text in order. When any item has a section, is marked
// clinic_wording_required, or is a question (question_code,
// contraindication), the form is "mnrecords.instructions.v2" and each item
// contributes its section, "1" or "0" for the flag, its question code, its
// contraindication's enum name ("" if unset), then its text.
// Nothing else (times, names) is hashed.
std::string InstructionContentSha256(const v1::InstructionSet& s);

// IncompleteSections lists, in order and each once, the sections of `s`
// holding a clinic_wording_required item whose text is empty.
std::vector<std::string> IncompleteSections(const v1::InstructionSet& s);

// DecodeInstructionSet parses a stored instruction set revision.
absl::StatusOr<v1::InstructionSet> DecodeInstructionSet(
    const StoredRecord& stored);

// LoadInstructionSet reads revision `revision_id` (0 = current) of `name`.
absl::StatusOr<v1::InstructionSet> LoadInstructionSet(ReadTxn& txn,
                                                      const std::string& name,
                                                      int64_t revision_id);

// ResolveInstructionRef checks that `ref` (already well formed) points at a
// published revision in `clinic` of kind `expected` (any kind if
// UNSPECIFIED) and whose hash equals ref->content_sha256 when one is given;
// then fills ref->content_sha256. INVALID_ARGUMENT for another clinic,
// NOT_FOUND for a missing set or revision, FAILED_PRECONDITION for a wrong
// kind or hash, or for a template whose sections the clinic has not worded
// yet (naming them). Returns the referenced revision.
absl::StatusOr<v1::InstructionSet> ResolveInstructionRef(
    ReadTxn& txn, absl::string_view field, absl::string_view clinic,
    v1::InstructionKind expected, v1::InstructionRevisionRef* ref);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CONSENT_INSTRUCTION_REFS_H_
