#include "client/cli/output.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/types/optional.h"
#include "client/cli/enum_parsing.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace mnrecords {
namespace cli {
namespace {

namespace v1 = ::clinic::microneedling::v1;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct Column {
  const char* header;
  const char* path;  // dotted field path within the item
  size_t max_chars;  // 0 = no limit
};

// Table columns per item type; types not listed show only their name.
const std::map<std::string, std::vector<Column>>& ColumnsByType() {
  static const auto* columns = new std::map<std::string, std::vector<Column>>{
      {"clinic.microneedling.v1.Patient",
       {{"NAME", "name", 0},
        {"FITZPATRICK", "fitzpatrick_skin_type", 0},
        {"IDENTIFIERS", "identifiers", 0},
        {"REV", "revision.revision_id", 0}}},
      {"clinic.microneedling.v1.TreatmentCourse",
       {{"NAME", "name", 0},
        {"STATUS", "status", 0},
        {"PLANNED", "planned_session_count", 0},
        {"INDICATIONS", "indications", 0},
        {"CLINICIAN", "responsible_clinician", 0},
        {"REV", "revision.revision_id", 0}}},
      {"clinic.microneedling.v1.TreatmentSession",
       {{"NAME", "name", 0},
        {"PERFORMED_AT", "performed_at", 0},
        {"STATUS", "status", 0},
        {"MIN", "duration_minutes", 0},
        {"CLINICIAN", "clinician", 0},
        {"REV", "revision.revision_id", 0}}},
      {"clinic.microneedling.v1.OutcomePhoto",
       {{"NAME", "name", 0},
        {"PHASE", "phase", 0},
        {"VIEW", "view", 0},
        {"SITE", "body_site", 0},
        {"CAPTURED_AT", "captured_at", 0}}},
      {"clinic.microneedling.v1.InstructionSet",
       {{"NAME", "name", 0},
        {"REV", "revision_id", 0},
        {"KIND", "kind", 0},
        {"TITLE", "title", 40},
        {"SHA256", "content_sha256", 12}}},
      {"clinic.microneedling.v1.Consent",
       {{"NAME", "name", 0},
        {"KIND", "kind", 0},
        {"DECISION", "decision", 0},
        {"STATE", "state", 0},
        {"SIGNED_AT", "signed_at", 0},
        {"INSTRUCTIONS", "instructions", 0}}},
      {"clinic.microneedling.v1.AuditEvent",
       {{"SEQ", "sequence", 0},
        {"TIME", "event_time", 0},
        {"PRINCIPAL", "principal", 0},
        {"ACTION", "action", 0},
        {"RESOURCE", "resource", 0},
        {"OUTCOME", "outcome_name", 0},
        {"PATIENTS_SEEN", "records_accessed.patient_count", 0}}},
      {"clinic.microneedling.v1.SessionCoverage",
       {{"SESSION", "session", 0},
        {"PERFORMED_AT", "performed_at", 0},
        {"COVERED", "covered", 0},
        {"KINDS", "kinds", 0}}},
      {"clinic.microneedling.v1.ConsentInForce",
       {{"CONSENT", "consent.name", 0},
        {"KIND", "consent.kind", 0},
        {"DECISION", "consent.decision", 0},
        {"SIGNED_AT", "consent.signed_at", 0},
        {"INSTRUCTIONS", "instructions", 0}}},
      {"clinic.microneedling.v1.DueSession",
       {{"DUE_FROM", "window_start_time", 0},
        {"DUE_UNTIL", "window_end_time", 0},
        {"STATE", "state", 0},
        {"COURSE", "course", 0},
        {"DONE", "completed_session_count", 0},
        {"PLANNED", "planned_session_count", 0},
        {"LAST_SESSION_AT", "last_session_time", 0},
        {"CLINICIAN", "responsible_clinician", 0}}},
      {"clinic.microneedling.v1.Screening",
       {{"NAME", "name", 0},
        {"ASKED_AT", "asked_at", 0},
        {"ASKED_BY", "asked_by", 0},
        {"STATUS", "status", 0},
        {"QUESTIONNAIRE", "questionnaire", 0}}},
      {"clinic.microneedling.v1.OutcomeAssessment",
       {{"NAME", "name", 0},
        {"SCALE", "scale", 0},
        {"RATER", "rater", 0},
        {"SCORE", "score", 0},
        {"LABEL", "score_label", 0},
        {"TIMEPOINT", "timepoint", 0},
        {"ASSESSED_AT", "assessed_at", 0}}},
      {"clinic.microneedling.v1.SessionSignature",
       {{"NAME", "name", 0},
        {"KIND", "kind", 0},
        {"SESSION_REV", "session_revision_id", 0},
        {"SIGNER", "signer", 0},
        {"CREDENTIAL", "signer_credential", 0},
        {"SIGNED_AT", "signed_at", 0}}},
      {"clinic.microneedling.v1.PhotoRelease",
       {{"NAME", "name", 0},
        {"PURPOSE", "purpose", 0},
        {"RELEASED_AT", "released_at", 0},
        {"RELEASED_BY", "released_by", 0},
        {"RECIPIENT", "recipient", 0},
        {"CONSENT", "consent", 0}}},
      {"clinic.microneedling.v1.PluginSettings",
       {{"REV", "revision_id", 0},
        {"PUBLISHED", "publish_time", 0},
        {"BY", "published_by", 0},
        {"REASON", "reason", 60}}},
      {"clinic.microneedling.v1.RevisionInfo",
       {{"REV", "revision_id", 0},
        {"CREATED", "create_time", 0},
        {"AMENDMENT", "amendment.kind", 0},
        {"AUTHOR", "amendment.author", 0},
        {"REASON", "amendment.reason", 60}}},
  };
  return *columns;
}

// A one-value rendering of small messages; nullopt = flatten it instead.
absl::optional<std::string> CompactMessage(const Message& m) {
  const std::string& type = m.GetDescriptor()->full_name();
  if (type == "google.protobuf.Timestamp") {
    return google::protobuf::util::TimeUtil::ToString(
        static_cast<const google::protobuf::Timestamp&>(m));
  }
  const auto* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  auto str = [&](const char* field) {
    return r->GetString(m, d->FindFieldByName(field));
  };
  auto enum_name = [&](const char* field) -> std::string {
    const auto* value = r->GetEnum(m, d->FindFieldByName(field));
    return value->number() == 0 ? "" : EnumShortName(*value);
  };
  if (type == "clinic.microneedling.v1.PatientIdentifier") {
    return absl::StrCat(str("system"), "|", str("value"));
  }
  if (type == "clinic.microneedling.v1.BodySite") {
    std::string out = enum_name("area");
    const std::string side = enum_name("laterality");
    if (!side.empty()) absl::StrAppend(&out, ":", side);
    if (!str("description").empty())
      absl::StrAppend(&out, ":", str("description"));
    return out;
  }
  if (type == "clinic.microneedling.v1.InstructionRevisionRef") {
    return absl::StrCat(str("instruction_set"), "@",
                        r->GetInt64(m, d->FindFieldByName("revision_id")));
  }
  return absl::nullopt;
}

// FormatField renders one (element of a) field as a single value.
std::string FormatField(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index)
                              : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index)
                              : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(m, f, index)
                              : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index)
                              : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(rep ? r->GetRepeatedDouble(m, f, index)
                              : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(rep ? r->GetRepeatedFloat(m, f, index)
                              : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumShortName(rep ? *r->GetRepeatedEnum(m, f, index)
                               : *r->GetEnum(m, f));
    case FieldDescriptor::CPPTYPE_STRING:
      return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& sub =
          rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      auto compact = CompactMessage(sub);
      return compact.has_value() ? *compact : sub.ShortDebugString();
    }
  }
  return "";
}

