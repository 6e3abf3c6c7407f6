// The Consents API's auditor reports (ConsentsService methods): consent
// history, the consents in force at a point in time, coverage of sessions,
// and verifying the text a consent was given to.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/consent/consent_reconsent.h"
#include "server/consent/consent_status.h"
#include "server/consent/consent_transitions.h"
#include "server/consent/instruction_refs.h"
#include "server/records/idempotency.h"
#include "server/records/page_token.h"
#include "server/records/record_codec.h"
#include "server/records/record_list.h"
#include "server/service/consents_service.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

// The kinds every session needs a granted consent for; PHOTOGRAPHY too
// when the session has photos.
constexpr v1::InstructionKind kSessionKinds[] = {
    v1::INSTRUCTION_KIND_PROCEDURE, v1::INSTRUCTION_KIND_PREPARATION,
    v1::INSTRUCTION_KIND_AFTERCARE};

// Sessions one coverage report may span; a wider range is
// FAILED_PRECONDITION (narrow the range).
constexpr int kMaxCoverageSessions = 20000;

// AllRevisions reads every revision of `name`, oldest first.
absl::StatusOr<std::vector<v1::Consent>> AllRevisions(ReadTxn& txn,
                                                      const std::string& name) {
  std::vector<v1::Consent> out;
  int64_t after = 0;
  for (;;) {
    MNR_ASSIGN_OR_RETURN(std::vector<StoredRecord> rows,
                         txn.ListRevisions(name, after, 500));
    for (const StoredRecord& row : rows) {
      MNR_ASSIGN_OR_RETURN(v1::Consent c, DecodeRecord<v1::Consent>(row));
      out.push_back(std::move(c));
      after = row.revision.revision_id;
    }
    if (rows.size() < 500) return out;
  }
}

RecordQuery PatientConsents(const ResourceName& patient) {
  RecordQuery query;
  query.kind = RecordKind::kConsent;
  query.clinic = patient.clinic;
  query.patient = patient.PatientName();
  return query;
}

// PatientConsentsWithCutoff: a patient's consents (current revisions) with
// their re-consent cutoffs.
struct ConsentAndCutoff {
  v1::Consent consent;
  std::optional<absl::Time> cutoff;
};

// CutoffCache remembers ReconsentCutoff per instruction revision within one
// call: a clinic's report asks about the same few revisions for every
// patient.
using CutoffCache =
    std::map<std::pair<std::string, int64_t>, std::optional<absl::Time>>;

absl::StatusOr<std::vector<ConsentAndCutoff>> ReadPatientConsents(
    ReadTxn& txn, const ResourceName& patient, CutoffCache* cache = nullptr) {
  MNR_ASSIGN_OR_RETURN(std::vector<v1::Consent> consents,
                       ReadAll<v1::Consent>(txn, PatientConsents(patient)));
  std::vector<ConsentAndCutoff> out;
  for (v1::Consent& c : consents) {
    ConsentAndCutoff entry;
    if (cache == nullptr) {
      MNR_ASSIGN_OR_RETURN(entry.cutoff, ApplyReconsent(txn, &c));
    } else {
      const auto key = std::make_pair(c.instructions().instruction_set(),
                                      c.instructions().revision_id());
      auto found = cache->find(key);
      if (found == cache->end()) {
        MNR_ASSIGN_OR_RETURN(std::optional<absl::Time> cutoff,
                             ReconsentCutoff(txn, c));
        found = cache->emplace(key, cutoff).first;
      }
      entry.cutoff = found->second;
      c.set_needs_reconsent(entry.cutoff.has_value());
    }
    entry.consent = std::move(c);
    out.push_back(std::move(entry));
  }
  return out;
}

