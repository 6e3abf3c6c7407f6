// The registry and the host: registration errors, config errors, severity
// resolution per clinic, BLOCK handling. Each test builds a fresh registry.
#include "plugins/api/plugin_registry.h"

#include <atomic>
#include <thread>
#include <vector>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "plugins/api/plugin_host.h"
#include "plugins/builtin_plugins.h"
#include "server/config/config_loader.h"

namespace mnrecords::plugins {
namespace {

// A plugin reporting one code per course: "T-ALWAYS" (default WARN).
class AlwaysPlugin : public Plugin {
 public:
  std::vector<FindingCode> codes() const override {
    return {{"T-ALWAYS", Severity::kWarn, "always"},
            {"T-NEVER", Severity::kInfo, "never"}};
  }
  std::vector<PluginFinding> CheckCourse(const CourseView&) const override {
    return {{"T-ALWAYS", "reported for every course"}};
  }
};

PluginFactory AlwaysFactory() {
  return [](const config::PluginConfig&)
             -> absl::StatusOr<std::unique_ptr<Plugin>> {
    return std::make_unique<AlwaysPlugin>();
  };
}

PluginConfigs Parse(const std::string& text) {
  config::ServerConfig c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &c)) << text;
  return c.plugins();
}

PluginRegistry TestRegistry() {
  PluginRegistry registry;
  EXPECT_TRUE(registry.Register("always", AlwaysFactory()).ok());
  EXPECT_TRUE(RegisterBuiltinPlugins(registry).ok());
  return registry;
}

