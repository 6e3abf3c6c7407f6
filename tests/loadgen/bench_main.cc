// mnrecords_bench: drives a running mnrecords server over gRPC with a
// configurable mix of calls at a fixed number of calls in flight, then
// measures, in the same run, the empty-RPC ceiling (health Check at the
// same concurrency) and the storage ceiling (raw SQLite inserts with the
// server's durability settings), and prints throughput, latency
// percentiles, errors by status code and the ratios. See
// docs/performance.md; scripts/bench.sh runs the documented scenarios.
#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tests/loadgen/change_watchers.h"
#include "tests/loadgen/report.h"
#include "tests/loadgen/workload.h"

ABSL_FLAG(std::string, server, "127.0.0.1:50051",
          "host:port of the server; several, comma-separated, for servers "
          "on one database (channel i goes to server i % N)");
ABSL_FLAG(std::string, clinic, "demo", "clinic to create the dataset in");
ABSL_FLAG(int, clinics, 1,
          "1: the dataset is in --clinic; K > 1: it is spread over the K "
          "clinics <clinic>-0..<clinic>-<K-1> (patients round robin, each "
          "slot writing in clinic slot % K); the tokens must be of "
          "principals in all K");
ABSL_FLAG(int, course_sessions, 0,
          "0: log_session moves through realistic 3-6 session courses; "
          "N >= 1: setup gives each slot a course of its own (planned 20) "
          "holding N sessions one hour apart, and log_session keeps logging "
          "into it one hour apart (the history allows about 9,000 sessions "
          "per slot in all; later ones lie in the future and fail)");
ABSL_FLAG(std::string, token, "",
          "bearer token of an EHR system (or clinician) in --clinic "
          "(default: $MNREC_EHR_TOKEN)");
ABSL_FLAG(std::string, admin_token, "",
          "bearer token of an admin of --clinic, to publish the instruction "
          "sets (default: $MNREC_ADMIN_TOKEN)");
ABSL_FLAG(std::string, mix, "log_session:1",
          "comma-separated kind:weight; kinds: log_session, course_summary, "
          "consent_history, record_consent, create_course, health_check "
          "(log_session creates a course first, shown as create_course, "
          "whenever the slot's course has its planned 3-6 sessions)");
ABSL_FLAG(int, in_flight, 64, "calls kept in flight");
ABSL_FLAG(int, channels, 4,
          "gRPC channels (TCP connections) the calls are spread over");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(2), "warm-up, not measured");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "measured time");
ABSL_FLAG(int, patients, 256,
          "patients to create (at least --in_flight are created)");
ABSL_FLAG(bool, health_ceiling, true,
          "also measure health Check at the same concurrency and duration");
ABSL_FLAG(std::string, db_dir, "",
          "directory of the server's database: measure the raw SQLite "
          "ceiling in a temp file there (empty: skip)");
ABSL_FLAG(absl::Duration, storage_duration, absl::Seconds(3),
          "time for each raw SQLite mode");
ABSL_FLAG(int, storage_group, 64, "rows per transaction, grouped mode");
ABSL_FLAG(std::string, server_pid, "",
          "if set, report the CPU time and context switches of this process "
          "(several, comma-separated: their sum)");
ABSL_FLAG(std::string, db_process, "",
          "if set, also report the CPU time of every process of this name "
          "(e.g. postgres: the database's CPU per call)");
ABSL_FLAG(std::string, json, "", "also write the figures as JSON here");
ABSL_FLAG(std::string, label, "", "scenario name printed in the header");
ABSL_FLAG(int, watchers, 0,
          "N > 0: N WatchChanges streams (each on a connection of its own, "
          "with --token) follow --clinic from its head during the workload; "
          "report changes received per second and commit-to-delivery "
          "latency (needs --clinics=1; at most the server's "
          "--max_watches_per_principal, 16 by default)");
ABSL_FLAG(absl::Duration, watch_grace, absl::Seconds(10),
          "after the workload, how long the watchers may take to reach the "
          "clinic's final head before the rest counts as missing");

