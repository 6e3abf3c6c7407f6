// The authorization matrix over the real server: every RPC of the services
// x every role x own clinic / other clinic, and every RPC without a token or
// with a bad one, with exact status codes; then that List, filters, page
// tokens and names leak nothing of another clinic and that a refused call
// stores nothing. The expected rights are written out here from
// docs/security.md
// ("Roles"), independently of the server's table.
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "clinic/microneedling/v1/admin_service.grpc.pb.h"
#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/rpc_method.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;
using grpc::StatusCode;

// The resources of one clinic, created through the API.
struct Clinic {
  std::string clinic, patient, course, session, photo, consent, instructions,
      screening, assessment;
};

enum Target {
  kClinic,
  kPatient,
  kCourse,
  kSession,
  kPhoto,
  kConsent,
  kSet,
  kSettings,
  kScreening,
  kAssessment
};

struct Rpc {
  Target target;  // what the request's parent/name/resource names
  bool read;      // reads with that name succeed; writes with an otherwise
                  // empty request are INVALID_ARGUMENT
  std::set<Role> roles;
};

const std::set<Role> kRecords = {Role::kClinician, Role::kEhrSystem};
const std::set<Role> kEveryone = {Role::kClinician, Role::kEhrSystem,
                                  Role::kAuditor, Role::kAdmin};
const std::set<Role> kConsentReaders = {Role::kClinician, Role::kEhrSystem,
                                        Role::kAuditor};

