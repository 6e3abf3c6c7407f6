// Store contract: the audit log (append with sequence numbers and the hash
// chain, filtered listing, range reads, the last event, rollback).
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/status_macros.h"
#include "server/store/audit_access.h"
#include "server/store/audit_chain.h"
#include "tests/storage/status_testing.h"
#include "tests/storage/store_contract_helpers.h"
#include "tests/storage/store_contract_test.h"

namespace mnrecords {
namespace testing {
namespace {

using ::absl::StatusCode;

AuditEvent Event(const std::string& principal, const std::string& resource,
                 const std::string& action, int64_t time_s) {
  AuditEvent e;
  e.time = absl::FromUnixSeconds(time_s);
  e.principal = principal;
  e.role = "clinician";
  e.action = action;
  e.clinic = "c1";
  e.resource = resource;
  e.peer = "ipv4:127.0.0.1:1";
  e.request_id = "r";
  return e;
}

absl::StatusOr<AuditEvent> Append(Store& store, const AuditEvent& e) {
  AuditEvent out;
  MNR_RETURN_IF_ERROR(store.Write([&](WriteTxn& txn) -> absl::Status {
    MNR_ASSIGN_OR_RETURN(out, txn.AppendAuditEvent(e));
    return absl::OkStatus();
  }));
  return out;
}

std::vector<int64_t> Seqs(const std::vector<AuditEvent>& events) {
  std::vector<int64_t> out;
  for (const AuditEvent& e : events) out.push_back(e.seq);
  return out;
}

TEST_P(StoreContractTest, AuditEventsAreNumberedAndChained) {
  MNR_ASSERT_OK_AND_ASSIGN(
      const AuditEvent first,
      Append(*store_, Event("u1", "clinics/c1/patients/p1", "/Get", 10)));
  MNR_ASSERT_OK_AND_ASSIGN(
      const AuditEvent second,
      Append(*store_, Event("u2", "clinics/c1/patients/p2", "/Get", 11)));
  EXPECT_EQ(first.seq, 1);
  EXPECT_EQ(first.prev_hash, std::string(kAuditGenesisHash));
  EXPECT_EQ(first.hash, AuditEventHash(kAuditGenesisHash, first));
  EXPECT_EQ(second.seq, 2);
  EXPECT_EQ(second.prev_hash, first.hash);
  EXPECT_EQ(second.hash, AuditEventHash(first.hash, second));

  MNR_ASSERT_OK_AND_ASSIGN(
      const std::optional<AuditEvent> last,
      ReadValue<std::optional<AuditEvent>>(
          *store_, [](ReadTxn& txn) { return txn.LastAuditEvent(); }));
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->seq, 2);
  EXPECT_EQ(last->hash, second.hash);
  EXPECT_EQ(last->principal, "u2");
  EXPECT_EQ(last->time, absl::FromUnixSeconds(11));

  Reopen();
  MNR_ASSERT_OK_AND_ASSIGN(
      const std::vector<AuditEvent> all,
      ReadValue<std::vector<AuditEvent>>(
          *store_, [](ReadTxn& txn) { return txn.ReadAuditEvents(1, 10); }));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].hash, second.hash);
  EXPECT_EQ(all[1].prev_hash, first.hash);
  EXPECT_EQ(all[0].request_id, "r");
}

TEST_P(StoreContractTest, ScanAuditEventsStreamsARangeAndStopsOnError) {
  std::vector<AuditEvent> appended;
  for (int i = 1; i <= 5; ++i) {
    MNR_ASSERT_OK_AND_ASSIGN(
        AuditEvent e,
        Append(*store_, Event(absl::StrCat("u", i), "clinics/c1/patients/p1",
                              "/Get", i)));
    appended.push_back(e);
  }
  std::vector<AuditEvent> seen;
  MNR_ASSERT_OK(store_->Read([&](ReadTxn& txn) {
    return txn.ScanAuditEvents(2, 4, [&](const AuditEvent& e) {
      seen.push_back(e);
      return absl::OkStatus();
    });
  }));
  ASSERT_EQ(seen.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(seen[i].seq, i + 2);
    EXPECT_EQ(seen[i].principal, appended[i + 1].principal);
    EXPECT_EQ(seen[i].prev_hash, appended[i + 1].prev_hash);
    EXPECT_EQ(seen[i].hash, appended[i + 1].hash);
    EXPECT_EQ(seen[i].time, appended[i + 1].time);
  }
  int calls = 0;
  const absl::Status stopped = store_->Read([&](ReadTxn& txn) {
    return txn.ScanAuditEvents(1, 100, [&](const AuditEvent& e) {
      ++calls;
      return e.seq == 2 ? absl::CancelledError("stop") : absl::OkStatus();
    });
  });
  EXPECT_EQ(stopped.code(), StatusCode::kCancelled);
  EXPECT_EQ(calls, 2);
  int none = 0;
  MNR_ASSERT_OK(store_->Read([&](ReadTxn& txn) {
    return txn.ScanAuditEvents(6, 9, [&](const AuditEvent&) {
      ++none;
      return absl::OkStatus();
    });
  }));
  EXPECT_EQ(none, 0);
}

