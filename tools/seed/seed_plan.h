// SeedPlan: the shape of a seeded database, as plain numbers and names,
// derived deterministically from (options, patient index). The seeder turns
// it into API requests (seed_requests.h); the scale benchmark regenerates it
// to know which records exist without asking the server.
//
// Shape: patients spread round-robin over the clinics; each has one course
// (10% a second one) of 3-6 sessions 28-42 days apart; PROCEDURE,
// PREPARATION and AFTERCARE consents (70% also PHOTOGRAPHY) signed 1-14 days
// before the first session; a second course re-consents PREPARATION and
// AFTERCARE to revision 2 (superseding revision 1's consents); 10% of
// photography consents are revoked after the last session; patients with a
// photography consent get a BASELINE photo at their first session and a
// FOLLOW_UP photo at their last session of each course. Sessions are spread
// over a history window long enough that every clinic sees about
// `sessions_per_clinic_month` sessions a month, whatever the total.
#ifndef MNRECORDS_TOOLS_SEED_SEED_PLAN_H_
#define MNRECORDS_TOOLS_SEED_SEED_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace mnrecords::seed {

// SeedOptions are the seeder's inputs; everything else follows from them.
struct SeedOptions {
  int64_t sessions = 1000000;  // exactly this many sessions are seeded
  int clinics = 0;             // 0 = one per 50,000 sessions (at least 1)
  uint64_t seed = 1;
  int sessions_per_clinic_month = 800;
};

// SeedLayout is what the options imply.
struct SeedLayout {
  SeedOptions options;  // with clinics resolved
  int months = 0;       // length of the history window
  absl::Time window_start;
  absl::Time import_time;   // the seeder's clock starts here, after history
  absl::Time reissue_time;  // revision 2 of PREPARATION/AFTERCARE in force
};

// ResolveLayout checks the options (INVALID_ARGUMENT naming the flag) and
// derives the layout.
absl::StatusOr<SeedLayout> ResolveLayout(const SeedOptions& options);

struct CoursePlan {
  std::string id;                    // "k1", "k2"
  int planned_sessions = 0;          // 3..6
  std::vector<absl::Time> sessions;  // performed_at of s1, s2, ...
  bool completed = false;            // all planned sessions were logged
};

struct PatientPlan {
  int64_t index = 0;
  std::string clinic;       // clinic id
  std::string id;           // patient id
  int fitzpatrick = 1;      // 1..6
  absl::Time consent_time;  // PROCEDURE/PREPARATION/AFTERCARE(/PHOTO) signed
  bool photo_consent = false;
  std::vector<CoursePlan> courses;
  absl::Time reconsent_time;  // before course k2, if there is one
  bool revoke_photo = false;
  absl::Time revoke_time;

  int64_t session_count() const;
};

// ClinicId is the id of clinic `i` (0-based): "clinic-01", ...
std::string ClinicId(int i);
std::string PatientName(const PatientPlan& p);
std::string CourseName(const PatientPlan& p, const CoursePlan& c);
std::string SessionName(const PatientPlan& p, const CoursePlan& c, int i);

// PlanGenerator yields the patients in order until the session budget is
// spent. Deterministic: each patient depends only on (seed, index) and the
// sessions left.
class PlanGenerator {
 public:
  explicit PlanGenerator(const SeedLayout& layout) : layout_(layout) {}
  // Next fills `p` and returns true, or returns false when done.
  bool Next(PatientPlan* p);
  int64_t sessions_left() const {
    return layout_.options.sessions - sessions_used_;
  }

 private:
  SeedLayout layout_;
  int64_t next_index_ = 0;
  int64_t sessions_used_ = 0;
};

}  // namespace mnrecords::seed

#endif  // MNRECORDS_TOOLS_SEED_SEED_PLAN_H_
