// Flags every command or several command groups read.
#include <cstdint>
#include <string>

#include "absl/flags/flag.h"
#include "absl/time/time.h"
#include "client/cli/flags.h"

ABSL_FLAG(std::string, server, "localhost:50051",
          "[all] server address host:port (default from env MNREC_SERVER)");
ABSL_FLAG(std::string, token, "",
          "[all] bearer token sent as 'authorization: Bearer <token>' (prefer "
          "env MNREC_TOKEN: flags show up in process lists)");
ABSL_FLAG(bool, tls, false,
          "[all] connect with TLS, trusting the system's root certificates "
          "(implied by --ca_cert)");
ABSL_FLAG(std::string, ca_cert, "",
          "[all] PEM file of the CA that signed the server certificate: "
          "connect with TLS (default from env MNREC_CA_CERT)");
ABSL_FLAG(std::string, client_cert, "",
          "[all] PEM file of this client's certificate for mTLS, with "
          "--client_key (default from env MNREC_CLIENT_CERT)");
ABSL_FLAG(std::string, client_key, "",
          "[all] PEM file of this client's private key for mTLS (default "
          "from env MNREC_CLIENT_KEY)");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(10),
          "[all] deadline of each call, retries included, e.g. 10s, 500ms");
ABSL_FLAG(bool, json, false,
          "[all] print responses in the protobuf JSON mapping");
ABSL_FLAG(std::string, from_json, "",
          "[create/log/add/publish/record/amend] JSON file with the request or "
          "the resource; flags given on the command line override it");
ABSL_FLAG(std::string, request_id, "",
          "[writes] idempotency key; default a fresh UUIDv4. Reuse it to "
          "retry a write that timed out");
ABSL_FLAG(std::string, id, "",
          "[create/log/add/publish/record] id of the new resource "
          "(default: server-generated; required for instructions publish)");
ABSL_FLAG(int32_t, page_size, 0, "[list] page size (0 = server default)");
ABSL_FLAG(std::string, page_token, "", "[list] page to start from");
ABSL_FLAG(bool, all, false, "[list] read every page");
ABSL_FLAG(int64_t, revision, 0, "[get] revision to read (0 = current)");
ABSL_FLAG(std::string, clinic, "",
          "[most] clinic id, or name clinics/{clinic}");
ABSL_FLAG(std::string, patient, "",
          "[course/session/photo/consent/changes] patient id (with "
          "--clinic), a full name, or '-' for all patients in lists");
ABSL_FLAG(std::string, course, "",
          "[course/session/photo] course id (with --clinic --patient), a full "
          "name, or '-' in lists");
ABSL_FLAG(std::string, session, "",
          "[session/photo] session id (with --clinic --patient --course), a "
          "full name, or '-' in lists");
ABSL_FLAG(std::string, update_mask, "",
          "[amend] comma-separated fields to replace, e.g. notes,status");
ABSL_FLAG(std::string, etag, "",
          "[amend, consent revoke] etag of the revision being changed");
ABSL_FLAG(std::string, reason, "", "[amend, consent revoke] why");
ABSL_FLAG(std::string, author, "",
          "[amend, consent revoke] the person responsible");
ABSL_FLAG(std::string, amendment_kind, "",
          "[amend] required: correction | addendum | entered_in_error");
ABSL_FLAG(bool, allow_clear, false,
          "[amend] allow update_mask fields without a new value (clears them)");
ABSL_FLAG(std::string, status, "",
          "[course create/amend/list] planned|active|on_hold|completed|"
          "cancelled|entered_in_error; [session log/amend] in_progress|"
          "completed|stopped|entered_in_error");
ABSL_FLAG(std::string, clinician, "",
          "[course create/amend/list] responsible clinician; [session "
          "log/amend/list] clinician");
ABSL_FLAG(std::string, notes, "", "[course, session, photo] free-text notes");
