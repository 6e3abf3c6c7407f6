#include "plugins/microneedling_protocol/protocol_rules.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/time_util.h"

namespace mnrecords::plugins::microneedling_protocol {
namespace {

std::string Day(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone());
}

std::string Stamp(absl::Time t) {
  return absl::FormatTime(t, absl::UTCTimeZone());
}

std::string DaysText(absl::Duration d) {
  return absl::StrFormat("%.1f days", absl::ToDoubleHours(d) / 24);
}

// SixMonthsBefore: the same calendar moment six months earlier (UTC; a day
// that does not exist, like 31 February, rolls over into March).
absl::Time MonthsBefore(absl::Time t, int months) {
  const absl::CivilSecond c = absl::ToCivilSecond(t, absl::UTCTimeZone());
  const absl::CivilSecond earlier(c.year(), c.month() - months, c.day(),
                                  c.hour(), c.minute(), c.second());
  return absl::FromCivil(earlier, absl::UTCTimeZone()) +
         (t - absl::FromCivil(c, absl::UTCTimeZone()));  // keep sub-seconds
}

// CheckInterval: the gap from the session before lies within the course's
// planned interval (planned_interval_min_days..max_days, the window the
// course summary shows), and the session after (one logged out of order,
// or at the same moment by another client) is at least the planned minimum
// later — whichever of two close sessions is stored second carries the
// finding.
void CheckInterval(const SessionView& v, absl::Time at,
                   std::vector<PluginFinding>& out) {
  const int min_days = v.course.planned_interval_min_days();
  const int max_days = v.course.planned_interval_max_days();
  if (v.other_sessions.previous != nullptr) {
    const absl::Time previous =
        FromProtoTime(v.other_sessions.previous->performed_at());
    const absl::Duration gap = at - previous;
    if (gap < absl::Hours(24) * min_days) {
      out.push_back({kSessionTooEarly,
                     absl::StrCat("session on ", Day(at), " is ", DaysText(gap),
                                  " after the previous one (", Day(previous),
                                  "); the course plans at least ", min_days,
                                  " days between sessions")});
    } else if (gap > absl::Hours(24) * max_days) {
      out.push_back({kSessionOverdue,
                     absl::StrCat("session on ", Day(at), " is ", DaysText(gap),
                                  " after the previous one (", Day(previous),
                                  "); the course plans at most ", max_days,
                                  " days between sessions")});
    }
  }
  if (v.other_sessions.next != nullptr) {
    const absl::Time next =
        FromProtoTime(v.other_sessions.next->performed_at());
    const absl::Duration gap = next - at;
    if (gap < absl::Hours(24) * min_days) {
      out.push_back({kSessionTooEarly,
                     absl::StrCat("session on ", Day(at), " is ", DaysText(gap),
                                  " before the next one (", Day(next),
                                  "); the course plans at least ", min_days,
                                  " days between sessions")});
    }
  }
}

void CheckPrep(const SessionView& v, absl::Time at, const Settings& settings,
               std::vector<PluginFinding>& out) {
  const v1::PrepCheckIn& prep = v.session.prep_check_in();
  if (prep.sun_exposure_last_48h() == v1::PrepCheckIn::ANSWER_YES) {
    out.push_back(
        {kPrepSun, "sun exposure in the 48 hours before the session"});
  }
  const absl::Duration stop = absl::Hours(24 * settings.prep_stop_days);
  const struct {
    const char* what;
    bool has;
    const google::protobuf::Timestamp& last;
  } topicals[] = {
      {"retinoids", prep.has_last_retinoid_use_time(),
       prep.last_retinoid_use_time()},
      {"exfoliants", prep.has_last_exfoliant_use_time(),
       prep.last_exfoliant_use_time()},
      {"acids", prep.has_last_acid_use_time(), prep.last_acid_use_time()},
  };
  for (const auto& t : topicals) {
    if (!t.has) continue;
    const absl::Time last = FromProtoTime(t.last);
    if (at - last < stop) {
      out.push_back({kPrepTopicals,
                     absl::StrCat(t.what, " last used ", Stamp(last), ", ",
                                  DaysText(at - last),
                                  " before the session; the clinic asks for ",
                                  settings.prep_stop_days, " days")});
    }
  }
  if (prep.has_last_isotretinoin_use_time()) {
    const absl::Time last = FromProtoTime(prep.last_isotretinoin_use_time());
    if (last > MonthsBefore(at, settings.isotretinoin_months)) {
      out.push_back({kPrepIsotretinoin,
                     absl::StrCat("isotretinoin last used ", Day(last),
                                  ", within ", settings.isotretinoin_months,
                                  " months before the session")});
    }
  }
  if (prep.skin_clean() == v1::PrepCheckIn::ANSWER_NO) {
    out.push_back({kPrepSkinNotClean, "skin was not clean at check-in"});
  }
}

// CheckDuration compares the procedure's own length with the clinic's
// range: duration_minutes, less the numbing contact time when the clinic
// records durations including it.
void CheckDuration(const v1::TreatmentSession& s, const Settings& settings,
                   std::vector<PluginFinding>& out) {
  if (s.duration_minutes() <= 0) return;
  const IntRange range = settings.session_duration_minutes;
  int procedure = s.duration_minutes();
  std::string numbing;
  if (settings.duration_includes_numbing && s.numbing().contact_minutes() > 0) {
    procedure -= s.numbing().contact_minutes();
    numbing = absl::StrCat(" (", s.duration_minutes(), " recorded less ",
                           s.numbing().contact_minutes(), " of numbing)");
  }
  if (procedure < range.min || procedure > range.max) {
    out.push_back({kSessionDuration,
                   absl::StrCat("procedure lasted ", procedure, " minutes",
                                numbing, "; the clinic's protocol plans ",
                                range.min, "-", range.max)});
  }
}

void CheckConsents(const SessionView& v, absl::Time at,
                   std::vector<PluginFinding>& out) {
  for (v1::InstructionKind kind :
       {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
        v1::INSTRUCTION_KIND_AFTERCARE}) {
    if (v.consents.For(kind).coverage() == v1::CONSENT_COVERAGE_GRANTED)
      continue;
    out.push_back(
        {kConsentMissing, absl::StrCat("no granted ",
                                       v1::InstructionKind_Name(kind).substr(
                                           17),  // "INSTRUCTION_KIND_"
                                       " consent in force at ", Stamp(at))});
  }
}

// CheckScreening judges the session against the screening in force at its
// performed_at: one must exist, be recent enough, and each "yes" is
// reported as the questionnaire classes its question.
void CheckScreening(const SessionView& v, absl::Time at,
                    const Settings& settings, std::vector<PluginFinding>& out) {
  if (v.screening == nullptr || v.screening->screening == nullptr ||
      v.screening->questionnaire == nullptr) {
    out.push_back({kScreeningMissing,
                   absl::StrCat("no contraindication screening of the patient "
                                "at or before ",
                                Stamp(at),
                                "; ask the clinic's screening questions "
                                "before treating")});
    return;
  }
  const v1::Screening& s = *v.screening->screening;
  const absl::Time asked = FromProtoTime(s.asked_at());
  if (at - asked > absl::Hours(24) * settings.screening_valid_days) {
    out.push_back(
        {kScreeningExpired,
         absl::StrCat("the latest screening was asked ", Day(asked), " by ",
                      s.asked_by(), ", ", DaysText(at - asked),
                      " before the session; the clinic asks again after ",
                      settings.screening_valid_days, " days")});
  }
  for (const v1::ScreeningAnswer& answer : s.answers()) {
    if (answer.answer() != v1::ScreeningAnswer::ANSWER_YES) continue;
    for (const v1::InstructionItem& q : v.screening->questionnaire->items()) {
      if (q.question_code() != answer.question_code()) continue;
      const bool absolute =
          q.contraindication() == v1::CONTRAINDICATION_ABSOLUTE;
      std::string details;
      if (!answer.details().empty()) {
        details = absl::StrCat(" (", answer.details(), ")");
      }
      out.push_back(
          {absolute ? kContraindicationAbsolute : kContraindicationRelative,
           absl::StrCat("the patient answered yes to \"", q.text(), "\"",
                        details, " in the screening of ", Day(asked), ": ",
                        absolute ? "an absolute contraindication to "
                                   "microneedling; do not treat"
                                 : "a relative contraindication; weigh it "
                                   "before treating")});
    }
  }
}

void CheckEquipment(const SessionView& v, absl::Time at,
                    const Settings& settings, std::vector<PluginFinding>& out) {
  for (int i = 0; i < v.session.treated_areas_size(); ++i) {
    const v1::TreatedArea& a = v.session.treated_areas(i);
    auto range = settings.depth_ranges.find(a.site().area());
    if (range == settings.depth_ranges.end()) continue;
    if (a.needle_depth_mm() < range->second.min_mm ||
        a.needle_depth_mm() > range->second.max_mm) {
      out.push_back(
          {kNeedleDepth,
           absl::StrCat(
               "treated_areas[", i, "]: ", v1::BodyArea_Name(a.site().area()),
               " at ", a.needle_depth_mm(), " mm is outside the clinic's ",
               range->second.min_mm, "-", range->second.max_mm, " mm")});
    }
  }
  const v1::NeedleCartridge& c = v.session.cartridge();
  if (!c.has_lot_expiry_time()) return;
  const absl::Time expiry = FromProtoTime(c.lot_expiry_time());
  if (expiry <= at) {
    out.push_back(
        {kCartridgeLotExpired,
         absl::StrCat("cartridge lot ", c.lot(), " expired ", Stamp(expiry),
                      ", before the session at ", Stamp(at),
                      "; use a cartridge of a valid lot")});
  } else if (expiry - at <=
             absl::Hours(24) * settings.lot_expiry_warning_days) {
    out.push_back(
        {kCartridgeLotExpiring,
         absl::StrCat("cartridge lot ", c.lot(), " expires ", Stamp(expiry),
                      ", ", DaysText(expiry - at),
                      " after the session; the clinic warns ",
                      settings.lot_expiry_warning_days, " days ahead")});
  }
}

}  // namespace

