#include "server/records/page_token.h"

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "server/validation/validation.h"

namespace mnrecords {

std::string QueryFingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  for (const char* name : {"page_token", "page_size"}) {
    const google::protobuf::FieldDescriptor* f =
        copy->GetDescriptor()->FindFieldByName(name);
    if (f != nullptr) copy->GetReflection()->ClearField(copy.get(), f);
  }
  std::string bytes;
  copy->SerializeToString(&bytes);
  return Sha256Hex(
             absl::StrCat(copy->GetDescriptor()->full_name(), "\n", bytes))
      .substr(0, 16);
}

std::string EncodePageToken(int64_t after, absl::string_view fingerprint) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("v1.", after, ".", fingerprint));
}

namespace {

absl::Status InvalidToken() {
  return absl::InvalidArgumentError(
      "page_token: not a token this query returned (tokens are tied to the "
      "parent and filters they came with)");
}

// TokenFields decodes `token` (not empty) into its '.'-separated fields,
// kept in `raw`; INVALID_ARGUMENT if it is too long or not base64.
absl::StatusOr<std::vector<absl::string_view>> TokenFields(
    absl::string_view token, std::string& raw) {
  if (token.size() > kMaxPageTokenLength ||
      !absl::WebSafeBase64Unescape(token, &raw)) {
    return InvalidToken();
  }
  return std::vector<absl::string_view>(absl::StrSplit(raw, '.'));
}

}  // namespace

absl::StatusOr<int64_t> DecodePageToken(absl::string_view token,
                                        absl::string_view fingerprint) {
  if (token.empty()) return 0;
  std::string raw;
  MNR_ASSIGN_OR_RETURN(const std::vector<absl::string_view> parts,
                       TokenFields(token, raw));
  int64_t after = 0;
  if (parts.size() != 3 || parts[0] != "v1" ||
      !absl::SimpleAtoi(parts[1], &after) || after < 0 ||
      parts[2] != fingerprint) {
    return InvalidToken();
  }
  return after;
}

std::string EncodeOrderedPageToken(const OrderedPosition& after,
                                   absl::string_view fingerprint) {
  return absl::WebSafeBase64Escape(
      absl::StrCat("v2.", after.key, ".", after.seq, ".", fingerprint));
}

absl::StatusOr<std::optional<OrderedPosition>> DecodeOrderedPageToken(
    absl::string_view token, absl::string_view fingerprint) {
  if (token.empty()) return std::nullopt;
  std::string raw;
  MNR_ASSIGN_OR_RETURN(const std::vector<absl::string_view> parts,
                       TokenFields(token, raw));
  OrderedPosition after;
  if (parts.size() != 4 || parts[0] != "v2" ||
      !absl::SimpleAtoi(parts[1], &after.key) ||
      !absl::SimpleAtoi(parts[2], &after.seq) || after.seq < 0 ||
      parts[3] != fingerprint) {
    return InvalidToken();
  }
  return after;
}

}  // namespace mnrecords
