// Every error path of the API with its exact status code and the field or
// resource named in the message; and proof that a rejected call stores
// nothing.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/error_details.h"
#include "client/status_conversion.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "common/time_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/course_fixture.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

using ::absl::StatusCode;

struct SessionCase {
  std::string label;
  std::function<void(v1::LogSessionRequest&)> mutate;
  StatusCode code;
  std::string mentions;  // the message must contain this
};

class ErrorPathsTest : public CourseFixture {
 protected:
  size_t SessionCount() {
    v1::ListSessionsRequest list;
    list.set_parent("clinics/c1/patients/-/courses/-");
    auto all = client().ListAllSessions(list);
    EXPECT_TRUE(all.ok()) << all.status();
    return all.ok() ? all->size() : 0;
  }
};

TEST_F(ErrorPathsTest, InvalidSessionsAreRejectedAndStoreNothing) {
  const std::vector<SessionCase> cases = {
      {"depth too deep",
       [](auto& r) {
         r.mutable_session()->mutable_treated_areas(0)->set_needle_depth_mm(
             3.5);
       },
       StatusCode::kInvalidArgument,
       "session.treated_areas[0].needle_depth_mm"},
      {"depth too shallow",
       [](auto& r) {
         r.mutable_session()->mutable_treated_areas(1)->set_needle_depth_mm(
             0.05);
       },
       StatusCode::kInvalidArgument,
       "session.treated_areas[1].needle_depth_mm"},
      {"depth NaN",
       [](auto& r) {
         r.mutable_session()->mutable_treated_areas(0)->set_needle_depth_mm(
             std::nan(""));
       },
       StatusCode::kInvalidArgument, "needle_depth_mm"},
      {"zero duration",
       [](auto& r) { r.mutable_session()->set_duration_minutes(0); },
       StatusCode::kInvalidArgument, "session.duration_minutes"},
      {"negative duration",
       [](auto& r) { r.mutable_session()->set_duration_minutes(-5); },
       StatusCode::kInvalidArgument, "session.duration_minutes"},
      {"unknown status enum",
       [](auto& r) {
         r.mutable_session()->set_status(static_cast<v1::SessionStatus>(99));
       },
       StatusCode::kInvalidArgument, "session.status: unknown enum value 99"},
      {"unspecified status",
       [](auto& r) {
         r.mutable_session()->set_status(v1::SESSION_STATUS_UNSPECIFIED);
       },
       StatusCode::kInvalidArgument, "session.status: required"},
      {"unknown body area",
       [](auto& r) {
         r.mutable_session()
             ->mutable_treated_areas(0)
             ->mutable_site()
             ->set_area(static_cast<v1::BodyArea>(1234));
       },
       StatusCode::kInvalidArgument, "session.treated_areas[0].site.area"},
      {"notes too long",
       [](auto& r) { r.mutable_session()->set_notes(std::string(4001, 'x')); },
       StatusCode::kInvalidArgument, "session.notes: longer than 4000"},
      {"control character in clinician",
       [](auto& r) { r.mutable_session()->set_clinician("dr\x01lee"); },
       StatusCode::kInvalidArgument, "session.clinician"},
      {"missing performed_at",
       [](auto& r) { r.mutable_session()->clear_performed_at(); },
       StatusCode::kInvalidArgument, "session.performed_at: required"},
      {"performed in the future",
       [](auto& r) {
         *r.mutable_session()->mutable_performed_at() =
             ToProtoTime(TestNow() + absl::Hours(3));
       },
       StatusCode::kInvalidArgument, "session.performed_at"},
      {"completed without treated areas",
       [](auto& r) { r.mutable_session()->clear_treated_areas(); },
       StatusCode::kInvalidArgument, "session.treated_areas"},
      {"adverse events listed but assessed none",
       [](auto& r) {
         auto* e = r.mutable_session()->add_adverse_events();
         e->set_description("bruising");
         e->set_severity(v1::ADVERSE_EVENT_SEVERITY_MILD);
       },
       StatusCode::kInvalidArgument, "session.adverse_events"},
      {"adverse events present but none listed",
       [](auto& r) {
         r.mutable_session()->set_adverse_events_assessment(
             v1::ADVERSE_EVENTS_ASSESSMENT_PRESENT);
       },
       StatusCode::kInvalidArgument, "session.adverse_events"},
      {"entered-in-error on create",
       [](auto& r) {
         r.mutable_session()->set_status(v1::SESSION_STATUS_ENTERED_IN_ERROR);
       },
       StatusCode::kInvalidArgument, "session.status"},
      {"malformed parent",
       [](auto& r) { r.set_parent("clinics/c1/courses/x"); },
       StatusCode::kInvalidArgument, "parent"},
      {"upper-case id in parent",
       [](auto& r) { r.set_parent("clinics/C1/patients/p/courses/c"); },
       StatusCode::kInvalidArgument, "parent"},
      {"bad session id", [](auto& r) { r.set_session_id("Not_Valid"); },
       StatusCode::kInvalidArgument, "session_id"},
      {"request_id with spaces", [](auto& r) { r.set_request_id("a b"); },
       StatusCode::kInvalidArgument, "request_id"},
      {"missing course",
       [this](auto& r) { r.set_parent(patient_.name() + "/courses/nope"); },
       StatusCode::kNotFound, "/courses/nope"},
      {"aftercare set missing",
       [](auto& r) {
         auto* ref = r.mutable_session()->mutable_aftercare_instructions();
         ref->set_instruction_set("clinics/c1/instructionSets/none");
         ref->set_revision_id(1);
       },
       StatusCode::kNotFound, "clinics/c1/instructionSets/none"},
      {"aftercare set of another clinic",
       [](auto& r) {
         auto* ref = r.mutable_session()->mutable_aftercare_instructions();
         ref->set_instruction_set("clinics/c2/instructionSets/after");
         ref->set_revision_id(1);
       },
       StatusCode::kInvalidArgument, "aftercare_instructions.instruction_set"},
  };
  for (const SessionCase& c : cases) {
    SCOPED_TRACE(c.label);
    v1::LogSessionRequest request = SessionRequest(course_.name(), TestNow());
    c.mutate(request);
    auto result = client().LogSession(request);
    EXPECT_EQ(result.status().code(), c.code) << result.status();
    EXPECT_NE(result.status().message().find(c.mentions), std::string::npos)
        << result.status().message();
    if (c.code == StatusCode::kInvalidArgument) {
      // The refused field, machine-readable (google.rpc.BadRequest).
      const ErrorDetails details = GetErrorDetails(result.status());
      EXPECT_EQ(details.reason, "INVALID_FIELD");
      EXPECT_EQ(details.domain, "mnrecords.clinic");
      ASSERT_EQ(details.field_violations.size(), 1u);
      const FieldViolation& violation = details.field_violations[0];
      EXPECT_EQ(result.status().message(),
                absl::StrCat(violation.field, ": ", violation.description));
      EXPECT_FALSE(violation.field.empty());
      EXPECT_NE(absl::StrCat(violation.field, ": ", violation.description)
                    .find(c.mentions),
                std::string::npos);
    }
  }
  EXPECT_EQ(SessionCount(), 0u);
}

