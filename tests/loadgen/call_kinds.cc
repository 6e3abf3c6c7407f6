// The call kinds of the load generator (workload.h): typed callback-API
// calls on the generated stubs, and the health check on a generic stub.
#include <algorithm>
#include <atomic>
#include <limits>

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
  void set_observer(WriteObserver o) { observer_ = std::move(o); }

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
  // PatientOfSlot: a patient only this slot writes for, in the slot's
  // clinic (OwnedPatient), so a slot's consents of one kind are signed in
  // order.
  size_t PatientOfSlot(int slot, std::mt19937_64& rng) const {
    return OwnedPatient(*data_, slot, in_flight_, rng());
  }

  const std::string name_;
  const Dataset* const data_;
  const std::string token_;
  const int in_flight_;
  const std::string run_;
  std::atomic<int64_t> next_{0};
  std::vector<std::unique_ptr<Stub>> stubs_;
  WriteObserver observer_;  // set before the run
};

// CourseCursor: the course a slot logs its next sessions into.
struct CourseCursor {
  std::string course;
  int logged = 0;   // sessions in it so far
  int planned = 0;  // its planned session count
  absl::Time first_session;
  int clinic = 0;       // index into Dataset::clinics
  bool hourly = false;  // a slot course: sessions one hour apart, for good
};
using Cursors = std::vector<CourseCursor>;  // by slot

class CreateCourse : public StubKind<v1::TreatmentRecords::Stub> {
 public:
  using StubKind::StubKind;
  void set_cursors(std::shared_ptr<Cursors> c) { cursors_ = std::move(c); }
  void Start(grpc::ClientContext* ctx, int slot, std::mt19937_64& rng,
             std::function<void(const grpc::Status&)> done) override {
    auto call =
        std::make_shared<Call<v1::CreateCourseRequest, v1::TreatmentCourse>>();
    v1::CreateCourseRequest& r = call->request;
    const size_t patient = PatientOfSlot(slot, rng);
    const int clinic = ClinicOfPatient(*data_, patient);
    r.set_parent(data_->patients[patient]);
    v1::TreatmentCourse* c = r.mutable_course();
    c->add_indications(v1::INDICATION_ACNE_SCARS);
    for (auto [area, lat] :
         {std::pair{v1::BODY_AREA_CHEEK, v1::LATERALITY_BILATERAL},
          std::pair{v1::BODY_AREA_FOREHEAD, v1::LATERALITY_MIDLINE},
          std::pair{v1::BODY_AREA_CHIN, v1::LATERALITY_MIDLINE}}) {
      v1::BodySite* site = c->add_treatment_areas();
      site->set_area(area);
      site->set_laterality(lat);
    }
    c->set_planned_session_count(3 + static_cast<int>(rng() % 4));
    c->set_planned_interval_min_days(28);
    c->set_planned_interval_max_days(42);
    c->set_responsible_clinician("dr-lee");
    r.set_request_id(NextRequestId());
    // Sessions about five weeks apart from a start within the history.
    const absl::Time first =
        data_->history_start + absl::Hours(24 * (1 + rng() % 200));
    Cursors* cursors = cursors_.get();
    Async(ctx, slot)->CreateCourse(
        ctx, &r, &call->response,
        [this, call, cursors, slot, first, clinic,
         done = std::move(done)](grpc::Status s) {
          if (s.ok() && observer_) observer_(call->response.name());
          if (s.ok() && cursors != nullptr) {
            (*cursors)[static_cast<size_t>(slot)] = {
                call->response.name(), 0,
                call->response.planned_session_count(), first, clinic};
          }
          done(s);
        });
  }

 private:
  std::shared_ptr<Cursors> cursors_;
};

class LogSession : public StubKind<v1::TreatmentRecords::Stub> {
 public:
  LogSession(std::string name, const Dataset* data, std::string token,
             const std::vector<std::shared_ptr<grpc::Channel>>& channels,
             int in_flight)
      : StubKind(std::move(name), data, std::move(token), channels, in_flight),
        cursors_(std::make_shared<Cursors>(static_cast<size_t>(in_flight))) {
    for (int s = 0; data != nullptr && s < in_flight; ++s) {
      (*cursors_)[static_cast<size_t>(s)] = FirstCursor(*data, s, in_flight);
    }
  }
  std::shared_ptr<Cursors> cursors() const { return cursors_; }
  void set_create_course(CallKind* k) { create_course_ = k; }

