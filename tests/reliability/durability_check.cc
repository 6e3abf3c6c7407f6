#include "tests/reliability/durability_check.h"

#include <sqlite3.h>

#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/message_differencer.h"

namespace mnrecords::testing {
namespace {

using ::google::protobuf::Message;
using ::google::protobuf::util::MessageDifferencer;

// WithoutServerFields returns a copy of `record` without the fields the
// server sets (name, create_time, revision, etag, findings).
std::unique_ptr<Message> WithoutServerFields(const Message& record) {
  std::unique_ptr<Message> copy(record.New());
  copy->CopyFrom(record);
  for (const char* field :
       {"name", "create_time", "revision", "etag", "findings"}) {
    const auto* descriptor = copy->GetDescriptor()->FindFieldByName(field);
    if (descriptor != nullptr) {
      copy->GetReflection()->ClearField(copy.get(), descriptor);
    }
  }
  return copy;
}

// Differences describes how `b` differs from `a`.
std::string Differences(const Message& a, const Message& b) {
  std::string text;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&text);
  return differencer.Compare(a, b) ? "none" : text;
}

const Message& SentRecord(const SentCreate& call) {
  if (call.is_patient) return call.patient.patient();
  return call.session.session();
}

void Problem(DurabilityReport& report, std::string text) {
  if (report.problems.size() < 20) report.problems.push_back(std::move(text));
}

}  // namespace

absl::StatusOr<std::map<std::string, std::vector<StoredCreate>>>
ReadStoredCreates(const RecordsClient& ehr) {
  std::map<std::string, std::vector<StoredCreate>> by_tag;
  v1::ListPatientsRequest patients;
  patients.set_parent("clinics/c1");
  patients.set_page_size(500);
  auto all_patients = ehr.ListAllPatients(patients);
  if (!all_patients.ok()) return all_patients.status();
  for (const v1::Patient& p : *all_patients) {
    const std::string tag =
        p.identifiers().empty() ? "" : p.identifiers(0).value();
    by_tag[tag].push_back({p.name(), std::make_unique<v1::Patient>(p),
                           p.revision().revision_id()});
  }
  v1::ListSessionsRequest sessions;
  sessions.set_parent("clinics/c1/patients/-/courses/-");
  sessions.set_page_size(500);
  auto all_sessions = ehr.ListAllSessions(sessions);
  if (!all_sessions.ok()) return all_sessions.status();
  for (const v1::TreatmentSession& s : *all_sessions) {
    const std::string tag =
        std::string(*absl::StrSplit(s.notes(), ' ').begin());
    by_tag[tag].push_back({s.name(), std::make_unique<v1::TreatmentSession>(s),
                           s.revision().revision_id()});
  }
  return by_tag;
}

bool MatchesSent(const Message& stored, const SentCreate& call) {
  return MessageDifferencer::Equals(*WithoutServerFields(stored),
                                    SentRecord(call));
}

bool DurabilityReport::ok() const {
  return lost == 0 && duplicates == 0 && changed == 0 && never_sent == 0 &&
         failed_but_stored == 0 && retry_not_ok == 0 && missing_audit == 0 &&
         audit_chain_ok;
}

std::string DurabilityReport::Summary() const {
  std::string text = absl::StrCat(
      "calls ", calls, " (", amendments, " of them amendments): acknowledged ",
      acknowledged, " (", unknown_then_ok,
      " of them after an attempt with unknown outcome), failed ", failed,
      ", unknown at the end ", unknown_at_end, " (", unknown_present,
      " of them stored before the retry)\n", "records lost ", lost,
      ", duplicates ", duplicates, ", changed ", changed, ", never sent ",
      never_sent, ", failed but stored ", failed_but_stored,
      ", retries not OK ", retry_not_ok, ", missing audit events ",
      missing_audit, "\naudit chain ", audit_chain_ok ? "verifies" : "BROKEN",
      " (", audit_events, " events)");
  for (const std::string& problem : problems) {
    absl::StrAppend(&text, "\n  problem: ", problem);
  }
  return text;
}

