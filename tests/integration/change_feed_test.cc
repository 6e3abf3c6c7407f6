// The change feed over gRPC (change_feed_service.proto): every revision of
// a clinic in commit order with its type and principal, resumable from
// every cursor, filters, names only, errors; watches that replay the
// backlog, push new changes, send heartbeats, are bounded, audited, and end
// cleanly with their cursor at shutdown.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "clinic/microneedling/v1/change_feed_service.grpc.pb.h"
#include "common/time_util.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

// Feed talks to the ChangeFeed service as one principal.
class Feed {
 public:
  Feed(const TestServer& server, const std::string& token)
      : token_(token),
        stub_(v1::ChangeFeed::NewStub(grpc::CreateChannel(
            server.target(), grpc::InsecureChannelCredentials()))) {}

  void Prepare(grpc::ClientContext& context, int seconds = 20) const {
    context.AddMetadata("authorization", "Bearer " + token_);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(seconds));
  }

  grpc::Status List(const v1::ListChangesRequest& request,
                    v1::ListChangesResponse* response) const {
    grpc::ClientContext context;
    Prepare(context);
    return stub_->ListChanges(&context, request, response);
  }

  // ListAll pages through every change after `after` with `page_size`.
  std::vector<v1::Change> ListAll(const std::string& after, int page_size,
                                  v1::ChangeFilter filter = {}) const {
    std::vector<v1::Change> out;
    v1::ListChangesRequest request;
    request.set_parent("clinics/c1");
    request.set_after_cursor(after);
    request.set_page_size(page_size);
    *request.mutable_filter() = filter;
    for (int pages = 0; pages < 1000; ++pages) {
      v1::ListChangesResponse response;
      const grpc::Status status = List(request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return out;
      for (const v1::Change& c : response.changes()) out.push_back(c);
      if (!response.more()) return out;
      request.set_after_cursor(response.next_cursor());
    }
    ADD_FAILURE() << "the feed never ended";
    return out;
  }

  std::unique_ptr<grpc::ClientReader<v1::WatchChangesResponse>> Watch(
      grpc::ClientContext& context, const v1::WatchChangesRequest& request,
      int seconds = 30) const {
    Prepare(context, seconds);
    return stub_->WatchChanges(&context, request);
  }

 private:
  std::string token_;
  std::unique_ptr<v1::ChangeFeed::Stub> stub_;
};

std::vector<std::string> Describe(const std::vector<v1::Change>& changes) {
  std::vector<std::string> out;
  for (const v1::Change& c : changes) {
    out.push_back(c.name() + "@" + std::to_string(c.revision_id()) + " " +
                  v1::ChangeType_Name(c.type()));
  }
  return out;
}

using WatchStream = grpc::ClientReader<v1::WatchChangesResponse>;

// NextChangeName reads until a message carries a change (heartbeats may
// come first) and returns the name of its first change ("" if the stream
// ended).
std::string NextChangeName(WatchStream& stream) {
  v1::WatchChangesResponse response;
  while (stream.Read(&response)) {
    if (response.changes_size() > 0) return response.changes(0).name();
  }
  return "";
}

// CancelWatch cancels a watch and returns the status it ended with.
grpc::Status CancelWatch(grpc::ClientContext& context, WatchStream& stream) {
  context.TryCancel();
  v1::WatchChangesResponse drain;
  while (stream.Read(&drain)) {
  }
  return stream.Finish();
}

