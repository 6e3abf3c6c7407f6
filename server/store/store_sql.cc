#include "server/store/store_sql.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/store/record_rules.h"

namespace mnrecords {
namespace {

// kMaxSeq bounds a range of seqs from above (the largest bigint).
constexpr char kMaxSeq[] = "9223372036854775807";

}  // namespace

std::string NumberedParams(absl::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      absl::StrAppend(&out, "$", ++n);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<SqlWithParams> ListRecordsSql(const RecordQuery& query,
                                             SqlDialect dialect) {
  if (query.clinic.empty()) {
    return absl::InvalidArgumentError("record query needs a clinic");
  }
  if (!IsKnownKind(static_cast<int>(query.kind))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "record query has unknown kind ", static_cast<int>(query.kind)));
  }
  if (query.limit < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("record query limit must be >= 1, got ", query.limit));
  }
  if (query.after_seq < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "record query after_seq must be >= 0, got ", query.after_seq));
  }
  const bool by_time = query.order != RecordQuery::Order::kSeq;
  if (by_time && query.course.empty() &&
      (query.patient.empty() || !query.category.has_value())) {
    return absl::InvalidArgumentError(
        "a record query in time order needs a course, or a patient and a "
        "category");
  }
  if (!by_time && query.after_event_time_us.has_value()) {
    return absl::InvalidArgumentError(
        "after_event_time_us pages a query in time order");
  }
  const bool has_time = query.event_time_from_us.has_value() ||
                        query.event_time_to_us.has_value();
  const char* index = "records_by_clinic";
  if (by_time) {
    index = !query.course.empty() ? "records_by_course_time"
                                  : "records_by_patient_time";
  } else if (!query.session.empty()) {
    index = "records_by_session";
  } else if (!query.course.empty()) {
    index = "records_by_course";
  } else if (!query.patient.empty()) {
    index = "records_by_patient";
  } else if (!query.actor.empty()) {
    index = "records_by_clinic_actor";
  } else if (query.category.has_value() && !has_time) {
    index = "records_by_clinic_category";
  } else if (has_time) {
    index = "records_by_clinic_time";
  }
  for (const std::string& term : query.terms) {
    if (term.empty()) {
      return absl::InvalidArgumentError("record query has an empty term");
    }
  }
  // Without a session, course or patient to narrow by, the first search
  // term's index (record_terms' primary key, in seq order) drives the
  // query; SQLite's CROSS JOIN keeps it the outer loop.
  const bool by_term = !query.terms.empty() && !by_time &&
                       query.session.empty() && query.course.empty() &&
                       query.patient.empty();
  SqlWithParams out;
  if (by_term) {
    out.sql = absl::StrCat(
        "SELECT ", kRecordColumns, " FROM record_terms AS t ",
        dialect == SqlDialect::kSqlite ? "CROSS JOIN" : "JOIN",
        " records AS r ON r.seq = t.seq JOIN revisions AS v ON v.name = "
        "r.name AND v.revision_id = r.revision_id "
        "WHERE t.clinic = ? AND t.kind = ? AND t.term = ? AND r.kind = ? AND "
        "r.clinic = ?");
    out.params.emplace_back(query.clinic);
    out.params.emplace_back(static_cast<int64_t>(query.kind));
    out.params.emplace_back(query.terms.front());
  } else {
    out.sql = absl::StrCat("SELECT ", kRecordColumns, " FROM records AS r",
                           dialect == SqlDialect::kSqlite ? " INDEXED BY " : "",
                           dialect == SqlDialect::kSqlite ? index : "",
                           " JOIN revisions AS v ON v.name = r.name AND "
                           "v.revision_id = r.revision_id "
                           "WHERE r.kind = ? AND r.clinic = ?");
  }
  out.params.emplace_back(static_cast<int64_t>(query.kind));
  out.params.emplace_back(query.clinic);
  // Every other term: a lookup of (clinic, kind, term, seq) in the primary
  // key.
  for (size_t i = by_term ? 1 : 0; i < query.terms.size(); ++i) {
    absl::StrAppend(&out.sql,
                    " AND EXISTS (SELECT 1 FROM record_terms AS x WHERE "
                    "x.clinic = r.clinic AND x.kind = r.kind AND x.term = ? "
                    "AND x.seq = r.seq)");
    out.params.emplace_back(query.terms[i]);
  }
  const std::pair<const char*, const std::string*> equalities[] = {
      {"r.session", &query.session},
      {"r.course", &query.course},
      {"r.patient", &query.patient},
      {"r.actor", &query.actor}};
  for (const auto& [column, value] : equalities) {
    if (value->empty()) continue;
    absl::StrAppend(&out.sql, " AND ", column, " = ?");
    out.params.emplace_back(*value);
  }
  if (query.category.has_value()) {
    absl::StrAppend(&out.sql, " AND r.category = ?");
    out.params.emplace_back(static_cast<int64_t>(*query.category));
  }
  if (query.exclude_category.has_value()) {
    absl::StrAppend(&out.sql, " AND r.category != ?");
    out.params.emplace_back(static_cast<int64_t>(*query.exclude_category));
  }
  if (!query.exclude_name.empty()) {
    absl::StrAppend(&out.sql, " AND r.name != ?");
    out.params.emplace_back(query.exclude_name);
  }
  if (query.event_time_from_us.has_value()) {
    absl::StrAppend(&out.sql, " AND r.event_time_us >= ?");
    out.params.emplace_back(*query.event_time_from_us);
  }
  if (query.event_time_to_us.has_value()) {
    absl::StrAppend(&out.sql, " AND r.event_time_us < ?");
    out.params.emplace_back(*query.event_time_to_us);
  }
  if (by_term) {
    absl::StrAppend(&out.sql, " AND t.seq > ? ORDER BY t.seq LIMIT ?");
    out.params.emplace_back(query.after_seq);
  } else if (!by_time) {
    absl::StrAppend(&out.sql, " AND r.seq > ? ORDER BY r.seq LIMIT ?");
    out.params.emplace_back(query.after_seq);
  } else {
    const bool descending =
        query.order == RecordQuery::Order::kEventTimeDescending;
    if (query.after_event_time_us.has_value()) {
      // The row value comparison is the keyset cursor: (time, seq) strictly
      // after the last row of the previous page, in the query's order.
      absl::StrAppend(&out.sql, " AND (r.event_time_us, r.seq) ",
                      descending ? "<" : ">", " (?, ?)");
      out.params.emplace_back(*query.after_event_time_us);
      out.params.emplace_back(query.after_seq);
    }
    absl::StrAppend(&out.sql,
                    descending
                        ? " ORDER BY r.event_time_us DESC, r.seq DESC LIMIT ?"
                        : " ORDER BY r.event_time_us, r.seq LIMIT ?");
  }
  out.params.emplace_back(static_cast<int64_t>(query.limit));
  if (dialect == SqlDialect::kPostgres) out.sql = NumberedParams(out.sql);
  return out;
}

