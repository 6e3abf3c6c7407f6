#include "tests/loadgen/report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "grpcpp/support/status.h"

namespace mnrecords::loadgen {
namespace {

const char* CodeName(int code) {
  static constexpr const char* kNames[] = {"OK",
                                           "CANCELLED",
                                           "UNKNOWN",
                                           "INVALID_ARGUMENT",
                                           "DEADLINE_EXCEEDED",
                                           "NOT_FOUND",
                                           "ALREADY_EXISTS",
                                           "PERMISSION_DENIED",
                                           "RESOURCE_EXHAUSTED",
                                           "FAILED_PRECONDITION",
                                           "ABORTED",
                                           "OUT_OF_RANGE",
                                           "UNIMPLEMENTED",
                                           "INTERNAL",
                                           "UNAVAILABLE",
                                           "DATA_LOSS",
                                           "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int>(std::size(kNames))) return "?";
  return kNames[code];
}

std::string Row(const std::string& name, double rate, const LatencySummary& l,
                int64_t ok, int64_t errors) {
  return absl::StrFormat(
      "  %-24s %10.0f %8.2f %8.2f %8.2f %8.2f %8.2f %9d %7d\n", name, rate,
      l.p50_us / 1000, l.p90_us / 1000, l.p99_us / 1000, l.p999_us / 1000,
      l.max_us / 1000, ok, errors);
}

// Calls: the successful calls of the measured window.
double Calls(const PhaseReport& p) { return p.total_calls_per_sec * p.seconds; }

// PerCall: `total` over the phase's successful calls; -1 if `total` is not
// measured (< 0), 0 without calls.
double PerCall(const PhaseReport& p, double total) {
  if (total < 0) return -1;
  return Calls(p) > 0 ? total / Calls(p) : 0.0;
}

std::string PhaseTable(const PhaseReport& p) {
  std::string out = absl::StrFormat(
      "%s (%.1f s measured)\n  %-24s %10s %8s %8s %8s %8s %8s %9s %7s\n",
      p.label, p.seconds, "rpc", "calls/s", "p50 ms", "p90 ms", "p99 ms",
      "p99.9 ms", "max ms", "ok", "errors");
  for (const PhaseReport::Kind& k : p.kinds) {
    int64_t errors = 0;
    for (const auto& [code, n] : k.errors) errors += n;
    absl::StrAppend(&out,
                    Row(k.name, k.calls_per_sec, k.latency, k.ok, errors));
  }
  if (p.kinds.size() > 1) {
    absl::StrAppend(&out, Row("all", p.total_calls_per_sec, p.total_latency,
                              p.total_latency.count, p.total_errors));
  }
  const double calls = Calls(p);
  absl::StrAppendFormat(&out,
                        "  generator CPU %.0f%% of one core (%.1f us per call)",
                        100 * p.client_cpu_seconds / p.seconds,
                        calls > 0 ? 1e6 * p.client_cpu_seconds / calls : 0.0);
  if (p.server_cpu_seconds >= 0) {
    absl::StrAppendFormat(&out,
                          "; server CPU %.0f%% of one core (%.1f us per call)",
                          100 * p.server_cpu_seconds / p.seconds,
                          PerCall(p, p.server_cpu_seconds) * 1e6);
  }
  if (p.database_cpu_seconds >= 0) {
    absl::StrAppendFormat(
        &out, "; database CPU %.0f%% of one core (%.1f us per call)",
        100 * p.database_cpu_seconds / p.seconds,
        PerCall(p, p.database_cpu_seconds) * 1e6);
  }
  if (p.server_switches >= 0) {
    absl::StrAppendFormat(
        &out, "; server context switches per call: %.1f (voluntary %.1f)",
        PerCall(p, p.server_switches), PerCall(p, p.server_voluntary_switches));
    if (p.server_threads_ended > 0) {
      absl::StrAppendFormat(&out,
                            " (undercounted: server threads ended in the "
                            "phase, at least %d)",
                            p.server_threads_ended);
    }
  }
  absl::StrAppend(&out, "\n");
  for (const PhaseReport::Kind& k : p.kinds) {
    for (const auto& [code, n] : k.errors) {
      auto sample = k.samples.find(code);
      absl::StrAppendFormat(&out, "  error %s %s x%d: %s\n", k.name,
                            CodeName(code), n,
                            sample == k.samples.end() ? "" : sample->second);
    }
  }
  return out;
}

double WriteRate(const Report& r) {
  double rate = 0;
  for (const PhaseReport::Kind& k : r.workload.kinds) {
    if (std::find(r.write_kinds.begin(), r.write_kinds.end(), k.name) !=
        r.write_kinds.end()) {
      rate += k.calls_per_sec;
    }
  }
  return rate;
}

std::string LatencyJson(const LatencySummary& l) {
  return absl::StrFormat(
      "{\"count\":%d,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,"
      "\"p999_ms\":%.3f,\"max_ms\":%.3f}",
      l.count, l.p50_us / 1000, l.p90_us / 1000, l.p99_us / 1000,
      l.p999_us / 1000, l.max_us / 1000);
}

std::string PhaseJson(const PhaseReport& p) {
  std::vector<std::string> kinds;
  for (const PhaseReport::Kind& k : p.kinds) {
    std::vector<std::string> errors;
    for (const auto& [code, n] : k.errors) {
      errors.push_back(absl::StrFormat("\"%s\":%d", CodeName(code), n));
    }
    kinds.push_back(absl::StrFormat(
        "{\"rpc\":\"%s\",\"calls_per_sec\":%.1f,\"ok\":%d,\"errors\":{%s},"
        "\"latency\":%s}",
        k.name, k.calls_per_sec, k.ok, absl::StrJoin(errors, ","),
        LatencyJson(k.latency)));
  }
  const double cpu_per_call = PerCall(p, p.server_cpu_seconds);
  return absl::StrFormat(
      "{\"seconds\":%.2f,\"calls_per_sec\":%.1f,\"errors\":%d,"
      "\"latency\":%s,\"client_cpu_seconds\":%.3f,\"server_cpu_seconds\":%.3f,"
      "\"server_cpu_us_per_call\":%.2f,\"database_cpu_us_per_call\":%.2f,"
      "\"server_context_switches_per_call\":%.3f,"
      "\"server_voluntary_context_switches_per_call\":%.3f,"
      "\"server_threads_ended\":%d,\"rpcs\":[%s]}",
      p.seconds, p.total_calls_per_sec, p.total_errors,
      LatencyJson(p.total_latency), p.client_cpu_seconds, p.server_cpu_seconds,
      cpu_per_call < 0 ? -1.0 : cpu_per_call * 1e6,
      p.database_cpu_seconds < 0 ? -1.0
                                 : PerCall(p, p.database_cpu_seconds) * 1e6,
      PerCall(p, p.server_switches), PerCall(p, p.server_voluntary_switches),
      p.server_threads_ended, absl::StrJoin(kinds, ","));
}

std::string WatchTable(const WatchReport& w) {
  const LatencySummary& a = w.after_reply;
  const LatencySummary& c = w.after_commit_time;
  std::string out = absl::StrFormat(
      "change feed: %d watcher(s) of the clinic, WatchChanges from the head "
      "before the run (%.1f s measured)\n"
      "  changes received/s: %.0f per watcher, %.0f all watchers together\n"
      "  delivery - writer's reply   p50 %.2f ms  p90 %.2f  p99 %.2f  "
      "p99.9 %.2f  max %.2f  (%d samples, %d before the reply)\n"
      "  delivery - commit_time      p50 %.2f ms  p90 %.2f  p99 %.2f  "
      "p99.9 %.2f  max %.2f  (%d samples)\n"
      "  checks: %d timed writes; missing %d, duplicates %d, cursor not "
      "increasing %d, first revision not CREATED %d; %s\n",
      w.watchers, w.seconds, w.per_watcher_per_sec,
      w.per_watcher_per_sec * w.watchers, a.p50_us / 1000, a.p90_us / 1000,
      a.p99_us / 1000, a.p999_us / 1000, a.max_us / 1000, a.count,
      w.before_reply, c.p50_us / 1000, c.p90_us / 1000, c.p99_us / 1000,
      c.p999_us / 1000, c.max_us / 1000, c.count, w.writes, w.missing,
      w.duplicates, w.not_increasing, w.not_created,
      w.caught_up ? "every watcher reached the final head"
                  : "NOT every watcher reached the final head in time");
  for (const auto& [error, n] : w.stream_errors) {
    absl::StrAppendFormat(&out, "  error watch x%d: %s\n", n, error);
  }
  return out;
}

std::string WatchJson(const WatchReport& w) {
  return absl::StrFormat(
      "{\"watchers\":%d,\"seconds\":%.2f,\"changes_per_sec_per_watcher\":"
      "%.1f,\"delivered\":%d,\"after_reply\":%s,\"before_reply\":%d,"
      "\"after_commit_time\":%s,\"writes\":%d,\"missing\":%d,"
      "\"duplicates\":%d,\"not_increasing\":%d,\"not_created\":%d,"
      "\"caught_up\":%s,\"stream_errors\":%d}",
      w.watchers, w.seconds, w.per_watcher_per_sec, w.delivered,
      LatencyJson(w.after_reply), w.before_reply,
      LatencyJson(w.after_commit_time), w.writes, w.missing, w.duplicates,
      w.not_increasing, w.not_created, w.caught_up ? "true" : "false",
      w.stream_errors.size());
}

}  // namespace

PhaseReport MakePhaseReport(std::string label, DriverResult& result,
                            double server_cpu_seconds) {
  PhaseReport p;
  p.label = std::move(label);
  p.seconds = absl::ToDoubleSeconds(result.measured);
  p.client_cpu_seconds = result.client_cpu_seconds;
  p.server_cpu_seconds = server_cpu_seconds;
  std::vector<int64_t> all;
  for (KindResult& k : result.kinds) {
    all.insert(all.end(), k.latencies_ns.begin(), k.latencies_ns.end());
    PhaseReport::Kind out;
    out.name = k.name;
    out.ok = k.ok;
    out.errors = k.errors;
    out.samples = k.samples;
    out.calls_per_sec = static_cast<double>(k.ok) / p.seconds;
    out.latency = Summarize(k.latencies_ns);
    for (const auto& [code, n] : k.errors) p.total_errors += n;
    p.total_calls_per_sec += out.calls_per_sec;
    p.kinds.push_back(std::move(out));
  }
  p.total_latency = Summarize(all);
  return p;
}

std::string FormatTable(const Report& r) {
  std::string out = r.header;
  absl::StrAppend(&out, "\n", PhaseTable(r.workload));
  if (r.watch.has_value()) absl::StrAppend(&out, WatchTable(*r.watch));
  if (r.health.has_value()) {
    absl::StrAppend(&out, "\n", PhaseTable(*r.health));
    const double ratio =
        r.health->total_calls_per_sec > 0
            ? r.workload.total_calls_per_sec / r.health->total_calls_per_sec
            : 0;
    absl::StrAppendFormat(&out,
                          "\nratio to the empty-RPC ceiling (health Check, "
                          "%d in flight): %.2f",
                          r.in_flight, ratio);
    // The performance targets (docs/performance.md): half the ceiling at
    // many calls in flight, a p50 of at most 1 ms for a single client.
    if (r.in_flight > 1) {
      absl::StrAppendFormat(&out, " (target >= 0.50: %s)",
                            ratio >= 0.5 ? "met" : "missed");
    } else if (!r.workload.kinds.empty()) {
      const double p50_ms = r.workload.kinds[0].latency.p50_us / 1000;
      absl::StrAppendFormat(
          &out, "; single-client %s p50 %.2f ms (target <= 1 ms: %s)",
          r.workload.kinds[0].name, p50_ms, p50_ms <= 1.0 ? "met" : "missed");
    }
    if (r.workload.kinds.size() > 1 && r.health->total_calls_per_sec > 0) {
      absl::StrAppendFormat(
          &out, "; %s alone: %.2f", r.workload.kinds[0].name,
          r.workload.kinds[0].calls_per_sec / r.health->total_calls_per_sec);
    }
    absl::StrAppend(&out, "\n");
  }
  if (r.storage.has_value()) {
    const StorageCeiling& s = *r.storage;
    const double writes = WriteRate(r);
    absl::StrAppendFormat(
        &out,
        "\nstorage ceiling (raw SQLite C API, WAL, synchronous=FULL, %d-byte "
        "rows, one connection):\n"
        "  1 row per transaction   %10.0f rows/s   write calls/s / this = "
        "%.2f\n"
        "  %d rows per transaction %10.0f rows/s   write calls/s / this = "
        "%.2f\n",
        s.row_bytes, s.rows_per_sec_single,
        s.rows_per_sec_single > 0 ? writes / s.rows_per_sec_single : 0, s.group,
        s.rows_per_sec_grouped,
        s.rows_per_sec_grouped > 0 ? writes / s.rows_per_sec_grouped : 0);
    absl::StrAppendFormat(&out, "  (write calls of the workload: %.0f/s: %s)\n",
                          writes, absl::StrJoin(r.write_kinds, ", "));
  }
  return out;
}

std::string FormatJson(const Report& r) {
  std::string out = absl::StrFormat("{\"in_flight\":%d,\"workload\":%s",
                                    r.in_flight, PhaseJson(r.workload));
  if (r.health.has_value()) {
    absl::StrAppendFormat(
        &out, ",\"health_ceiling\":%s,\"ratio_to_health\":%.4f",
        PhaseJson(*r.health),
        r.health->total_calls_per_sec > 0
            ? r.workload.total_calls_per_sec / r.health->total_calls_per_sec
            : 0);
  }
  if (r.storage.has_value()) {
    absl::StrAppendFormat(
        &out,
        ",\"storage_ceiling\":{\"row_bytes\":%d,\"rows_per_sec_single\":%.1f,"
        "\"group\":%d,\"rows_per_sec_grouped\":%.1f},\"write_calls_per_sec\":"
        "%.1f",
        r.storage->row_bytes, r.storage->rows_per_sec_single, r.storage->group,
        r.storage->rows_per_sec_grouped, WriteRate(r));
  }
  if (r.watch.has_value()) {
    absl::StrAppend(&out, ",\"change_feed\":", WatchJson(*r.watch));
  }
  absl::StrAppend(&out, "}\n");
  return out;
}

}  // namespace mnrecords::loadgen
