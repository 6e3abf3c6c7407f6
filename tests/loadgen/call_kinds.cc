// The call kinds of the load generator (workload.h): typed callback-API
// calls on the generated stubs, and the health check on a generic stub.
#include <atomic>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "tests/loadgen/workload.h"

namespace mnrecords::loadgen {
namespace {

using google::protobuf::util::TimeUtil;

// Call keeps a request and its response alive until the call completes.
template <typename Request, typename Response>
struct Call {
  Request request;
  Response response;
};

// StubKind: a kind with a stub per channel, the slot's channel chosen
// round robin by slot, and bearer credentials.
template <typename Stub>
class StubKind : public CallKind {
 public:
  StubKind(std::string name, const Dataset* data, std::string token,
           const std::vector<std::shared_ptr<grpc::Channel>>& channels,
           int in_flight)
      : name_(std::move(name)),
        data_(data),
        token_(absl::StrCat("Bearer ", token)),
        in_flight_(in_flight),
        run_(absl::StrCat("lg-", absl::ToUnixMicros(absl::Now()), "-")) {
    for (const auto& c : channels) stubs_.push_back(std::make_unique<Stub>(c));
  }
  const std::string& name() const override { return name_; }

 protected:
  typename Stub::async_interface* Async(grpc::ClientContext* ctx, int slot) {
    ctx->AddMetadata("authorization", token_);
    return stubs_[static_cast<size_t>(slot) % stubs_.size()]->async();
  }
  std::string NextRequestId() { return absl::StrCat(run_, next_++); }
  template <typename T>
  static const T& Pick(const std::vector<T>& v, std::mt19937_64& rng) {
    return v[rng() % v.size()];
  }
  // PatientOfSlot: a patient only this slot writes consents for (when
  // there are at least as many patients as slots), so a slot's consents of
  // one kind are signed in order.
  size_t PatientOfSlot(int slot, std::mt19937_64& rng) const {
    const size_t n = data_->patients.size();
    const auto s = static_cast<size_t>(slot) % n;
    const auto step = static_cast<size_t>(in_flight_);
    const size_t owned = (n - s + step - 1) / step;
    return s + step * (rng() % owned);
  }

