#include "common/sha256.h"
#include "gtest/gtest.h"
#include "server/consent/instruction_refs.h"

namespace mnrecords {
namespace {

// The canonical form is documented (docs/api.md "Consent and instruction
// texts"); an auditor must be able to recompute it without our code, so pin it
// byte for byte.
TEST(InstructionHashTest, MatchesTheDocumentedCanonicalForm) {
  v1::InstructionSet set;
  set.set_kind(v1::INSTRUCTION_KIND_AFTERCARE);
  set.set_title("Aftercare");
  set.add_items()->set_text("Wear SPF 30+.");
  set.add_items()->set_text("No makeup for 24 hours.");
  const std::string canonical =
      "25:mnrecords.instructions.v1,"
      "26:INSTRUCTION_KIND_AFTERCARE,"
      "9:Aftercare,"
      "1:2,"
      "13:Wear SPF 30+.,"
      "23:No makeup for 24 hours.,";
  EXPECT_EQ(InstructionContentSha256(set), Sha256Hex(canonical));
  // Known SHA-256 of "abc" guards the hex encoding itself.
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(InstructionHashTest, EveryContentChangeChangesTheHash) {
  v1::InstructionSet set;
  set.set_kind(v1::INSTRUCTION_KIND_PREPARATION);
  set.set_title("Prep");
  set.add_items()->set_text("a");
  set.add_items()->set_text("b");
  const std::string base = InstructionContentSha256(set);
  v1::InstructionSet reordered = set;
  reordered.mutable_items()->SwapElements(0, 1);
  EXPECT_NE(InstructionContentSha256(reordered), base);
  v1::InstructionSet joined = set;
  joined.clear_items();
  joined.add_items()->set_text("ab");
  EXPECT_NE(InstructionContentSha256(joined), base);
  v1::InstructionSet other_kind = set;
  other_kind.set_kind(v1::INSTRUCTION_KIND_AFTERCARE);
  EXPECT_NE(InstructionContentSha256(other_kind), base);
  v1::InstructionSet retimed = set;
  retimed.mutable_effective_time()->set_seconds(1);
  retimed.set_published_by("someone");
  EXPECT_EQ(InstructionContentSha256(retimed), base);
}

}  // namespace
}  // namespace mnrecords
