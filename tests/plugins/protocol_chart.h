// Charts for the protocol plugin's server tests: a patient with the
// consents a session needs, a course and the aftercare text to hand out,
// on a TestServer running the plugins.
#ifndef MNRECORDS_TESTS_PLUGINS_PROTOCOL_CHART_H_
#define MNRECORDS_TESTS_PLUGINS_PROTOCOL_CHART_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "clinic/microneedling/v1/treatment_records_service.pb.h"
#include "mnrecords/config/v1/server_config.pb.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {

inline constexpr absl::Duration kDay = absl::Hours(24);

// PluginFromText parses a config `plugins` entry.
config::v1::PluginConfig PluginFromText(const std::string& text);

// Shipped: the plugins the server runs without a config file.
TestServerOptions Shipped();

// A patient of a clinic with granted consents, a screening answered "no"
// throughout, a 3-session course, and the aftercare set's revision.
struct Chart {
  std::string patient;
  std::string course;
  v1::InstructionSet aftercare;
  v1::InstructionSet questionnaire;  // the clinic's SCREENING questionnaire
};

// Every consent kind.
std::vector<v1::InstructionKind> AllKinds();

// NewChart publishes the four instruction sets and the screening
// questionnaire in `clinic` (once per id), and gives a new patient granted
// consents to `kinds`, signed 60 days before TestNow(), a screening asked
// then with every answer "no" (unless not `screened`), and a course.
Chart NewChart(TestServer& server, const std::string& clinic,
               std::vector<v1::InstructionKind> kinds, bool screened = true);

// Session: a completed session of the chart's course at `at`, with the
// aftercare text handed out.
v1::LogSessionRequest Session(const Chart& chart, absl::Time at);

// Codes lists the findings' codes in order.
std::vector<std::string> Codes(
    const google::protobuf::RepeatedPtrField<v1::Finding>& findings);

// SessionCount: how many sessions the course lists.
int SessionCount(TestServer& server, const std::string& course);

// LogWithRetinoids logs a session of a new chart in `clinic`, a day before
// TestNow(), with retinoids last used `before` the session.
absl::StatusOr<v1::TreatmentSession> LogWithRetinoids(TestServer& server,
                                                      const std::string& clinic,
                                                      absl::Duration before,
                                                      std::string* course);

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_PLUGINS_PROTOCOL_CHART_H_
