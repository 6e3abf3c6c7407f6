#include "client/report/clinic_report.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "client/report/html.h"

namespace mnrecords::report {
namespace {

namespace v1 = ::clinic::microneedling::v1;

std::string RenderUncovered(const v1::GetConsentCoverageResponse& coverage) {
  std::string html =
      "<section aria-labelledby=\"uncovered\"><h2 id=\"uncovered\">Sessions "
      "not covered</h2>";
  if (coverage.sessions_uncovered() == 0) {
    absl::StrAppend(&html, "<p>", CheckMark(true, "Every session was covered"),
                    "</p></section>");
    return html;
  }
  absl::StrAppend(&html,
                  "<table><thead><tr><th scope=\"col\">Session</th>"
                  "<th scope=\"col\">Performed</th><th scope=\"col\">What was "
                  "missing</th></tr></thead><tbody>");
  for (const v1::SessionCoverage& s : coverage.sessions()) {
    if (s.covered()) continue;
    std::vector<std::string> missing;
    for (const v1::KindCoverage& k : s.kinds()) {
      if (k.covered()) continue;
      missing.push_back(
          absl::StrCat(Escape(EnumWords(v1::InstructionKind_Name(k.kind()),
                                        "INSTRUCTION_KIND_")),
                       ": ", Escape(k.problem())));
    }
    absl::StrAppend(&html, "<tr class=\"session-uncovered\" data-session=\"",
                    Escape(s.session()), "\"><td>", Escape(s.session()),
                    "</td><td>", Escape(HumanTime(s.performed_at())),
                    "</td><td>", absl::StrJoin(missing, "<br>"), "</td></tr>");
  }
  absl::StrAppend(&html, "</tbody></table></section>");
  return html;
}

std::string RenderExpiring(const ClinicReportData& d) {
  std::string html = absl::StrCat(
      "<section aria-labelledby=\"expiring\"><h2 id=\"expiring\">Consents "
      "expiring within ",
      absl::ToInt64Hours(d.options.expiring_within) / 24, " days</h2>");
  if (d.expiring.empty()) {
    absl::StrAppend(&html, "<p>None.</p></section>");
    return html;
  }
  absl::StrAppend(&html,
                  "<table><thead><tr><th scope=\"col\">Consent</th>"
                  "<th scope=\"col\">Kind</th><th scope=\"col\">Expires</th>"
                  "</tr></thead><tbody>");
  for (const v1::Consent& c : d.expiring) {
    absl::StrAppend(&html, "<tr class=\"consent-expiring\" data-consent=\"",
                    Escape(c.name()), "\"><td>", Escape(c.name()), "</td><td>",
                    Escape(EnumWords(v1::InstructionKind_Name(c.kind()),
                                     "INSTRUCTION_KIND_")),
                    "</td><td>", Escape(HumanTime(c.expire_time())),
                    "</td></tr>");
  }
  absl::StrAppend(&html, "</tbody></table></section>");
  return html;
}

std::string RenderCounts(const ClinicReportData& d) {
  std::map<std::pair<std::string, std::string>, int> counts;
  for (const v1::Consent& c : d.consents) {
    ++counts[{
        EnumWords(v1::InstructionKind_Name(c.kind()), "INSTRUCTION_KIND_"),
        EnumWords(v1::ConsentState_Name(c.state()), "CONSENT_STATE_")}];
  }
  std::string html =
      "<section aria-labelledby=\"counts\"><h2 id=\"counts\">Consents by kind "
      "and state</h2><table><thead><tr><th scope=\"col\">Kind</th>"
      "<th scope=\"col\">State</th><th scope=\"col\">Consents</th></tr>"
      "</thead><tbody>";
  for (const auto& [key, n] : counts) {
    absl::StrAppend(&html, "<tr><td>", Escape(key.first), "</td><td>",
                    Escape(key.second), "</td><td>", n, "</td></tr>");
  }
  absl::StrAppend(&html, "</tbody></table></section>");
  return html;
}

}  // namespace

absl::StatusOr<ClinicReportData> GatherClinicReport(
    const RecordsClient& client, const ClinicReportOptions& options) {
  if (options.clinic.empty()) {
    return absl::InvalidArgumentError("clinic: required");
  }
  if (options.to <= options.from) {
    return absl::InvalidArgumentError("to: must be after from");
  }
  ClinicReportData d;
  d.options = options;
  d.generated_at = absl::Now();
  v1::GetConsentCoverageRequest coverage;
  coverage.set_parent(absl::StrCat("clinics/", options.clinic));
  *coverage.mutable_start_time() = ToTimestamp(options.from);
  *coverage.mutable_end_time() = ToTimestamp(options.to);
  absl::StatusOr<v1::GetConsentCoverageResponse> covered =
      client.GetConsentCoverage(coverage);
  if (!covered.ok()) return covered.status();
  d.coverage = *std::move(covered);

  v1::ListConsentsRequest list;
  list.set_parent(absl::StrCat("clinics/", options.clinic, "/patients/-"));
  absl::StatusOr<std::vector<v1::Consent>> consents =
      client.ListAllConsents(list);
  if (!consents.ok()) return consents.status();
  d.consents = *std::move(consents);
  const absl::Time horizon = d.generated_at + options.expiring_within;
  for (const v1::Consent& c : d.consents) {
    if (c.state() != v1::CONSENT_STATE_ACTIVE || !c.has_expire_time()) {
      continue;
    }
    const absl::Time expires = ToTime(c.expire_time());
    if (expires >= d.generated_at && expires < horizon) {
      d.expiring.push_back(c);
    }
  }
  std::stable_sort(d.expiring.begin(), d.expiring.end(),
                   [](const v1::Consent& a, const v1::Consent& b) {
                     return ToTime(a.expire_time()) < ToTime(b.expire_time());
                   });
  absl::StatusOr<ChainCheck> chain = CheckChain(client, options.checkpoint);
  if (!chain.ok()) return chain.status();
  d.chain = *std::move(chain);
  return d;
}

std::string RenderClinicReport(const ClinicReportData& d) {
  const auto& c = d.coverage;
  std::string body = absl::StrCat(
      "<header><h1>Clinic consent report</h1><dl class=\"facts\"><dt>Clinic"
      "</dt><dd>clinics/",
      Escape(d.options.clinic), "</dd><dt>Period</dt><dd>",
      Escape(HumanTime(d.options.from)), " to ",
      Escape(HumanTime(d.options.to)), "</dd><dt>Made</dt><dd>",
      Escape(HumanTime(d.generated_at)),
      "</dd></dl></header><main><section aria-labelledby=\"summary\"><h2 "
      "id=\"summary\">Summary</h2><ul><li>",
      c.sessions_total(), " sessions, ",
      c.sessions_uncovered() == 0
          ? CheckMark(true, "all covered")
          : CheckMark(false,
                      absl::StrCat(c.sessions_uncovered(), " not covered")),
      "</li><li>", d.consents.size(), " consents, ", d.expiring.size(),
      " expiring soon</li><li>",
      d.chain.result.ok() ? CheckMark(true, "audit chain verifies")
                          : CheckMark(false, "audit chain broken"),
      "</li></ul></section>", RenderUncovered(c), RenderExpiring(d),
      RenderCounts(d), RenderChainCheck(d.chain),
      "</main><footer><p>Made with the mnrecords client library; every "
      "figure was read when the report was made.</p></footer>");
  return Page(absl::StrCat("Clinic consent report clinics/", d.options.clinic),
              body);
}

}  // namespace mnrecords::report
