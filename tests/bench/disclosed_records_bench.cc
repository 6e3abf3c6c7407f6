// What reading a response for its audit event costs (DisclosedRecords,
// server/audit/disclosed_records.h): the CPU time to gather the records and
// patients a ListSessions page names and encode them, for pages of 1, 50
// and 1000 sessions spread over 10 patients, next to serializing the same
// page (what gRPC does with every response anyway). Figures, not
// assertions: ctest runs a short smoke run.
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "clinic/microneedling/v1/treatment_records_service.pb.h"
#include "server/audit/disclosed_records.h"

namespace mnrecords {
namespace {

namespace v1 = ::clinic::microneedling::v1;

v1::ListSessionsResponse Page(int sessions) {
  v1::ListSessionsResponse page;
  for (int i = 0; i < sessions; ++i) {
    v1::TreatmentSession* s = page.add_sessions();
    const std::string course =
        absl::StrCat("clinics/c1/patients/p", i % 10, "/courses/k", i % 10);
    s->set_name(absl::StrCat(course, "/sessions/s", i));
    s->set_clinician("dr-lee");
    s->set_notes("Tolerated well; mild erythema expected for 24-48 hours.");
    s->set_duration_minutes(45);
    for (int a = 0; a < 3; ++a) {
      v1::TreatedArea* area = s->add_treated_areas();
      area->set_needle_depth_mm(1.0);
      area->set_passes(3);
    }
    s->mutable_revision()->set_revision_id(1);
    s->set_etag("W/\"1\"");
  }
  page.set_next_page_token("token");
  return page;
}

void BM_DisclosedRecords(benchmark::State& state) {
  const v1::ListSessionsResponse page = Page(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    DisclosedRecords disclosed;
    disclosed.Add(page);
    benchmark::DoNotOptimize(disclosed.Encoded());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DisclosedRecords)->Arg(1)->Arg(50)->Arg(1000);

void BM_SerializePage(benchmark::State& state) {
  const v1::ListSessionsResponse page = Page(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(page.SerializeAsString());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SerializePage)->Arg(1)->Arg(50)->Arg(1000);

}  // namespace
}  // namespace mnrecords

BENCHMARK_MAIN();
