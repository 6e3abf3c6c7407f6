#include "tools/migrate/stream_compare.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"

namespace mnrecords::migrate {
namespace {

// Side is one stream with its current row and a check of its order.
class Side {
 public:
  Side(RowSource& rows, const StreamSpec& spec, const char* name,
       const std::function<void(const Row&)>& observe)
      : rows_(rows), spec_(spec), name_(name), observe_(observe) {}

  // Advance reads the next row; a row not after the one before is an
  // error of the stream's order (the merge would be meaningless).
  absl::Status Advance() {
    if (has_row_) previous_ = std::move(row_);
    MNR_ASSIGN_OR_RETURN(has_row_, rows_.Next(row_));
    if (!has_row_) return absl::OkStatus();
    ++count_;
    if (count_ > 1 && CompareKeys(previous_, row_, spec_.key_columns) >= 0) {
      return absl::InternalError(absl::StrCat(
          "the ", name_, " rows are not in key order: ", spec_.describe(row_),
          " comes after ", spec_.describe(previous_)));
    }
    if (observe_) observe_(row_);
    return absl::OkStatus();
  }

  bool has_row() const { return has_row_; }
  const Row& row() const { return row_; }
  int64_t count() const { return count_; }

 private:
  RowSource& rows_;
  const StreamSpec& spec_;
  const char* name_;
  const std::function<void(const Row&)>& observe_;
  Row row_;
  Row previous_;
  bool has_row_ = false;
  int64_t count_ = 0;
};

std::string Differences(const StreamSpec& spec, const Row& s, const Row& t) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    if (s[i] == t[i]) continue;
    parts.push_back(
        absl::StrCat(spec.columns[i], " is ", FormatValue(s[i], spec.types[i]),
                     " in the source but ", FormatValue(t[i], spec.types[i]),
                     " on the target"));
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace

absl::StatusOr<StreamResult> CompareStreams(const StreamSpec& spec,
                                            RowSource& source,
                                            RowSource& target, int max_problems,
                                            Progress* progress) {
  StreamResult out;
  auto problem = [&](std::string text) {
    ++out.differences;
    if (static_cast<int>(out.problems.size()) < max_problems) {
      out.problems.push_back(std::move(text));
    }
  };
  Side s(source, spec, "source", spec.on_source_row);
  Side t(target, spec, "target", spec.on_target_row);
  MNR_RETURN_IF_ERROR(s.Advance());
  MNR_RETURN_IF_ERROR(t.Advance());
  while (s.has_row() || t.has_row()) {
    const int order = !s.has_row() ? 1
                      : !t.has_row()
                          ? -1
                          : CompareKeys(s.row(), t.row(), spec.key_columns);
    if (order < 0) {
      problem(
          absl::StrCat(spec.describe(s.row()), " is missing on the target"));
    } else if (order > 0) {
      problem(absl::StrCat(spec.describe(t.row()),
                           " is on the target but not in the source"));
    } else if (s.row() != t.row()) {
      problem(absl::StrCat(spec.describe(s.row()),
                           " differs: ", Differences(spec, s.row(), t.row())));
    }
    if (order <= 0) {
      if (progress != nullptr) progress->Add(1, 0);
      MNR_RETURN_IF_ERROR(s.Advance());
    }
    if (order >= 0) MNR_RETURN_IF_ERROR(t.Advance());
  }
  out.source_rows = s.count();
  out.target_rows = t.count();
  if (out.differences > static_cast<int64_t>(out.problems.size())) {
    out.problems.push_back(absl::StrCat(
        "... and ", out.differences - out.problems.size(), " more"));
  }
  return out;
}

}  // namespace mnrecords::migrate