void Flatten(const Message& m, const std::string& prefix,
             std::vector<std::pair<std::string, std::string>>& out) {
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const int count = f->is_repeated() ? m.GetReflection()->FieldSize(m, f) : 1;
    for (int i = 0; i < count; ++i) {
      std::string path = absl::StrCat(prefix, f->name());
      if (f->is_repeated()) absl::StrAppend(&path, "[", i, "]");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& sub =
            f->is_repeated() ? m.GetReflection()->GetRepeatedMessage(m, f, i)
                             : m.GetReflection()->GetMessage(m, f);
        if (!CompactMessage(sub).has_value()) {
          Flatten(sub, path + ".", out);
          continue;
        }
      }
      out.emplace_back(path, FormatField(m, f, i));
    }
  }
}

// CellValue resolves a dotted path; repeated values are joined by ",".
std::string CellValue(const Message& item, absl::string_view path) {
  const Message* m = &item;
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr) return "";
    const Reflection* r = m->GetReflection();
    if (i + 1 < parts.size()) {
      if (f->is_repeated() || !r->HasField(*m, f)) return "";
      m = &r->GetMessage(*m, f);
      continue;
    }
    if (f->is_repeated()) {
      std::vector<std::string> values;
      for (int j = 0; j < r->FieldSize(*m, f); ++j) {
        values.push_back(FormatField(*m, f, j));
      }
      return absl::StrJoin(values, ",");
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        !r->HasField(*m, f)) {
      return "";
    }
    return FormatField(*m, f, -1);
  }
  return "";
}

std::string Truncate(std::string text, size_t max_chars) {
  if (max_chars == 0 || text.size() <= max_chars) return text;
  return text.substr(0, max_chars - 1) + "~";
}

