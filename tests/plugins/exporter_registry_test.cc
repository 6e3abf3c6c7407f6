// ExporterRegistry: explicit registration, errors for a format registered
// twice or unknown; the built-in list offers fhir-r4.
#include <memory>

#include "gtest/gtest.h"
#include "plugins/api/exporter.h"
#include "plugins/builtin_plugins.h"

namespace mnrecords::plugins {
namespace {

class FixedExporter : public Exporter {
 public:
  std::string media_type() const override { return "text/plain"; }
  absl::StatusOr<std::string> Export(const ExportSnapshot& s) const override {
    return s.patient.name();
  }
};

TEST(ExporterRegistryTest, FindsARegisteredFormat) {
  ExporterRegistry registry;
  ASSERT_TRUE(
      registry.Register("plain", std::make_unique<FixedExporter>()).ok());
  auto found = registry.Find("plain");
  ASSERT_TRUE(found.ok()) << found.status();
  ExportSnapshot snapshot;
  snapshot.patient.set_name("clinics/c1/patients/p1");
  EXPECT_EQ(*(*found)->Export(snapshot), "clinics/c1/patients/p1");
}

TEST(ExporterRegistryTest, RegisteringTwiceIsAlreadyExists) {
  ExporterRegistry registry;
  ASSERT_TRUE(
      registry.Register("plain", std::make_unique<FixedExporter>()).ok());
  EXPECT_EQ(
      registry.Register("plain", std::make_unique<FixedExporter>()).code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.Register("", std::make_unique<FixedExporter>()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Register("null", nullptr).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ExporterRegistryTest, UnknownFormatNamesTheKnownOnes) {
  ExporterRegistry registry;
  ASSERT_TRUE(RegisterBuiltinExporters(registry).ok());
  auto found = registry.Find("hl7-v2");
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(found.status().message(),
            "format: unknown export format \"hl7-v2\" (known: fhir-r4)");
  auto fhir = registry.Find("fhir-r4");
  ASSERT_TRUE(fhir.ok());
  EXPECT_EQ((*fhir)->media_type(), "application/fhir+json");
  EXPECT_EQ(RegisterBuiltinExporters(registry).code(),
            absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace mnrecords::plugins
