#include "server/config/config_loader.h"

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace mnrecords {
namespace {

TEST(ConfigLoaderTest, ParsesTextFormat) {
  auto config = ParseServerConfig(R"(
    principals {
      id: "ehr-1" display_name: "Clinic EHR" role: ROLE_EHR_SYSTEM
      clinics: "c1" clinics: "c2"
      token_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    }
    plugins { name: "microneedling-protocol" }
  )",
                                  "test.textproto");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->principals_size(), 1);
  EXPECT_EQ(config->principals(0).id(), "ehr-1");
  EXPECT_EQ(config->principals(0).role(), config::v1::ROLE_EHR_SYSTEM);
  EXPECT_EQ(config->principals(0).clinics_size(), 2);
  EXPECT_EQ(config->plugins(0).name(), "microneedling-protocol");
}

TEST(ConfigLoaderTest, MalformedTextNamesLineAndReason) {
  auto config = ParseServerConfig("principals {\n  id: \"a\"\n  colour: 3\n}\n",
                                  "bad.textproto");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find("bad.textproto:3:"),
            std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find("colour"), std::string::npos);
}

TEST(ConfigLoaderTest, MissingFileIsNotFoundAndExampleParses) {
  EXPECT_EQ(
      LoadServerConfig("/nonexistent/mnrecords.textproto").status().code(),
      absl::StatusCode::kNotFound);
  auto example = LoadServerConfig(MNRECORDS_EXAMPLE_CONFIG);
  EXPECT_TRUE(example.ok()) << example.status();
}

TEST(ConfigLoaderTest, RequestIdRetentionIsAtLeastADay) {
  auto unset = ParseServerConfig("", "r.textproto");
  ASSERT_TRUE(unset.ok()) << unset.status();
  EXPECT_EQ(*RequestIdRetention(*unset), absl::Hours(168));
  auto day = ParseServerConfig("request_id_retention_hours: 24", "r.textproto");
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(*RequestIdRetention(*day), absl::Hours(24));
  for (const char* text : {"request_id_retention_hours: 23",
                           "request_id_retention_hours: 87601"}) {
    auto refused = ParseServerConfig(text, "r.textproto");
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << text;
    EXPECT_NE(refused.status().message().find(
                  "r.textproto: request_id_retention_hours: must be between "
                  "24 and 87600"),
              std::string::npos)
        << refused.status().message();
  }
}

constexpr char kHash[] =
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

// ExpectRefused: the text parses but a principal is unusable; the error
// names the source line and contains `reason`.
void ExpectRefused(const std::string& text, const std::string& line,
                   const std::string& reason) {
  auto config = ParseServerConfig(text, "p.textproto");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument) << text;
  EXPECT_NE(config.status().message().find("p.textproto:" + line + ":"),
            std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find(reason), std::string::npos)
      << config.status().message();
}

TEST(ConfigLoaderTest, UnusablePrincipalsAreRefusedWithLineAndName) {
  const std::string token = std::string("token_sha256: \"") + kHash + "\"\n";
  ExpectRefused("principals {\n id: \"a\"\n clinics: \"c1\"\n" + token + "}\n",
                "1", "principal 1 (id \"a\"): role: is required");
  ExpectRefused("principals {\n id: \"a\"\n role: ROLE_ADMIN\n" + token + "}\n",
                "1", "clinics: at least one clinic");
  ExpectRefused(
      "principals {\n id: \"a\"\n role: ROLE_ADMIN\n"
      " clinics: \"c1\"\n token_sha256: \"ABC\"\n}\n",
      "5", "token_sha256: must be the SHA-256");
  ExpectRefused(
      "principals {\n id: \"Bad Id\"\n role: ROLE_ADMIN\n"
      " clinics: \"c1\"\n" +
          token + "}\n",
      "2", "id: must be 1-63");
  ExpectRefused(
      "principals {\n id: \"a\"\n role: ROLE_ADMIN\n"
      " clinics: \"c1\"\n}\n",
      "2", "has no way to authenticate");
  ExpectRefused(
      "principals {\n id: \"a\"\n role: ROLE_ADMIN\n"
      " clinics: \"C 1\"\n" +
          token + "}\n",
      "4", "is not a clinic id");
  // Only a clinician signs sessions, so only a clinician co-signs.
  ExpectRefused(
      "principals {\n id: \"a\"\n role: ROLE_EHR_SYSTEM\n"
      " clinics: \"c1\"\n may_cosign: true\n" +
          token + "}\n",
      "3", "only a clinician signs sessions");
  // Duplicates: the second principal is named.
  const std::string a =
      "principals { id: \"a\" role: ROLE_ADMIN clinics: "
      "\"c1\" " +
      token + "}\n";
  ExpectRefused(a + a, "3",
                "principal 2 (id \"a\"): id: is used by an "
                "earlier principal");
  ExpectRefused(a +
                    "principals {\n id: \"b\"\n role: ROLE_ADMIN\n clinics: "
                    "\"c1\"\n" +
                    token + "}\n",
                "7", "this token hash is already listed");
}

TEST(ConfigLoaderTest, UnknownRoleNamesLine) {
  auto config = ParseServerConfig(
      "principals {\n  id: \"a\"\n  role: ROLE_OWNER\n}\n", "r.textproto");
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  // The parser reports an unknown enum value where the value ends.
  EXPECT_NE(config.status().message().find("r.textproto:"), std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find("ROLE_OWNER"), std::string::npos);
}

}  // namespace
}  // namespace mnrecords
