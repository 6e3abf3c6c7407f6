#include "server/app/database_probe.h"

#include <utility>

namespace mnrecords {

DatabaseProbe::DatabaseProbe(Store& store, absl::Duration interval,
                             std::function<void(bool)> on_change)
    : store_(store),
      interval_(interval),
      on_change_(std::move(on_change)),
      thread_([this] { Loop(); }) {}

DatabaseProbe::~DatabaseProbe() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

void DatabaseProbe::Loop() {
  bool reachable = true;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stop_), interval_);
      if (stop_) return;
    }
    const bool now =
        store_.Read([](ReadTxn&) { return absl::OkStatus(); }).ok();
    if (now != reachable) {
      reachable = now;
      on_change_(reachable);
    }
  }
}

}  // namespace mnrecords
