// Online backup and restore with the shipped binary: Admin.BackupDatabase
// while 64 clients write, then the documented restore procedure
// (docs/reliability.md) (stop, copy the backup into place, start a server on
// it). The restored server holds every call acknowledged before the backup was
// asked for, exactly as sent; its records and its create events agree up to the
// backup's checkpoint and nothing after it; VerifyAuditLog with that checkpoint
// passes and both files pass PRAGMA integrity_check.
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/reliability/durability_check.h"
#include "tests/reliability/process_config.h"
#include "tests/reliability/server_process.h"
#include "tests/reliability/write_load.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

RecordsClient Client(int port, const std::string& token) {
  ClientOptions options;
  options.target = absl::StrCat("127.0.0.1:", port);
  options.bearer_token = token;
  return *RecordsClient::Create(options);
}

bool IsCreate(const v1::AuditEvent& e) {
  return e.outcome() == 0 &&
         (e.action() ==
              "/clinic.microneedling.v1.TreatmentRecords/LogSession" ||
          e.action() ==
              "/clinic.microneedling.v1.TreatmentRecords/CreatePatient");
}

TEST(BackupRestoreTest, BackupUnderLoadRestoresToItsCheckpoint) {
  const std::string dir = UniqueTempPath("backup-restore");
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  ASSERT_EQ(mkdir((dir + "/backups").c_str(), 0700), 0);
  auto config =
      WriteProcessConfig(dir + "/config.textproto",
                         absl::StrCat("backup_dir: \"", dir, "/backups\"\n"));
  ASSERT_TRUE(config.ok()) << config.status();
  ServerProcess live(MNRECORDS_SERVER_BINARY, dir + "/live.db", config->path,
                     dir + "/live.log");
  auto port = live.Start();
  ASSERT_TRUE(port.ok()) << port.status();

  WriteLoadOptions options;
  options.targets = {absl::StrCat("127.0.0.1:", *port)};
  options.token = config->ehr_token;
  options.amendments = false;  // creates only: each record is its revision 1
  auto load = WriteLoad::Prepare(options);
  ASSERT_TRUE(load.ok()) << load.status();
  (*load)->Start();
  absl::SleepFor(absl::Milliseconds(700));
  const absl::Time asked = absl::Now();
  v1::BackupDatabaseRequest request;
  request.set_file_name("under-load.db");
  auto backup = Client(*port, config->admin_token).BackupDatabase(request);
  const absl::Time answered = absl::Now();
  absl::SleepFor(absl::Milliseconds(300));  // writes go on after it
  std::vector<SentCreate> calls = (*load)->Stop();
  ASSERT_TRUE(backup.ok()) << backup.status();
  auto stopped = live.Terminate(absl::Seconds(11));
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(*stopped, 0);

  int before = 0, during = 0, after = 0;
  for (const SentCreate& call : calls) {
    if (call.outcome != CallOutcome::kAcknowledged) continue;
    if (call.acked_at < asked) {
      ++before;
    } else if (call.acked_at <= answered) {
      ++during;
    } else {
      ++after;
    }
  }
  std::cout << "backup of " << backup->size_bytes() << " bytes took "
            << absl::FormatDuration(answered - asked) << "; creates acked "
            << before << " before, " << during << " during, " << after
            << " after it; checkpoint " << backup->checkpoint().sequence()
            << std::endl;
  ASSERT_GT(before, 0);
  EXPECT_GT(after, 0) << "the server kept serving writes";
  auto sound = IntegrityCheck(backup->path());
  ASSERT_TRUE(sound.ok()) << sound.status();
  EXPECT_EQ(*sound, "ok");

  // Restore (docs/reliability.md): the server is stopped; copy the backup into
  // place and start a server on it.
  const std::string restored_db = dir + "/restored.db";
  std::filesystem::copy_file(backup->path(), restored_db);
  ServerProcess restored(MNRECORDS_SERVER_BINARY, restored_db, config->path,
                         dir + "/restored.log");
  auto restored_port = restored.Start();
  ASSERT_TRUE(restored_port.ok()) << restored_port.status();
  RecordsClient ehr = Client(*restored_port, config->ehr_token);
  RecordsClient auditor = Client(*restored_port, config->auditor_token);

  v1::VerifyAuditLogRequest verify;
  *verify.mutable_checkpoint() = backup->checkpoint();
  auto verified = auditor.VerifyAuditLog(verify);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok()) << verified->problem();

  auto stored = ReadStoredCreates(ehr);
  ASSERT_TRUE(stored.ok()) << stored.status();
  std::map<std::string, const SentCreate*> by_tag;
  for (const SentCreate& call : calls) by_tag[call.tag] = &call;
  std::set<std::string> stored_names;
  int missing = 0, foreign = 0, changed = 0;
  for (const SentCreate& call : calls) {
    if (call.acked_at >= asked) continue;
    auto found = stored->find(call.tag);
    if (found == stored->end() || found->second.size() != 1 ||
        found->second[0].name != call.name) {
      ++missing;
      ADD_FAILURE() << call.tag << " acknowledged before the backup, missing";
    }
  }
  for (const auto& [tag, records] : *stored) {
    EXPECT_EQ(records.size(), 1u) << tag;
    for (const StoredCreate& record : records) stored_names.insert(record.name);
    if ((*load)->setup_tags().count(tag)) continue;
    auto sent = by_tag.find(tag);
    if (sent == by_tag.end()) {
      ++foreign;
      ADD_FAILURE() << records[0].name << " was never sent";
    } else if (!MatchesSent(*records[0].record, *sent->second)) {
      ++changed;
      ADD_FAILURE() << records[0].name << " differs from what was sent";
    }
  }
  EXPECT_EQ(missing + foreign + changed, 0);

  // Records and create events agree up to the checkpoint; nothing after.
  v1::ListAuditEventsRequest list;
  list.set_parent("clinics/c1");
  list.set_page_size(1000);
  auto events = auditor.ListAllAuditEvents(list);
  ASSERT_TRUE(events.ok()) << events.status();
  std::set<std::string> created;
  for (const v1::AuditEvent& e : *events) {
    if (!IsCreate(e)) continue;
    EXPECT_LE(e.sequence(), backup->checkpoint().sequence()) << e.name();
    if (created.insert(e.resource()).second) {
      EXPECT_EQ(stored_names.count(e.resource()), 1u)
          << e.resource() << " created (event " << e.sequence()
          << ") but not in the backup";
    }
  }
  for (const std::string& name : stored_names) {
    EXPECT_EQ(created.count(name), 1u) << name << " has no create event";
  }

  auto restored_stop = restored.Terminate(absl::Seconds(11));
  ASSERT_TRUE(restored_stop.ok()) << restored_stop.status();
  EXPECT_EQ(*restored_stop, 0);
  auto restored_sound = IntegrityCheck(restored_db);
  ASSERT_TRUE(restored_sound.ok()) << restored_sound.status();
  EXPECT_EQ(*restored_sound, "ok");
}

}  // namespace
}  // namespace mnrecords::testing
