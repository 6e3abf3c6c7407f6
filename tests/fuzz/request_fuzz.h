// The request fuzzing harness shared by the libFuzzer target
// (request_fuzzer.cc, clang -fsanitize=fuzzer) and the seeded randomized
// GoogleTest (request_fuzz_test.cc) that every build runs.
//
// An input is one byte choosing the RPC, then the bytes of its request as
// serialized protobuf. The request goes where a real one goes:
// CheckNoUnknownFields, Authorize for a principal of clinics c1/c2 of the
// role the RPC needs, then the service on a SQLite file with some records
// already in it. Crashes, sanitizer reports and statuses no input may cause
// (INTERNAL, UNKNOWN, DATA_LOSS, or INVALID_ARGUMENT without a message)
// abort the process.
#ifndef MNRECORDS_TESTS_FUZZ_REQUEST_FUZZ_H_
#define MNRECORDS_TESTS_FUZZ_REQUEST_FUZZ_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnrecords::testing {

// FuzzOneRequest runs one input. Returns the status code it produced (for
// statistics), or -1 if the bytes were not a request.
int FuzzOneRequest(const uint8_t* data, size_t size);

// SeedInputs returns valid inputs for every RPC (well-formed requests on the
// harness's existing records), the corpus the fuzzers start from.
std::vector<std::string> SeedInputs();

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_FUZZ_REQUEST_FUZZ_H_
