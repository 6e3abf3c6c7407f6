#include "tests/reliability/consent_load.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/support/fixtures.h"

namespace mnrecords::testing {
namespace {

// SendUntilKnown calls `send` until its outcome is known (OK or a definite
// error) or `stop` is set; the request carries one request_id throughout.
template <typename Send>
absl::Status SendUntilKnown(Send send, const std::atomic<bool>& stop) {
  for (;;) {
    const absl::Status status = send();
    if (status.ok() || !IsUnknownOutcome(status.code()) || stop) {
      return status;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<ConsentLoad>> ConsentLoad::Prepare(
    WriteLoadOptions options, const std::string& admin_token) {
  if (options.targets.empty()) {
    return absl::InvalidArgumentError("ConsentLoad: no targets");
  }
  std::unique_ptr<ConsentLoad> load(new ConsentLoad(options));
  WriteLoadOptions admin_options = options;
  admin_options.token = admin_token;
  auto admin = ConnectWorker(admin_options, options.targets[0]);
  if (!admin.ok()) return admin.status();
  auto set = admin->PublishInstructionSet(
      InstructionsRequest("c1", absl::StrCat("mirror-", options.seed),
                          v1::INSTRUCTION_KIND_PROCEDURE));
  if (!set.ok()) return set.status();
  load->instructions_ = *set;
  auto client = ConnectWorker(options, options.targets[0]);
  if (!client.ok()) return client.status();
  for (int w = 0; w < options.workers; ++w) {
    auto patient = client->CreatePatient(
        PatientRequest("c1", absl::StrCat("consent-s", options.seed, "-w", w)));
    if (!patient.ok()) return patient.status();
    load->patients_.push_back(patient->name());
  }
  return load;
}

ConsentLoad::~ConsentLoad() { Stop(); }

void ConsentLoad::Start() {
  stop_ = false;
  for (int w = 0; w < options_.workers; ++w) {
    threads_.emplace_back([this, w] { Work(w); });
  }
}

void ConsentLoad::Stop() {
  stop_ = true;
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void ConsentLoad::Work(int worker) {
  const size_t target = static_cast<size_t>(worker) % options_.targets.size();
  auto client = ConnectWorker(options_, options_.targets[target]);
  if (!client.ok()) return;
  std::mt19937_64 rng(options_.seed * 7919 + worker);
  auto count = [this](const absl::Status& status) {
    if (status.ok()) {
      ++acknowledged_;
    } else if (!IsUnknownOutcome(status.code())) {
      ++failed_;
    }
  };
  while (!stop_) {
    const std::string tag =
        absl::StrCat("consent-s", options_.seed, "-", next_call_++);
    // Signed some hours before the fixed test "now" (never in the future).
    v1::RecordConsentRequest record = ConsentRequest(
        patients_[worker], instructions_,
        TestNow() - absl::Hours(static_cast<int64_t>(1 + rng() % 5000)));
    record.set_request_id("rq-" + tag);
    v1::Consent consent;
    const absl::Status recorded = SendUntilKnown(
        [&] {
          auto r = client->RecordConsent(record);
          if (r.ok()) consent = *std::move(r);
          return r.status();
        },
        stop_);
    count(recorded);
    if (!recorded.ok() || rng() % 2 == 0 || stop_) continue;
    v1::RevokeConsentRequest revoke;
    revoke.set_name(consent.name());
    revoke.set_reason(absl::StrCat("Revoked ", tag, "."));
    revoke.set_author("nurse-kim");
    revoke.set_request_id("rq-revoke-" + tag);
    count(SendUntilKnown([&] { return client->RevokeConsent(revoke).status(); },
                         stop_));
  }
}

}  // namespace mnrecords::testing