// Every error carries a stable reason (clinic.microneedling.v1.ErrorReason)
// in a google.rpc.ErrorInfo, whatever its code.
TEST_F(ErrorPathsTest, EveryErrorCarriesItsReason) {
  v1::GetPatientRequest ghost;
  ghost.set_name("clinics/c1/patients/ghost");
  EXPECT_EQ(GetErrorDetails(client().GetPatient(ghost).status()).reason,
            "RECORD_NOT_FOUND");

  auto again = client().CreatePatient(PatientRequest("c1", "MRN-F1"));
  ASSERT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(GetErrorDetails(again.status()).reason, "RECORD_ALREADY_EXISTS");

  v1::AmendCourseRequest stale;
  stale.mutable_course()->set_name(course_.name());
  stale.mutable_course()->set_notes("Second thoughts.");
  stale.mutable_update_mask()->add_paths("notes");
  stale.set_etag("not-the-etag");
  stale.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ADDENDUM);
  stale.mutable_amendment()->set_reason("Typo.");
  stale.mutable_amendment()->set_author("dr-lee");
  stale.set_request_id(NewRequestId());
  auto amended = client().AmendCourse(stale);
  ASSERT_EQ(amended.status().code(), StatusCode::kAborted) << amended.status();
  EXPECT_EQ(GetErrorDetails(amended.status()).reason, "ETAG_MISMATCH");
  // A bad field of a list call: the page token.
  v1::ListSessionsRequest list;
  list.set_parent(course_.name());
  list.set_page_token("not-a-token");
  auto listed = client().ListSessions(list);
  ASSERT_EQ(listed.status().code(), StatusCode::kInvalidArgument);
  const ErrorDetails bad_token = GetErrorDetails(listed.status());
  EXPECT_EQ(bad_token.reason, "INVALID_FIELD");
  ASSERT_EQ(bad_token.field_violations.size(), 1u);
  EXPECT_EQ(bad_token.field_violations[0].field, "page_token");
}

