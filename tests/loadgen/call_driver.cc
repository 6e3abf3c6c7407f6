#include "tests/loadgen/call_driver.h"

#include <sys/resource.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace mnrecords::loadgen {
namespace {

using Clock = std::chrono::steady_clock;

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Slot: one closed loop. Only its own completion callback touches it, and
// completions of one slot are sequential, so it needs no lock.
struct Slot {
  int index = 0;
  std::mt19937_64 rng;
  std::unique_ptr<grpc::ClientContext> context;
  std::vector<KindResult> results;  // per kind, merged at the end
};

class Loop {
 public:
  Loop(const std::vector<WeightedKind>& mix, const DriverOptions& options)
      : mix_(mix), options_(options) {
    int total = 0;
    for (const WeightedKind& k : mix_) {
      total += k.weight;
      cumulative_.push_back(total);
    }
    slots_.resize(static_cast<size_t>(options_.in_flight));
    for (size_t i = 0; i < slots_.size(); ++i) {
      slots_[i].index = static_cast<int>(i);
      slots_[i].rng.seed(options_.seed * 1000003 + i);
      slots_[i].results.resize(mix_.size());
    }
  }

  DriverResult RunAll() {
    const auto now = Clock::now();
    measure_start_ = now + ToChrono(options_.warmup);
    end_ = measure_start_ + ToChrono(options_.duration);
    outstanding_ = static_cast<int>(slots_.size());
    for (Slot& slot : slots_) Issue(slot);

    double cpu_start = 0;
    std::this_thread::sleep_until(measure_start_);
    cpu_start = ProcessCpuSeconds();
    std::this_thread::sleep_until(end_);
    const double cpu = ProcessCpuSeconds() - cpu_start;
    {
      std::unique_lock<std::mutex> lock(mu_);
      all_done_.wait(lock, [this] { return outstanding_ == 0; });
    }

    DriverResult result;
    result.measured = options_.duration;
    result.client_cpu_seconds = cpu;
    result.kinds.resize(mix_.size());
    for (size_t k = 0; k < mix_.size(); ++k) {
      KindResult& merged = result.kinds[k];
      merged.name = mix_[k].kind->name();
      for (Slot& slot : slots_) {
        KindResult& r = slot.results[k];
        merged.ok += r.ok;
        for (const auto& [code, n] : r.errors) merged.errors[code] += n;
        for (const auto& [code, m] : r.samples) merged.samples[code] = m;
        merged.latencies_ns.insert(merged.latencies_ns.end(),
                                   r.latencies_ns.begin(),
                                   r.latencies_ns.end());
      }
    }
    return result;
  }

 private:
  static Clock::duration ToChrono(absl::Duration d) {
    return std::chrono::duration_cast<Clock::duration>(
        absl::ToChronoNanoseconds(d));
  }

  size_t PickKind(Slot& slot) {
    const int total = cumulative_.back();
    const int r = static_cast<int>(slot.rng() % static_cast<uint64_t>(total));
    for (size_t k = 0; k < cumulative_.size(); ++k) {
      if (r < cumulative_[k]) return k;
    }
    return cumulative_.size() - 1;
  }

  void Issue(Slot& slot) {
    size_t k = PickKind(slot);
    if (CallKind* instead = mix_[k].kind->Instead(slot.index)) {
      for (size_t i = 0; i < mix_.size(); ++i) {
        if (mix_[i].kind == instead) k = i;
      }
    }
    slot.context = std::make_unique<grpc::ClientContext>();
    slot.context->set_deadline(std::chrono::system_clock::now() +
                               absl::ToChronoNanoseconds(options_.deadline));
    const auto start = Clock::now();
    mix_[k].kind->Start(slot.context.get(), slot.index, slot.rng,
                        [this, &slot, k, start](const grpc::Status& status) {
                          Complete(slot, k, start, status);
                        });
  }

  void Complete(Slot& slot, size_t k, Clock::time_point start,
                const grpc::Status& status) {
    const auto end = Clock::now();
    if (start >= measure_start_ && end <= end_) {
      KindResult& r = slot.results[k];
      if (status.ok()) {
        ++r.ok;
        r.latencies_ns.push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(end - start)
                .count());
      } else {
        const int code = static_cast<int>(status.error_code());
        ++r.errors[code];
        r.samples[code] = status.error_message();
      }
    }
    if (end < end_) {
      Issue(slot);
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (--outstanding_ == 0) all_done_.notify_all();
  }

  const std::vector<WeightedKind>& mix_;
  const DriverOptions& options_;
  std::vector<int> cumulative_;
  std::vector<Slot> slots_;
  Clock::time_point measure_start_;
  Clock::time_point end_;
  std::mutex mu_;
  std::condition_variable all_done_;
  int outstanding_ = 0;
};

}  // namespace

DriverResult Run(const std::vector<WeightedKind>& mix,
                 const DriverOptions& options) {
  Loop loop(mix, options);
  return loop.RunAll();
}

}  // namespace mnrecords::loadgen
