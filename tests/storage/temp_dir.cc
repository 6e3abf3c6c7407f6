#include "tests/storage/temp_dir.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"

namespace mnrecords {
namespace testing {

ScopedTempDir::ScopedTempDir() {
  static std::atomic<int> counter{0};
  std::string test = "no_test";
  if (const ::testing::TestInfo* info =
          ::testing::UnitTest::GetInstance()->current_test_info()) {
    test = absl::StrCat(info->test_suite_name(), ".", info->name());
  }
  test = absl::StrReplaceAll(test, {{"/", "_"}});
  path_ = absl::StrCat(::testing::TempDir(), "mnrecords_storage/", test, ".",
                       getpid(), ".", counter.fetch_add(1));
  std::error_code error;
  std::filesystem::remove_all(path_, error);
  std::filesystem::create_directories(path_, error);
  if (error) ADD_FAILURE() << "cannot create " << path_ << ": " << error;
}

ScopedTempDir::~ScopedTempDir() {
  std::error_code error;
  std::filesystem::remove_all(path_, error);
}

std::string ScopedTempDir::File(const std::string& name) const {
  return absl::StrCat(path_, "/", name);
}

}  // namespace testing
}  // namespace mnrecords
