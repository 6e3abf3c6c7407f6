#include "tests/reliability/write_load.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"
#include "tests/support/fixtures.h"

namespace mnrecords::testing {
absl::StatusOr<RecordsClient> ConnectWorker(const WriteLoadOptions& options,
                                            const std::string& target) {
  ClientOptions client;
  client.target = target;
  client.bearer_token = options.token;
  client.default_timeout = absl::Seconds(10);
  client.max_attempts = 6;
  client.initial_backoff = absl::Milliseconds(20);
  client.max_backoff = absl::Milliseconds(300);
  // Its own connection (not shared with the other workers), which
  // reconnects quickly after each restart: gRPC's default reconnect backoff
  // (1 s growing to 120 s) would idle the load for most of the run.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 20);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
  return RecordsClient::CreateForChannel(
      grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                args),
      client);
}

namespace {

// LastSession is the session a worker last logged or amended, with its
// current etag (name empty: none to amend).
struct LastSession {
  std::string name;
  std::string etag;
};

SentCreate MakeCreate(const std::string& course, const std::string& tag,
                      const LastSession& last, std::mt19937_64& rng) {
  // (`last` is empty when amendments are off.)
  SentCreate call;
  call.tag = tag;
  call.is_patient = rng() % 4 == 0;
  call.is_amendment = !call.is_patient && !last.name.empty() && rng() % 5 == 0;
  if (call.is_amendment) {
    v1::AmendSessionRequest& r = call.amend;
    r.mutable_session()->set_name(last.name);
    r.mutable_session()->set_duration_minutes(
        static_cast<int32_t>(1 + rng() % 480));
    r.mutable_update_mask()->add_paths("duration_minutes");
    r.set_etag(last.etag);
    r.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
    r.mutable_amendment()->set_reason(absl::StrCat("Correction ", tag, "."));
    r.mutable_amendment()->set_author("dr-lee");
    r.set_request_id("rq-" + tag);
  } else if (call.is_patient) {
    call.patient = PatientRequest("c1", tag);
    call.patient.mutable_patient()->set_fitzpatrick_skin_type(
        static_cast<v1::FitzpatrickSkinType>(1 + rng() % 6));
    call.patient.set_request_id("rq-" + tag);
  } else {
    const absl::Time performed =
        TestNow() - absl::Hours(static_cast<int64_t>(1 + rng() % 5000));
    call.session = SessionRequest(course, performed);
    v1::TreatmentSession* s = call.session.mutable_session();
    s->set_duration_minutes(static_cast<int32_t>(1 + rng() % 480));
    s->set_notes(absl::StrCat(tag, " random ", rng(), " tolerated well."));
    call.session.set_request_id("rq-" + tag);
  }
  return call;
}

}  // namespace

bool IsUnknownOutcome(absl::StatusCode code) {
  return code == absl::StatusCode::kUnavailable ||
         code == absl::StatusCode::kDeadlineExceeded ||
         code == absl::StatusCode::kCancelled ||
         code == absl::StatusCode::kUnknown;
}

const std::string& RequestId(const SentCreate& call) {
  if (call.is_patient) return call.patient.request_id();
  if (call.is_amendment) return call.amend.request_id();
  return call.session.request_id();
}

absl::Status SendCreate(const RecordsClient& client, SentCreate& call) {
  if (call.is_amendment) {
    auto session = client.AmendSession(call.amend);
    call.status = session.status();
    if (session.ok()) {
      call.name = session->name();
      session->SerializeToString(&call.response);
    }
  } else if (call.is_patient) {
    auto patient = client.CreatePatient(call.patient);
    call.status = patient.status();
    if (patient.ok()) {
      call.name = patient->name();
      patient->SerializeToString(&call.response);
    }
  } else {
    auto session = client.LogSession(call.session);
    call.status = session.status();
    if (session.ok()) {
      call.name = session->name();
      session->SerializeToString(&call.response);
    }
  }
  return call.status;
}

absl::StatusOr<std::unique_ptr<WriteLoad>> WriteLoad::Prepare(
    WriteLoadOptions options) {
  if (options.targets.empty()) {
    return absl::InvalidArgumentError("WriteLoad: no targets");
  }
  std::unique_ptr<WriteLoad> load(new WriteLoad(options));
  auto client = ConnectWorker(options, options.targets[0]);
  if (!client.ok()) return client.status();
  for (int w = 0; w < options.workers; ++w) {
    const std::string tag = absl::StrCat("setup-s", options.seed, "-w", w);
    auto patient = client->CreatePatient(PatientRequest("c1", tag));
    if (!patient.ok()) return patient.status();
    auto course = client->CreateCourse(CourseRequest(patient->name()));
    if (!course.ok()) return course.status();
    load->courses_.push_back(course->name());
    load->setup_tags_.insert(tag);
  }
  load->sent_.resize(options.workers);
  return load;
}

WriteLoad::~WriteLoad() {
  if (!threads_.empty()) Stop();
}

void WriteLoad::Start() {
  stop_ = false;
  for (int w = 0; w < options_.workers; ++w) {
    threads_.emplace_back([this, w] { Work(w); });
  }
}

void WriteLoad::Work(int worker) {
  size_t target = static_cast<size_t>(worker) % options_.targets.size();
  auto client = ConnectWorker(options_, options_.targets[target]);
  if (!client.ok()) return;
  std::mt19937_64 rng(options_.seed * 1000003 + worker);
  std::vector<SentCreate>& sent = sent_[worker];
  LastSession last;
  while (!stop_) {
    SentCreate call = MakeCreate(
        courses_[worker],
        absl::StrCat("s", options_.seed, "-w", worker, "-", next_call_++), last,
        rng);
    for (;;) {
      const absl::Status status = SendCreate(*client, call);
      if (status.ok()) {
        call.outcome = CallOutcome::kAcknowledged;
        call.acked_at = absl::Now();
        break;
      }
      if (!IsUnknownOutcome(status.code())) {
        call.outcome = CallOutcome::kFailed;
        break;
      }
      call.ever_unknown = true;
      if (stop_) break;  // stays kUnknown
      absl::SleepFor(absl::Milliseconds(20));
      // A new connection: after the server died, an existing channel may
      // take seconds to connect again (gRPC's reconnect backoff), which
      // would idle the load between kills. With several servers it goes to
      // the next one, as a load balancer would send the retry elsewhere:
      // the same request_id then meets another server.
      if (options_.new_channel_on_unknown) {
        target = (target + 1) % options_.targets.size();
        auto fresh = ConnectWorker(options_, options_.targets[target]);
        if (fresh.ok()) client = *std::move(fresh);
      }
    }
    if (call.outcome == CallOutcome::kAcknowledged && !call.is_patient &&
        options_.amendments) {
      v1::TreatmentSession session;
      session.ParseFromString(call.response);
      last = {session.name(), session.etag()};
    } else if (call.is_amendment) {
      last = {};  // its etag is unknown now
    }
    sent.push_back(std::move(call));
    ++done_;
  }
}

std::vector<SentCreate> WriteLoad::Stop() {
  stop_ = true;
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  std::vector<SentCreate> all;
  for (std::vector<SentCreate>& calls : sent_) {
    for (SentCreate& call : calls) all.push_back(std::move(call));
    calls.clear();
  }
  return all;
}

}  // namespace mnrecords::testing
