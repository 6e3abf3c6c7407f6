// Opaque page tokens for List calls (AIP-158). A token carries the position
// after which the next page starts and a fingerprint of the query it belongs
// to; a token used with a different query (other parent or filters) is
// INVALID_ARGUMENT rather than silently returning the wrong rows.
#ifndef MNRECORDS_SERVER_RECORDS_PAGE_TOKEN_H_
#define MNRECORDS_SERVER_RECORDS_PAGE_TOKEN_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace mnrecords {

// QueryFingerprint digests a List request without page_token and page_size.
std::string QueryFingerprint(const google::protobuf::Message& request);

// EncodePageToken makes the token for the page after position `after`.
std::string EncodePageToken(int64_t after, absl::string_view fingerprint);

// DecodePageToken returns the position in `token` ("" -> 0).
absl::StatusOr<int64_t> DecodePageToken(absl::string_view token,
                                        absl::string_view fingerprint);

// OrderedPosition: a position in a list ordered by a computed key (e.g. a
// due date in microseconds), ties broken by record seq.
struct OrderedPosition {
  int64_t key = 0;
  int64_t seq = 0;
};

// EncodeOrderedPageToken makes the token for the page after `after`.
std::string EncodeOrderedPageToken(const OrderedPosition& after,
                                   absl::string_view fingerprint);

// DecodeOrderedPageToken returns the position in `token` (nullopt for "").
absl::StatusOr<std::optional<OrderedPosition>> DecodeOrderedPageToken(
    absl::string_view token, absl::string_view fingerprint);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_RECORDS_PAGE_TOKEN_H_
