#include "client/report/consent_history_report.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "client/report/html.h"
#include "client/report/svg_timeline.h"

namespace mnrecords::report {
namespace {

std::string StateName(v1::ConsentState s) {
  const std::string& name = v1::ConsentState_Name(s);
  absl::string_view view = name;
  absl::ConsumePrefix(&view, "CONSENT_STATE_");
  return std::string(view);
}

std::string KindWords(v1::InstructionKind k) {
  return EnumWords(v1::InstructionKind_Name(k), "INSTRUCTION_KIND_");
}

// LastSegment is the id at the end of a resource name.
absl::string_view LastSegment(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return slash == absl::string_view::npos ? name : name.substr(slash + 1);
}

std::string MethodOf(absl::string_view action) {
  return std::string(LastSegment(action));
}

// Spans: the states a consent was in, one after the other.
std::vector<TimelineSpan> SpansOf(const v1::Consent& c) {
  std::vector<TimelineSpan> spans;
  const bool refused = c.decision() == v1::CONSENT_DECISION_REFUSED;
  for (int i = 0; i < c.state_history_size(); ++i) {
    const v1::ConsentStateChange& change = c.state_history(i);
    TimelineSpan s;
    s.start = ToTime(change.change_time());
    s.end = i + 1 < c.state_history_size()
                ? ToTime(c.state_history(i + 1).change_time())
                : absl::InfiniteFuture();
    s.state = StateName(change.state());
    if (refused && s.state == "ACTIVE") s.state = "REFUSED";
    s.label = EnumWords(s.state, "");
    spans.push_back(std::move(s));
  }
  if (spans.empty()) {
    spans.push_back({ToTime(c.signed_at()), absl::InfiniteFuture(),
                     refused ? "REFUSED" : StateName(c.state()),
                     EnumWords(StateName(c.state()), "")});
  }
  // A consent past its expiry is expired from then on.
  if (c.has_expire_time() && spans.back().state == "ACTIVE" &&
      spans.back().end > ToTime(c.expire_time())) {
    spans.back().end = ToTime(c.expire_time());
    spans.push_back({ToTime(c.expire_time()), absl::InfiniteFuture(), "EXPIRED",
                     "expired"});
  }
  return spans;
}

std::string SignerText(const v1::Signer& s) {
  if (s.relationship() == v1::Signer::RELATIONSHIP_REPRESENTATIVE) {
    return absl::StrCat(s.display_name(), " (", s.role(), ", for the patient)");
  }
  return s.display_name().empty()
             ? "the patient"
             : absl::StrCat(s.display_name(), " (the patient)");
}

std::string RenderConsent(const ConsentRecord& r) {
  const v1::Consent& c = r.consent;
  const v1::VerifyConsentResponse& v = r.verification;
  const std::string id = std::string(LastSegment(c.name()));
  std::string html = absl::StrCat(
      "<article class=\"consent\" data-consent=\"", Escape(c.name()),
      "\" aria-labelledby=\"consent-", Escape(id), "\"><h3 id=\"consent-",
      Escape(id), "\">", Escape(KindWords(c.kind())), " consent ", Escape(id),
      " \xE2\x80\x94 ",
      Escape(EnumWords(v1::ConsentDecision_Name(c.decision()),
                       "CONSENT_DECISION_")),
      ", now ", Escape(EnumWords(StateName(c.state()), "")), "</h3>",
      "<p class=\"text-check\" data-consent=\"", Escape(c.name()), "\">",
      v.ok() ? CheckMark(true, "The text signed is the text stored")
             : CheckMark(false, absl::StrCat("The text does not match: ",
                                             v.problem())),
      "</p><dl class=\"facts\"><dt>Instruction text</dt><dd>",
      Escape(c.instructions().instruction_set()), " revision ",
      c.instructions().revision_id(),
      "</dd><dt>SHA-256 signed</dt><dd class=\"code\">",
      Escape(v.signed_sha256()), "</dd><dt>SHA-256 now</dt><dd class=\"code\">",
      Escape(v.recomputed_sha256()), "</dd><dt>Signed</dt><dd>",
      Escape(HumanTime(c.signed_at())), " by ", Escape(SignerText(c.signer())),
      "</dd><dt>Method</dt><dd>",
      Escape(EnumWords(v1::ConsentMethod_Name(c.method()), "CONSENT_METHOD_")),
      "</dd><dt>Witness</dt><dd>",
      c.has_witness() && !c.witness().display_name().empty()
          ? Escape(
                absl::StrCat(c.witness().display_name(),
                             c.witness().role().empty()
                                 ? ""
                                 : absl::StrCat(" (", c.witness().role(), ")")))
          : "none",
      "</dd><dt>Recorded by</dt><dd>", Escape(c.recorded_by()),
      "</dd><dt>Expires</dt><dd>",
      c.has_expire_time() ? Escape(HumanTime(c.expire_time())) : "no expiry",
      "</dd>",
      c.needs_reconsent()
          ? "<dt>Re-consent</dt><dd>needed: a later revision of the text "
            "requires it</dd>"
          : "",
      "</dl><table><caption>State changes</caption><thead><tr>"
      "<th scope=\"col\">State</th><th scope=\"col\">When</th>"
      "<th scope=\"col\">By</th><th scope=\"col\">Why</th>"
      "<th scope=\"col\">Revision</th></tr></thead><tbody>");
  for (const v1::ConsentStateChange& s : c.state_history()) {
    absl::StrAppend(&html, "<tr><td>",
                    Escape(EnumWords(StateName(s.state()), "")), "</td><td>",
                    Escape(HumanTime(s.change_time())), "</td><td>",
                    Escape(s.author()), "</td><td>", Escape(s.reason()),
                    "</td><td>", s.revision_id(), "</td></tr>");
  }
  absl::StrAppend(&html, "</tbody></table><p>Sessions it covered: ");
  if (r.sessions_covered.empty()) {
    absl::StrAppend(&html, "none in the period");
  } else {
    std::vector<std::string> names;
    for (const std::string& s : r.sessions_covered) {
      names.push_back(absl::StrCat("<span class=\"covered-session\">",
                                   Escape(s), "</span>"));
    }
    absl::StrAppend(&html, absl::StrJoin(names, ", "));
  }
  absl::StrAppend(&html, "</p></article>");
  return html;
}

std::string RenderTimelines(const ConsentHistoryData& d) {
  std::vector<TimelineTick> ticks;
  for (const v1::SessionCoverage& s : d.sessions) {
    ticks.push_back({ToTime(s.performed_at()),
                     std::string(LastSegment(s.session())), s.session(),
                     s.covered()});
  }
  std::map<int, std::vector<TimelineRow>> by_kind;
  std::map<int, std::vector<std::string>> words;
  for (const ConsentRecord& r : d.consents) {
    const v1::Consent& c = r.consent;
    TimelineRow row;
    row.label = std::string(LastSegment(c.name()));
    row.key = c.name();
    row.spans = SpansOf(c);
    std::vector<std::string> states;
    for (const TimelineSpan& s : row.spans) {
      states.push_back(absl::StrCat(s.label, " from ", HumanTime(s.start)));
    }
    words[c.kind()].push_back(
        absl::StrCat(row.label, ": ", absl::StrJoin(states, ", then ")));
    by_kind[c.kind()].push_back(std::move(row));
  }
  std::string html =
      "<section aria-labelledby=\"timelines\"><h2 id=\"timelines\">"
      "Timelines</h2><p class=\"note\">One row per consent, its states over "
      "the period; ticks are the patient's sessions (\xE2\x9C\x97: not "
      "covered).</p>";
  if (by_kind.empty()) absl::StrAppend(&html, "<p>No consents.</p>");
  for (const auto& [kind, rows] : by_kind) {
    const std::string kind_words =
        KindWords(static_cast<v1::InstructionKind>(kind));
    absl::StrAppend(&html, "<figure class=\"kind-timeline\" data-kind=\"",
                    Escape(kind_words), "\">",
                    RenderTimeline(absl::StrCat("timeline-", kind),
                                   absl::StrCat("Consent states: ", kind_words),
                                   absl::StrJoin(words[kind], "; "), rows,
                                   ticks, d.from, d.to),
                    "<figcaption>", Escape(kind_words),
                    " consents</figcaption></figure>");
  }
  absl::StrAppend(&html, "</section>");
  return html;
}

std::string RenderSessions(const ConsentHistoryData& d) {
  std::string html =
      "<section aria-labelledby=\"sessions\"><h2 id=\"sessions\">Sessions in "
      "the period</h2>";
  if (d.sessions.empty()) {
    absl::StrAppend(&html, "<p>No sessions in the period.</p></section>");
    return html;
  }
  absl::StrAppend(&html,
                  "<table><thead><tr><th scope=\"col\">Session</th>"
                  "<th scope=\"col\">Performed</th><th scope=\"col\">"
                  "Covered</th><th scope=\"col\">By kind</th></tr></thead>"
                  "<tbody>");
  for (const v1::SessionCoverage& s : d.sessions) {
    std::vector<std::string> kinds;
    for (const v1::KindCoverage& k : s.kinds()) {
      kinds.push_back(absl::StrCat(
          Escape(KindWords(k.kind())), ": ",
          k.covered()
              ? Escape(std::string(LastSegment(k.consent())))
              : absl::StrCat("<strong>", Escape(k.problem()), "</strong>")));
    }
    absl::StrAppend(
        &html, "<tr class=\"",
        s.covered() ? "session-covered" : "session-uncovered",
        "\" data-session=\"", Escape(s.session()), "\"><td>",
        Escape(s.session()), "</td><td>", Escape(HumanTime(s.performed_at())),
        "</td><td>",
        CheckMark(s.covered(), s.covered() ? "covered" : "not covered"),
        "</td><td>", absl::StrJoin(kinds, "<br>"), "</td></tr>");
  }
  absl::StrAppend(&html, "</tbody></table></section>");
  return html;
}

std::string RenderAccesses(const ConsentHistoryData& d) {
  std::string html = absl::StrCat(
      "<section aria-labelledby=\"accesses\"><h2 id=\"accesses\">Access "
      "report</h2><p class=\"note\">Every call in the period that named the "
      "patient or one of its records, or whose answer disclosed any of its "
      "records (lists over many patients, coverage, the change feed, "
      "exports), refused calls included: ",
      d.accesses.size(), " calls.</p>");
  if (d.accesses.empty()) {
    absl::StrAppend(&html, "</section>");
    return html;
  }
  absl::StrAppend(&html,
                  "<table><thead><tr><th scope=\"col\">#</th>"
                  "<th scope=\"col\">Time</th><th scope=\"col\">Who</th>"
                  "<th scope=\"col\">Call</th><th scope=\"col\">Resource</th>"
                  "<th scope=\"col\">Outcome</th><th scope=\"col\">"
                  "Disclosed</th></tr></thead><tbody>");
  for (const v1::AuditEvent& e : d.accesses) {
    // A bulk read named no record of this patient: a list over many
    // patients, coverage, the change feed.
    const bool bulk =
        e.resource() != d.patient &&
        !absl::StartsWith(e.resource(), absl::StrCat(d.patient, "/"));
    const std::string disclosed =
        e.has_records_accessed()
            ? absl::StrCat(e.records_accessed().record_count(), " records of ",
                           e.records_accessed().patient_count(),
                           e.records_accessed().patient_count() == 1
                               ? " patient"
                               : " patients")
            : "nothing";
    absl::StrAppend(&html, "<tr class=\"access", bulk ? " access-bulk" : "",
                    "\" data-sequence=\"", e.sequence(), "\" data-action=\"",
                    Escape(MethodOf(e.action())), "\" data-principal=\"",
                    Escape(e.principal()), "\"><td>", e.sequence(), "</td><td>",
                    Escape(HumanTime(e.event_time())), "</td><td>",
                    Escape(e.principal()), " (", Escape(e.role()), ")</td><td>",
                    Escape(MethodOf(e.action())), "</td><td>",
                    Escape(e.resource()), bulk ? " <em>(bulk read)</em>" : "",
                    "</td><td>", CheckMark(e.outcome() == 0, e.outcome_name()),
                    "</td><td>", Escape(disclosed), "</td></tr>");
  }
  absl::StrAppend(&html, "</tbody></table></section>");
  return html;
}

}  // namespace

absl::StatusOr<ConsentHistoryData> GatherConsentHistory(
    const RecordsClient& client, const ConsentHistoryOptions& options) {
  const std::vector<absl::string_view> parts =
      absl::StrSplit(options.patient, '/');
  if (parts.size() != 4 || parts[0] != "clinics" || parts[1].empty() ||
      parts[2] != "patients" || parts[3].empty() || parts[3] == "-") {
    return absl::InvalidArgumentError(
        absl::StrCat("patient: \"", options.patient,
                     "\" is not clinics/{clinic}/patients/{patient}"));
  }
  ConsentHistoryData d;
  d.patient = options.patient;
  d.clinic = std::string(parts[1]);
  d.generated_at = absl::Now();
  d.to = options.to.value_or(d.generated_at);

  v1::ListConsentsRequest list;
  list.set_parent(d.patient);
  absl::StatusOr<std::vector<v1::Consent>> consents =
      client.ListAllConsents(list);
  if (!consents.ok()) return consents.status();
  std::stable_sort(consents->begin(), consents->end(),
                   [](const v1::Consent& a, const v1::Consent& b) {
                     if (a.kind() != b.kind()) return a.kind() < b.kind();
                     return ToTime(a.signed_at()) < ToTime(b.signed_at());
                   });
  absl::Time first_signed = d.to - absl::Hours(24 * 365);
  for (const v1::Consent& c : *consents) {
    first_signed = std::min(first_signed, ToTime(c.signed_at()));
  }
  d.from = options.from.value_or(first_signed);
  if (d.to <= d.from) {
    return absl::InvalidArgumentError("to: must be after from");
  }
  std::map<std::string, size_t> index;
  for (v1::Consent& c : *consents) {
    v1::VerifyConsentRequest verify;
    verify.set_name(c.name());
    absl::StatusOr<v1::VerifyConsentResponse> v = client.VerifyConsent(verify);
    if (!v.ok()) return v.status();
    index[c.name()] = d.consents.size();
    d.consents.push_back({std::move(c), *std::move(v), {}});
  }

  v1::GetConsentCoverageRequest coverage;
  coverage.set_parent(absl::StrCat("clinics/", d.clinic));
  *coverage.mutable_start_time() = ToTimestamp(d.from);
  *coverage.mutable_end_time() = ToTimestamp(d.to);
  absl::StatusOr<v1::GetConsentCoverageResponse> covered =
      client.GetConsentCoverage(coverage);
  if (!covered.ok()) return covered.status();
  for (const v1::SessionCoverage& s : covered->sessions()) {
    if (s.patient() != d.patient) continue;
    d.sessions.push_back(s);
    for (const v1::KindCoverage& k : s.kinds()) {
      auto it = index.find(k.consent());
      if (k.covered() && it != index.end()) {
        d.consents[it->second].sessions_covered.push_back(s.session());
      }
    }
  }
  std::stable_sort(
      d.sessions.begin(), d.sessions.end(),
      [](const v1::SessionCoverage& a, const v1::SessionCoverage& b) {
        return ToTime(a.performed_at()) < ToTime(b.performed_at());
      });

  v1::ListAuditEventsRequest accesses;
  accesses.set_parent(coverage.parent());
  accesses.set_patient(d.patient);
  *accesses.mutable_start_time() = ToTimestamp(d.from);
  *accesses.mutable_end_time() = ToTimestamp(d.to);
  absl::StatusOr<std::vector<v1::AuditEvent>> events =
      client.ListAllAuditEvents(accesses);
  if (!events.ok()) return events.status();
  d.accesses = *std::move(events);

  absl::StatusOr<ChainCheck> chain = CheckChain(client, options.checkpoint);
  if (!chain.ok()) return chain.status();
  d.chain = *std::move(chain);
  return d;
}

std::string RenderConsentHistory(const ConsentHistoryData& d) {
  int texts_ok = 0;
  for (const ConsentRecord& r : d.consents) texts_ok += r.verification.ok();
  int uncovered = 0;
  for (const v1::SessionCoverage& s : d.sessions) uncovered += !s.covered();
  const int texts_bad = static_cast<int>(d.consents.size()) - texts_ok;
  std::string body = absl::StrCat(
      "<header><h1>Consent history</h1><dl class=\"facts\"><dt>Patient</dt>"
      "<dd>",
      Escape(d.patient), "</dd><dt>Period</dt><dd>", Escape(HumanTime(d.from)),
      " to ", Escape(HumanTime(d.to)), "</dd><dt>Made</dt><dd>",
      Escape(HumanTime(d.generated_at)),
      " from the mnrecords server; every figure below was read then</dd>"
      "</dl></header><main><section aria-labelledby=\"summary\"><h2 "
      "id=\"summary\">Summary</h2><ul><li>",
      d.consents.size(), " consents; texts ",
      texts_bad == 0
          ? CheckMark(true, absl::StrCat("all ", texts_ok, " verified"))
          : CheckMark(false, absl::StrCat(texts_bad, " of ", d.consents.size(),
                                          " do not match what was signed")),
      "</li><li>", d.sessions.size(), " sessions in the period, ",
      uncovered == 0
          ? CheckMark(true, "all covered")
          : CheckMark(false, absl::StrCat(uncovered, " not covered")),
      "</li><li>", d.accesses.size(),
      " calls touched the patient's records</li><li>",
      d.chain.result.ok() ? CheckMark(true, "audit chain verifies")
                          : CheckMark(false, "audit chain broken"),
      "</li></ul></section>", RenderTimelines(d),
      "<section aria-labelledby=\"consents\"><h2 id=\"consents\">Consents"
      "</h2>");
  if (d.consents.empty()) absl::StrAppend(&body, "<p>No consents.</p>");
  for (const ConsentRecord& r : d.consents) {
    absl::StrAppend(&body, RenderConsent(r));
  }
  absl::StrAppend(&body, "</section>", RenderSessions(d), RenderAccesses(d),
                  RenderChainCheck(d.chain),
                  "</main><footer><p>Made with the mnrecords client library. "
                  "The marks were computed when the report was made: "
                  "\xE2\x9C\x93 a check passed, \xE2\x9C\x97 it failed. The "
                  "checkpoint above ties this page to the audit log.</p>"
                  "</footer>");
  return Page(absl::StrCat("Consent history ", d.patient), body);
}

}  // namespace mnrecords::report