// Every RPC of TreatmentRecords and Consents. A new RPC fails
// EveryRpcIsInTheMatrix until it is added here.
const std::map<std::string, Rpc>& Rpcs() {
  static const auto* const kRpcs = new std::map<std::string, Rpc>{
      {"TreatmentRecords.CreatePatient", {kClinic, false, kRecords}},
      {"TreatmentRecords.GetPatient", {kPatient, true, kRecords}},
      {"TreatmentRecords.ListPatients", {kClinic, true, kRecords}},
      {"TreatmentRecords.AmendPatient", {kPatient, false, kRecords}},
      {"TreatmentRecords.CreateCourse", {kPatient, false, kRecords}},
      {"TreatmentRecords.GetCourse", {kCourse, true, kRecords}},
      {"TreatmentRecords.ListCourses", {kPatient, true, kRecords}},
      {"TreatmentRecords.AmendCourse", {kCourse, false, kRecords}},
      {"TreatmentRecords.GetCourseSummary", {kCourse, true, kRecords}},
      // A read, but an otherwise empty request lacks its period.
      {"TreatmentRecords.ListDueSessions", {kClinic, false, kRecords}},
      {"TreatmentRecords.LogSession", {kCourse, false, kRecords}},
      {"TreatmentRecords.GetSession", {kSession, true, kRecords}},
      {"TreatmentRecords.ListSessions", {kCourse, true, kRecords}},
      {"TreatmentRecords.AmendSession", {kSession, false, kRecords}},
      {"TreatmentRecords.CreatePhoto", {kSession, false, kRecords}},
      {"TreatmentRecords.GetPhoto", {kPhoto, true, kRecords}},
      {"TreatmentRecords.ListPhotos", {kSession, true, kRecords}},
      {"TreatmentRecords.AmendPhoto", {kPhoto, false, kRecords}},
      {"TreatmentRecords.ListRevisions", {kConsent, true, kRecords}},
      {"TreatmentRecords.PairCoursePhotos", {kCourse, true, kRecords}},
      // A read, but an otherwise empty request lacks its format.
      {"TreatmentRecords.ExportPatientRecord", {kPatient, false, kRecords}},
      {"TreatmentRecords.RecordScreening", {kPatient, false, kRecords}},
      {"TreatmentRecords.GetScreening", {kScreening, true, kRecords}},
      {"TreatmentRecords.ListScreenings", {kPatient, true, kRecords}},
      {"TreatmentRecords.AmendScreening", {kScreening, false, kRecords}},
      {"TreatmentRecords.RecordOutcomeAssessment", {kCourse, false, kRecords}},
      {"TreatmentRecords.GetOutcomeAssessment", {kAssessment, true, kRecords}},
      {"TreatmentRecords.ListOutcomeAssessments", {kCourse, true, kRecords}},
      {"TreatmentRecords.AmendOutcomeAssessment",
       {kAssessment, false, kRecords}},
      {"TreatmentRecords.ReleasePhoto", {kPhoto, false, kRecords}},
      {"TreatmentRecords.SignSession", {kSession, false, {Role::kClinician}}},
      {"TreatmentRecords.ListSessionSignatures", {kSession, true, kRecords}},
      {"TreatmentRecords.ListUnsignedSessions", {kClinic, true, kRecords}},
      {"TreatmentRecords.ListPhotoReleases", {kPhoto, true, kConsentReaders}},
      {"TreatmentRecords.CheckPhotoUse", {kPhoto, true, kConsentReaders}},
      {"TreatmentRecords.PublishPluginSettings",
       {kSettings, false, {Role::kAdmin}}},
      {"TreatmentRecords.GetPluginSettings", {kSettings, true, kEveryone}},
      {"TreatmentRecords.ListPluginSettingsRevisions",
       {kSettings, true, kEveryone}},
      {"Consents.PublishInstructionSet", {kClinic, false, {Role::kAdmin}}},
      {"Consents.GetInstructionSet", {kSet, true, kEveryone}},
      {"Consents.ListInstructionSets", {kClinic, true, kEveryone}},
      {"Consents.ListInstructionSetRevisions", {kSet, true, kEveryone}},
      {"Consents.RecordConsent", {kPatient, false, kRecords}},
      {"Consents.GetConsent", {kConsent, true, kConsentReaders}},
      {"Consents.ListConsents", {kPatient, true, kConsentReaders}},
      {"Consents.RevokeConsent", {kConsent, false, kRecords}},
      {"Consents.MarkConsentEnteredInError", {kConsent, false, kRecords}},
      {"Consents.ListConsentHistory", {kPatient, true, kConsentReaders}},
      {"Consents.GetConsentStateAt", {kPatient, false, kConsentReaders}},
      {"Consents.GetConsentCoverage", {kClinic, false, kConsentReaders}},
      {"Consents.VerifyConsent", {kConsent, true, kConsentReaders}},
  };
  return *kRpcs;
}

std::vector<const MethodDescriptor*> ServiceMethods() {
  std::vector<const MethodDescriptor*> methods;
  for (const char* service : {v1::TreatmentRecords::service_full_name(),
                              v1::Consents::service_full_name()}) {
    const auto* s =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service);
    for (int i = 0; i < s->method_count(); ++i) methods.push_back(s->method(i));
  }
  return methods;
}

std::string ShortName(const MethodDescriptor* m) {
  return absl::StrCat(m->service()->name(), ".", m->name());
}

