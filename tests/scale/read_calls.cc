#include "tests/scale/read_calls.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/time_util.h"
#include "grpcpp/client_context.h"
#include "tools/seed/seed_requests.h"

namespace mnrecords::scale {
namespace {

namespace v1 = ::clinic::microneedling::v1;

void Prepare(grpc::ClientContext& ctx, const std::string& token) {
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
}

// Call runs one unary RPC with the bearer token.
template <typename Stub, typename Req, typename Resp>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                               Resp*),
                  const std::string& token, const Req& req) {
  grpc::ClientContext ctx;
  Prepare(ctx, token);
  Resp resp;
  return (stub.*method)(&ctx, req, &resp);
}

}  // namespace

absl::StatusOr<Targets> PickTargets(const seed::SeedOptions& options,
                                    int count) {
  Targets t;
  auto layout = seed::ResolveLayout(options);
  if (!layout.ok()) return layout.status();
  t.layout = *layout;
  std::vector<seed::PatientPlan> all;
  seed::PlanGenerator plans(t.layout);
  seed::PatientPlan p;
  while (plans.Next(&p)) all.push_back(p);
  auto pick = [&](auto keep) {
    std::vector<seed::PatientPlan> out;
    std::vector<const seed::PatientPlan*> candidates;
    for (const auto& q : all) {
      if (keep(q)) candidates.push_back(&q);
    }
    if (candidates.empty()) return out;
    // Evenly spread over the database, in a scrambled order.
    for (int i = 0; i < count; ++i) {
      const size_t k =
          (static_cast<size_t>(i) * 7919u) % static_cast<size_t>(count);
      out.push_back(*candidates[k * candidates.size() / count]);
    }
    return out;
  };
  t.patients = pick([](const seed::PatientPlan& q) {
    return !q.courses.empty() && !q.courses[0].sessions.empty();
  });
  t.photo_patients = pick([](const seed::PatientPlan& q) {
    return q.photo_consent && !q.courses.empty() &&
           !q.courses[0].sessions.empty();
  });
  if (t.patients.empty()) return absl::NotFoundError("no seeded sessions");
  const absl::CivilMonth mid = absl::ToCivilMonth(
      t.layout.window_start + absl::Hours(24 * 15 * t.layout.months),
      absl::UTCTimeZone());
  t.month_start = absl::FromCivil(mid, absl::UTCTimeZone());
  t.month_end = absl::FromCivil(mid + 1, absl::UTCTimeZone());
  return t;
}

