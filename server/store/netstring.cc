#include "server/store/netstring.h"

#include <cstddef>

#include "absl/strings/numbers.h"

namespace mnrecords {

void AppendNetstring(std::string* out, absl::string_view value) {
  char digits[absl::numbers_internal::kFastToBufferSize];
  const char* end =
      absl::numbers_internal::FastIntToBuffer(value.size(), digits);
  out->append(digits, end - digits);
  out->push_back(':');
  out->append(value.data(), value.size());
  out->push_back(',');
}

void AppendNetstring(std::string* out, int64_t value) {
  char digits[absl::numbers_internal::kFastToBufferSize];
  const char* end = absl::numbers_internal::FastIntToBuffer(value, digits);
  AppendNetstring(out, absl::string_view(digits, end - digits));
}

bool ConsumeNetstring(absl::string_view* in, absl::string_view* value) {
  const size_t colon = in->find(':');
  // A length has 1 to 19 digits and no leading zero (except "0" itself).
  if (colon == absl::string_view::npos || colon == 0 || colon > 19) {
    return false;
  }
  if (colon > 1 && (*in)[0] == '0') return false;
  uint64_t length = 0;
  for (size_t i = 0; i < colon; ++i) {
    const char c = (*in)[i];
    if (c < '0' || c > '9') return false;
    length = length * 10 + static_cast<uint64_t>(c - '0');
  }
  // What follows the colon: the bytes and the closing comma.
  const size_t rest = in->size() - colon - 1;
  if (length >= rest || (*in)[colon + 1 + length] != ',') return false;
  *value = in->substr(colon + 1, length);
  in->remove_prefix(colon + 2 + length);
  return true;
}

}  // namespace mnrecords
