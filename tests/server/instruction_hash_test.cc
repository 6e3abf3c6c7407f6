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

// A text with sections (or a section the clinic must word) hashes in the
// v2 form, which also commits to each item's section and flag; texts
// without them keep the v1 hash above.
TEST(InstructionHashTest, SectionedTextsUseTheDocumentedV2Form) {
  v1::InstructionSet set;
  set.set_kind(v1::INSTRUCTION_KIND_PROCEDURE);
  set.set_title("Consent");
  v1::InstructionItem* done = set.add_items();
  done->set_section("What is done");
  done->set_text("Needling.");
  v1::InstructionItem* risks = set.add_items();
  risks->set_section("Risks");
  risks->set_clinic_wording_required(true);
  const std::string canonical =
      "25:mnrecords.instructions.v2,"
      "26:INSTRUCTION_KIND_PROCEDURE,"
      "7:Consent,"
      "1:2,"
      "12:What is done,1:0,0:,0:,9:Needling.,"
      "5:Risks,1:1,0:,0:,0:,";
  EXPECT_EQ(InstructionContentSha256(set), Sha256Hex(canonical));

  // Moving an item to another section, or unmarking it, changes the hash
  // even though every text is the same.
  v1::InstructionSet moved = set;
  moved.mutable_items(0)->set_section("Risks");
  EXPECT_NE(InstructionContentSha256(moved), InstructionContentSha256(set));
  v1::InstructionSet unmarked = set;
  unmarked.mutable_items(1)->set_clinic_wording_required(false);
  EXPECT_NE(InstructionContentSha256(unmarked), InstructionContentSha256(set));
}

// A questionnaire's questions commit to their code and class too.
TEST(InstructionHashTest, QuestionsHashTheirCodeAndClass) {
  v1::InstructionSet set;
  set.set_kind(v1::INSTRUCTION_KIND_SCREENING);
  set.set_title("Q");
  v1::InstructionItem* q = set.add_items();
  q->set_question_code("pregnancy");
  q->set_contraindication(v1::CONTRAINDICATION_ABSOLUTE);
  q->set_text("Pregnant?");
  const std::string canonical =
      "25:mnrecords.instructions.v2,"
      "26:INSTRUCTION_KIND_SCREENING,"
      "1:Q,"
      "1:1,"
      "0:,1:0,9:pregnancy,25:CONTRAINDICATION_ABSOLUTE,9:Pregnant?,";
  EXPECT_EQ(InstructionContentSha256(set), Sha256Hex(canonical));
  v1::InstructionSet relative = set;
  relative.mutable_items(0)->set_contraindication(
      v1::CONTRAINDICATION_RELATIVE);
  EXPECT_NE(InstructionContentSha256(relative), InstructionContentSha256(set));
}

TEST(InstructionHashTest, IncompleteSectionsNamesEachEmptyClinicSectionOnce) {
  v1::InstructionSet set;
  const auto add = [&](const char* section, const char* text, bool clinic) {
    v1::InstructionItem* item = set.add_items();
    item->set_section(section);
    item->set_text(text);
    item->set_clinic_wording_required(clinic);
  };
  add("What is done", "", false);  // not the clinic's: never incomplete
  add("Risks", "", true);
  add("Risks", " \n", true);  // blanks are not wording
  add("Alternatives", "Worded.", true);
  add("Aftercare", "", true);
  EXPECT_EQ(IncompleteSections(set),
            (std::vector<std::string>{"Risks", "Aftercare"}));
  set.mutable_items(1)->set_text("Worded.");
  set.mutable_items(2)->set_text("Worded too.");
  set.mutable_items(4)->set_text("Worded.");
  EXPECT_TRUE(IncompleteSections(set).empty());
}

}  // namespace
}  // namespace mnrecords
