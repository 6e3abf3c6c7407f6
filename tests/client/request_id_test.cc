#include "client/request_id.h"

#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace mnrecords {
namespace {

const std::regex kUuidV4(
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST(RequestIdTest, IsACanonicalUuidV4) {
  for (int i = 0; i < 100; ++i) {
    const std::string id = MakeRequestId();
    EXPECT_TRUE(std::regex_match(id, kUuidV4)) << id;
  }
}

TEST(RequestIdTest, IdsDoNotRepeat) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(MakeRequestId());
  EXPECT_EQ(ids.size(), 10000u);
}

TEST(RequestIdTest, ThreadsDrawDifferentIds) {
  std::vector<std::string> ids(8);
  std::vector<std::thread> threads;
  for (auto& id : ids) threads.emplace_back([&id] { id = MakeRequestId(); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

// A forked child must not replay its parent's sequence.
TEST(RequestIdTest, ForkedChildDrawsDifferentIds) {
  MakeRequestId();  // seed this thread's generator before forking
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string id = MakeRequestId();
    (void)!write(fds[1], id.data(), id.size());
    _exit(0);
  }
  close(fds[1]);
  const std::string parent_id = MakeRequestId();
  char buffer[64] = {};
  const ssize_t n = read(fds[0], buffer, sizeof(buffer));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_EQ(n, 36);
  EXPECT_NE(std::string(buffer, n), parent_id);
}

}  // namespace
}  // namespace mnrecords
