#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace pactload {

// Issues one call; must invoke `done(ok)` exactly once, from any thread, when the answer arrives.
using CallStarter = std::function<void(std::uint64_t sequence, std::function<void(bool ok)> done)>;

struct LoadOptions {
  std::chrono::milliseconds duration{10000};
  std::chrono::milliseconds warmup{1000};  // calls finishing in the warm-up are not counted
  int concurrency = 64;                    // calls in flight at most
  double rate = 0;                         // calls per second; 0 = as fast as the concurrency allows
  std::uint64_t max_calls = 0;             // stop issuing after this many calls (0 = until the deadline)
};

struct LoadReport {
  std::uint64_t ok = 0;
  std::uint64_t errors = 0;
  std::uint64_t not_sent = 0;  // rate mode: a call was due but `concurrency` were already in flight
  double seconds = 0;
  std::vector<double> latencies_ms;  // of the counted ok calls, sorted
  double throughput() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
  double percentile(double q) const;
};

// Drives a target closed-loop (a fixed number of calls in flight, each answered call starting the
// next) or open-loop at a fixed rate, and records every latency. Bounded in count and time: it
// stops issuing at the deadline and waits for what is in flight.
class LoadRunner {
 public:
  LoadRunner(LoadOptions options, CallStarter start_call);
  LoadReport run();

 private:
  void issue();
  bool may_issue() const;
  void finished(std::chrono::steady_clock::time_point started, bool ok);

  LoadOptions options_;
  CallStarter start_call_;
  std::chrono::steady_clock::time_point measure_from_;
  std::chrono::steady_clock::time_point deadline_;
  std::atomic<std::uint64_t> sequence_{0};
  std::atomic<int> in_flight_{0};
  std::mutex mutex_;
  LoadReport report_;
};

std::string format_report(const std::string& label, const LoadReport& report);

}  // namespace pactload
