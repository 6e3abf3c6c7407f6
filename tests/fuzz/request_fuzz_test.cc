// The request fuzzing harness driven by a seeded random mutator, so that
// every build (not only clang's libFuzzer build) fuzzes the validation and
// the services for a bounded time. Set MNRECORDS_FUZZ_SEED to replay a run;
// MNRECORDS_FUZZ_SECONDS (default 5) bounds it.
#include "tests/fuzz/request_fuzz.h"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>

#include "gtest/gtest.h"

namespace mnrecords::testing {
namespace {

std::string Mutate(const std::vector<std::string>& seeds,
                   std::mt19937_64& rng) {
  auto pick = [&](size_t n) {
    return static_cast<size_t>(
        std::uniform_int_distribution<size_t>(0, n == 0 ? 0 : n - 1)(rng));
  };
  std::string s = seeds[pick(seeds.size())];
  const int rounds = 1 + static_cast<int>(pick(8));
  for (int r = 0; r < rounds; ++r) {
    switch (pick(7)) {
      case 0:  // flip a bit
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1 << pick(8));
        break;
      case 1:  // a random byte
        if (!s.empty()) s[pick(s.size())] = static_cast<char>(pick(256));
        break;
      case 2:  // insert random bytes
        s.insert(pick(s.size() + 1),
                 std::string(1 + pick(16), static_cast<char>(pick(256))));
        break;
      case 3:  // delete a range
        if (s.size() > 1) s.erase(1 + pick(s.size() - 1), 1 + pick(16));
        break;
      case 4:  // truncate
        s.resize(pick(s.size() + 1));
        break;
      case 5: {  // splice another seed's tail
        const std::string& other = seeds[pick(seeds.size())];
        s = s.substr(0, pick(s.size() + 1)) + other.substr(pick(other.size()));
        break;
      }
      case 6:  // another RPC, same bytes
        if (!s.empty()) s[0] = static_cast<char>(pick(256));
        break;
    }
  }
  return s;
}

TEST(RequestFuzzTest, MutatedRequestsNeverCrashOrCorrupt) {
  const std::vector<std::string> seeds = SeedInputs();
  ASSERT_GE(seeds.size(), 20u);
  // Every seed is a request the harness accepts.
  for (const std::string& seed : seeds) {
    EXPECT_EQ(FuzzOneRequest(reinterpret_cast<const uint8_t*>(seed.data()),
                             seed.size()),
              0)
        << "seed for RPC " << static_cast<int>(seed[0]) << " not OK";
  }
  uint64_t seed = std::random_device{}();
  if (const char* env = std::getenv("MNRECORDS_FUZZ_SEED")) {
    seed = std::strtoull(env, nullptr, 10);
  }
  int seconds = 5;
  if (const char* env = std::getenv("MNRECORDS_FUZZ_SECONDS")) {
    seconds = std::atoi(env);
  }
  std::cout << "MNRECORDS_FUZZ_SEED=" << seed << " for " << seconds << " s\n";
  std::mt19937_64 rng(seed);
  std::map<int, int> codes;
  const auto stop =
      std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int runs = 0;
  while (std::chrono::steady_clock::now() < stop) {
    const std::string input = Mutate(seeds, rng);
    ++codes[FuzzOneRequest(reinterpret_cast<const uint8_t*>(input.data()),
                           input.size())];
    ++runs;
  }
  std::cout << runs << " inputs; by status code (-1 = not a request):";
  for (const auto& [code, n] : codes) std::cout << " " << code << ":" << n;
  std::cout << "\n";
  EXPECT_GT(runs, 100);
  EXPECT_GT(codes[3], 0) << "no input reached validation";
}

}  // namespace
}  // namespace mnrecords::testing
