// mnrec photo add|get|list
#include "absl/flags/flag.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "client/cli/value_parsing.h"

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

}  // namespace

absl::Status RunPhotoCommand(const std::string& verb,
                             const CommandContext& ctx) {
  return Dispatch(
      "photo", verb,
      {{"add", &Add}, {"get", &Get}, {"list", &List}, {"pairs", &Pairs}}, ctx);
}

}  // namespace cli
}  // namespace mnrecords
