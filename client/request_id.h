// Request ids: what makes a retried write safe.
#ifndef MNRECORDS_CLIENT_REQUEST_ID_H_
#define MNRECORDS_CLIENT_REQUEST_ID_H_

#include <string>

namespace mnrecords {

// MakeRequestId returns a fresh random UUID version 4 in its canonical
// lower-case form, e.g. "3f2b8c1e-9a4d-4e6f-8b2a-0c5d7e9f1a3b".
//
// The server keeps the first result of every write by request_id, so a
// write sent again with the same id returns that result instead of a
// duplicate record. Set one yourself (and keep it) when you want to retry a
// write after the client gave up, e.g. after DEADLINE_EXCEEDED.
//
// Thread-safe; draws from a per-thread std::mt19937_64 seeded from
// std::random_device and reseeded in a forked child.
std::string MakeRequestId();

}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_REQUEST_ID_H_
