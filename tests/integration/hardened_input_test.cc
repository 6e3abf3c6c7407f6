// Oversized, malformed and late requests against the real server: refused
// with a clear status, nothing stored, the server keeps serving.
#include <iostream>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/field_behavior.pb.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

class HardenedInputTest : public ::testing::Test {
 protected:
  int PatientCount() {
    v1::ListPatientsRequest list;
    list.set_parent("clinics/c1");
    auto listed = server_.client().ListPatients(list);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->patients_size() : -1;
  }

  TestServer server_;
};

TEST_F(HardenedInputTest, RequestsOverFourMebibytesAreResourceExhausted) {
  v1::CreatePatientRequest big = PatientRequest("c1", "MRN-BIG");
  big.mutable_patient()->mutable_identifiers(0)->set_value(
      std::string(5 << 20, 'x'));
  EXPECT_EQ(server_.client().CreatePatient(big).status().code(),
            absl::StatusCode::kResourceExhausted);
  // Under the limit it reaches validation, which bounds every string.
  big.mutable_patient()->mutable_identifiers(0)->set_value(
      std::string(3 << 20, 'x'));
  auto refused = server_.client().CreatePatient(big);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("patient.identifiers[0].value", 0),
            0u)
      << refused.status().message();
  EXPECT_EQ(PatientCount(), 0);
}

TEST_F(HardenedInputTest, UnknownFieldsAreRefusedNotStored) {
  v1::CreatePatientRequest request = PatientRequest("c1", "MRN-NEW");
  request.mutable_patient()
      ->GetReflection()
      ->MutableUnknownFields(request.mutable_patient())
      ->AddVarint(999, 1);
  auto refused = server_.client().CreatePatient(request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("patient: field number 999", 0),
            0u)
      << refused.status().message();
  EXPECT_EQ(PatientCount(), 0);
}

TEST_F(HardenedInputTest, PageSizeAndTokenLengthAreBounded) {
  v1::ListPatientsRequest list;
  list.set_parent("clinics/c1");
  list.set_page_size(1001);
  auto too_big = server_.client().ListPatients(list);
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(too_big.status().message().rfind("page_size", 0), 0u);
  list.set_page_size(1000);
  EXPECT_TRUE(server_.client().ListPatients(list).ok());
  // A huge bearer token is refused before it is hashed.
  RecordsClient huge = server_.NewClient(std::string(4000, 'a'));
  EXPECT_EQ(huge.ListPatients(list).status().code(),
            absl::StatusCode::kUnauthenticated);
}

// A deadline can pass while the server commits: the client cannot know, so
// it retries with the same request_id and gets the first result, never a
// second record.
TEST_F(HardenedInputTest, DeadlinesAreHonouredAndRetriesCreateNoDuplicate) {
  const v1::CreatePatientRequest request = PatientRequest("c1", "MRN-LATE");
  ASSERT_FALSE(request.request_id().empty());
  CallOptions hurry;
  int exceeded = 0;
  for (int i = 0; i < 20; ++i) {
    hurry.timeout = absl::Microseconds(1 + 50 * i);
    const absl::StatusCode code =
        server_.client().CreatePatient(request, hurry).status().code();
    EXPECT_TRUE(code == absl::StatusCode::kDeadlineExceeded ||
                code == absl::StatusCode::kOk)
        << code;
    exceeded += code == absl::StatusCode::kDeadlineExceeded;
  }
  auto patient = server_.client().CreatePatient(request);
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_EQ(PatientCount(), 1);
  std::cout << "deadline-exceeded calls: " << exceeded << " of 20\n";
}

