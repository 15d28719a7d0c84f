// Notification against real Kafka (or the embedded cluster), real Redis, a real pact-routing
// serving the directory, real pact-notification processes, and real local receivers.
#include <gtest/gtest.h>

#include <set>

#include "notification_fixture.h"

namespace pact::notification::testing {
namespace {

using events::v1::NotificationEvent;
using namespace std::chrono_literals;

class NotificationIntegration : public ::testing::Test {
 protected:
  void SetUp() override { PACT_REQUIRE_INFRASTRUCTURE(); }
  fs::path work(const std::string& name) {
    return fs::temp_directory_path() / ("pact-notify-" + name + "-" + std::to_string(::getpid()));
  }
};

TEST_F(NotificationIntegration, AReferralIsDeliveredSignedOnceAndReportedWithoutPersonalData) {
  WebhookReceiver shelter;
  NotificationHub hub("n-deliver", {directory_service("rs-shelter", "safe_accommodation",
                                                      json::array({webhook_channel(shelter.url("/hooks/pact"))}))});
  hub.publish(referral_requested("case-0001", "rs-shelter", "evt-1"));
  hub.publish(referral_requested("case-0001", "rs-shelter", "evt-1"));  // routing published it twice

  ASSERT_TRUE(eventually([&] { return count_of(hub.reports(), NotificationEvent::kNotificationDelivered) == 1; }, 30s))
      << hub.notification().log();
  json stats = shelter.stats();
  EXPECT_EQ(stats["verified"], 1) << stats.dump();
  EXPECT_EQ(stats["bad_signature"], 0);
  EXPECT_EQ(stats["unique_keys"], 1);
  const auto& delivery = stats["deliveries"][0];
  EXPECT_EQ(delivery["type"], "referral_request");
  EXPECT_EQ(delivery["referral_id"], "case-0001/safe_accommodation/1");

  const auto reports = hub.reports();
  EXPECT_EQ(count_of(reports, NotificationEvent::kNotificationSent), 1u);
  for (const auto& report : reports) {
    EXPECT_EQ(report.case_id(), "case-0001");
    EXPECT_EQ(report.SerializeAsString().find(kCanary), std::string::npos);
  }
  v1::ListDeliveriesRequest list;
  list.set_referral_id("case-0001/safe_accommodation/1");
  v1::ListDeliveriesResponse listed;
  ASSERT_TRUE(hub.stub()->ListDeliveries(as_case_worker().get(), list, &listed).ok());
  ASSERT_EQ(listed.deliveries_size(), 1);
  EXPECT_EQ(listed.deliveries(0).status(), v1::DELIVERY_STATUS_DELIVERED);
  EXPECT_EQ(listed.deliveries(0).attempts(), 1u);
  EXPECT_EQ(listed.deliveries(0).idempotency_key(), delivery["key"]);
}

TEST_F(NotificationIntegration, AFlakyReceiverGetsItOnceAfterA500AndATimeoutWithTheRetriesCounted) {
  WebhookReceiver shelter;
  tools::webhook_receiver::ScriptStep error;
  error.status = 500;
  error.count = 1;
  tools::webhook_receiver::ScriptStep slow;
  slow.delay_ms = 2500;  // longer than the 1 s request timeout
  slow.count = 1;
  shelter.state().set_script({error, slow});
  DeliveryTuning tuning;
  tuning.max_attempts = 5;
  NotificationHub hub("n-flaky",
                      {directory_service("rs-shelter", "safe_accommodation", json::array({webhook_channel(shelter.url("/h"))}))},
                      "", {}, tuning);
  hub.publish(referral_requested("case-0002", "rs-shelter", "evt-2"));

  ASSERT_TRUE(eventually([&] { return count_of(hub.reports(), NotificationEvent::kNotificationDelivered) == 1; }, 40s))
      << hub.notification().log();
  const auto reports = hub.reports();
  EXPECT_EQ(count_of(reports, NotificationEvent::kNotificationSent), 3u) << "500, timeout, success";
  for (const auto& report : reports) {
    if (report.has_notification_delivered()) {
      EXPECT_EQ(report.notification_delivered().attempts(), 3u);
    }
  }
  EXPECT_EQ(count_of(reports, NotificationEvent::kNotificationFailed), 0u);
  json stats = shelter.stats();
  EXPECT_EQ(stats["unique_keys"], 1) << "every attempt carried the same idempotency key";
  EXPECT_EQ(stats["deliveries"][0]["body_changed"], false);
}

TEST_F(NotificationIntegration, AGoneReceiverFailsOverToEmailOverStarttlsAndWithoutAFallbackIsReportedFailed) {
  SmtpServer smtp(work("smtp"));
  WebhookReceiver gone;
  const std::string dead_url = gone.url("/h");
  gone.stop();
  NotificationHub hub("n-gone",
                      {directory_service("rs-shelter", "safe_accommodation",
                                         json::array({webhook_channel(dead_url), email_channel("shelter@ngo.test")})),
                       directory_service("rs-legal", "legal_aid", json::array({webhook_channel(dead_url)}))},
                      smtp.url(), smtp.cert());
  hub.publish(referral_requested("case-0003", "rs-shelter", "evt-3a"));
  auto legal = referral_requested("case-0004", "rs-legal", "evt-3b");
  legal.mutable_referral_requested()->mutable_referral()->set_referral_id("case-0004/legal_aid/1");
  hub.publish(legal);

  ASSERT_TRUE(eventually([&] { return !smtp.messages().empty(); }, 40s)) << hub.notification().log();
  const json mail = smtp.messages().front();
  EXPECT_TRUE(mail["starttls"].get<bool>()) << "sent only after STARTTLS";
  EXPECT_EQ(mail["rcpt_tos"][0], "shelter@ngo.test");
  EXPECT_NE(mail["subject"].get<std::string>().find("RS-0003"), std::string::npos) << mail.dump();
  EXPECT_EQ(mail.dump().find(kCanary), std::string::npos);

  ASSERT_TRUE(eventually([&] { return count_of(hub.reports(), NotificationEvent::kNotificationFailed) >= 1; }, 40s));
  ASSERT_TRUE(eventually([&] { return count_of(hub.reports(), NotificationEvent::kNotificationDelivered) >= 1; }, 20s));
  const auto reports = hub.reports();
  for (const auto& report : reports) {
    if (!report.has_notification_failed()) continue;
    EXPECT_EQ(report.notification_failed().delivery().referral_id(), "case-0004/legal_aid/1")
        << "the shelter was reached by e-mail: routing is not told it failed";
    EXPECT_EQ(report.notification_failed().attempts(), 3u);
  }
  EXPECT_EQ(count_of(reports, NotificationEvent::kNotificationFailed), 1u);
}

TEST_F(NotificationIntegration, ADeadEndpointNeverHoldsUpAHealthyOne) {
  WebhookReceiver healthy;
  WebhookReceiver dead;
  tools::webhook_receiver::ScriptStep hang;
  hang.delay_ms = 5000;  // every answer far beyond the request timeout
  dead.state().set_script({hang});
  DeliveryTuning tuning;
  tuning.max_attempts = 6;
  tuning.first_retry = "2s";
  tuning.max_retry = "4s";
  tuning.circuit_open_for = "3s";
  NotificationHub hub("n-hol",
                      {directory_service("rs-slow", "legal_aid", json::array({webhook_channel(dead.url("/h"))})),
                       directory_service("rs-fast", "safe_accommodation", json::array({webhook_channel(healthy.url("/h"))}))},
                      "", {}, tuning);
  constexpr int kEach = 40;
  for (int i = 0; i < kEach; ++i) {  // the dead endpoint's work first, so it is at the head of everything
    auto event = referral_requested("case-d" + std::to_string(1000 + i), "rs-slow", "evt-d" + std::to_string(i));
    event.mutable_referral_requested()->mutable_referral()->set_referral_id("case-d" + std::to_string(i) + "/legal_aid/1");
    hub.publish(event);
  }
  for (int i = 0; i < kEach; ++i) hub.publish(referral_requested("case-h" + std::to_string(1000 + i), "rs-fast", "evt-h" + std::to_string(i)));

  ASSERT_TRUE(eventually([&] { return healthy.stats()["accepted_keys"] == kEach; }, 60s)) << hub.notification().log();
  // Counted, not timed: when the healthy receiver had all its messages, none of the dead endpoint's
  // messages had been given up yet, and the dead endpoint had been sent at most its concurrency.
  const auto reports = hub.reports();
  EXPECT_EQ(count_of(reports, NotificationEvent::kNotificationFailed), 0u);
  std::size_t sent_to_dead = 0;
  for (const auto& report : reports) {
    if (report.has_notification_sent() && report.notification_sent().delivery().recipient_id() == "rs-slow") ++sent_to_dead;
  }
  EXPECT_LE(sent_to_dead, static_cast<std::size_t>(2 * tuning.per_endpoint_concurrency))
      << "the dead endpoint got its own slots, then its circuit opened";
  EXPECT_EQ(healthy.stats()["duplicates"], 0);
}

TEST_F(NotificationIntegration, AcknowledgementByGrpcTokenAndByLinkWhereOnlyPostAcknowledges) {
  WebhookReceiver shelter;
  NotificationHub hub("n-ack", {directory_service("rs-shelter", "safe_accommodation",
                                                  json::array({webhook_channel(shelter.url("/h"))}))});
  hub.publish(referral_requested("case-0005", "rs-shelter", "evt-5"));
  auto second = referral_requested("case-0006", "rs-shelter", "evt-6");
  second.mutable_referral_requested()->mutable_referral()->set_referral_id("case-0006/safe_accommodation/1");
  hub.publish(second);
  ASSERT_TRUE(eventually([&] { return shelter.stats()["accepted_keys"] == 2; }, 30s)) << hub.notification().log();

  // The tokens, as the provider's system reads them from the bodies it received.
  std::map<std::string, std::string> token_of;
  const json received = shelter.stats();  // kept: a range-for over a temporary's member dangles
  for (const auto& delivery : received["deliveries"]) {
    token_of[delivery["referral_id"]] = delivery["ack_token"];
    EXPECT_EQ(delivery["ack_url"], hub.ack_base() + "/ack/" + delivery["ack_token"].get<std::string>());
  }
  ASSERT_EQ(token_of.size(), 2u) << received.dump();

  v1::AcknowledgeRequest ack;
  ack.set_token(token_of["case-0005/safe_accommodation/1"]);
  v1::AcknowledgeResponse acked;
  ASSERT_TRUE(hub.stub()->Acknowledge(as_case_worker().get(), ack, &acked).ok());
  EXPECT_FALSE(acked.already_acknowledged());
  EXPECT_EQ(acked.referral_id(), "case-0005/safe_accommodation/1");
  v1::AcknowledgeResponse again;
  ASSERT_TRUE(hub.stub()->Acknowledge(as_case_worker().get(), ack, &again).ok());
  EXPECT_TRUE(again.already_acknowledged());
  v1::AcknowledgeRequest forged;
  forged.set_token(ack.token().substr(0, ack.token().size() - 1) + (ack.token().back() == 'a' ? "b" : "a"));
  EXPECT_EQ(hub.stub()->Acknowledge(as_case_worker().get(), forged, &again).error_code(), grpc::StatusCode::NOT_FOUND);

  const std::string link = hub.ack_base() + "/ack/" + token_of["case-0006/safe_accommodation/1"];
  const std::string page = (fs::temp_directory_path() / ("ack-page-" + std::to_string(::getpid()))).string();
  ASSERT_EQ(std::system(("curl -sf -o " + page + " '" + link + "'").c_str()), 0) << "GET shows the page";
  std::ifstream shown(page);
  const std::string html((std::istreambuf_iterator<char>(shown)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("Confirm receipt"), std::string::npos);
  std::this_thread::sleep_for(1500ms);  // time enough for a wrongly counted acknowledgement to be reported
  EXPECT_EQ(count_of(hub.reports(), NotificationEvent::kNotificationAcknowledged), 1u) << "the GET acknowledged nothing";
  ASSERT_EQ(std::system(("curl -sf -o /dev/null -X POST -d '' '" + link + "'").c_str()), 0);
  ASSERT_TRUE(eventually([&] { return count_of(hub.reports(), NotificationEvent::kNotificationAcknowledged) == 2; }, 20s));
  for (const auto& report : hub.reports()) {
    if (!report.has_notification_acknowledged()) continue;
    const bool by_link = report.notification_acknowledged().delivery().referral_id() == "case-0006/safe_accommodation/1";
    EXPECT_EQ(report.notification_acknowledged().method(),
              by_link ? v1::ACKNOWLEDGEMENT_METHOD_ACK_LINK : v1::ACKNOWLEDGEMENT_METHOD_GRPC_TOKEN);
  }
}

TEST_F(NotificationIntegration, WhenRoutingCancelsAReferralItsPendingSendsStop) {
  WebhookReceiver shelter;
  tools::webhook_receiver::ScriptStep failing;
  failing.status = 503;
  shelter.state().set_script({failing});
  DeliveryTuning tuning;
  tuning.max_attempts = 50;
  tuning.circuit_failures = 100;
  NotificationHub hub("n-cancel",
                      {directory_service("rs-shelter", "safe_accommodation", json::array({webhook_channel(shelter.url("/h"))}))},
                      "", {}, tuning);
  hub.publish(referral_requested("case-0007", "rs-shelter", "evt-7"));
  ASSERT_TRUE(eventually([&] { return shelter.stats()["requests"].get<int>() >= 2; }, 30s)) << hub.notification().log();
  // As routing does it: the provider is told to stop work, then what is pending is cancelled. The
  // notice itself must survive the cancellation (before the fix it was cancelled with the rest).
  auto stop_work = referral_requested("case-0007", "rs-shelter", "evt-7-stop", 2);
  const auto referral = stop_work.referral_requested().referral();  // before the oneof switches
  auto& changed = *stop_work.mutable_referral_status_changed();
  *changed.mutable_referral() = referral;
  changed.mutable_referral()->set_status(routing::v1::REFERRAL_STATUS_CANCELLED);
  changed.set_previous_status(routing::v1::REFERRAL_STATUS_REQUESTED);
  changed.set_reason(routing::v1::REFERRAL_STATUS_REASON_CONSENT_WITHDRAWN);
  hub.publish(stop_work);
  hub.publish(delivery_cancelled("case-0007", "case-0007/safe_accommodation/1", "evt-7-cancel"));

  v1::ListDeliveriesRequest list;
  list.set_referral_id("case-0007/safe_accommodation/1");
  v1::ListDeliveriesResponse listed;
  auto listing = [&] {
    listed.Clear();
    return hub.stub()->ListDeliveries(as_case_worker().get(), list, &listed).ok() && listed.deliveries_size() == 2;
  };
  ASSERT_TRUE(eventually([&] { return listing() && listed.deliveries(0).status() == v1::DELIVERY_STATUS_CANCELLED; }, 20s))
      << listed.DebugString();
  EXPECT_EQ(listed.deliveries(0).kind(), v1::MESSAGE_KIND_REFERRAL_REQUEST);
  EXPECT_EQ(listed.deliveries(1).kind(), v1::MESSAGE_KIND_REFERRAL_CANCELLED);
  EXPECT_NE(listed.deliveries(1).status(), v1::DELIVERY_STATUS_CANCELLED) << "the stop-work notice is still to go";
  const std::string cancelled_key = listed.deliveries(0).idempotency_key();
  auto sends_of = [&](const std::string& key) {
    const json received = shelter.stats();
    for (const auto& delivery : received["deliveries"]) {
      if (delivery["key"] == key) return delivery["received"].get<int>();
    }
    return 0;
  };
  const int after_cancel = sends_of(cancelled_key);
  shelter.state().set_script({});  // the provider's endpoint answers again
  ASSERT_TRUE(eventually([&] { return listing() && listed.deliveries(1).status() == v1::DELIVERY_STATUS_DELIVERED; }, 20s))
      << listed.DebugString();
  std::this_thread::sleep_for(2s);  // several retry periods
  EXPECT_LE(sends_of(cancelled_key), after_cancel + 1) << "at most the attempt already in flight";
  EXPECT_EQ(listed.deliveries(0).status(), v1::DELIVERY_STATUS_CANCELLED);
  EXPECT_EQ(count_of(hub.reports(), NotificationEvent::kNotificationFailed), 0u) << "cancelled is not failed";

  v1::ResendRequest resend;
  resend.set_delivery_id(cancelled_key);
  v1::ResendResponse resent;
  EXPECT_EQ(hub.stub()->Resend(as_case_worker().get(), resend, &resent).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(NotificationIntegration, ASigkillMidStreamSendsNothingTwiceThatWasRecorded) {
  WebhookReceiver shelter(32);
  DeliveryTuning tuning;
  tuning.per_endpoint_concurrency = 8;
  tuning.claim_lease = "3s";
  NotificationHub hub("n-kill", {directory_service("rs-shelter", "safe_accommodation",
                                                   json::array({webhook_channel(shelter.url("/h"))}))},
                      "", {}, tuning);
  hub.notification().stop();  // the referrals wait on the topic, so the kill lands mid-stream
  constexpr int kReferrals = 1000;
  for (int i = 0; i < kReferrals; ++i) {
    auto event = referral_requested("case-k" + std::to_string(10000 + i), "rs-shelter", "evt-k" + std::to_string(i));
    event.mutable_referral_requested()->mutable_referral()->set_referral_id("case-k" + std::to_string(i) + "/x/1");
    hub.publish(event);
  }
  hub.notification().start();
  ASSERT_TRUE(eventually([&] { return shelter.stats(true)["accepted_keys"].get<int>() >= 100; }, 60s))
      << hub.notification().log();
  hub.notification().kill();
  const int at_kill = shelter.stats()["accepted_keys"];
  hub.notification().start();
  ASSERT_TRUE(eventually([&] { return shelter.stats(true)["accepted_keys"] == kReferrals; }, 90s))
      << hub.notification().log();
  std::this_thread::sleep_for(2s);
  json stats = shelter.stats();
  std::printf("[ figures  ] %d of %d delivered before SIGKILL; %d repeated sends after the restart (same key)\n", at_kill,
              kReferrals, stats["duplicates"].get<int>());
  EXPECT_EQ(stats["unique_keys"], kReferrals) << "the referral events read again after the restart made no new message";
  // Only attempts whose outcome was not recorded at the kill may go again — with the same
  // idempotency key, so the receiver acts once. An endpoint's slot is freed only by the record, so
  // there are at most per_endpoint_concurrency of them (a slot freed by the answer let a ninth go).
  EXPECT_LE(stats["duplicates"].get<int>(), tuning.per_endpoint_concurrency);
  EXPECT_LE(count_of(hub.reports(5s), NotificationEvent::kNotificationDelivered),
            static_cast<std::size_t>(kReferrals + tuning.per_endpoint_concurrency));
}

}  // namespace
}  // namespace pact::notification::testing
