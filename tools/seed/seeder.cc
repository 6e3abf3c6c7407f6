#include "tools/seed/seeder.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "plugins/api/plugin_host.h"
#include "plugins/api/plugin_registry.h"
#include "plugins/builtin_plugins.h"
#include "server/service/consents_service.h"
#include "server/service/records_service.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tools/seed/batch_store.h"
#include "tools/seed/seed_requests.h"

namespace mnrecords::seed {
namespace {

// SeedClock starts at the import time and moves 1 ms per reading, so the
// history is imported in a deterministic, strictly increasing order.
class SeedClock final : public Clock {
 public:
  explicit SeedClock(absl::Time start) : start_(start) {}
  absl::Time Now() const override {
    return start_ + absl::Milliseconds(ticks_.fetch_add(1));
  }

 private:
  const absl::Time start_;
  mutable std::atomic<int64_t> ticks_{0};
};

CallContext Caller(const SeedLayout& layout, Role role, absl::string_view id,
                   absl::string_view service, absl::string_view method) {
  CallContext call;
  call.method = absl::StrCat("/clinic.microneedling.v1.", service, "/", method);
  call.peer = "seed";
  call.principal.id = std::string(id);
  call.principal.display_name = "mnrecords_seed";
  call.principal.role = role;
  for (int i = 0; i < layout.options.clinics; ++i) {
    call.principal.clinics.push_back(ClinicId(i));
  }
  return call;
}

// Calls runs one patient's history (or a clinic's instruction texts)
// through the services, each call audited in the store like the server's.
class Calls {
 public:
  Calls(const SeedLayout& layout, Store& store, const Clock& clock,
        const plugins::PluginHost& plugins, SeedReport& report)
      : layout_(layout),
        records_(store, clock, &plugins),
        consents_(store, clock, &plugins),
        report_(report) {
    audit_.store = &store;
    audit_.clock = &clock;
  }

  absl::Status Publish(const std::string& clinic) {
    for (const auto& r : InstructionSetRequests(layout_, clinic)) {
      MNR_RETURN_IF_ERROR(
          Run(consents_, &ConsentsService::PublishInstructionSet, Role::kAdmin,
              "Consents", "PublishInstructionSet", r));
    }
    return absl::OkStatus();
  }

  absl::Status Patient(const PatientPlan& p) {
    MNR_RETURN_IF_ERROR(Records(&RecordsService::CreatePatient, "CreatePatient",
                                PatientRequest(p)));
    ++report_.patients;
    absl::Time t = p.consent_time;
    for (v1::InstructionKind kind :
         {v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
          v1::INSTRUCTION_KIND_AFTERCARE, v1::INSTRUCTION_KIND_PHOTOGRAPHY}) {
      if (kind == v1::INSTRUCTION_KIND_PHOTOGRAPHY && !p.photo_consent) break;
      MNR_RETURN_IF_ERROR(Consent(p, kind, 1, t));
      t += absl::Minutes(1);
    }
    for (const CoursePlan& c : p.courses) {
      if (c.id == "k2") {
        MNR_RETURN_IF_ERROR(
            Consent(p, v1::INSTRUCTION_KIND_PREPARATION, 2, p.reconsent_time));
        MNR_RETURN_IF_ERROR(Consent(p, v1::INSTRUCTION_KIND_AFTERCARE, 2,
                                    p.reconsent_time + absl::Minutes(1)));
      }
      MNR_RETURN_IF_ERROR(Course(p, c));
    }
    if (p.revoke_photo) {
      MNR_RETURN_IF_ERROR(Run(consents_, &ConsentsService::RevokeConsent,
                              Role::kEhrSystem, "Consents", "RevokeConsent",
                              RevokePhotoConsentRequest(p)));
    }
    return absl::OkStatus();
  }

 private:
  // Run makes one call of `method` (a write) on `service` as the seed
  // principal of `role` and counts it. On the bound BatchStore the write is
  // applied and answered before the service returns.
  template <typename Service, typename Request, typename Response>
  absl::Status Run(Service& service,
                   void (Service::*method)(AuditedCall&, const Request&,
                                           Reply<Response>),
                   Role role, absl::string_view service_name,
                   absl::string_view rpc, const Request& request) {
    AuditedCall call(
        Caller(layout_, role, role == Role::kAdmin ? "seed-admin" : "seed-ehr",
               service_name, rpc),
        audit_);
    const absl::Status status =
        Await<Response>([&](Reply<Response> reply) {
          (service.*method)(call, request, std::move(reply));
        }).status();
    if (status.ok()) ++report_.calls;
    return status;
  }

  // Records makes one TreatmentRecords call as the EHR.
  template <typename Request, typename Response>
  absl::Status Records(void (RecordsService::*method)(AuditedCall&,
                                                      const Request&,
                                                      Reply<Response>),
                       absl::string_view rpc, const Request& request) {
    return Run(records_, method, Role::kEhrSystem, "TreatmentRecords", rpc,
               request);
  }

  absl::Status Consent(const PatientPlan& p, v1::InstructionKind kind,
                       int64_t revision, absl::Time signed_at) {
    MNR_RETURN_IF_ERROR(Run(consents_, &ConsentsService::RecordConsent,
                            Role::kEhrSystem, "Consents", "RecordConsent",
                            ConsentRequest(p, kind, revision, signed_at)));
    ++report_.consents;
    return absl::OkStatus();
  }

