// Clock: where the server gets "now", injectable so tests control time.
#ifndef MNRECORDS_COMMON_CLOCK_H_
#define MNRECORDS_COMMON_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace mnrecords {

// Clock returns the current time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// SystemClock is the wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// FakeClock is a settable clock for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time t) : now_us_(absl::ToUnixMicros(t)) {}
  absl::Time Now() const override {
    return absl::FromUnixMicros(now_us_.load());
  }
  void Set(absl::Time t) { now_us_.store(absl::ToUnixMicros(t)); }
  void Advance(absl::Duration d) {
    now_us_.fetch_add(absl::ToInt64Microseconds(d));
  }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_COMMON_CLOCK_H_
