#include "server/consent/instruction_refs.h"

#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "server/validation/resource_names.h"

namespace mnrecords {
namespace {

void AppendNetstring(absl::string_view s, std::string* out) {
  absl::StrAppend(out, s.size(), ":", s, ",");
}

}  // namespace

std::string InstructionContentSha256(const v1::InstructionSet& s) {
  std::string canonical;
  AppendNetstring("mnrecords.instructions.v1", &canonical);
  AppendNetstring(v1::InstructionKind_Name(s.kind()), &canonical);
  AppendNetstring(s.title(), &canonical);
  AppendNetstring(absl::StrCat(s.items_size()), &canonical);
  for (const v1::InstructionItem& item : s.items()) {
    AppendNetstring(item.text(), &canonical);
  }
  return Sha256Hex(canonical);
}

absl::StatusOr<v1::InstructionSet> DecodeInstructionSet(
    const StoredRecord& stored) {
  v1::InstructionSet s;
  if (stored.revision.kind != RecordKind::kInstructionSet ||
      !s.ParseFromString(stored.revision.payload)) {
    return absl::DataLossError(
        absl::StrCat("revision ", stored.revision.revision_id, " of ",
                     stored.revision.name, " cannot be decoded"));
  }
  s.set_etag(absl::StrCat("r", stored.revision.revision_id));
  return s;
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
  ref->set_content_sha256(set.content_sha256());
  return set;
}

}  // namespace mnrecords
