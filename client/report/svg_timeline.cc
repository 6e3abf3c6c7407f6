#include "client/report/svg_timeline.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/report/html.h"

namespace mnrecords::report {
namespace {

constexpr double kWidth = 720;
constexpr double kLabelWidth = 190;
constexpr double kPlotLeft = kLabelWidth + 10;
constexpr double kPlotRight = kWidth - 10;
constexpr double kAxisHeight = 22;
constexpr double kRowHeight = 26;
constexpr double kTickBand = 34;

// Fill of a state; every one keeps white text at WCAG AA contrast.
const char* Fill(absl::string_view state) {
  if (state == "ACTIVE") return "#0b6b2b";
  if (state == "REFUSED") return "#6b4e00";
  if (state == "REVOKED") return "#b00020";
  if (state == "SUPERSEDED") return "#555555";
  if (state == "EXPIRED") return "#7a4a00";
  if (state == "ENTERED_IN_ERROR") return "#4b0082";
  return "#333333";
}

std::string Num(double v) { return absl::StrFormat("%.1f", v); }

}  // namespace

std::string RenderTimeline(absl::string_view id, absl::string_view title,
                           absl::string_view description,
                           const std::vector<TimelineRow>& rows,
                           const std::vector<TimelineTick>& ticks,
                           absl::Time from, absl::Time to) {
  if (to <= from) to = from + absl::Hours(24);
  const double span_s = absl::ToDoubleSeconds(to - from);
  auto x_of = [&](absl::Time t) {
    const double f =
        std::clamp(absl::ToDoubleSeconds(t - from) / span_s, 0.0, 1.0);
    return kPlotLeft + f * (kPlotRight - kPlotLeft);
  };
  const double rows_bottom = kAxisHeight + kRowHeight * rows.size();
  const double height = rows_bottom + (ticks.empty() ? 8 : kTickBand);
  const std::string title_id = absl::StrCat(id, "-title");
  const std::string desc_id = absl::StrCat(id, "-desc");
  std::string svg = absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" id=\"",
      Escape(id), "\" role=\"img\" aria-labelledby=\"", title_id, " ", desc_id,
      "\" width=\"100%\" viewBox=\"0 0 ", Num(kWidth), " ", Num(height),
      "\"><title id=\"", title_id, "\">", Escape(title), "</title><desc id=\"",
      desc_id, "\">", Escape(description), "</desc>");
  // The axis: the period's ends and a line under the rows.
  absl::StrAppend(
      &svg, "<text x=\"", Num(kPlotLeft), "\" y=\"14\" font-size=\"10\" ",
      "fill=\"#1a1a1a\">",
      Escape(absl::FormatTime("%Y-%m-%d", from, absl::UTCTimeZone())),
      "</text><text x=\"", Num(kPlotRight),
      "\" y=\"14\" font-size=\"10\" text-anchor=\"end\" fill=\"#1a1a1a\">",
      Escape(absl::FormatTime("%Y-%m-%d", to, absl::UTCTimeZone())), "</text>");
  for (size_t r = 0; r < rows.size(); ++r) {
    const TimelineRow& row = rows[r];
    const double y = kAxisHeight + kRowHeight * r;
    absl::StrAppend(&svg, "<text x=\"4\" y=\"", Num(y + 17),
                    "\" font-size=\"10\" fill=\"#1a1a1a\">", Escape(row.label),
                    "</text>");
    for (const TimelineSpan& s : row.spans) {
      const absl::Time end = std::min(s.end, to);
      if (end <= from || s.start >= to) continue;
      const double x0 = x_of(std::max(s.start, from));
      const double w = std::max(2.0, x_of(end) - x0);
      absl::StrAppend(&svg, "<g class=\"span state-",
                      Escape(absl::AsciiStrToLower(s.state)), "\" data-item=\"",
                      Escape(row.key), "\" data-state=\"", Escape(s.state),
                      "\"><rect x=\"", Num(x0), "\" y=\"", Num(y + 3),
                      "\" width=\"", Num(w), "\" height=\"",
                      Num(kRowHeight - 6), "\" fill=\"", Fill(s.state),
                      "\"><title>", Escape(row.label), ": ", Escape(s.label),
                      " from ", Escape(HumanTime(s.start)),
                      s.end == absl::InfiniteFuture()
                          ? std::string()
                          : absl::StrCat(" to ", Escape(HumanTime(s.end))),
                      "</title></rect>");
      // The state in words when there is room for it.
      if (w >= 7.0 * s.label.size() + 8) {
        absl::StrAppend(&svg, "<text x=\"", Num(x0 + 4), "\" y=\"", Num(y + 17),
                        "\" font-size=\"10\" fill=\"#ffffff\">",
                        Escape(s.label), "</text>");
      }
      absl::StrAppend(&svg, "</g>");
    }
  }
  absl::StrAppend(&svg, "<line x1=\"", Num(kPlotLeft), "\" y1=\"",
                  Num(rows_bottom), "\" x2=\"", Num(kPlotRight), "\" y2=\"",
                  Num(rows_bottom), "\" stroke=\"#1a1a1a\"/>");
  for (const TimelineTick& t : ticks) {
    if (t.at < from || t.at >= to) continue;
    const double x = x_of(t.at);
    const char* colour = t.ok ? "#1a1a1a" : "#b00020";
    absl::StrAppend(
        &svg, "<g class=\"tick ", t.ok ? "tick-ok" : "tick-bad",
        "\" data-session=\"", Escape(t.key), "\" data-covered=\"",
        t.ok ? "true" : "false", "\"><line x1=\"", Num(x), "\" y1=\"",
        Num(kAxisHeight), "\" x2=\"", Num(x), "\" y2=\"", Num(rows_bottom + 6),
        "\" stroke=\"", colour, "\" stroke-dasharray=\"", t.ok ? "3,3" : "none",
        "\"/><text x=\"", Num(x), "\" y=\"", Num(rows_bottom + 18),
        "\" font-size=\"9\" text-anchor=\"middle\" fill=\"", colour, "\">",
        Escape(t.label), t.ok ? "" : " \xE2\x9C\x97", "</text><title>",
        Escape(t.label), " at ", Escape(HumanTime(t.at)),
        t.ok ? "" : ": not covered", "</title></g>");
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

}  // namespace mnrecords::report