namespace mnrecords::loadgen {
namespace {

// ServerCpuSeconds reads utime + stime of `pid` from /proc; -1 if unknown.
double ServerCpuSeconds(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return -1;
  std::vector<std::string> fields = absl::StrSplit(stat.substr(paren + 2), ' ');
  // Fields after "(comm)": state is [0], utime [11], stime [12].
  double utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return -1;
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// ContextSwitches: voluntary and involuntary, summed over the threads
// `tids`.
struct ContextSwitches {
  int64_t voluntary = 0;
  int64_t nonvoluntary = 0;
  std::set<std::string> tids;
};

// ThreadContextSwitches adds the counts in one /proc/PID/task/TID/status
// to `sum`; false if the file cannot be read (the thread has exited).
bool ThreadContextSwitches(const std::string& status_path,
                           ContextSwitches& sum) {
  std::ifstream in(status_path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, ':');
    int64_t n = 0;
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(kv.second), &n)) continue;
    if (kv.first == "voluntary_ctxt_switches") sum.voluntary += n;
    if (kv.first == "nonvoluntary_ctxt_switches") sum.nonvoluntary += n;
  }
  return true;
}

// ServerContextSwitches sums the context switches of every thread of `pid`
// now alive; nullopt if unknown. A thread that exits between two readings
// takes its switches with it (/proc has no per-process sum of them), so a
// server that ends threads during the window is undercounted; `tids` lets
// the caller see which threads ended.
std::optional<ContextSwitches> ServerContextSwitches(int pid) {
  if (pid <= 0) return std::nullopt;
  const std::string dir = absl::StrCat("/proc/", pid, "/task");
  DIR* tasks = opendir(dir.c_str());
  if (tasks == nullptr) return std::nullopt;
  ContextSwitches sum;
  while (const dirent* entry = readdir(tasks)) {
    if (entry->d_name[0] == '.') continue;
    if (ThreadContextSwitches(absl::StrCat(dir, "/", entry->d_name, "/status"),
                              sum)) {
      sum.tids.insert(entry->d_name);
    }
  }
  closedir(tasks);
  return sum;
}

// ProcessesCpuSeconds returns the CPU seconds of each process named `comm`
// now alive, by pid.
std::map<int, double> ProcessesCpuSeconds(const std::string& comm) {
  std::map<int, double> out;
  if (comm.empty()) return out;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return out;
  while (const dirent* entry = readdir(proc)) {
    int pid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
    std::ifstream in(absl::StrCat("/proc/", pid, "/comm"));
    std::string name;
    if (!std::getline(in, name) || name != comm) continue;
    const double cpu = ServerCpuSeconds(pid);
    if (cpu >= 0) out[pid] = cpu;
  }
  closedir(proc);
  return out;
}

// CpuBetween sums the CPU the processes of both readings used between them
// (a process that came or went in between is not counted).
double CpuBetween(const std::map<int, double>& before,
                  const std::map<int, double>& after) {
  double sum = 0;
  for (const auto& [pid, cpu] : after) {
    auto it = before.find(pid);
    if (it != before.end()) sum += cpu - it->second;
  }
  return sum;
}

// ServersCpuSeconds is the sum of ServerCpuSeconds over `pids`; -1 if any
// is unknown (or there are none).
double ServersCpuSeconds(const std::vector<int>& pids) {
  double sum = pids.empty() ? -1 : 0;
  for (int pid : pids) {
    const double cpu = ServerCpuSeconds(pid);
    if (cpu < 0) return -1;
    sum += cpu;
  }
  return sum;
}

// ServersContextSwitches is the sum of ServerContextSwitches over `pids`;
// nullopt if any is unknown (or there are none).
std::optional<ContextSwitches> ServersContextSwitches(
    const std::vector<int>& pids) {
  if (pids.empty()) return std::nullopt;
  ContextSwitches sum;
  for (int pid : pids) {
    std::optional<ContextSwitches> one = ServerContextSwitches(pid);
    if (!one.has_value()) return std::nullopt;
    sum.voluntary += one->voluntary;
    sum.nonvoluntary += one->nonvoluntary;
    sum.tids.insert(one->tids.begin(), one->tids.end());
  }
  return sum;
}

std::string EnvOr(const std::string& flag, const char* env) {
  if (!flag.empty()) return flag;
  const char* v = std::getenv(env);
  return v == nullptr ? "" : v;
}

