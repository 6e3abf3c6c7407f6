// ListAllPages: walks every page of a List call.
#ifndef MNRECORDS_CLIENT_LIST_ALL_H_
#define MNRECORDS_CLIENT_LIST_ALL_H_

#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mnrecords {

// ListAllPages calls `list_page(request)`, then again with each returned
// next_page_token, until a page comes back with an empty token, and returns
// the items of every page in order. `request`'s page_token is where it
// starts (normally empty) and its page_size the size of each page.
//
//   list_page:     (const Request&) -> absl::StatusOr<Response>
//   mutable_items: (Response&) -> google::protobuf::RepeatedPtrField<Item>*
//
// Returns the first error of `list_page` unchanged (items already read are
// dropped). Returns INTERNAL if the server hands out a token it already
// handed out during this walk, which would otherwise loop forever.
template <typename Item, typename Request, typename ListPage,
          typename MutableItems>
absl::StatusOr<std::vector<Item>> ListAllPages(Request request,
                                               ListPage&& list_page,
                                               MutableItems&& mutable_items) {
  std::vector<Item> items;
  std::unordered_set<std::string> seen_tokens;
  if (!request.page_token().empty()) seen_tokens.insert(request.page_token());
  for (int pages = 1;; ++pages) {
    auto response = list_page(static_cast<const Request&>(request));
    if (!response.ok()) return std::move(response).status();
    auto* page_items = mutable_items(*response);
    items.reserve(items.size() + page_items->size());
    for (auto& item : *page_items) items.push_back(std::move(item));
    const std::string& token = response->next_page_token();
    if (token.empty()) return items;
    if (!seen_tokens.insert(token).second) {
      return absl::InternalError(
          "server returned page token \"" + token + "\" a second time after " +
          std::to_string(pages) + " pages; stopped listing");
    }
    request.set_page_token(token);
  }
}

}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_LIST_ALL_H_
