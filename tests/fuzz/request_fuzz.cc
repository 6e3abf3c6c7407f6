#include "tests/fuzz/request_fuzz.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "plugins/api/plugin_host.h"
#include "plugins/builtin_plugins.h"
#include "server/auth/authorization.h"
#include "server/grpc/unknown_fields.h"
#include "server/service/consents_service.h"
#include "server/service/records_service.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/fixtures.h"

namespace mnrecords::testing {
namespace {

using Handler =
    std::function<absl::Status(const CallContext&, const std::string& bytes)>;

struct Method {
  std::string name;  // full gRPC method
  Handler run;
};

// Harness: one store and the services on it for the life of the process.
class Harness {
 public:
  static const std::string& DatabasePath() {
    static const std::string* const path =
        new std::string(absl::StrCat("/tmp/mnrecords-fuzz-", getpid(), ".db"));
    return *path;
  }
  static void RemoveDatabase() {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove(absl::StrCat(DatabasePath(), suffix).c_str());
    }
  }

  static Harness& Get() {
    static Harness* harness = new Harness();
    return *harness;
  }

  const std::vector<Method>& methods() const { return methods_; }
  const std::vector<std::string>& seeds() const { return seeds_; }

  CallContext CallFor(const std::string& method) const {
    CallContext call;
    call.method = method;
    call.peer = "fuzz";
    call.principal.id = "fuzz";
    call.principal.clinics = {"c1", "c2"};
    const auto& roles = MethodRoles().at(method);
    call.principal.role = *roles.begin();
    return call;
  }

 private:
  Harness() : clock_(TestNow()) {
    RemoveDatabase();
    std::atexit(RemoveDatabase);  // the store stays open: SQLite tolerates it
    auto store = SqliteStore::Open(DatabasePath());
    if (!store.ok()) {
      std::fprintf(stderr, "fuzz: %s\n", store.status().ToString().c_str());
      std::abort();
    }
    store_ = *std::move(store);
    audit_.store = store_.get();
    audit_.clock = &clock_;
    // The protocol plugin runs, so plugin settings and the checks are
    // fuzzed too; it reports what would block instead, so mutated records
    // still reach the store.
    if (!plugins::RegisterBuiltinPlugins(registry_).ok()) std::abort();
    plugins::PluginConfigs configs;
    config::v1::PluginConfig* protocol = configs.Add();
    protocol->set_name("microneedling-protocol");
    for (const char* code : {"MNP-CONSENT-MISSING", "MNP-PHOTO-CONSENT-MISSING",
                             "MNP-CARTRIDGE-LOT-EXPIRED"}) {
      config::v1::SeverityOverride* o = protocol->add_severity();
      o->set_code(code);
      o->set_severity(config::v1::SeverityOverride::INFO);
    }
    auto host = plugins::PluginHost::Build(registry_, configs);
    if (!host.ok()) {
      std::fprintf(stderr, "fuzz: %s\n", host.status().ToString().c_str());
      std::abort();
    }
    plugins_ = *std::move(host);
    records_ =
        std::make_unique<RecordsService>(*store_, clock_, plugins_.get());
    consents_ = std::make_unique<ConsentsService>(*store_, clock_);
    AddMethods();
    AddSeeds();
  }

  // Add registers a write: it answers through a Reply (awaited here).
  template <typename Request, typename Service, typename Response>
  void Add(const std::string& service_name, const std::string& name,
           Service* service,
           void (Service::*fn)(AuditedCall&, const Request&, Reply<Response>)) {
    Add<Request>(service_name, name, service,
                 std::function<absl::Status(AuditedCall&, const Request&)>(
                     [service, fn](AuditedCall& call, const Request& request) {
                       return Await<Response>([&](Reply<Response> reply) {
                                (service->*fn)(call, request, std::move(reply));
                              })
                           .status();
                     }));
  }

  // Add registers a read.
  template <typename Request, typename Service, typename Response>
  void Add(const std::string& service_name, const std::string& name,
           Service* service,
           absl::StatusOr<Response> (Service::*fn)(AuditedCall&,
                                                   const Request&)) {
    Add<Request>(service_name, name, service,
                 std::function<absl::Status(AuditedCall&, const Request&)>(
                     [service, fn](AuditedCall& call, const Request& request) {
                       return (service->*fn)(call, request).status();
                     }));
  }