std::vector<std::shared_ptr<grpc::Channel>> Channels(
    const std::vector<std::string>& targets, int n) {
  std::vector<std::shared_ptr<grpc::Channel>> out;
  for (int i = 0; i < n; ++i) {
    const std::string& target = targets[i % targets.size()];
    grpc::ChannelArguments args;
    // A connection of its own per channel.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("mnrecords.bench_channel", i);
    out.push_back(grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args));
  }
  return out;
}

// RunPhase drives `mix` and reports it, with the server's CPU and context
// switches if known.
PhaseReport RunPhase(const std::string& label,
                     const std::vector<WeightedKind>& mix,
                     const DriverOptions& options,
                     const std::vector<int>& server_pids) {
  // The server's CPU and switches over the whole phase, scaled to the
  // measured window.
  const std::string db_process = absl::GetFlag(FLAGS_db_process);
  const std::map<int, double> db0 = ProcessesCpuSeconds(db_process);
  const double cpu0 = ServersCpuSeconds(server_pids);
  const std::optional<ContextSwitches> switches0 =
      ServersContextSwitches(server_pids);
  DriverResult result = Run(mix, options);
  const double cpu1 = ServersCpuSeconds(server_pids);
  const std::map<int, double> db1 = ProcessesCpuSeconds(db_process);
  const std::optional<ContextSwitches> switches1 =
      ServersContextSwitches(server_pids);
  const double scale = absl::ToDoubleSeconds(options.duration) /
                       absl::ToDoubleSeconds(options.duration + options.warmup);
  double server_cpu = -1;
  if (cpu0 >= 0 && cpu1 >= 0) server_cpu = (cpu1 - cpu0) * scale;
  PhaseReport report = MakePhaseReport(label, result, server_cpu);
  if (!db_process.empty())
    report.database_cpu_seconds = CpuBetween(db0, db1) * scale;
  if (switches0.has_value() && switches1.has_value()) {
    report.server_voluntary_switches =
        static_cast<double>(switches1->voluntary - switches0->voluntary) *
        scale;
    report.server_switches =
        report.server_voluntary_switches +
        static_cast<double>(switches1->nonvoluntary - switches0->nonvoluntary) *
            scale;
    // Threads gone by the end took their switches with them (and threads
    // that came and went in between are not seen at all): say so.
    report.server_threads_ended = 0;
    for (const std::string& tid : switches0->tids) {
      if (switches1->tids.count(tid) == 0) ++report.server_threads_ended;
    }
  }
  return report;
}

// DatasetLine describes what setup created, for the report's header.
std::string DatasetLine(const Dataset& data, int session_bytes) {
  std::string where =
      data.clinics.size() == 1
          ? absl::StrCat("clinic ", data.clinics[0])
          : absl::StrCat(data.clinics.size(), " clinics ", data.clinics.front(),
                         "..", data.clinics.back());
  std::string out = absl::StrFormat(
      "dataset: %d patients, %d courses in %s; logged sessions average %d "
      "bytes serialized\n",
      data.patients.size(), data.courses.size(), where, session_bytes);
  if (data.course_sessions > 0) {
    absl::StrAppendFormat(&out,
                          "each of the %d slots logs into its own course "
                          "(planned %d), pre-logged with %d session(s) one "
                          "hour apart\n",
                          data.slot_courses.size(), kSlotCoursePlanned,
                          data.course_sessions);
  }
  return out;
}

