#include "server/validation/field_checks.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"

namespace mnrecords {

absl::Status CheckText(absl::string_view field, absl::string_view value,
                       size_t min_len, size_t max_len, TextKind kind) {
  if (value.size() < min_len) {
    return absl::InvalidArgumentError(
        min_len == 1
            ? absl::StrCat(field, ": required")
            : absl::StrCat(field, ": shorter than ", min_len, " characters"));
  }
  if (min_len > 0 && absl::StripAsciiWhitespace(value).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required (holds only blanks)"));
  }
  if (value.size() > max_len) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": longer than ", max_len, " bytes (", value.size(), ")"));
  }
  for (unsigned char c : value) {
    const bool allowed_space =
        kind == TextKind::kMultiLine && (c == '\n' || c == '\r' || c == '\t');
    if ((c < 0x20 || c == 0x7f) && !allowed_space) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": contains a control character"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckEnum(absl::string_view field, int value,
                       bool (*is_valid)(int), bool required) {
  if (!is_valid(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": unknown enum value ", value));
  }
  if (required && value == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required (must not be UNSPECIFIED)"));
  }
  return absl::OkStatus();
}

absl::Status CheckIntRange(absl::string_view field, int64_t value, int64_t lo,
                           int64_t hi) {
  if (value < lo || value > hi) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be between ", lo, " and ", hi, ", got ", value));
  }
  return absl::OkStatus();
}

absl::Status CheckDoubleRange(absl::string_view field, double value, double lo,
                              double hi) {
  if (!(value >= lo && value <= hi)) {  // NaN fails both comparisons
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": must be between ", lo, " and ", hi, ", got ", value));
  }
  return absl::OkStatus();
}

absl::Status CheckCount(absl::string_view field, size_t count, size_t min,
                        size_t max) {
  if (count < min) {
    return absl::InvalidArgumentError(
        min == 1
            ? absl::StrCat(field, ": at least one entry is required")
            : absl::StrCat(field, ": at least ", min, " entries are required"));
  }
  if (count > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": at most ", max, " entries are allowed, got ", count));
  }
  return absl::OkStatus();
}

absl::Status CheckTime(absl::string_view field, bool present,
                       const google::protobuf::Timestamp& ts, bool required) {
  if (!present) {
    return required
               ? absl::InvalidArgumentError(absl::StrCat(field, ": required"))
               : absl::OkStatus();
  }
  MNR_RETURN_IF_ERROR(ValidateTimestamp(field, ts));
  if (FromProtoTime(ts) < kEarliestRecordTime) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": lies before ", absl::FormatTime(kEarliestRecordTime),
        ", the earliest time a record may hold (",
        absl::FormatTime(FromProtoTime(ts)), ")"));
  }
  return absl::OkStatus();
}

std::string Indexed(absl::string_view field, size_t i) {
  return absl::StrCat(field, "[", i, "]");
}

std::string Sub(absl::string_view field, absl::string_view child) {
  return absl::StrCat(field, ".", child);
}

absl::Status CheckNotFuture(absl::string_view field,
                            const google::protobuf::Timestamp& ts,
                            absl::Time now) {
  if (FromProtoTime(ts) > now + kMaxClockSkew) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": lies in the future (",
                     absl::FormatTime(FromProtoTime(ts)), ")"));
  }
  return absl::OkStatus();
}

}  // namespace mnrecords
