#include "client/list_all.h"

#include <string>
#include <vector>

#include "clinic/microneedling/v1/treatment_records_service.pb.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace {

namespace v1 = ::clinic::microneedling::v1;

// A page source over a fixed token chain: tokens[i] is the next_page_token
// returned for the i-th call.
struct FakePages {
  std::vector<std::string> tokens;
  std::vector<std::string> seen_tokens;

  absl::StatusOr<v1::ListPatientsResponse> operator()(
      const v1::ListPatientsRequest& request) {
    seen_tokens.push_back(request.page_token());
    const size_t i = seen_tokens.size() - 1;
    if (i >= tokens.size()) return absl::InternalError("too many calls");
    v1::ListPatientsResponse response;
    response.add_patients()->set_name("p" + std::to_string(i));
    response.set_next_page_token(tokens[i]);
    return response;
  }
};

auto Items() {
  return [](v1::ListPatientsResponse& r) { return r.mutable_patients(); };
}

TEST(ListAllPagesTest, WalksEveryPageInOrder) {
  FakePages pages{{"a", "b", ""}, {}};
  v1::ListPatientsRequest request;
  request.set_page_size(1);
  auto all = ListAllPages<v1::Patient>(request, pages, Items());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name(), "p0");
  EXPECT_EQ((*all)[2].name(), "p2");
  EXPECT_EQ(pages.seen_tokens, (std::vector<std::string>{"", "a", "b"}));
}

TEST(ListAllPagesTest, SinglePage) {
  FakePages pages{{""}, {}};
  auto all =
      ListAllPages<v1::Patient>(v1::ListPatientsRequest(), pages, Items());
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 1u);
}

TEST(ListAllPagesTest, SameTokenTwiceInARowStops) {
  FakePages pages{{"a", "a", "a", ""}, {}};
  auto all =
      ListAllPages<v1::Patient>(v1::ListPatientsRequest(), pages, Items());
  EXPECT_EQ(all.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(pages.seen_tokens.size(), 2u);
}

TEST(ListAllPagesTest, TokenCycleStops) {
  FakePages pages{{"a", "b", "a", ""}, {}};
  auto all =
      ListAllPages<v1::Patient>(v1::ListPatientsRequest(), pages, Items());
  EXPECT_EQ(all.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(pages.seen_tokens.size(), 3u);
}

TEST(ListAllPagesTest, ReturningTheStartTokenStops) {
  FakePages pages{{"start", ""}, {}};
  v1::ListPatientsRequest request;
  request.set_page_token("start");
  auto all = ListAllPages<v1::Patient>(request, pages, Items());
  EXPECT_EQ(all.status().code(), absl::StatusCode::kInternal);
}

TEST(ListAllPagesTest, ErrorIsReturnedUnchanged) {
  int calls = 0;
  auto failing = [&](const v1::ListPatientsRequest&)
      -> absl::StatusOr<v1::ListPatientsResponse> {
    if (++calls == 2) return absl::PermissionDeniedError("clinic c2");
    v1::ListPatientsResponse response;
    response.set_next_page_token("next");
    return response;
  };
  auto all =
      ListAllPages<v1::Patient>(v1::ListPatientsRequest(), failing, Items());
  EXPECT_EQ(all.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(all.status().message(), "clinic c2");
}

}  // namespace
}  // namespace mnrecords
