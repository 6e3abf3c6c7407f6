// Progress lines for a long phase of mnrecords_migrate: rows and bytes so
// far, of how many, the average rates and the rate since the line before,
// at most one line every few seconds plus one when the phase ends.
#ifndef MNRECORDS_TOOLS_MIGRATE_PROGRESS_H_
#define MNRECORDS_TOOLS_MIGRATE_PROGRESS_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace mnrecords::migrate {

// ProgressSink receives the lines (without a newline). An empty `report`
// reports nothing.
struct ProgressSink {
  // `final` marks a phase's summary line; any other line is an update the
  // next one supersedes (a terminal may rewrite it in place).
  std::function<void(const std::string& line, bool final)> report;
  // At most one update per interval.
  absl::Duration interval = absl::Seconds(5);
  explicit operator bool() const { return static_cast<bool>(report); }
};

class Progress {
 public:
  // `phase` names the work ("copy records+revisions"); `total_rows` is how
  // many rows it has in all (0 = unknown).
  Progress(std::string phase, int64_t total_rows, ProgressSink sink);

  // Add counts rows and bytes done and prints a line when one is due.
  void Add(int64_t rows, int64_t bytes);
  // Finish prints the phase's summary line.
  void Finish();

  int64_t rows() const { return rows_; }
  int64_t bytes() const { return bytes_; }
  absl::Duration elapsed() const { return absl::Now() - start_; }

 private:
  std::string Line(bool done, absl::Time now);

  const std::string phase_;
  const int64_t total_rows_;
  const ProgressSink sink_;
  const absl::Time start_ = absl::Now();
  absl::Time next_line_;
  absl::Time last_line_;        // when the last line was printed
  int64_t last_line_rows_ = 0;  // rows done then
  int64_t rows_ = 0;
  int64_t bytes_ = 0;
};

// HumanBytes renders a byte count as "12.3 MiB".
std::string HumanBytes(double bytes);

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_PROGRESS_H_
