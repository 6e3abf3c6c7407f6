#include "client/request_id.h"

#include <unistd.h>

#include <array>
#include <cstdint>
#include <random>

namespace mnrecords {
namespace {

// A generator per thread, reseeded when the process id changes so that a
// forked child does not repeat its parent's ids.
std::mt19937_64& Engine() {
  thread_local std::mt19937_64 engine;
  thread_local pid_t seeded_for = -1;
  const pid_t pid = getpid();
  if (seeded_for != pid) {
    std::random_device device;
    std::array<std::uint32_t, 8> seed_words;
    for (auto& word : seed_words) word = device();
    std::seed_seq seed(seed_words.begin(), seed_words.end());
    engine.seed(seed);
    seeded_for = pid;
  }
  return engine;
}

}  // namespace

std::string MakeRequestId() {
  std::array<std::uint8_t, 16> bytes;
  auto& engine = Engine();
  for (int i = 0; i < 2; ++i) {
    std::uint64_t word = engine();
    for (int j = 0; j < 8; ++j) bytes[i * 8 + j] = (word >> (8 * j)) & 0xff;
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // variant 10xx (RFC 4122)

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0f]);
  }
  return out;
}

}  // namespace mnrecords
