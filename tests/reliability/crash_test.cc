// mnrecords_crash_test: crash safety of the shipped server. Runs the real
// mnrecords_server binary on a SQLite file under a write load of
// --workers concurrent clients (each retrying calls of unknown outcome with
// the same request_id), kills it with SIGKILL at random moments --kills
// times (seeded: --seed, printed), restarts it each time (the load stops
// while the server is down after the last kill), then checks that
// every acknowledged create is there exactly once with the content sent,
// nothing unsent exists, calls of unknown outcome are there at most once
// (exactly once after a retry), each has its audit event, the audit chain
// verifies, the server stops cleanly on SIGTERM and PRAGMA integrity_check
// is ok. Prints the counts; exits 0 only if everything holds.
//
// With --postgres the servers run on a new PostgreSQL database
// (tests/support/postgres_test_db.h; MNRECORDS_TEST_PG must be set, as
// scripts/with-postgres.sh does) instead, and with --servers=N (N > 1 only
// on PostgreSQL) N servers serve that one database at once: worker i writes
// through server i % N, each kill picks one server at random (seeded) while
// the others keep serving, and the check reads through one of them. Every
// server must stop cleanly; there is no integrity_check on PostgreSQL.
//
// CI runs it with --kills=8, on SQLite and on PostgreSQL with two servers
// (ctest crash_test_8_kills, crash_test_postgres_2_servers); the full runs
// are (the second one command line)
//   build/tests/reliability/mnrecords_crash_test --kills=50
//   scripts/with-postgres.sh build/tests/reliability/mnrecords_crash_test
//       --postgres --servers=2 --kills=50
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/reliability/durability_check.h"
#include "tests/reliability/process_config.h"
#include "tests/reliability/server_process.h"
#include "tests/reliability/write_load.h"
#include "tests/support/postgres_test_db.h"

ABSL_FLAG(int, kills, 8, "how many times to SIGKILL a server");
ABSL_FLAG(uint64_t, seed, 0, "random seed (0: from the clock)");
ABSL_FLAG(int, workers, 64, "concurrent writing clients");
ABSL_FLAG(absl::Duration, min_run, absl::Milliseconds(100),
          "shortest time the servers run under load before a kill");
ABSL_FLAG(absl::Duration, max_run, absl::Milliseconds(700),
          "longest time the servers run under load before a kill");
ABSL_FLAG(std::string, server, MNRECORDS_SERVER_BINARY,
          "the mnrecords_server binary");
ABSL_FLAG(bool, new_channel_on_unknown, true,
          "workers retry a call of unknown outcome on a new connection "
          "(false: on their channel, as gRPC reconnects it)");
ABSL_FLAG(bool, postgres, false,
          "serve a new PostgreSQL database (PostgresTestDatabase: needs "
          "MNRECORDS_TEST_PG, e.g. under scripts/with-postgres.sh) instead "
          "of a SQLite file");
ABSL_FLAG(int, servers, 1,
          "servers on the one database, the workers spread over them and "
          "one picked at random for each kill (more than 1 needs --postgres)");
ABSL_FLAG(std::string, dir, "",
          "directory for the database and logs (default: a new temp dir, "
          "removed if the run passes)");