std::vector<FindingCode> ProtocolCodes() {
  return {
      {kCourseLength, Severity::kWarn,
       "course planned with a session count outside the clinic's "
       "planned_sessions (3-6 by default)"},
      {kCourseInterval, Severity::kWarn,
       "course planned with an interval outside the clinic's "
       "session_interval_days (28-42 by default)"},
      {kSessionTooEarly, Severity::kWarn,
       "session closer to the previous or next one than the course's planned "
       "minimum interval"},
      {kSessionOverdue, Severity::kInfo,
       "session later after the previous one than the course's planned "
       "maximum interval"},
      {kSessionBeyondPlan, Severity::kWarn,
       "more sessions than the course planned"},
      {kSessionDuration, Severity::kInfo,
       "procedure duration outside the clinic's session_duration_minutes "
       "(30-60 by default)"},
      {kPrepSun, Severity::kWarn,
       "sun exposure in the 48 h before the session"},
      {kPrepTopicals, Severity::kWarn,
       "retinoids, exfoliants or acids used fewer than N days before"},
      {kPrepIsotretinoin, Severity::kWarn,
       "isotretinoin within the clinic's isotretinoin_months (6 by default)"},
      {kPrepSkinNotClean, Severity::kWarn, "skin not clean at check-in"},
      {kConsentMissing, Severity::kBlock,
       "no PROCEDURE, PREPARATION or AFTERCARE consent in force"},
      {kAftercareNotHandedOut, Severity::kWarn,
       "no AFTERCARE instruction revision handed out"},
      {kAftercareNotDelivered, Severity::kWarn,
       "a completed session whose aftercare text was never recorded as "
       "delivered (printed, e-mail, patient app, verbal with written copy)"},
      {kNeedleDepth, Severity::kWarn,
       "needle depth outside the clinic's range for the area"},
      {kCartridgeLotExpired, Severity::kBlock,
       "cartridge lot expired at the session's time"},
      {kCartridgeLotExpiring, Severity::kWarn,
       "cartridge lot expires within the clinic's warning window"},
      {kPhotoConsentMissing, Severity::kBlock,
       "photo without a PHOTOGRAPHY consent in force"},
      {kScreeningMissing, Severity::kWarn,
       "no contraindication screening of the patient before the session"},
      {kScreeningExpired, Severity::kWarn,
       "the latest screening is older than the clinic's "
       "screening_valid_days"},
      {kContraindicationAbsolute, Severity::kBlock,
       "a yes to a question the questionnaire classes as an absolute "
       "contraindication"},
      {kContraindicationRelative, Severity::kWarn,
       "a yes to a question the questionnaire classes as a relative "
       "contraindication"},
  };
}

