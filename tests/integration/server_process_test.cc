// The shipped binary as an operator runs it: starts on the flags, answers
// health checks SERVING, serves records, and on SIGTERM/SIGINT drains, exits
// 0 and leaves a cleanly closed database that holds everything acknowledged.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/client.h"
#include "client/error_details.h"
#include "common/sha256.h"
#include "gtest/gtest.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

class ServerProcess {
 public:
  // `extra` is one more flag ("" = none).
  ServerProcess(const std::string& db_path, const std::string& config_path,
                const std::string& extra = "")
      : port_file_(UniqueTempPath("port")) {
    pid_ = fork();
    if (pid_ == 0) {
      const std::string db = "--db=" + db_path;
      const std::string port = "--port_file=" + port_file_;
      const std::string config = "--config=" + config_path;
      execl(MNRECORDS_SERVER_BINARY, MNRECORDS_SERVER_BINARY,
            "--listen=127.0.0.1:0", db.c_str(), port.c_str(), config.c_str(),
            extra.empty() ? nullptr : extra.c_str(), nullptr);
      _exit(127);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::remove(port_file_.c_str());
  }

  // WaitForPort returns the port once the server wrote it, or 0 after 10 s.
  int WaitForPort() {
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (absl::Now() < give_up) {
      std::ifstream in(port_file_);
      std::string text;
      int port = 0;
      if (in >> text && absl::SimpleAtoi(text, &port)) return port;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return 0;
  }

  void Signal(int sig) { kill(pid_, sig); }

  // Signal sends `sig` and returns the exit status (-1 if not a clean exit).
  int SignalAndWait(int sig) {
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::string port_file_;
  pid_t pid_ = -1;
};

// EhrConfig writes a config file listing one EHR system of clinic c1 that
// calls with `token`, and returns its path.
std::string EhrConfig(const std::string& token) {
  const std::string config = UniqueTempPath("config.textproto");
  std::ofstream(config) << "principals { id: \"ehr\" role: ROLE_EHR_SYSTEM "
                           "clinics: \"c1\" token_sha256: \""
                        << Sha256Hex(token) << "\" }\n";
  return config;
}

v1::GetPatientRequest Get(const std::string& name) {
  v1::GetPatientRequest get;
  get.set_name(name);
  return get;
}

absl::StatusOr<RecordsClient> Connect(int port, const std::string& token) {
  ClientOptions options;
  options.target = absl::StrCat("127.0.0.1:", port);
  options.bearer_token = token;
  return RecordsClient::Create(options);
}

TEST(ServerProcessTest, ServesThenShutsDownCleanlyOnSignals) {
  const std::string db = UniqueTempPath("process.db");
  const std::string token = "process-test-token";
  const std::string config = EhrConfig(token);
  std::string patient_name;
  for (int sig : {SIGTERM, SIGINT}) {
    SCOPED_TRACE(sig == SIGTERM ? "SIGTERM" : "SIGINT");
    ServerProcess server(db, config);
    const int port = server.WaitForPort();
    ASSERT_GT(port, 0) << "server did not start";
    auto client = Connect(port, token);
    ASSERT_TRUE(client.ok());
    auto serving = client->IsServing();
    ASSERT_TRUE(serving.ok()) << serving.status();
    EXPECT_TRUE(*serving);
    if (patient_name.empty()) {
      auto patient = client->CreatePatient(PatientRequest("c1", "MRN-P"));
      ASSERT_TRUE(patient.ok()) << patient.status();
      patient_name = patient->name();
    } else {
      v1::GetPatientRequest get;
      get.set_name(patient_name);
      EXPECT_TRUE(client->GetPatient(get).ok()) << "lost across restart";
    }
    EXPECT_EQ(server.SignalAndWait(sig), 0);
  }
  // Closed cleanly: the WAL was checkpointed and removed on close.
  EXPECT_FALSE(std::ifstream(db + "-wal").good());
  auto store = SqliteStore::Open(db);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE((*store)
                  ->Read([&](ReadTxn& txn) {
                    return txn.GetRecord(patient_name, 0).status();
                  })
                  .ok());
}

int CountLines(const std::string& path) {
  std::ifstream in(path);
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

// Log rotation as logrotate does it: move the access log away, SIGHUP, and
// the server writes a new file; the moved one keeps every earlier line.
TEST(ServerProcessTest, SighupReopensTheAccessLog) {
  const std::string token = "process-test-token";
  const std::string config = EhrConfig(token);
  const std::string log = UniqueTempPath("access.log");
  ServerProcess server(UniqueTempPath("process.db"), config,
                       "--access_log=" + log);
  const int port = server.WaitForPort();
  ASSERT_GT(port, 0) << "server did not start";
  auto client = Connect(port, token);
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(client->CreatePatient(PatientRequest("c1", "MRN-R")).ok());
  EXPECT_EQ(CountLines(log), 1);

  const std::string rotated = log + ".1";
  ASSERT_EQ(std::rename(log.c_str(), rotated.c_str()), 0);
  server.Signal(SIGHUP);
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (!std::ifstream(log).good() && absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(std::ifstream(log).good()) << "SIGHUP did not reopen the log";
  v1::ListPatientsRequest list;
  list.set_parent("clinics/c1");
  ASSERT_TRUE(client->ListPatients(list).ok());
  EXPECT_EQ(CountLines(rotated), 1);
  EXPECT_EQ(CountLines(log), 1);
  EXPECT_EQ(server.SignalAndWait(SIGTERM), 0);
}

// RunServer runs the binary with `args` until it exits; returns its exit
// code and fills *output with what it printed.
int RunServer(const std::string& args, std::string* output) {
  const std::string command =
      absl::StrCat(MNRECORDS_SERVER_BINARY,
                   " --listen=127.0.0.1:0 --db=", UniqueTempPath("refused.db"),
                   " ", args, " 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    output->append(buffer, n);
  }
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ServerProcessTest, RefusesToStartWithoutAUsableConfig) {
  std::string output;
  EXPECT_EQ(RunServer("", &output), 2);
  EXPECT_NE(output.find("--config=PATH is required"), std::string::npos)
      << output;

  const std::string bad = UniqueTempPath("bad.textproto");
  std::ofstream(bad) << "principals {\n  id: \"ehr\"\n  clinics: \"c1\"\n"
                        "  token_sha256: \"not-a-hash\"\n}\n";
  output.clear();
  EXPECT_EQ(RunServer("--config=" + bad, &output), 2);
  EXPECT_NE(output.find(bad + ":4:"), std::string::npos) << output;
  EXPECT_NE(output.find("principal 1 (id \"ehr\")"), std::string::npos)
      << output;

  std::ofstream(bad) << "# nobody\n";
  output.clear();
  EXPECT_EQ(RunServer("--config=" + bad, &output), 2);
  EXPECT_NE(output.find("lists no principals"), std::string::npos) << output;
}

TEST(ServerProcessTest, RefusesANegativeDiskReserve) {
  std::string output;
  EXPECT_EQ(RunServer("--min_free_disk_mb=-1", &output), 2);
  EXPECT_NE(output.find("--min_free_disk_mb must be >= 0"), std::string::npos)
      << output;
}

// ReloadConfigFile writes a config for the reload tests: an admin, an
// auditor and the EHR system "ehr" of clinic c1 with `ehr_tokens`, the
// protocol plugin with MNP-CONSENT-MISSING at `consent_missing`, then
// `extra` lines.
std::string ReloadConfigText(const std::vector<std::string>& ehr_tokens,
                             const std::string& consent_missing,
                             const std::string& extra = "") {
  std::string text =
      "principals { id: \"admin\" role: ROLE_ADMIN clinics: \"c1\" "
      "token_sha256: \"" +
      Sha256Hex("admin-token") +
      "\" }\n"
      "principals { id: \"auditor\" role: ROLE_AUDITOR clinics: \"c1\" "
      "token_sha256: \"" +
      Sha256Hex("auditor-token") +
      "\" }\n"
      "principals { id: \"ehr\" role: ROLE_EHR_SYSTEM clinics: \"c1\"";
  for (const std::string& token : ehr_tokens) {
    absl::StrAppend(&text, " token_sha256: \"", Sha256Hex(token), "\"");
  }
  absl::StrAppend(&text,
                  " }\n"
                  "plugins { name: \"microneedling-protocol\" severity { "
                  "code: \"MNP-CONSENT-MISSING\" severity: ",
                  consent_missing, " } }\n", extra);
  return text;
}

void WriteFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << text;
  std::rename(tmp.c_str(), path.c_str());  // the server never reads half
}

// Token rotation and plugin settings without a restart: Admin.ReloadConfig
// and SIGHUP apply the file again; a bad file is refused and the running
// configuration stays; every reload is in the audit log.
TEST(ServerProcessTest, ReloadAppliesTokensAndPluginSettingsWithoutRestart) {
  const std::string config = UniqueTempPath("reload.textproto");
  WriteFile(config, ReloadConfigText({"token-a"}, "WARN"));
  ServerProcess server(UniqueTempPath("reload.db"), config);
  const int port = server.WaitForPort();
  ASSERT_GT(port, 0) << "server did not start";
  auto admin = Connect(port, "admin-token");
  auto a = Connect(port, "token-a");
  auto b = Connect(port, "token-b");
  ASSERT_TRUE(admin.ok() && a.ok() && b.ok());
  auto patient = a->CreatePatient(PatientRequest("c1", "MRN-RL"));
  ASSERT_TRUE(patient.ok()) << patient.status();
  auto course = a->CreateCourse(CourseRequest(patient->name()));
  ASSERT_TRUE(course.ok()) << course.status();
  auto warned = a->LogSession(
      SessionRequest(course->name(), absl::Now() - absl::Hours(3)));
  ASSERT_TRUE(warned.ok()) << warned.status();
  EXPECT_EQ(b->GetPatient(Get(patient->name())).status().code(),
            absl::StatusCode::kUnauthenticated);

  // Rotation, step 1: the new token beside the old one, and the missing
  // consent now blocks.
  const std::string both = ReloadConfigText({"token-a", "token-b"}, "BLOCK");
  WriteFile(config, both);
  auto reloaded = admin->ReloadConfig({});
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->config_sha256(), Sha256Hex(both));
  EXPECT_EQ(reloaded->principal_count(), 3);
  EXPECT_EQ(std::vector<std::string>(reloaded->plugins().begin(),
                                     reloaded->plugins().end()),
            std::vector<std::string>{"microneedling-protocol"});
  EXPECT_TRUE(reloaded->restart_required().empty());
  EXPECT_TRUE(a->GetPatient(Get(patient->name())).ok());
  EXPECT_TRUE(b->GetPatient(Get(patient->name())).ok());
  auto blocked = b->LogSession(
      SessionRequest(course->name(), absl::Now() - absl::Hours(2)));
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetErrorDetails(blocked.status()).reason, "PROTOCOL_RULE_BLOCKED");

  // Step 2, by SIGHUP: the old token is gone.
  const std::string only_b = ReloadConfigText({"token-b"}, "BLOCK");
  WriteFile(config, only_b);
  server.Signal(SIGHUP);
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  absl::Status refused_a = absl::OkStatus();
  while (absl::Now() < give_up) {
    refused_a = a->GetPatient(Get(patient->name())).status();
    if (refused_a.code() == absl::StatusCode::kUnauthenticated) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(refused_a.code(), absl::StatusCode::kUnauthenticated) << refused_a;
  EXPECT_TRUE(b->GetPatient(Get(patient->name())).ok());

  // A file that does not parse, or lists nobody, changes nothing.
  WriteFile(config, "principals { id: \"ehr\" role: ROLE_NURSE }\n");
  auto bad = admin->ReloadConfig({});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(bad.status().message().find(config + ":1:"), std::string::npos)
      << bad.status();
  WriteFile(config, "");
  auto nobody = admin->ReloadConfig({});
  EXPECT_EQ(nobody.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(nobody.status().message().find("lists no principals"),
            std::string::npos)
      << nobody.status();
  EXPECT_TRUE(b->GetPatient(Get(patient->name())).ok());
  EXPECT_EQ(a->GetPatient(Get(patient->name())).status().code(),
            absl::StatusCode::kUnauthenticated);

  // What only a start applies is applied then, and said so.
  WriteFile(config, ReloadConfigText({"token-b"}, "BLOCK",
                                     "request_id_retention_hours: 48\n"));
  auto later = admin->ReloadConfig({});
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(std::vector<std::string>(later->restart_required().begin(),
                                     later->restart_required().end()),
            std::vector<std::string>{"request_id_retention_hours"});

  // The audit log has every reload: who, the outcome and the file applied.
  auto auditor = Connect(port, "auditor-token");
  ASSERT_TRUE(auditor.ok());
  v1::ListAuditEventsRequest list;
  list.set_parent("clinics/-");
  list.set_action("/clinic.microneedling.v1.Admin/ReloadConfig");
  auto events = auditor->ListAllAuditEvents(list);
  ASSERT_TRUE(events.ok()) << events.status();
  std::vector<std::string> seen;
  for (const v1::AuditEvent& e : *events) {
    seen.push_back(
        absl::StrCat(e.principal(), " ", e.outcome(), " ", e.resource()));
  }
  EXPECT_EQ(
      seen,
      (std::vector<std::string>{
          "admin 0 config:sha256:" + Sha256Hex(both),
          "(sighup) 0 config:sha256:" + Sha256Hex(only_b), "admin 9 ",
          "admin 9 ",
          "admin 0 config:sha256:" +
              Sha256Hex(ReloadConfigText(
                  {"token-b"}, "BLOCK", "request_id_retention_hours: 48\n"))}));
  auto verified = auditor->VerifyAuditLog({});
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_TRUE(verified->ok()) << verified->problem();
  EXPECT_EQ(server.SignalAndWait(SIGTERM), 0);
}

}  // namespace
}  // namespace mnrecords::testing
