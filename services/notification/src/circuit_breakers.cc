#include "circuit_breakers.h"

namespace pact::notification {

std::size_t CircuitBreakers::admit(const std::string& endpoint, std::size_t wanted, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Circuit& circuit = circuits_[endpoint];
  if (!circuit.open) return wanted;
  if (now < circuit.open_until || wanted == 0) return 0;
  // A trial given out but never recorded (another replica took the work, nothing was due) must not
  // keep the circuit shut for good: it lapses after another open period.
  if (circuit.trial_out && now < circuit.trial_until) return 0;
  circuit.trial_out = true;
  circuit.trial_until = now + open_for_;
  return 1;
}

void CircuitBreakers::record(const std::string& endpoint, bool succeeded, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  Circuit& circuit = circuits_[endpoint];
  if (succeeded) {
    circuit = Circuit{};
    return;
  }
  ++circuit.consecutive_failures;
  const bool trial_failed = circuit.open && circuit.trial_out;
  if (trial_failed || (!circuit.open && circuit.consecutive_failures >= failures_to_open_)) {
    if (!circuit.open) ++times_opened_;
    circuit.open = true;
    circuit.trial_out = false;
    circuit.open_until = now + open_for_;
  }
}

CircuitBreakers::State CircuitBreakers::state(const std::string& endpoint, Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  auto found = circuits_.find(endpoint);
  if (found == circuits_.end() || !found->second.open) return State::closed;
  return now < found->second.open_until ? State::open : State::half_open;
}

std::uint64_t CircuitBreakers::times_opened() const {
  std::lock_guard lock(mutex_);
  return times_opened_;
}

}  // namespace pact::notification
