// Lot and device traceability through the real server: ListSessions finds
// a clinic's sessions by cartridge lot, cartridge model and device serial
// (alone, together and with the other filters), follows amendments,
// pages, stays inside the clinic and survives a restart.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

constexpr char kClinicWide[] = "clinics/c1/patients/-/courses/-";

class EquipmentRecallTest : public ::testing::Test {
 protected:
  // A session of a new course of `patient` with this equipment.
  v1::TreatmentSession Log(const std::string& patient, const std::string& lot,
                           const std::string& model, const std::string& serial,
                           absl::Time at) {
    auto course = client().CreateCourse(CourseRequest(patient));
    EXPECT_TRUE(course.ok()) << course.status();
    v1::LogSessionRequest r = SessionRequest(course->name(), at);
    r.mutable_session()->mutable_cartridge()->set_lot(lot);
    r.mutable_session()->mutable_cartridge()->set_model(model);
    r.mutable_session()->mutable_device()->set_serial_number(serial);
    auto session = client().LogSession(r);
    EXPECT_TRUE(session.ok()) << session.status();
    return *session;
  }

  std::string Patient(const std::string& clinic, const std::string& mrn) {
    auto p = client().CreatePatient(PatientRequest(clinic, mrn));
    EXPECT_TRUE(p.ok()) << p.status();
    return p->name();
  }

  std::vector<std::string> Names(v1::ListSessionsRequest r) {
    auto all = client().ListAllSessions(std::move(r));
    EXPECT_TRUE(all.ok()) << all.status();
    std::vector<std::string> names;
    if (all.ok()) {
      for (const auto& s : *all) names.push_back(s.name());
    }
    return names;
  }

  static v1::ListSessionsRequest ByLot(
      const std::string& lot, const std::string& parent = kClinicWide) {
    v1::ListSessionsRequest r;
    r.set_parent(parent);
    r.set_cartridge_lot(lot);
    return r;
  }

  RecordsClient& client() { return server_.client(); }

  TestServer server_;
  const absl::Time t0_ = TestNow() - absl::Hours(24 * 10);
};

TEST_F(EquipmentRecallTest, FindsEverySessionOfALotAcrossTheClinic) {
  const std::string ana = Patient("c1", "MRN-ANA");
  const std::string ben = Patient("c1", "MRN-BEN");
  const auto a1 = Log(ana, "L2026-10", "12-pin", "SN-1", t0_);
  const auto b1 = Log(ben, "L2026-11", "12-pin", "SN-2", t0_ + absl::Hours(1));
  const auto b2 = Log(ben, "L2026-10", "36-pin", "SN-1", t0_ + absl::Hours(2));
  Log(Patient("c2", "MRN-CAL"), "L2026-10", "12-pin", "SN-1", t0_);

  EXPECT_EQ(Names(ByLot("L2026-10")),
            (std::vector<std::string>{a1.name(), b2.name()}));
  EXPECT_TRUE(absl::StartsWith(b2.name(), ben + "/courses/"));
  v1::ListSessionsRequest r = ByLot("");
  r.set_cartridge_model("12-pin");
  EXPECT_EQ(Names(r), (std::vector<std::string>{a1.name(), b1.name()}));
  r = ByLot("L2026-10");
  r.set_device_serial("SN-1");
  r.set_cartridge_model("36-pin");
  EXPECT_EQ(Names(r), (std::vector<std::string>{b2.name()}));
  // With a patient parent and the other filters.
  EXPECT_EQ(Names(ByLot("L2026-10", ben + "/courses/-")),
            (std::vector<std::string>{b2.name()}));
  r = ByLot("L2026-10");
  *r.mutable_performed_after() = ToProtoTime(t0_ + absl::Minutes(30));
  EXPECT_EQ(Names(r), (std::vector<std::string>{b2.name()}));
  // Values are exact: another case is another lot.
  EXPECT_TRUE(Names(ByLot("l2026-10")).empty());

  // Page by page.
  r = ByLot("L2026-10");
  r.set_page_size(1);
  auto page = client().ListSessions(r);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->sessions_size(), 1);
  EXPECT_EQ(page->sessions(0).name(), a1.name());
  r.set_page_token(page->next_page_token());
  page = client().ListSessions(r);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->sessions_size(), 1);
  EXPECT_EQ(page->sessions(0).name(), b2.name());

  server_.Restart();
  EXPECT_EQ(Names(ByLot("L2026-10")),
            (std::vector<std::string>{a1.name(), b2.name()}));
}

TEST_F(EquipmentRecallTest, AnAmendedLotMovesTheSession) {
  const std::string ana = Patient("c1", "MRN-ANA");
  const auto s = Log(ana, "L2026-10", "12-pin", "SN-1", t0_);
  v1::AmendSessionRequest amend;
  amend.mutable_session()->set_name(s.name());
  *amend.mutable_session()->mutable_cartridge() = s.cartridge();
  amend.mutable_session()->mutable_cartridge()->set_lot("L2026-12");
  amend.mutable_update_mask()->add_paths("cartridge");
  amend.set_etag(s.etag());
  amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
  amend.mutable_amendment()->set_reason("Lot read off the wrong box.");
  amend.mutable_amendment()->set_author("dr-lee");
  amend.set_request_id(NewRequestId());
  ASSERT_TRUE(client().AmendSession(amend).ok());
  EXPECT_TRUE(Names(ByLot("L2026-10")).empty());
  EXPECT_EQ(Names(ByLot("L2026-12")), std::vector<std::string>{s.name()});
}

TEST_F(EquipmentRecallTest, FilterValuesAreChecked) {
  v1::ListSessionsRequest r = ByLot(std::string(101, 'L'));
  auto listed = client().ListSessions(r);
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(listed.status().message(), "cartridge_lot:"))
      << listed.status();
  r = ByLot("");
  r.set_device_serial(std::string(101, 'S'));
  listed = client().ListSessions(r);
  EXPECT_TRUE(absl::StartsWith(listed.status().message(), "device_serial:"))
      << listed.status();
}

}  // namespace
}  // namespace mnrecords::testing
