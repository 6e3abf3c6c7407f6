// The microneedling treatment protocol as checks. Each rule reports a
// finding with a stable code (README "Plugins" lists them); the severity is
// the plugin host's business (defaults in ProtocolCodes()).
#ifndef MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_RULES_H_
#define MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_RULES_H_

#include <vector>

#include "plugins/api/plugin.h"
#include "plugins/microneedling_protocol/protocol_settings.h"

namespace mnrecords::plugins::microneedling_protocol {

inline constexpr char kCourseLength[] = "MNP-COURSE-LENGTH";
inline constexpr char kCourseInterval[] = "MNP-COURSE-INTERVAL";
inline constexpr char kSessionTooEarly[] = "MNP-SESSION-TOO-EARLY";
inline constexpr char kSessionOverdue[] = "MNP-SESSION-OVERDUE";
inline constexpr char kSessionBeyondPlan[] = "MNP-SESSION-BEYOND-PLAN";
inline constexpr char kSessionDuration[] = "MNP-SESSION-DURATION";
inline constexpr char kPrepSun[] = "MNP-PREP-SUN-EXPOSURE";
inline constexpr char kPrepTopicals[] = "MNP-PREP-TOPICALS";
inline constexpr char kPrepIsotretinoin[] = "MNP-PREP-ISOTRETINOIN";
inline constexpr char kPrepSkinNotClean[] = "MNP-PREP-SKIN-NOT-CLEAN";
inline constexpr char kConsentMissing[] = "MNP-CONSENT-MISSING";
inline constexpr char kAftercareNotHandedOut[] = "MNP-AFTERCARE-NOT-HANDED-OUT";
inline constexpr char kAftercareNotDelivered[] = "MNP-AFTERCARE-NOT-DELIVERED";
inline constexpr char kNeedleDepth[] = "MNP-NEEDLE-DEPTH";
inline constexpr char kCartridgeLotExpired[] = "MNP-CARTRIDGE-LOT-EXPIRED";
inline constexpr char kCartridgeLotExpiring[] = "MNP-CARTRIDGE-LOT-EXPIRING";
inline constexpr char kPhotoConsentMissing[] = "MNP-PHOTO-CONSENT-MISSING";
inline constexpr char kScreeningMissing[] = "MNP-SCREENING-MISSING";
inline constexpr char kScreeningExpired[] = "MNP-SCREENING-EXPIRED";
inline constexpr char kContraindicationAbsolute[] =
    "MNP-CONTRAINDICATION-ABSOLUTE";
inline constexpr char kContraindicationRelative[] =
    "MNP-CONTRAINDICATION-RELATIVE";

// ProtocolCodes: every code above with its default severity.
std::vector<FindingCode> ProtocolCodes();

// CheckCourse: planned session count or interval outside the clinic's
// ranges (the protocol's 3-6 sessions, 28-42 days by default).
std::vector<PluginFinding> CheckCourse(const CourseView& view,
                                       const Settings& settings);

// CheckSession: interval to the previous session outside the course's
// planned interval (every course plans one; the course summary's window
// uses the same), beyond the planned count, the procedure's duration outside
// the clinic's range, the prep check-in, consents in force
// at performed_at, aftercare handed out, needle depth per area, the
// cartridge lot expired at performed_at or expiring within the clinic's
// warning window after it, and the contraindication screening in force at
// performed_at (missing, older than the clinic's validity, or a "yes" to a
// question the questionnaire classes as an absolute or relative
// contraindication).
std::vector<PluginFinding> CheckSession(const SessionView& view,
                                        const Settings& settings);

// CheckPhoto: a granted PHOTOGRAPHY consent in force at captured_at.
std::vector<PluginFinding> CheckPhoto(const PhotoView& view);

}  // namespace mnrecords::plugins::microneedling_protocol

#endif  // MNRECORDS_PLUGINS_MICRONEEDLING_PROTOCOL_PROTOCOL_RULES_H_
