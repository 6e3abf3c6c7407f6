// Unit tests of bearer-token and certificate-subject authentication.
#include "server/auth/authenticator.h"

#include "common/sha256.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace {

mnrecords::config::v1::ServerConfig Config() {
  mnrecords::config::v1::ServerConfig config;
  auto* ehr = config.add_principals();
  ehr->set_id("ehr");
  ehr->set_role(mnrecords::config::v1::ROLE_EHR_SYSTEM);
  ehr->add_clinics("c1");
  ehr->add_token_sha256(Sha256Hex("old-token"));
  ehr->add_token_sha256(Sha256Hex("new-token"));
  auto* admin = config.add_principals();
  admin->set_id("admin");
  admin->set_role(mnrecords::config::v1::ROLE_ADMIN);
  admin->add_clinics("c1");
  admin->add_clinics("c2");
  admin->set_client_cert_subject("CN=admin,O=Test");
  return config;
}

TEST(AuthenticatorTest, TokensAndSubjectsIdentifyPrincipals) {
  Authenticator auth(Config());
  for (const char* header : {"Bearer old-token", "Bearer new-token",
                             "bearer new-token", "BEARER old-token"}) {
    auto p = auth.Authenticate(absl::string_view(header), "");
    ASSERT_TRUE(p.ok()) << header << ": " << p.status();
    EXPECT_EQ(p->id, "ehr");
    EXPECT_EQ(p->role, Role::kEhrSystem);
  }
  auto admin = auth.Authenticate(absl::nullopt, "CN=admin,O=Test");
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_EQ(admin->id, "admin");
  EXPECT_EQ(admin->clinics, (std::vector<std::string>{"c1", "c2"}));
}

TEST(AuthenticatorTest, AnythingElseIsUnauthenticatedWithoutTheToken) {
  Authenticator auth(Config());
  const std::string long_token(kMaxBearerTokenBytes + 1, 'a');
  for (const std::string& header :
       {std::string("Bearer wrong"), std::string("Bearer old-token "),
        std::string("Bearer "), std::string("Basic old-token"),
        std::string("old-token"), "Bearer " + long_token}) {
    auto p = auth.Authenticate(absl::string_view(header), "CN=admin,O=Test");
    EXPECT_EQ(p.status().code(), absl::StatusCode::kUnauthenticated) << header;
    EXPECT_EQ(p.status().message().find("wrong"), std::string::npos);
    EXPECT_EQ(p.status().message().find("old-token"), std::string::npos);
  }
  EXPECT_EQ(auth.Authenticate(absl::nullopt, "").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(auth.Authenticate(absl::nullopt, "CN=admin").status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace mnrecords
