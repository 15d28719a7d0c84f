// Unit tests of notification's delivery rules: what an attempt's result means, how long to wait,
// when an endpoint's circuit opens, tokens, endpoints and the ack page's HTML.
#include <gtest/gtest.h>

#include "ack_page.h"
#include "ack_token.h"
#include "attempt_verdict.h"
#include "circuit_breakers.h"
#include "delivery_planner.h"
#include "message_plan.h"

#include <google/protobuf/util/time_util.h>

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

// Before the fix a trial given out while nothing was claimed (another replica took the work) was
// never recorded, and the endpoint failed fast for good.
TEST(CircuitBreakers, ATrialThatWasNeverRecordedLapses) {
  CircuitBreakers breakers(1, 1000ms);
  const auto start = CircuitBreakers::Clock::now();
  breakers.record("a", false, start);
  EXPECT_EQ(breakers.admit("a", 4, start + 1001ms), 1u);
  EXPECT_EQ(breakers.admit("a", 4, start + 1500ms), 0u) << "that trial is still out";
  EXPECT_EQ(breakers.admit("a", 4, start + 2100ms), 1u) << "it was never recorded: another trial";
}

TEST(AttemptVerdict, OnlyTroubleReachingAnEndpointCountsAgainstIt) {
  TransferResult timeout;
  timeout.outcome = TransferResult::Outcome::timed_out;
  EXPECT_TRUE(endpoint_failed(v1::CHANNEL_WEBHOOK, timeout));
  EXPECT_TRUE(endpoint_failed(v1::CHANNEL_EMAIL, timeout));
  EXPECT_TRUE(endpoint_failed(v1::CHANNEL_WEBHOOK, answered(503)));
  EXPECT_FALSE(endpoint_failed(v1::CHANNEL_WEBHOOK, answered(404)));
  EXPECT_FALSE(endpoint_failed(v1::CHANNEL_EMAIL, answered(451))) << "a greylisted mailbox is not a dead relay";
  EXPECT_FALSE(endpoint_failed(v1::CHANNEL_EMAIL, answered(550)));
  EXPECT_TRUE(endpoint_failed(v1::CHANNEL_EMAIL, answered(421)));
}

// Before the fix a fail-over delivery inherited the given-up delivery's attempts, and gave up at
// its first transient error.
TEST(DeliveryPlanner, AFailOverStartsItsOwnHistoryOnTheNextChannelGroup) {
  const config::Hub hub("t-planner");
  const MessageTemplates templates = load_message_templates(std::string(PACT_REFERENCE_DIR) + "/notification/templates");
  const AckTokens tokens(crypto::SecretKey::generate());
  const DeliveryPlanner planner(hub, templates, tokens, "https://hub.test/notify");
  routing::v1::Recipient recipient;
  recipient.set_recipient_id("rs-shelter");
  recipient.set_name("Shelter (fictional)");
  recipient.set_active(true);
  auto* webhook = recipient.add_channels();
  webhook->set_channel(v1::CHANNEL_WEBHOOK);
  webhook->set_address("https://ngo.test/hook");
  webhook->set_secret_id("ngo");
  webhook->set_priority(1);
  webhook->set_active(true);
  auto* email = recipient.add_channels();
  email->set_channel(v1::CHANNEL_EMAIL);
  email->set_address("desk@ngo.test");
  email->set_priority(2);
  email->set_active(true);

  events::v1::ReferralEvent event;
  event.set_event_id("evt-1");
  event.set_case_id("case-1");
  event.add_notify_recipient_ids("rs-shelter");
  auto& referral = *event.mutable_referral_requested()->mutable_referral();
  referral.set_referral_id("case-1/safe_accommodation/1");
  referral.mutable_reference_code()->set_code("RS-ABCD-EFGH");
  referral.set_service_type(routing::v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  referral.set_priority(routing::v1::REFERRAL_PRIORITY_URGENT);
  referral.set_jurisdiction(common::v1::JURISDICTION_RS);
  *event.mutable_referral_requested()->mutable_deadlines()->mutable_acknowledge_by() =
      google::protobuf::util::TimeUtil::GetCurrentTime();
  *event.mutable_referral_requested()->mutable_deadlines()->mutable_accept_by() =
      google::protobuf::util::TimeUtil::GetCurrentTime();
  const auto message = plan_message(event);
  ASSERT_TRUE(message);
  auto planned = planner.plan({"evt-1", "case-1", 1, false}, *message, "rs-shelter", recipient, Clock::now());
  ASSERT_EQ(planned.size(), 1u);
  v1::StoredDelivery given_up = planned[0].stored;
  EXPECT_EQ(given_up.delivery().channel(), v1::CHANNEL_WEBHOOK) << "the first group first";
  given_up.mutable_delivery()->set_attempts(8);
  given_up.mutable_delivery()->set_last_failure(v1::FAILURE_REASON_TIMEOUT);
  given_up.mutable_delivery()->set_status(v1::DELIVERY_STATUS_DEAD_LETTERED);

  auto next = planner.fail_over(given_up, recipient, Clock::now());
  ASSERT_EQ(next.size(), 1u);
  const auto& delivery = next[0].stored.delivery();
  EXPECT_EQ(delivery.channel(), v1::CHANNEL_EMAIL);
  EXPECT_EQ(delivery.attempts(), 0u);
  EXPECT_EQ(delivery.last_failure(), v1::FAILURE_REASON_UNSPECIFIED);
  EXPECT_EQ(delivery.status(), v1::DELIVERY_STATUS_PENDING);
  EXPECT_NE(delivery.delivery_id(), given_up.delivery().delivery_id());
  EXPECT_NE(next[0].stored.message().subject().find("RS-ABCD-EFGH"), std::string::npos);
  EXPECT_TRUE(planner.fail_over(next[0].stored, recipient, Clock::now()).empty()) << "no group after e-mail";
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
