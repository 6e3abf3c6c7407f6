// The seeder's output is a database the real server serves: records read
// back through the API as the plan says, the consent lifecycle is there
// (superseded and revoked consents), the audit chain verifies end to end,
// SQLite's integrity check passes, and the same seed builds the same
// database.
#include <sqlite3.h>

#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/client.h"
#include "common/sha256.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "server/app/server_app.h"
#include "server/store/sqlite/sqlite_db.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/test_server.h"
#include "tools/seed/seed_requests.h"
#include "tools/seed/seeder.h"

namespace mnrecords::testing {
namespace {

namespace v1 = ::clinic::microneedling::v1;

constexpr int64_t kSessions = 400;

void RemoveDb(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", ".seed"}) {
    std::remove(absl::StrCat(path, suffix).c_str());
  }
}

class SeededDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = UniqueTempPath("seeded.db");
    seed::SeedOptions options;
    options.sessions = kSessions;
    options.seed = 7;
    auto report = seed::Seed(path_, options, /*calls_per_txn=*/300);
    ASSERT_TRUE(report.ok()) << report.status();
    report_ = *report;
  }
  void TearDown() override { RemoveDb(path_); }

  // Serve starts the real server on the seeded file with an EHR system and
  // an auditor of the seeded clinics.
  void Serve() {
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.db_path = path_;
    for (const auto& [id, role] :
         {std::pair<std::string, mnrecords::config::v1::Role>(
              "ehr", mnrecords::config::v1::ROLE_EHR_SYSTEM),
          {"auditor", mnrecords::config::v1::ROLE_AUDITOR}}) {
      auto* p = config.file.add_principals();
      p->set_id(id);
      p->set_role(role);
      for (int i = 0; i < report_.layout.options.clinics; ++i) {
        p->add_clinics(seed::ClinicId(i));
      }
      p->add_token_sha256(Sha256Hex(absl::StrCat("token-", id)));
    }
    auto app = ServerApp::Start(config);
    ASSERT_TRUE(app.ok()) << app.status();
    app_ = *std::move(app);
    for (const char* id : {"ehr", "auditor"}) {
      ClientOptions options;
      options.target = absl::StrCat("127.0.0.1:", app_->port());
      options.bearer_token = absl::StrCat("token-", id);
      auto client = RecordsClient::Create(options);
      ASSERT_TRUE(client.ok()) << client.status();
      (std::string(id) == "ehr" ? ehr_ : auditor_) =
          std::make_unique<RecordsClient>(*std::move(client));
    }
  }

  std::string path_;
  seed::SeedReport report_;
  std::unique_ptr<ServerApp> app_;
  std::unique_ptr<RecordsClient> ehr_;
  std::unique_ptr<RecordsClient> auditor_;
};

TEST_F(SeededDatabaseTest, CountsMatchThePlan) {
  EXPECT_EQ(report_.sessions, kSessions);
  seed::PlanGenerator plans(report_.layout);
  seed::PatientPlan p;
  int64_t patients = 0, sessions = 0;
  while (plans.Next(&p)) {
    ++patients;
    sessions += p.session_count();
  }
  EXPECT_EQ(report_.patients, patients);
  EXPECT_EQ(sessions, kSessions);
  EXPECT_GT(report_.consents, 3 * patients);
  EXPECT_GT(report_.photos, 0);
  EXPECT_GT(report_.file_bytes, 0);
}

TEST_F(SeededDatabaseTest, IntegrityCheckPasses) {
  auto db = sqlite::Connection::Open(path_, SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db.ok()) << db.status();
  auto result = (*db)->QueryText("PRAGMA integrity_check");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, "ok");
  auto fk = (*db)->QueryInt64("SELECT count(*) FROM pragma_foreign_key_check");
  ASSERT_TRUE(fk.ok()) << fk.status();
  EXPECT_EQ(*fk, 0);
}

