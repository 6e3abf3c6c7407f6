#include "server/observability/server_metrics.h"

#include <exception>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/descriptor.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/metric_family.h"
#include "prometheus/registry.h"

namespace mnrecords {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;
using prometheus::Labels;

// Seconds: from a sub-millisecond read to a long export.
const Histogram::BucketBoundaries& LatencyBuckets() {
  static const auto* const buckets = new Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return *buckets;
}

// Writes per group-commit batch (the stores take at most 128 by default).
const Histogram::BucketBoundaries& BatchBuckets() {
  static const auto* const buckets =
      new Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256};
  return *buckets;
}

// The gRPC code names of grpc_server_handled_total's grpc_code label, as
// the gRPC ecosystem spells them ("OK", "InvalidArgument", ...).
absl::string_view CodeLabel(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return "OK";
    case absl::StatusCode::kCancelled:
      return "Canceled";
    case absl::StatusCode::kUnknown:
      return "Unknown";
    case absl::StatusCode::kInvalidArgument:
      return "InvalidArgument";
    case absl::StatusCode::kDeadlineExceeded:
      return "DeadlineExceeded";
    case absl::StatusCode::kNotFound:
      return "NotFound";
    case absl::StatusCode::kAlreadyExists:
      return "AlreadyExists";
    case absl::StatusCode::kPermissionDenied:
      return "PermissionDenied";
    case absl::StatusCode::kResourceExhausted:
      return "ResourceExhausted";
    case absl::StatusCode::kFailedPrecondition:
      return "FailedPrecondition";
    case absl::StatusCode::kAborted:
      return "Aborted";
    case absl::StatusCode::kOutOfRange:
      return "OutOfRange";
    case absl::StatusCode::kUnimplemented:
      return "Unimplemented";
    case absl::StatusCode::kInternal:
      return "Internal";
    case absl::StatusCode::kUnavailable:
      return "Unavailable";
    case absl::StatusCode::kDataLoss:
      return "DataLoss";
    case absl::StatusCode::kUnauthenticated:
      return "Unauthenticated";
    default:
      break;
  }
  return "Unknown";
}

// The series of one method, made once at start; the map holding them is
// never changed afterwards, so calls look them up without a lock.
struct MethodSeries {
  Labels labels;  // grpc_service, grpc_method, grpc_type
  Counter* started = nullptr;
  Counter* handled_ok = nullptr;
  Histogram* handling = nullptr;
};

