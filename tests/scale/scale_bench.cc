// mnrecords_scale_bench: read latency at scale, start-up, resident memory
// and audit verification speed of the real mnrecords_server process on one
// or more seeded databases (tools/seed), side by side in one run.
//
//   mnrecords_scale_bench --dbs=/work/bench-data/10k.db,/work/bench-data/1m.db
//
// Each database gets its own server (start-up: --startups starts, process
// spawn to health SERVING). Every read RPC runs --iterations times from one
// client, interleaved across the databases call by call so that the noise
// of a shared machine hits both alike (p50, p99). Then per database: the
// whole audit log is verified (events/s), and --load_threads clients call
// the reads for --load_seconds while the server's VmRSS is sampled (VmHWM
// at the end). With two databases it prints each read's p50 ratio (second
// / first) and the targets of docs/performance.md.
// It prints figures and asserts no speed; it fails only if a call fails.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/sha256.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/scale/read_calls.h"
#include "tests/scale/server_process.h"
#include "tools/seed/seeder.h"

ABSL_FLAG(std::vector<std::string>, dbs, {},
          "seeded databases to measure, smallest first (comma separated)");
ABSL_FLAG(std::string, server, MNRECORDS_SERVER_BINARY,
          "the mnrecords_server binary");
ABSL_FLAG(std::string, work_dir, "/tmp", "where the config file goes");
ABSL_FLAG(int, iterations, 200, "calls of each read RPC");
ABSL_FLAG(int, coverage_iterations, 20, "calls of GetConsentCoverage");
ABSL_FLAG(int, warmup, 5, "untimed calls of each RPC first");
ABSL_FLAG(int64_t, verify_window, 10000,
          "audit events the per-call VerifyAuditLog checks");
ABSL_FLAG(int, verify_runs, 3, "whole-log VerifyAuditLog runs");
ABSL_FLAG(int, startups, 3, "server starts measured");
ABSL_FLAG(int, load_threads, 8, "concurrent clients in the memory phase");
ABSL_FLAG(double, load_seconds, 5, "length of the memory phase");

