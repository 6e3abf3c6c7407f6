// Flags of the outcome, photo-use, sign-off and aftercare-delivery commands.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "client/cli/flags.h"

ABSL_FLAG(
    std::string, scale, "",
    "[outcome record] gais|patient_satisfaction|goodman_baron_qualitative");
ABSL_FLAG(std::string, rater, "", "[outcome record] clinician|patient");
ABSL_FLAG(int32_t, score, 0,
          "[outcome record] the score: GAIS and satisfaction 1..5, Goodman "
          "and Baron 1..4");
ABSL_FLAG(std::string, timepoint, "",
          "[outcome record] baseline|during_course|follow_up");
ABSL_FLAG(std::string, assessed_at, "",
          "[outcome record] RFC 3339: when it was rated");
ABSL_FLAG(std::string, assessed_by, "",
          "[outcome record] the clinician who rated, or who recorded the "
          "patient's rating");
ABSL_FLAG(std::vector<std::string>, photo, {},
          "[outcome record] a photo it was judged on: its name, or "
          "SESSION_ID/PHOTO_ID in --course; repeatable");
ABSL_FLAG(std::string, purpose, "",
          "[photo release] clinical_record|internal_teaching|"
          "external_publication");
ABSL_FLAG(std::string, released_at, "",
          "[photo release] RFC 3339: when it was used (default now)");
ABSL_FLAG(std::string, released_by, "", "[photo release] who released it");
ABSL_FLAG(std::string, recipient, "",
          "[photo release] who received it or where it appears");
ABSL_FLAG(std::vector<std::string>, photo_use, {},
          "[consent record] a use a PHOTOGRAPHY consent decides on: "
          "clinical_record|internal_teaching|external_publication; "
          "repeatable (none: clinical_record alone)");
ABSL_FLAG(bool, identifiable_images, false,
          "[consent record] PHOTOGRAPHY: identifiable images may be released "
          "for the granted uses beyond the clinical record");
ABSL_FLAG(std::string, attestation, "",
          "[session sign] the ATTESTATION text's id (with --clinic) or name");
ABSL_FLAG(int64_t, attestation_revision, 0,
          "[session sign] the attestation revision attested");
ABSL_FLAG(bool, awaiting_my_cosign, false,
          "[session unsigned] only sessions awaiting the caller's "
          "co-signature");
ABSL_FLAG(std::string, aftercare_delivered_at, "",
          "[session log|amend] RFC 3339: when the aftercare text was handed "
          "over");
ABSL_FLAG(std::string, aftercare_delivery, "",
          "[session log|amend] how: printed|email|patient_app|"
          "verbal_with_written_copy");
ABSL_FLAG(std::string, aftercare_delivered_by, "",
          "[session log|amend] who handed it over");