absl::StatusOr<SqlWithParams> ListChangesSql(const ChangeQuery& query,
                                             SqlDialect dialect) {
  if (query.clinic.empty()) {
    return absl::InvalidArgumentError("change query needs a clinic");
  }
  if (query.limit < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("change query limit must be >= 1, got ", query.limit));
  }
  if (query.after_seq < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "change query after_seq must be >= 0, got ", query.after_seq));
  }
  const bool sqlite = dialect == SqlDialect::kSqlite;
  const char* index =
      query.patient.empty() ? "changes_by_clinic" : "changes_by_patient";
  // On PostgreSQL a clinic's changes are the range of changes_by_clinic
  // after the cursor, in that index's (clinic, seq) order, which no other
  // index delivers. With `c.clinic = $1 AND c.seq > $2 ORDER BY c.seq` the
  // planner may walk changes_pkey from the cursor and filter by clinic (it
  // takes a clinic's changes to be spread evenly over seq), reading every
  // change other clinics wrote since: for an idle clinic, all of them
  // (pg_explain_test). A patient is selective enough for it to pick
  // changes_by_patient.
  const bool clinic_range = !sqlite && query.patient.empty();
  SqlWithParams out;
  out.sql = absl::StrCat("SELECT ", kChangeColumns, " FROM changes AS c",
                         sqlite ? " INDEXED BY " : "", sqlite ? index : "",
                         " JOIN revisions AS v ON v.name = c.name AND "
                         "v.revision_id = c.revision_id WHERE ");
  if (clinic_range) {
    absl::StrAppend(&out.sql,
                    "(c.clinic, c.seq) > (?, ?) AND (c.clinic, c.seq) <= (?, ",
                    kMaxSeq, ")");
    out.params.emplace_back(query.clinic);
    out.params.emplace_back(query.after_seq);
  } else {
    absl::StrAppend(&out.sql, "c.clinic = ?");
  }
  out.params.emplace_back(query.clinic);
  if (!query.patient.empty()) {
    absl::StrAppend(&out.sql, " AND c.patient = ?");
    out.params.emplace_back(query.patient);
  }
  if (!query.kinds.empty()) {
    absl::StrAppend(&out.sql, " AND c.kind IN (");
    for (size_t i = 0; i < query.kinds.size(); ++i) {
      const int kind = static_cast<int>(query.kinds[i]);
      if (!IsKnownKind(kind)) {
        return absl::InvalidArgumentError(
            absl::StrCat("change query has unknown kind ", kind));
      }
      absl::StrAppend(&out.sql, i == 0 ? "?" : ", ?");
      out.params.emplace_back(static_cast<int64_t>(kind));
    }
    absl::StrAppend(&out.sql, ")");
  }
  if (clinic_range) {
    absl::StrAppend(&out.sql, " ORDER BY c.clinic, c.seq LIMIT ?");
  } else {
    absl::StrAppend(&out.sql, " AND c.seq > ? ORDER BY c.seq LIMIT ?");
    out.params.emplace_back(query.after_seq);
  }
  out.params.emplace_back(static_cast<int64_t>(query.limit));
  if (!sqlite) out.sql = NumberedParams(out.sql);
  return out;
}

SqlWithParams LastChangeSeqSql(const std::string& clinic, SqlDialect dialect) {
  SqlWithParams out;
  if (clinic.empty()) {
    out.sql = "SELECT coalesce(max(seq), 0) FROM changes";
  } else if (dialect == SqlDialect::kSqlite) {
    out.sql =
        "SELECT coalesce(max(seq), 0) FROM changes INDEXED BY "
        "changes_by_clinic WHERE clinic = ?";
    out.params.emplace_back(clinic);
  } else {
    // The last entry of the clinic's range of changes_by_clinic, for the
    // reason ListChangesSql gives: max(seq) WHERE clinic = $1 may walk
    // changes_pkey back from the end instead.
    out.sql = absl::StrCat(
        "SELECT coalesce((SELECT seq FROM changes WHERE (clinic, seq) > ($1, "
        "0) AND (clinic, seq) <= ($1, ",
        kMaxSeq, ") ORDER BY clinic DESC, seq DESC LIMIT 1), 0)");
    out.params.emplace_back(clinic);
  }
  return out;
}

}  // namespace mnrecords
