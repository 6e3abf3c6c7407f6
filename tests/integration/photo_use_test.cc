// Photo-use consent scopes through the real server: a PHOTOGRAPHY consent
// decides the uses it lists, a newer one replaces an older one only for
// those, and ReleasePhoto records a use only when the consent in force then
// allows it (identifiable images included), naming what is missing when
// not. Every release is listed under its photo.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/time_util.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);

class PhotoUseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    patient_ = patient->name();
    auto course = client().CreateCourse(CourseRequest(patient_));
    ASSERT_TRUE(course.ok()) << course.status();
    auto session = client().LogSession(
        SessionRequest(course->name(), TestNow() - kDay * 9));
    ASSERT_TRUE(session.ok()) << session.status();
    v1::CreatePhotoRequest identifiable = PhotoRequest(
        session->name(), v1::PHOTO_PHASE_FOLLOW_UP, TestNow() - kDay * 9);
    identifiable.mutable_photo()->set_identifiable(true);
    auto face = client().CreatePhoto(identifiable);
    ASSERT_TRUE(face.ok()) << face.status();
    face_ = face->name();
    v1::CreatePhotoRequest cropped = PhotoRequest(
        session->name(), v1::PHOTO_PHASE_FOLLOW_UP, TestNow() - kDay * 9);
    cropped.mutable_photo()->set_identifiable(false);
    auto crop = client().CreatePhoto(cropped);
    ASSERT_TRUE(crop.ok()) << crop.status();
    crop_ = crop->name();
    auto set = server_.admin_client().PublishInstructionSet(
        InstructionsRequest("c1", "photos", v1::INSTRUCTION_KIND_PHOTOGRAPHY));
    ASSERT_TRUE(set.ok()) << set.status();
    photos_ = *set;
  }
  RecordsClient& client() { return server_.client(); }

  // Records a PHOTOGRAPHY decision on `uses`, signed at `signed_at`.
  v1::Consent Decide(std::vector<v1::PhotoUse> uses, bool granted,
                     absl::Time signed_at, bool identifiable = false) {
    v1::RecordConsentRequest r = ConsentRequest(patient_, photos_, signed_at);
    for (v1::PhotoUse use : uses) r.mutable_consent()->add_photo_uses(use);
    r.mutable_consent()->set_identifiable_images_allowed(identifiable);
    if (!granted) {
      r.mutable_consent()->set_decision(v1::CONSENT_DECISION_REFUSED);
    }
    auto consent = client().RecordConsent(r);
    EXPECT_TRUE(consent.ok()) << consent.status();
    return consent.ok() ? *consent : v1::Consent();
  }
  absl::StatusOr<v1::PhotoRelease> Release(const std::string& photo,
                                           v1::PhotoUse purpose,
                                           absl::Time at) {
    return client().ReleasePhoto(ReleaseRequest(photo, purpose, at));
  }
  // Whether CheckPhotoUse allows `use` of `photo` at `at`.
  bool Allowed(const std::string& photo, v1::PhotoUse use, absl::Time at) {
    v1::CheckPhotoUseRequest check;
    check.set_name(photo);
    *check.mutable_at() = ToProtoTime(at);
    auto uses = client().CheckPhotoUse(check);
    EXPECT_TRUE(uses.ok()) << uses.status();
    if (!uses.ok()) return false;
    for (const v1::PhotoUsePermission& p : uses->uses()) {
      if (p.use() == use) return p.allowed();
    }
    ADD_FAILURE() << "no answer for " << v1::PhotoUse_Name(use);
    return false;
  }
  v1::ConsentState StateOf(const v1::Consent& c) {
    v1::GetConsentRequest get;
    get.set_name(c.name());
    auto read = client().GetConsent(get);
    EXPECT_TRUE(read.ok()) << read.status();
    return read.ok() ? read->state() : v1::CONSENT_STATE_UNSPECIFIED;
  }

  TestServer server_;
  std::string patient_, face_, crop_;
  v1::InstructionSet photos_;
};

TEST_F(PhotoUseTest, ClinicalOnlyRefusesPublicationNamingTheMissingUse) {
  Decide({v1::PHOTO_USE_CLINICAL_RECORD}, true, TestNow() - kDay * 10);
  const absl::Time now = TestNow() - kDay;
  EXPECT_TRUE(Allowed(crop_, v1::PHOTO_USE_CLINICAL_RECORD, now));
  auto refused = Release(crop_, v1::PHOTO_USE_EXTERNAL_PUBLICATION, now);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "release.purpose: EXTERNAL_PUBLICATION is not allowed: no "
            "PHOTOGRAPHY consent in force at 2026-11-01T09:00:00Z covers "
            "EXTERNAL_PUBLICATION");
  // A clinical release (to a referring physician, say) is allowed.
  auto clinical = Release(crop_, v1::PHOTO_USE_CLINICAL_RECORD, now);
  EXPECT_TRUE(clinical.ok()) << clinical.status();
}

