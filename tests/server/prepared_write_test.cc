// Writes planned on a snapshot (server/records/prepared_write.h), through
// the real services on a real SQLite file: a write whose snapshot went
// stale before the writer applied it is checked again in the write
// transaction, so two sessions logged at the same moment on one course see
// each other in the protocol's spacing rule whatever order they are
// stored in; and a write whose snapshot is still current is not.
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "plugins/builtin_plugins.h"
#include "server/records/reply.h"
#include "server/service/consents_service.h"
#include "server/service/records_service.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);

// HeldStore passes reads through but holds submitted writes until Release,
// which hands them to the real store in the order asked: every write held
// was planned on a snapshot taken before any of them was applied.
class HeldStore final : public Store {
 public:
  explicit HeldStore(Store& inner) : inner_(inner) {}

  absl::Status Read(absl::FunctionRef<absl::Status(ReadTxn&)> fn) override {
    return inner_.Read(fn);
  }
  void Submit(std::unique_ptr<WriteOp> op) override {
    absl::MutexLock lock(&mu_);
    if (!holding_) return inner_.Submit(std::move(op));
    held_.push_back(std::move(op));
  }
  void Hold() {
    absl::MutexLock lock(&mu_);
    holding_ = true;
  }
  size_t held() {
    absl::MutexLock lock(&mu_);
    return held_.size();
  }
  // Release submits the held writes, `order` giving their indexes.
  void Release(const std::vector<int>& order) {
    std::vector<std::unique_ptr<WriteOp>> ops;
    {
      absl::MutexLock lock(&mu_);
      holding_ = false;
      ops = std::move(held_);
      held_.clear();
    }
    for (int i : order) inner_.Submit(std::move(ops[i]));
  }

 private:
  Store& inner_;
  absl::Mutex mu_;
  bool holding_ = false;
  std::vector<std::unique_ptr<WriteOp>> held_;
};

class PreparedWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status();
    sqlite_ = *std::move(store);
    held_ = std::make_unique<HeldStore>(*sqlite_);
    ASSERT_TRUE(plugins::RegisterBuiltinPlugins(registry_).ok());
    // The protocol plugin as shipped, except that the chart's one screening
    // (asked before every session of these tests) stays valid throughout.
    plugins::PluginConfigs configs;
    config::v1::PluginConfig* protocol = configs.Add();
    protocol->set_name("microneedling-protocol");
    config::v1::PluginParam* valid = protocol->add_param();
    valid->set_key("screening_valid_days");
    valid->set_value("3650");
    auto host = plugins::PluginHost::Build(registry_, configs);
    ASSERT_TRUE(host.ok()) << host.status();
    plugins_ = *std::move(host);
    audit_.store = sqlite_.get();
    audit_.clock = &clock_;
    records_ = std::make_unique<RecordsService>(*held_, clock_, plugins_.get());
    consents_ =
        std::make_unique<ConsentsService>(*held_, clock_, plugins_.get());
    SetUpChart();
  }

  void TearDown() override {
    records_.reset();
    consents_.reset();
    sqlite_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove(absl::StrCat(path_, suffix).c_str());
    }
  }

  std::unique_ptr<AuditedCall> Call(const std::string& method) {
    CallContext context;
    context.method = absl::StrCat("/clinic.microneedling.v1.", method);
    context.principal.id = "test";
    context.principal.role = Role::kEhrSystem;
    context.principal.clinics = {"c1"};
    return std::make_unique<AuditedCall>(std::move(context), audit_);
  }

  // A patient with granted PROCEDURE, PREPARATION and AFTERCARE consents,
  // a screening answered "no" throughout, and a 6-session course.
  void SetUpChart() {
    auto call = Call("TreatmentRecords/CreatePatient");
    const auto patient_request = PatientRequest("c1", "MRN-1");
    auto patient = Await<v1::Patient>([&](Reply<v1::Patient> reply) {
      records_->CreatePatient(*call, patient_request, std::move(reply));
    });
    ASSERT_TRUE(patient.ok()) << patient.status();
    for (v1::InstructionKind kind :
         {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
          v1::INSTRUCTION_KIND_AFTERCARE}) {
      auto publish = Call("Consents/PublishInstructionSet");
      const auto set_request =
          InstructionsRequest("c1", absl::StrCat("set-", kind), kind);
      auto set =
          Await<v1::InstructionSet>([&](Reply<v1::InstructionSet> reply) {
            consents_->PublishInstructionSet(*publish, set_request,
                                             std::move(reply));
          });
      ASSERT_TRUE(set.ok()) << set.status();
      if (kind == v1::INSTRUCTION_KIND_AFTERCARE) aftercare_ = *set;
      auto record = Call("Consents/RecordConsent");
      const auto consent_request =
          ConsentRequest(patient->name(), *set, TestNow() - 400 * kDay);
      auto consent = Await<v1::Consent>([&](Reply<v1::Consent> reply) {
        consents_->RecordConsent(*record, consent_request, std::move(reply));
      });
      ASSERT_TRUE(consent.ok()) << consent.status();
    }
    auto publish = Call("Consents/PublishInstructionSet");
    const auto questionnaire_request = QuestionnaireRequest("c1");
    auto questionnaire =
        Await<v1::InstructionSet>([&](Reply<v1::InstructionSet> reply) {
          consents_->PublishInstructionSet(*publish, questionnaire_request,
                                           std::move(reply));
        });
    ASSERT_TRUE(questionnaire.ok()) << questionnaire.status();
    auto screen = Call("TreatmentRecords/RecordScreening");
    const auto screening_request = ScreeningRequest(
        patient->name(), *questionnaire, TestNow() - 400 * kDay);
    auto screening = Await<v1::Screening>([&](Reply<v1::Screening> reply) {
      records_->RecordScreening(*screen, screening_request, std::move(reply));
    });
    ASSERT_TRUE(screening.ok()) << screening.status();
    auto create = Call("TreatmentRecords/CreateCourse");
    auto course_request = CourseRequest(patient->name());
    course_request.mutable_course()->set_planned_session_count(6);
    auto course =
        Await<v1::TreatmentCourse>([&](Reply<v1::TreatmentCourse> reply) {
          records_->CreateCourse(*create, course_request, std::move(reply));
        });
    ASSERT_TRUE(course.ok()) << course.status();
    course_ = course->name();
  }

  v1::LogSessionRequest Session(absl::Time at) {
    v1::LogSessionRequest r = SessionRequest(course_, at);
    auto* ref = r.mutable_session()->mutable_aftercare_instructions();
    ref->set_instruction_set(aftercare_.name());
    ref->set_revision_id(aftercare_.revision_id());
    v1::AftercareDelivery* delivery =
        r.mutable_session()->mutable_aftercare_delivery();
    *delivery->mutable_delivered_at() = ToProtoTime(at);
    delivery->set_method(v1::AFTERCARE_DELIVERY_METHOD_PRINTED);
    delivery->set_delivered_by("nurse-1");
    return r;
  }

  // LogBothHeld plans both sessions before either is stored, stores them in
  // `order` and returns each one's finding codes.
  std::vector<std::vector<std::string>> LogBothHeld(
      const std::vector<v1::LogSessionRequest>& requests,
      const std::vector<int>& order) {
    held_->Hold();
    std::vector<std::unique_ptr<AuditedCall>> calls;
    std::vector<absl::StatusOr<v1::TreatmentSession>> results(
        requests.size(), absl::UnknownError("no answer"));
    absl::BlockingCounter answered(static_cast<int>(requests.size()));
    for (size_t i = 0; i < requests.size(); ++i) {
      calls.push_back(Call("TreatmentRecords/LogSession"));
      records_->LogSession(*calls.back(), requests[i],
                           [&, i](absl::StatusOr<v1::TreatmentSession> s) {
                             results[i] = std::move(s);
                             answered.DecrementCount();
                           });
    }
    EXPECT_EQ(held_->held(), requests.size())
        << "each was planned, none stored";
    held_->Release(order);
    answered.Wait();
    std::vector<std::vector<std::string>> codes;
    for (auto& r : results) {
      EXPECT_TRUE(r.ok()) << r.status();
      std::vector<std::string> c;
      if (r.ok()) {
        for (const v1::Finding& f : r->findings()) c.push_back(f.code());
      }
      codes.push_back(c);
    }
    return codes;
  }

  const std::string path_ = UniqueTempPath("prepared-write.db");
  FakeClock clock_{TestNow()};
  std::unique_ptr<SqliteStore> sqlite_;
  std::unique_ptr<HeldStore> held_;
  plugins::PluginRegistry registry_;
  std::unique_ptr<plugins::PluginHost> plugins_;
  AuditOptions audit_;
  std::unique_ptr<RecordsService> records_;
  std::unique_ptr<ConsentsService> consents_;
  v1::InstructionSet aftercare_;
  std::string course_;
};

