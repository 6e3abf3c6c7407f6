// Flags of the instructions and consent commands.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "client/cli/flags.h"

// Instruction sets.
ABSL_FLAG(std::string, kind, "",
          "[instructions publish/list, consent list] preparation|aftercare|"
          "procedure|photography");
ABSL_FLAG(std::string, title, "", "[instructions publish] title");
ABSL_FLAG(std::vector<std::string>, item, {},
          "[instructions publish] one instruction item; repeatable, in order");
ABSL_FLAG(std::string, effective_time, "",
          "[instructions publish] RFC 3339 (default: publish time)");
ABSL_FLAG(std::string, published_by, "",
          "[instructions publish/complete] who publishes it");
ABSL_FLAG(std::string, section, "",
          "[instructions complete] the section to word, e.g. Risks");
ABSL_FLAG(std::string, wording, "",
          "[instructions complete] the clinic's text for --section");

// Consents.
ABSL_FLAG(std::string, instruction_set, "",
          "[consent record, instructions get/revisions] instruction set id "
          "(with --clinic) or name");
ABSL_FLAG(int64_t, instruction_revision, 0,
          "[consent record] revision consented to");
ABSL_FLAG(std::string, content_sha256, "",
          "[consent record] SHA-256 of the text the patient saw (optional; "
          "the server rejects a mismatch)");
ABSL_FLAG(std::string, decision, "", "[consent record] granted|refused");
ABSL_FLAG(std::string, signed_at, "", "[consent record] RFC 3339");
ABSL_FLAG(std::string, method, "",
          "[consent record] electronic_signature|scanned_signature|"
          "verbal_with_witness");
ABSL_FLAG(std::string, signer, "", "[consent record] patient|representative");
ABSL_FLAG(std::string, signer_name, "", "[consent record] signer's name");
ABSL_FLAG(std::string, signer_role, "",
          "[consent record] representative's role, e.g. legal guardian");
ABSL_FLAG(std::string, witness_name, "", "[consent record] witness name");
ABSL_FLAG(std::string, witness_role, "", "[consent record] witness role");
ABSL_FLAG(std::string, expire_time, "", "[consent record] RFC 3339, optional");
ABSL_FLAG(std::string, recorded_by, "", "[consent record] who records it");
ABSL_FLAG(std::string, revoke_time, "",
          "[consent revoke] RFC 3339 (default: now)");
ABSL_FLAG(std::string, signed_after, "", "[consent list] RFC 3339, inclusive");
ABSL_FLAG(std::string, signed_before, "", "[consent list] RFC 3339, exclusive");