TEST_F(SeededDatabaseTest, TheServerServesWhatWasSeeded) {
  ASSERT_NO_FATAL_FAILURE(Serve());
  seed::PlanGenerator plans(report_.layout);
  seed::PatientPlan p;
  int checked = 0, superseded = 0, revoked = 0;
  while (plans.Next(&p)) {
    for (const seed::CoursePlan& c : p.courses) {
      v1::ListSessionsRequest list;
      list.set_parent(seed::CourseName(p, c));
      auto sessions = ehr_->ListSessions(list);
      ASSERT_TRUE(sessions.ok()) << sessions.status();
      ASSERT_EQ(sessions->sessions_size(), static_cast<int>(c.sessions.size()));
      for (int i = 0; i < sessions->sessions_size(); ++i) {
        const v1::TreatmentSession& got = sessions->sessions(i);
        const v1::TreatmentSession want =
            seed::SessionRequest(p, c, i).session();
        EXPECT_EQ(got.name(), seed::SessionName(p, c, i));
        EXPECT_EQ(FromProtoTime(got.performed_at()), c.sessions[i]);
        EXPECT_EQ(got.notes(), want.notes());
        EXPECT_EQ(got.treated_areas_size(), want.treated_areas_size());
        EXPECT_GE(got.treated_areas_size(), 3);
        EXPECT_EQ(got.aftercare_instructions().content_sha256().size(), 64u);
        const size_t bytes = got.ByteSizeLong();
        EXPECT_GE(bytes, 1000u) << got.name();
        EXPECT_LE(bytes, 2048u) << got.name();
      }
      v1::GetCourseRequest course;
      course.set_name(seed::CourseName(p, c));
      auto got = ehr_->GetCourse(course);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(got->status(), c.completed ? v1::COURSE_STATUS_COMPLETED
                                           : v1::COURSE_STATUS_ACTIVE);
    }
    v1::ListConsentHistoryRequest history;
    history.set_parent(seed::PatientName(p));
    history.set_page_size(100);
    auto h = auditor_->ListConsentHistory(history);
    ASSERT_TRUE(h.ok()) << h.status();
    for (const v1::Consent& c : h->revisions()) {
      superseded += c.state() == v1::CONSENT_STATE_SUPERSEDED;
      revoked += c.state() == v1::CONSENT_STATE_REVOKED;
    }
    if (p.courses.size() == 2 || p.revoke_photo) {
      EXPECT_GT(h->revisions_size(), 4) << seed::PatientName(p);
    }
    ++checked;
  }
  EXPECT_EQ(checked, report_.patients);
  EXPECT_GT(superseded, 0);
  EXPECT_GT(revoked, 0);

  v1::VerifyAuditLogRequest verify;
  auto verified = auditor_->VerifyAuditLog(verify);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok()) << verified->problem();
  // The seeded history and then this test's own reads.
  EXPECT_GT(verified->events_checked(), report_.calls);
}

TEST(SeederTest, TheSameSeedBuildsTheSameDatabase) {
  auto head = [](uint64_t seed_value) -> std::string {
    const std::string path = UniqueTempPath("seeded.db");
    seed::SeedOptions options;
    options.sessions = 120;
    options.seed = seed_value;
    auto report = seed::Seed(path, options, /*calls_per_txn=*/50);
    EXPECT_TRUE(report.ok()) << report.status();
    std::string hash;
    {
      auto store = SqliteStore::Open(path);
      EXPECT_TRUE(store.ok()) << store.status();
      if (store.ok()) {
        EXPECT_TRUE((*store)
                        ->Read([&](ReadTxn& txn) -> absl::Status {
                          auto last = txn.LastAuditEvent();
                          if (!last.ok()) return last.status();
                          if (last->has_value()) hash = (*last)->hash;
                          return absl::OkStatus();
                        })
                        .ok());
      }
    }
    RemoveDb(path);
    return hash;
  };
  const std::string first = head(3);
  EXPECT_EQ(first.size(), 64u);
  EXPECT_EQ(head(3), first);
  EXPECT_NE(head(4), first);
}

TEST(SeederTest, RefusesAnExistingFile) {
  const std::string path = UniqueTempPath("existing.db");
  std::FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fclose(f);
  seed::SeedOptions options;
  options.sessions = 10;
  EXPECT_EQ(seed::Seed(path, options).status().code(),
            absl::StatusCode::kFailedPrecondition);
  std::remove(path.c_str());
}

TEST(SeederTest, RejectsBadOptionsNamingTheFlag) {
  seed::SeedOptions options;
  options.sessions = 0;
  const absl::Status status = seed::ResolveLayout(options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("--sessions"), absl::string_view::npos);
}

}  // namespace
}  // namespace mnrecords::testing
