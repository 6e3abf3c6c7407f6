// fhir-r4: exports a patient's records as one FHIR R4 Bundle (type
// "collection", JSON, media type application/fhir+json). The mapping of
// every field, the local code systems and extensions are in README "FHIR R4
// export". The output depends only on the snapshot, so exporting the same
// records twice gives the same bytes.
#ifndef MNRECORDS_PLUGINS_FHIR_R4_FHIR_EXPORTER_H_
#define MNRECORDS_PLUGINS_FHIR_R4_FHIR_EXPORTER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "plugins/api/exporter.h"

namespace mnrecords::fhir_r4 {

inline constexpr absl::string_view kFhirR4Format = "fhir-r4";
inline constexpr absl::string_view kFhirJsonMediaType = "application/fhir+json";

class FhirR4Exporter : public plugins::Exporter {
 public:
  std::string media_type() const override {
    return std::string(kFhirJsonMediaType);
  }
  absl::StatusOr<std::string> Export(
      const plugins::ExportSnapshot& snapshot) const override;
};

// RegisterFhirR4Exporter registers "fhir-r4" (the registry's error if it is
// registered already).
absl::Status RegisterFhirR4Exporter(plugins::ExporterRegistry& registry);

}  // namespace mnrecords::fhir_r4

#endif  // MNRECORDS_PLUGINS_FHIR_R4_FHIR_EXPORTER_H_
