// Unit tests of the authorization table and the clinic scope check.
#include "server/auth/authorization.h"

#include "clinic/microneedling/v1/consents_service.grpc.pb.h"
#include "clinic/microneedling/v1/treatment_records_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace {

namespace v1 = ::clinic::microneedling::v1;

// Every method of every service of the API must have a row in the table:
// a method without one is refused for everyone, which a new RPC should not
// discover in production.
TEST(AuthorizationTest, EveryServedMethodHasARoleEntry) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  int checked = 0;
  for (const char* service :
       {"clinic.microneedling.v1.TreatmentRecords",
        "clinic.microneedling.v1.Consents", "clinic.microneedling.v1.Audit"}) {
    const auto* s = pool->FindServiceByName(service);
    if (s == nullptr) continue;  // Audit: not linked into this build (yet)
    for (int i = 0; i < s->method_count(); ++i) {
      const std::string method =
          "/" + s->full_name() + "/" + s->method(i)->name();
      EXPECT_EQ(MethodRoles().count(method), 1u) << method;
      ++checked;
    }
  }
  EXPECT_GE(checked, 26);
}

CallContext As(Role role, const std::string& method,
               std::vector<std::string> clinics = {"c1"}) {
  CallContext call;
  call.method = "/clinic.microneedling.v1." + method;
  call.principal.id = "p";
  call.principal.role = role;
  call.principal.clinics = std::move(clinics);
  return call;
}

TEST(AuthorizationTest, RoleDecidesTheMethod) {
  v1::PublishInstructionSetRequest publish;
  publish.set_parent("clinics/c1");
  EXPECT_TRUE(
      Authorize(As(Role::kAdmin, "Consents/PublishInstructionSet"), publish)
          .ok());
  for (Role role : {Role::kClinician, Role::kEhrSystem, Role::kAuditor,
                    Role::kUnspecified}) {
    EXPECT_EQ(
        Authorize(As(role, "Consents/PublishInstructionSet"), publish).code(),
        absl::StatusCode::kPermissionDenied);
  }
  v1::CreatePatientRequest create;
  create.set_parent("clinics/c1");
  EXPECT_EQ(
      Authorize(As(Role::kAuditor, "TreatmentRecords/CreatePatient"), create)
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Authorize(As(Role::kAdmin, "Unknown/Method"), create).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizationTest, EveryNamedClinicMustBeThePrincipals) {
  v1::AmendSessionRequest amend;
  amend.mutable_session()->set_name(
      "clinics/c2/patients/p/courses/c/sessions/s");
  const CallContext call =
      As(Role::kEhrSystem, "TreatmentRecords/AmendSession");
  EXPECT_EQ(Authorize(call, amend).code(), absl::StatusCode::kPermissionDenied);
  amend.mutable_session()->set_name(
      "clinics/c1/patients/p/courses/c/sessions/s");
  EXPECT_TRUE(Authorize(call, amend).ok());
  EXPECT_EQ(ClinicsNamedIn(amend), std::vector<std::string>{"c1"});

  v1::ListSessionsRequest list;
  list.set_parent("clinics/c1x/patients/-/courses/-");
  EXPECT_EQ(
      Authorize(As(Role::kClinician, "TreatmentRecords/ListSessions"), list)
          .code(),
      absl::StatusCode::kPermissionDenied);
  // Malformed clinics name no clinic; validation refuses them later.
  list.set_parent("clinics/-/patients/-/courses/-");
  EXPECT_TRUE(ClinicsNamedIn(list).empty());
  list.set_parent("clinics/C1/patients/-");
  EXPECT_TRUE(ClinicsNamedIn(list).empty());
}

}  // namespace
}  // namespace mnrecords