  absl::Status Course(const PatientPlan& p, const CoursePlan& c) {
    MNR_RETURN_IF_ERROR(Records(&RecordsService::CreateCourse, "CreateCourse",
                                CourseRequest(p, c)));
    ++report_.courses;
    const int n = static_cast<int>(c.sessions.size());
    for (int i = 0; i < n; ++i) {
      MNR_RETURN_IF_ERROR(Records(&RecordsService::LogSession, "LogSession",
                                  SessionRequest(p, c, i)));
      ++report_.sessions;
      if (!p.photo_consent) continue;
      if (i == 0 || i == n - 1) {
        const v1::PhotoPhase phase =
            i == 0 ? v1::PHOTO_PHASE_BASELINE : v1::PHOTO_PHASE_FOLLOW_UP;
        MNR_RETURN_IF_ERROR(Records(&RecordsService::CreatePhoto, "CreatePhoto",
                                    PhotoRequest(p, c, i, phase)));
        ++report_.photos;
      }
    }
    if (c.completed) {
      MNR_RETURN_IF_ERROR(Records(&RecordsService::AmendCourse, "AmendCourse",
                                  CompleteCourseRequest(p, c)));
    }
    return absl::OkStatus();
  }

  const SeedLayout& layout_;
  RecordsService records_;
  ConsentsService consents_;
  AuditOptions audit_;
  SeedReport& report_;
};

absl::Status WriteSeedInfo(const std::string& db_path, const SeedOptions& o) {
  std::ofstream out(SeedInfoPath(db_path), std::ios::trunc);
  out << "sessions=" << o.sessions << "\nclinics=" << o.clinics
      << "\nseed=" << o.seed
      << "\nsessions_per_clinic_month=" << o.sessions_per_clinic_month << "\n";
  out.close();
  if (!out) {
    return absl::InternalError(
        absl::StrCat("cannot write ", SeedInfoPath(db_path)));
  }
  return absl::OkStatus();
}

// BulkLoadOptions: one reader (the seeder reads through its write
// transaction) and a writer cache large enough that a batch's dirty pages
// stay in memory until its commit. Durability settings stay the server's.
SqliteStoreOptions BulkLoadOptions() {
  SqliteStoreOptions options;
  options.reader_pool_size = 1;
  options.writer_cache_size_kib = 512 * 1024;
  return options;
}

}  // namespace

std::string SeedInfoPath(const std::string& db_path) {
  return absl::StrCat(db_path, ".seed");
}

absl::StatusOr<SeedOptions> ReadSeedInfo(const std::string& db_path) {
  std::ifstream in(SeedInfoPath(db_path));
  if (!in) {
    return absl::NotFoundError(absl::StrCat(SeedInfoPath(db_path),
                                            " not found: was ", db_path,
                                            " made by mnrecords_seed?"));
  }
  SeedOptions o;
  std::string line;
  while (std::getline(in, line)) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, '=');
    int64_t v = 0;
    if (!absl::SimpleAtoi(kv.second, &v)) continue;
    if (kv.first == "sessions") o.sessions = v;
    if (kv.first == "clinics") o.clinics = static_cast<int>(v);
    if (kv.first == "seed") o.seed = static_cast<uint64_t>(v);
    if (kv.first == "sessions_per_clinic_month") {
      o.sessions_per_clinic_month = static_cast<int>(v);
    }
  }
  return o;
}

absl::StatusOr<SeedReport> Seed(
    const std::string& db_path, const SeedOptions& options, int calls_per_txn,
    const std::function<void(const SeedReport&)>& progress) {
  const absl::Time start = absl::Now();
  MNR_ASSIGN_OR_RETURN(const SeedLayout layout, ResolveLayout(options));
  std::error_code ec;
  if (std::filesystem::exists(db_path, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        db_path, " exists; the seeder only creates new databases"));
  }
  plugins::PluginRegistry registry;
  MNR_RETURN_IF_ERROR(plugins::RegisterBuiltinPlugins(registry));
  MNR_ASSIGN_OR_RETURN(std::unique_ptr<plugins::PluginHost> plugins,
                       plugins::PluginHost::Build(
                           registry, plugins::EffectivePluginConfigs({})));
  MNR_ASSIGN_OR_RETURN(std::unique_ptr<SqliteStore> store,
                       SqliteStore::Open(db_path, BulkLoadOptions()));
  MNR_RETURN_IF_ERROR(WriteSeedInfo(db_path, layout.options));
  SeedReport report;
  report.layout = layout;
  SeedClock clock(layout.import_time);
  BatchStore batch;
  Calls calls(layout, batch, clock, *plugins, report);

  auto run_batch = [&](auto&& body) -> absl::Status {
    return store->Write([&](WriteTxn& txn) -> absl::Status {
      batch.Bind(&txn);
      absl::Status status = body();
      batch.Bind(nullptr);
      return status;
    });
  };
  MNR_RETURN_IF_ERROR(run_batch([&]() -> absl::Status {
    for (int i = 0; i < layout.options.clinics; ++i) {
      MNR_RETURN_IF_ERROR(calls.Publish(ClinicId(i)));
    }
    return absl::OkStatus();
  }));
  PlanGenerator plans(layout);
  PatientPlan p;
  bool more = plans.Next(&p);
  while (more) {
    MNR_RETURN_IF_ERROR(run_batch([&]() -> absl::Status {
      const int64_t until = report.calls + calls_per_txn;
      while (more && report.calls < until) {
        absl::Status status = calls.Patient(p);
        if (!status.ok()) {
          return absl::Status(
              status.code(),
              absl::StrCat("seeding ", PatientName(p), ": ", status.message()));
        }
        more = plans.Next(&p);
      }
      return absl::OkStatus();
    }));
    report.elapsed = absl::Now() - start;
    if (progress) progress(report);
  }
  MNR_RETURN_IF_ERROR(store->Close());
  report.elapsed = absl::Now() - start;
  report.file_bytes =
      static_cast<int64_t>(std::filesystem::file_size(db_path, ec));
  return report;
}

}  // namespace mnrecords::seed