// A principal per role that belongs to clinic c1 only.
std::vector<TestPrincipal> C1Principals() {
  return {{"c1-clinician", Role::kClinician, {"c1"}},
          {"c1-ehr", Role::kEhrSystem, {"c1"}},
          {"c1-auditor", Role::kAuditor, {"c1"}},
          {"c1-admin", Role::kAdmin, {"c1"}}};
}

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The protocol plugin runs (so its settings exist), reporting missing
    // consents instead of blocking, so the clinics' records can be made.
    TestServerOptions options;
    config::v1::PluginConfig protocol;
    protocol.set_name("microneedling-protocol");
    for (const char* code :
         {"MNP-CONSENT-MISSING", "MNP-PHOTO-CONSENT-MISSING"}) {
      config::v1::SeverityOverride* o = protocol.add_severity();
      o->set_code(code);
      o->set_severity(config::v1::SeverityOverride::INFO);
    }
    options.plugins.push_back(protocol);
    server_ = new TestServer(options, C1Principals());
    for (const char* clinic : {"c1", "c2"}) {
      clinics_[clinic] = MakeClinic(clinic);
    }
    channel_ = grpc::CreateChannel(server_->target(),
                                   grpc::InsecureChannelCredentials());
  }
  static void TearDownTestSuite() {
    channel_.reset();
    delete server_;
    server_ = nullptr;
  }

  static Clinic MakeClinic(const std::string& clinic) {
    RecordsClient& ehr = server_->client();
    Clinic c;
    c.clinic = "clinics/" + clinic;
    c.patient = ehr.CreatePatient(PatientRequest(clinic, "MRN-1"))->name();
    c.course = ehr.CreateCourse(CourseRequest(c.patient))->name();
    c.session =
        ehr.LogSession(SessionRequest(c.course, TestNow() - absl::Hours(1)))
            ->name();
    c.photo =
        ehr.CreatePhoto(PhotoRequest(c.session, v1::PHOTO_PHASE_IMMEDIATE_POST,
                                     TestNow() - absl::Minutes(10)))
            ->name();
    auto set = server_->admin_client().PublishInstructionSet(
        InstructionsRequest(clinic, "prep", v1::INSTRUCTION_KIND_PREPARATION));
    c.instructions = set->name();
    c.consent =
        ehr.RecordConsent(ConsentRequest(c.patient, *set, TestNow()))->name();
    auto questionnaire = server_->admin_client().PublishInstructionSet(
        QuestionnaireRequest(clinic));
    c.screening = ehr.RecordScreening(
                         ScreeningRequest(c.patient, *questionnaire, TestNow()))
                      ->name();
    c.assessment =
        ehr.RecordOutcomeAssessment(AssessmentRequest(c.course, TestNow()))
            ->name();
    return c;
  }

  static std::string NameOf(const Clinic& c, Target target) {
    switch (target) {
      case kClinic:
        return c.clinic;
      case kPatient:
        return c.patient;
      case kCourse:
        return c.course;
      case kSession:
        return c.session;
      case kPhoto:
        return c.photo;
      case kConsent:
        return c.consent;
      case kSet:
        return c.instructions;
      case kSettings:
        return c.clinic + "/pluginSettings/microneedling-protocol";
      case kScreening:
        return c.screening;
      case kAssessment:
        return c.assessment;
    }
    return "";
  }

  // Request builds the request of `method` that names `name` in its parent,
  // its name, or the name of the resource it carries.
  static std::unique_ptr<Message> Request(const MethodDescriptor* method,
                                          const std::string& name) {
    std::unique_ptr<Message> request(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method->input_type())
            ->New());
    const auto* d = request->GetDescriptor();
    const auto* r = request->GetReflection();
    for (const char* field : {"parent", "name"}) {
      if (const FieldDescriptor* f = d->FindFieldByName(field)) {
        r->SetString(request.get(), f, name);
        return request;
      }
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      if (f->type() != FieldDescriptor::TYPE_MESSAGE) continue;
      const FieldDescriptor* n = f->message_type()->FindFieldByName("name");
      if (n == nullptr) continue;
      Message* resource = r->MutableMessage(request.get(), f);
      resource->GetReflection()->SetString(resource, n, name);
      return request;
    }
    ADD_FAILURE() << method->full_name() << " names no resource";
    return request;
  }

  // Call makes the RPC with `authorization` metadata (none if empty) and
  // returns its status; *response receives the response.
  static grpc::Status Call(const MethodDescriptor* method,
                           const Message& request,
                           const std::string& authorization,
                           std::unique_ptr<Message>* response = nullptr) {
    std::unique_ptr<Message> out(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method->output_type())
            ->New());
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    if (!authorization.empty()) {
      context.AddMetadata("authorization", authorization);
    }
    const std::string path =
        absl::StrCat("/", method->service()->full_name(), "/", method->name());
    grpc::Status status = grpc::internal::BlockingUnaryCall<Message, Message>(
        channel_.get(),
        grpc::internal::RpcMethod(path.c_str(),
                                  grpc::internal::RpcMethod::NORMAL_RPC),
        &context, request, out.get());
    if (response != nullptr) *response = std::move(out);
    return status;
  }

  static std::string Bearer(const std::string& principal) {
    return "Bearer " + server_->token(principal);
  }

  static TestServer* server_;
  static std::map<std::string, Clinic> clinics_;
  static std::shared_ptr<grpc::Channel> channel_;
};