// CoverKind finds the granted consent of `kind` in force at `t` that was
// signed last; a refusal in force signed later than every grant wins.
v1::KindCoverage CoverKind(v1::InstructionKind kind,
                           const std::vector<ConsentAndCutoff>& consents,
                           absl::Time t) {
  v1::KindCoverage out;
  out.set_kind(kind);
  const v1::Consent* deciding = nullptr;
  for (const ConsentAndCutoff& entry : consents) {
    const v1::Consent& c = entry.consent;
    if (c.kind() != kind || !InForceAt(c, entry.cutoff, t)) continue;
    if (deciding == nullptr ||
        FromProtoTime(c.signed_at()) >= FromProtoTime(deciding->signed_at())) {
      deciding = &c;
    }
  }
  if (deciding == nullptr) {
    out.set_problem(absl::StrCat("no ", v1::InstructionKind_Name(kind),
                                 " consent was in force"));
  } else if (deciding->decision() != v1::CONSENT_DECISION_GRANTED) {
    out.set_consent(deciding->name());
    out.set_problem(absl::StrCat(deciding->name(), " records a refusal"));
  } else {
    out.set_covered(true);
    out.set_consent(deciding->name());
  }
  return out;
}

}  // namespace

absl::StatusOr<v1::ListConsentHistoryResponse>
ConsentsService::ListConsentHistory(AuditedCall&,
                                    const v1::ListConsentHistoryRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName parent,
                       ParseName("parent", r.parent(), NameKind::kPatient));
  MNR_ASSIGN_OR_RETURN(const int size,
                       EffectivePageSize("page_size", r.page_size()));
  MNR_RETURN_IF_ERROR(
      CheckEnum("kind", r.kind(), v1::InstructionKind_IsValid, false));
  MNR_RETURN_IF_ERROR(
      CheckTime("start_time", r.has_start_time(), r.start_time(), false));
  MNR_RETURN_IF_ERROR(
      CheckTime("end_time", r.has_end_time(), r.end_time(), false));
  const std::string fingerprint = QueryFingerprint(r);
  MNR_ASSIGN_OR_RETURN(const int64_t offset,
                       DecodePageToken(r.page_token(), fingerprint));
  v1::ListConsentHistoryResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_RETURN_IF_ERROR(LoadRecord<v1::Patient>(txn, r.parent(), 0).status());
    RecordQuery query = PatientConsents(parent);
    if (r.kind() != v1::INSTRUCTION_KIND_UNSPECIFIED) query.category = r.kind();
    MNR_ASSIGN_OR_RETURN(std::vector<v1::Consent> consents,
                         ReadAll<v1::Consent>(txn, query));
    std::vector<v1::Consent> revisions;
    for (const v1::Consent& c : consents) {
      MNR_ASSIGN_OR_RETURN(std::vector<v1::Consent> all,
                           AllRevisions(txn, c.name()));
      for (v1::Consent& rev : all) {
        const absl::Time when = FromProtoTime(rev.revision().create_time());
        if (r.has_start_time() && when < FromProtoTime(r.start_time()))
          continue;
        if (r.has_end_time() && when >= FromProtoTime(r.end_time())) continue;
        revisions.push_back(std::move(rev));
      }
    }
    std::stable_sort(
        revisions.begin(), revisions.end(),
        [](const v1::Consent& a, const v1::Consent& b) {
          const absl::Time ta = FromProtoTime(a.revision().create_time());
          const absl::Time tb = FromProtoTime(b.revision().create_time());
          return std::make_tuple(ta, a.name(), a.revision().revision_id()) <
                 std::make_tuple(tb, b.name(), b.revision().revision_id());
        });
    const int64_t total = static_cast<int64_t>(revisions.size());
    const int64_t end = std::min<int64_t>(total, offset + size);
    for (int64_t i = offset; i < end; ++i) {
      *response.add_revisions() = std::move(revisions[i]);
    }
    if (end < total) {
      response.set_next_page_token(EncodePageToken(end, fingerprint));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetConsentStateAtResponse>
ConsentsService::GetConsentStateAt(AuditedCall&,
                                   const v1::GetConsentStateAtRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName parent,
                       ParseName("parent", r.parent(), NameKind::kPatient));
  MNR_RETURN_IF_ERROR(CheckTime("time", r.has_time(), r.time(), true));
  const absl::Time t = FromProtoTime(r.time());
  const absl::Time now = clock_.Now();
  v1::GetConsentStateAtResponse response;
  *response.mutable_time() = r.time();
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_RETURN_IF_ERROR(LoadRecord<v1::Patient>(txn, r.parent(), 0).status());
    MNR_ASSIGN_OR_RETURN(std::vector<ConsentAndCutoff> consents,
                         ReadPatientConsents(txn, parent));
    std::stable_sort(consents.begin(), consents.end(),
                     [](const ConsentAndCutoff& a, const ConsentAndCutoff& b) {
                       return FromProtoTime(a.consent.signed_at()) <
                              FromProtoTime(b.consent.signed_at());
                     });
    for (ConsentAndCutoff& entry : consents) {
      if (!InForceAt(entry.consent, entry.cutoff, t)) continue;
      v1::ConsentInForce* out = response.add_consents();
      ApplyDerivedState(now, &entry.consent);
      *out->mutable_instructions() = entry.consent.instructions();
      *out->mutable_consent() = std::move(entry.consent);
    }
    return absl::OkStatus();
  }));
  return response;
}

