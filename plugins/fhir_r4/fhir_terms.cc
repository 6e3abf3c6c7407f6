#include "plugins/fhir_r4/fhir_terms.h"

#include <openssl/sha.h>

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace mnrecords::fhir_r4 {

std::string CodeSystemUrl(absl::string_view name) {
  return absl::StrCat(kCanonical, "/CodeSystem/", name);
}

std::string NamingSystemUrl(absl::string_view name) {
  return absl::StrCat(kCanonical, "/NamingSystem/", name);
}

std::string ExtensionUrl(absl::string_view name) {
  return absl::StrCat(kCanonical, "/StructureDefinition/", name);
}

std::string LocalCode(absl::string_view enum_name, absl::string_view prefix) {
  absl::string_view rest = enum_name;
  absl::ConsumePrefix(&rest, prefix);
  return absl::StrReplaceAll(absl::AsciiStrToLower(rest), {{"_", "-"}});
}

Json LocalCoding(absl::string_view system, absl::string_view enum_name,
                 absl::string_view prefix) {
  return Json{{"system", CodeSystemUrl(system)},
              {"code", LocalCode(enum_name, prefix)}};
}

Json Concept(Json coding, absl::string_view text) {
  Json concept_json{{"coding", Json::array({std::move(coding)})}};
  if (!text.empty()) concept_json["text"] = std::string(text);
  return concept_json;
}

Json Extension(absl::string_view name, absl::string_view value_key,
               Json value) {
  return Json{{"url", ExtensionUrl(name)},
              {std::string(value_key), std::move(value)}};
}

Json IdentifierRef(absl::string_view system, absl::string_view value) {
  return Json{
      {"identifier",
       {{"system", std::string(system)}, {"value", std::string(value)}}}};
}

std::string ResourceUuid(absl::string_view key) {
  // RFC 4122 namespace for URLs: 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
  static constexpr unsigned char kUrlNamespace[16] = {
      0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
      0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  const std::string name = absl::StrCat(kCanonical, "/", key);
  std::string input(reinterpret_cast<const char*>(kUrlNamespace), 16);
  input += name;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
       digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    absl::StrAppendFormat(&out, "%02x", digest[i]);
  }
  return out;
}

std::string FhirDateTime(const google::protobuf::Timestamp& ts) {
  const absl::Time t =
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<std::string> DumpDocument(const Json& document,
                                         absl::string_view what) {
  try {
    return document.dump(2);
  } catch (const Json::exception& e) {
    return absl::InternalError(
        absl::StrCat("fhir-r4: cannot encode ", what, ": ", e.what()));
  }
}

bool HasTime(const google::protobuf::Timestamp& ts) {
  return ts.seconds() != 0 || ts.nanos() != 0;
}

}  // namespace mnrecords::fhir_r4
