// The vocabulary of the fhir-r4 exporter: the project's canonical URLs for
// its local code systems, naming systems and extensions (README "FHIR R4
// export" lists each), enum → local code, deterministic entry ids and FHIR
// date-times. No standard (SNOMED, LOINC) codes are invented here: where no
// published code system fits, a local one under kCanonical is used.
#ifndef MNRECORDS_PLUGINS_FHIR_R4_FHIR_TERMS_H_
#define MNRECORDS_PLUGINS_FHIR_R4_FHIR_TERMS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "nlohmann/json.hpp"

namespace mnrecords::fhir_r4 {

using Json = nlohmann::ordered_json;

// kCanonical is the base of every local URL.
inline constexpr absl::string_view kCanonical =
    "https://mnrecords.example/fhir";

// CodeSystemUrl is kCanonical/CodeSystem/<name>.
std::string CodeSystemUrl(absl::string_view name);
// NamingSystemUrl is kCanonical/NamingSystem/<name> (identifier systems).
std::string NamingSystemUrl(absl::string_view name);
// ExtensionUrl is kCanonical/StructureDefinition/<name>.
std::string ExtensionUrl(absl::string_view name);

// LocalCode turns an enum value name into its local code: the prefix is
// dropped, the rest lower-cased with '_' → '-' (BODY_AREA_FULL_FACE with
// prefix "BODY_AREA_" → "full-face").
std::string LocalCode(absl::string_view enum_name, absl::string_view prefix);

// LocalCoding is {"system": CodeSystemUrl(system), "code": LocalCode(...)}.
Json LocalCoding(absl::string_view system, absl::string_view enum_name,
                 absl::string_view prefix);

// Concept is a CodeableConcept of one coding, with `text` when not empty.
Json Concept(Json coding, absl::string_view text = "");

// Extension is {"url": ExtensionUrl(name), "<value_key>": value}.
Json Extension(absl::string_view name, absl::string_view value_key, Json value);

// IdentifierRef is a logical Reference by identifier (Reference.identifier).
Json IdentifierRef(absl::string_view system, absl::string_view value);

// ResourceUuid is a name-based (version 5, RFC 4122) UUID of
// "<kCanonical>/<key>": the same record always gets the same id, so exports
// are reproducible and references resolve inside a Bundle.
std::string ResourceUuid(absl::string_view key);

// FhirDateTime formats a timestamp as a FHIR instant/dateTime in UTC
// ("2026-08-04T10:00:00Z", fractional seconds only when present).
std::string FhirDateTime(const google::protobuf::Timestamp& ts);

// DumpDocument returns `document` as indented JSON; INTERNAL naming `what`
// if it cannot be encoded (only invalid UTF-8 in a stored text can do
// that).
absl::StatusOr<std::string> DumpDocument(const Json& document,
                                         absl::string_view what);

// HasTime reports whether a timestamp is set (not the epoch zero).
bool HasTime(const google::protobuf::Timestamp& ts);

}  // namespace mnrecords::fhir_r4

#endif  // MNRECORDS_PLUGINS_FHIR_R4_FHIR_TERMS_H_