TestServer* AuthorizationMatrixTest::server_ = nullptr;
std::map<std::string, Clinic> AuthorizationMatrixTest::clinics_;
std::shared_ptr<grpc::Channel> AuthorizationMatrixTest::channel_;

TEST_F(AuthorizationMatrixTest, EveryRpcIsInTheMatrix) {
  std::set<std::string> served;
  for (const MethodDescriptor* m : ServiceMethods()) {
    served.insert(ShortName(m));
    EXPECT_EQ(Rpcs().count(ShortName(m)), 1u)
        << ShortName(m) << " has no row in the authorization matrix";
  }
  for (const auto& [name, rpc] : Rpcs()) {
    EXPECT_EQ(served.count(name), 1u) << name << " is not served";
  }
}

TEST_F(AuthorizationMatrixTest, EveryRoleOwnAndOtherClinic) {
  const std::map<Role, std::string> principals = {
      {Role::kClinician, "c1-clinician"},
      {Role::kEhrSystem, "c1-ehr"},
      {Role::kAuditor, "c1-auditor"},
      {Role::kAdmin, "c1-admin"}};
  int calls = 0;
  for (const MethodDescriptor* m : ServiceMethods()) {
    auto row = Rpcs().find(ShortName(m));
    if (row == Rpcs().end()) continue;  // EveryRpcIsInTheMatrix fails
    const Rpc& rpc = row->second;
    for (const auto& [role, principal] : principals) {
      for (const char* clinic : {"c1", "c2"}) {
        SCOPED_TRACE(
            absl::StrCat(ShortName(m), " as ", principal, " on ", clinic));
        const bool own = std::string(clinic) == "c1";
        auto request = Request(m, NameOf(clinics_[clinic], rpc.target));
        std::unique_ptr<Message> response;
        const grpc::Status status =
            Call(m, *request, Bearer(principal), &response);
        ++calls;
        StatusCode expected = StatusCode::PERMISSION_DENIED;
        if (rpc.roles.count(role) > 0 && own) {
          expected = rpc.read ? StatusCode::OK : StatusCode::INVALID_ARGUMENT;
        }
        EXPECT_EQ(status.error_code(), expected) << status.error_message();
        if (status.error_code() == StatusCode::OK) {
          // Nothing of the other clinic in any response.
          EXPECT_EQ(response->DebugString().find("clinics/c2"),
                    std::string::npos);
        }
      }
    }
  }
  EXPECT_EQ(calls, static_cast<int>(Rpcs().size()) * 4 * 2);
}

