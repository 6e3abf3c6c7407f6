// Writes the harness's seed inputs into the directory given as argument:
// the starting corpus of the libFuzzer run.
#include <fstream>
#include <iostream>
#include <string>

#include "tests/fuzz/request_fuzz.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: request_fuzz_seeds DIR\n";
    return 2;
  }
  int n = 0;
  for (const std::string& seed : mnrecords::testing::SeedInputs()) {
    std::ofstream(std::string(argv[1]) + "/seed-" + std::to_string(n++),
                  std::ios::binary)
        << seed;
  }
  std::cout << n << " seeds written to " << argv[1] << "\n";
  return 0;
}
