// ClientOptions and CallOptions: how a RecordsClient connects, authenticates,
// retries and bounds the time of each call.
#ifndef MNRECORDS_CLIENT_CLIENT_OPTIONS_H_
#define MNRECORDS_CLIENT_CLIENT_OPTIONS_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "grpcpp/security/credentials.h"

namespace mnrecords {

// ClientOptions configures a RecordsClient. The defaults talk plaintext to
// `target`, give every call 10 s and make up to 4 attempts on UNAVAILABLE.
struct ClientOptions {
  // The server address in gRPC target syntax, e.g. "localhost:50051" or
  // "dns:///records.clinic.example:443". Required.
  std::string target;

  // The deadline of a call is now + default_timeout unless the call's
  // CallOptions says otherwise. The deadline covers every attempt and the
  // backoff between them, so a call never takes longer than this.
  absl::Duration default_timeout = absl::Seconds(10);

  // Total attempts of a call that fails with UNAVAILABLE, including the
  // first; 1 disables retries. No other status code is retried. Before a
  // retry the call waits, within its deadline, for the connection: a call
  // made while the server restarts goes out once it is back; one whose
  // server is not back by the deadline ends UNAVAILABLE then.
  int max_attempts = 4;

  // Backoff before attempt n+1 is initial_backoff * 2^(n-1), capped at
  // max_backoff, with jitter (a random point in its upper half).
  absl::Duration initial_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(1);

  // Transport credentials; nullptr means grpc::InsecureChannelCredentials().
  // Use TlsCredentials(...) (client/tls_credentials.h) for TLS, and mTLS
  // with a client certificate.
  std::shared_ptr<grpc::ChannelCredentials> credentials;

  // If not empty, every call carries `authorization: Bearer <token>`.
  // Printable ASCII only. Over insecure credentials the token travels in
  // clear text: use TLS anywhere but loopback.
  std::string bearer_token;
};

// CallOptions overrides ClientOptions for one call.
struct CallOptions {
  // The whole call (all attempts) must finish within this; unset means
  // ClientOptions::default_timeout. Must be positive.
  absl::optional<absl::Duration> timeout;
};

}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_CLIENT_OPTIONS_H_