// The Admin service names no clinic: only admins pass (with an empty
// request: what the row says — INVALID_ARGUMENT for a backup without
// file_name, FAILED_PRECONDITION for a reload on a server started without
// a config file), every other role is PERMISSION_DENIED and no token
// UNAUTHENTICATED. A new Admin RPC fails here until it has a row.
TEST_F(AuthorizationMatrixTest, AdminRpcsAreForAdminsOnly) {
  struct AdminRpc {
    std::set<Role> roles;
    StatusCode admitted;  // the outcome of an admitted empty request
  };
  const std::map<std::string, AdminRpc> admin_rpcs = {
      {"Admin.BackupDatabase", {{Role::kAdmin}, StatusCode::INVALID_ARGUMENT}},
      {"Admin.ReloadConfig",
       {{Role::kAdmin}, StatusCode::FAILED_PRECONDITION}}};
  const std::map<Role, std::string> principals = {
      {Role::kClinician, "c1-clinician"},
      {Role::kEhrSystem, "c1-ehr"},
      {Role::kAuditor, "c1-auditor"},
      {Role::kAdmin, "c1-admin"}};
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          v1::Admin::service_full_name());
  ASSERT_NE(service, nullptr);
  ASSERT_EQ(service->method_count(), static_cast<int>(admin_rpcs.size()));
  for (int i = 0; i < service->method_count(); ++i) {
    const MethodDescriptor* m = service->method(i);
    auto row = admin_rpcs.find(ShortName(m));
    ASSERT_NE(row, admin_rpcs.end()) << ShortName(m) << " has no row";
    std::unique_ptr<Message> request(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(m->input_type())
            ->New());
    for (const auto& [role, principal] : principals) {
      SCOPED_TRACE(absl::StrCat(ShortName(m), " as ", principal));
      EXPECT_EQ(Call(m, *request, Bearer(principal)).error_code(),
                row->second.roles.count(role) ? row->second.admitted
                                              : StatusCode::PERMISSION_DENIED);
    }
    EXPECT_EQ(Call(m, *request, "").error_code(), StatusCode::UNAUTHENTICATED);
  }
}

TEST_F(AuthorizationMatrixTest, NoTokenOrBadTokenIsUnauthenticated) {
  const std::string valid = server_->token("c1-ehr");
  for (const MethodDescriptor* m : ServiceMethods()) {
    auto row = Rpcs().find(ShortName(m));
    if (row == Rpcs().end()) continue;
    auto request = Request(m, NameOf(clinics_["c1"], row->second.target));
    for (const std::string& authorization :
         {std::string(), std::string("Bearer wrong-token"),
          "Bearer " + valid + "x", "Basic " + valid, std::string("Bearer "),
          "bearer-" + valid}) {
      SCOPED_TRACE(absl::StrCat(ShortName(m), " with '", authorization, "'"));
      EXPECT_EQ(Call(m, *request, authorization).error_code(),
                StatusCode::UNAUTHENTICATED);
    }
  }
}

TEST_F(AuthorizationMatrixTest, ListsFiltersAndPageTokensStayInTheClinic) {
  RecordsClient c1 = server_->NewClient(server_->token("c1-ehr"));
  RecordsClient both = server_->client();
  // A second patient in c2, so that its list has a next page.
  ASSERT_TRUE(both.CreatePatient(PatientRequest("c2", "MRN-2")).ok());

  v1::ListPatientsRequest list;
  list.set_parent("clinics/c1");
  auto own = c1.ListPatients(list);
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_FALSE(own->patients().empty());
  for (const auto& p : own->patients()) {
    EXPECT_EQ(p.name().rfind("clinics/c1/", 0), 0u) << p.name();
  }

  // A filter that matches only c2's second patient finds nothing in c1.
  list.set_identifier_system(
      PatientRequest("c2", "MRN-2").patient().identifiers(0).system());
  list.set_identifier_value("MRN-2");
  auto filtered = c1.ListPatients(list);
  ASSERT_TRUE(filtered.ok()) << filtered.status();
  EXPECT_TRUE(filtered->patients().empty());
  list.set_parent("clinics/c2");
  EXPECT_EQ(c1.ListPatients(list).status().code(),
            absl::StatusCode::kPermissionDenied);

  // A page token of c2 (listed by a principal of both clinics) is useless
  // to a principal of c1: refused with c2's parent, invalid with c1's.
  v1::ListPatientsRequest page;
  page.set_parent("clinics/c2");
  page.set_page_size(1);
  auto first = both.ListPatients(page);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token().empty());
  page.set_page_token(first->next_page_token());
  EXPECT_EQ(c1.ListPatients(page).status().code(),
            absl::StatusCode::kPermissionDenied);
  page.set_parent("clinics/c1");
  EXPECT_EQ(c1.ListPatients(page).status().code(),
            absl::StatusCode::kInvalidArgument);

  // Wildcards never cross a clinic: "-" is not a clinic.
  v1::ListSessionsRequest sessions;
  sessions.set_parent("clinics/-/patients/-/courses/-");
  EXPECT_EQ(c1.ListSessions(sessions).status().code(),
            absl::StatusCode::kInvalidArgument);
  sessions.set_parent("clinics/c2/patients/-/courses/-");
  EXPECT_EQ(c1.ListSessions(sessions).status().code(),
            absl::StatusCode::kPermissionDenied);
  sessions.set_parent("clinics/c1/patients/-/courses/-");
  auto all = c1.ListSessions(sessions);
  ASSERT_TRUE(all.ok()) << all.status();
  for (const auto& s : all->sessions()) {
    EXPECT_EQ(s.name().rfind("clinics/c1/", 0), 0u) << s.name();
  }
}

