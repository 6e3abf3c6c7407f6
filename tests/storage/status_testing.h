// Test assertions for absl::Status / StatusOr (Abseil 20220623 has no
// status_matchers.h). On failure they print the status.
#ifndef MNRECORDS_TESTS_STORAGE_STATUS_TESTING_H_
#define MNRECORDS_TESTS_STORAGE_STATUS_TESTING_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

#define MNR_EXPECT_OK(expr)               \
  do {                                    \
    const ::absl::Status mnr_s_ = (expr); \
    EXPECT_TRUE(mnr_s_.ok()) << mnr_s_;   \
  } while (false)

#define MNR_ASSERT_OK(expr)               \
  do {                                    \
    const ::absl::Status mnr_s_ = (expr); \
    ASSERT_TRUE(mnr_s_.ok()) << mnr_s_;   \
  } while (false)

// MNR_EXPECT_CODE(expr, want) expects the status of `expr` (a Status or
// StatusOr) to have exactly the code `want`.
#define MNR_EXPECT_CODE(expr, want)                       \
  do {                                                    \
    const ::absl::Status mnr_s_ =                         \
        ::mnrecords::testing::internal::ToStatus((expr)); \
    EXPECT_EQ(mnr_s_.code(), (want)) << mnr_s_;           \
  } while (false)

// MNR_EXPECT_OK_AND_EQ(expr, want) expects the StatusOr `expr` to be OK
// and hold a value equal to `want`.
#define MNR_EXPECT_OK_AND_EQ(expr, want)         \
  do {                                           \
    const auto mnr_v_ = (expr);                  \
    EXPECT_TRUE(mnr_v_.ok()) << mnr_v_.status(); \
    if (mnr_v_.ok()) {                           \
      EXPECT_EQ(*mnr_v_, (want));                \
    }                                            \
  } while (false)

#define MNR_TEST_CONCAT_INNER_(a, b) a##b
#define MNR_TEST_CONCAT_(a, b) MNR_TEST_CONCAT_INNER_(a, b)

// MNR_ASSERT_OK_AND_ASSIGN(lhs, expr) asserts the StatusOr `expr` is OK and
// assigns its value to lhs.
#define MNR_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  MNR_ASSERT_OK_AND_ASSIGN_IMPL_(MNR_TEST_CONCAT_(mnr_or_, __LINE__), lhs, expr)
#define MNR_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  ASSERT_TRUE(statusor.ok()) << statusor.status();          \
  lhs = std::move(statusor).value()

namespace mnrecords {
namespace testing {
namespace internal {

inline ::absl::Status ToStatus(const ::absl::Status& status) { return status; }
template <typename T>
::absl::Status ToStatus(const ::absl::StatusOr<T>& result) {
  return result.status();
}

}  // namespace internal
}  // namespace testing
}  // namespace mnrecords

#endif  // MNRECORDS_TESTS_STORAGE_STATUS_TESTING_H_