namespace {

// SessionAt is what coverage keeps of a session.
struct SessionAt {
  std::string name;
  google::protobuf::Timestamp performed_at;
};

// ReadSessionsInRange reads the live sessions `query` selects, a page at a
// time keeping only their name and time, and checks the cap as they come:
// memory stays bounded by the cap, whatever the range holds. Sorted by
// performed_at, then name.
absl::StatusOr<std::vector<SessionAt>> ReadSessionsInRange(ReadTxn& txn,
                                                           RecordQuery query) {
  std::vector<SessionAt> sessions;
  size_t in_range = 0;
  query.limit = 500;
  for (;;) {
    MNR_ASSIGN_OR_RETURN(const std::vector<StoredRecord> rows,
                         txn.ListRecords(query));
    in_range += rows.size();
    if (in_range > kMaxCoverageSessions) {
      return absl::FailedPreconditionError(
          absl::StrCat("the range holds more than ", kMaxCoverageSessions,
                       " sessions, the most one report covers; narrow "
                       "start_time..end_time"));
    }
    for (const StoredRecord& row : rows) {
      MNR_ASSIGN_OR_RETURN(v1::TreatmentSession s,
                           DecodeRecord<v1::TreatmentSession>(row));
      if (IsEnteredInError(s)) continue;
      sessions.push_back({s.name(), s.performed_at()});
    }
    if (static_cast<int>(rows.size()) < query.limit) break;
    query.after_seq = rows.back().seq;
  }
  std::stable_sort(
      sessions.begin(), sessions.end(),
      [](const SessionAt& a, const SessionAt& b) {
        const auto& x = a.performed_at;
        const auto& y = b.performed_at;
        return std::forward_as_tuple(x.seconds(), x.nanos(), a.name) <
               std::forward_as_tuple(y.seconds(), y.nanos(), b.name);
      });
  return sessions;
}

// CoverageChecker decides, session by session, which consents covered it,
// reading each patient's consents once per report.
class CoverageChecker {
 public:
  explicit CoverageChecker(ReadTxn& txn) : txn_(txn) {}

  // Cover reports whether granted consents of every kind the session needs
  // (PHOTOGRAPHY too when it has photos) were in force at performed_at.
  absl::StatusOr<v1::SessionCoverage> Cover(const SessionAt& s) {
    MNR_ASSIGN_OR_RETURN(const ResourceName name,
                         ParseName("session", s.name, NameKind::kSession));
    const std::string patient = name.PatientName();
    auto it = by_patient_.find(patient);
    if (it == by_patient_.end()) {
      MNR_ASSIGN_OR_RETURN(std::vector<ConsentAndCutoff> consents,
                           ReadPatientConsents(txn_, name, &cutoffs_));
      it = by_patient_.emplace(patient, std::move(consents)).first;
    }
    RecordQuery photos;
    photos.kind = RecordKind::kPhoto;
    photos.clinic = name.clinic;
    photos.session = s.name;
    photos.limit = 1;
    MNR_ASSIGN_OR_RETURN(const std::vector<StoredRecord> photo_rows,
                         txn_.ListRecords(photos));
    v1::SessionCoverage out;
    out.set_session(s.name);
    out.set_patient(patient);
    *out.mutable_performed_at() = s.performed_at;
    out.set_covered(true);
    std::vector<v1::InstructionKind> kinds(std::begin(kSessionKinds),
                                           std::end(kSessionKinds));
    if (!photo_rows.empty()) kinds.push_back(v1::INSTRUCTION_KIND_PHOTOGRAPHY);
    const absl::Time t = FromProtoTime(s.performed_at);
    for (v1::InstructionKind kind : kinds) {
      *out.add_kinds() = CoverKind(kind, it->second, t);
      if (!out.kinds().rbegin()->covered()) out.set_covered(false);
    }
    return out;
  }