// ToJson renders `message` in the protobuf JSON mapping.
absl::Status ToJson(const Message& message, bool add_whitespace,
                    std::string& json) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = add_whitespace;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("JSON output: ", status.ToString()));
  }
  return absl::OkStatus();
}

absl::Status PrintJson(const Message& message) {
  std::string json;
  absl::Status status = ToJson(message, true, json);
  if (!status.ok()) return status;
  std::fputs(json.c_str(), stdout);
  if (json.empty() || json.back() != '\n') std::fputc('\n', stdout);
  return absl::OkStatus();
}

// ShortEnumName is EnumShortName for a value of E, or the number if E has no
// such value (a newer server).
template <typename E>
std::string ShortEnumName(int number) {
  const auto* value =
      google::protobuf::GetEnumDescriptor<E>()->FindValueByNumber(number);
  return value == nullptr ? absl::StrCat(number) : EnumShortName(*value);
}

}  // namespace

std::string FormatResource(const Message& message) {
  std::vector<std::pair<std::string, std::string>> lines;
  Flatten(message, "", lines);
  size_t width = 0;
  for (const auto& line : lines) width = std::max(width, line.first.size());
  std::string out;
  for (const auto& [key, value] : lines) {
    absl::StrAppend(&out, key, ":", std::string(width - key.size() + 1, ' '),
                    value, "\n");
  }
  return out;
}

std::string FormatList(const Message& response) {
  const auto* d = response.GetDescriptor();
  const Reflection* r = response.GetReflection();
  const FieldDescriptor* items = nullptr;
  for (int i = 0; i < d->field_count() && items == nullptr; ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      items = f;
    }
  }
  if (items == nullptr) return FormatResource(response);

  static const std::vector<Column> kNameOnly = {{"NAME", "name", 0}};
  auto it = ColumnsByType().find(items->message_type()->full_name());
  const std::vector<Column>& columns =
      it == ColumnsByType().end() ? kNameOnly : it->second;

  std::vector<std::vector<std::string>> rows;
  rows.emplace_back();
  for (const Column& c : columns) rows.back().push_back(c.header);
  for (int i = 0; i < r->FieldSize(response, items); ++i) {
    const Message& item = r->GetRepeatedMessage(response, items, i);
    rows.emplace_back();
    for (const Column& c : columns) {
      rows.back().push_back(Truncate(CellValue(item, c.path), c.max_chars));
    }
  }
  std::vector<size_t> widths(columns.size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      absl::StrAppend(&line, row[c]);
      if (c + 1 < row.size()) {
        line += std::string(widths[c] - row[c].size() + 2, ' ');
      }
    }
    absl::StrAppend(&out, line, "\n");
  }
  if (rows.size() == 1) absl::StrAppend(&out, "(none)\n");
  const FieldDescriptor* token = d->FindFieldByName("next_page_token");
  if (token != nullptr && !r->GetString(response, token).empty()) {
    const std::string next = r->GetString(response, token);
    absl::StrAppend(&out, "next_page_token: ", next,
                    "  (more: --page_token=", next, ", or --all)\n");
  }
  return out;
}

absl::Status PrintResource(const Message& message, bool json) {
  if (json) return PrintJson(message);
  std::fputs(FormatResource(message).c_str(), stdout);
  return absl::OkStatus();
}

absl::Status PrintList(const Message& response, bool json) {
  if (json) return PrintJson(response);
  std::fputs(FormatList(response).c_str(), stdout);
  return absl::OkStatus();
}

std::string FormatChangeLine(const v1::Change& change) {
  std::string line = absl::StrCat(
      change.cursor(), " ", ShortEnumName<v1::ChangeType>(change.type()), " ",
      change.name(), " rev=", change.revision_id(),
      " principal=", change.principal().empty() ? "-" : change.principal(),
      " time=",
      google::protobuf::util::TimeUtil::ToString(change.commit_time()));
  if (change.consent_state() != v1::CONSENT_STATE_UNSPECIFIED) {
    absl::StrAppend(&line, " state=",
                    ShortEnumName<v1::ConsentState>(change.consent_state()));
  }
  if (change.amendment().kind() != v1::AMENDMENT_KIND_UNSPECIFIED) {
    absl::StrAppend(
        &line, " amendment=",
        ShortEnumName<v1::AmendmentKind>(change.amendment().kind()));
  }
  return line;
}

absl::Status PrintChange(const v1::Change& change, bool json) {
  std::string line;
  if (json) {
    absl::Status status = ToJson(change, false, line);
    if (!status.ok()) return status;
  } else {
    line = FormatChangeLine(change);
  }
  line += '\n';
  if (std::fputs(line.c_str(), stdout) == EOF || std::fflush(stdout) != 0) {
    return absl::InternalError(
        absl::StrCat("writing to stdout: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace cli
}  // namespace mnrecords
