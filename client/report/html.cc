#include "client/report/html.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace mnrecords::report {
namespace {

// The style sheet: readable on screen and on paper, colours that keep
// WCAG AA contrast, states told apart by text as well as colour.
constexpr char kStyle[] = R"css(
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt;
  color: #1a1a1a; background: #ffffff; margin: 0 auto; max-width: 60rem;
  line-height: 1.4; }
header { border-bottom: 2px solid #1a1a1a; margin-bottom: 1rem; }
h1 { font-size: 18pt; margin: 0.5rem 0; }
h2 { font-size: 13pt; margin: 1.5rem 0 0.5rem; border-bottom: 1px solid #767676; }
h3 { font-size: 11pt; margin: 1rem 0 0.3rem; }
dl.facts { display: grid; grid-template-columns: max-content auto;
  gap: 0.1rem 1rem; margin: 0.3rem 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 0.3rem 0 0.8rem;
  font-size: 9.5pt; }
th, td { border: 1px solid #767676; padding: 0.2rem 0.35rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #e8e8e8; }
tr { break-inside: avoid; }
article.consent { border: 1px solid #767676; padding: 0.3rem 0.8rem;
  margin: 0.6rem 0; break-inside: avoid; }
.mark { font-weight: bold; overflow-wrap: anywhere; }
.mark-ok { color: #0b6b2b; }
.mark-bad { color: #b00020; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
.note { color: #4d4d4d; }
figure { margin: 0.5rem 0; }
figcaption { font-size: 9pt; color: #4d4d4d; }
svg text { font-family: "DejaVu Sans", Arial, sans-serif; }
footer { margin-top: 2rem; border-top: 1px solid #767676; font-size: 9pt;
  color: #4d4d4d; }
)css";

}  // namespace

std::string Escape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return absl::InfinitePast();
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  ts.set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(ts.seconds())) /
                                    absl::Nanoseconds(1)));
  return ts;
}

std::string EnumWords(absl::string_view name, absl::string_view prefix) {
  absl::ConsumePrefix(&name, prefix);
  std::string out(name);
  for (char& c : out) c = c == '_' ? ' ' : absl::ascii_tolower(c);
  return out;
}

std::string HumanTime(absl::Time t) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
    return "\xE2\x80\x94";  // —
  }
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone());
}

std::string HumanTime(const google::protobuf::Timestamp& ts) {
  return HumanTime(ToTime(ts));
}

std::string CheckMark(bool ok, absl::string_view text) {
  return absl::StrCat("<span class=\"mark ", ok ? "mark-ok" : "mark-bad", "\">",
                      ok ? "\xE2\x9C\x93 " : "\xE2\x9C\x97 ", Escape(text),
                      "</span>");
}

std::string Page(absl::string_view title, absl::string_view body) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n"
      "<title>",
      Escape(title), "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n",
      body, "</body>\n</html>\n");
}

}  // namespace mnrecords::report