  template <typename Request, typename Service>
  void Add(const std::string& service_name, const std::string& name, Service*,
           std::function<absl::Status(AuditedCall&, const Request&)> run) {
    methods_.push_back(
        {absl::StrCat("/clinic.microneedling.v1.", service_name, "/", name),
         [this, run](const CallContext& context, const std::string& bytes) {
           Request request;
           if (!request.ParseFromString(bytes)) {
             return absl::CancelledError("not a request");
           }
           absl::Status status = CheckNoUnknownFields(request);
           if (status.ok()) status = Authorize(context, request);
           AuditedCall call(context, audit_);
           if (status.ok()) status = run(call, request);
           return status;
         }});
  }

  void AddMethods() {
    RecordsService* r = records_.get();
    ConsentsService* c = consents_.get();
#define MNR_R(M) Add("TreatmentRecords", #M, r, &RecordsService::M)
#define MNR_C(M) Add("Consents", #M, c, &ConsentsService::M)
    MNR_R(CreatePatient);
    MNR_R(GetPatient);
    MNR_R(ListPatients);
    MNR_R(AmendPatient);
    MNR_R(CreateCourse);
    MNR_R(GetCourse);
    MNR_R(ListCourses);
    MNR_R(AmendCourse);
    MNR_R(GetCourseSummary);
    MNR_R(ListDueSessions);
    MNR_R(LogSession);
    MNR_R(GetSession);
    MNR_R(ListSessions);
    MNR_R(AmendSession);
    MNR_R(CreatePhoto);
    MNR_R(GetPhoto);
    MNR_R(ListPhotos);
    MNR_R(AmendPhoto);
    MNR_R(ListRevisions);
    MNR_R(RecordScreening);
    MNR_R(GetScreening);
    MNR_R(ListScreenings);
    MNR_R(AmendScreening);
    MNR_R(RecordOutcomeAssessment);
    MNR_R(GetOutcomeAssessment);
    MNR_R(ListOutcomeAssessments);
    MNR_R(AmendOutcomeAssessment);
    MNR_R(ReleasePhoto);
    MNR_R(ListPhotoReleases);
    MNR_R(CheckPhotoUse);
    MNR_R(SignSession);
    MNR_R(ListSessionSignatures);
    MNR_R(ListUnsignedSessions);
    MNR_R(PublishPluginSettings);
    MNR_R(GetPluginSettings);
    MNR_R(ListPluginSettingsRevisions);
    MNR_C(PublishInstructionSet);
    MNR_C(GetInstructionSet);
    MNR_C(ListInstructionSets);
    MNR_C(ListInstructionSetRevisions);
    MNR_C(RecordConsent);
    MNR_C(GetConsent);
    MNR_C(ListConsents);
    MNR_C(RevokeConsent);
#undef MNR_R
#undef MNR_C
  }

  int IndexOf(const std::string& short_name) const {
    for (size_t i = 0; i < methods_.size(); ++i) {
      if (absl::EndsWith(methods_[i].name, "/" + short_name)) {
        return static_cast<int>(i);
      }
    }
    std::abort();
  }

  void AddSeed(const std::string& method, const google::protobuf::Message& m) {
    std::string input(1, static_cast<char>(IndexOf(method)));
    input += m.SerializeAsString();
    seeds_.push_back(input);
  }

  // Write makes one write as a fresh audited call named after its method
  // (the request_id digest includes the method) and awaits the answer.
  template <typename Response, typename Service, typename Request>
  absl::StatusOr<Response> Write(
      const std::unique_ptr<Service>& service,
      void (Service::*fn)(AuditedCall&, const Request&, Reply<Response>),
      const std::string& method, const Request& request) {
    AuditedCall call(CallFor(absl::StrCat("/clinic.microneedling.v1.", method)),
                     audit_);
    return Await<Response>([&](Reply<Response> reply) {
      ((*service).*fn)(call, request, std::move(reply));
    });
  }

