// ScopedTempDir: a fresh directory per test under ::testing::TempDir(),
// removed with its contents when the object is destroyed.
#ifndef MNRECORDS_TESTS_STORAGE_TEMP_DIR_H_
#define MNRECORDS_TESTS_STORAGE_TEMP_DIR_H_

#include <string>

namespace mnrecords {
namespace testing {

class ScopedTempDir {
 public:
  // Creates a directory whose name contains the running test's name, the
  // process id and a counter, so tests never share files.
  ScopedTempDir();
  ~ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::string& path() const { return path_; }
  // File returns path()/name.
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace testing
}  // namespace mnrecords

#endif  // MNRECORDS_TESTS_STORAGE_TEMP_DIR_H_
