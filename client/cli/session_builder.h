// A TreatmentSession from the session flags of `mnrec session log|amend`.
#ifndef MNRECORDS_CLIENT_CLI_SESSION_BUILDER_H_
#define MNRECORDS_CLIENT_CLI_SESSION_BUILDER_H_

#include "absl/status/status.h"
#include "clinic/microneedling/v1/records.pb.h"

namespace mnrecords {
namespace cli {

// ApplySessionFlags sets the fields of `session` whose flags were given on
// the command line (a repeated flag replaces the whole list) and leaves the
// others as they are, e.g. as read from --from_json. Usage errors name the
// flag.
absl::Status ApplySessionFlags(
    clinic::microneedling::v1::TreatmentSession& session);

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_SESSION_BUILDER_H_
