// Output-only fields (marked [(clinic.microneedling.v1.output_only) = true]
// in the API) are set by the server alone: a value a client sends for one
// is dropped before the request is checked or handled, so it can never be
// stored, echoed in a response or used (AIP-203's "ignored on input").
#ifndef MNRECORDS_SERVER_GRPC_OUTPUT_ONLY_FIELDS_H_
#define MNRECORDS_SERVER_GRPC_OUTPUT_ONLY_FIELDS_H_

#include "google/protobuf/message.h"

namespace mnrecords {

// ClearOutputOnlyFields clears every output-only field set in `message` or
// in any message inside it, at any depth.
void ClearOutputOnlyFields(google::protobuf::Message& message);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_GRPC_OUTPUT_ONLY_FIELDS_H_
