#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "notification_settings.h"
#include "pact/notification/v1/notification.pb.h"
#include "transfer_engine.h"

namespace pact::notification {

// What one attempt's result means for the delivery.
struct AttemptVerdict {
  enum class Kind { delivered, retry, give_up } kind = Kind::retry;
  v1::FailureReason reason = v1::FAILURE_REASON_UNSPECIFIED;
  std::string detail;  // status code or transport error; never message content
  std::optional<std::chrono::milliseconds> retry_after;  // what the receiver asked for
};

// Transient trouble (5xx, 408, 429, SMTP 4xx, timeouts, refused connections) is retried; a
// permanent refusal (other 4xx, redirects, SMTP 5xx) gives up at once: retrying cannot help, and
// routing should re-route now rather than after every retry.
AttemptVerdict judge_attempt(v1::Channel channel, const TransferResult& result);

// Whether a result counts against the endpoint's circuit: trouble reaching it, or an HTTP endpoint
// answering 5xx. An answer about one message or one recipient (4xx, an SMTP relay's 4xx/5xx for a
// greylisted or unknown mailbox) proves the endpoint alive and must not stop everyone's mail.
bool endpoint_failed(v1::Channel channel, const TransferResult& result);

// The pause before the next attempt after `attempts_made` failures: exponential from first_retry,
// capped at max_retry, "equal jitter" (half fixed, half random from `unit_random` in [0, 1)) so that
// a recovering endpoint is not hit by every sender at the same instant. A receiver's Retry-After is
// honoured up to max_retry.
std::chrono::milliseconds retry_delay(const DeliveryPolicy& policy, std::uint32_t attempts_made, double unit_random,
                                      std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

}  // namespace pact::notification
