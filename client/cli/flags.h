// Every mnrec flag. Abseil flags are global, so each is defined once and
// read by the commands that need it; `mnrec --help` lists which.
#ifndef MNRECORDS_CLIENT_CLI_FLAGS_H_
#define MNRECORDS_CLIENT_CLI_FLAGS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/time/time.h"

// Global (flags_global.cc).
ABSL_DECLARE_FLAG(std::string, server);
ABSL_DECLARE_FLAG(std::string, token);
ABSL_DECLARE_FLAG(bool, tls);
ABSL_DECLARE_FLAG(std::string, ca_cert);
ABSL_DECLARE_FLAG(std::string, client_cert);
ABSL_DECLARE_FLAG(std::string, client_key);
ABSL_DECLARE_FLAG(absl::Duration, deadline);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(std::string, from_json);
ABSL_DECLARE_FLAG(std::string, request_id);
ABSL_DECLARE_FLAG(std::string, id);
ABSL_DECLARE_FLAG(int32_t, page_size);
ABSL_DECLARE_FLAG(std::string, page_token);
ABSL_DECLARE_FLAG(bool, all);
ABSL_DECLARE_FLAG(int64_t, revision);
ABSL_DECLARE_FLAG(std::string, clinic);
ABSL_DECLARE_FLAG(std::string, patient);
ABSL_DECLARE_FLAG(std::string, course);
ABSL_DECLARE_FLAG(std::string, session);
ABSL_DECLARE_FLAG(std::string, update_mask);
ABSL_DECLARE_FLAG(std::string, etag);
ABSL_DECLARE_FLAG(std::string, reason);
ABSL_DECLARE_FLAG(std::string, author);
ABSL_DECLARE_FLAG(std::string, amendment_kind);
ABSL_DECLARE_FLAG(bool, allow_clear);
ABSL_DECLARE_FLAG(std::string, status);
ABSL_DECLARE_FLAG(std::string, clinician);
ABSL_DECLARE_FLAG(std::string, notes);

// Patients, courses, sessions, photos (flags_records.cc).
ABSL_DECLARE_FLAG(std::vector<std::string>, identifier);
ABSL_DECLARE_FLAG(std::string, fitzpatrick);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(std::vector<std::string>, indication);
ABSL_DECLARE_FLAG(std::vector<std::string>, treatment_area);
ABSL_DECLARE_FLAG(int32_t, planned_sessions);
ABSL_DECLARE_FLAG(int32_t, interval_min_days);
ABSL_DECLARE_FLAG(int32_t, interval_max_days);
ABSL_DECLARE_FLAG(std::string, performed_at);
ABSL_DECLARE_FLAG(std::string, performed_after);
ABSL_DECLARE_FLAG(std::string, performed_before);
ABSL_DECLARE_FLAG(int32_t, duration);
ABSL_DECLARE_FLAG(std::string, device_model);
ABSL_DECLARE_FLAG(std::string, device_serial);
ABSL_DECLARE_FLAG(std::string, cartridge_model);
ABSL_DECLARE_FLAG(std::string, cartridge_lot);
ABSL_DECLARE_FLAG(std::string, cartridge_expiry);
ABSL_DECLARE_FLAG(int32_t, needle_count);
ABSL_DECLARE_FLAG(std::vector<std::string>, area);
ABSL_DECLARE_FLAG(std::string, numbing);
ABSL_DECLARE_FLAG(int32_t, numbing_minutes);
ABSL_DECLARE_FLAG(std::vector<std::string>, topical);
ABSL_DECLARE_FLAG(std::string, sun_exposure_48h);
ABSL_DECLARE_FLAG(std::string, skin_clean);
ABSL_DECLARE_FLAG(std::string, last_retinoid);
ABSL_DECLARE_FLAG(std::string, last_exfoliant);
ABSL_DECLARE_FLAG(std::string, last_acid);
ABSL_DECLARE_FLAG(std::string, last_isotretinoin);
ABSL_DECLARE_FLAG(std::string, erythema);
ABSL_DECLARE_FLAG(std::string, bleeding);
ABSL_DECLARE_FLAG(std::string, adverse_events);
ABSL_DECLARE_FLAG(std::vector<std::string>, adverse_event);
ABSL_DECLARE_FLAG(std::string, aftercare_instruction_set);
ABSL_DECLARE_FLAG(int64_t, aftercare_revision);
ABSL_DECLARE_FLAG(std::string, phase);
ABSL_DECLARE_FLAG(std::string, captured_at);
ABSL_DECLARE_FLAG(std::string, view);
ABSL_DECLARE_FLAG(std::string, site);
ABSL_DECLARE_FLAG(bool, identifiable);
ABSL_DECLARE_FLAG(std::string, capture_device);
ABSL_DECLARE_FLAG(std::string, storage_uri);
ABSL_DECLARE_FLAG(std::string, image_sha256);
ABSL_DECLARE_FLAG(int64_t, byte_size);
ABSL_DECLARE_FLAG(std::string, media_type);
ABSL_DECLARE_FLAG(int32_t, width);
ABSL_DECLARE_FLAG(int32_t, height);

