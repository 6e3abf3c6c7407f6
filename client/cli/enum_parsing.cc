#include "client/cli/enum_parsing.h"

#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/cli/cli_status.h"

namespace mnrecords {
namespace cli {

std::string EnumValuePrefix(const google::protobuf::EnumDescriptor& type) {
  std::string prefix;
  const std::string& name = type.name();
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c)) && i > 0) prefix += '_';
    prefix += absl::ascii_toupper(c);
  }
  prefix += '_';
  return prefix;
}

std::string EnumShortName(const google::protobuf::EnumValueDescriptor& value) {
  const std::string prefix = EnumValuePrefix(*value.type());
  if (absl::StartsWith(value.name(), prefix)) {
    return value.name().substr(prefix.size());
  }
  return value.name();
}

absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor& type,
                                   absl::string_view flag,
                                   absl::string_view text) {
  const std::string wanted = absl::AsciiStrToUpper(
      absl::StrReplaceAll(absl::StripAsciiWhitespace(text), {{"-", "_"}}));
  const std::string prefix = EnumValuePrefix(type);
  std::string expected;
  for (int i = 0; i < type.value_count(); ++i) {
    const auto& value = *type.value(i);
    if (value.number() == 0) continue;
    const std::string short_name = EnumShortName(value);
    if (!wanted.empty() && (wanted == short_name || wanted == value.name())) {
      return value.number();
    }
    absl::StrAppend(&expected, expected.empty() ? "" : ", ", short_name);
  }
  return UsageError(absl::StrCat("--", flag, ": unknown value '", text,
                                 "'; expected one of ", expected));
}

}  // namespace cli
}  // namespace mnrecords