  CallKind* Instead(int slot) override {
    const CourseCursor& c = (*cursors_)[static_cast<size_t>(slot)];
    return !c.hourly && c.logged >= c.planned ? create_course_ : nullptr;
  }
  void Start(grpc::ClientContext* ctx, int slot, std::mt19937_64& rng,
             std::function<void(const grpc::Status&)> done) override {
    CourseCursor& cursor = (*cursors_)[static_cast<size_t>(slot)];
    auto call =
        std::make_shared<Call<v1::LogSessionRequest, v1::TreatmentSession>>();
    call->request.set_parent(cursor.course);
    const absl::Time at =
        cursor.hourly
            ? cursor.first_session + absl::Hours(cursor.logged)
            : cursor.first_session + absl::Hours(24 * 35 * cursor.logged) +
                  absl::Minutes(rng() % 600);
    ++cursor.logged;
    *call->request.mutable_session() =
        SessionBody(*data_, cursor.clinic, at, rng);
    call->request.set_request_id(NextRequestId());
    Async(ctx, slot)->LogSession(
        ctx, &call->request, &call->response,
        [this, call, done = std::move(done)](grpc::Status s) {
          if (s.ok() && observer_) observer_(call->response.name());
          done(s);
        });
  }

 private:
  // FirstCursor: the slot's own course with slot courses, else the first
  // setup course of a patient the slot owns (each slot owns one at least,
  // and every patient has a course).
  static CourseCursor FirstCursor(const Dataset& data, int slot,
                                  int in_flight) {
    if (data.course_sessions > 0) {
      const size_t s = static_cast<size_t>(slot);
      return {data.slot_courses[s],
              data.course_sessions,
              kSlotCoursePlanned,
              data.slot_course_start,
              static_cast<int>(s % data.clinics.size()),
              /*hourly=*/true};
    }
    size_t c = 0;
    while (c + 1 < data.courses.size() &&
           !SlotOwnsPatient(data, slot, in_flight,
                            static_cast<size_t>(data.course_patient[c]))) {
      ++c;
    }
    return {data.courses[c], data.course_logged[c], data.course_planned[c],
            data.history_start + absl::Hours(24 * 30),
            ClinicOfPatient(data, static_cast<size_t>(data.course_patient[c]))};
  }

  std::shared_ptr<Cursors> cursors_;
  CallKind* create_course_ = nullptr;
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
    const size_t patient = PatientOfSlot(slot, rng);
    r.set_parent(data_->patients[patient]);
    const v1::InstructionSet& set =
        Pick(data_->sets[static_cast<size_t>(ClinicOfPatient(*data_, patient))],
             rng);
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
        [this, call, done = std::move(done)](grpc::Status s) {
          if (s.ok() && observer_) observer_(call->response.name());
          done(s);
        });
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
  if (name == "create_course") {
    return std::make_unique<CreateCourse>(name, data, token, channels,
                                          in_flight);
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

void Link(CallKind* log_session, CallKind* create_course) {
  auto* log = dynamic_cast<LogSession*>(log_session);
  auto* create = dynamic_cast<CreateCourse*>(create_course);
  if (log == nullptr || create == nullptr) return;
  log->set_create_course(create);
  create->set_cursors(log->cursors());
}

void ObserveWrites(CallKind* kind, WriteObserver observer) {
  if (auto* k = dynamic_cast<StubKind<v1::TreatmentRecords::Stub>*>(kind)) {
    k->set_observer(std::move(observer));
  } else if (auto* c = dynamic_cast<StubKind<v1::Consents::Stub>*>(kind)) {
    c->set_observer(std::move(observer));
  }
}

std::pair<int, int> CourseSizes(const CallKind* log_session) {
  const auto* log = dynamic_cast<const LogSession*>(log_session);
  if (log == nullptr || log->cursors()->empty()) return {0, 0};
  int fewest = std::numeric_limits<int>::max(), most = 0;
  for (const CourseCursor& c : *log->cursors()) {
    fewest = std::min(fewest, c.logged);
    most = std::max(most, c.logged);
  }
  return {fewest, most};
}

}  // namespace mnrecords::loadgen
