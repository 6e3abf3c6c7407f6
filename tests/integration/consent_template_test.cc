// Instruction texts in sections, and templates the clinic must complete,
// through the real server: the default PROCEDURE text is a template whose
// Risks and Alternatives need the clinic's wording; consents and sessions
// cannot refer to a revision until those sections are worded, and the
// refusal names them.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "plugins/microneedling_protocol/default_instructions.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

// The plugin's default PROCEDURE text.
v1::InstructionSet DefaultProcedure() {
  for (const auto& set :
       plugins::microneedling_protocol::DefaultInstructionSets()) {
    if (set.content.kind() == v1::INSTRUCTION_KIND_PROCEDURE) {
      return set.content;
    }
  }
  ADD_FAILURE() << "no default PROCEDURE text";
  return {};
}

std::vector<std::string> Sections(const v1::InstructionSet& set) {
  std::vector<std::string> sections;
  for (const auto& item : set.items()) {
    if (sections.empty() || sections.back() != item.section()) {
      sections.push_back(item.section());
    }
  }
  return sections;
}

// `set` with the clinic's wording in `section`'s clinic items.
v1::InstructionSet Worded(v1::InstructionSet set, const std::string& section,
                          const std::string& text) {
  for (auto& item : *set.mutable_items()) {
    if (item.section() == section && item.clinic_wording_required()) {
      item.set_text(text);
    }
  }
  return set;
}

class ConsentTemplateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    patient_ = patient->name();
  }

  absl::StatusOr<v1::InstructionSet> Publish(const std::string& id,
                                             v1::InstructionSet content) {
    v1::PublishInstructionSetRequest r =
        InstructionsRequest("c1", id, content.kind());
    content.set_published_by("medical-director");
    *r.mutable_instruction_set() = std::move(content);
    return server_.admin_client().PublishInstructionSet(r);
  }

  absl::StatusOr<v1::Consent> ConsentTo(const v1::InstructionSet& set) {
    return client().RecordConsent(ConsentRequest(patient_, set, TestNow()));
  }

  int StoredConsents() {
    v1::ListConsentsRequest r;
    r.set_parent(patient_);
    auto all = client().ListAllConsents(r);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? static_cast<int>(all->size()) : -1;
  }

  RecordsClient& client() { return server_.client(); }

  TestServer server_;
  std::string patient_;
};

TEST(DefaultProcedureTextTest, InformsInSectionsWithoutPromisingResults) {
  const v1::InstructionSet set = DefaultProcedure();
  EXPECT_EQ(Sections(set), (std::vector<std::string>{
                               "What is done", "Expected effects", "Risks",
                               "Alternatives", "Your right to withdraw"}));
  std::string effects;
  for (const auto& item : set.items()) {
    if (item.section() == "Expected effects") effects += item.text();
    // The clinic words exactly the medical sections, nothing else.
    EXPECT_EQ(item.clinic_wording_required(),
              item.section() == "Risks" || item.section() == "Alternatives")
        << item.section();
  }
  EXPECT_TRUE(absl::StrContains(effects, "24-48 hours")) << effects;
  EXPECT_TRUE(absl::StrContains(effects, "typically seen after 3-6 sessions"))
      << effects;
  EXPECT_TRUE(absl::StrContains(effects, "not guaranteed")) << effects;
}