class ChangeFeedTest : public ::testing::Test {
 protected:
  // Writes a small history in clinic c1 (and one patient in c2):
  // patient, course, session, session amended, instruction set, consent,
  // consent revoked.
  void WriteHistory() {
    auto patient = server_.client().CreatePatient(PatientRequest("c1", "M1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    patient_ = *patient;
    ASSERT_TRUE(
        server_.client().CreatePatient(PatientRequest("c2", "M9")).ok());
    auto course = server_.client().CreateCourse(CourseRequest(patient->name()));
    ASSERT_TRUE(course.ok()) << course.status();
    auto session = server_.client().LogSession(
        SessionRequest(course->name(), TestNow() - absl::Hours(1)));
    ASSERT_TRUE(session.ok()) << session.status();
    session_ = *session;
    v1::AmendSessionRequest amend;
    *amend.mutable_session() = *session;
    amend.mutable_session()->set_duration_minutes(45);
    amend.mutable_update_mask()->add_paths("duration_minutes");
    amend.set_etag(session->etag());
    amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
    amend.mutable_amendment()->set_reason("typo in the duration");
    amend.mutable_amendment()->set_author("dr-lee");
    amend.set_request_id(NewRequestId());
    auto amended = server_.client().AmendSession(amend);
    ASSERT_TRUE(amended.ok()) << amended.status();
    auto set = server_.admin_client().PublishInstructionSet(InstructionsRequest(
        "c1", "photo-consent", v1::INSTRUCTION_KIND_PHOTOGRAPHY));
    ASSERT_TRUE(set.ok()) << set.status();
    auto consent = server_.client().RecordConsent(
        ConsentRequest(patient->name(), *set, TestNow() - absl::Hours(2)));
    ASSERT_TRUE(consent.ok()) << consent.status();
    v1::RevokeConsentRequest revoke;
    revoke.set_name(consent->name());
    revoke.set_reason("patient asked");
    revoke.set_author("front-desk");
    revoke.set_etag(consent->etag());
    revoke.set_request_id(NewRequestId());
    auto revoked = server_.client().RevokeConsent(revoke);
    ASSERT_TRUE(revoked.ok()) << revoked.status();
    consent_ = *revoked;
  }

  TestServer server_;
  v1::Patient patient_;
  v1::TreatmentSession session_;
  v1::Consent consent_;
};

TEST_F(ChangeFeedTest, ListsEveryRevisionOfTheClinicInCommitOrder) {
  ASSERT_NO_FATAL_FAILURE(WriteHistory());
  Feed feed(server_, server_.token("ehr"));
  const std::vector<v1::Change> all = feed.ListAll("", 100);
  const std::string course =
      session_.name().substr(0, session_.name().find("/sessions/"));
  EXPECT_EQ(Describe(all),
            (std::vector<std::string>{
                patient_.name() + "@1 CHANGE_TYPE_CREATED",
                course + "@1 CHANGE_TYPE_CREATED",
                session_.name() + "@1 CHANGE_TYPE_CREATED",
                session_.name() + "@2 CHANGE_TYPE_AMENDED",
                "clinics/c1/instructionSets/photo-consent@1 "
                "CHANGE_TYPE_CREATED",
                consent_.name() + "@1 CHANGE_TYPE_CREATED",
                consent_.name() + "@2 CHANGE_TYPE_CONSENT_STATE_CHANGED"}));
  ASSERT_EQ(all.size(), 7u);
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_LT(all[i - 1].cursor(), all[i].cursor()) << "cursors sort in order";
  }
  // Who wrote it, what the amendment said, the revision itself.
  EXPECT_EQ(all[0].principal(), "ehr");
  EXPECT_EQ(all[4].principal(), "admin");
  EXPECT_EQ(all[3].amendment().reason(), "typo in the duration");
  EXPECT_EQ(all[3].session().duration_minutes(), 45);
  EXPECT_EQ(all[3].session().revision().revision_id(), 2);
  EXPECT_EQ(all[0].patient_record().name(), patient_.name());
  EXPECT_EQ(all[6].consent_state(), v1::CONSENT_STATE_REVOKED);
  EXPECT_EQ(all[6].consent().state(), v1::CONSENT_STATE_REVOKED);
  EXPECT_EQ(all[6].patient(), patient_.name());
  EXPECT_EQ(FromProtoTime(all[2].commit_time()),
            FromProtoTime(session_.revision().create_time()));

  // Resuming from every cursor gives exactly the tail after it, whatever
  // the page size.
  const std::vector<std::string> described = Describe(all);
  for (size_t i = 0; i < all.size(); ++i) {
    for (int page_size : {1, 3, 1000}) {
      const std::vector<v1::Change> tail =
          feed.ListAll(all[i].cursor(), page_size);
      EXPECT_EQ(Describe(tail), std::vector<std::string>(
                                    described.begin() + i + 1, described.end()))
          << "after change " << i << ", pages of " << page_size;
    }
  }
}

TEST_F(ChangeFeedTest, FiltersNamesOnlyAndHead) {
  ASSERT_NO_FATAL_FAILURE(WriteHistory());
  Feed feed(server_, server_.token("ehr"));
  v1::ChangeFilter consents;
  consents.add_kinds(v1::RECORD_KIND_CONSENT);
  consents.set_names_only(true);
  const std::vector<v1::Change> only = feed.ListAll("", 100, consents);
  ASSERT_EQ(only.size(), 2u);
  EXPECT_EQ(only[0].name(), consent_.name());
  EXPECT_EQ(only[1].consent_state(), v1::CONSENT_STATE_REVOKED);
  EXPECT_EQ(only[1].record_case(), v1::Change::RECORD_NOT_SET);

  // A filtered page moves next_cursor to the head past what it skipped.
  v1::ListChangesRequest request;
  request.set_parent("clinics/c1");
  request.mutable_filter()->add_kinds(v1::RECORD_KIND_PATIENT);
  v1::ListChangesResponse response;
  ASSERT_TRUE(feed.List(request, &response).ok());
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_FALSE(response.more());
  EXPECT_EQ(response.next_cursor(), response.head_cursor());
  EXPECT_GT(response.head_cursor(), response.changes(0).cursor());

  // Another patient of the clinic is not in this patient's feed.
  auto other = server_.client().CreatePatient(PatientRequest("c1", "M2"));
  ASSERT_TRUE(other.ok());
  v1::ChangeFilter by_patient;
  by_patient.set_patient(patient_.name());
  for (const v1::Change& c : feed.ListAll("", 100, by_patient)) {
    EXPECT_EQ(c.patient(), patient_.name()) << c.name();
  }
}

TEST_F(ChangeFeedTest, RefusesBadRequestsAndForeignCallers) {
  ASSERT_NO_FATAL_FAILURE(WriteHistory());
  Feed feed(server_, server_.token("ehr"));
  v1::ListChangesResponse response;
  v1::ListChangesRequest request;
  request.set_parent("clinics/c1");
  request.set_after_cursor("42");
  grpc::Status status = feed.List(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "after_cursor"));

