// `mnrec changes`: the ListChanges request and the ChangeFeed options read
// from the flags. Errors are usage errors naming the flag.
#ifndef MNRECORDS_CLIENT_CLI_CHANGE_REQUESTS_H_
#define MNRECORDS_CLIENT_CLI_CHANGE_REQUESTS_H_

#include "absl/status/statusor.h"
#include "client/change_feed.h"
#include "clinic/microneedling/v1/change_feed_service.pb.h"

namespace mnrecords {
namespace cli {

// ChangeFilterFromFlags reads --patient (an id with --clinic, or a name;
// "-" or empty: every patient), --kinds and --names_only.
absl::StatusOr<v1::ChangeFilter> ChangeFilterFromFlags();

// ListChangesRequestFromFlags reads --clinic (required), --since,
// --page_size and the filter flags.
absl::StatusOr<v1::ListChangesRequest> ListChangesRequestFromFlags();

// ChangeFeedOptionsFromFlags reads --clinic (required), --since or
// --from_now (not both) and the filter flags; the backoff is the default.
absl::StatusOr<ChangeFeedOptions> ChangeFeedOptionsFromFlags();

}  // namespace cli
}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLI_CHANGE_REQUESTS_H_
