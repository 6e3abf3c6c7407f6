// Runs the Store contract suite against PostgresStore, each test on a
// database of its own in the run's throwaway PostgreSQL
// (tests/support/postgres_test_db.h): scripts/test.sh starts one. Without
// it (MNRECORDS_TEST_PG unset) these tests fail; `ctest -LE postgres` runs
// the rest.
#include "server/store/postgres/postgres_store.h"
#include "tests/storage/store_contract_test.h"
#include "tests/support/postgres_test_db.h"

namespace mnrecords {
namespace testing {
namespace {

absl::StatusOr<std::unique_ptr<Store>> OpenPostgres(const std::string& path) {
  absl::StatusOr<std::string> uri = PostgresTestDatabase(path);
  if (!uri.ok()) return uri.status();
  absl::StatusOr<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open(*uri);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
                         ::testing::Values(StoreFactory{"postgres",
                                                        &OpenPostgres}),
                         StoreFactoryName);

}  // namespace
}  // namespace testing
}  // namespace mnrecords