int Main() {
  WorkloadOptions wo;
  wo.clinic = absl::GetFlag(FLAGS_clinic);
  wo.token = EnvOr(absl::GetFlag(FLAGS_token), "MNREC_EHR_TOKEN");
  wo.admin_token = EnvOr(absl::GetFlag(FLAGS_admin_token), "MNREC_ADMIN_TOKEN");
  const int in_flight = absl::GetFlag(FLAGS_in_flight);
  const int channel_count = absl::GetFlag(FLAGS_channels);
  if (in_flight < 1 || channel_count < 1) {
    std::cerr << "mnrecords_bench: --in_flight and --channels must be >= 1\n";
    return 2;
  }
  wo.patients = std::max(absl::GetFlag(FLAGS_patients), in_flight);
  wo.clinics = absl::GetFlag(FLAGS_clinics);
  wo.slots = in_flight;
  wo.course_sessions = absl::GetFlag(FLAGS_course_sessions);
  if (wo.clinics < 1 || wo.course_sessions < 0) {
    std::cerr << "mnrecords_bench: --clinics must be >= 1 and "
                 "--course_sessions >= 0\n";
    return 2;
  }
  const std::vector<std::string> targets =
      absl::StrSplit(absl::GetFlag(FLAGS_server), ',', absl::SkipEmpty());
  if (targets.empty()) {
    std::cerr << "mnrecords_bench: --server: no host:port given\n";
    return 2;
  }
  auto channels = Channels(targets, channel_count);

  // The mix, checked before any setup.
  std::vector<std::pair<std::string, int>> wanted;
  bool needs_data = false;
  for (absl::string_view part :
       absl::StrSplit(absl::GetFlag(FLAGS_mix), ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(part, ':');
    int weight = 0;
    if (!absl::SimpleAtoi(kv.second, &weight) || weight <= 0 ||
        MakeKind(kv.first, nullptr, "", channels, in_flight) == nullptr) {
      std::cerr << "mnrecords_bench: --mix: bad entry \"" << part
                << "\" (want kind:weight, weight > 0)\n";
      return 2;
    }
    if (kv.first != "health_check") needs_data = true;
    if (kv.first == "create_course" && wo.course_sessions > 0) {
      std::cerr << "mnrecords_bench: --course_sessions: log_session keeps "
                   "to the slots' own courses; create_course cannot be in "
                   "the mix\n";
      return 2;
    }
    wanted.emplace_back(kv.first, weight);
  }
  if (wanted.empty()) {
    std::cerr << "mnrecords_bench: --mix is empty\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_watchers) < 0 ||
      (absl::GetFlag(FLAGS_watchers) > 0 && (wo.clinics != 1 || !needs_data))) {
    std::cerr << "mnrecords_bench: --watchers needs --clinics=1 and a mix "
                 "that writes\n";
    return 2;
  }

  Dataset data;
  if (needs_data) {
    if (wo.token.empty() || wo.admin_token.empty()) {
      std::cerr << "mnrecords_bench: --token and --admin_token (or "
                   "MNREC_EHR_TOKEN and MNREC_ADMIN_TOKEN) are required\n";
      return 2;
    }
    absl::StatusOr<Dataset> setup = Setup(channels, wo);
    if (!setup.ok()) {
      std::cerr << "mnrecords_bench: " << setup.status() << "\n";
      return 1;
    }
    data = *std::move(setup);
  }

  std::vector<std::unique_ptr<CallKind>> kinds;
  std::vector<WeightedKind> mix;
  CallKind* log_session = nullptr;
  CallKind* create_course = nullptr;
  for (const auto& [name, weight] : wanted) {
    kinds.push_back(MakeKind(name, &data, wo.token, channels, in_flight));
    mix.push_back({kinds.back().get(), weight});
    if (name == "log_session") log_session = kinds.back().get();
    if (name == "create_course") create_course = kinds.back().get();
  }
  // Courses keep their realistic 3-6 sessions: a slot whose course is full
  // creates the next one first (shown as create_course). Slot courses
  // (--course_sessions) are never left.
  if (log_session != nullptr && create_course == nullptr &&
      wo.course_sessions == 0) {
    kinds.push_back(
        MakeKind("create_course", &data, wo.token, channels, in_flight));
    create_course = kinds.back().get();
    mix.push_back({create_course, 0});
  }
  if (create_course != nullptr) Link(log_session, create_course);

  DriverOptions options;
  options.in_flight = in_flight;
  options.warmup = absl::GetFlag(FLAGS_warmup);
  options.duration = absl::GetFlag(FLAGS_duration);
  std::vector<int> server_pids;
  for (absl::string_view part : absl::StrSplit(absl::GetFlag(FLAGS_server_pid),
                                               ',', absl::SkipEmpty())) {
    int pid = 0;
    if (!absl::SimpleAtoi(part, &pid) || pid <= 0) {
      std::cerr << "mnrecords_bench: --server_pid: bad pid \"" << part
                << "\"\n";
      return 2;
    }
    server_pids.push_back(pid);
  }

  Report report;
  report.in_flight = in_flight;
  report.write_kinds = {"log_session", "record_consent", "create_course"};
  int session_bytes = 0;
  if (needs_data) {
    std::mt19937_64 rng(7);
    int64_t total = 0;
    for (int i = 0; i < 100; ++i) {
      total += static_cast<int64_t>(
          SessionBody(data, 0, absl::Now(), rng).ByteSizeLong());
    }
    session_bytes = static_cast<int>(total / 100);
  }
  report.header = absl::StrFormat(
      "mnrecords_bench%s: server(s) %s, mix %s, %d in flight over %d "
      "channel(s), %s warm-up + %s measured\n",
      absl::GetFlag(FLAGS_label).empty()
          ? ""
          : absl::StrCat(" [", absl::GetFlag(FLAGS_label), "]"),
      absl::StrJoin(targets, ","), absl::GetFlag(FLAGS_mix), in_flight,
      channel_count, absl::FormatDuration(options.warmup),
      absl::FormatDuration(options.duration));
  if (needs_data) {
    absl::StrAppend(&report.header, DatasetLine(data, session_bytes));
  }

  // The change feed's watchers, from the head before the workload: every
  // write of the run (warm-up included) should reach each of them.
  const int watcher_count = absl::GetFlag(FLAGS_watchers);
  std::unique_ptr<ChangeWatchers> watchers;
  WriteLog writes;
  if (watcher_count > 0) {
    absl::StatusOr<std::unique_ptr<ChangeWatchers>> started =
        ChangeWatchers::Start(Channels(targets, watcher_count), wo.clinic,
                              wo.token, watcher_count);
    if (!started.ok()) {
      std::cerr << "mnrecords_bench: " << started.status() << "\n";
      return 1;
    }
    watchers = *std::move(started);
    for (const WeightedKind& k : mix) {
      ObserveWrites(
          k.kind, [&writes](const std::string& name) { writes.Replied(name); });
    }
    absl::StrAppendFormat(&report.header,
                          "change feed: %d watcher(s) on clinics/%s\n",
                          watcher_count, wo.clinic);
  }
  const WatchClock::time_point measure_start =
      WatchClock::now() + absl::ToChronoNanoseconds(options.warmup);
  report.workload = RunPhase("workload", mix, options, server_pids);
  if (watchers != nullptr) {
    report.watch = watchers->Finish(
        writes, measure_start,
        measure_start + absl::ToChronoNanoseconds(options.duration),
        absl::GetFlag(FLAGS_watch_grace));
    watchers.reset();
  }
  if (data.course_sessions > 0 && log_session != nullptr) {
    const auto [fewest, most] = CourseSizes(log_session);
    absl::StrAppendFormat(&report.header,
                          "slot courses: %d session(s) each before the run, "
                          "%d to %d after it\n",
                          data.course_sessions, fewest, most);
  }
  if (absl::GetFlag(FLAGS_health_ceiling)) {
    std::unique_ptr<CallKind> health =
        MakeKind("health_check", nullptr, "", channels, in_flight);
    report.health = RunPhase("empty-RPC ceiling: grpc.health.v1.Health/Check",
                             {{health.get(), 1}}, options, server_pids);
  }
  const std::string db_dir = absl::GetFlag(FLAGS_db_dir);
  if (!db_dir.empty()) {
    absl::StatusOr<StorageCeiling> storage =
        MeasureStorageCeiling(db_dir, session_bytes > 0 ? session_bytes : 1500,
                              absl::GetFlag(FLAGS_storage_group),
                              absl::GetFlag(FLAGS_storage_duration));
    if (!storage.ok()) {
      std::cerr << "mnrecords_bench: " << storage.status() << "\n";
      return 1;
    }
    report.storage = *storage;
  }

  std::cout << FormatTable(report) << std::flush;
  const std::string json_path = absl::GetFlag(FLAGS_json);
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << FormatJson(report);
    if (!out) {
      std::cerr << "mnrecords_bench: cannot write " << json_path << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace
}  // namespace mnrecords::loadgen

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "mnrecords_bench --server=HOST:PORT --token=EHR --admin_token=ADMIN "
      "[--mix=log_session:40,course_summary:30,consent_history:20,"
      "record_consent:10] [--in_flight=64] [--duration=10s] "
      "[--db_dir=DIR] [--json=FILE]");
  absl::ParseCommandLine(argc, argv);
  return mnrecords::loadgen::Main();
}