  request.set_after_cursor("1.0000000000999999999");
  status = feed.List(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "beyond the latest"));

  request.set_after_cursor("");
  request.set_page_size(1001);
  EXPECT_EQ(feed.List(request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  request.set_page_size(0);
  request.mutable_filter()->set_patient("clinics/c2/patients/x");
  EXPECT_EQ(feed.List(request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // Auditors read consents and the log, not the records themselves.
  Feed auditor(server_, server_.token("auditor"));
  v1::ListChangesRequest plain;
  plain.set_parent("clinics/c1");
  EXPECT_EQ(auditor.List(plain, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A clinic the principal does not belong to.
  plain.set_parent("clinics/c9");
  EXPECT_EQ(feed.List(plain, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ChangeFeedTest, CursorsSurviveARestart) {
  ASSERT_NO_FATAL_FAILURE(WriteHistory());
  const std::vector<v1::Change> before =
      Feed(server_, server_.token("ehr")).ListAll("", 100);
  ASSERT_FALSE(before.empty());
  server_.Restart();
  auto later = server_.client().CreatePatient(PatientRequest("c1", "M3"));
  ASSERT_TRUE(later.ok());
  const std::vector<v1::Change> tail =
      Feed(server_, server_.token("ehr")).ListAll(before.back().cursor(), 100);
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].name(), later->name());
}

class ChangeWatchTest : public ::testing::Test {
 protected:
  static TestServerOptions FastHeartbeats() {
    TestServerOptions options;
    options.configure = [](ServerConfig& config, TestingOptions&) {
      config.watches.heartbeat_interval = absl::Milliseconds(200);
      config.watches.max_watches_per_principal = 2;
    };
    return options;
  }

  TestServer server_{FastHeartbeats()};
};

TEST_F(ChangeWatchTest, ReplaysTheBacklogThenPushesNewChanges) {
  auto first = server_.client().CreatePatient(PatientRequest("c1", "W1"));
  ASSERT_TRUE(first.ok());
  Feed feed(server_, server_.token("ehr"));
  grpc::ClientContext context;
  v1::WatchChangesRequest request;
  request.set_parent("clinics/c1");
  auto stream = feed.Watch(context, request);
  v1::WatchChangesResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_EQ(response.changes_size(), 1) << "the backlog";
  EXPECT_EQ(response.changes(0).name(), first->name());
  EXPECT_EQ(response.progress_cursor(), response.changes(0).cursor());

  auto second = server_.client().CreatePatient(PatientRequest("c1", "W2"));
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(NextChangeName(*stream), second->name());
  // Idle: a heartbeat without changes carries the same cursor.
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.changes_size(), 0);
  EXPECT_FALSE(response.progress_cursor().empty());
  EXPECT_EQ(CancelWatch(context, *stream).error_code(),
            grpc::StatusCode::CANCELLED);
}

TEST_F(ChangeWatchTest, StartAtHeadSkipsTheBacklog) {
  ASSERT_TRUE(server_.client().CreatePatient(PatientRequest("c1", "H1")).ok());
  Feed feed(server_, server_.token("ehr"));
  grpc::ClientContext context;
  v1::WatchChangesRequest request;
  request.set_parent("clinics/c1");
  request.set_start_at_head(true);
  auto stream = feed.Watch(context, request);
  v1::WatchChangesResponse response;
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.changes_size(), 0) << "nothing before the head";
  auto next = server_.client().CreatePatient(PatientRequest("c1", "H2"));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(NextChangeName(*stream), next->name());
  CancelWatch(context, *stream);
}

TEST_F(ChangeWatchTest, WatchesPerPrincipalAreBounded) {
  Feed feed(server_, server_.token("ehr"));
  v1::WatchChangesRequest request;
  request.set_parent("clinics/c1");
  grpc::ClientContext c1, c2, c3;
  auto s1 = feed.Watch(c1, request);
  auto s2 = feed.Watch(c2, request);
  v1::WatchChangesResponse response;
  ASSERT_TRUE(s1->Read(&response));
  ASSERT_TRUE(s2->Read(&response));
  auto s3 = feed.Watch(c3, request);
  EXPECT_FALSE(s3->Read(&response));
  const grpc::Status third = s3->Finish();
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  // Another principal still may.
  Feed clinician(server_, server_.token("clinician"));
  grpc::ClientContext c4;
  auto s4 = clinician.Watch(c4, request);
  EXPECT_TRUE(s4->Read(&response));
  CancelWatch(c1, *s1);
  CancelWatch(c2, *s2);
  CancelWatch(c4, *s4);
}

TEST_F(ChangeWatchTest, AWatchIsAuditedAtItsStartAndItsEnd) {
  Feed feed(server_, server_.token("ehr"));
  grpc::ClientContext context;
  v1::WatchChangesRequest request;
  request.set_parent("clinics/c1");
  auto stream = feed.Watch(context, request);
  v1::WatchChangesResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(stream->Read(&response));  // a heartbeat or two: still one start
  CancelWatch(context, *stream);
  const std::string action = "/clinic.microneedling.v1.ChangeFeed/WatchChanges";
  std::vector<v1::AuditEvent> events;
  for (int attempt = 0; attempt < 100; ++attempt) {
    v1::ListAuditEventsRequest list;
    list.set_parent("clinics/c1");
    list.set_action(action);
    auto listed = server_.auditor_client().ListAllAuditEvents(list);
    ASSERT_TRUE(listed.ok()) << listed.status();
    events = *listed;
    if (events.size() >= 2) break;
    absl::SleepFor(absl::Milliseconds(20));  // the end is audited after
  }
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].outcome(), 0) << "the start";
  EXPECT_EQ(events[1].outcome(), static_cast<int>(grpc::StatusCode::CANCELLED));
  EXPECT_EQ(events[0].principal(), "ehr");
  EXPECT_EQ(events[0].resource(), "clinics/c1");
}

TEST_F(ChangeWatchTest, ShutdownEndsAWatchWithItsCursor) {
  auto patient = server_.client().CreatePatient(PatientRequest("c1", "S1"));
  ASSERT_TRUE(patient.ok());
  Feed feed(server_, server_.token("ehr"));
  grpc::ClientContext context;
  v1::WatchChangesRequest request;
  request.set_parent("clinics/c1");
  auto stream = feed.Watch(context, request);
  v1::WatchChangesResponse response;
  ASSERT_TRUE(stream->Read(&response));
  const std::string cursor = response.progress_cursor();
  // Had the server not ended the watch itself, gRPC would cancel it at
  // the end of the grace period, without a cursor.
  server_.Stop();
  while (stream->Read(&response)) {
  }
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(status.error_message(), cursor))
      << status.error_message();
  server_.Start();
}

}  // namespace
}  // namespace mnrecords::testing