// Clients other than ours (any language's generated stubs) may omit the
// request_id; the server requires it so that no create is retried into a
// duplicate.
TEST_F(ErrorPathsTest, RawStubWithoutRequestIdIsInvalidArgument) {
  auto stub = v1::TreatmentRecords::NewStub(grpc::CreateChannel(
      server_.target(), grpc::InsecureChannelCredentials()));
  v1::LogSessionRequest request = SessionRequest(course_.name(), TestNow());
  request.clear_request_id();
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + server_.token("ehr"));
  v1::TreatmentSession response;
  const grpc::Status status = stub->LogSession(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("request_id: required"),
            std::string::npos)
      << status.error_message();
  // The details trailer is a google.rpc.Status any client can decode.
  const ErrorDetails details = GetErrorDetails(ToAbslStatus(status));
  EXPECT_EQ(details.reason, "INVALID_FIELD");
  ASSERT_EQ(details.field_violations.size(), 1u);
  EXPECT_EQ(details.field_violations[0].field, "request_id");
  EXPECT_EQ(SessionCount(), 0u);

  grpc::ClientContext anonymous;
  const grpc::Status refused = stub->LogSession(&anonymous, request, &response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(GetErrorDetails(ToAbslStatus(refused)).reason,
            "CREDENTIALS_REJECTED");
}

TEST_F(ErrorPathsTest, SessionOnCancelledCourseIsFailedPrecondition) {
  v1::AmendCourseRequest cancel;
  cancel.mutable_course()->set_name(course_.name());
  cancel.mutable_course()->set_status(v1::COURSE_STATUS_CANCELLED);
  cancel.mutable_update_mask()->add_paths("status");
  cancel.set_etag(course_.etag());
  cancel.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_ADDENDUM);
  cancel.mutable_amendment()->set_reason("Patient moved away.");
  cancel.mutable_amendment()->set_author("dr-lee");
  cancel.set_request_id(NewRequestId());
  ASSERT_TRUE(client().AmendCourse(cancel).ok());
  auto result = client().LogSession(SessionRequest(course_.name(), TestNow()));
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("CANCELLED"), std::string::npos);
  EXPECT_EQ(GetErrorDetails(result.status()).reason, "RECORD_STATE_CONFLICT");
  EXPECT_EQ(SessionCount(), 0u);
}

TEST_F(ErrorPathsTest, AftercareReferenceOfWrongKindIsFailedPrecondition) {
  auto prep = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "prep", v1::INSTRUCTION_KIND_PREPARATION));
  ASSERT_TRUE(prep.ok());
  v1::LogSessionRequest request = SessionRequest(course_.name(), TestNow());
  auto* ref = request.mutable_session()->mutable_aftercare_instructions();
  ref->set_instruction_set(prep->name());
  ref->set_revision_id(1);
  auto result = client().LogSession(request);
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("not INSTRUCTION_KIND_AFTERCARE"),
            std::string::npos);
  ref->set_revision_id(2);
  EXPECT_EQ(client().LogSession(request).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(SessionCount(), 0u);
}

TEST_F(ErrorPathsTest, DuplicatePatientIdentifierIsAlreadyExists) {
  auto again = client().CreatePatient(PatientRequest("c1", "MRN-F1"));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find(patient_.name()), std::string::npos);
  // The same MRN in another clinic is another patient.
  EXPECT_TRUE(client().CreatePatient(PatientRequest("c2", "MRN-F1")).ok());
  v1::CreatePatientRequest same_id = PatientRequest("c1", "MRN-10");
  same_id.set_patient_id(
      patient_.name().substr(patient_.name().rfind('/') + 1));
  EXPECT_EQ(client().CreatePatient(same_id).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(ErrorPathsTest, MissingRecordsAreNotFoundByName) {
  v1::GetPatientRequest get;
  get.set_name("clinics/c1/patients/ghost");
  auto result = client().GetPatient(get);
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_NE(result.status().message().find("clinics/c1/patients/ghost"),
            std::string::npos);
  v1::GetCourseRequest old;
  old.set_name(course_.name());
  old.set_revision_id(7);
  EXPECT_EQ(client().GetCourse(old).status().code(), StatusCode::kNotFound);
  v1::CreateCourseRequest orphan = CourseRequest("clinics/c1/patients/ghost");
  EXPECT_EQ(client().CreateCourse(orphan).status().code(),
            StatusCode::kNotFound);
}

TEST_F(ErrorPathsTest, ConsentErrors) {
  auto set = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "proc", v1::INSTRUCTION_KIND_PROCEDURE));
  ASSERT_TRUE(set.ok());
  v1::RecordConsentRequest wrong_hash =
      ConsentRequest(patient_.name(), *set, TestNow());
  wrong_hash.mutable_consent()->mutable_instructions()->set_content_sha256(
      std::string(64, '0'));
  auto r1 = client().RecordConsent(wrong_hash);
  EXPECT_EQ(r1.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r1.status().message().find("content_sha256"), std::string::npos);

  v1::RecordConsentRequest verbal =
      ConsentRequest(patient_.name(), *set, TestNow());
  verbal.mutable_consent()->set_method(v1::CONSENT_METHOD_VERBAL_WITH_WITNESS);
  auto r2 = client().RecordConsent(verbal);
  EXPECT_EQ(r2.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r2.status().message().find("consent.witness.display_name"),
            std::string::npos);

  v1::RecordConsentRequest expiry_before =
      ConsentRequest(patient_.name(), *set, TestNow());
  *expiry_before.mutable_consent()->mutable_expire_time() =
      ToProtoTime(TestNow() - absl::Hours(1));
  EXPECT_EQ(client().RecordConsent(expiry_before).status().code(),
            StatusCode::kInvalidArgument);

  v1::ListConsentsRequest list;
  list.set_parent(patient_.name());
  auto consents = client().ListConsents(list);
  ASSERT_TRUE(consents.ok());
  EXPECT_EQ(consents->consents_size(), 0);
}