 private:
  ReadTxn& txn_;
  std::map<std::string, std::vector<ConsentAndCutoff>> by_patient_;
  CutoffCache cutoffs_;
};

}  // namespace

absl::StatusOr<v1::GetConsentCoverageResponse>
ConsentsService::GetConsentCoverage(AuditedCall&,
                                    const v1::GetConsentCoverageRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName parent,
                       ParseName("parent", r.parent(), NameKind::kClinic));
  MNR_RETURN_IF_ERROR(
      CheckTime("start_time", r.has_start_time(), r.start_time(), true));
  MNR_RETURN_IF_ERROR(
      CheckTime("end_time", r.has_end_time(), r.end_time(), true));
  if (FromProtoTime(r.end_time()) <= FromProtoTime(r.start_time())) {
    return absl::InvalidArgumentError("end_time: must be after start_time");
  }
  RecordQuery query;
  query.kind = RecordKind::kSession;
  query.clinic = parent.clinic;
  query.event_time_from_us = ProtoTimeToMicros(r.start_time());
  query.event_time_to_us = ProtoTimeToMicros(r.end_time());
  v1::GetConsentCoverageResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(const std::vector<SessionAt> sessions,
                         ReadSessionsInRange(txn, query));
    CoverageChecker checker(txn);
    // The report's order: uncovered first, then by time (then name).
    std::vector<v1::SessionCoverage> covered;
    std::vector<v1::SessionCoverage> uncovered;
    for (const SessionAt& s : sessions) {
      MNR_ASSIGN_OR_RETURN(v1::SessionCoverage out, checker.Cover(s));
      (out.covered() ? covered : uncovered).push_back(std::move(out));
    }
    response.set_sessions_total(
        static_cast<int32_t>(covered.size() + uncovered.size()));
    response.set_sessions_uncovered(static_cast<int32_t>(uncovered.size()));
    for (auto* group : {&uncovered, &covered}) {
      for (v1::SessionCoverage& s : *group) {
        *response.add_sessions() = std::move(s);
      }
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::VerifyConsentResponse> ConsentsService::VerifyConsent(
    AuditedCall&, const v1::VerifyConsentRequest& r) {
  MNR_RETURN_IF_ERROR(ParseName("name", r.name(), NameKind::kConsent).status());
  MNR_RETURN_IF_ERROR(
      CheckIntRange("revision_id", r.revision_id(), 0, kMaxRevisionId));
  v1::VerifyConsentResponse response;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(
        const v1::Consent c,
        LoadRecord<v1::Consent>(txn, r.name(), r.revision_id()));
    response.set_consent(c.name());
    response.set_revision_id(c.revision().revision_id());
    *response.mutable_instructions() = c.instructions();
    response.set_signed_sha256(c.instructions().content_sha256());
    MNR_ASSIGN_OR_RETURN(
        const v1::InstructionSet set,
        LoadInstructionSet(txn, c.instructions().instruction_set(),
                           c.instructions().revision_id()));
    response.set_published_sha256(set.content_sha256());
    response.set_recomputed_sha256(InstructionContentSha256(set));
    const std::string where =
        absl::StrCat(c.instructions().instruction_set(), " revision ",
                     c.instructions().revision_id());
    if (response.recomputed_sha256() != response.signed_sha256()) {
      response.set_problem(
          absl::StrCat("the text of ", where, " now hashes to ",
                       response.recomputed_sha256(), " but ", c.name(),
                       " revision ", c.revision().revision_id(),
                       " was signed over ", response.signed_sha256()));
    } else if (response.published_sha256() != response.signed_sha256()) {
      response.set_problem(absl::StrCat("the hash stored with ", where, " (",
                                        response.published_sha256(),
                                        ") differs from the one signed"));
    }
    response.set_ok(response.problem().empty());
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace mnrecords