using Codes = std::vector<std::string>;

TEST_F(PreparedWriteTest, TwoCloseSessionsSeeEachOtherWhicheverIsStoredFirst) {
  // Ten days apart: too close for the protocol (4 weeks).
  const auto early = Session(TestNow() - 30 * kDay);
  const auto late = Session(TestNow() - 20 * kDay);
  // The later one is stored second: it sees the earlier as its previous.
  auto codes = LogBothHeld({early, late}, {0, 1});
  EXPECT_EQ(codes[0], Codes{});
  EXPECT_EQ(codes[1], Codes{"MNP-SESSION-TOO-EARLY"});
}

TEST_F(PreparedWriteTest, TheEarlierSessionStoredSecondSeesTheLaterAsNext) {
  const auto early = Session(TestNow() - 30 * kDay);
  const auto late = Session(TestNow() - 20 * kDay);
  auto codes = LogBothHeld({early, late}, {1, 0});
  EXPECT_EQ(codes[1], Codes{});
  EXPECT_EQ(codes[0], Codes{"MNP-SESSION-TOO-EARLY"});
}

TEST_F(PreparedWriteTest, WellSpacedSessionsPlannedTogetherHaveNoFindings) {
  const auto first = Session(TestNow() - 60 * kDay);
  const auto second = Session(TestNow() - 30 * kDay);
  auto codes = LogBothHeld({first, second}, {1, 0});
  EXPECT_EQ(codes[0], Codes{});
  EXPECT_EQ(codes[1], Codes{});
}

TEST_F(PreparedWriteTest, AStaleSnapshotIsPlannedAgainWithTheNewestCount) {
  // A 6-session course with 5 logged, 35 days apart: two more planned
  // together each see 5 others on their snapshot; the one stored second
  // must see 6 (and the first as its previous) and be beyond the plan.
  for (int i = 0; i < 5; ++i) {
    auto call = Call("TreatmentRecords/LogSession");
    const auto request = Session(TestNow() - (300 - 35 * i) * kDay);
    auto s = Await<v1::TreatmentSession>([&](Reply<v1::TreatmentSession> r) {
      records_->LogSession(*call, request, std::move(r));
    });
    ASSERT_TRUE(s.ok()) << s.status();
  }
  const auto a = Session(TestNow() - 125 * kDay);
  const auto b = Session(TestNow() - 90 * kDay);
  auto codes = LogBothHeld({a, b}, {0, 1});
  EXPECT_EQ(codes[0], Codes{}) << "the 6th of 6 is planned";
  EXPECT_EQ(codes[1], Codes{"MNP-SESSION-BEYOND-PLAN"});
}

}  // namespace
}  // namespace mnrecords::testing