// Output-only fields a client sends are ignored (AIP-203): never stored,
// echoed or used. The response and a later read agree.
TEST_F(HardenedInputTest, OutputOnlyFieldsSentByAClientAreIgnored) {
  v1::CreatePatientRequest patient_request = PatientRequest("c1", "MRN-OUT");
  patient_request.mutable_patient()->set_etag("forged");
  patient_request.mutable_patient()->mutable_revision()->set_revision_id(7);
  patient_request.mutable_patient()->mutable_create_time()->set_seconds(86400);
  auto patient = server_.client().CreatePatient(patient_request);
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_NE(patient->etag(), "forged");
  EXPECT_EQ(patient->revision().revision_id(), 1);
  EXPECT_NE(patient->create_time().seconds(), 86400);

  v1::CreateCourseRequest course_request = CourseRequest(patient->name());
  course_request.mutable_course()->add_findings()->set_code("forged-finding");
  course_request.mutable_course()->add_status_history()->set_status(
      v1::COURSE_STATUS_COMPLETED);
  auto course = server_.client().CreateCourse(course_request);
  ASSERT_TRUE(course.ok()) << course.status();
  for (const v1::Finding& f : course->findings()) {
    EXPECT_NE(f.code(), "forged-finding");
  }
  ASSERT_EQ(course->status_history_size(), 1);
  EXPECT_NE(course->status_history(0).status(), v1::COURSE_STATUS_COMPLETED);

  auto set = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE));
  ASSERT_TRUE(set.ok()) << set.status();
  v1::RecordConsentRequest consent_request =
      ConsentRequest(patient->name(), *set, TestNow() - absl::Hours(1));
  v1::Consent& sent = *consent_request.mutable_consent();
  sent.set_needs_reconsent(true);
  sent.set_kind(v1::INSTRUCTION_KIND_PROCEDURE);
  sent.set_state(v1::CONSENT_STATE_REVOKED);
  sent.set_etag("forged");
  sent.add_findings()->set_code("forged-finding");
  auto consent = server_.client().RecordConsent(consent_request);
  ASSERT_TRUE(consent.ok()) << consent.status();
  EXPECT_FALSE(consent->needs_reconsent());
  EXPECT_EQ(consent->kind(), v1::INSTRUCTION_KIND_AFTERCARE);
  EXPECT_EQ(consent->state(), v1::CONSENT_STATE_ACTIVE);
  EXPECT_NE(consent->etag(), "forged");
  for (const v1::Finding& f : consent->findings()) {
    EXPECT_NE(f.code(), "forged-finding");
  }
  v1::GetConsentRequest get;
  get.set_name(consent->name());
  auto read = server_.auditor_client().GetConsent(get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->SerializeAsString(), consent->SerializeAsString());
}

// Every resource's server-set fields carry the option the server acts on,
// so a field added later cannot be forgotten silently.
TEST(OutputOnlyOptionTest, EveryResourcesServerSetFieldsAreMarked) {
  for (const google::protobuf::Descriptor* resource :
       {v1::Patient::descriptor(), v1::TreatmentCourse::descriptor(),
        v1::TreatmentSession::descriptor(), v1::OutcomePhoto::descriptor(),
        v1::Consent::descriptor(), v1::InstructionSet::descriptor()}) {
    for (const char* name : {"etag", "create_time", "publish_time", "revision",
                             "revision_id", "findings"}) {
      const google::protobuf::FieldDescriptor* f =
          resource->FindFieldByName(name);
      if (f == nullptr) continue;
      EXPECT_TRUE(f->options().GetExtension(v1::output_only)) << f->full_name();
    }
  }
}

// A required person field made only of blanks is refused like an empty
// one; a time before 1970 is a typo or a placeholder and is refused.
TEST_F(HardenedInputTest, BlankPeopleAndImplausibleDatesAreRefused) {
  auto patient = server_.client().CreatePatient(PatientRequest("c1", "MRN-1"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  auto set = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "aftercare", v1::INSTRUCTION_KIND_AFTERCARE));
  ASSERT_TRUE(set.ok()) << set.status();
  v1::RecordConsentRequest blank =
      ConsentRequest(patient->name(), *set, TestNow() - absl::Hours(1));
  blank.mutable_consent()->set_recorded_by(" ");
  auto refused = server_.client().RecordConsent(blank);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(),
            "consent.recorded_by: required (holds only blanks)");

  v1::RecordConsentRequest old = ConsentRequest(
      patient->name(), *set,
      absl::FromCivil(absl::CivilDay(1901, 1, 1), absl::UTCTimeZone()));
  refused = server_.client().RecordConsent(old);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind(
                "consent.signed_at: lies before 1970-01-01", 0),
            0u)
      << refused.status().message();

  auto course = server_.client().CreateCourse(CourseRequest(patient->name()));
  ASSERT_TRUE(course.ok()) << course.status();
  v1::LogSessionRequest session =
      SessionRequest(course->name(), TestNow() - absl::Hours(1));
  session.mutable_session()->set_clinician("  ");
  auto no_clinician = server_.client().LogSession(session);
  EXPECT_EQ(no_clinician.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(no_clinician.status().message(),
            "session.clinician: required (holds only blanks)");
  v1::ListConsentsRequest consents;
  consents.set_parent(patient->name());
  auto listed = server_.auditor_client().ListConsents(consents);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->consents_size(), 0);
}

}  // namespace
}  // namespace mnrecords::testing