TEST_F(ConsentTemplateTest, ConsentToTheTemplateIsRefusedNamingItsSections) {
  auto template_rev = Publish("procedure", DefaultProcedure());
  ASSERT_TRUE(template_rev.ok()) << template_rev.status();
  EXPECT_EQ(
      std::vector<std::string>(template_rev->incomplete_sections().begin(),
                               template_rev->incomplete_sections().end()),
      (std::vector<std::string>{"Risks", "Alternatives"}));

  auto refused = ConsentTo(*template_rev);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "consent.instructions: revision 1 of "
            "clinics/c1/instructionSets/procedure is a template the clinic "
            "has not completed: sections \"Risks\", \"Alternatives\" still "
            "need the clinic's own wording; publish a revision with it first");
  EXPECT_EQ(StoredConsents(), 0);

  // Half done: the refusal names what is left.
  auto half = Publish("procedure",
                      Worded(DefaultProcedure(), "Risks", "Clinic risks."));
  ASSERT_TRUE(half.ok()) << half.status();
  EXPECT_EQ(half->revision_id(), 2);
  refused = ConsentTo(*half);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(std::string(refused.status().message()),
                                "section \"Alternatives\" still needs"))
      << std::string(refused.status().message());
  EXPECT_EQ(StoredConsents(), 0);

  // Complete: the consent is recorded against revision 3, and the template
  // revisions stay readable as published.
  auto complete = Publish(
      "procedure", Worded(Worded(DefaultProcedure(), "Risks", "Clinic risks."),
                          "Alternatives", "Clinic alternatives."));
  ASSERT_TRUE(complete.ok()) << complete.status();
  EXPECT_EQ(complete->revision_id(), 3);
  EXPECT_EQ(complete->incomplete_sections_size(), 0);
  auto consent = ConsentTo(*complete);
  ASSERT_TRUE(consent.ok()) << consent.status();
  EXPECT_EQ(consent->instructions().revision_id(), 3);
  EXPECT_EQ(consent->instructions().content_sha256(),
            complete->content_sha256());
  v1::GetInstructionSetRequest get;
  get.set_name(complete->name());
  get.set_revision_id(1);
  auto first = client().GetInstructionSet(get);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->incomplete_sections_size(), 2);
  EXPECT_EQ(first->content_sha256(), template_rev->content_sha256());
}

TEST_F(ConsentTemplateTest, ASessionCannotHandOutAnUncompletedAftercareText) {
  v1::InstructionSet aftercare;
  aftercare.set_kind(v1::INSTRUCTION_KIND_AFTERCARE);
  aftercare.set_title("After your session");
  v1::InstructionItem* sun = aftercare.add_items();
  sun->set_section("Sun");
  sun->set_text("Wear SPF 30+.");
  v1::InstructionItem* products = aftercare.add_items();
  products->set_section("Products to use");
  products->set_clinic_wording_required(true);
  auto set = Publish("aftercare", aftercare);
  ASSERT_TRUE(set.ok()) << set.status();

  auto course = client().CreateCourse(CourseRequest(patient_));
  ASSERT_TRUE(course.ok()) << course.status();
  v1::LogSessionRequest r =
      SessionRequest(course->name(), TestNow() - absl::Hours(1));
  r.mutable_session()->mutable_aftercare_instructions()->set_instruction_set(
      set->name());
  r.mutable_session()->mutable_aftercare_instructions()->set_revision_id(1);
  auto session = client().LogSession(r);
  EXPECT_EQ(session.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(
      absl::StrContains(std::string(session.status().message()),
                        "session.aftercare_instructions: revision 1 of "
                        "clinics/c1/instructionSets/aftercare is a template"))
      << std::string(session.status().message());
  EXPECT_TRUE(absl::StrContains(std::string(session.status().message()),
                                "section \"Products to use\" still needs"))
      << std::string(session.status().message());
}

TEST_F(ConsentTemplateTest, PublishingChecksSectionsAndTheirWording) {
  struct Case {
    const char* why;
    v1::InstructionItem item;
    const char* message;
  };
  std::vector<Case> cases(3);
  cases[0].why = "a clinic item must name its section";
  cases[0].item.set_clinic_wording_required(true);
  cases[0].message =
      "instruction_set.items[1].section: required when "
      "clinic_wording_required is set, so the missing wording can be named";
  cases[1].why = "only a clinic item may be empty";
  cases[1].item.set_section("Risks");
  cases[1].message = "instruction_set.items[1].text: required";
  cases[2].why = "section headings are short";
  cases[2].item.set_section(std::string(101, 'x'));
  cases[2].item.set_text("Text.");
  cases[2].message =
      "instruction_set.items[1].section: longer than 100 bytes (101)";
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    v1::InstructionSet set;
    set.set_kind(v1::INSTRUCTION_KIND_PROCEDURE);
    set.set_title("Consent");
    set.add_items()->set_text("Needling.");
    *set.add_items() = c.item;
    auto published = Publish("procedure", set);
    EXPECT_EQ(published.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(published.status().message(), c.message);
  }
  v1::ListInstructionSetsRequest list;
  list.set_parent("clinics/c1");
  auto sets = client().ListAllInstructionSets(list);
  ASSERT_TRUE(sets.ok()) << sets.status();
  EXPECT_TRUE(sets->empty());
}

}  // namespace
}  // namespace mnrecords::testing
