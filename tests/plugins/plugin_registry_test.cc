// The registry and the host: registration errors, config errors, severity
// resolution per clinic, BLOCK handling. Each test builds a fresh registry.
#include "plugins/api/plugin_registry.h"

#include <atomic>
#include <optional>
#include <string>
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
       "screening_valid_days, needle_depth_mm.<...>)"},
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

TEST(PluginHostTest, APublishedRevisionDecidesSeverityAndIsNamed) {
  const PluginRegistry registry = TestRegistry();
  auto host =
      PluginHost::Build(registry, Parse(R"(plugins { name: "always" })"));
  ASSERT_TRUE(host.ok()) << host.status();
  v1::PluginSettings published;
  published.set_name("clinics/c1/pluginSettings/always");
  published.set_revision_id(4);
  v1::SeverityOverride* info = published.add_severities();
  info->set_code("T-ALWAYS");
  info->set_severity(v1::FINDING_SEVERITY_INFO);
  std::vector<std::string> asked;
  const SettingsLookup lookup = [&](const std::string& plugin)
      -> absl::StatusOr<std::optional<v1::PluginSettings>> {
    asked.push_back(plugin);
    return published;
  };
  v1::TreatmentCourse course;
  Findings findings;
  ASSERT_TRUE((*host)->CheckCourse({"c1", course}, lookup, &findings).ok());
  EXPECT_EQ(asked, std::vector<std::string>{"always"});
  ASSERT_EQ(findings.size(), 1);
  EXPECT_EQ(findings[0].severity(), v1::FINDING_SEVERITY_INFO);
  EXPECT_EQ(findings[0].settings_revision(), 4);

  // Without a published revision the config decides, and it is revision 0.
  ASSERT_TRUE((*host)->CheckCourse({"c1", course}, {}, &findings).ok());
  EXPECT_EQ(findings[0].severity(), v1::FINDING_SEVERITY_WARN);
  EXPECT_EQ(findings[0].settings_revision(), 0);

  // A lookup that fails fails the check.
  const SettingsLookup broken = [](const std::string&)
      -> absl::StatusOr<std::optional<v1::PluginSettings>> {
    return absl::UnavailableError("database is down");
  };
  EXPECT_EQ((*host)->CheckCourse({"c1", course}, broken, &findings).code(),
            absl::StatusCode::kUnavailable);
}

TEST(PluginHostTest, ARevisionThePluginNoLongerAcceptsFailsLoudly) {
  const PluginRegistry registry = TestRegistry();
  auto host = PluginHost::Build(
      registry, Parse(R"(plugins { name: "microneedling-protocol" })"));
  ASSERT_TRUE(host.ok()) << host.status();
  v1::PluginSettings stale;
  stale.set_name("clinics/c1/pluginSettings/microneedling-protocol");
  stale.set_revision_id(2);
  v1::EffectiveParam* p = stale.add_effective_params();
  p->set_key("colour");
  p->set_value("red");
  const SettingsLookup lookup = [&](const std::string&)
      -> absl::StatusOr<std::optional<v1::PluginSettings>> { return stale; };
  v1::TreatmentCourse course;
  Findings findings;
  const absl::Status s =
      (*host)->CheckCourse({"c1", course}, lookup, &findings);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "revision 2 of clinics/c1/pluginSettings/microneedling-protocol is "
            "not valid for this version of microneedling-protocol (colour: "
            "unknown param); publish the clinic's settings again");
}

TEST(PluginHostTest, ResolvedSettingsFixEveryValueWithItsSource) {
  const PluginRegistry registry = TestRegistry();
  auto host = PluginHost::Build(registry, Parse(R"(
    plugins {
      name: "microneedling-protocol"
      param { key: "prep_stop_days" value: "4" }
      clinic { clinic: "c2" param { key: "prep_stop_days" value: "6" } }
    })"));
  ASSERT_TRUE(host.ok()) << host.status();
  const auto value_of = [](const v1::PluginSettings& s,
                           const std::string& key) {
    for (const auto& p : s.effective_params()) {
      if (p.key() == key) return p.value() + "/" + p.source();
    }
    return std::string("absent");
  };
  v1::PluginSettings requested;
  v1::PluginParam* lot = requested.add_params();
  lot->set_key("lot_expiry_warning_days");
  lot->set_value("10");
  v1::PluginParam* depth = requested.add_params();
  depth->set_key("needle_depth_mm.cheek");
  depth->set_value("0.5-1.5");
  auto c1 = (*host)->ResolveSettings("microneedling-protocol", "c1", requested);
  ASSERT_TRUE(c1.ok()) << c1.status();
  EXPECT_EQ(value_of(*c1, "lot_expiry_warning_days"), "10/published");
  EXPECT_EQ(value_of(*c1, "needle_depth_mm.cheek"), "0.5-1.5/published");
  EXPECT_EQ(value_of(*c1, "prep_stop_days"), "4/config");
  EXPECT_EQ(value_of(*c1, "planned_sessions"), "3-6/default");
  auto c2 = (*host)->ConfiguredSettings("microneedling-protocol", "c2");
  ASSERT_TRUE(c2.ok()) << c2.status();
  EXPECT_EQ(value_of(*c2, "prep_stop_days"), "6/config");
  EXPECT_EQ(value_of(*c2, "needle_depth_mm.cheek"), "absent");
  EXPECT_EQ((*host)->ConfiguredSettings("always", "c1").status().code(),
            absl::StatusCode::kNotFound);
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