absl::StatusOr<DurabilityReport> CheckDurability(
    std::vector<SentCreate>& calls, const std::set<std::string>& setup_tags,
    const RecordsClient& ehr, const RecordsClient& auditor) {
  DurabilityReport report;
  report.calls = static_cast<int64_t>(calls.size());
  auto stored = ReadStoredCreates(ehr);
  if (!stored.ok()) return stored.status();

  std::set<std::string> sent_tags;
  std::vector<SentCreate*> amendments;
  bool retried = false;
  for (SentCreate& call : calls) {
    if (call.is_amendment) {
      amendments.push_back(&call);
      ++report.amendments;
      continue;
    }
    sent_tags.insert(call.tag);
    const std::vector<StoredCreate>& found = (*stored)[call.tag];
    if (found.size() > 1) {
      ++report.duplicates;
      Problem(report,
              absl::StrCat(call.tag, " stored ", found.size(), " times"));
    }
    switch (call.outcome) {
      case CallOutcome::kAcknowledged: {
        ++report.acknowledged;
        if (call.ever_unknown) ++report.unknown_then_ok;
        if (found.empty()) {
          ++report.lost;
          Problem(report, absl::StrCat(call.tag, " (", call.name,
                                       ") acknowledged but lost"));
          break;
        }
        const Message* current = found[0].record.get();
        std::unique_ptr<v1::TreatmentSession> first;
        if (found[0].revision_id > 1) {  // amended: compare revision 1
          v1::GetSessionRequest get;
          get.set_name(found[0].name);
          get.set_revision_id(1);
          auto original = ehr.GetSession(get);
          if (!original.ok()) return original.status();
          first = std::make_unique<v1::TreatmentSession>(*original);
          current = first.get();
        }
        const Message& record = *current;
        std::unique_ptr<Message> response(record.New());
        response->ParseFromString(call.response);
        if (found[0].name != call.name || !MatchesSent(record, call) ||
            !MessageDifferencer::Equals(record, *response)) {
          ++report.changed;
          Problem(
              report,
              absl::StrCat(
                  call.tag, " (", found[0].name, ") stored differs from sent: ",
                  Differences(SentRecord(call), *WithoutServerFields(record)),
                  "; from acknowledged: ", Differences(*response, record)));
        }
        break;
      }
      case CallOutcome::kFailed:
        ++report.failed;
        Problem(report,
                absl::StrCat(call.tag, " failed: ", call.status.ToString()));
        if (!found.empty()) {
          ++report.failed_but_stored;
          Problem(report,
                  absl::StrCat(call.tag, " failed (", call.status.ToString(),
                               ") but is stored"));
        }
        break;
      case CallOutcome::kUnknown: {
        ++report.unknown_at_end;
        if (!found.empty()) ++report.unknown_present;
        // Retry with the same request_id: the first result, or now done.
        retried = true;
        const std::string before = found.empty() ? "" : found[0].name;
        if (!SendCreate(ehr, call).ok()) {
          ++report.retry_not_ok;
          Problem(report,
                  absl::StrCat(call.tag, " retry: ", call.status.ToString()));
        } else if (!before.empty() && call.name != before) {
          ++report.duplicates;
          Problem(report, absl::StrCat(call.tag, " retry created ", call.name,
                                       " besides ", before));
        }
        break;
      }
    }
  }
  for (const auto& [tag, found] : *stored) {
    if (sent_tags.count(tag) == 0 && setup_tags.count(tag) == 0) {
      report.never_sent += static_cast<int64_t>(found.size());
      Problem(report, absl::StrCat(found[0].name, " (", tag,
                                   ") stored but never sent"));
    }
  }
  // Amendments: each acknowledged one is there as the revision it returned;
  // each session's revision count is 1 + its acknowledged amendments (+ at
  // most one whose outcome is unknown, exactly one after its retry).
  std::map<std::string, int64_t> current;  // session name -> revision
  for (const auto& [tag, found] : *stored) {
    for (const StoredCreate& s : found) current[s.name] = s.revision_id;
  }
  std::map<std::string, int64_t> expected;  // 1 + acknowledged amendments
  std::map<std::string, int64_t> pending;   // unknown outcome at the end
  for (SentCreate* call : amendments) {
    const std::string& name = call->amend.session().name();
    switch (call->outcome) {
      case CallOutcome::kAcknowledged: {
        ++report.acknowledged;
        if (call->ever_unknown) ++report.unknown_then_ok;
        ++expected[name];
        v1::TreatmentSession acked;
        acked.ParseFromString(call->response);
        v1::GetSessionRequest get;
        get.set_name(name);
        get.set_revision_id(acked.revision().revision_id());
        auto revision = ehr.GetSession(get);
        if (!revision.ok()) {
          ++report.lost;
          Problem(report, absl::StrCat(call->tag, ": revision ",
                                       get.revision_id(), " of ", name, ": ",
                                       revision.status().ToString()));
        } else if (!MessageDifferencer::Equals(*revision, acked)) {
          ++report.changed;
          Problem(report,
                  absl::StrCat(call->tag, ": revision ", get.revision_id(),
                               " of ", name, " differs from acknowledged: ",
                               Differences(acked, *revision)));
        }
        break;
      }
      case CallOutcome::kFailed:
        ++report.failed;
        Problem(report,
                absl::StrCat(call->tag, " failed: ", call->status.ToString()));
        break;
      case CallOutcome::kUnknown:
        ++report.unknown_at_end;
        ++pending[name];
        break;
    }
  }
  auto revision_counts = [&](auto& counted) {
    for (const auto& [name, revision] : counted) {
      const int64_t want = 1 + expected[name];
      const int64_t open = pending.count(name) ? pending[name] : 0;
      if (revision < want) {
        report.lost += want - revision;
        Problem(report, absl::StrCat(name, " has ", revision,
                                     " revisions, acknowledged ", want));
      } else if (revision > want + open) {
        report.duplicates += revision - want - open;
        Problem(report, absl::StrCat(name, " has ", revision,
                                     " revisions, sent at most ", want + open));
      }
    }
  };
  revision_counts(current);
  for (const auto& [name, open] : pending) {
    if (current[name] == 1 + expected[name] + open) ++report.unknown_present;
  }
  for (SentCreate* call : amendments) {
    if (call->outcome != CallOutcome::kUnknown) continue;
    if (!SendCreate(ehr, *call).ok()) {
      ++report.retry_not_ok;
      Problem(report,
              absl::StrCat(call->tag, " retry: ", call->status.ToString()));
    }
  }
  if (!pending.empty()) {  // after the retries: exactly the sent revisions
    std::map<std::string, int64_t> now;
    for (const auto& [name, open] : pending) {
      v1::GetSessionRequest get;
      get.set_name(name);
      auto session = ehr.GetSession(get);
      if (!session.ok()) return session.status();
      now[name] = session->revision().revision_id();
      expected[name] += open;
    }
    pending.clear();
    revision_counts(now);
  }
  if (retried) {  // every retried call is now there exactly once
    auto again = ReadStoredCreates(ehr);
    if (!again.ok()) return again.status();
    for (const SentCreate& call : calls) {
      if (call.outcome != CallOutcome::kUnknown || call.is_amendment) continue;
      const size_t n = (*again)[call.tag].size();
      if (n != 1) {
        ++report.duplicates;
        Problem(report, absl::StrCat(call.tag, " stored ", n,
                                     " times after its retry"));
      }
    }
  }

  // Every stored create has its OK audit event (resource, request_id).
  v1::ListAuditEventsRequest list;
  list.set_parent("clinics/c1");
  list.set_page_size(1000);
  auto events = auditor.ListAllAuditEvents(list);
  if (!events.ok()) return events.status();
  std::set<std::pair<std::string, std::string>> audited;
  for (const v1::AuditEvent& event : *events) {
    if (event.outcome() == 0)
      audited.insert({event.request_id(), event.resource()});
  }
  for (const SentCreate& call : calls) {
    if (!call.status.ok()) continue;
    const std::string& request_id = RequestId(call);
    if (audited.count({request_id, call.name}) == 0) {
      ++report.missing_audit;
      Problem(report,
              absl::StrCat(call.name, " has no audit event for ", request_id));
    }
  }
  auto verified = auditor.VerifyAuditLog(v1::VerifyAuditLogRequest());
  if (!verified.ok()) return verified.status();
  report.audit_chain_ok = verified->ok();
  report.audit_events = verified->events_checked();
  if (!verified->ok()) {
    Problem(report,
            absl::StrCat("audit chain broken at ", verified->broken_sequence(),
                         ": ", verified->problem()));
  }
  return report;
}

absl::StatusOr<std::string> IntegrityCheck(const std::string& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    std::string error = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return absl::InternalError(absl::StrCat("open ", db_path, ": ", error));
  }
  sqlite3_stmt* stmt = nullptr;
  std::string result;
  int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr);
  while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (!result.empty()) result += "\n";
    result += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    rc = SQLITE_OK;
  }
  sqlite3_finalize(stmt);
  const std::string error = sqlite3_errmsg(db);
  sqlite3_close(db);
  if (rc != SQLITE_DONE) {
    return absl::InternalError(absl::StrCat("integrity_check: ", error));
  }
  return result;
}

}  // namespace mnrecords::testing
