// The printable reports in a real browser: a patient with two courses, a
// revoked consent, a re-consent after a text change and a tampered text is
// reported with the client library; Debian's chromium, driven by
// puppeteer-core (browser/inspect_report.js), shows the timeline, the
// ✓/✗ marks, the session not covered and the access entries (a bulk list
// among them), and axe-core finds no accessibility violation. The page is
// printed to PDF with the same chromium. The clinic report is checked the
// same way.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/report/clinic_report.h"
#include "client/report/consent_history_report.h"
#include "client/report/pdf.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/fixtures.h"
#include "tests/support/sqlite_tamper.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

using Json = nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

// Inspect renders `html` in chromium and returns what the page showed.
Json Inspect(const std::string& html) {
  const std::string file = UniqueTempPath("report") + ".html";
  std::ofstream(file) << html;
  const std::string out = file + ".json";
  const std::string cmd =
      absl::StrCat(MNRECORDS_NODE, " ", MNRECORDS_REPORT_INSPECT_SCRIPT, " ",
                   MNRECORDS_REPORT_BROWSER_DIR, "/node_modules ",
                   MNRECORDS_CHROMIUM, " ", file, " >", out, " 2>&1");
  const int rc = std::system(cmd.c_str());
  const std::string text = ReadFile(out);
  EXPECT_EQ(rc, 0) << text;
  try {
    return Json::parse(text);
  } catch (const Json::exception&) {
    ADD_FAILURE() << "inspect_report.js printed: " << text;
    return Json::object();
  }
}

// Spans returns the states of `item` in the page's timelines, in order.
std::vector<std::string> States(const Json& page, const std::string& item) {
  std::vector<std::string> out;
  for (const Json& t : page["timelines"]) {
    for (const Json& s : t["spans"]) {
      if (s["item"] == item) {
        EXPECT_TRUE(s["shown"].get<bool>()) << item;
        out.push_back(s["state"]);
      }
    }
  }
  return out;
}

class ConsentReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const absl::Time now = TestNow();
    auto Publish = [&](v1::PublishInstructionSetRequest r) {
      auto set = server_.admin_client().PublishInstructionSet(r);
      EXPECT_TRUE(set.ok()) << set.status();
      return set.ok() ? *set : v1::InstructionSet();
    };
    procedure_ = Publish(
        InstructionsRequest("c1", "procedure", v1::INSTRUCTION_KIND_PROCEDURE));
    const v1::InstructionSet prep1 = Publish(InstructionsRequest(
        "c1", "preparation", v1::INSTRUCTION_KIND_PREPARATION));
    const v1::InstructionSet aftercare = Publish(
        InstructionsRequest("c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE));

    auto patient = ehr().CreatePatient(PatientRequest("c1", "MRN-1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    patient_ = patient->name();
    auto Consent = [&](const v1::InstructionSet& set, absl::Time at) {
      auto c = ehr().RecordConsent(ConsentRequest(patient_, set, at));
      EXPECT_TRUE(c.ok()) << c.status();
      return c.ok() ? c->name() : "";
    };
    procedure_consent_ = Consent(procedure_, now - absl::Hours(24 * 120));
    prep_consent_ = Consent(prep1, now - absl::Hours(24 * 120));
    aftercare_consent_ = Consent(aftercare, now - absl::Hours(24 * 120));

    // Course 1: two sessions under every consent.
    auto course1 = ehr().CreateCourse(CourseRequest(patient_));
    ASSERT_TRUE(course1.ok()) << course1.status();
    for (int days : {100, 70}) {
      auto s = ehr().LogSession(
          SessionRequest(course1->name(), now - absl::Hours(24 * days)));
      ASSERT_TRUE(s.ok()) << s.status();
      covered_sessions_.push_back(s->name());
    }
    // The aftercare consent is revoked.
    v1::RevokeConsentRequest revoke;
    revoke.set_name(aftercare_consent_);
    revoke.set_reason("the patient withdrew consent by phone");
    revoke.set_author("nurse-kim");
    *revoke.mutable_revoke_time() = ToProtoTime(now - absl::Hours(24 * 60));
    revoke.set_request_id(NewRequestId());
    ASSERT_TRUE(ehr().RevokeConsent(revoke).ok());
    // The preparation text changes and needs a new consent, given.
    v1::PublishInstructionSetRequest prep2 = InstructionsRequest(
        "c1", "preparation", v1::INSTRUCTION_KIND_PREPARATION);
    prep2.mutable_instruction_set()->add_items()->set_text(
        "Stop retinoids and acids 5 days before.");
    prep2.mutable_instruction_set()->set_requires_reconsent(true);
    *prep2.mutable_instruction_set()->mutable_effective_time() =
        ToProtoTime(now - absl::Hours(24 * 35));
    reconsent_ = Consent(Publish(prep2), now - absl::Hours(24 * 30));
    // Course 2: a session after the revocation: not covered.
    auto course2 = ehr().CreateCourse(CourseRequest(patient_));
    ASSERT_TRUE(course2.ok()) << course2.status();
    auto late = ehr().LogSession(
        SessionRequest(course2->name(), now - absl::Hours(24 * 20)));
    ASSERT_TRUE(late.ok()) << late.status();
    uncovered_session_ = late->name();

    // Another patient, and a list of every session of the clinic.
    auto other = ehr().CreatePatient(PatientRequest("c1", "MRN-2"));
    ASSERT_TRUE(other.ok()) << other.status();
    v1::ListSessionsRequest all;
    all.set_parent("clinics/c1/patients/-/courses/-");
    ASSERT_TRUE(ehr().ListSessions(all).ok());

    // Someone edits the stored procedure text behind the server's back
    // and covers the row with a fresh content hash.
    server_.Stop();
    absl::StatusOr<StoredRevision> stored =
        ReadStoredRevision(server_.db_path(), procedure_.name(), 1);
    ASSERT_TRUE(stored.ok()) << stored.status();
    v1::InstructionSet edited;
    ASSERT_TRUE(edited.ParseFromString(stored->revision.payload));
    edited.mutable_items(0)->set_text("Sun exposure is fine.");
    ASSERT_TRUE(
        TamperSql(server_.db_path(),
                  absl::StrCat("UPDATE revisions SET payload = ?1 "
                               "WHERE name = '",
                               procedure_.name(), "' AND revision_id = 1"),
                  edited.SerializeAsString())
            .ok());
    ASSERT_TRUE(
        RehashStoredRevision(server_.db_path(), procedure_.name(), 1).ok());
    server_.Start();
  }

  RecordsClient& ehr() { return server_.client(); }
  RecordsClient& auditor() { return server_.auditor_client(); }

  TestServer server_;
  v1::InstructionSet procedure_;
  std::string patient_;
  std::string procedure_consent_, prep_consent_, aftercare_consent_, reconsent_;
  std::vector<std::string> covered_sessions_;
  std::string uncovered_session_;
};

TEST_F(ConsentReportTest, TheBrowserShowsEveryConsentCheckAndAccess) {
  report::ConsentHistoryOptions options;
  options.patient = patient_;
  options.from = TestNow() - absl::Hours(24 * 150);
  options.to = TestNow() + absl::Hours(1);
  absl::StatusOr<report::ConsentHistoryData> data =
      report::GatherConsentHistory(auditor(), options);
  ASSERT_TRUE(data.ok()) << data.status();
  const std::string html = report::RenderConsentHistory(*data);
  const Json page = Inspect(html);
  ASSERT_TRUE(page.contains("timelines")) << page.dump();

  // Self-contained: no scripts, nothing fetched.
  EXPECT_EQ(page["scripts"], 0);
  EXPECT_TRUE(page["requests"].empty()) << page["requests"].dump();
  EXPECT_EQ(page["axe"], Json::array()) << page["axe"].dump(2);

  // The timelines: one per kind, each consent's states in order.
  std::set<std::string> kinds;
  for (const Json& t : page["timelines"]) kinds.insert(t["kind"]);
  EXPECT_EQ(kinds,
            (std::set<std::string>{"preparation", "aftercare", "procedure"}));
  EXPECT_EQ(States(page, aftercare_consent_),
            (std::vector<std::string>{"ACTIVE", "REVOKED"}));
  EXPECT_EQ(States(page, prep_consent_),
            (std::vector<std::string>{"ACTIVE", "SUPERSEDED"}));
  EXPECT_EQ(States(page, reconsent_), std::vector<std::string>{"ACTIVE"});
  // Every timeline marks the sessions; the late one as not covered.
  for (const Json& t : page["timelines"]) {
    ASSERT_EQ(t["ticks"].size(), 3u) << t.dump();
    for (const Json& tick : t["ticks"]) {
      EXPECT_TRUE(tick["shown"].get<bool>());
      EXPECT_EQ(tick["covered"].get<bool>(),
                tick["session"] != uncovered_session_);
    }
  }

  // The text checks: the tampered procedure text fails, the others pass.
  ASSERT_EQ(page["textChecks"].size(), 4u);
  for (const Json& check : page["textChecks"]) {
    const bool tampered = check["consent"] == procedure_consent_;
    EXPECT_EQ(check["ok"].get<bool>(), !tampered) << check.dump();
    EXPECT_EQ(check["text"].get<std::string>().rfind(
                  tampered ? "\xE2\x9C\x97" : "\xE2\x9C\x93", 0),
              0u)
        << check.dump();
  }

  // Sessions: the two of course 1 covered (by the aftercare consent among
  // others), the late one not.
  ASSERT_EQ(page["sessions"].size(), 3u);
  for (const Json& s : page["sessions"]) {
    const bool late = s["session"] == uncovered_session_;
    EXPECT_EQ(s["covered"].get<bool>(), !late) << s.dump();
  }
  std::set<std::string> by_aftercare;
  for (const Json& c : page["covered"]) {
    if (c["consent"] == aftercare_consent_) by_aftercare.insert(c["session"]);
  }
  EXPECT_EQ(by_aftercare, std::set<std::string>(covered_sessions_.begin(),
                                                covered_sessions_.end()));

  // Accesses: the bulk list of every session is one, with the writes and
  // the report's own reads.
  bool bulk_list = false;
  std::set<std::string> actions;
  for (const Json& a : page["accesses"]) {
    actions.insert(a["action"]);
    if (a["action"] == "ListSessions" && a["bulk"].get<bool>() &&
        a["principal"] == "ehr") {
      bulk_list = true;
    }
  }
  EXPECT_TRUE(bulk_list) << page["accesses"].dump();
  EXPECT_TRUE(actions.count("CreatePatient")) << page["accesses"].dump();
  EXPECT_TRUE(actions.count("RevokeConsent"));
  EXPECT_TRUE(actions.count("ListConsents"));  // this report's own read
  const std::string chain = page["chain"];
  EXPECT_EQ(chain.rfind("\xE2\x9C\x93", 0), 0u) << chain;
}

TEST_F(ConsentReportTest, ThePdfIsPrintedByChromium) {
  report::ConsentHistoryOptions options;
  options.patient = patient_;
  absl::StatusOr<report::ConsentHistoryData> data =
      report::GatherConsentHistory(auditor(), options);
  ASSERT_TRUE(data.ok()) << data.status();
  const std::string html_path = UniqueTempPath("report") + ".html";
  std::ofstream(html_path) << report::RenderConsentHistory(*data);
  const std::string pdf_path = UniqueTempPath("report") + ".pdf";
  const absl::Status printed =
      report::PrintToPdf(html_path, pdf_path, MNRECORDS_CHROMIUM);
  ASSERT_TRUE(printed.ok()) << printed;
  const std::string pdf = ReadFile(pdf_path);
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  // Pages: "/Type /Page" objects (not "/Type /Pages"). Four consents with
  // their state tables, three sessions and the access report fill more
  // than one A4 page.
  const std::regex page_object("/Type\\s*/Page[^s]");
  const auto pages =
      std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page_object),
                    std::sregex_iterator());
  EXPECT_GE(pages, 2);
  EXPECT_LE(pages, 12);

  EXPECT_EQ(
      report::PrintToPdf(html_path, pdf_path, "/nonexistent/chromium").code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(ConsentReportTest, TheClinicReportListsTheUncoveredSession) {
  report::ClinicReportOptions options;
  options.clinic = "c1";
  options.from = TestNow() - absl::Hours(24 * 150);
  options.to = TestNow() + absl::Hours(1);
  absl::StatusOr<report::ClinicReportData> data =
      report::GatherClinicReport(auditor(), options);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->coverage.sessions_total(), 3);
  EXPECT_EQ(data->coverage.sessions_uncovered(), 1);
  const Json page = Inspect(report::RenderClinicReport(*data));
  EXPECT_EQ(page["axe"], Json::array()) << page["axe"].dump(2);
  EXPECT_EQ(page["scripts"], 0);
  ASSERT_EQ(page["sessions"].size(), 1u) << page.dump();
  EXPECT_EQ(page["sessions"][0]["session"], uncovered_session_);
  EXPECT_EQ(page["sessions"][0]["covered"], false);
}

}  // namespace
}  // namespace mnrecords::testing
