// Primitive field checks shared by request validation. Each returns OK or
// INVALID_ARGUMENT whose message starts with the field path, e.g.
// "session.treated_areas[0].needle_depth_mm: must be 0.1..3.0, got 4".
#ifndef MNRECORDS_SERVER_VALIDATION_FIELD_CHECKS_H_
#define MNRECORDS_SERVER_VALIDATION_FIELD_CHECKS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace mnrecords {

// Whether a text field may hold line breaks and tabs.
enum class TextKind { kSingleLine, kMultiLine };

// CheckText: byte length in [min_len, max_len] and no control characters
// (multi-line text may hold \n, \r and \t). A required text (min_len > 0)
// made only of blanks is refused like an empty one.
absl::Status CheckText(absl::string_view field, absl::string_view value,
                       size_t min_len, size_t max_len,
                       TextKind kind = TextKind::kSingleLine);

// CheckEnum: `value` is a known value of the enum (is_valid is the
// generated X_IsValid), and not 0 (UNSPECIFIED) when `required`.
absl::Status CheckEnum(absl::string_view field, int value,
                       bool (*is_valid)(int), bool required);

// CheckIntRange / CheckDoubleRange: lo <= value <= hi (NaN fails).
absl::Status CheckIntRange(absl::string_view field, int64_t value, int64_t lo,
                           int64_t hi);
absl::Status CheckDoubleRange(absl::string_view field, double value, double lo,
                              double hi);

// CheckRepeatedCount: count <= max (and >= min).
absl::Status CheckCount(absl::string_view field, size_t count, size_t min,
                        size_t max);

// The earliest time a record may hold (1970-01-01T00:00:00Z). Earlier times
// are typos or placeholders (date pickers and spreadsheets default to 1900,
// 1901 or year 1), not events of a treatment record; this is a plausibility
// bound, not a clinical rule.
inline constexpr absl::Time kEarliestRecordTime = absl::UnixEpoch();

// CheckTime: a valid Timestamp no earlier than kEarliestRecordTime;
// `present` false fails when `required`.
absl::Status CheckTime(absl::string_view field, bool present,
                       const google::protobuf::Timestamp& ts, bool required);

// How far in the future a clinical time may lie (clock skew allowance).
inline constexpr absl::Duration kMaxClockSkew = absl::Minutes(5);

// CheckNotFuture: `ts` lies no more than kMaxClockSkew after `now`.
absl::Status CheckNotFuture(absl::string_view field,
                            const google::protobuf::Timestamp& ts,
                            absl::Time now);

// Index formats "field[i]"; Sub formats "field.child".
std::string Indexed(absl::string_view field, size_t i);
std::string Sub(absl::string_view field, absl::string_view child);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_VALIDATION_FIELD_CHECKS_H_
