// mnrecords_mirror_test: the change feed under crashes. Runs the real
// mnrecords_server binary on a SQLite file and the shipped
// `mnrec changes watch --clinic=c1 --json` as a consumer that copies clinic
// c1 into a map (name -> revisions) from the lines it prints, while
// --workers concurrent clients write to c1 (patients, courses, sessions,
// amendments through a WriteLoad; --consent_workers of them record and
// revoke consents), each call of unknown outcome retried with its
// request_id. Meanwhile, in a seeded random order (--seed, printed), it
// SIGKILLs and restarts the server --kills times and restarts the consumer
// --consumer_restarts times: alternately killed (SIGKILL, resumed with
// --since= the cursor of the last change it printed) and stopped (SIGTERM,
// resumed with the next_cursor it printed on stderr). Then it stops the
// writers, lets the consumer catch up to the head cursor, stops it, lists
// every change of c1 from the start (ListChanges) and checks that the copy
// holds exactly those changes: each once (a change delivered twice fails),
// in the server's commit order, the same content, each record's revisions
// 1, 2, 3, ... without gaps, and every acknowledged write among them.
// Prints the counts; exits 0 only if everything holds.
//
// With --postgres --servers=N (as mnrecords_crash_test) the servers share a
// new PostgreSQL database, the writers spread over them, each kill picks
// one at random, and the consumer follows server 0 (changes written through
// the others reach it through its poll of the database).
//
//   build/tests/reliability/mnrecords_mirror_test --kills=10
//   scripts/with-postgres.sh build/tests/reliability/mnrecords_mirror_test
//       --postgres --servers=2
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
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
#include "tests/reliability/consent_load.h"
#include "tests/reliability/feed_mirror.h"
#include "tests/reliability/process_config.h"
#include "tests/reliability/server_process.h"
#include "tests/reliability/watch_process.h"
#include "tests/reliability/write_load.h"
#include "tests/support/postgres_test_db.h"

ABSL_FLAG(int, kills, 4, "how many times to SIGKILL a server");
ABSL_FLAG(int, consumer_restarts, 2,
          "how many times to kill or stop the consumer and resume it");
ABSL_FLAG(uint64_t, seed, 0, "random seed (0: from the clock)");
ABSL_FLAG(int, workers, 64, "concurrent writing clients, consents included");
ABSL_FLAG(int, consent_workers, 8,
          "of the workers, how many record and revoke consents");
ABSL_FLAG(absl::Duration, min_run, absl::Milliseconds(800),
          "shortest time between two kills or consumer restarts");
ABSL_FLAG(absl::Duration, max_run, absl::Milliseconds(2500),
          "longest time between two kills or consumer restarts");
ABSL_FLAG(absl::Duration, catch_up, absl::Seconds(60),
          "how long the consumer may take to reach the head at the end");
ABSL_FLAG(std::string, server, MNRECORDS_SERVER_BINARY,
          "the mnrecords_server binary");
ABSL_FLAG(std::string, mnrec, MNREC_BINARY, "the mnrec binary");
ABSL_FLAG(bool, postgres, false,
          "serve a new PostgreSQL database (needs MNRECORDS_TEST_PG, e.g. "
          "under scripts/with-postgres.sh) instead of a SQLite file");
ABSL_FLAG(int, servers, 1,
          "servers on the one database (more than 1 needs --postgres)");
ABSL_FLAG(std::string, dir, "",
          "directory for the database and logs (default: a new temp dir, "
          "removed if the run passes)");

namespace mnrecords::testing {
namespace {

using Servers = ServerProcesses;

int Fail(const std::string& what, const Servers& servers = {},
         const WatchProcess* consumer = nullptr) {
  std::cout << "FAILED: " << what << "\n";
  for (size_t i = 0; i < servers.size(); ++i) {
    std::cout << "server " << i << " log:\n" << servers[i]->LogTail();
  }
  if (consumer != nullptr) {
    std::cout << "consumer stderr:\n" << consumer->LogTail();
  }
  std::cout << std::flush;
  return 1;
}

std::string Now() {
  return absl::FormatTime("%H:%M:%E3S", absl::Now(), absl::UTCTimeZone());
}

// Consumer is the mnrec watch process with the copy it fills.
struct Consumer {
  FeedMirror mirror;
  std::unique_ptr<WatchProcess> process;
  std::string dir;
  int runs = 0;

