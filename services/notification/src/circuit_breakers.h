#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace pact::notification {

// One circuit breaker per endpoint, so a dead receiver costs its own messages a wait and nothing
// else: after `failures_to_open` consecutive failures the circuit opens and attempts to that
// endpoint fail at once without touching the network (reason CIRCUIT_OPEN, the attempt counts, so a
// dead endpoint's messages still reach their dead letter in bounded time and routing hears of it);
// after `open_for` one trial attempt goes through (half-open); its success closes the circuit, its
// failure opens it again.
class CircuitBreakers {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { closed, open, half_open };

  CircuitBreakers(std::uint32_t failures_to_open, std::chrono::milliseconds open_for)
      : failures_to_open_(failures_to_open), open_for_(open_for) {}

  // How many of `wanted` attempts may go to the endpoint now: all while closed, one trial when
  // half-open and none is out, none while open (the rest fail fast). A trial given out is recorded.
  std::size_t admit(const std::string& endpoint, std::size_t wanted, Clock::time_point now);
  // The result of an admitted attempt (a failure is a transport failure or a retryable answer).
  void record(const std::string& endpoint, bool succeeded, Clock::time_point now);

  State state(const std::string& endpoint, Clock::time_point now) const;
  std::uint64_t times_opened() const;

 private:
  struct Circuit {
    std::uint32_t consecutive_failures = 0;
    bool open = false;
    Clock::time_point open_until{};
    bool trial_out = false;
    Clock::time_point trial_until{};  // a trial never recorded (nothing was claimed) expires
  };

  const std::uint32_t failures_to_open_;
  const std::chrono::milliseconds open_for_;
  mutable std::mutex mutex_;
  std::map<std::string, Circuit> circuits_;
  std::uint64_t times_opened_ = 0;
};

}  // namespace pact::notification
