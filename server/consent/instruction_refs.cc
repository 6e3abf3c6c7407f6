#include "server/consent/instruction_refs.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "server/records/record_codec.h"
#include "server/validation/resource_names.h"

namespace mnrecords {
namespace {

void AppendNetstring(absl::string_view s, std::string* out) {
  absl::StrAppend(out, s.size(), ":", s, ",");
}

// HasV2Fields: whether any item uses the v2 fields (a section, the
// clinic-wording flag, a question code or a contraindication). Texts
// without them keep their v1 hash.
bool HasV2Fields(const v1::InstructionSet& s) {
  for (const v1::InstructionItem& item : s.items()) {
    if (!item.section().empty() || item.clinic_wording_required() ||
        !item.question_code().empty() ||
        item.contraindication() != v1::CONTRAINDICATION_UNSPECIFIED) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string InstructionContentSha256(const v1::InstructionSet& s) {
  const bool sections = HasV2Fields(s);
  std::string canonical;
  AppendNetstring(
      sections ? "mnrecords.instructions.v2" : "mnrecords.instructions.v1",
      &canonical);
  AppendNetstring(v1::InstructionKind_Name(s.kind()), &canonical);
  AppendNetstring(s.title(), &canonical);
  AppendNetstring(absl::StrCat(s.items_size()), &canonical);
  for (const v1::InstructionItem& item : s.items()) {
    if (sections) {
      AppendNetstring(item.section(), &canonical);
      AppendNetstring(item.clinic_wording_required() ? "1" : "0", &canonical);
      AppendNetstring(item.question_code(), &canonical);
      AppendNetstring(
          item.contraindication() == v1::CONTRAINDICATION_UNSPECIFIED
              ? ""
              : v1::Contraindication_Name(item.contraindication()),
          &canonical);
    }
    AppendNetstring(item.text(), &canonical);
  }
  return Sha256Hex(canonical);
}

std::vector<std::string> IncompleteSections(const v1::InstructionSet& s) {
  std::vector<std::string> sections;
  for (const v1::InstructionItem& item : s.items()) {
    if (!item.clinic_wording_required() ||
        !absl::StripAsciiWhitespace(item.text()).empty()) {
      continue;
    }
    if (std::find(sections.begin(), sections.end(), item.section()) ==
        sections.end()) {
      sections.push_back(item.section());
    }
  }
  return sections;
}

absl::StatusOr<v1::InstructionSet> DecodeInstructionSet(
    const StoredRecord& stored) {
  return DecodePayload<v1::InstructionSet>(stored, RecordKind::kInstructionSet);
}

absl::StatusOr<v1::InstructionSet> LoadInstructionSet(ReadTxn& txn,
                                                      const std::string& name,
                                                      int64_t revision_id) {
  MNR_ASSIGN_OR_RETURN(StoredRecord stored, txn.GetRecord(name, revision_id));
  return DecodeInstructionSet(stored);
}

absl::StatusOr<v1::InstructionSet> ResolveInstructionRef(
    ReadTxn& txn, absl::string_view field, absl::string_view clinic,
    v1::InstructionKind expected, v1::InstructionRevisionRef* ref) {
  MNR_ASSIGN_OR_RETURN(
      const ResourceName name,
      ParseName(absl::StrCat(field, ".instruction_set"), ref->instruction_set(),
                NameKind::kInstructionSet));
  if (name.clinic != clinic) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".instruction_set: ", ref->instruction_set(),
                     " belongs to another clinic"));
  }
  MNR_ASSIGN_OR_RETURN(
      v1::InstructionSet set,
      LoadInstructionSet(txn, ref->instruction_set(), ref->revision_id()));
  if (expected != v1::INSTRUCTION_KIND_UNSPECIFIED && set.kind() != expected) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": ", ref->instruction_set(), " is ",
                     v1::InstructionKind_Name(set.kind()), ", not ",
                     v1::InstructionKind_Name(expected)));
  }
  if (!ref->content_sha256().empty() &&
      ref->content_sha256() != set.content_sha256()) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ".content_sha256: ", ref->content_sha256(),
                     " is not the hash of revision ", ref->revision_id(),
                     " of ", ref->instruction_set(), " (", set.content_sha256(),
                     "): the text shown differs from the published one"));
  }
  const std::vector<std::string> incomplete = IncompleteSections(set);
  if (!incomplete.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": revision ", set.revision_id(), " of ", ref->instruction_set(),
        " is a template the clinic has not completed: section",
        incomplete.size() == 1 ? " \"" : "s \"",
        absl::StrJoin(incomplete, "\", \""), "\" still need",
        incomplete.size() == 1 ? "s" : "",
        " the clinic's own wording; publish a revision with it first"));
  }
  ref->set_content_sha256(set.content_sha256());
  return set;
}

}  // namespace mnrecords
