// Unit tests of notification's delivery rules: what an attempt's result means, how long to wait,
// when an endpoint's circuit opens, tokens, endpoints and the ack page's HTML.
#include <gtest/gtest.h>

#include "ack_page.h"
#include "ack_token.h"
#include "attempt_verdict.h"
#include "circuit_breakers.h"
#include "delivery_planner.h"

namespace pact::notification {
namespace {

using namespace std::chrono_literals;

TransferResult answered(long status) {
  TransferResult result;
  result.outcome = TransferResult::Outcome::answered;
  result.status = status;
  return result;
}

TEST(AttemptVerdict, SuccessIsDeliveredTransientTroubleIsRetriedRefusalGivesUp) {
  EXPECT_EQ(judge_attempt(v1::CHANNEL_WEBHOOK, answered(204)).kind, AttemptVerdict::Kind::delivered);
  for (long status : {500L, 502L, 503L, 408L, 429L}) {
    auto verdict = judge_attempt(v1::CHANNEL_WEBHOOK, answered(status));
    EXPECT_EQ(verdict.kind, AttemptVerdict::Kind::retry) << status;
    EXPECT_EQ(verdict.reason, v1::FAILURE_REASON_RECEIVER_ERROR);
  }
  for (long status : {400L, 401L, 404L, 410L, 301L}) {
    auto verdict = judge_attempt(v1::CHANNEL_WEBHOOK, answered(status));
    EXPECT_EQ(verdict.kind, AttemptVerdict::Kind::give_up) << status;
    EXPECT_EQ(verdict.reason, v1::FAILURE_REASON_REJECTED);
  }
  TransferResult timeout;
  timeout.outcome = TransferResult::Outcome::timed_out;
  EXPECT_EQ(judge_attempt(v1::CHANNEL_WEBHOOK, timeout).reason, v1::FAILURE_REASON_TIMEOUT);
  TransferResult refused;
  refused.outcome = TransferResult::Outcome::unreachable;
  EXPECT_EQ(judge_attempt(v1::CHANNEL_SMS, refused).reason, v1::FAILURE_REASON_UNREACHABLE);
}

TEST(AttemptVerdict, SmtpFourHundredsAreRetriedFiveHundredsRefused) {
  EXPECT_EQ(judge_attempt(v1::CHANNEL_EMAIL, answered(250)).kind, AttemptVerdict::Kind::delivered);
  TransferResult busy;
  busy.outcome = TransferResult::Outcome::answered;
  busy.status = 451;
  EXPECT_EQ(judge_attempt(v1::CHANNEL_EMAIL, busy).kind, AttemptVerdict::Kind::retry);
  TransferResult refused = busy;
  refused.status = 550;
  EXPECT_EQ(judge_attempt(v1::CHANNEL_EMAIL, refused).kind, AttemptVerdict::Kind::give_up);
}

TEST(AttemptVerdict, RetryAfterIsCarriedOver) {
  TransferResult result = answered(503);
  result.retry_after = std::chrono::seconds(7);
  EXPECT_EQ(judge_attempt(v1::CHANNEL_WEBHOOK, result).retry_after, std::chrono::milliseconds(7000));
}

TEST(RetryDelay, DoublesWithEqualJitterAndIsCapped) {
  DeliveryPolicy policy;
  policy.first_retry = 1000ms;
  policy.max_retry = 10000ms;
  EXPECT_EQ(retry_delay(policy, 1, 0.0), 500ms);
  EXPECT_EQ(retry_delay(policy, 1, 0.999999), 999ms);
  EXPECT_EQ(retry_delay(policy, 2, 0.0), 1000ms);
  EXPECT_EQ(retry_delay(policy, 3, 0.0), 2000ms);
  EXPECT_EQ(retry_delay(policy, 30, 0.0), 5000ms) << "capped at max_retry, then jittered";
  EXPECT_LE(retry_delay(policy, 30, 1.0), 10000ms);
  EXPECT_EQ(retry_delay(policy, 1, 0.0, 7000ms), 7000ms) << "the receiver's Retry-After wins when longer";
  EXPECT_EQ(retry_delay(policy, 1, 0.0, 3600000ms), 10000ms) << "but never beyond max_retry";
}

TEST(CircuitBreakers, OpensAfterConsecutiveFailuresLetsOneTrialThroughAndClosesOnSuccess) {
  CircuitBreakers breakers(3, 1000ms);
  const auto start = CircuitBreakers::Clock::now();
  EXPECT_EQ(breakers.admit("a", 8, start), 8u);
  breakers.record("a", false, start);
  breakers.record("a", true, start);  // a success resets the count
  breakers.record("a", false, start);
  breakers.record("a", false, start);
  EXPECT_EQ(breakers.state("a", start), CircuitBreakers::State::closed);
  breakers.record("a", false, start);
  EXPECT_EQ(breakers.state("a", start), CircuitBreakers::State::open);
  EXPECT_EQ(breakers.admit("a", 8, start + 500ms), 0u);
  EXPECT_EQ(breakers.admit("b", 8, start + 500ms), 8u) << "another endpoint is not affected";
  EXPECT_EQ(breakers.admit("a", 8, start + 1001ms), 1u) << "one trial when half-open";
  EXPECT_EQ(breakers.admit("a", 8, start + 1002ms), 0u) << "and only one at a time";
  breakers.record("a", false, start + 1100ms);
  EXPECT_EQ(breakers.state("a", start + 1200ms), CircuitBreakers::State::open) << "a failed trial opens it again";
  EXPECT_EQ(breakers.admit("a", 8, start + 2200ms), 1u);
  breakers.record("a", true, start + 2300ms);
  EXPECT_EQ(breakers.admit("a", 8, start + 2300ms), 8u);
  EXPECT_EQ(breakers.times_opened(), 1u);
}

TEST(AckTokens, NameTheirDeliveryAndCannotBeForgedOrMoved) {
  AckTokens tokens(crypto::SecretKey::generate());
  const std::string token = tokens.token_for("dlv-abc");
  EXPECT_EQ(tokens.delivery_of(token), "dlv-abc");
  EXPECT_EQ(tokens.token_for("dlv-abc"), token) << "the same on every attempt";
  std::string moved = token;
  moved.replace(0, 7, "dlv-abd");
  EXPECT_FALSE(tokens.delivery_of(moved));
  std::string tampered = token;
  tampered.back() = tampered.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(tokens.delivery_of(tampered));
  EXPECT_FALSE(tokens.delivery_of("dlv-abc"));
  EXPECT_FALSE(tokens.delivery_of(""));
  AckTokens other(crypto::SecretKey::generate());
  EXPECT_FALSE(other.delivery_of(token)) << "another hub's key";
}

TEST(DeliveryPlanner, EndpointsGroupByReceiverNotByPath) {
  EXPECT_EQ(DeliveryPlanner::endpoint_of(v1::CHANNEL_WEBHOOK, "https://Hooks.Example.org/a/b?x=1"),
            "https://hooks.example.org:443");
  EXPECT_EQ(DeliveryPlanner::endpoint_of(v1::CHANNEL_WEBHOOK, "http://127.0.0.1:8080/hook"), "http://127.0.0.1:8080");
  EXPECT_EQ(DeliveryPlanner::endpoint_of(v1::CHANNEL_WEBHOOK, "http://user@host.test/x"), "http://host.test:80");
  EXPECT_EQ(DeliveryPlanner::endpoint_of(v1::CHANNEL_EMAIL, "a@b.test"), "smtp");
  EXPECT_EQ(DeliveryPlanner::endpoint_of(v1::CHANNEL_SMS, "+38160000000"), "sms");
}

TEST(AckPage, ShowsWhatIsAcknowledgedEscapedAndOffersAPostButton) {
  v1::StoredDelivery stored;
  stored.set_recipient_name("<script>alert(1)</script> Shelter");
  stored.mutable_delivery()->mutable_reference_code()->set_code("RS-ABCD-EFGH");
  stored.mutable_delivery()->set_kind(v1::MESSAGE_KIND_REFERRAL_REQUEST);
  stored.mutable_delivery()->set_exercise(true);
  const std::string page = confirmation_page(stored, "dlv-1.token");
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(page.find("RS-ABCD-EFGH"), std::string::npos);
  EXPECT_NE(page.find("method=\"post\""), std::string::npos);
  EXPECT_NE(page.find("EXERCISE"), std::string::npos);
  stored.mutable_delivery()->mutable_acknowledged_at()->set_seconds(1);
  EXPECT_EQ(confirmation_page(stored, "dlv-1.token").find("method=\"post\""), std::string::npos)
      << "no button once acknowledged";
}

}  // namespace
}  // namespace pact::notification
