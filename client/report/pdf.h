// PrintToPdf: a report page printed to PDF by Debian's chromium in headless
// mode (`--headless --no-sandbox --print-to-pdf`), an optional step: the
// HTML needs nothing to be read or printed by hand.
#ifndef MNRECORDS_CLIENT_REPORT_PDF_H_
#define MNRECORDS_CLIENT_REPORT_PDF_H_

#include <string>

#include "absl/status/status.h"

namespace mnrecords::report {

// FindChromium returns the browser to print with: $MNRECORDS_CHROMIUM if
// set, else the first of chromium, chromium-browser on $PATH; "" if none.
std::string FindChromium();

// PrintToPdf prints the HTML file `html_path` to `pdf_path` (A4, no header
// or footer lines) with `chromium` (FindChromium() when empty), in a
// throwaway profile. FAILED_PRECONDITION when no chromium is installed;
// INTERNAL when it fails or writes no PDF.
absl::Status PrintToPdf(const std::string& html_path,
                        const std::string& pdf_path, std::string chromium = "");

}  // namespace mnrecords::report

#endif  // MNRECORDS_CLIENT_REPORT_PDF_H_