  void AddSeeds() {
    auto patient_req = PatientRequest("c1", "MRN-F");
    AddSeed("CreatePatient", PatientRequest("c1", "MRN-F2"));
    auto patient =
        Write<v1::Patient>(records_, &RecordsService::CreatePatient,
                           "TreatmentRecords/CreatePatient", patient_req);
    auto course_req = CourseRequest(patient->name());
    AddSeed("CreateCourse", course_req);
    auto course =
        Write<v1::TreatmentCourse>(records_, &RecordsService::CreateCourse,
                                   "TreatmentRecords/CreateCourse", course_req);
    auto session_req = SessionRequest(course->name(), TestNow());
    AddSeed("LogSession", session_req);
    auto session =
        Write<v1::TreatmentSession>(records_, &RecordsService::LogSession,
                                    "TreatmentRecords/LogSession", session_req);
    auto photo_req = PhotoRequest(session->name(),
                                  v1::PHOTO_PHASE_IMMEDIATE_POST, TestNow());
    AddSeed("CreatePhoto", photo_req);
    auto photo =
        Write<v1::OutcomePhoto>(records_, &RecordsService::CreatePhoto,
                                "TreatmentRecords/CreatePhoto", photo_req);
    auto set_req =
        InstructionsRequest("c1", "prep", v1::INSTRUCTION_KIND_PREPARATION);
    AddSeed("PublishInstructionSet", set_req);
    auto set = Write<v1::InstructionSet>(
        consents_, &ConsentsService::PublishInstructionSet,
        "Consents/PublishInstructionSet", set_req);
    auto consent_req = ConsentRequest(patient->name(), *set, TestNow());
    AddSeed("RecordConsent", consent_req);
    auto consent =
        Write<v1::Consent>(consents_, &ConsentsService::RecordConsent,
                           "Consents/RecordConsent", consent_req);
    auto questionnaire_req = QuestionnaireRequest("c1");
    AddSeed("PublishInstructionSet", questionnaire_req);
    auto questionnaire = Write<v1::InstructionSet>(
        consents_, &ConsentsService::PublishInstructionSet,
        "Consents/PublishInstructionSet", questionnaire_req);
    if (!questionnaire.ok()) {
      std::fprintf(stderr, "fuzz: seeding the questionnaire failed\n");
      std::abort();
    }
    auto screening_req =
        ScreeningRequest(patient->name(), *questionnaire, TestNow());
    AddSeed("RecordScreening", screening_req);
    auto screening =
        Write<v1::Screening>(records_, &RecordsService::RecordScreening,
                             "TreatmentRecords/RecordScreening", screening_req);
    auto assessment_req = AssessmentRequest(course->name(), TestNow());
    AddSeed("RecordOutcomeAssessment", assessment_req);
    auto assessment = Write<v1::OutcomeAssessment>(
        records_, &RecordsService::RecordOutcomeAssessment,
        "TreatmentRecords/RecordOutcomeAssessment", assessment_req);
    auto photos_req =
        InstructionsRequest("c1", "photos", v1::INSTRUCTION_KIND_PHOTOGRAPHY);
    auto photos = Write<v1::InstructionSet>(
        consents_, &ConsentsService::PublishInstructionSet,
        "Consents/PublishInstructionSet", photos_req);
    if (!photos.ok()) {
      std::fprintf(stderr, "fuzz: seeding the photography text failed\n");
      std::abort();
    }
    auto teaching_req = ConsentRequest(patient->name(), *photos, TestNow());
    teaching_req.mutable_consent()->add_photo_uses(
        v1::PHOTO_USE_CLINICAL_RECORD);
    teaching_req.mutable_consent()->add_photo_uses(
        v1::PHOTO_USE_INTERNAL_TEACHING);
    // The seeded photo shows the face.
    teaching_req.mutable_consent()->set_identifiable_images_allowed(true);
    AddSeed("RecordConsent", teaching_req);
    auto teaching =
        Write<v1::Consent>(consents_, &ConsentsService::RecordConsent,
                           "Consents/RecordConsent", teaching_req);
    AddSeed("ReleasePhoto",
            ReleaseRequest(photo->name(), v1::PHOTO_USE_INTERNAL_TEACHING,
                           TestNow()));
    if (!consent.ok() || !photo.ok() || !screening.ok() || !assessment.ok() ||
        !teaching.ok()) {
      std::fprintf(stderr, "fuzz: seeding failed\n");
      std::abort();
    }
    auto get = [&](const std::string& method, const std::string& name) {
      v1::GetPatientRequest r;  // every Get*/ListRevisions has name = 1
      r.set_name(name);
      AddSeed(method, r);
    };
    get("GetPatient", patient->name());
    get("GetCourse", course->name());
    get("GetCourseSummary", course->name());
    get("GetSession", session->name());
    get("GetPhoto", photo->name());
    get("GetConsent", consent->name());
    get("GetInstructionSet", set->name());
    get("ListInstructionSetRevisions", set->name());
    get("ListRevisions", session->name());
    auto list = [&](const std::string& method, const std::string& parent) {
      v1::ListPatientsRequest r;  // every List* has parent = 1
      r.set_parent(parent);
      r.set_page_size(2);
      AddSeed(method, r);
    };
    list("ListPatients", "clinics/c1");
    list("ListCourses", patient->name());
    list("ListSessions", "clinics/c1/patients/-/courses/-");
    list("ListPhotos", session->name());
    list("ListConsents", patient->name());
    list("ListInstructionSets", "clinics/c1");
    v1::ListDueSessionsRequest due;
    due.set_parent("clinics/c1");
    due.mutable_start_time()->set_seconds(1700000000);
    due.mutable_end_time()->set_seconds(1700000000 + 30 * 86400);
    AddSeed("ListDueSessions", due);
    v1::PublishPluginSettingsRequest settings;
    settings.set_name("clinics/c1/pluginSettings/microneedling-protocol");
    v1::PluginParam* param = settings.mutable_settings()->add_params();
    param->set_key("prep_stop_days");
    param->set_value("5");
    settings.mutable_settings()->set_published_by("dr-fuzz");
    settings.mutable_settings()->set_reason("fuzz");
    settings.set_request_id("fuzz-settings");
    AddSeed("PublishPluginSettings", settings);
    get("GetPluginSettings", settings.name());
    get("GetScreening", screening->name());
    list("ListScreenings", patient->name());
    get("GetOutcomeAssessment", assessment->name());
    list("ListOutcomeAssessments", course->name());
    list("ListPhotoReleases", photo->name());
    get("CheckPhotoUse", photo->name());
    list("ListSessionSignatures", session->name());
    v1::ListUnsignedSessionsRequest unsigned_sessions;
    unsigned_sessions.set_parent("clinics/c1");
    unsigned_sessions.set_clinician("dr-lee");
    AddSeed("ListUnsignedSessions", unsigned_sessions);
    get("ListPluginSettingsRevisions", settings.name());
    v1::AmendSessionRequest amend;
    *amend.mutable_session() = *session;
    amend.mutable_session()->set_duration_minutes(50);
    amend.mutable_update_mask()->add_paths("duration_minutes");
    amend.set_etag(session->etag());
    amend.mutable_amendment()->set_kind(v1::AMENDMENT_KIND_CORRECTION);
    amend.mutable_amendment()->set_reason("fuzz");
    amend.mutable_amendment()->set_author("dr-fuzz");
    amend.set_request_id("fuzz-amend");
    AddSeed("AmendSession", amend);
    v1::RevokeConsentRequest revoke;
    revoke.set_name(consent->name());
    revoke.set_etag(consent->etag());
    revoke.set_reason("fuzz");
    revoke.set_author("dr-fuzz");
    revoke.set_request_id("fuzz-revoke");
    AddSeed("RevokeConsent", revoke);
  }

  FakeClock clock_;
  std::unique_ptr<SqliteStore> store_;
  AuditOptions audit_;
  plugins::PluginRegistry registry_;
  std::unique_ptr<plugins::PluginHost> plugins_;
  std::unique_ptr<RecordsService> records_;
  std::unique_ptr<ConsentsService> consents_;
  std::vector<Method> methods_;
  std::vector<std::string> seeds_;
};

}  // namespace

int FuzzOneRequest(const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  Harness& h = Harness::Get();
  const Method& method = h.methods()[data[0] % h.methods().size()];
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const absl::Status status = method.run(h.CallFor(method.name), bytes);
  if (status.code() == absl::StatusCode::kCancelled) return -1;
  const bool impossible =
      status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kUnknown ||
      status.code() == absl::StatusCode::kDataLoss ||
      (status.code() == absl::StatusCode::kInvalidArgument &&
       status.message().empty());
  if (impossible) {
    std::fprintf(stderr, "fuzz: %s returned %s\n", method.name.c_str(),
                 status.ToString().c_str());
    std::abort();
  }
  return static_cast<int>(status.code());
}

std::vector<std::string> SeedInputs() { return Harness::Get().seeds(); }

}  // namespace mnrecords::testing
