#include "server/records/page_token.h"

#include "clinic/microneedling/v1/treatment_records_service.pb.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace {

namespace v1 = ::clinic::microneedling::v1;

TEST(PageTokenTest, RoundTripsForTheSameQuery) {
  v1::ListSessionsRequest request;
  request.set_parent("clinics/c/patients/p/courses/k");
  request.set_clinician("dr-a");
  const std::string fingerprint = QueryFingerprint(request);
  const std::string token = EncodePageToken(4242, fingerprint);
  // page_size and page_token do not change the fingerprint.
  request.set_page_size(7);
  request.set_page_token(token);
  ASSERT_EQ(QueryFingerprint(request), fingerprint);
  auto after = DecodePageToken(token, fingerprint);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*after, 4242);
  EXPECT_EQ(*DecodePageToken("", fingerprint), 0);
}

TEST(PageTokenTest, OrderedPositionsRoundTripAndStayWithTheirQuery) {
  v1::ListDueSessionsRequest a;
  a.set_parent("clinics/c");
  a.mutable_start_time()->set_seconds(1000);
  const std::string fingerprint = QueryFingerprint(a);
  for (const OrderedPosition p :
       {OrderedPosition{-5, 0}, OrderedPosition{1'790'000'000'000'000, 42}}) {
    const std::string token = EncodeOrderedPageToken(p, fingerprint);
    auto after = DecodeOrderedPageToken(token, fingerprint);
    ASSERT_TRUE(after.ok()) << after.status();
    ASSERT_TRUE(after->has_value());
    EXPECT_EQ((*after)->key, p.key);
    EXPECT_EQ((*after)->seq, p.seq);
  }
  EXPECT_FALSE(DecodeOrderedPageToken("", fingerprint)->has_value());
  v1::ListDueSessionsRequest b = a;
  b.mutable_start_time()->set_seconds(2000);
  const std::string token = EncodeOrderedPageToken({7, 8}, fingerprint);
  EXPECT_EQ(DecodeOrderedPageToken(token, QueryFingerprint(b)).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A plain position token is not an ordered one, nor the reverse.
  EXPECT_EQ(DecodeOrderedPageToken(EncodePageToken(7, fingerprint), fingerprint)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken(token, fingerprint).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PageTokenTest, RefusesTokensOfOtherQueriesAndGarbage) {
  v1::ListSessionsRequest a;
  a.set_parent("clinics/c/patients/p/courses/k");
  v1::ListSessionsRequest b = a;
  b.set_clinician("dr-b");
  const std::string token = EncodePageToken(10, QueryFingerprint(a));
  EXPECT_EQ(DecodePageToken(token, QueryFingerprint(b)).status().code(),
            absl::StatusCode::kInvalidArgument);
  for (const char* bad : {"x", "djEuMTA", "!!!!", "djEuLTEuYWJj"}) {
    EXPECT_EQ(DecodePageToken(bad, QueryFingerprint(a)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace mnrecords