  absl::Status Start(const std::string& since) {
    ++runs;
    return process->Start(since, absl::StrCat(dir, "/consumer", runs, ".log"));
  }
};

// RestartConsumer kills (`hard`) or stops the consumer and resumes it from
// the cursor it printed last: that of its last change line after SIGKILL,
// the next_cursor on stderr after SIGTERM.
absl::Status RestartConsumer(Consumer& consumer, bool hard) {
  auto exit_code =
      consumer.process->Stop(hard ? SIGKILL : SIGTERM, absl::Seconds(10));
  if (!exit_code.ok()) return exit_code.status();
  std::string since = consumer.mirror.last_cursor();
  if (!hard) {
    if (*exit_code != 0) {
      return absl::InternalError(absl::StrCat("consumer exited with ",
                                              *exit_code, " after SIGTERM:\n",
                                              consumer.process->LogTail()));
    }
    auto printed = consumer.process->ResumeCursor();
    if (!printed.ok()) return printed.status();
    if (*printed < since) {
      return absl::InternalError(
          absl::StrCat("consumer's next_cursor ", *printed,
                       " is before its last change's cursor ", since));
    }
    since = *printed;
  }
  std::cout << Now() << " consumer " << (hard ? "killed" : "stopped")
            << " after " << consumer.mirror.applied()
            << " changes; resumed --since=" << since << std::endl;
  return consumer.Start(since);
}

// Disturb runs the loads and meanwhile kills and restarts servers `kills`
// times and restarts the consumer `restarts` times, in a random order.
absl::Status Disturb(Servers& servers, Consumer& consumer, WriteLoad& load,
                     ConsentLoad& consents, int kills, int restarts,
                     std::mt19937_64& rng) {
  const int64_t min_us =
      absl::ToInt64Microseconds(absl::GetFlag(FLAGS_min_run));
  const int64_t max_us =
      absl::ToInt64Microseconds(absl::GetFlag(FLAGS_max_run));
  std::vector<bool> events(kills, true);  // true: a kill
  events.resize(kills + restarts, false);
  std::shuffle(events.begin(), events.end(), rng);
  load.Start();
  consents.Start();
  int kill = 0, restart = 0;
  for (bool is_kill : events) {
    const int64_t run_us =
        min_us + static_cast<int64_t>(rng() % (max_us - min_us + 1));
    absl::SleepFor(absl::Microseconds(run_us));
    if (!is_kill) {
      absl::Status restarted = RestartConsumer(consumer, restart++ % 2 == 0);
      if (!restarted.ok()) return restarted;
      continue;
    }
    ++kill;
    const size_t victim = rng() % servers.size();
    servers[victim]->Kill();
    absl::SleepFor(absl::Milliseconds(static_cast<int64_t>(rng() % 50)));
    auto port = servers[victim]->Start();
    if (!port.ok()) {
      return absl::Status(
          port.status().code(),
          absl::StrCat("restart of server ", victim, " after kill ", kill, ": ",
                       port.status().message()));
    }
    std::cout << Now() << " kill " << kill << " (server " << victim
              << ") after " << run_us / 1000 << " ms; calls done "
              << load.calls_done() << ", consents " << consents.acknowledged()
              << ", changes mirrored " << consumer.mirror.applied()
              << std::endl;
  }
  absl::SleepFor(absl::Microseconds(min_us));
  return absl::OkStatus();
}

// AckedMissing counts acknowledged writes whose revision is not in the copy.
int64_t AckedMissing(const std::vector<SentCreate>& calls,
                     const FeedMirror& mirror, std::vector<std::string>& out) {
  int64_t missing = 0;
  for (const SentCreate& call : calls) {
    if (call.outcome != CallOutcome::kAcknowledged) continue;
    int64_t revision = 0;
    if (call.is_patient) {
      v1::Patient patient;
      patient.ParseFromString(call.response);
      revision = patient.revision().revision_id();
    } else {
      v1::TreatmentSession session;
      session.ParseFromString(call.response);
      revision = session.revision().revision_id();
    }
    if (!mirror.Has(call.name, revision)) {
      ++missing;
      if (out.size() < 5) {
        out.push_back(absl::StrCat("acknowledged ", call.name, " rev ",
                                   revision, " (", call.tag,
                                   ") not in the copy"));
      }
    }
  }
  return missing;
}

int Run() {
  const bool postgres = absl::GetFlag(FLAGS_postgres);
  const int server_count = absl::GetFlag(FLAGS_servers);
  if (server_count < 1) return Fail("--servers must be at least 1");
  if (server_count > 1 && !postgres) {
    return Fail("--servers=N with N > 1 needs --postgres");
  }
  if (postgres && !PostgresConfigured()) {
    return Fail(
        "--postgres needs a PostgreSQL server: set MNRECORDS_TEST_PG, or run "
        "under scripts/with-postgres.sh");
  }
  const int workers = absl::GetFlag(FLAGS_workers);
  const int consent_workers = absl::GetFlag(FLAGS_consent_workers);
  if (consent_workers < 1 || consent_workers >= workers) {
    return Fail("--consent_workers must be in [1, --workers)");
  }
  uint64_t seed = absl::GetFlag(FLAGS_seed);
  if (seed == 0) seed = static_cast<uint64_t>(absl::ToUnixMicros(absl::Now()));
  const int kills = absl::GetFlag(FLAGS_kills);
  const int restarts = absl::GetFlag(FLAGS_consumer_restarts);
  std::string dir = absl::GetFlag(FLAGS_dir);
  const bool own_dir = dir.empty();
  if (own_dir) {
    auto made = MakeRunDir("mnrmirror");
    if (!made.ok()) return Fail(made.status().ToString());
    dir = *made;
  }
  auto db = postgres ? PostgresTestDatabase(dir)
                     : absl::StatusOr<std::string>(dir + "/mirror.db");
  if (!db.ok()) return Fail(db.status().ToString());
  std::cout << "mnrecords_mirror_test --seed=" << seed << " --kills=" << kills
            << " --consumer_restarts=" << restarts << " --workers=" << workers
            << (postgres ? " --postgres" : "") << " --servers=" << server_count
            << " (in " << dir << ", db " << *db << ")" << std::endl;

  auto config = WriteProcessConfig(dir + "/config.textproto");
  if (!config.ok()) return Fail(config.status().ToString());
  Servers servers;
  WriteLoadOptions options;
  auto targets = StartServers(server_count, absl::GetFlag(FLAGS_server), *db,
                              config->path, dir, servers);
  if (!targets.ok()) return Fail(targets.status().ToString(), servers);
  options.targets = *targets;
  options.token = config->ehr_token;
  options.seed = seed;
  options.workers = consent_workers;
  auto consents = ConsentLoad::Prepare(options, config->admin_token);
  if (!consents.ok()) return Fail(consents.status().ToString(), servers);
  options.workers = workers - consent_workers;
  auto load = WriteLoad::Prepare(options);
  if (!load.ok()) return Fail(load.status().ToString(), servers);

  // The consumer starts from the clinic's first change: the setup records
  // above are in its copy too.
  Consumer consumer;
  consumer.dir = dir;
  consumer.process = std::make_unique<WatchProcess>(
      absl::GetFlag(FLAGS_mnrec), options.targets[0], config->ehr_token,
      [&consumer](const std::string& line) {
        consumer.mirror.ApplyJsonLine(line);
      });
  absl::Status started = consumer.Start("");
  if (!started.ok()) return Fail(started.ToString(), servers);

  std::mt19937_64 rng(seed);
  const absl::Time start = absl::Now();
  absl::Status disturbed =
      Disturb(servers, consumer, **load, **consents, kills, restarts, rng);
  std::vector<SentCreate> calls = (*load)->Stop();
  (*consents)->Stop();
  if (!disturbed.ok()) {
    return Fail(disturbed.ToString(), servers, consumer.process.get());
  }
  const absl::Duration took = absl::Now() - start;

  // Catch up: the consumer reaches the head the writers left.
  ClientOptions client_options;
  client_options.target = options.targets[0];
  client_options.bearer_token = config->ehr_token;
  client_options.max_attempts = 8;
  auto ehr = RecordsClient::Create(client_options);
  if (!ehr.ok()) return Fail(ehr.status().ToString(), servers);
  auto head = HeadCursor(*ehr, "clinics/c1");
  if (!head.ok()) return Fail(head.status().ToString(), servers);
  const absl::Time caught_up_by = absl::Now() + absl::GetFlag(FLAGS_catch_up);
  while (consumer.mirror.last_cursor() < *head) {
    if (absl::Now() > caught_up_by) {
      return Fail(
          absl::StrCat("consumer at ", consumer.mirror.last_cursor(),
                       " did not reach the head ", *head, " within ",
                       absl::FormatDuration(absl::GetFlag(FLAGS_catch_up))),
          servers, consumer.process.get());
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  const absl::Duration catch_up = absl::Now() - (start + took);
  // A moment for anything delivered beyond the head (a duplicate, say).
  absl::SleepFor(absl::Milliseconds(500));
  auto consumer_exit = consumer.process->Stop(SIGTERM, absl::Seconds(10));
  if (!consumer_exit.ok() || *consumer_exit != 0) {
    return Fail("consumer did not exit 0 on SIGTERM", servers,
                consumer.process.get());
  }

  auto listed = ListAllChanges(*ehr, "clinics/c1");
  if (!listed.ok()) return Fail(listed.status().ToString(), servers);
  MirrorReport report = consumer.mirror.Compare(*listed);
  std::vector<std::string> acked_problems;
  const int64_t acked_missing =
      AckedMissing(calls, consumer.mirror, acked_problems);
  int64_t acknowledged = 0;
  for (const SentCreate& call : calls) {
    acknowledged += call.outcome == CallOutcome::kAcknowledged;
  }

  bool clean_exits = true;
  for (std::unique_ptr<ServerProcess>& server : servers) {
    auto exit_code = server->Terminate(absl::Seconds(30));
    clean_exits = clean_exits && exit_code.ok() && *exit_code == 0;
  }
  std::cout << "kills " << kills << ", consumer restarts " << restarts
            << " (runs " << consumer.runs << ") in "
            << absl::FormatDuration(took) << " under load of " << workers
            << " clients on " << server_count
            << (server_count == 1 ? " server" : " servers")
            << "; catch-up to the head " << absl::FormatDuration(catch_up)
            << "\nwrites acknowledged " << acknowledged << " + consents "
            << (*consents)->acknowledged()
            << ", of those missing from the copy " << acked_missing << "\n"
            << report.Summary()
            << "\nservers exited cleanly: " << (clean_exits ? "yes" : "NO")
            << std::endl;
  for (const std::string& p : acked_problems) std::cout << "  " << p << "\n";
  if (!report.ok() || acked_missing != 0 || !clean_exits) {
    return Fail("mirror check (see above)", servers, consumer.process.get());
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
