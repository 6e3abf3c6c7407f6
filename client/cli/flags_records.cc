// Flags of the patient, course, session and photo commands.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "client/cli/flags.h"

// Patients.
ABSL_FLAG(std::vector<std::string>, identifier, {},
          "[patient create/amend/list] system|value, e.g. urn:mrn|12345; "
          "repeatable (list: one, as a filter)");
ABSL_FLAG(std::string, fitzpatrick, "",
          "[patient create/amend] Fitzpatrick skin type I..VI");

// Courses.
ABSL_FLAG(std::vector<std::string>, indication, {},
          "[course create/amend] fine_lines_wrinkles|acne_scars|"
          "surgical_scars|texture_pores|stretch_marks|hyperpigmentation; "
          "repeatable");
ABSL_FLAG(std::vector<std::string>, treatment_area, {},
          "[course create/amend] AREA[:LATERALITY[:description]], e.g. "
          "cheek:bilateral; repeatable");
ABSL_FLAG(int32_t, planned_sessions, 0,
          "[course create/amend] planned number of sessions");
ABSL_FLAG(int32_t, interval_min_days, 0,
          "[course create/amend] planned days between sessions, minimum");
ABSL_FLAG(int32_t, interval_max_days, 0,
          "[course create/amend] planned days between sessions, maximum");

// Sessions.
ABSL_FLAG(std::string, performed_at, "",
          "[session log/amend] RFC 3339 time, e.g. 2024-05-01T10:00:00Z");
ABSL_FLAG(std::string, performed_after, "",
          "[session list] RFC 3339, inclusive");
ABSL_FLAG(std::string, performed_before, "",
          "[session list] RFC 3339, exclusive");
ABSL_FLAG(int32_t, duration, 0, "[session log/amend] duration in minutes");
ABSL_FLAG(std::string, device_model, "", "[session log/amend] device model");
ABSL_FLAG(std::string, device_serial, "",
          "[session log/amend] device serial number; [session list] only "
          "sessions with this device");
ABSL_FLAG(std::string, cartridge_model, "",
          "[session log/amend] needle cartridge model; [session list] only "
          "sessions with this model");
ABSL_FLAG(std::string, cartridge_lot, "",
          "[session log/amend] cartridge lot; [session list] only sessions "
          "with this lot (a recall)");
ABSL_FLAG(std::string, cartridge_expiry, "",
          "[session log/amend] cartridge lot expiry, RFC 3339");
ABSL_FLAG(int32_t, needle_count, 0,
          "[session log/amend] needles per cartridge");
ABSL_FLAG(std::vector<std::string>, area, {},
          "[session log/amend] AREA:LATERALITY:DEPTH_MM:PASSES[:description], "
          "e.g. cheek:left:1.5:3; repeatable");
ABSL_FLAG(std::string, numbing, "", "[session log/amend] numbing product");
ABSL_FLAG(int32_t, numbing_minutes, 0,
          "[session log/amend] numbing contact minutes");
ABSL_FLAG(std::vector<std::string>, topical, {},
          "[session log/amend] topical applied; repeatable");
ABSL_FLAG(std::string, sun_exposure_48h, "",
          "[session log/amend] sun exposure in the last 48 h: yes|no");
ABSL_FLAG(std::string, skin_clean, "",
          "[session log/amend] skin clean at check-in: yes|no");
ABSL_FLAG(std::string, last_retinoid, "",
          "[session log/amend] last retinoid use, RFC 3339");
ABSL_FLAG(std::string, last_exfoliant, "",
          "[session log/amend] last exfoliant use, RFC 3339");
ABSL_FLAG(std::string, last_acid, "",
          "[session log/amend] last acid use, RFC 3339");
ABSL_FLAG(std::string, last_isotretinoin, "",
          "[session log/amend] last isotretinoin use, RFC 3339");
ABSL_FLAG(std::string, erythema, "",
          "[session log/amend] none|mild|moderate|severe");
ABSL_FLAG(std::string, bleeding, "",
          "[session log/amend] pinpoint bleeding none|minimal|moderate|heavy");
ABSL_FLAG(std::string, adverse_events, "",
          "[session log/amend] assessment: none|present");
ABSL_FLAG(std::vector<std::string>, adverse_event, {},
          "[session log/amend] SEVERITY:description, e.g. mild:petechiae; "
          "repeatable; implies --adverse_events=present");
ABSL_FLAG(std::string, aftercare_instruction_set, "",
          "[session log/amend] AFTERCARE instruction set id or name");
ABSL_FLAG(
    int64_t, aftercare_revision, 0,
    "[session log/amend] revision of --aftercare_instruction_set handed out");

// Photos.
ABSL_FLAG(std::string, phase, "",
          "[photo add, photo list] baseline|immediate_post|follow_up");
ABSL_FLAG(std::string, captured_at, "", "[photo add] RFC 3339");
ABSL_FLAG(std::string, view, "",
          "[photo add] frontal|left_45|right_45|left_90|right_90|other");
ABSL_FLAG(std::string, site, "", "[photo add] AREA[:LATERALITY[:description]]");
ABSL_FLAG(bool, identifiable, false,
          "[photo add] the face or another identifying feature shows");
ABSL_FLAG(std::string, capture_device, "", "[photo add] camera");
ABSL_FLAG(std::string, storage_uri, "",
          "[photo add] absolute URI where the image lives");
ABSL_FLAG(std::string, image_sha256, "",
          "[photo add] lower-case hex SHA-256 of the image");
ABSL_FLAG(int64_t, byte_size, 0, "[photo add] image size in bytes");
ABSL_FLAG(std::string, media_type, "", "[photo add] e.g. image/jpeg");
ABSL_FLAG(int32_t, width, 0, "[photo add] width in pixels");
ABSL_FLAG(int32_t, height, 0, "[photo add] height in pixels");
ABSL_FLAG(std::string, out, "",
          "[export fhir, audit export] write the export to this file instead "
          "of stdout");
