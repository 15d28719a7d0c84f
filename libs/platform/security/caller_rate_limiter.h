#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace pact::security {

// A token bucket per caller (subject + organisation), so one misbehaving client (a retry loop, a
// stuck script) is slowed down with RESOURCE_EXHAUSTED while everyone else keeps working during a
// surge. Buckets of callers idle for a minute are dropped, so memory follows the active callers.
class CallerRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // calls_per_second <= 0 disables limiting.
  CallerRateLimiter(double calls_per_second, double burst, std::size_t max_callers = 100000);

  // True when the caller may make one more call now; otherwise `retry_after` says when to try.
  bool try_acquire(const std::string& caller_key, Clock::time_point now, std::chrono::milliseconds& retry_after);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  void drop_idle_buckets(Clock::time_point now);

  double rate_;
  double burst_;
  std::size_t max_callers_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  Clock::time_point last_sweep_{};
};

}  // namespace pact::security