TEST_F(ErrorPathsTest, AmendErrors) {
  v1::AmendCourseRequest amend;
  amend.mutable_course()->set_name(course_.name());
  amend.mutable_course()->set_planned_session_count(4);
  amend.set_etag(course_.etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_amendment()->set_reason("Plan changed.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  // No update mask.
  auto r1 = client().AmendCourse(amend);
  EXPECT_EQ(r1.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r1.status().message().find("update_mask"), std::string::npos);
  // A field that cannot be amended.
  amend.mutable_update_mask()->add_paths("name");
  EXPECT_EQ(client().AmendCourse(amend).status().code(),
            StatusCode::kInvalidArgument);
  // An amendment without a reason.
  amend.mutable_update_mask()->set_paths(0, "planned_session_count");
  amend.mutable_amendment()->clear_reason();
  auto r3 = client().AmendCourse(amend);
  EXPECT_EQ(r3.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r3.status().message().find("amendment.reason"), std::string::npos);
  // A merged record that is invalid.
  amend.mutable_amendment()->set_reason("Plan changed.");
  amend.mutable_course()->set_planned_session_count(0);
  auto r4 = client().AmendCourse(amend);
  EXPECT_EQ(r4.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r4.status().message().find("course.planned_session_count"),
            std::string::npos);
  // Wrong etag.
  amend.mutable_course()->set_planned_session_count(4);
  amend.set_etag("r9");
  EXPECT_EQ(client().AmendCourse(amend).status().code(), StatusCode::kAborted);

  v1::GetCourseRequest get;
  get.set_name(course_.name());
  auto current = client().GetCourse(get);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->revision().revision_id(), 1);
  EXPECT_EQ(current->planned_session_count(), 3);
}

TEST_F(ErrorPathsTest, ListArgumentErrors) {
  v1::ListSessionsRequest list;
  list.set_parent(course_.name());
  list.set_page_size(1001);
  auto r1 = client().ListSessions(list);
  EXPECT_EQ(r1.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r1.status().message().find("page_size"), std::string::npos);
  list.set_page_size(-1);
  EXPECT_EQ(client().ListSessions(list).status().code(),
            StatusCode::kInvalidArgument);
  list.set_page_size(10);
  list.set_page_token("garbage!");
  auto r3 = client().ListSessions(list);
  EXPECT_EQ(r3.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r3.status().message().find("page_token"), std::string::npos);
  list.set_page_token("");
  list.set_parent("clinics/-/patients/-/courses/-");
  EXPECT_EQ(client().ListSessions(list).status().code(),
            StatusCode::kInvalidArgument);
  list.set_parent("clinics/c1/patients/-/courses/x");
  EXPECT_EQ(client().ListSessions(list).status().code(),
            StatusCode::kInvalidArgument);
  // A named parent that does not exist is NOT_FOUND, not an empty list.
  list.set_parent(patient_.name() + "/courses/typo");
  auto missing = client().ListSessions(list);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("/courses/typo"),
            std::string::npos);
  v1::ListConsentsRequest consents;
  consents.set_parent("clinics/c1/patients/nobody");
  EXPECT_EQ(client().ListConsents(consents).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace mnrecords::testing
