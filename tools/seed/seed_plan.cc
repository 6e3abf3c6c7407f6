#include "tools/seed/seed_plan.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mnrecords::seed {
namespace {

constexpr int64_t kSessionsPerClinic = 50000;
constexpr int kMaxMonths = 60;

// Rng is SplitMix64: tiny, fast and the same on every platform (std's
// distributions are not), so a seed always builds the same database.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo +
           static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(int percent) { return Between(0, 99) < percent; }

 private:
  uint64_t state_;
};

// A time of day within clinic hours (08:00-17:59, whole minutes).
absl::Duration ClinicHours(Rng& rng) {
  return absl::Hours(rng.Between(8, 17)) + absl::Minutes(rng.Between(0, 59));
}

absl::Time Day(absl::Time t) {
  const absl::CivilDay day = absl::ToCivilDay(t, absl::UTCTimeZone());
  return absl::FromCivil(day, absl::UTCTimeZone());
}

}  // namespace

absl::StatusOr<SeedLayout> ResolveLayout(const SeedOptions& options) {
  if (options.sessions < 1 || options.sessions > 100000000) {
    return absl::InvalidArgumentError("--sessions: must be 1..100000000");
  }
  if (options.clinics < 0 || options.clinics > 999) {
    return absl::InvalidArgumentError("--clinics: must be 0 (auto)..999");
  }
  if (options.sessions_per_clinic_month < 1) {
    return absl::InvalidArgumentError(
        "--sessions_per_clinic_month: must be at least 1");
  }
  SeedLayout layout;
  layout.options = options;
  if (layout.options.clinics == 0) {
    layout.options.clinics = static_cast<int>(std::max<int64_t>(
        1, (options.sessions + kSessionsPerClinic / 2) / kSessionsPerClinic));
  }
  const int64_t per_month =
      int64_t{layout.options.clinics} * options.sessions_per_clinic_month;
  layout.months = static_cast<int>(std::clamp<int64_t>(
      (options.sessions + per_month - 1) / per_month, 1, kMaxMonths));
  layout.window_start =
      absl::FromCivil(absl::CivilDay(2021, 1, 4), absl::UTCTimeZone());
  const absl::Time window_end =
      layout.window_start + absl::Hours(24 * 30 * layout.months);
  layout.reissue_time =
      layout.window_start + (window_end - layout.window_start) / 2;
  // Room after the window for the longest patient history (two courses of
  // six sessions 42 days apart, 180 days between them, revocation).
  layout.import_time = Day(window_end) + absl::Hours(24 * 700);
  return layout;
}

int64_t PatientPlan::session_count() const {
  int64_t n = 0;
  for (const CoursePlan& c : courses) n += c.sessions.size();
  return n;
}

std::string ClinicId(int i) { return absl::StrFormat("clinic-%02d", i + 1); }

std::string PatientName(const PatientPlan& p) {
  return absl::StrCat("clinics/", p.clinic, "/patients/", p.id);
}

std::string CourseName(const PatientPlan& p, const CoursePlan& c) {
  return absl::StrCat(PatientName(p), "/courses/", c.id);
}

std::string SessionName(const PatientPlan& p, const CoursePlan& c, int i) {
  return absl::StrCat(CourseName(p, c), "/sessions/s", i + 1);
}

bool PlanGenerator::Next(PatientPlan* p) {
  if (sessions_left() <= 0) return false;
  const int64_t index = next_index_++;
  Rng rng(layout_.options.seed * 0x100000001B3ull +
          static_cast<uint64_t>(index));
  *p = PatientPlan();
  p->index = index;
  p->clinic = ClinicId(static_cast<int>(index % layout_.options.clinics));
  p->id = absl::StrFormat("p%07d", index + 1);
  p->fitzpatrick = static_cast<int>(rng.Between(1, 6));
  const int64_t window_days = int64_t{30} * layout_.months;
  const absl::Time first_day =
      layout_.window_start + absl::Hours(24 * rng.Between(0, window_days - 1));
  p->consent_time =
      first_day - absl::Hours(24 * rng.Between(1, 14)) + ClinicHours(rng);
  p->photo_consent = rng.Chance(70);
  const int courses = rng.Chance(10) ? 2 : 1;
  absl::Time day = first_day;
  for (int k = 0; k < courses && sessions_left() > 0; ++k) {
    CoursePlan course;
    course.id = absl::StrCat("k", k + 1);
    course.planned_sessions = static_cast<int>(rng.Between(3, 6));
    const int64_t n =
        std::min<int64_t>(course.planned_sessions, sessions_left());
    if (k == 1) {
      day += absl::Hours(24 * rng.Between(60, 180));
      p->reconsent_time =
          day - absl::Hours(24 * rng.Between(1, 7)) + ClinicHours(rng);
    }
    for (int64_t i = 0; i < n; ++i) {
      if (i > 0) day += absl::Hours(24 * rng.Between(28, 42));
      course.sessions.push_back(day + ClinicHours(rng));
    }
    course.completed = n == course.planned_sessions;
    sessions_used_ += n;
    p->courses.push_back(std::move(course));
  }
  if (p->photo_consent && rng.Chance(10)) {
    p->revoke_photo = true;
    p->revoke_time = day + absl::Hours(24 * rng.Between(1, 30));
  }
  return true;
}

}  // namespace mnrecords::seed
