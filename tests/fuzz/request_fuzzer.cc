// libFuzzer entry point (clang -fsanitize=fuzzer; MNRECORDS_FUZZ=ON).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/request_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mnrecords::testing::FuzzOneRequest(data, size);
  return 0;
}
