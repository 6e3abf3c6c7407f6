// The small pieces every report page is made of: escaping text for HTML,
// formatting times for people, the marks of a check, and the page frame
// (a self-contained document: inline CSS, no scripts, no network, printable
// on A4).
#ifndef MNRECORDS_CLIENT_REPORT_HTML_H_
#define MNRECORDS_CLIENT_REPORT_HTML_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace mnrecords::report {

// Escape returns `text` with &, <, >, " and ' as character references.
std::string Escape(absl::string_view text);

// HumanTime is "2026-09-02 10:00 UTC" ("—" for an unset time).
std::string HumanTime(absl::Time t);
std::string HumanTime(const google::protobuf::Timestamp& ts);

// ToTime converts a timestamp (InfinitePast for an unset one); ToTimestamp
// converts back.
absl::Time ToTime(const google::protobuf::Timestamp& ts);
google::protobuf::Timestamp ToTimestamp(absl::Time t);

// EnumWords turns an enum value name into words: the prefix dropped, the
// rest lower case with spaces (CONSENT_STATE_ENTERED_IN_ERROR with prefix
// "CONSENT_STATE_" → "entered in error").
std::string EnumWords(absl::string_view name, absl::string_view prefix);

// CheckMark is a check's result as people and screen readers read it:
// <span class="mark mark-ok">✓ <text></span>, or mark-bad with ✗.
std::string CheckMark(bool ok, absl::string_view text);

// Page wraps `body` (HTML) in the document: language, title, the report
// style sheet. `title` is text.
std::string Page(absl::string_view title, absl::string_view body);

}  // namespace mnrecords::report

#endif  // MNRECORDS_CLIENT_REPORT_HTML_H_
