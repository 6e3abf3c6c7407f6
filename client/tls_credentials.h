// Channel credentials for TLS and mTLS from PEM files, for
// ClientOptions::credentials.
#ifndef MNRECORDS_CLIENT_TLS_CREDENTIALS_H_
#define MNRECORDS_CLIENT_TLS_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/credentials.h"

namespace mnrecords {

// TlsFiles names the PEM files of a TLS connection. Empty ca_cert_file
// trusts the system's root certificates; client_cert_file and
// client_key_file (both or neither) present a client certificate (mTLS).
struct TlsFiles {
  std::string ca_cert_file;
  std::string client_cert_file;
  std::string client_key_file;
};

// TlsCredentials reads the files and returns TLS channel credentials.
// NOT_FOUND naming the file that cannot be read; INVALID_ARGUMENT when only
// one of client_cert_file and client_key_file is given.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> TlsCredentials(
    const TlsFiles& files);

}  // namespace mnrecords

#endif  // MNRECORDS_CLIENT_TLS_CREDENTIALS_H_
