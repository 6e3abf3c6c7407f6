// mnrec instructions publish|get|list|revisions|complete|provision-defaults
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/cli/cli_status.h"
#include "client/cli/commands.h"
#include "client/cli/names.h"
#include "client/cli/request_flags.h"
#include "plugins/microneedling_protocol/default_instructions.h"

namespace mnrecords {
namespace cli {
namespace {

absl::StatusOr<std::string> SetNameArg(const CommandContext& ctx) {
  if (!ctx.args.empty()) return ctx.args[0];
  return InstructionSetName("instruction_set",
                            absl::GetFlag(FLAGS_instruction_set));
}

// ApplyInstructionSetFlags sets the fields whose flags were given.
absl::Status ApplyInstructionSetFlags(v1::InstructionSet& set) {
  absl::Status s = ApplyKindFlag(set);
  if (!s.ok()) return s;
  if (FlagSpecified("title")) set.set_title(absl::GetFlag(FLAGS_title));
  if (FlagSpecified("item")) {
    set.clear_items();
    for (const auto& text : absl::GetFlag(FLAGS_item)) {
      set.add_items()->set_text(text);
    }
  }
  s = SetTimeFlag("effective_time", FLAGS_effective_time,
                  [&] { return set.mutable_effective_time(); });
  if (!s.ok()) return s;
  if (FlagSpecified("published_by")) {
    set.set_published_by(absl::GetFlag(FLAGS_published_by));
  }
  return absl::OkStatus();
}

absl::Status Publish(const CommandContext& ctx) {
  v1::PublishInstructionSetRequest request;
  absl::Status s = LoadFromJson(request, "instruction_set");
  if (!s.ok()) return s;
  s = ApplyParentFlag(request, "clinic", &ClinicName);
  if (!s.ok()) return s;
  if (FlagSpecified("id")) {
    request.set_instruction_set_id(absl::GetFlag(FLAGS_id));
  }
  if (request.instruction_set_id().empty()) {
    return UsageError(
        "--id is required: the instruction set's id, e.g. "
        "--id=aftercare-standard");
  }
  ApplyRequestId(request);
  s = ApplyInstructionSetFlags(*request.mutable_instruction_set());
  if (!s.ok()) return s;
  return PrintResult(ctx.client.PublishInstructionSet(request, ctx.call),
                     ctx.json);
}

absl::Status Get(const CommandContext& ctx) {
  v1::GetInstructionSetRequest request;
  auto name = SetNameArg(ctx);
  if (!name.ok()) return name.status();
  request.set_name(*name);
  request.set_revision_id(absl::GetFlag(FLAGS_revision));
  return PrintResult(ctx.client.GetInstructionSet(request, ctx.call), ctx.json);
}

absl::Status List(const CommandContext& ctx) {
  v1::ListInstructionSetsRequest request;
  absl::Status s = SetParent(request, &ClinicName);
  if (!s.ok()) return s;
  s = ApplyKindFlag(request);
  if (!s.ok()) return s;
  return RunList<v1::ListInstructionSetsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) {
        return ctx.client.ListInstructionSets(r, o);
      },
      [&](auto r, auto o) { return ctx.client.ListAllInstructionSets(r, o); },
      [](auto& r) { return r.mutable_instruction_sets(); });
}

absl::Status Revisions(const CommandContext& ctx) {
  v1::ListInstructionSetRevisionsRequest request;
  auto name = SetNameArg(ctx);
  if (!name.ok()) return name.status();
  request.set_name(*name);
  return RunList<v1::ListInstructionSetRevisionsResponse>(
      ctx, std::move(request),
      [&](const auto& r, auto o) {
        return ctx.client.ListInstructionSetRevisions(r, o);
      },
      [&](auto r, auto o) {
        return ctx.client.ListAllInstructionSetRevisions(r, o);
      },
      [](auto& r) { return r.mutable_instruction_sets(); });
}

// `mnrec instructions complete NAME --section=S --wording=TEXT
// --published_by=WHO` publishes the next revision of NAME with the
// clinic_wording_required items of section S replaced by one item holding
// TEXT (still marked, so the section stays the clinic's). This is how a
// clinic completes a template such as the default PROCEDURE text, one
// section at a time; every other item is kept as it is.
absl::Status Complete(const CommandContext& ctx) {
  auto name = SetNameArg(ctx);
  if (!name.ok()) return name.status();
  const std::string section = absl::GetFlag(FLAGS_section);
  if (section.empty() || !FlagSpecified("wording") ||
      !FlagSpecified("published_by")) {
    return UsageError(
        "--section, --wording and --published_by are required: the section "
        "to word, the clinic's text for it and who publishes it");
  }
  v1::GetInstructionSetRequest get;
  get.set_name(*name);
  auto current = ctx.client.GetInstructionSet(get, ctx.call);
  if (!current.ok()) return current.status();

  v1::InstructionSet next;
  next.set_kind(current->kind());
  next.set_title(current->title());
  next.set_published_by(absl::GetFlag(FLAGS_published_by));
  bool replaced = false;
  std::vector<std::string> clinic_sections;
  for (const v1::InstructionItem& item : current->items()) {
    if (!item.clinic_wording_required()) {
      *next.add_items() = item;
      continue;
    }
    clinic_sections.push_back(item.section());
    if (item.section() != section) {
      *next.add_items() = item;
    } else if (!replaced) {
      v1::InstructionItem* worded = next.add_items();
      worded->set_section(section);
      worded->set_clinic_wording_required(true);
      worded->set_text(absl::GetFlag(FLAGS_wording));
      replaced = true;
    }
  }
  if (!replaced) {
    return absl::InvalidArgumentError(absl::StrCat(
        "section: ", *name, " has no section \"", section,
        "\" for the clinic to word",
        clinic_sections.empty()
            ? ""
            : absl::StrCat("; its clinic-worded sections are \"",
                           absl::StrJoin(clinic_sections, "\", \""), "\"")));
  }
  v1::PublishInstructionSetRequest request;
  const size_t cut = name->rfind("/instructionSets/");
  if (cut == std::string::npos) {
    return UsageError(absl::StrCat(*name,
                                   " is not an instruction set name "
                                   "(clinics/{clinic}/instructionSets/{id})"));
  }
  request.set_parent(name->substr(0, cut));
  request.set_instruction_set_id(
      name->substr(cut + std::string("/instructionSets/").size()));
  *request.mutable_instruction_set() = std::move(next);
  ApplyRequestId(request);
  return PrintResult(ctx.client.PublishInstructionSet(request, ctx.call),
                     ctx.json);
}

// `mnrec instructions provision-defaults --clinic=C --published_by=WHO
// [--kind=K]` publishes the microneedling-protocol plugin's default texts
// (only those of kind K if given) through PublishInstructionSet, each under
// its id, unless the clinic already has a set with that id (its own text is
// never replaced). Safe to rerun.
absl::Status ProvisionDefaults(const CommandContext& ctx) {
  auto parent = ClinicName();
  if (!parent.ok()) return parent.status();
  if (!FlagSpecified("published_by")) {
    return UsageError("--published_by is required: who provisions the texts");
  }
  v1::InstructionSet wanted;
  absl::Status kind = ApplyKindFlag(wanted);
  if (!kind.ok()) return kind;
  for (const auto& set :
       plugins::microneedling_protocol::DefaultInstructionSets()) {
    if (wanted.kind() != v1::INSTRUCTION_KIND_UNSPECIFIED &&
        wanted.kind() != set.content.kind()) {
      continue;
    }
    v1::GetInstructionSetRequest get;
    get.set_name(absl::StrCat(*parent, "/instructionSets/", set.id));
    auto existing = ctx.client.GetInstructionSet(get, ctx.call);
    if (existing.ok()) {
      std::cout << get.name() << ": kept (revision " << existing->revision_id()
                << " exists)\n";
      continue;
    }
    if (!absl::IsNotFound(existing.status())) return existing.status();
    v1::PublishInstructionSetRequest request;
    request.set_parent(*parent);
    request.set_instruction_set_id(set.id);
    *request.mutable_instruction_set() = set.content;
    request.mutable_instruction_set()->set_published_by(
        absl::GetFlag(FLAGS_published_by));
    ApplyRequestId(request);
    auto published = ctx.client.PublishInstructionSet(request, ctx.call);
    if (!published.ok()) return published.status();
    std::cout << published->name() << ": published revision "
              << published->revision_id() << " sha256 "
              << published->content_sha256() << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunInstructionsCommand(const std::string& verb,
                                    const CommandContext& ctx) {
  return Dispatch("instructions", verb,
                  {{"publish", &Publish},
                   {"get", &Get},
                   {"list", &List},
                   {"revisions", &Revisions},
                   {"complete", &Complete},
                   {"provision-defaults", &ProvisionDefaults}},
                  ctx);
}

}  // namespace cli
}  // namespace mnrecords
