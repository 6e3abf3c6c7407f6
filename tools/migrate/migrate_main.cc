// mnrecords_migrate: copies a SQLite mnrecords database into PostgreSQL
// and proves the copy.
//
//   mnrecords_migrate --from=/var/lib/mnrecords/records.db
//       --to=postgresql://db.example/mnrecords [--resume]
//       [--checkpoint=SEQ:HASH ...]
//
// Progress goes to stderr, the report and the proof to stdout. Exit code
// 0: copied and proven identical; 1: the proof found differences; 2: bad
// flags; 3: refused or failed (nothing proven; after a failed copy, run
// again with --resume). See tools/migrate/migrate.h and
// docs/reliability.md, "Moving a database from SQLite to PostgreSQL".
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "client/cli/terminal_progress.h"
#include "tools/migrate/migrate.h"

ABSL_FLAG(std::string, from, "", "the SQLite mnrecords database to copy");
ABSL_FLAG(std::string, to, "",
          "the PostgreSQL database to copy into (postgresql://...; the "
          "password from PGPASSFILE or PGPASSWORD)");
ABSL_FLAG(bool, resume, false,
          "continue a copy of this source that stopped (a target with "
          "rows is otherwise refused)");
ABSL_FLAG(bool, verify_only, false, "copy nothing; only prove the target");
ABSL_FLAG(std::vector<std::string>, checkpoint, {},
          "SEQ:HASH of an audit checkpoint to verify on both sides "
          "(repeatable)");
ABSL_FLAG(bool, immutable_source, false,
          "read the source file as it is on disk, without locks or -shm/-wal "
          "files (only when no process has it open)");
ABSL_FLAG(int, batch_rows, 5000, "rows per PostgreSQL transaction");
ABSL_FLAG(int64_t, batch_mib, 32, "at most about this many MiB per batch");
ABSL_FLAG(int64_t, stop_after_batches, -1,
          "testing: stop before committing the batch after this many, as if "
          "the process died there");

namespace {

// TakeCheckpoints removes every --checkpoint from argv (so that the flag
// can repeat) and returns their values.
std::vector<std::string> TakeCheckpoints(int& argc, char** argv) {
  std::vector<std::string> values;
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (absl::StartsWith(arg, "--checkpoint=")) {
      for (absl::string_view v :
           absl::StrSplit(arg.substr(sizeof("--checkpoint=") - 1), ',',
                          absl::SkipEmpty())) {
        values.emplace_back(v);
      }
    } else if (arg == "--checkpoint" && i + 1 < argc) {
      values.emplace_back(argv[++i]);
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  return values;
}

void PrintCopy(const mnrecords::migrate::CopyStats& copy) {
  int64_t rows = 0;
  int64_t bytes = 0;
  for (const mnrecords::migrate::TableCopy& t : copy.tables) {
    std::printf(
        "  %s: %lld rows copied (%s)%s\n", t.table.c_str(),
        static_cast<long long>(t.rows),
        mnrecords::migrate::HumanBytes(static_cast<double>(t.bytes)).c_str(),
        t.resumed_after.empty()
            ? ""
            : (", after " + t.resumed_after + " already there").c_str());
    rows += t.rows;
    bytes += t.bytes;
  }
  const double seconds = absl::ToDoubleSeconds(copy.elapsed);
  std::printf(
      "copy: %lld rows, %s in %lld batches, %.1f s (%.0f rows/s, %s/s)\n",
      static_cast<long long>(rows),
      mnrecords::migrate::HumanBytes(static_cast<double>(bytes)).c_str(),
      static_cast<long long>(copy.batches), seconds,
      seconds > 0 ? rows / seconds : 0.0,
      mnrecords::migrate::HumanBytes(seconds > 0 ? bytes / seconds : 0)
          .c_str());
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "copies a SQLite mnrecords database into PostgreSQL and proves the "
      "copy:\n  mnrecords_migrate --from=PATH.db --to=postgresql://... "
      "[--resume] [--checkpoint=SEQ:HASH]");
  std::vector<std::string> checkpoints = TakeCheckpoints(argc, argv);
  absl::ParseCommandLine(argc, argv);
  for (const std::string& c : absl::GetFlag(FLAGS_checkpoint)) {
    checkpoints.push_back(c);
  }
  mnrecords::migrate::MigrateOptions options;
  options.from = absl::GetFlag(FLAGS_from);
  options.to = absl::GetFlag(FLAGS_to);
  options.resume = absl::GetFlag(FLAGS_resume);
  options.verify_only = absl::GetFlag(FLAGS_verify_only);
  options.immutable_source = absl::GetFlag(FLAGS_immutable_source);
  options.copy.batch_rows = absl::GetFlag(FLAGS_batch_rows);
  options.copy.batch_bytes = absl::GetFlag(FLAGS_batch_mib) << 20;
  options.copy.stop_after_batches = absl::GetFlag(FLAGS_stop_after_batches);
  for (const std::string& c : checkpoints) {
    absl::StatusOr<mnrecords::migrate::Checkpoint> cp =
        mnrecords::migrate::ParseCheckpoint(c);
    if (!cp.ok()) {
      std::fprintf(stderr, "mnrecords_migrate: --checkpoint: %s\n",
                   std::string(cp.status().message()).c_str());
      return 2;
    }
    options.checkpoints.push_back(*cp);
  }
  // On a terminal the progress line is rewritten in place five times a
  // second and each phase's summary stays; elsewhere (logs, CI) a line
  // every 5 s.
  mnrecords::cli::TerminalLine terminal;
  if (terminal.active()) {
    options.progress.interval = absl::Milliseconds(200);
    options.progress.report = [&terminal](const std::string& line, bool final) {
      if (final) {
        terminal.Print(line);
      } else {
        terminal.Show(line);
      }
    };
  } else {
    options.progress.report = [](const std::string& line, bool) {
      std::fprintf(stderr, "%s\n", line.c_str());
    };
  }
  absl::StatusOr<mnrecords::migrate::MigrateReport> report =
      mnrecords::migrate::RunMigration(options);
  if (!report.ok()) {
    std::fprintf(stderr, "mnrecords_migrate: %s\n",
                 report.status().ToString().c_str());
    return absl::IsInvalidArgument(report.status()) ? 2 : 3;
  }
  std::printf("%s %s -> %s\n", options.verify_only ? "verified" : "migrated",
              options.from.c_str(), options.to.c_str());
  if (report->copy.has_value()) PrintCopy(*report->copy);
  for (const std::string& line :
       mnrecords::migrate::FormatProof(report->proof)) {
    std::printf("%s\n", line.c_str());
  }
  std::printf("total: %.1f s\n", absl::ToDoubleSeconds(report->elapsed));
  return report->proof.ok() ? 0 : 1;
}