namespace mnrecords::scale {
namespace {

struct Latency {
  double p50_ms = 0;
  double p99_ms = 0;
  int n = 0;
  double cpu_ms = 0;  // server CPU time per call (user + system)
};

Latency Summarize(std::vector<double> ms) {
  Latency l;
  l.n = static_cast<int>(ms.size());
  if (ms.empty()) return l;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    size_t k = static_cast<size_t>(q * (ms.size() - 1) + 0.5);
    return ms[std::min(k, ms.size() - 1)];
  };
  l.p50_ms = at(0.50);
  l.p99_ms = at(0.99);
  return l;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct DbResult {
  std::string db;
  int64_t sessions = 0;
  int64_t audit_events = 0;
  int64_t file_mib = 0;
  std::vector<double> startups_ms;
  std::vector<std::string> order;
  std::map<std::string, Latency> reads;
  double verify_events_per_s = 0;
  double verify_seconds = 0;
  double verify_events_per_cpu_s = 0;  // per second of server CPU time
  ProcessMemory memory;
  int64_t max_sampled_rss_kib = 0;
  int64_t load_calls = 0;
};

std::string RandomToken() {
  std::random_device rd;
  std::string t;
  const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (int i = 0; i < 40; ++i) t += kAlphabet[rd() % (sizeof(kAlphabet) - 1)];
  return t;
}

absl::StatusOr<std::string> WriteConfig(const std::string& dir,
                                        const seed::SeedLayout& layout,
                                        const Tokens& tokens) {
  const std::string path =
      absl::StrCat(dir, "/mnrecords-scale-bench-", getpid(), ".textproto");
  std::ofstream out(path, std::ios::trunc);
  auto principal = [&](const char* id, const char* role,
                       const std::string& token) {
    out << "principals {\n  id: \"" << id << "\"\n  role: " << role << "\n";
    for (int i = 0; i < layout.options.clinics; ++i) {
      out << "  clinics: \"" << seed::ClinicId(i) << "\"\n";
    }
    out << "  token_sha256: \"" << Sha256Hex(token) << "\"\n}\n";
  };
  principal("bench-ehr", "ROLE_EHR_SYSTEM", tokens.ehr);
  principal("bench-auditor", "ROLE_AUDITOR", tokens.auditor);
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return path;
}

std::shared_ptr<grpc::Channel> Channel(const ServerProcess& server) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetInt("grpc.use_local_subchannel_pool", 1);
  return grpc::CreateCustomChannel(server.target(),
                                   grpc::InsecureChannelCredentials(), args);
}

// Db is one database under test with its running server.
struct Db {
  DbResult result;
  std::shared_ptr<const Targets> targets;
  Tokens tokens;
  std::string config;
  std::unique_ptr<ServerProcess> server;
  std::shared_ptr<grpc::Channel> channel;
  int64_t head = 0;
  std::vector<ReadCall> calls;
};

// StartDb measures start-up (--startups starts, the last one keeps
// running) and prepares the calls.
absl::StatusOr<std::unique_ptr<Db>> StartDb(const std::string& path) {
  auto db = std::make_unique<Db>();
  db->result.db = path;
  auto options = seed::ReadSeedInfo(path);
  if (!options.ok()) return options.status();
  db->result.sessions = options->sessions;
  auto picked = PickTargets(*options, absl::GetFlag(FLAGS_iterations));
  if (!picked.ok()) return picked.status();
  db->targets = std::make_shared<const Targets>(*std::move(picked));
  db->tokens = Tokens{RandomToken(), RandomToken()};
  auto config = WriteConfig(absl::GetFlag(FLAGS_work_dir), db->targets->layout,
                            db->tokens);
  if (!config.ok()) return config.status();
  db->config = *config;
  {
    std::ifstream f(path, std::ios::ate | std::ios::binary);
    db->result.file_mib = static_cast<int64_t>(f.tellg()) >> 20;
  }
  const int startups = std::max(1, absl::GetFlag(FLAGS_startups));
  for (int i = 0; i < startups; ++i) {
    if (db->server != nullptr) {
      if (absl::Status s = db->server->Stop(); !s.ok()) return s;
    }
    auto started =
        ServerProcess::Start(absl::GetFlag(FLAGS_server), path, db->config,
                             absl::GetFlag(FLAGS_work_dir));
    if (!started.ok()) return started.status();
    db->server = *std::move(started);
    db->result.startups_ms.push_back(
        absl::ToDoubleMilliseconds(db->server->startup()));
  }
  db->channel = Channel(*db->server);
  auto head = AuditHead(db->channel, db->tokens);
  if (!head.ok()) return head.status();
  db->head = *head;
  db->calls = ReadCalls(db->channel, db->tokens, db->targets, db->head,
                        absl::GetFlag(FLAGS_verify_window));
  return db;
}

absl::Status Failed(const std::string& db, const std::string& call,
                    const grpc::Status& s) {
  return absl::InternalError(absl::StrCat(
      db, ": ", call, " failed: ", s.error_code(), " ", s.error_message()));
}

// MeasureReads times every read RPC on every database, interleaved call by
// call (A, B, A, B, ...): a shared, noisy machine then slows both alike,
// and the ratio compares like with like.
absl::Status MeasureReads(std::vector<std::unique_ptr<Db>>& dbs) {
  const size_t calls = dbs[0]->calls.size();
  for (size_t c = 0; c < calls; ++c) {
    const std::string& name = dbs[0]->calls[c].name;
    const int n = name == "GetConsentCoverage"
                      ? absl::GetFlag(FLAGS_coverage_iterations)
                      : absl::GetFlag(FLAGS_iterations);
    std::vector<std::vector<double>> ms(dbs.size());
    std::vector<double> cpu_before(dbs.size(), 0);
    for (int i = -absl::GetFlag(FLAGS_warmup); i < n; ++i) {
      if (i == 0) {
        for (size_t d = 0; d < dbs.size(); ++d) {
          cpu_before[d] = dbs[d]->server->CpuSeconds().value_or(0);
        }
      }
      for (size_t d = 0; d < dbs.size(); ++d) {
        const ReadCall& call = dbs[d]->calls[c];
        const absl::Time t0 = absl::Now();
        const grpc::Status s = call.run(i < 0 ? n - i : i);
        const double elapsed = absl::ToDoubleMilliseconds(absl::Now() - t0);
        if (!s.ok()) return Failed(dbs[d]->result.db, call.name, s);
        if (i >= 0) ms[d].push_back(elapsed);
      }
    }
    for (size_t d = 0; d < dbs.size(); ++d) {
      const double cpu =
          dbs[d]->server->CpuSeconds().value_or(0) - cpu_before[d];
      dbs[d]->result.order.push_back(name);
      Latency l = Summarize(std::move(ms[d]));
      l.cpu_ms = n > 0 ? 1000 * cpu / n : 0;
      dbs[d]->result.reads[name] = l;
    }
  }
  return absl::OkStatus();
}

// MeasureVerifyAndMemory: whole-log verification speed, then memory while
// several clients call every read.
absl::Status MeasureVerifyAndMemory(Db& db) {
  DbResult& result = db.result;
  std::vector<double> rates;
  for (int i = 0; i < absl::GetFlag(FLAGS_verify_runs); ++i) {
    const double cpu0 = db.server->CpuSeconds().value_or(0);
    const absl::Time t0 = absl::Now();
    auto checked = VerifyWholeLog(db.channel, db.tokens);
    const double seconds = absl::ToDoubleSeconds(absl::Now() - t0);
    const double cpu = db.server->CpuSeconds().value_or(0) - cpu0;
    if (!checked.ok()) return checked.status();
    if (cpu > 0) result.verify_events_per_cpu_s = *checked / cpu;
    result.audit_events = *checked;
    result.verify_seconds = seconds;
    rates.push_back(*checked / seconds);
  }
  result.verify_events_per_s = Median(rates);

  std::atomic<bool> stop{false};
  std::atomic<int64_t> done{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < absl::GetFlag(FLAGS_load_threads); ++t) {
    threads.emplace_back([&, t] {
      std::shared_ptr<grpc::Channel> own = Channel(*db.server);
      std::vector<ReadCall> mine =
          ReadCalls(own, db.tokens, db.targets, db.head,
                    absl::GetFlag(FLAGS_verify_window));
      for (int64_t i = t; !stop.load(); i += 7) {
        if (!mine[i % mine.size()].run(i / 3).ok()) failures.fetch_add(1);
        done.fetch_add(1);
      }
    });
  }
  const absl::Time load_end =
      absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_load_seconds));
  while (absl::Now() < load_end) {
    auto m = db.server->Memory();
    if (m.ok()) {
      result.max_sampled_rss_kib =
          std::max(result.max_sampled_rss_kib, m->rss_kib);
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  stop.store(true);
  for (std::thread& t : threads) t.join();
  result.load_calls = done.load();
  auto memory = db.server->Memory();
  if (memory.ok()) result.memory = *memory;
  if (failures.load() > 0) {
    return absl::InternalError(
        absl::StrCat(failures.load(), " calls failed under load"));
  }
  return absl::OkStatus();
}

void PrintDb(const DbResult& r) {
  std::printf("\n== %s: %lld sessions, %lld audit events, %lld MiB ==\n",
              r.db.c_str(), static_cast<long long>(r.sessions),
              static_cast<long long>(r.audit_events),
              static_cast<long long>(r.file_mib));
  std::printf("start-up to SERVING: %s ms (median %.0f ms)\n",
              absl::StrJoin(r.startups_ms, ", ",
                            [](std::string* out, double v) {
                              absl::StrAppend(out, static_cast<int>(v));
                            })
                  .c_str(),
              Median(r.startups_ms));
  std::printf("%-34s %9s %9s %10s %6s\n", "read RPC (one client)", "p50 ms",
              "p99 ms", "CPU ms/call", "n");
  for (const std::string& name : r.order) {
    const Latency& l = r.reads.at(name);
    std::printf("%-34s %9.2f %9.2f %10.2f %6d\n", name.c_str(), l.p50_ms,
                l.p99_ms, l.cpu_ms, l.n);
  }
  std::printf(
      "VerifyAuditLog (whole log): %.0f events/s (%lld events in "
      "%.2f s); %.0f events per second of server CPU\n",
      r.verify_events_per_s, static_cast<long long>(r.audit_events),
      r.verify_seconds, r.verify_events_per_cpu_s);
  std::printf(
      "memory under load (%d clients, %lld calls): VmHWM %.1f MiB, "
      "VmRSS %.1f MiB (max sampled %.1f MiB)\n",
      absl::GetFlag(FLAGS_load_threads), static_cast<long long>(r.load_calls),
      r.memory.hwm_kib / 1024.0, r.memory.rss_kib / 1024.0,
      r.max_sampled_rss_kib / 1024.0);
}

void PrintComparison(const DbResult& a, const DbResult& b) {
  std::printf("\n== %lld vs %lld sessions: p50 ratio (target <= 1.5x) ==\n",
              static_cast<long long>(a.sessions),
              static_cast<long long>(b.sessions));
  std::printf("%-34s %10s %10s %7s %6s %10s %10s\n", "read RPC", "p50 small",
              "p50 large", "ratio", "", "CPU small", "CPU large");
  for (const std::string& name : a.order) {
    if (b.reads.count(name) == 0) continue;
    const double x = a.reads.at(name).p50_ms;
    const double y = b.reads.at(name).p50_ms;
    const double ratio = x > 0 ? y / x : 0;
    std::printf("%-34s %10.2f %10.2f %6.2fx %6s %10.2f %10.2f\n", name.c_str(),
                x, y, ratio, ratio <= 1.5 ? "met" : "MISSED",
                a.reads.at(name).cpu_ms, b.reads.at(name).cpu_ms);
  }
  std::printf(
      "(CPU = the server's CPU ms per call, /proc/PID/stat, 10 ms "
      "ticks spread over the calls: robust to a busy machine)\n");
  const double coverage = b.reads.count("GetConsentCoverage")
                              ? b.reads.at("GetConsentCoverage").p50_ms
                              : 0;
  const double hwm = b.memory.hwm_kib / 1024.0;
  const double startup = Median(b.startups_ms);
  std::printf("\n== targets on the larger database ==\n");
  std::printf("coverage report, one clinic-month: p50 %.1f ms (<= 100): %s\n",
              coverage, coverage <= 100 ? "met" : "MISSED");
  std::printf(
      "server resident memory under load: VmHWM %.1f MiB (<= 256): "
      "%s\n",
      hwm, hwm <= 256 ? "met" : "MISSED");
  std::printf("start-up to SERVING: median %.0f ms (<= 1000): %s\n", startup,
              startup <= 1000 ? "met" : "MISSED");
  std::printf("VerifyAuditLog: %.0f events/s (>= 1000000): %s\n",
              b.verify_events_per_s,
              b.verify_events_per_s >= 1e6 ? "met" : "MISSED");
}

}  // namespace
}  // namespace mnrecords::scale

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::vector<std::string> dbs = absl::GetFlag(FLAGS_dbs);
  if (dbs.empty()) {
    std::fprintf(stderr, "mnrecords_scale_bench: --dbs is required\n");
    return 2;
  }
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  std::printf(
      "mnrecords_scale_bench: %u cores, load average %.2f at start "
      "(a shared machine: figures are noisy)\n",
      std::thread::hardware_concurrency(), load[0]);
  std::vector<std::unique_ptr<mnrecords::scale::Db>> started;
  auto fail = [](const absl::Status& s) {
    std::fprintf(stderr, "mnrecords_scale_bench: %s\n", s.ToString().c_str());
    return 1;
  };
  for (const std::string& db : dbs) {
    auto d = mnrecords::scale::StartDb(db);
    if (!d.ok()) return fail(d.status());
    started.push_back(*std::move(d));
  }
  if (absl::Status s = mnrecords::scale::MeasureReads(started); !s.ok()) {
    return fail(s);
  }
  std::vector<mnrecords::scale::DbResult> results;
  for (auto& d : started) {
    if (absl::Status s = mnrecords::scale::MeasureVerifyAndMemory(*d);
        !s.ok()) {
      return fail(s);
    }
    if (absl::Status s = d->server->Stop(); !s.ok()) return fail(s);
    std::remove(d->config.c_str());
    mnrecords::scale::PrintDb(d->result);
    results.push_back(d->result);
  }
  for (size_t i = 1; i < results.size(); ++i) {
    mnrecords::scale::PrintComparison(results[0], results[i]);
  }
  return 0;
}
