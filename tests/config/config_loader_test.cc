#include "server/config/config_loader.h"

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace mnrecords {
namespace {

TEST(ConfigLoaderTest, ParsesTextFormat) {
  auto config = ParseServerConfig(R"(
    principals { id: "ehr-1" display_name: "Clinic EHR" }
    plugins { name: "microneedling-protocol" }
  )",
                                  "test.textproto");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->principals_size(), 1);
  EXPECT_EQ(config->principals(0).id(), "ehr-1");
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

}  // namespace
}  // namespace mnrecords
