// Runs the Store contract suite against SqliteStore.
#include "server/store/sqlite/sqlite_store.h"
#include "tests/storage/store_contract_test.h"

namespace mnrecords {
namespace testing {
namespace {

absl::StatusOr<std::unique_ptr<Store>> OpenSqlite(const std::string& path) {
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(StoreFactory{"sqlite", &OpenSqlite}),
                         StoreFactoryName);

}  // namespace
}  // namespace testing
}  // namespace mnrecords
