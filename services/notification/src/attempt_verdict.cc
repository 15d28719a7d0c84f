#include "attempt_verdict.h"

#include <algorithm>
#include <cmath>

namespace pact::notification {
namespace {

AttemptVerdict verdict(AttemptVerdict::Kind kind, v1::FailureReason reason, std::string detail) {
  AttemptVerdict out;
  out.kind = kind;
  out.reason = reason;
  out.detail = std::move(detail);
  return out;
}

AttemptVerdict judge_http(const TransferResult& result) {
  const long status = result.status;
  const std::string detail = "HTTP " + std::to_string(status);
  if (status >= 200 && status < 300) return verdict(AttemptVerdict::Kind::delivered, v1::FAILURE_REASON_UNSPECIFIED, detail);
  if (status >= 500 || status == 408 || status == 425 || status == 429) {
    auto out = verdict(AttemptVerdict::Kind::retry, v1::FAILURE_REASON_RECEIVER_ERROR, detail);
    if (result.retry_after) out.retry_after = std::chrono::duration_cast<std::chrono::milliseconds>(*result.retry_after);
    return out;
  }
  if (status >= 300 && status < 400) {
    return verdict(AttemptVerdict::Kind::give_up, v1::FAILURE_REASON_REJECTED, detail + " (redirects are not followed)");
  }
  return verdict(AttemptVerdict::Kind::give_up, v1::FAILURE_REASON_REJECTED, detail);
}

AttemptVerdict judge_smtp(const TransferResult& result) {
  const long code = result.status;
  const std::string detail = "SMTP " + std::to_string(code) + (result.detail.empty() ? "" : " " + result.detail);
  if (result.outcome == TransferResult::Outcome::answered && code >= 200 && code < 400) {
    return verdict(AttemptVerdict::Kind::delivered, v1::FAILURE_REASON_UNSPECIFIED, detail);
  }
  if (code >= 500) return verdict(AttemptVerdict::Kind::give_up, v1::FAILURE_REASON_REJECTED, detail);
  return verdict(AttemptVerdict::Kind::retry, v1::FAILURE_REASON_RECEIVER_ERROR, detail);
}

}  // namespace

AttemptVerdict judge_attempt(v1::Channel channel, const TransferResult& result) {
  switch (result.outcome) {
    case TransferResult::Outcome::timed_out:
      return verdict(AttemptVerdict::Kind::retry, v1::FAILURE_REASON_TIMEOUT, result.detail);
    case TransferResult::Outcome::unreachable:
      return verdict(AttemptVerdict::Kind::retry, v1::FAILURE_REASON_UNREACHABLE, result.detail);
    case TransferResult::Outcome::answered:
    case TransferResult::Outcome::failed:
      break;
  }
  if (channel == v1::CHANNEL_EMAIL) return judge_smtp(result);
  if (result.outcome == TransferResult::Outcome::failed) {
    return verdict(AttemptVerdict::Kind::retry, v1::FAILURE_REASON_RECEIVER_ERROR, result.detail);
  }
  return judge_http(result);
}

bool endpoint_failed(v1::Channel channel, const TransferResult& result) {
  if (result.outcome != TransferResult::Outcome::answered) return true;
  if (channel == v1::CHANNEL_EMAIL) return result.status == 421;  // the relay itself is going away
  return result.status >= 500;
}

std::chrono::milliseconds retry_delay(const DeliveryPolicy& policy, std::uint32_t attempts_made, double unit_random,
                                      std::optional<std::chrono::milliseconds> retry_after) {
  const double first = static_cast<double>(policy.first_retry.count());
  const double cap = static_cast<double>(policy.max_retry.count());
  const double exponent = static_cast<double>(std::min<std::uint32_t>(attempts_made == 0 ? 0 : attempts_made - 1, 40));
  const double full = std::min(cap, first * std::pow(2.0, exponent));
  const double jittered = full / 2 + full / 2 * std::clamp(unit_random, 0.0, 1.0);
  auto delay = std::chrono::milliseconds(static_cast<std::int64_t>(jittered));
  if (retry_after) delay = std::max(delay, std::min(*retry_after, policy.max_retry));
  return delay;
}

}  // namespace pact::notification