TEST_F(AuthorizationMatrixTest, OtherClinicAnswerDoesNotRevealExistence) {
  RecordsClient c1 = server_->NewClient(server_->token("c1-ehr"));
  v1::GetPatientRequest get;
  get.set_name(clinics_["c2"].patient);
  const auto existing = c1.GetPatient(get).status();
  get.set_name("clinics/c2/patients/no-such-patient");
  const auto missing = c1.GetPatient(get).status();
  EXPECT_EQ(existing.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(missing.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(existing.message(), missing.message());
}

TEST_F(AuthorizationMatrixTest, RefusedCallsStoreNothing) {
  RecordsClient c1 = server_->NewClient(server_->token("c1-ehr"));
  RecordsClient auditor = server_->NewClient(server_->token("c1-auditor"));
  v1::ListPatientsRequest list;
  list.set_parent("clinics/c2");
  const int before = server_->client().ListPatients(list)->patients_size();
  EXPECT_EQ(c1.CreatePatient(PatientRequest("c2", "MRN-X")).status().code(),
            absl::StatusCode::kPermissionDenied);
  list.set_parent("clinics/c1");
  const int c1_before = server_->client().ListPatients(list)->patients_size();
  EXPECT_EQ(
      auditor.CreatePatient(PatientRequest("c1", "MRN-Y")).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(server_->client().ListPatients(list)->patients_size(), c1_before);
  list.set_parent("clinics/c2");
  EXPECT_EQ(server_->client().ListPatients(list)->patients_size(), before);

  // An amendment of c2's patient under a c1 principal changes nothing.
  v1::GetPatientRequest get;
  get.set_name(clinics_["c2"].patient);
  auto patient = server_->client().GetPatient(get);
  ASSERT_TRUE(patient.ok());
  v1::AmendPatientRequest amend;
  *amend.mutable_patient() = *patient;
  amend.mutable_patient()->set_fitzpatrick_skin_type(
      patient->fitzpatrick_skin_type() == v1::FITZPATRICK_SKIN_TYPE_V
          ? v1::FITZPATRICK_SKIN_TYPE_IV
          : v1::FITZPATRICK_SKIN_TYPE_V);
  amend.mutable_update_mask()->add_paths("fitzpatrick_skin_type");
  amend.set_etag(patient->etag());
  amend.set_request_id(NewRequestId());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_amendment()->set_reason("test");
  amend.mutable_amendment()->set_author("dr-x");
  EXPECT_EQ(c1.AmendPatient(amend).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(server_->client().GetPatient(get)->revision().revision_id(), 1);
  // The same amendment from a principal of c2 is valid: it was only refused.
  amend.set_request_id(NewRequestId());
  auto amended = server_->client().AmendPatient(amend);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->revision().revision_id(), 2);
}

}  // namespace
}  // namespace mnrecords::testing
