// Lists the patients of a clinic, follows its changes, or checks the
// server's health:
//   mnrecords_consumer --server=localhost:50051 --clinic=c1
//   mnrecords_consumer --server=localhost:50051 --clinic=c1 --watch
//   mnrecords_consumer --server=localhost:50051
// Exit status 0 on success, 1 on an error from the server, 2 on bad usage.
#include <cstdio>
#include <cstring>
#include <string>

#include "client/change_feed.h"
#include "client/client.h"

namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "mnrecords_consumer: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  mnrecords::ClientOptions options;
  options.target = "localhost:50051";
  std::string clinic;
  bool watch = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--server=", 9) == 0) {
      options.target = argv[i] + 9;
    } else if (std::strncmp(argv[i], "--clinic=", 9) == 0) {
      clinic = argv[i] + 9;
    } else if (std::strcmp(argv[i], "--watch") == 0) {
      watch = true;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--server=host:port] [--clinic=id [--watch]]\n",
                   argv[0]);
      return 2;
    }
  }
  auto client = mnrecords::RecordsClient::Create(options);
  if (!client.ok()) return Fail(client.status());

  if (clinic.empty()) {
    auto serving = client->IsServing();
    if (!serving.ok()) return Fail(serving.status());
    std::printf("%s\n", *serving ? "SERVING" : "NOT_SERVING");
    return *serving ? 0 : 1;
  }

  if (watch) {  // every change from the first, until an error
    mnrecords::ChangeFeedOptions feed_options;
    feed_options.parent = "clinics/" + clinic;
    mnrecords::ChangeFeed feed(*client, feed_options);
    return Fail(feed.Run([](const mnrecords::v1::Change& change) {
      std::printf("%s %s\n", change.cursor().c_str(), change.name().c_str());
      std::fflush(stdout);
      return absl::OkStatus();
    }));
  }

  mnrecords::v1::ListPatientsRequest request;
  request.set_parent("clinics/" + clinic);
  auto patients = client->ListAllPatients(request);
  if (!patients.ok()) return Fail(patients.status());
  for (const auto& patient : *patients) {
    std::printf("%s\n", patient.name().c_str());
  }
  return 0;
}
