// Enum values on the command line: short names, case-insensitive.
#ifndef MNRECORDS_CLIENT_CLI_ENUM_PARSING_H_
#define MNRECORDS_CLIENT_CLI_ENUM_PARSING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace mnrecords {
namespace cli {

// EnumValuePrefix returns the prefix every value of `type` carries by the
// proto style guide: the enum's name in UPPER_SNAKE_CASE plus "_", e.g.
// "FITZPATRICK_SKIN_TYPE_" for FitzpatrickSkinType.
std::string EnumValuePrefix(const google::protobuf::EnumDescriptor& type);

// EnumShortName returns a value's name without that prefix, e.g. "III".
std::string EnumShortName(const google::protobuf::EnumValueDescriptor& value);

// ParseEnumValue accepts a value's short name ("III", "completed",
// "left-45") or full name ("FITZPATRICK_SKIN_TYPE_III"), ignoring case and
// reading '-' as '_'. The zero (UNSPECIFIED) value and numbers are refused.
// Errors are usage errors (INVALID_ARGUMENT, see cli_status.h): "--<flag>:
// unknown value 'x'; expected one of I, II, ...".
absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor& type,
                                   absl::string_view flag,
                                   absl::string_view text);

// ParseEnum is ParseEnumValue for a generated enum type E.
template <typename E>
absl::StatusOr<E> ParseEnum(absl::string_view flag, absl::string_view text) {
  auto value =
      ParseEnumValue(*google::protobuf::GetEnumDescriptor<E>(), flag, text);
  if (!value.ok()) return value.status();
  return static_cast<E>(*value);
}

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_ENUM_PARSING_H_
