// What mnrec prints on stdout: the protobuf JSON mapping with --json, else
// "key: value" lines for one resource and a table for a list.
#ifndef MNRECORDS_CLIENT_CLI_OUTPUT_H_
#define MNRECORDS_CLIENT_CLI_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "clinic/microneedling/v1/change_feed_service.pb.h"
#include "google/protobuf/message.h"

namespace mnrecords {
namespace cli {

// FormatResource returns every set field of `message`, one "path: value"
// line each (nested paths like treated_areas[0].site), enums by short name
// and times in RFC 3339.
std::string FormatResource(const google::protobuf::Message& message);

// FormatList returns a table of the items of a List response (columns chosen
// per resource type) and, if there is one, the next page token.
std::string FormatList(const google::protobuf::Message& response);

// PrintResource / PrintList write JSON (if `json`) or the formats above to
// stdout. Errors only if JSON conversion fails (INTERNAL).
absl::Status PrintResource(const google::protobuf::Message& message, bool json);
absl::Status PrintList(const google::protobuf::Message& response, bool json);

// FormatChangeLine returns one line for a change (`mnrec changes`), without
// the newline: "CURSOR TYPE NAME rev=N principal=P time=RFC3339", then
// " state=STATE" for a consent change and " amendment=KIND" when set. An
// empty principal prints as "-".
std::string FormatChangeLine(const ::clinic::microneedling::v1::Change& change);

// PrintChange writes a change as one line to stdout (FormatChangeLine, or
// with `json` the JSON mapping without whitespace) and flushes stdout, so
// that a reader at the other end of a pipe gets it at once. INTERNAL if the
// JSON conversion or the write fails.
absl::Status PrintChange(const ::clinic::microneedling::v1::Change& change,
                         bool json);

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_OUTPUT_H_