std::vector<ReadCall> ReadCalls(std::shared_ptr<grpc::Channel> channel,
                                const Tokens& tokens,
                                std::shared_ptr<const Targets> targets,
                                int64_t audit_head, int64_t verify_window) {
  auto records = std::shared_ptr<v1::TreatmentRecords::Stub>(
      v1::TreatmentRecords::NewStub(channel));
  auto consents =
      std::shared_ptr<v1::Consents::Stub>(v1::Consents::NewStub(channel));
  auto audit = std::shared_ptr<v1::Audit::Stub>(v1::Audit::NewStub(channel));
  using R = v1::TreatmentRecords::Stub;
  using C = v1::Consents::Stub;
  using A = v1::Audit::Stub;
  const std::string ehr = tokens.ehr;
  const std::string auditor = tokens.auditor;
  auto patient = [targets](int64_t i) -> const seed::PatientPlan& {
    return targets->patients[i % targets->patients.size()];
  };
  auto photo_patient = [targets](int64_t i) -> const seed::PatientPlan& {
    const auto& v = targets->photo_patients.empty() ? targets->patients
                                                    : targets->photo_patients;
    return v[i % v.size()];
  };
  auto clinic = [](const seed::PatientPlan& p) {
    return absl::StrCat("clinics/", p.clinic);
  };
  auto course = [](const seed::PatientPlan& p) {
    return seed::CourseName(p, p.courses[0]);
  };
  auto session = [](const seed::PatientPlan& p) {
    return seed::SessionName(p, p.courses[0], 0);
  };
  std::vector<ReadCall> calls;
  auto add = [&](std::string name, std::function<grpc::Status(int64_t)> fn) {
    calls.push_back({std::move(name), std::move(fn)});
  };
  // ---- TreatmentRecords ----
  add("GetPatient", [=](int64_t i) {
    v1::GetPatientRequest r;
    r.set_name(seed::PatientName(patient(i)));
    return Call(*records, &R::GetPatient, ehr, r);
  });
  add("ListPatients", [=](int64_t i) {
    v1::ListPatientsRequest r;
    r.set_parent(clinic(patient(i)));
    return Call(*records, &R::ListPatients, ehr, r);
  });
  add("GetCourse", [=](int64_t i) {
    v1::GetCourseRequest r;
    r.set_name(course(patient(i)));
    return Call(*records, &R::GetCourse, ehr, r);
  });
  add("ListCourses", [=](int64_t i) {
    v1::ListCoursesRequest r;
    r.set_parent(seed::PatientName(patient(i)));
    return Call(*records, &R::ListCourses, ehr, r);
  });
  add("GetCourseSummary", [=](int64_t i) {
    v1::GetCourseSummaryRequest r;
    r.set_name(course(patient(i)));
    return Call(*records, &R::GetCourseSummary, ehr, r);
  });
  add("GetSession", [=](int64_t i) {
    v1::GetSessionRequest r;
    r.set_name(session(patient(i)));
    return Call(*records, &R::GetSession, ehr, r);
  });
  add("ListSessions", [=](int64_t i) {
    v1::ListSessionsRequest r;
    r.set_parent(course(patient(i)));
    return Call(*records, &R::ListSessions, ehr, r);
  });
  // A recall: the clinic's sessions with the cartridge lot one of its
  // sessions used (the first page), from the lot index.
  add("ListSessions(cartridge_lot)", [=](int64_t i) {
    const seed::PatientPlan& p = patient(i);
    v1::ListSessionsRequest r;
    r.set_parent(absl::StrCat(clinic(p), "/patients/-/courses/-"));
    r.set_cartridge_lot(
        seed::SessionRequest(p, p.courses[0], 0).session().cartridge().lot());
    return Call(*records, &R::ListSessions, ehr, r);
  });
  // The front desk's recall list for a month: every open course of the
  // clinic is looked at.
  add("ListDueSessions(month)", [=](int64_t i) {
    v1::ListDueSessionsRequest r;
    r.set_parent(clinic(patient(i)));
    *r.mutable_start_time() = ToProtoTime(targets->month_start);
    *r.mutable_end_time() = ToProtoTime(targets->month_end);
    return Call(*records, &R::ListDueSessions, ehr, r);
  });
  add("GetPhoto", [=](int64_t i) {
    v1::GetPhotoRequest r;
    r.set_name(
        absl::StrCat(session(photo_patient(i)), "/photos/baseline-frontal"));
    return Call(*records, &R::GetPhoto, ehr, r);
  });
  add("ListPhotos", [=](int64_t i) {
    v1::ListPhotosRequest r;
    r.set_parent(session(photo_patient(i)));
    return Call(*records, &R::ListPhotos, ehr, r);
  });
  add("PairCoursePhotos", [=](int64_t i) {
    v1::PairCoursePhotosRequest r;
    r.set_name(course(photo_patient(i)));
    return Call(*records, &R::PairCoursePhotos, ehr, r);
  });
  add("ListRevisions", [=](int64_t i) {
    v1::ListRevisionsRequest r;
    r.set_name(course(patient(i)));
    return Call(*records, &R::ListRevisions, ehr, r);
  });
  add("ExportPatientRecord", [=](int64_t i) {
    v1::ExportPatientRecordRequest r;
    r.set_name(seed::PatientName(patient(i)));
    r.set_format("fhir-r4");
    return Call(*records, &R::ExportPatientRecord, ehr, r);
  });
  // ---- Consents ----
  add("GetInstructionSet", [=](int64_t i) {
    v1::GetInstructionSetRequest r;
    r.set_name(seed::InstructionSetName(patient(i).clinic,
                                        v1::INSTRUCTION_KIND_AFTERCARE));
    return Call(*consents, &C::GetInstructionSet, ehr, r);
  });
  add("ListInstructionSets", [=](int64_t i) {
    v1::ListInstructionSetsRequest r;
    r.set_parent(clinic(patient(i)));
    return Call(*consents, &C::ListInstructionSets, ehr, r);
  });
  add("ListInstructionSetRevisions", [=](int64_t i) {
    v1::ListInstructionSetRevisionsRequest r;
    r.set_name(seed::InstructionSetName(patient(i).clinic,
                                        v1::INSTRUCTION_KIND_AFTERCARE));
    return Call(*consents, &C::ListInstructionSetRevisions, ehr, r);
  });
  add("GetConsent", [=](int64_t i) {
    v1::GetConsentRequest r;
    r.set_name(
        absl::StrCat(seed::PatientName(patient(i)), "/consents/procedure-1"));
    return Call(*consents, &C::GetConsent, ehr, r);
  });
  add("ListConsents", [=](int64_t i) {
    v1::ListConsentsRequest r;
    r.set_parent(seed::PatientName(patient(i)));
    return Call(*consents, &C::ListConsents, ehr, r);
  });
  add("ListConsentHistory", [=](int64_t i) {
    v1::ListConsentHistoryRequest r;
    r.set_parent(seed::PatientName(patient(i)));
    return Call(*consents, &C::ListConsentHistory, auditor, r);
  });
  add("GetConsentStateAt", [=](int64_t i) {
    v1::GetConsentStateAtRequest r;
    r.set_parent(seed::PatientName(patient(i)));
    *r.mutable_time() = ToProtoTime(patient(i).courses[0].sessions[0]);
    return Call(*consents, &C::GetConsentStateAt, auditor, r);
  });
  add("GetConsentCoverage", [=](int64_t i) {
    v1::GetConsentCoverageRequest r;
    r.set_parent(clinic(patient(i)));
    *r.mutable_start_time() = ToProtoTime(targets->month_start);
    *r.mutable_end_time() = ToProtoTime(targets->month_end);
    return Call(*consents, &C::GetConsentCoverage, auditor, r);
  });
  add("VerifyConsent", [=](int64_t i) {
    v1::VerifyConsentRequest r;
    r.set_name(
        absl::StrCat(seed::PatientName(patient(i)), "/consents/procedure-1"));
    return Call(*consents, &C::VerifyConsent, auditor, r);
  });
  // ---- Audit ----
  add("ListAuditEvents(patient)", [=](int64_t i) {
    v1::ListAuditEventsRequest r;
    r.set_parent(clinic(patient(i)));
    r.set_resource_prefix(seed::PatientName(patient(i)));
    return Call(*audit, &A::ListAuditEvents, auditor, r);
  });
  add("ListAuditEvents(clinic)", [=](int64_t i) {
    v1::ListAuditEventsRequest r;
    r.set_parent(clinic(patient(i)));
    return Call(*audit, &A::ListAuditEvents, auditor, r);
  });
  add("GetAuditCheckpoint", [=](int64_t) {
    v1::GetAuditCheckpointRequest r;
    return Call(*audit, &A::GetAuditCheckpoint, auditor, r);
  });
  add(absl::StrCat("VerifyAuditLog(last ", verify_window, ")"), [=](int64_t) {
    v1::VerifyAuditLogRequest r;
    r.set_start_sequence(std::max<int64_t>(1, audit_head - verify_window + 1));
    r.set_end_sequence(audit_head);
    return Call(*audit, &A::VerifyAuditLog, auditor, r);
  });
  return calls;
}

absl::StatusOr<int64_t> VerifyWholeLog(std::shared_ptr<grpc::Channel> channel,
                                       const Tokens& tokens) {
  auto audit = v1::Audit::NewStub(channel);
  grpc::ClientContext ctx;
  Prepare(ctx, tokens.auditor);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(10));
  v1::VerifyAuditLogRequest req;
  v1::VerifyAuditLogResponse resp;
  grpc::Status s = audit->VerifyAuditLog(&ctx, req, &resp);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        s.error_message());
  }
  if (!resp.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "audit log broken at ", resp.broken_sequence(), ": ", resp.problem()));
  }
  return resp.events_checked();
}

absl::StatusOr<int64_t> AuditHead(std::shared_ptr<grpc::Channel> channel,
                                  const Tokens& tokens) {
  auto audit = v1::Audit::NewStub(channel);
  grpc::ClientContext ctx;
  Prepare(ctx, tokens.auditor);
  v1::GetAuditCheckpointRequest req;
  v1::AuditCheckpoint resp;
  grpc::Status s = audit->GetAuditCheckpoint(&ctx, req, &resp);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        s.error_message());
  }
  return resp.sequence();
}

}  // namespace mnrecords::scale
