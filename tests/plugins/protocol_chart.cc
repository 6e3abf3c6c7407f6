#include "tests/plugins/protocol_chart.h"

#include <algorithm>
#include <atomic>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"

namespace mnrecords::testing {

config::v1::PluginConfig PluginFromText(const std::string& text) {
  config::v1::PluginConfig c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &c)) << text;
  return c;
}

TestServerOptions Shipped() {
  TestServerOptions options;
  options.shipped_defaults = true;
  return options;
}

std::vector<v1::InstructionKind> AllKinds() {
  return {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
          v1::INSTRUCTION_KIND_AFTERCARE, v1::INSTRUCTION_KIND_PHOTOGRAPHY};
}

Chart NewChart(TestServer& server, const std::string& clinic,
               std::vector<v1::InstructionKind> kinds, bool screened) {
  RecordsClient& client = server.client();
  Chart chart;
  static std::atomic<int> mrn{0};
  auto patient = client.CreatePatient(
      PatientRequest(clinic, absl::StrCat("MRN-", mrn.fetch_add(1))));
  EXPECT_TRUE(patient.ok()) << patient.status();
  chart.patient = patient->name();
  for (v1::InstructionKind kind : AllKinds()) {
    auto set = server.admin_client().PublishInstructionSet(InstructionsRequest(
        clinic,
        absl::AsciiStrToLower(v1::InstructionKind_Name(kind).substr(17)),
        kind));
    EXPECT_TRUE(set.ok()) << set.status();
    if (kind == v1::INSTRUCTION_KIND_AFTERCARE) chart.aftercare = *set;
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) continue;
    auto consent = client.RecordConsent(
        ConsentRequest(chart.patient, *set, TestNow() - 60 * kDay));
    EXPECT_TRUE(consent.ok()) << consent.status();
  }
  auto questionnaire =
      server.admin_client().PublishInstructionSet(QuestionnaireRequest(clinic));
  EXPECT_TRUE(questionnaire.ok()) << questionnaire.status();
  chart.questionnaire = *questionnaire;
  if (screened) {
    auto screening = client.RecordScreening(
        ScreeningRequest(chart.patient, *questionnaire, TestNow() - 60 * kDay));
    EXPECT_TRUE(screening.ok()) << screening.status();
  }
  auto course = client.CreateCourse(CourseRequest(chart.patient));
  EXPECT_TRUE(course.ok()) << course.status();
  chart.course = course->name();
  return chart;
}

v1::LogSessionRequest Session(const Chart& chart, absl::Time at) {
  v1::LogSessionRequest r = SessionRequest(chart.course, at);
  auto* ref = r.mutable_session()->mutable_aftercare_instructions();
  ref->set_instruction_set(chart.aftercare.name());
  ref->set_revision_id(chart.aftercare.revision_id());
  v1::AftercareDelivery* delivery =
      r.mutable_session()->mutable_aftercare_delivery();
  *delivery->mutable_delivered_at() = ToProtoTime(at);
  delivery->set_method(v1::AFTERCARE_DELIVERY_METHOD_PRINTED);
  delivery->set_delivered_by("nurse-1");
  return r;
}

std::vector<std::string> Codes(
    const google::protobuf::RepeatedPtrField<v1::Finding>& findings) {
  std::vector<std::string> codes;
  for (const v1::Finding& f : findings) codes.push_back(f.code());
  return codes;
}

int SessionCount(TestServer& server, const std::string& course) {
  v1::ListSessionsRequest list;
  list.set_parent(course);
  auto sessions = server.client().ListSessions(list);
  EXPECT_TRUE(sessions.ok()) << sessions.status();
  return sessions.ok() ? sessions->sessions_size() : -1;
}

absl::StatusOr<v1::TreatmentSession> LogWithRetinoids(TestServer& server,
                                                      const std::string& clinic,
                                                      absl::Duration before,
                                                      std::string* course) {
  const Chart chart = NewChart(server, clinic, AllKinds());
  *course = chart.course;
  const absl::Time at = TestNow() - kDay;
  v1::LogSessionRequest log = Session(chart, at);
  *log.mutable_session()
       ->mutable_prep_check_in()
       ->mutable_last_retinoid_use_time() = ToProtoTime(at - before);
  return server.client().LogSession(log);
}

}  // namespace mnrecords::testing
