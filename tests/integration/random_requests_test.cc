// Seeded random requests against the real server: whatever a well-formed
// request holds, the server answers with a definite status (never INTERNAL,
// UNKNOWN or DATA_LOSS), and whatever it accepted reads back unchanged and
// valid. Reproducible: the seed is fixed and printed on failure.
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "server/validation/validation.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

class Randomizer {
 public:
  explicit Randomizer(uint64_t seed) : gen_(seed) {}
  int Int(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(gen_);
  }
  bool Coin() { return Int(0, 1) == 1; }
  double Depth() { return std::uniform_real_distribution<double>(-1, 4)(gen_); }
  // Random valid UTF-8 (invalid UTF-8 is not a well-formed proto3 string),
  // with control characters, separators and non-ASCII letters.
  std::string Text() {
    static const char* const kPieces[] = {
        "a", "Z", "7", " ",    "\n",   "\t",       "-",           "_",
        "/", ":", "|", "\x01", "\x7f", "\xc3\xa4", "\xe2\x80\x93"};
    std::string s;
    for (int n = Int(0, Coin() ? 10 : 300); n > 0; --n)
      s += kPieces[Int(0, 14)];
    return s;
  }

  // Mutates a valid session request in a few random, well-typed ways.
  void Mutate(v1::LogSessionRequest& r) {
    v1::TreatmentSession* s = r.mutable_session();
    for (int i = Int(0, 4); i > 0; --i) {
      switch (Int(0, 11)) {
        case 0:
          s->set_status(static_cast<v1::SessionStatus>(Int(-1, 6)));
          break;
        case 1:
          s->set_duration_minutes(Int(-10, 600));
          break;
        case 2:
          if (s->treated_areas_size() > 0) {
            s->mutable_treated_areas(0)->set_needle_depth_mm(Depth());
          }
          break;
        case 3:
          s->mutable_treated_areas()->Clear();
          break;
        case 4:
          s->set_clinician(Text());
          break;
        case 5:
          s->set_notes(Text());
          break;
        case 6:
          s->mutable_performed_at()->set_seconds(s->performed_at().seconds() +
                                                 Int(-100000, 100000) * 60);
          break;
        case 7:
          s->mutable_performed_at()->set_nanos(Int(-5, 1000000005));
          break;
        case 8:
          s->set_adverse_events_assessment(
              static_cast<v1::AdverseEventsAssessment>(Int(0, 3)));
          break;
        case 9:
          r.set_session_id(Coin() ? Text() : "");
          break;
        case 10:
          if (s->treated_areas_size() > 0) {
            s->mutable_treated_areas(0)->mutable_site()->set_area(
                static_cast<v1::BodyArea>(Int(-2, 25)));
          }
          break;
        case 11:
          s->mutable_cartridge()->set_needle_count(Int(-3, 200));
          break;
      }
    }
  }

 private:
  std::mt19937_64 gen_;
};

bool IsDefinite(absl::StatusCode code) {
  return code != absl::StatusCode::kInternal &&
         code != absl::StatusCode::kUnknown &&
         code != absl::StatusCode::kDataLoss;
}

TEST(RandomRequestsTest, WellFormedRequestsGetDefiniteAnswers) {
  constexpr uint64_t kSeed = 20261125;
  constexpr int kRequests = 400;
  SCOPED_TRACE(absl::StrCat("seed ", kSeed));
  TestServer server;
  auto patient = server.client().CreatePatient(PatientRequest("c1", "MRN-R"));
  ASSERT_TRUE(patient.ok());
  auto course = server.client().CreateCourse(CourseRequest(patient->name()));
  ASSERT_TRUE(course.ok());
  Randomizer random(kSeed);
  int accepted = 0;
  for (int i = 0; i < kRequests; ++i) {
    v1::LogSessionRequest request = SessionRequest(
        course->name(), TestNow() - absl::Hours(random.Int(0, 2000)));
    random.Mutate(request);
    auto result = server.client().LogSession(request);
    ASSERT_TRUE(IsDefinite(result.status().code()))
        << "request " << i << ": " << result.status() << "\n"
        << request.DebugString();
    if (!result.ok()) continue;
    ++accepted;
    // What was accepted is valid and reads back exactly.
    EXPECT_TRUE(ValidateSession("session", *result, TestNow()).ok());
    v1::GetSessionRequest get;
    get.set_name(result->name());
    auto stored = server.client().GetSession(get);
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->SerializeAsString(), result->SerializeAsString());
  }
  v1::ListSessionsRequest list;
  list.set_parent(course->name());
  auto all = server.client().ListAllSessions(list);
  ASSERT_TRUE(all.ok());
  // Exactly the accepted requests were stored: no partial records.
  EXPECT_EQ(static_cast<int>(all->size()), accepted);
  // The mix exercised both outcomes.
  EXPECT_GT(accepted, 20);
  EXPECT_LT(accepted, kRequests - 20);
}

}  // namespace
}  // namespace mnrecords::testing