// Instruction sets and consents (flags_consents.cc).
ABSL_DECLARE_FLAG(std::string, kind);
ABSL_DECLARE_FLAG(std::string, title);
ABSL_DECLARE_FLAG(std::vector<std::string>, item);
ABSL_DECLARE_FLAG(std::string, effective_time);
ABSL_DECLARE_FLAG(std::string, published_by);
ABSL_DECLARE_FLAG(std::string, section);
ABSL_DECLARE_FLAG(std::string, wording);
ABSL_DECLARE_FLAG(std::string, instruction_set);
ABSL_DECLARE_FLAG(int64_t, instruction_revision);
ABSL_DECLARE_FLAG(std::string, content_sha256);
ABSL_DECLARE_FLAG(std::string, decision);
ABSL_DECLARE_FLAG(std::string, signed_at);
ABSL_DECLARE_FLAG(std::string, method);
ABSL_DECLARE_FLAG(std::string, signer);
ABSL_DECLARE_FLAG(std::string, signer_name);
ABSL_DECLARE_FLAG(std::string, signer_role);
ABSL_DECLARE_FLAG(std::string, witness_name);
ABSL_DECLARE_FLAG(std::string, witness_role);
ABSL_DECLARE_FLAG(std::string, expire_time);
ABSL_DECLARE_FLAG(std::string, recorded_by);
ABSL_DECLARE_FLAG(std::string, revoke_time);
ABSL_DECLARE_FLAG(std::string, signed_after);
ABSL_DECLARE_FLAG(std::string, signed_before);

// Auditor commands (flags_audit.cc).
ABSL_DECLARE_FLAG(std::string, time);
ABSL_DECLARE_FLAG(std::string, start_time);
ABSL_DECLARE_FLAG(std::string, end_time);
ABSL_DECLARE_FLAG(std::string, principal);
ABSL_DECLARE_FLAG(std::string, resource_prefix);
ABSL_DECLARE_FLAG(std::string, action);
ABSL_DECLARE_FLAG(std::string, outcome);
ABSL_DECLARE_FLAG(bool, newest_first);
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(std::string, from);
ABSL_DECLARE_FLAG(std::string, to);
ABSL_DECLARE_FLAG(std::string, pdf);
ABSL_DECLARE_FLAG(int32_t, expiring_days);
ABSL_DECLARE_FLAG(int64_t, start_sequence);
ABSL_DECLARE_FLAG(int64_t, end_sequence);
ABSL_DECLARE_FLAG(std::string, checkpoint);
ABSL_DECLARE_FLAG(int32_t, max_problems);
ABSL_DECLARE_FLAG(std::string, checkpoint_out);

// The change feed (flags_changes.cc).
ABSL_DECLARE_FLAG(std::string, since);
ABSL_DECLARE_FLAG(bool, from_now);
ABSL_DECLARE_FLAG(std::vector<std::string>, kinds);
ABSL_DECLARE_FLAG(bool, names_only);

// Screenings (flags_screening.cc).
ABSL_DECLARE_FLAG(std::string, questionnaire);
ABSL_DECLARE_FLAG(int64_t, questionnaire_revision);
ABSL_DECLARE_FLAG(std::vector<std::string>, answer);
ABSL_DECLARE_FLAG(std::string, unlisted);
ABSL_DECLARE_FLAG(std::string, asked_at);
ABSL_DECLARE_FLAG(std::string, asked_by);

// Outcomes, photo use, sign-off, aftercare delivery (flags_outcomes.cc).
ABSL_DECLARE_FLAG(std::string, scale);
ABSL_DECLARE_FLAG(std::string, rater);
ABSL_DECLARE_FLAG(int32_t, score);
ABSL_DECLARE_FLAG(std::string, timepoint);
ABSL_DECLARE_FLAG(std::string, assessed_at);
ABSL_DECLARE_FLAG(std::string, assessed_by);
ABSL_DECLARE_FLAG(std::vector<std::string>, photo);
ABSL_DECLARE_FLAG(std::string, purpose);
ABSL_DECLARE_FLAG(std::string, released_at);
ABSL_DECLARE_FLAG(std::string, released_by);
ABSL_DECLARE_FLAG(std::string, recipient);
ABSL_DECLARE_FLAG(std::vector<std::string>, photo_use);
ABSL_DECLARE_FLAG(bool, identifiable_images);
ABSL_DECLARE_FLAG(std::string, attestation);
ABSL_DECLARE_FLAG(int64_t, attestation_revision);
ABSL_DECLARE_FLAG(bool, awaiting_my_cosign);
ABSL_DECLARE_FLAG(std::string, aftercare_delivered_at);
ABSL_DECLARE_FLAG(std::string, aftercare_delivery);
ABSL_DECLARE_FLAG(std::string, aftercare_delivered_by);

// Plugin settings (flags_settings.cc).
ABSL_DECLARE_FLAG(std::string, plugin);
ABSL_DECLARE_FLAG(std::vector<std::string>, param);
ABSL_DECLARE_FLAG(std::vector<std::string>, unset);
ABSL_DECLARE_FLAG(std::vector<std::string>, severity);

#endif  // MNRECORDS_CLIENT_CLI_FLAGS_H_
