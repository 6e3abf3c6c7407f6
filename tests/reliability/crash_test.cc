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
// CI runs it with --kills=8; the full run is
//   build/tests/reliability/mnrecords_crash_test --kills=50
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/reliability/durability_check.h"
#include "tests/reliability/process_config.h"
#include "tests/reliability/server_process.h"
#include "tests/reliability/write_load.h"

ABSL_FLAG(int, kills, 8, "how many times to SIGKILL the server");
ABSL_FLAG(uint64_t, seed, 0, "random seed (0: from the clock)");
ABSL_FLAG(int, workers, 64, "concurrent writing clients");
ABSL_FLAG(absl::Duration, min_run, absl::Milliseconds(100),
          "shortest time the server runs under load before a kill");
ABSL_FLAG(absl::Duration, max_run, absl::Milliseconds(700),
          "longest time the server runs under load before a kill");
ABSL_FLAG(std::string, server, MNRECORDS_SERVER_BINARY,
          "the mnrecords_server binary");
ABSL_FLAG(bool, new_channel_on_unknown, true,
          "workers retry a call of unknown outcome on a new connection "
          "(false: on their channel, as gRPC reconnects it)");
ABSL_FLAG(std::string, dir, "",
          "directory for the database and logs (default: a new temp dir, "
          "removed if the run passes)");

namespace mnrecords::testing {
namespace {

int Fail(const std::string& what, const ServerProcess* server = nullptr) {
  std::cout << "FAILED: " << what << "\n";
  if (server != nullptr) std::cout << "server log:\n" << server->LogTail();
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

int Run() {
  uint64_t seed = absl::GetFlag(FLAGS_seed);
  if (seed == 0) seed = static_cast<uint64_t>(absl::ToUnixMicros(absl::Now()));
  const int kills = absl::GetFlag(FLAGS_kills);
  std::string dir = absl::GetFlag(FLAGS_dir);
  const bool own_dir = dir.empty();  // removed after a pass, kept on failure
  if (own_dir) {
    const char* tmp = getenv("TMPDIR");
    std::string pattern = absl::StrCat(tmp ? tmp : "/tmp", "/mnrcrashXXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) return Fail("mkdtemp");
    dir = pattern;
  }
  std::cout << "mnrecords_crash_test --seed=" << seed << " --kills=" << kills
            << " --workers=" << absl::GetFlag(FLAGS_workers) << " (in " << dir
            << ")" << std::endl;

  auto config = WriteProcessConfig(dir + "/config.textproto");
  if (!config.ok()) return Fail(config.status().ToString());
  const std::string db = dir + "/crash.db";
  ServerProcess server(absl::GetFlag(FLAGS_server), db, config->path,
                       dir + "/server.log");
  auto port = server.Start();
  if (!port.ok()) return Fail(port.status().ToString(), &server);

  WriteLoadOptions load_options;
  load_options.target = absl::StrCat("127.0.0.1:", *port);
  load_options.token = config->ehr_token;
  load_options.workers = absl::GetFlag(FLAGS_workers);
  load_options.seed = seed;
  load_options.new_channel_on_unknown =
      absl::GetFlag(FLAGS_new_channel_on_unknown);
  auto load = WriteLoad::Prepare(load_options);
  if (!load.ok()) return Fail(load.status().ToString(), &server);

  std::mt19937_64 rng(seed);
  const int64_t min_us =
      absl::ToInt64Microseconds(absl::GetFlag(FLAGS_min_run));
  const int64_t max_us =
      absl::ToInt64Microseconds(absl::GetFlag(FLAGS_max_run));
  const absl::Time start = absl::Now();
  std::vector<SentCreate> calls;
  (*load)->Start();
  for (int kill = 1; kill <= kills; ++kill) {
    const int64_t run_us =
        min_us + static_cast<int64_t>(rng() % (max_us - min_us + 1));
    absl::SleepFor(absl::Microseconds(run_us));
    const int64_t before = (*load)->calls_done();
    server.Kill();
    absl::SleepFor(absl::Milliseconds(static_cast<int64_t>(rng() % 50)));
    // The last kill ends the load while the server is down, so that calls
    // end with an unknown outcome and the check retries them.
    if (kill == kills) calls = (*load)->Stop();
    auto restarted = server.Start();
    if (!restarted.ok()) {
      if (kill != kills) (*load)->Stop();
      return Fail(absl::StrCat("restart after kill ", kill, ": ",
                               restarted.status().ToString()),
                  &server);
    }
    std::cout << absl::FormatTime("%H:%M:%E3S ", absl::Now(),
                                  absl::UTCTimeZone())
              << "kill " << kill << " after " << run_us / 1000
              << " ms; calls done so far " << before << std::endl;
  }
  if (kills == 0) calls = (*load)->Stop();
  const absl::Duration took = absl::Now() - start;

  auto ehr = Client(*port, config->ehr_token);
  auto auditor = Client(*port, config->auditor_token);
  if (!ehr.ok() || !auditor.ok()) return Fail("client");
  auto report = CheckDurability(calls, (*load)->setup_tags(), *ehr, *auditor);
  if (!report.ok()) return Fail(report.status().ToString(), &server);

  auto exit_code = server.Terminate(absl::Seconds(30));
  if (!exit_code.ok()) return Fail(exit_code.status().ToString(), &server);
  auto integrity = IntegrityCheck(db);
  if (!integrity.ok()) return Fail(integrity.status().ToString());

  std::cout << "kills " << kills << " in " << absl::FormatDuration(took)
            << " under load of " << absl::GetFlag(FLAGS_workers) << " clients\n"
            << report->Summary() << "\nserver exit code after SIGTERM "
            << *exit_code << "\nintegrity_check: " << *integrity << std::endl;
  if (!report->ok() || *exit_code != 0 || *integrity != "ok") {
    return Fail("durability check (see above)", &server);
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