  const std::string name_;
  const Dataset* const data_;
  const std::string token_;
  const int in_flight_;
  const std::string run_;
  std::atomic<int64_t> next_{0};
  std::vector<std::unique_ptr<Stub>> stubs_;
};

class LogSession : public StubKind<v1::TreatmentRecords::Stub> {
 public:
  using StubKind::StubKind;
  void Start(grpc::ClientContext* ctx, int slot, std::mt19937_64& rng,
             std::function<void(const grpc::Status&)> done) override {
    auto call =
        std::make_shared<Call<v1::LogSessionRequest, v1::TreatmentSession>>();
    call->request.set_parent(Pick(data_->courses, rng));
    const absl::Duration span =
        absl::Now() - absl::Hours(1) - data_->history_start;
    const absl::Time at =
        data_->history_start + absl::Hours(24) +
        absl::Seconds(rng() % static_cast<uint64_t>(absl::ToInt64Seconds(span) -
                                                    24 * 3600));
    *call->request.mutable_session() = SessionBody(*data_, at, rng);
    call->request.set_request_id(NextRequestId());
    Async(ctx, slot)->LogSession(
        ctx, &call->request, &call->response,
        [call, done = std::move(done)](grpc::Status s) { done(s); });
  }
};

class CourseSummary : public StubKind<v1::TreatmentRecords::Stub> {
 public:
  using StubKind::StubKind;
  void Start(grpc::ClientContext* ctx, int slot, std::mt19937_64& rng,
             std::function<void(const grpc::Status&)> done) override {
    auto call = std::make_shared<
        Call<v1::GetCourseSummaryRequest, v1::CourseSummary>>();
    call->request.set_name(Pick(data_->courses, rng));
    Async(ctx, slot)->GetCourseSummary(
        ctx, &call->request, &call->response,
        [call, done = std::move(done)](grpc::Status s) { done(s); });
  }
};

class ConsentHistory : public StubKind<v1::Consents::Stub> {
 public:
  using StubKind::StubKind;
  void Start(grpc::ClientContext* ctx, int slot, std::mt19937_64& rng,
             std::function<void(const grpc::Status&)> done) override {
    auto call = std::make_shared<
        Call<v1::ListConsentHistoryRequest, v1::ListConsentHistoryResponse>>();
    call->request.set_parent(Pick(data_->patients, rng));
    call->request.set_page_size(50);
    Async(ctx, slot)->ListConsentHistory(
        ctx, &call->request, &call->response,
        [call, done = std::move(done)](grpc::Status s) { done(s); });
  }
};

class RecordConsent : public StubKind<v1::Consents::Stub> {
 public:
  using StubKind::StubKind;
  void Start(grpc::ClientContext* ctx, int slot, std::mt19937_64& rng,
             std::function<void(const grpc::Status&)> done) override {
    auto call = std::make_shared<Call<v1::RecordConsentRequest, v1::Consent>>();
    v1::RecordConsentRequest& r = call->request;
    r.set_parent(data_->patients[PatientOfSlot(slot, rng)]);
    const v1::InstructionSet& set = Pick(data_->sets, rng);
    v1::Consent* c = r.mutable_consent();
    c->mutable_instructions()->set_instruction_set(set.name());
    c->mutable_instructions()->set_revision_id(set.revision_id());
    c->mutable_instructions()->set_content_sha256(set.content_sha256());
    c->set_decision(v1::CONSENT_DECISION_GRANTED);
    *c->mutable_signed_at() = TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(absl::Now() - absl::Seconds(1)));
    c->set_method(v1::CONSENT_METHOD_ELECTRONIC_SIGNATURE);
    c->mutable_signer()->set_relationship(v1::Signer::RELATIONSHIP_PATIENT);
    c->set_recorded_by("nurse-kim");
    r.set_request_id(NextRequestId());
    Async(ctx, slot)->RecordConsent(
        ctx, &r, &call->response,
        [call, done = std::move(done)](grpc::Status s) { done(s); });
  }
};

// HealthCheck: grpc.health.v1.Health/Check{service: ""} (an empty
// message), without credentials, as raw bytes on a generic stub.
class HealthCheck : public CallKind {
 public:
  explicit HealthCheck(
      const std::vector<std::shared_ptr<grpc::Channel>>& channels) {
    for (const auto& c : channels) {
      stubs_.push_back(std::make_unique<grpc::GenericStub>(c));
    }
  }
  const std::string& name() const override { return name_; }
  void Start(grpc::ClientContext* ctx, int slot, std::mt19937_64&,
             std::function<void(const grpc::Status&)> done) override {
    auto call = std::make_shared<Call<grpc::ByteBuffer, grpc::ByteBuffer>>();
    // An empty message is one empty slice (a ByteBuffer without slices is
    // no message at all).
    grpc::Slice empty;
    call->request = grpc::ByteBuffer(&empty, 1);
    stubs_[static_cast<size_t>(slot) % stubs_.size()]->UnaryCall(
        ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
        &call->request, &call->response,
        [call, done = std::move(done)](grpc::Status s) { done(s); });
  }

 private:
  const std::string name_ = "health_check";
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
};

}  // namespace

std::unique_ptr<CallKind> MakeKind(
    const std::string& name, const Dataset* data, const std::string& token,
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    int in_flight) {
  if (name == "health_check") return std::make_unique<HealthCheck>(channels);
  if (name == "log_session") {
    return std::make_unique<LogSession>(name, data, token, channels, in_flight);
  }
  if (name == "course_summary") {
    return std::make_unique<CourseSummary>(name, data, token, channels,
                                           in_flight);
  }
  if (name == "consent_history") {
    return std::make_unique<ConsentHistory>(name, data, token, channels,
                                            in_flight);
  }
  if (name == "record_consent") {
    return std::make_unique<RecordConsent>(name, data, token, channels,
                                           in_flight);
  }
  return nullptr;
}

}  // namespace mnrecords::loadgen