TEST(PluginRegistryTest, RegisteringANameTwiceIsAnError) {
  PluginRegistry registry;
  ASSERT_TRUE(registry.Register("always", AlwaysFactory()).ok());
  const absl::Status s = registry.Register("always", AlwaysFactory());
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(s.message(), "plugin \"always\" is registered twice");
  ASSERT_TRUE(RegisterBuiltinPlugins(registry).ok());
  EXPECT_EQ(RegisterBuiltinPlugins(registry).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(PluginRegistryTest, EnablingAnUnknownPluginNamesTheRegisteredOnes) {
  const PluginRegistry registry = TestRegistry();
  auto host = PluginHost::Build(registry, Parse(R"(plugins { name: "fhir" })"));
  ASSERT_EQ(host.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(host.status().message(),
            "plugins[0] (fhir): unknown plugin \"fhir\" (registered: "
            "always, microneedling-protocol)");
}

TEST(PluginRegistryTest, ConfigErrorsRefuseToBuild) {
  const PluginRegistry registry = TestRegistry();
  const struct {
    const char* text;
    const char* message;
  } cases[] = {
      {R"(plugins { name: "always" } plugins { name: "always" })",
       "plugins[1] (always): plugin \"always\" is listed twice"},
      {R"(plugins { name: "always" severity { code: "T-OTHER" severity: BLOCK } })",
       "plugins[0] (always).severity[0].code: unknown finding code "
       "\"T-OTHER\" (known: T-ALWAYS, T-NEVER)"},
      {R"(plugins { name: "always" severity { code: "T-ALWAYS" } })",
       "plugins[0] (always).severity[0].severity: must be INFO, WARN or "
       "BLOCK for T-ALWAYS"},
      {R"(plugins { name: "always" clinic { severity { code: "T-ALWAYS" severity: INFO } } })",
       "plugins[0] (always).clinic[0].clinic: the clinic id is required"},
      {R"(plugins { name: "microneedling-protocol" param { key: "prep_stop_days" value: "three" } })",
       "plugins[0] (microneedling-protocol).param[0] (prep_stop_days): must "
       "be a whole number of days 0..365, got \"three\""},
      {R"(plugins { name: "microneedling-protocol" param { key: "colour" value: "red" } })",
       "plugins[0] (microneedling-protocol).param[0] (colour): unknown param "
       "(known: planned_sessions, session_interval_days, "
       "session_duration_minutes, duration_includes_numbing, "
       "isotretinoin_months, prep_stop_days, lot_expiry_warning_days, "
       "needle_depth_mm.<...>)"},
      {R"(plugins { name: "microneedling-protocol" param { key: "lot_expiry_warning_days" value: "-1" } })",
       "plugins[0] (microneedling-protocol).param[0] "
       "(lot_expiry_warning_days): must be a whole number of days 0..365, "
       "got \"-1\""},
      {R"(plugins { name: "microneedling-protocol" clinic { clinic: "c1" param { key: "needle_depth_mm.cheek" value: "1.5-0.5" } } })",
       "plugins[0] (microneedling-protocol).clinic[0].param[0] "
       "(needle_depth_mm.cheek): must be \"MIN-MAX\" in mm with 0 < MIN <= "
       "MAX, got \"1.5-0.5\""},
      {R"(plugins { name: "microneedling-protocol" param { key: "needle_depth_mm.elbow" value: "1-2" } })",
       "plugins[0] (microneedling-protocol).param[0] "
       "(needle_depth_mm.elbow): unknown body area (use e.g. "
       "needle_depth_mm.cheek)"},
      {R"(plugins { name: "microneedling-protocol" param { key: "prep_stop_days" value: "4" } param { key: "prep_stop_days" value: "5" } })",
       "plugins[0] (microneedling-protocol).param[1] (prep_stop_days): "
       "listed twice"},
  };
  for (const auto& c : cases) {
    auto host = PluginHost::Build(registry, Parse(c.text));
    EXPECT_EQ(host.status().code(), absl::StatusCode::kInvalidArgument)
        << c.text;
    EXPECT_EQ(host.status().message(), c.message) << c.text;
  }
}

TEST(PluginHostTest, SeverityComesFromClinicThenPluginThenDefault) {
  const PluginRegistry registry = TestRegistry();
  auto host = PluginHost::Build(registry, Parse(R"(
    plugins {
      name: "always"
      severity { code: "T-NEVER" severity: WARN }
      clinic { clinic: "strict" severity { code: "T-ALWAYS" severity: BLOCK } }
      clinic { clinic: "relaxed" severity { code: "T-ALWAYS" severity: INFO } }
    })"));
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(*(*host)->SeverityFor("always", "c1", "T-ALWAYS"), Severity::kWarn);
  EXPECT_EQ(*(*host)->SeverityFor("always", "c1", "T-NEVER"), Severity::kWarn);
  EXPECT_EQ(*(*host)->SeverityFor("always", "strict", "T-ALWAYS"),
            Severity::kBlock);

  v1::TreatmentCourse course;
  Findings findings;
  ASSERT_TRUE((*host)->CheckCourse({"c1", course}, {}, &findings).ok());
  ASSERT_EQ(findings.size(), 1);
  EXPECT_EQ(findings[0].code(), "T-ALWAYS");
  EXPECT_EQ(findings[0].severity(), v1::FINDING_SEVERITY_WARN);
  EXPECT_EQ(findings[0].plugin(), "always");
  ASSERT_TRUE((*host)->CheckCourse({"relaxed", course}, {}, &findings).ok());
  EXPECT_EQ(findings[0].severity(), v1::FINDING_SEVERITY_INFO);

  const absl::Status blocked =
      (*host)->CheckCourse({"strict", course}, {}, &findings);
  EXPECT_EQ(blocked.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(blocked.message(), "T-ALWAYS (always): reported for every course");
}

// A reload swaps the plugins while checks run on other threads: each check
// sees one whole configuration (WARN or BLOCK, never a mix or freed
// plugins), and checks after the swap see the new one. Under ASan a check
// walking plugins a swap freed fails here.
TEST(PluginHostTest, ReplaceWhileChecksRun) {
  const PluginRegistry registry = TestRegistry();
  auto host =
      PluginHost::Build(registry, Parse(R"(plugins { name: "always" })"));
  ASSERT_TRUE(host.ok()) << host.status();
  auto warn =
      PluginHost::Build(registry, Parse(R"(plugins { name: "always" })"));
  auto block = PluginHost::Build(registry, Parse(R"(
    plugins { name: "always" severity { code: "T-ALWAYS" severity: BLOCK } })"));
  ASSERT_TRUE(warn.ok() && block.ok());
  std::atomic<bool> stop{false};
  std::atomic<int> odd{0};
  std::vector<std::thread> checkers;
  for (int t = 0; t < 3; ++t) {
    checkers.emplace_back([&] {
      v1::TreatmentCourse course;
      while (!stop.load()) {
        Findings findings;
        const absl::Status s =
            (*host)->CheckCourse({"c1", course}, {}, &findings);
        const bool warned = s.ok() && findings.size() == 1;
        const bool blocked = s.code() == absl::StatusCode::kFailedPrecondition;
        if (!warned && !blocked) odd.fetch_add(1);
        (*host)->NotifyCourse(course);
        if ((*host)->names() != std::vector<std::string>{"always"}) {
          odd.fetch_add(1);
        }
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    // Rebuilt each time, so the replaced plugins are freed at once.
    auto next = PluginHost::Build(
        registry, Parse(i % 2 ? R"(plugins { name: "always" })"
                              : R"(plugins { name: "always" severity {
                                   code: "T-ALWAYS" severity: BLOCK } })"));
    ASSERT_TRUE(next.ok());
    (*host)->Replace(**next);
  }
  stop.store(true);
  for (std::thread& t : checkers) t.join();
  EXPECT_EQ(odd.load(), 0);
  (*host)->Replace(**block);
  v1::TreatmentCourse course;
  Findings findings;
  EXPECT_EQ((*host)->CheckCourse({"c1", course}, {}, &findings).code(),
            absl::StatusCode::kFailedPrecondition);
  (*host)->Replace(**warn);
  EXPECT_TRUE((*host)->CheckCourse({"c1", course}, {}, &findings).ok());
}

TEST(PluginHostTest, DisabledPluginsDoNotRunAndDefaultsApplyWithoutConfig) {
  const PluginRegistry registry = TestRegistry();
  auto host = PluginHost::Build(
      registry, Parse(R"(plugins { name: "always" enabled: false })"));
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_TRUE((*host)->empty());
  auto defaults =
      PluginHost::Build(registry, EffectivePluginConfigs(PluginConfigs()));
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ((*defaults)->names(),
            std::vector<std::string>{"microneedling-protocol"});
}

TEST(PluginHostTest, TheExampleConfigBuilds) {
  PluginRegistry registry;
  ASSERT_TRUE(RegisterBuiltinPlugins(registry).ok());
  auto example = LoadServerConfig(MNRECORDS_EXAMPLE_CONFIG);
  ASSERT_TRUE(example.ok()) << example.status();
  auto host = PluginHost::Build(registry, example->plugins());
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(*(*host)->SeverityFor("microneedling-protocol", "c1",
                                  "MNP-SESSION-TOO-EARLY"),
            Severity::kBlock);
  EXPECT_EQ(*(*host)->SeverityFor("microneedling-protocol", "demo",
                                  "MNP-SESSION-TOO-EARLY"),
            Severity::kWarn);
}

}  // namespace
}  // namespace mnrecords::plugins
