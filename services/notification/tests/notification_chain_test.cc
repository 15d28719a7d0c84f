// The whole chain on real processes: an assessment reaches routing, routing refers the person to a
// provider, notification delivers the referral to the provider's webhook, the provider acknowledges
// with the token it received, and routing sees the referral received.
#include <gtest/gtest.h>

#include "notification_fixture.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "routing_fixture.h"
#include "routing_process_fixture.h"

namespace pact::notification::testing {
namespace {

using namespace std::chrono_literals;

TEST(NotificationChain, AReferralReachesItsProviderWhoseAcknowledgementRoutingSees) {
  PACT_REQUIRE_INFRASTRUCTURE();
  WebhookReceiver interpreters;
  NotificationHub hub("n-chain",
                      {directory_service("rs-interpreters", "interpretation",
                                         json::array({webhook_channel(interpreters.url("/pact"))}))},
                      "", {}, DeliveryTuning{}, /*routing_consumes=*/true);
  routing::testing::CaseSpec spec;
  spec.case_id = "chain-1";
  spec.flags.set_language_barrier(true);
  spec.level = pact::screening::v1::LEVEL_NO_INDICATORS_OBSERVED;
  routing::publish(hub.producer(), hub.platform(), routing::testing::assessment(spec));

  json delivery;
  ASSERT_TRUE(eventually([&] {
    const json stats = interpreters.stats();
    if (stats["deliveries"].empty()) return false;
    delivery = stats["deliveries"][0];
    return true;
  }, 60s)) << hub.routing().log() << hub.notification().log();
  EXPECT_EQ(delivery["type"], "referral_request");
  const std::string referral_id = delivery["referral_id"];

  v1::AcknowledgeRequest ack;
  ack.set_token(delivery["ack_token"]);
  v1::AcknowledgeResponse acked;
  rpc::Caller staff;
  staff.subject = "interpreter-desk-1";
  staff.organisation = "rs-ngo";
  staff.roles = {"provider"};
  grpc::ClientContext context;
  rpc::attach_development_identity(context, staff);
  ASSERT_TRUE(hub.stub()->Acknowledge(&context, ack, &acked).ok());
  EXPECT_EQ(acked.referral_id(), referral_id);

  auto routing = pact::routing::v1::RoutingService::NewStub(hub.routing().channel());
  ASSERT_TRUE(eventually([&] {
    pact::routing::v1::GetReferralRequest request;
    request.set_referral_id(referral_id);
    pact::routing::v1::GetReferralResponse response;
    return routing->GetReferral(as_case_worker().get(), request, &response).ok() &&
           response.referral().status() == pact::routing::v1::REFERRAL_STATUS_RECEIVED;
  }, 30s)) << hub.routing().log();
}

}  // namespace
}  // namespace pact::notification::testing
