#include "security/caller_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace pact::security {

CallerRateLimiter::CallerRateLimiter(double calls_per_second, double burst, std::size_t max_callers)
    : rate_(calls_per_second), burst_(std::max(1.0, burst)), max_callers_(max_callers) {}

void CallerRateLimiter::drop_idle_buckets(Clock::time_point now) {
  // A bucket idle this long is full again: dropping it changes nothing for that caller.
  const auto idle = std::chrono::duration<double>(burst_ / rate_) + std::chrono::seconds(1);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = now - it->second.updated > idle ? buckets_.erase(it) : std::next(it);
  }
  last_sweep_ = now;
}

bool CallerRateLimiter::try_acquire(const std::string& caller_key, Clock::time_point now,
                                    std::chrono::milliseconds& retry_after) {
  if (rate_ <= 0) return true;
  std::lock_guard lock(mutex_);
  if (now - last_sweep_ > std::chrono::minutes(1) || buckets_.size() >= max_callers_) drop_idle_buckets(now);
  auto [it, inserted] = buckets_.try_emplace(caller_key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!inserted) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  retry_after = std::chrono::milliseconds(static_cast<long>(std::ceil((1.0 - bucket.tokens) / rate_ * 1000.0)));
  return false;
}

}  // namespace pact::security