// Gauges whose values are read when Prometheus scrapes.
class ScrapeGauges final : public prometheus::Collectable {
 public:
  struct Entry {
    std::string name;
    std::string help;
    std::function<double()> read;
  };
  void Add(Entry entry) {
    absl::MutexLock lock(&mu_);
    entries_.push_back(std::move(entry));
  }
  std::vector<prometheus::MetricFamily> Collect() const override {
    absl::MutexLock lock(&mu_);
    std::vector<prometheus::MetricFamily> families;
    for (const Entry& entry : entries_) {
      prometheus::MetricFamily family;
      family.name = entry.name;
      family.help = entry.help;
      family.type = prometheus::MetricType::Gauge;
      prometheus::ClientMetric metric;
      metric.gauge.value = entry.read();
      family.metric.push_back(std::move(metric));
      families.push_back(std::move(family));
    }
    return families;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

class ServerMetrics::Impl {
 public:
  Impl(const std::vector<std::string>& services, absl::string_view version)
      : registry_(std::make_shared<prometheus::Registry>()),
        scrape_gauges_(std::make_shared<ScrapeGauges>()),
        started_(prometheus::BuildCounter()
                     .Name("grpc_server_started_total")
                     .Help("RPCs started on the server.")
                     .Register(*registry_)),
        handled_(prometheus::BuildCounter()
                     .Name("grpc_server_handled_total")
                     .Help("RPCs completed on the server, by status code.")
                     .Register(*registry_)),
        handling_(prometheus::BuildHistogram()
                      .Name("grpc_server_handling_seconds")
                      .Help("Time from an RPC's arrival to its status, "
                            "including the audit event and, for a write, "
                            "its durable commit.")
                      .Register(*registry_)),
        audit_events_(prometheus::BuildCounter()
                          .Name("mnrecords_audit_events_appended_total")
                          .Help("Finished calls whose audit event was "
                                "stored in the hash-chained audit log (a "
                                "watch counts once, when it ends).")
                          .Register(*registry_)
                          .Add({})),
        audit_failures_(prometheus::BuildCounter()
                            .Name("mnrecords_audit_event_failures_total")
                            .Help("Calls whose audit event could not be "
                                  "stored (they returned no data).")
                            .Register(*registry_)
                            .Add({})),
        batch_size_(prometheus::BuildHistogram()
                        .Name("mnrecords_store_write_batch_size")
                        .Help("Writes per group-commit transaction.")
                        .Register(*registry_)
                        .Add({}, BatchBuckets())),
        commit_seconds_(prometheus::BuildHistogram()
                            .Name("mnrecords_store_commit_seconds")
                            .Help("Time from the start of a write "
                                  "transaction to its durable commit.")
                            .Register(*registry_)
                            .Add({}, LatencyBuckets())),
        writes_(prometheus::BuildCounter()
                    .Name("mnrecords_store_writes_total")
                    .Help("Writes run by the store's writer, by outcome.")
                    .Register(*registry_)),
        committed_(writes_.Add({{"outcome", "committed"}})),
        failed_(writes_.Add({{"outcome", "failed"}})),
        queue_depth_(prometheus::BuildGauge()
                         .Name("mnrecords_store_write_queue_depth")
                         .Help("Writes waiting for the store's writer after "
                               "its last batch.")
                         .Register(*registry_)
                         .Add({})) {
    prometheus::BuildGauge()
        .Name("mnrecords_build_info")
        .Help("Always 1; the version of the running server.")
        .Register(*registry_)
        .Add({{"version", std::string(version)}})
        .Set(1);
    for (const std::string& name : services) {
      const google::protobuf::ServiceDescriptor* service =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
              name);
      if (service == nullptr) continue;
      for (int i = 0; i < service->method_count(); ++i) {
        const google::protobuf::MethodDescriptor* method = service->method(i);
        MethodSeries series;
        series.labels = {
            {"grpc_service", service->full_name()},
            {"grpc_method", method->name()},
            {"grpc_type",
             method->client_streaming()
                 ? (method->server_streaming() ? "bidi_stream"
                                               : "client_stream")
                 : (method->server_streaming() ? "server_stream" : "unary")}};
        series.started = &started_.Add(series.labels);
        Labels ok = series.labels;
        ok.emplace("grpc_code", "OK");
        series.handled_ok = &handled_.Add(ok);
        series.handling = &handling_.Add(series.labels, LatencyBuckets());
        methods_.emplace(
            absl::StrCat("/", service->full_name(), "/", method->name()),
            std::move(series));
      }
    }
  }

  void Started(absl::string_view method) {
    auto it = methods_.find(method);
    if (it != methods_.end()) it->second.started->Increment();
  }

  void Finished(const FinishedCall& call) {
    if (call.audit_stored) {
      audit_events_.Increment();
    } else {
      audit_failures_.Increment();
    }
    auto it = methods_.find(call.context.method);
    if (it == methods_.end()) return;
    const MethodSeries& series = it->second;
    if (call.code == absl::StatusCode::kOk) {
      series.handled_ok->Increment();
    } else {
      Labels labels = series.labels;
      labels.emplace("grpc_code", std::string(CodeLabel(call.code)));
      // Family::Add finds the existing series (under the family's lock).
      handled_.Add(labels).Increment();
    }
    series.handling->Observe(absl::ToDoubleSeconds(call.latency));
  }

  void Batch(const WriteBatchReport& report) {
    batch_size_.Observe(static_cast<double>(report.writes));
    commit_seconds_.Observe(absl::ToDoubleSeconds(report.latency));
    committed_.Increment(static_cast<double>(report.succeeded));
    failed_.Increment(static_cast<double>(report.writes - report.succeeded));
    queue_depth_.Set(static_cast<double>(report.waiting));
  }

  void AddScrapeGauge(std::string name, std::string help,
                      std::function<double()> read) {
    scrape_gauges_->Add({std::move(name), std::move(help), std::move(read)});
  }

  absl::StatusOr<int> Serve(const std::string& address) {
    if (exposer_ != nullptr) {
      return absl::FailedPreconditionError("metrics are already served");
    }
    try {
      exposer_ = std::make_unique<prometheus::Exposer>(address, 1);
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("cannot serve metrics on ", address, ": ", e.what()));
    }
    exposer_->RegisterCollectable(registry_);
    exposer_->RegisterCollectable(scrape_gauges_);
    const std::vector<int> ports = exposer_->GetListeningPorts();
    if (ports.empty()) {
      exposer_.reset();
      return absl::UnavailableError(
          absl::StrCat("cannot serve metrics on ", address));
    }
    return ports.front();
  }

 private:
  const std::shared_ptr<prometheus::Registry> registry_;
  const std::shared_ptr<ScrapeGauges> scrape_gauges_;
  Family<Counter>& started_;
  Family<Counter>& handled_;
  Family<Histogram>& handling_;
  Counter& audit_events_;
  Counter& audit_failures_;
  Histogram& batch_size_;
  Histogram& commit_seconds_;
  Family<Counter>& writes_;
  Counter& committed_;
  Counter& failed_;
  Gauge& queue_depth_;
  absl::flat_hash_map<std::string, MethodSeries> methods_;
  // Last: stopped first, while what it serves still exists.
  std::unique_ptr<prometheus::Exposer> exposer_;
};

ServerMetrics::ServerMetrics(const std::vector<std::string>& services,
                             absl::string_view version)
    : impl_(std::make_unique<Impl>(services, version)) {}

ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::OnCallStarted(absl::string_view method) {
  impl_->Started(method);
}

void ServerMetrics::OnCallFinished(const FinishedCall& call) {
  impl_->Finished(call);
}

void ServerMetrics::OnWriteBatch(const WriteBatchReport& report) {
  impl_->Batch(report);
}

void ServerMetrics::AddScrapeGauge(std::string name, std::string help,
                                   std::function<double()> read) {
  impl_->AddScrapeGauge(std::move(name), std::move(help), std::move(read));
}

absl::StatusOr<int> ServerMetrics::Serve(const std::string& address) {
  return impl_->Serve(address);
}

}  // namespace mnrecords