TEST_P(StoreContractTest, EmptyAuditLogHasNoLastEvent) {
  MNR_ASSERT_OK_AND_ASSIGN(
      const std::optional<AuditEvent> last,
      ReadValue<std::optional<AuditEvent>>(
          *store_, [](ReadTxn& txn) { return txn.LastAuditEvent(); }));
  EXPECT_EQ(last, std::nullopt);
}

TEST_P(StoreContractTest, AuditEventOfARolledBackWriteIsGone) {
  MNR_ASSERT_OK(Append(*store_, Event("u1", "clinics/c1", "/A", 1)).status());
  MNR_EXPECT_CODE(store_->Write([&](WriteTxn& txn) -> absl::Status {
    MNR_RETURN_IF_ERROR(
        txn.AppendAuditEvent(Event("u1", "clinics/c1", "/B", 2)).status());
    return absl::AbortedError("caller gave up");
  }),
                  StatusCode::kAborted);
  MNR_ASSERT_OK_AND_ASSIGN(const AuditEvent next,
                           Append(*store_, Event("u1", "clinics/c1", "/C", 3)));
  EXPECT_EQ(next.seq, 2);  // no gap where the rolled back event was
}

TEST_P(StoreContractTest, AuditAppendRejectsAnEventWithoutAction) {
  MNR_EXPECT_CODE(Append(*store_, Event("u1", "clinics/c1", "", 1)).status(),
                  StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, ListAuditEventsFilters) {
  MNR_ASSERT_OK(
      Append(*store_, Event("u1", "clinics/c1/patients/p1", "/Get", 10))
          .status());  // 1
  MNR_ASSERT_OK(
      Append(*store_, Event("u2", "clinics/c1/patients/p1/courses/k", "/Get",
                            20))
          .status());  // 2
  MNR_ASSERT_OK(
      Append(*store_, Event("u1", "clinics/c1/patients/p10", "/List", 30))
          .status());  // 3
  AuditEvent other = Event("u1", "clinics/c2/patients/p1", "/Get", 40);
  other.clinic = "c2";
  MNR_ASSERT_OK(Append(*store_, other).status());  // 4

  auto list = [&](AuditQuery q) {
    return ReadValue<std::vector<AuditEvent>>(
        *store_, [&](ReadTxn& txn) { return txn.ListAuditEvents(q); });
  };
  AuditQuery q;
  q.limit = 10;
  MNR_ASSERT_OK_AND_ASSIGN(auto all, list(q));
  EXPECT_EQ(Seqs(all), (std::vector<int64_t>{1, 2, 3, 4}));

  AuditQuery by_principal = q;
  by_principal.principal = "u1";
  MNR_ASSERT_OK_AND_ASSIGN(auto u1, list(by_principal));
  EXPECT_EQ(Seqs(u1), (std::vector<int64_t>{1, 3, 4}));

  AuditQuery by_prefix = q;
  by_prefix.resource_prefix = "clinics/c1/patients/p1";
  MNR_ASSERT_OK_AND_ASSIGN(auto p1, list(by_prefix));
  EXPECT_EQ(Seqs(p1), (std::vector<int64_t>{1, 2, 3}));  // p10 too: a prefix

  AuditQuery by_action = q;
  by_action.action = "/List";
  MNR_ASSERT_OK_AND_ASSIGN(auto lists, list(by_action));
  EXPECT_EQ(Seqs(lists), (std::vector<int64_t>{3}));

  AuditQuery by_clinic = q;
  by_clinic.clinic = "c2";
  MNR_ASSERT_OK_AND_ASSIGN(auto c2, list(by_clinic));
  EXPECT_EQ(Seqs(c2), (std::vector<int64_t>{4}));

  AuditQuery by_time = q;
  by_time.time_from_us = absl::ToUnixMicros(absl::FromUnixSeconds(20));
  by_time.time_to_us = absl::ToUnixMicros(absl::FromUnixSeconds(40));
  MNR_ASSERT_OK_AND_ASSIGN(auto window, list(by_time));
  EXPECT_EQ(Seqs(window), (std::vector<int64_t>{2, 3}));

  AuditQuery paged = by_principal;
  paged.limit = 1;
  paged.after_seq = 1;
  MNR_ASSERT_OK_AND_ASSIGN(auto page, list(paged));
  EXPECT_EQ(Seqs(page), (std::vector<int64_t>{3}));

  AuditQuery bad = q;
  bad.limit = 0;
  MNR_EXPECT_CODE(list(bad).status(), StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, AuditEventsAreFiledUnderThePatientsTheyDisclosed) {
  // 1: a read of p1's course; 2: a bulk list that disclosed p1 and p2;
  // 3: a refused read of p2; 4: a list that disclosed p10 only; 5: a
  // checkpoint (no patient at all).
  MNR_ASSERT_OK(Append(*store_, Event("u1", "clinics/c1/patients/p1/courses/k",
                                      "/Get", 10))
                    .status());
  AuditEvent bulk =
      Event("u2", "clinics/c1/patients/-/sessions/-", "/List", 20);
  bulk.accessed = EncodeRecordsAccessed(
      {7, {"clinics/c1/patients/p1", "clinics/c1/patients/p2"}});
  MNR_ASSERT_OK_AND_ASSIGN(const AuditEvent stored, Append(*store_, bulk));
  EXPECT_EQ(stored.hash, AuditEventHash(stored.prev_hash, stored));
  EXPECT_EQ(AuditCanonicalBytes(stored).rfind("18:mnrecords.audit.v3,", 0), 0u);
  AuditEvent refused = Event("u3", "clinics/c1/patients/p2", "/Get", 30);
  refused.outcome = 7;  // PERMISSION_DENIED
  MNR_ASSERT_OK(Append(*store_, refused).status());
  AuditEvent other = Event("u2", "clinics/c1", "/List", 40);
  other.accessed = EncodeRecordsAccessed({1, {"clinics/c1/patients/p10"}});
  MNR_ASSERT_OK(Append(*store_, other).status());
  MNR_ASSERT_OK(Append(*store_, Event("u1", "", "/Checkpoint", 50)).status());

  auto list = [&](AuditQuery q) {
    return ReadValue<std::vector<AuditEvent>>(
        *store_, [&](ReadTxn& txn) { return txn.ListAuditEvents(q); });
  };
  AuditQuery p1;
  p1.patient = "clinics/c1/patients/p1";
  p1.limit = 10;
  MNR_ASSERT_OK_AND_ASSIGN(auto p1_events, list(p1));
  EXPECT_EQ(Seqs(p1_events), (std::vector<int64_t>{1, 2}));
  ASSERT_EQ(p1_events.size(), 2u);
  EXPECT_EQ(p1_events[1].accessed, bulk.accessed);  // read back as stored

  AuditQuery p2 = p1;
  p2.patient = "clinics/c1/patients/p2";
  MNR_ASSERT_OK_AND_ASSIGN(auto p2_events, list(p2));
  EXPECT_EQ(Seqs(p2_events), (std::vector<int64_t>{2, 3}));

  AuditQuery p2_refused = p2;
  p2_refused.outcome = AuditOutcome::kExactly;
  p2_refused.outcome_code = 7;
  MNR_ASSERT_OK_AND_ASSIGN(auto refusals, list(p2_refused));
  EXPECT_EQ(Seqs(refusals), (std::vector<int64_t>{3}));

  AuditQuery failed;
  failed.outcome = AuditOutcome::kFailed;
  MNR_ASSERT_OK_AND_ASSIGN(auto failures, list(failed));
  EXPECT_EQ(Seqs(failures), (std::vector<int64_t>{3}));

  AuditQuery newest = p2;
  newest.newest_first = true;
  MNR_ASSERT_OK_AND_ASSIGN(auto backwards, list(newest));
  EXPECT_EQ(Seqs(backwards), (std::vector<int64_t>{3, 2}));
  newest.before_seq = 3;
  MNR_ASSERT_OK_AND_ASSIGN(auto older, list(newest));
  EXPECT_EQ(Seqs(older), (std::vector<int64_t>{2}));

  AuditQuery all_newest;
  all_newest.newest_first = true;
  all_newest.limit = 2;
  MNR_ASSERT_OK_AND_ASSIGN(auto head, list(all_newest));
  EXPECT_EQ(Seqs(head), (std::vector<int64_t>{5, 4}));

  AuditQuery not_a_patient = p1;
  not_a_patient.patient = "clinics/c1/patients/-";
  MNR_EXPECT_CODE(list(not_a_patient).status(), StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, AuditAppendRejectsAMalformedAccessList) {
  AuditEvent e = Event("u1", "clinics/c1", "/List", 1);
  e.accessed = "3:abc,";
  MNR_EXPECT_CODE(Append(*store_, e).status(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace testing
}  // namespace mnrecords