namespace mnrecords::testing {
namespace {

using Servers = ServerProcesses;

int Fail(const std::string& what, const Servers& servers = {}) {
  std::cout << "FAILED: " << what << "\n";
  for (size_t i = 0; i < servers.size(); ++i) {
    std::cout << "server " << i << " log:\n" << servers[i]->LogTail();
  }
  std::cout << std::flush;
  return 1;
}

absl::StatusOr<RecordsClient> Client(int port, const std::string& token) {
  ClientOptions options;
  options.target = absl::StrCat("127.0.0.1:", port);
  options.bearer_token = token;
  options.max_attempts = 8;
  return RecordsClient::Create(options);
}

// Database is the --db of the run in `dir`: a SQLite file there, or with
// --postgres a new PostgreSQL database named after `dir`.
absl::StatusOr<std::string> Database(const std::string& dir) {
  if (!absl::GetFlag(FLAGS_postgres)) return dir + "/crash.db";
  return PostgresTestDatabase(dir);
}

// KillAndRestart runs `load` and meanwhile `kills` times, at random
// moments, kills a server (one of `servers` picked at random when there are
// several) and restarts it; the load stops while the server is down after
// the last kill. Returns the load's calls, or why a restart failed.
absl::StatusOr<std::vector<SentCreate>> KillAndRestart(Servers& servers,
                                                       WriteLoad& load,
                                                       int kills,
                                                       std::mt19937_64& rng) {
  const int64_t min_us =
      absl::ToInt64Microseconds(absl::GetFlag(FLAGS_min_run));
  const int64_t max_us =
      absl::ToInt64Microseconds(absl::GetFlag(FLAGS_max_run));
  std::vector<SentCreate> calls;
  load.Start();
  for (int kill = 1; kill <= kills; ++kill) {
    const int64_t run_us =
        min_us + static_cast<int64_t>(rng() % (max_us - min_us + 1));
    absl::SleepFor(absl::Microseconds(run_us));
    const int64_t before = load.calls_done();
    // (No draw with one server, so that a seed replays as it always did.)
    const size_t victim = servers.size() == 1 ? 0 : rng() % servers.size();
    servers[victim]->Kill();
    absl::SleepFor(absl::Milliseconds(static_cast<int64_t>(rng() % 50)));
    // The last kill ends the load while the server is down, so that calls
    // end with an unknown outcome and the check retries them.
    if (kill == kills) calls = load.Stop();
    auto restarted = servers[victim]->Start();
    if (!restarted.ok()) {
      if (kill != kills) load.Stop();
      return absl::Status(
          restarted.status().code(),
          absl::StrCat("restart of server ", victim, " after kill ", kill, ": ",
                       restarted.status().message()));
    }
    std::cout << absl::FormatTime("%H:%M:%E3S ", absl::Now(),
                                  absl::UTCTimeZone())
              << "kill " << kill
              << (servers.size() > 1 ? absl::StrCat(" (server ", victim, ")")
                                     : "")
              << " after " << run_us / 1000 << " ms; calls done so far "
              << before << std::endl;
  }
  if (kills == 0) calls = load.Stop();
  return calls;
}

int Run() {
  const bool postgres = absl::GetFlag(FLAGS_postgres);
  const int server_count = absl::GetFlag(FLAGS_servers);
  if (server_count < 1) return Fail("--servers must be at least 1");
  if (server_count > 1 && !postgres) {
    return Fail(
        "--servers=N with N > 1 needs --postgres: a SQLite database file is "
        "served by one server process");
  }
  if (postgres && !PostgresConfigured()) {
    return Fail(
        "--postgres needs a PostgreSQL server: set MNRECORDS_TEST_PG, or run "
        "under scripts/with-postgres.sh");
  }
  uint64_t seed = absl::GetFlag(FLAGS_seed);
  if (seed == 0) seed = static_cast<uint64_t>(absl::ToUnixMicros(absl::Now()));
  const int kills = absl::GetFlag(FLAGS_kills);
  std::string dir = absl::GetFlag(FLAGS_dir);
  const bool own_dir = dir.empty();  // removed after a pass, kept on failure
  if (own_dir) {
    auto made = MakeRunDir("mnrcrash");
    if (!made.ok()) return Fail(made.status().ToString());
    dir = *made;
  }
  auto db = Database(dir);
  if (!db.ok()) return Fail(db.status().ToString());
  std::cout << "mnrecords_crash_test --seed=" << seed << " --kills=" << kills
            << " --workers=" << absl::GetFlag(FLAGS_workers)
            << (postgres ? " --postgres" : "") << " --servers=" << server_count
            << " (in " << dir << ", db " << *db << ")" << std::endl;

  auto config = WriteProcessConfig(dir + "/config.textproto");
  if (!config.ok()) return Fail(config.status().ToString());
  Servers servers;
  WriteLoadOptions load_options;
  auto targets = StartServers(server_count, absl::GetFlag(FLAGS_server), *db,
                              config->path, dir, servers);
  if (!targets.ok()) return Fail(targets.status().ToString(), servers);
  load_options.targets = *targets;
  load_options.token = config->ehr_token;
  load_options.workers = absl::GetFlag(FLAGS_workers);
  load_options.seed = seed;
  load_options.new_channel_on_unknown =
      absl::GetFlag(FLAGS_new_channel_on_unknown);
  auto load = WriteLoad::Prepare(load_options);
  if (!load.ok()) return Fail(load.status().ToString(), servers);

  std::mt19937_64 rng(seed);
  const absl::Time start = absl::Now();
  auto calls = KillAndRestart(servers, **load, kills, rng);
  if (!calls.ok()) return Fail(calls.status().ToString(), servers);
  const absl::Duration took = absl::Now() - start;

  // The check reads through the first server (all serve the same data).
  auto ehr = Client(servers[0]->port(), config->ehr_token);
  auto auditor = Client(servers[0]->port(), config->auditor_token);
  if (!ehr.ok() || !auditor.ok()) return Fail("client");
  auto report = CheckDurability(*calls, (*load)->setup_tags(), *ehr, *auditor);
  if (!report.ok()) return Fail(report.status().ToString(), servers);

  bool clean_exits = true;
  std::string exit_codes;
  for (std::unique_ptr<ServerProcess>& server : servers) {
    auto exit_code = server->Terminate(absl::Seconds(30));
    if (!exit_code.ok()) return Fail(exit_code.status().ToString(), servers);
    clean_exits = clean_exits && *exit_code == 0;
    absl::StrAppend(&exit_codes, exit_codes.empty() ? "" : " ", *exit_code);
  }
  std::string integrity = "ok";  // SQLite only
  if (!postgres) {
    auto checked = IntegrityCheck(*db);
    if (!checked.ok()) return Fail(checked.status().ToString());
    integrity = *checked;
  }

  std::cout << "kills " << kills << " in " << absl::FormatDuration(took)
            << " under load of " << absl::GetFlag(FLAGS_workers)
            << " clients on " << server_count
            << (server_count == 1 ? " server" : " servers") << "\n"
            << report->Summary() << "\nserver exit code"
            << (server_count == 1 ? "" : "s") << " after SIGTERM "
            << exit_codes;
  if (!postgres) std::cout << "\nintegrity_check: " << integrity;
  std::cout << std::endl;
  if (!report->ok() || !clean_exits || integrity != "ok") {
    return Fail("durability check (see above)", servers);
  }
  std::cout << "PASSED" << std::endl;
  if (own_dir) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace mnrecords::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return mnrecords::testing::Run();
}
