// mnrec photo add|get|list|pairs, and photo use: release|releases|uses
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "client/cli/value_parsing.h"
#include "google/protobuf/util/time_util.h"

namespace mnrecords {
namespace cli {
namespace {

// ApplyPhotoFlags sets the fields whose flags were given.
absl::Status ApplyPhotoFlags(v1::OutcomePhoto& photo) {
  absl::Status s = SetEnumFlag<v1::PhotoPhase>(
      "phase", FLAGS_phase,
      [&](v1::PhotoPhase phase) { photo.set_phase(phase); });
  if (!s.ok()) return s;
  s = SetTimeFlag("captured_at", FLAGS_captured_at,
                  [&] { return photo.mutable_captured_at(); });
  if (!s.ok()) return s;
  s = SetEnumFlag<v1::PhotoView>(
      "view", FLAGS_view, [&](v1::PhotoView view) { photo.set_view(view); });
  if (!s.ok()) return s;
  if (FlagSpecified("site")) {
    auto site = ParseBodySite("site", absl::GetFlag(FLAGS_site));
    if (!site.ok()) return site.status();
    *photo.mutable_body_site() = *site;
  }
  if (FlagSpecified("identifiable")) {
    photo.set_identifiable(absl::GetFlag(FLAGS_identifiable));
  }
  if (FlagSpecified("capture_device")) {
    photo.set_capture_device(absl::GetFlag(FLAGS_capture_device));
  }
  if (FlagSpecified("storage_uri")) {
    photo.set_storage_uri(absl::GetFlag(FLAGS_storage_uri));
  }
  if (FlagSpecified("image_sha256")) {
    photo.set_image_sha256(absl::GetFlag(FLAGS_image_sha256));
  }
  if (FlagSpecified("byte_size")) {
    photo.set_byte_size(absl::GetFlag(FLAGS_byte_size));
  }
  if (FlagSpecified("media_type")) {
    photo.set_media_type(absl::GetFlag(FLAGS_media_type));
  }
  if (FlagSpecified("width")) photo.set_width_px(absl::GetFlag(FLAGS_width));
  if (FlagSpecified("height")) photo.set_height_px(absl::GetFlag(FLAGS_height));
  if (FlagSpecified("notes")) photo.set_notes(absl::GetFlag(FLAGS_notes));
  return absl::OkStatus();
}

absl::Status Add(const CommandContext& ctx) {
  v1::CreatePhotoRequest request;
  absl::Status s = LoadFromJson(request, "photo");
  if (!s.ok()) return s;
  s = ApplyParentFlag(request, "session", &SessionName);
  if (!s.ok()) return s;
  if (FlagSpecified("id")) request.set_photo_id(absl::GetFlag(FLAGS_id));
  ApplyRequestId(request);
  s = ApplyPhotoFlags(*request.mutable_photo());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.CreatePhoto(request, ctx.call), ctx.json);
}

absl::Status Get(const CommandContext& ctx) {
  if (ctx.args.empty()) {
    return UsageError(
        "photo get needs the photo's name: mnrec photo get "
        "clinics/c/patients/p/courses/k/sessions/s/photos/x");
  }
  v1::GetPhotoRequest request;
  request.set_name(ctx.args[0]);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  return PrintResult(ctx.client.GetPhoto(request, ctx.call), ctx.json);
}

// `mnrec photo pairs [COURSE | --clinic --patient --course]`.
absl::Status Pairs(const CommandContext& ctx) {
  v1::PairCoursePhotosRequest request;
  auto name = NameArg(ctx.args, 0, &CourseName);
  if (!name.ok()) return name.status();
  request.set_name(*name);
  return PrintResult(ctx.client.PairCoursePhotos(request, ctx.call), ctx.json);
}

absl::Status List(const CommandContext& ctx) {
  v1::ListPhotosRequest request;
  absl::Status s = SetParent(request, &SessionName);
  if (!s.ok()) return s;
  s = SetEnumFlag<v1::PhotoPhase>(
      "phase", FLAGS_phase,
      [&](v1::PhotoPhase phase) { request.set_phase(phase); });
  if (!s.ok()) return s;
  return RunList<v1::ListPhotosResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListPhotos(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllPhotos(r, o); },
      [](auto& r) { return r.mutable_photos(); });
}

// PhotoArg is the photo named by the first argument.
absl::StatusOr<std::string> PhotoArg(const CommandContext& ctx,
                                     const char* verb) {
  if (ctx.args.empty()) {
    return UsageError(absl::StrCat(
        "photo ", verb, " needs the photo's name: mnrec photo ", verb,
        " clinics/c/patients/p/courses/k/sessions/s/photos/x"));
  }
  return ctx.args[0];
}

// `mnrec photo release PHOTO --purpose=external_publication
// --recipient=... --released_by=... [--released_at=...] [--notes] [--id]`:
// records that the photo was used; refused unless the patient's consent
// in force allows that use.
absl::Status Release(const CommandContext& ctx) {
  v1::ReleasePhotoRequest request;
  absl::Status s = LoadFromJson(request, "release");
  if (!s.ok()) return s;
  auto photo = PhotoArg(ctx, "release");
  if (!photo.ok()) return photo.status();
  request.set_parent(*photo);
  if (FlagSpecified("id")) request.set_release_id(absl::GetFlag(FLAGS_id));
  ApplyRequestId(request);
  v1::PhotoRelease& release = *request.mutable_release();
  s = SetEnumFlag<v1::PhotoUse>(
      "purpose", FLAGS_purpose,
      [&](v1::PhotoUse use) { release.set_purpose(use); });
  if (!s.ok()) return s;
  if (FlagSpecified("released_at")) {
    s = SetTimeFlag("released_at", FLAGS_released_at,
                    [&] { return release.mutable_released_at(); });
    if (!s.ok()) return s;
  } else if (!release.has_released_at()) {
    *release.mutable_released_at() =
        google::protobuf::util::TimeUtil::GetCurrentTime();
  }
  if (FlagSpecified("released_by")) {
    release.set_released_by(absl::GetFlag(FLAGS_released_by));
  }
  if (FlagSpecified("recipient")) {
    release.set_recipient(absl::GetFlag(FLAGS_recipient));
  }
  if (FlagSpecified("notes")) release.set_notes(absl::GetFlag(FLAGS_notes));
  return PrintResult(ctx.client.ReleasePhoto(request, ctx.call), ctx.json);
}

// `mnrec photo releases PHOTO`: every recorded use of the photo.
absl::Status Releases(const CommandContext& ctx) {
  auto photo = PhotoArg(ctx, "releases");
  if (!photo.ok()) return photo.status();
  v1::ListPhotoReleasesRequest request;
  request.set_parent(*photo);
  return RunList<v1::ListPhotoReleasesResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) { return ctx.client.ListPhotoReleases(r, o); },
      [&](auto r, auto o) { return ctx.client.ListAllPhotoReleases(r, o); },
      [](auto& r) { return r.mutable_releases(); });
}

// `mnrec photo uses PHOTO [--time=...]`: may we use it, for each use.
absl::Status Uses(const CommandContext& ctx) {
  auto photo = PhotoArg(ctx, "uses");
  if (!photo.ok()) return photo.status();
  v1::CheckPhotoUseRequest request;
  request.set_name(*photo);
  absl::Status s =
      SetTimeFlag("time", FLAGS_time, [&] { return request.mutable_at(); });
  if (!s.ok()) return s;
  return PrintResult(ctx.client.CheckPhotoUse(request, ctx.call), ctx.json);
}

}  // namespace

absl::Status RunPhotoCommand(const std::string& verb,
                             const CommandContext& ctx) {
  return Dispatch("photo", verb,
                  {{"add", &Add},
                   {"get", &Get},
                   {"list", &List},
                   {"pairs", &Pairs},
                   {"release", &Release},
                   {"releases", &Releases},
                   {"uses", &Uses}},
                  ctx);
}

}  // namespace cli
}  // namespace mnrecords
