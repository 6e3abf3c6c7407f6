// The Store contract suite (server/store/store.h): every Store backend runs
// these tests (store_contract_*_test.cc, CMake target
// mnrecords_store_contract_tests). To add a backend, link that target into
// the backend's test binary and instantiate the suite with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Postgres, StoreContractTest,
//       ::testing::Values(StoreFactory{"postgres", &OpenPostgresForTest}),
//       StoreFactoryName);
//
// The factory gets a path inside a fresh per-test directory; opening the
// same path again must reach the same data (the reopen tests rely on it).
#ifndef MNRECORDS_TESTS_STORAGE_STORE_CONTRACT_TEST_H_
#define MNRECORDS_TESTS_STORAGE_STORE_CONTRACT_TEST_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "server/store/store.h"
#include "tests/storage/temp_dir.h"

namespace mnrecords {
namespace testing {

// StoreFactory opens a Store at `path`; `name` labels the instantiation.
struct StoreFactory {
  std::string name;
  std::function<absl::StatusOr<std::unique_ptr<Store>>(const std::string&)>
      open;
};

inline void PrintTo(const StoreFactory& factory, std::ostream* os) {
  *os << factory.name;
}

// StoreFactoryName names parameterized tests after the backend.
inline std::string StoreFactoryName(
    const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

// StoreContractTest opens a fresh store per test (store_).
class StoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  // Reopen closes the store and opens the same path again.
  void Reopen();

  ScopedTempDir dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

}  // namespace testing
}  // namespace mnrecords

#endif  // MNRECORDS_TESTS_STORAGE_STORE_CONTRACT_TEST_H_