std::vector<PluginFinding> CheckCourse(const CourseView& view,
                                       const Settings& settings) {
  std::vector<PluginFinding> out;
  const int planned = view.course.planned_session_count();
  const IntRange sessions = settings.planned_sessions;
  if (planned < sessions.min || planned > sessions.max) {
    out.push_back(
        {kCourseLength, absl::StrCat("course plans ", planned,
                                     " sessions; the clinic's protocol plans ",
                                     sessions.min, " to ", sessions.max)});
  }
  const IntRange interval = settings.session_interval_days;
  const int min_days = view.course.planned_interval_min_days();
  const int max_days = view.course.planned_interval_max_days();
  if (min_days < interval.min || max_days > interval.max) {
    out.push_back({kCourseInterval,
                   absl::StrCat("course plans ", min_days, "-", max_days,
                                " days between sessions; the clinic's "
                                "protocol plans ",
                                interval.min, "-", interval.max, " days")});
  }
  return out;
}

std::vector<PluginFinding> CheckSession(const SessionView& view,
                                        const Settings& settings) {
  std::vector<PluginFinding> out;
  const v1::TreatmentSession& s = view.session;
  const absl::Time at = FromProtoTime(s.performed_at());
  CheckInterval(view, at, out);
  const int number = view.other_sessions.other_count + 1;
  if (number > view.course.planned_session_count()) {
    out.push_back({kSessionBeyondPlan,
                   absl::StrCat("session ", number, " of a course planned for ",
                                view.course.planned_session_count())});
  }
  CheckDuration(s, settings, out);
  CheckPrep(view, at, settings, out);
  CheckConsents(view, at, out);
  if (!s.has_aftercare_instructions()) {
    out.push_back({kAftercareNotHandedOut,
                   "no AFTERCARE instruction revision recorded as handed out"});
  } else if (s.status() == v1::SESSION_STATUS_COMPLETED &&
             !s.has_aftercare_delivery()) {
    out.push_back({kAftercareNotDelivered,
                   "the aftercare instructions were not recorded as delivered "
                   "to the patient (amend the session's aftercare_delivery "
                   "once they are)"});
  }
  CheckEquipment(view, at, settings, out);
  CheckScreening(view, at, settings, out);
  return out;
}

std::vector<PluginFinding> CheckPhoto(const PhotoView& view) {
  const absl::Time at = FromProtoTime(view.photo.captured_at());
  if (view.consents.For(v1::INSTRUCTION_KIND_PHOTOGRAPHY).coverage() ==
      v1::CONSENT_COVERAGE_GRANTED) {
    return {};
  }
  return {
      {kPhotoConsentMissing,
       absl::StrCat("no granted PHOTOGRAPHY consent in force at ", Stamp(at))}};
}

}  // namespace mnrecords::plugins::microneedling_protocol
