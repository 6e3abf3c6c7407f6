#include "tools/migrate/progress.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace mnrecords::migrate {

std::string HumanBytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? absl::StrFormat("%.0f %s", bytes, units[unit])
                   : absl::StrFormat("%.1f %s", bytes, units[unit]);
}

Progress::Progress(std::string phase, int64_t total_rows, ProgressSink sink)
    : phase_(std::move(phase)),
      total_rows_(total_rows),
      sink_(std::move(sink)),
      next_line_(start_ + sink_.interval),
      last_line_(start_) {}

void Progress::Add(int64_t rows, int64_t bytes) {
  rows_ += rows;
  bytes_ += bytes;
  if (!sink_) return;
  const absl::Time now = absl::Now();
  if (now < next_line_) return;
  next_line_ = now + sink_.interval;
  sink_.report(Line(false, now), /*final=*/false);
}

void Progress::Finish() {
  if (sink_) sink_.report(Line(true, absl::Now()), /*final=*/true);
}

std::string Progress::Line(bool done, absl::Time now) {
  const double seconds = absl::ToDoubleSeconds(now - start_);
  const double per_second = seconds > 0 ? 1 / seconds : 0;
  std::string of;
  if (total_rows_ > 0) {
    of = absl::StrFormat(
        " of %d (%.1f%%)", total_rows_,
        100.0 * static_cast<double>(rows_) / static_cast<double>(total_rows_));
  }
  std::string line = absl::StrFormat("%s: %s%d rows%s", phase_,
                                     done ? "done, " : "", rows_, of);
  if (bytes_ > 0) {
    absl::StrAppend(&line, ", ", HumanBytes(static_cast<double>(bytes_)));
  }
  absl::StrAppendFormat(&line, " in %.1f s; %.0f rows/s", seconds,
                        static_cast<double>(rows_) * per_second);
  if (bytes_ > 0) {
    absl::StrAppend(&line, ", ",
                    HumanBytes(static_cast<double>(bytes_) * per_second), "/s");
  }
  if (!done) {
    const double since = absl::ToDoubleSeconds(now - last_line_);
    absl::StrAppendFormat(
        &line, " (%.0f rows/s since the last line)",
        since > 0 ? static_cast<double>(rows_ - last_line_rows_) / since : 0);
  }
  last_line_ = now;
  last_line_rows_ = rows_;
  return line;
}

}  // namespace mnrecords::migrate
