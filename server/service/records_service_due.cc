// TreatmentRecords: the due list (ListDueSessions).
//
// It reads the clinic's PLANNED and ACTIVE courses (optionally of one
// responsible clinician) and, for each one still short of its planned
// sessions, the course's completed-session count (record_counts) and its
// latest session (the course's time index): two indexed lookups per open
// course, whatever the course holds. The window is NextSessionWindow, the
// same the course summary shows. The whole list is sorted by due date on
// every call; pages continue after the last (due date, course seq) sent.
#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/time_util.h"
#include "server/charts/next_session_window.h"
#include "server/records/page_token.h"
#include "server/records/record_codec.h"
#include "server/service/records_service.h"
#include "server/validation/field_checks.h"
#include "server/validation/resource_names.h"
#include "server/validation/validation.h"

namespace mnrecords {
namespace {

// The longest period one call may ask about.
constexpr absl::Duration kMaxDuePeriod = absl::Hours(24 * 366);

struct DueEntry {
  OrderedPosition position;  // due date (window start, µs), course seq
  v1::DueSession due;
};

absl::Status CheckDuePeriod(const v1::ListDueSessionsRequest& r) {
  MNR_RETURN_IF_ERROR(
      CheckTime("start_time", r.has_start_time(), r.start_time(), true));
  MNR_RETURN_IF_ERROR(
      CheckTime("end_time", r.has_end_time(), r.end_time(), true));
  const absl::Time start = FromProtoTime(r.start_time());
  const absl::Time end = FromProtoTime(r.end_time());
  if (end <= start) {
    return absl::InvalidArgumentError("end_time: must be after start_time");
  }
  if (end - start > kMaxDuePeriod) {
    return absl::InvalidArgumentError(
        "end_time: at most 366 days after start_time");
  }
  return absl::OkStatus();
}

// CompletedSessions: how many of the course's sessions are COMPLETED.
absl::StatusOr<int> CompletedSessions(ReadTxn& txn, const std::string& course) {
  MNR_ASSIGN_OR_RETURN(const std::vector<CategoryCount> counts,
                       txn.CountChildren(course, RecordKind::kSession));
  for (const CategoryCount& c : counts) {
    if (c.category == v1::SESSION_STATUS_COMPLETED) {
      return static_cast<int>(c.count);
    }
  }
  return 0;
}

// LatestSession: the course's session performed last, entered in error
// ones left out; nullopt if there is none.
absl::StatusOr<std::optional<StoredRecord>> LatestSession(
    ReadTxn& txn, absl::string_view clinic, const std::string& course) {
  RecordQuery query;
  query.kind = RecordKind::kSession;
  query.clinic = std::string(clinic);
  query.course = course;
  query.exclude_category = v1::SESSION_STATUS_ENTERED_IN_ERROR;
  query.order = RecordQuery::Order::kEventTimeDescending;
  query.limit = 1;
  MNR_ASSIGN_OR_RETURN(std::vector<StoredRecord> rows, txn.ListRecords(query));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

// AddDueCourses adds the courses `query` selects whose window overlaps
// [start, end) to `out`.
absl::Status AddDueCourses(ReadTxn& txn, RecordQuery query, absl::Time start,
                           absl::Time end, absl::Time now,
                           std::vector<DueEntry>& out) {
  query.limit = 500;
  for (;;) {
    MNR_ASSIGN_OR_RETURN(const std::vector<StoredRecord> rows,
                         txn.ListRecords(query));
    for (const StoredRecord& row : rows) {
      MNR_ASSIGN_OR_RETURN(const v1::TreatmentCourse course,
                           DecodeRecord<v1::TreatmentCourse>(row));
      MNR_ASSIGN_OR_RETURN(const int completed,
                           CompletedSessions(txn, course.name()));
      if (completed >= course.planned_session_count()) continue;
      MNR_ASSIGN_OR_RETURN(const std::optional<StoredRecord> last,
                           LatestSession(txn, query.clinic, course.name()));
      if (!last.has_value()) continue;
      const absl::Time last_time =
          absl::FromUnixMicros(last->revision.event_time_us);
      const std::optional<SessionWindow> window =
          NextSessionWindow(course, last_time, completed);
      if (!window.has_value() || !OverlapsPeriod(*window, start, end)) {
        continue;
      }
      DueEntry entry;
      entry.position = {absl::ToUnixMicros(window->earliest), row.seq};
      v1::DueSession& due = entry.due;
      due.set_course(course.name());
      due.set_patient(row.revision.patient);
      due.set_responsible_clinician(course.responsible_clinician());
      due.set_course_status(course.status());
      due.set_planned_session_count(course.planned_session_count());
      due.set_completed_session_count(completed);
      due.set_last_session(last->revision.name);
      *due.mutable_last_session_time() = ToProtoTime(last_time);
      *due.mutable_window_start_time() = ToProtoTime(window->earliest);
      *due.mutable_window_end_time() = ToProtoTime(window->latest);
      due.set_state(DueStateAt(*window, now));
      out.push_back(std::move(entry));
    }
    if (static_cast<int>(rows.size()) < query.limit) return absl::OkStatus();
    query.after_seq = rows.back().seq;
  }
}

bool Before(const OrderedPosition& a, const OrderedPosition& b) {
  return std::make_pair(a.key, a.seq) < std::make_pair(b.key, b.seq);
}

}  // namespace

absl::StatusOr<v1::ListDueSessionsResponse> RecordsService::ListDueSessions(
    AuditedCall&, const v1::ListDueSessionsRequest& r) {
  MNR_ASSIGN_OR_RETURN(const ResourceName parent,
                       ParseName("parent", r.parent(), NameKind::kClinic));
  MNR_RETURN_IF_ERROR(CheckDuePeriod(r));
  MNR_RETURN_IF_ERROR(CheckText("responsible_clinician",
                                r.responsible_clinician(), 0, kMaxShortText));
  MNR_ASSIGN_OR_RETURN(const int page_size,
                       EffectivePageSize("page_size", r.page_size()));
  const std::string fingerprint = QueryFingerprint(r);
  MNR_ASSIGN_OR_RETURN(const std::optional<OrderedPosition> after,
                       DecodeOrderedPageToken(r.page_token(), fingerprint));
  const absl::Time start = FromProtoTime(r.start_time());
  const absl::Time end = FromProtoTime(r.end_time());
  const absl::Time now = clock_.Now();

  std::vector<DueEntry> entries;
  MNR_RETURN_IF_ERROR(store_.Read([&](ReadTxn& txn) -> absl::Status {
    for (v1::CourseStatus status :
         {v1::COURSE_STATUS_PLANNED, v1::COURSE_STATUS_ACTIVE}) {
      RecordQuery courses;
      courses.kind = RecordKind::kCourse;
      courses.clinic = parent.clinic;
      courses.actor = r.responsible_clinician();
      courses.category = status;
      MNR_RETURN_IF_ERROR(
          AddDueCourses(txn, std::move(courses), start, end, now, entries));
    }
    return absl::OkStatus();
  }));
  std::sort(entries.begin(), entries.end(),
            [](const DueEntry& a, const DueEntry& b) {
              return Before(a.position, b.position);
            });
  auto first = entries.begin();
  if (after.has_value()) {
    first = std::upper_bound(entries.begin(), entries.end(), *after,
                             [](const OrderedPosition& p, const DueEntry& e) {
                               return Before(p, e.position);
                             });
  }
  v1::ListDueSessionsResponse response;
  *response.mutable_evaluate_time() = ToProtoTime(now);
  for (auto it = first; it != entries.end(); ++it) {
    if (response.due_sessions_size() == page_size) {
      response.set_next_page_token(
          EncodeOrderedPageToken(std::prev(it)->position, fingerprint));
      break;
    }
    *response.add_due_sessions() = it->due;
  }
  return response;
}

}  // namespace mnrecords