TEST_F(PhotoUseTest, PublicationConsentAllowsItAndRevokingItKeepsClinical) {
  const v1::Consent clinical =
      Decide({v1::PHOTO_USE_CLINICAL_RECORD}, true, TestNow() - kDay * 10);
  const v1::Consent publication =
      Decide({v1::PHOTO_USE_EXTERNAL_PUBLICATION}, true, TestNow() - kDay * 5);
  EXPECT_EQ(StateOf(clinical), v1::CONSENT_STATE_ACTIVE)
      << "a consent on another use does not supersede it";
  auto released =
      Release(crop_, v1::PHOTO_USE_EXTERNAL_PUBLICATION, TestNow() - kDay * 4);
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(released->consent(), publication.name());
  EXPECT_FALSE(released->identifiable());
  EXPECT_EQ(released->photo_revision_id(), 1);

  v1::RevokeConsentRequest revoke;
  revoke.set_name(publication.name());
  revoke.set_reason("The patient withdrew consent to publication.");
  revoke.set_author("nurse-kim");
  *revoke.mutable_revoke_time() = ToProtoTime(TestNow() - kDay * 2);
  revoke.set_request_id(NewRequestId());
  ASSERT_TRUE(client().RevokeConsent(revoke).ok());

  const absl::Time now = TestNow() - kDay;
  EXPECT_TRUE(Allowed(crop_, v1::PHOTO_USE_CLINICAL_RECORD, now));
  EXPECT_FALSE(Allowed(crop_, v1::PHOTO_USE_EXTERNAL_PUBLICATION, now));
  EXPECT_EQ(
      Release(crop_, v1::PHOTO_USE_EXTERNAL_PUBLICATION, now).status().code(),
      absl::StatusCode::kFailedPrecondition);
  // The release made while it was in force stays on record.
  v1::ListPhotoReleasesRequest list;
  list.set_parent(crop_);
  auto releases = client().ListPhotoReleases(list);
  ASSERT_TRUE(releases.ok()) << releases.status();
  ASSERT_EQ(releases->releases_size(), 1);
  EXPECT_EQ(releases->releases(0).name(), released->name());
  list.set_parent(face_);
  auto none = client().ListPhotoReleases(list);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->releases_size(), 0) << "releases are listed per photo";
}

TEST_F(PhotoUseTest, RefusingPublicationLeavesClinicalPhotographyIntact) {
  const v1::Consent both =
      Decide({v1::PHOTO_USE_CLINICAL_RECORD, v1::PHOTO_USE_INTERNAL_TEACHING},
             true, TestNow() - kDay * 10);
  const v1::Consent refusal =
      Decide({v1::PHOTO_USE_EXTERNAL_PUBLICATION}, false, TestNow() - kDay * 5);
  EXPECT_EQ(StateOf(both), v1::CONSENT_STATE_ACTIVE);
  const absl::Time now = TestNow() - kDay;
  EXPECT_TRUE(Allowed(crop_, v1::PHOTO_USE_CLINICAL_RECORD, now));
  EXPECT_TRUE(Allowed(crop_, v1::PHOTO_USE_INTERNAL_TEACHING, now));
  auto refused = Release(crop_, v1::PHOTO_USE_EXTERNAL_PUBLICATION, now);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(
      absl::StrContains(refused.status().message(),
                        refusal.name() + ") refuses EXTERNAL_PUBLICATION"))
      << refused.status();

  // A later decision on every use it covered supersedes the first one.
  Decide({v1::PHOTO_USE_CLINICAL_RECORD}, true, TestNow() - kDay * 3);
  EXPECT_EQ(StateOf(both), v1::CONSENT_STATE_ACTIVE)
      << "teaching is still decided only by it";
  Decide({v1::PHOTO_USE_INTERNAL_TEACHING}, false, TestNow() - kDay * 2);
  EXPECT_EQ(StateOf(both), v1::CONSENT_STATE_SUPERSEDED);
  EXPECT_TRUE(Allowed(crop_, v1::PHOTO_USE_CLINICAL_RECORD, now));
  EXPECT_FALSE(Allowed(crop_, v1::PHOTO_USE_INTERNAL_TEACHING, now));
}

TEST_F(PhotoUseTest, IdentifiableImagesNeedAConsentAllowingThem) {
  Decide({v1::PHOTO_USE_CLINICAL_RECORD, v1::PHOTO_USE_INTERNAL_TEACHING}, true,
         TestNow() - kDay * 10, /*identifiable=*/false);
  const absl::Time now = TestNow() - kDay * 6;
  auto refused = Release(face_, v1::PHOTO_USE_INTERNAL_TEACHING, now);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.status().message(),
                                "the photo is identifiable"))
      << refused.status();
  EXPECT_TRUE(Release(crop_, v1::PHOTO_USE_INTERNAL_TEACHING, now).ok())
      << "a de-identified photo may be shown";
  EXPECT_TRUE(Release(face_, v1::PHOTO_USE_CLINICAL_RECORD, now).ok())
      << "the clinical record is not limited to de-identified images";

  const v1::Consent identifiable =
      Decide({v1::PHOTO_USE_INTERNAL_TEACHING}, true, TestNow() - kDay * 5,
             /*identifiable=*/true);
  auto allowed =
      Release(face_, v1::PHOTO_USE_INTERNAL_TEACHING, TestNow() - kDay * 4);
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_TRUE(allowed->identifiable());
  EXPECT_EQ(allowed->consent(), identifiable.name());
}

TEST_F(PhotoUseTest, AConsentWithoutUsesCoversTheClinicalRecordAlone) {
  Decide({}, true, TestNow() - kDay * 10);
  const absl::Time now = TestNow() - kDay;
  EXPECT_TRUE(Allowed(crop_, v1::PHOTO_USE_CLINICAL_RECORD, now));
  EXPECT_FALSE(Allowed(crop_, v1::PHOTO_USE_INTERNAL_TEACHING, now));
  EXPECT_FALSE(Allowed(crop_, v1::PHOTO_USE_EXTERNAL_PUBLICATION, now));
}

TEST_F(PhotoUseTest, BadReleasesAndUsesAreRefusedNamingTheField) {
  Decide({v1::PHOTO_USE_CLINICAL_RECORD}, true, TestNow() - kDay * 10);
  v1::ReleasePhotoRequest r =
      ReleaseRequest(crop_, v1::PHOTO_USE_CLINICAL_RECORD, TestNow() - kDay);
  r.mutable_release()->clear_recipient();
  auto no_recipient = client().ReleasePhoto(r);
  EXPECT_EQ(no_recipient.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(no_recipient.status().message(), "release.recipient: required");
  r = ReleaseRequest(crop_, v1::PHOTO_USE_UNSPECIFIED, TestNow() - kDay);
  EXPECT_TRUE(absl::StartsWith(client().ReleasePhoto(r).status().message(),
                               "release.purpose: required"));
  r = ReleaseRequest(crop_, v1::PHOTO_USE_CLINICAL_RECORD,
                     absl::Now() + kDay * 400);
  EXPECT_TRUE(absl::StartsWith(client().ReleasePhoto(r).status().message(),
                               "release.released_at: lies in the future"));

  // Photo uses are decided by PHOTOGRAPHY consents only, each once.
  auto prep = server_.admin_client().PublishInstructionSet(
      InstructionsRequest("c1", "prep", v1::INSTRUCTION_KIND_PREPARATION));
  ASSERT_TRUE(prep.ok()) << prep.status();
  v1::RecordConsentRequest c = ConsentRequest(patient_, *prep, TestNow());
  c.mutable_consent()->add_photo_uses(v1::PHOTO_USE_CLINICAL_RECORD);
  auto wrong_kind = client().RecordConsent(c);
  EXPECT_EQ(wrong_kind.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StartsWith(wrong_kind.status().message(),
                       "consent.photo_uses: only a PHOTOGRAPHY consent"))
      << wrong_kind.status();
  c = ConsentRequest(patient_, photos_, TestNow());
  c.mutable_consent()->add_photo_uses(v1::PHOTO_USE_CLINICAL_RECORD);
  c.mutable_consent()->add_photo_uses(v1::PHOTO_USE_CLINICAL_RECORD);
  EXPECT_EQ(client().RecordConsent(c).status().message(),
            "consent.photo_uses[1]: PHOTO_USE_CLINICAL_RECORD is listed twice");
}

}  // namespace
}  // namespace mnrecords::testing
