// Cross-border handoff between two hubs as separate processes (each its own intake, screening and
// routing; one broker and one Redis, different hub prefixes): Serbia hands a case to North
// Macedonia and it comes back; an offer the peer does not serve is declined and escalated; an offer
// made while the peer is down is retried until it lands; an erasure at the sending hub erases the
// linked case at the receiving hub. Also the whole chain within one hub: a registration at intake
// becomes referrals, and the provider reads exactly the data its referral allows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <google/protobuf/util/time_util.h>

#include "intake_fixture.h"
#include "pact/routing/v1/handoff.grpc.pb.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "routing_process_fixture.h"
#include "test_hub.h"

namespace pact::routing {
namespace {

namespace common = ::pact::common::v1;
using intake::testing::context_for;
using intake::testing::IntakeProcess;
using pact::testing::Infrastructure;
using pact::testing::ServiceProcess;

// The handoff events a hub recorded, by handoff id and status.
std::vector<events::v1::HandoffInfo> handoff_events(const config::PlatformConfig& platform) {
  std::vector<events::v1::HandoffInfo> out;
  for (const auto& record : every_referral_event(platform)) {
    const auto& event = record.event;
    if (event.has_handoff_offered()) out.push_back(event.handoff_offered().handoff());
    if (event.has_handoff_accepted()) out.push_back(event.handoff_accepted().handoff());
    if (event.has_handoff_declined()) out.push_back(event.handoff_declined().handoff());
    if (event.has_handoff_erased()) out.push_back(event.handoff_erased().handoff());
  }
  return out;
}

bool has_handoff(const std::vector<events::v1::HandoffInfo>& events, const std::string& sending_case, v1::HandoffStatus status) {
  return std::any_of(events.begin(), events.end(), [&](const events::v1::HandoffInfo& info) {
    return info.sending_case_id() == sending_case && info.status() == status;
  });
}

// The receiving case id once the sending hub recorded the handoff of `sending_case` as accepted.
std::string accepted_at(TestHub& sending, const std::string& sending_case) {
  std::string receiving_case;
  pact::testing::eventually([&] {
    for (const auto& info : handoff_events(sending.platform)) {
      if (info.sending_case_id() == sending_case && info.status() == v1::HANDOFF_STATUS_ACCEPTED) receiving_case = info.receiving_case_id();
    }
    return !receiving_case.empty();
  }, std::chrono::seconds(90));
  return receiving_case;
}

class HandoffIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    serbia_ = std::make_unique<TestHub>("handoff-rs", "RS");
    macedonia_ = std::make_unique<TestHub>("handoff-mk", "MK");
    // Serbia's peers also (wrongly) claim Macedonia's hub serves Albania: that offer is declined.
    serbia_->start("    " + macedonia_->platform.hub.prefix() + ": \"MK, AL @ " + macedonia_->routing_address + "\"\n");
    macedonia_->start("    " + serbia_->platform.hub.prefix() + ": \"RS @ " + serbia_->routing_address + "\"\n");
  }

  std::unique_ptr<TestHub> serbia_;
  std::unique_ptr<TestHub> macedonia_;
};

TEST_F(HandoffIntegration, ACaseGoesToTheNextHubAndBackWithEventTrailsOnBothSides) {
  const std::string rs_case = registered(*serbia_, moving_on("handoff-there", common::JURISDICTION_MK));
  ASSERT_FALSE(rs_case.empty());
  const std::string mk_case = accepted_at(*serbia_, rs_case);
  ASSERT_FALSE(mk_case.empty()) << serbia_->routing->log();
  // The receiving hub recorded it too, and registered a linked case that routing there refers.
  EXPECT_TRUE(has_handoff(handoff_events(macedonia_->platform), rs_case, v1::HANDOFF_STATUS_ACCEPTED));
  pact::intake::v1::GetCaseRequest get;
  get.set_case_id(mk_case);
  get.set_purpose(common::ACCESS_PURPOSE_CASE_MANAGEMENT);
  pact::intake::v1::GetCaseResponse got;
  rpc::Caller mk_worker = macedonia_->worker();
  ASSERT_TRUE(macedonia_->intake->stub().GetCase(context_for(mk_worker).get(), get, &got).ok());
  EXPECT_EQ(got.case_record().handoff_origin().sending_case_id(), rs_case);
  EXPECT_EQ(got.case_record().summary().jurisdiction(), common::JURISDICTION_MK);
  EXPECT_EQ(got.case_record().encounter().person().given_name(), "Amir");  // identity was shared (consent)
  EXPECT_TRUE(got.case_record().encounter().person().identifiers().empty());  // identifiers were not
  ASSERT_TRUE(pact::testing::eventually([&] {
    for (const auto& record : every_referral_event(macedonia_->platform)) {
      if (record.event.has_referral_requested() && record.event.case_id() == mk_case) return true;
    }
    return false;
  }, std::chrono::seconds(60))) << macedonia_->routing->log();
  // Serbia's own referrals for the person were handed over.
  bool handed_over = false;
  for (const auto& record : every_referral_event(serbia_->platform)) {
    if (record.event.has_referral_status_changed() && record.event.case_id() == rs_case) {
      handed_over |= record.event.referral_status_changed().reason() == v1::REFERRAL_STATUS_REASON_HANDED_OVER;
    }
  }
  EXPECT_TRUE(handed_over);

  // And back: the person returns to Serbia; Macedonia hands the case over again.
  pact::intake::v1::AmendCaseRequest amend;
  amend.set_case_id(mk_case);
  amend.set_idempotency_key("going-back");
  amend.mutable_amendment()->mutable_next_destination()->set_jurisdiction(common::JURISDICTION_RS);
  pact::intake::v1::AmendCaseResponse amended;
  ASSERT_TRUE(macedonia_->intake->stub().AmendCase(context_for(mk_worker).get(), amend, &amended).ok());
  ASSERT_TRUE(pact::testing::eventually([&] {
    return has_handoff(handoff_events(macedonia_->platform), mk_case, v1::HANDOFF_STATUS_ACCEPTED) &&
           has_handoff(handoff_events(serbia_->platform), mk_case, v1::HANDOFF_STATUS_ACCEPTED);
  }, std::chrono::seconds(90))) << macedonia_->routing->log();
}

TEST_F(HandoffIntegration, AnOfferThePeerDoesNotServeIsDeclinedAndEscalated) {
  const std::string rs_case = registered(*serbia_, moving_on("handoff-albania", common::JURISDICTION_AL));
  ASSERT_TRUE(pact::testing::eventually([&] {
    return has_handoff(handoff_events(serbia_->platform), rs_case, v1::HANDOFF_STATUS_DECLINED);
  }, std::chrono::seconds(90))) << serbia_->routing->log();
  EXPECT_TRUE(has_handoff(handoff_events(macedonia_->platform), rs_case, v1::HANDOFF_STATUS_DECLINED));
  ASSERT_TRUE(pact::testing::eventually([&] {
    for (const auto& record : every_referral_event(serbia_->platform)) {
      if (record.event.has_referral_escalated() && record.event.case_id() == rs_case &&
          record.event.referral_escalated().reason() == v1::ESCALATION_REASON_HANDOFF_DECLINED) {
        return record.event.referral_escalated().escalation().kind() == v1::REFERRAL_KIND_TRANSNATIONAL;
      }
    }
    return false;
  }, std::chrono::seconds(30)));
}

TEST_F(HandoffIntegration, AnOfferMadeWhileThePeerIsDownLandsWhenItComesBack) {
  macedonia_->routing->kill();
  const std::string rs_case = registered(*serbia_, moving_on("handoff-outage", common::JURISDICTION_MK));
  // Serbia keeps trying while the peer is down ...
  ASSERT_TRUE(pact::testing::eventually([&] {
    return serbia_->routing->log().find("did not take the handoff offer") != std::string::npos;
  }, std::chrono::seconds(60))) << serbia_->routing->log();
  EXPECT_FALSE(has_handoff(handoff_events(serbia_->platform), rs_case, v1::HANDOFF_STATUS_ACCEPTED));
  // ... and the offer lands once the peer is back.
  macedonia_->routing->start();
  ASSERT_TRUE(pact::testing::eventually([&] {
    return has_handoff(handoff_events(serbia_->platform), rs_case, v1::HANDOFF_STATUS_ACCEPTED);
  }, std::chrono::seconds(90))) << serbia_->routing->log();
}

TEST_F(HandoffIntegration, AnErasureAtTheSendingHubErasesTheLinkedCase) {
  const std::string rs_case = registered(*serbia_, moving_on("handoff-erased", common::JURISDICTION_MK));
  const std::string mk_case = accepted_at(*serbia_, rs_case);
  ASSERT_FALSE(mk_case.empty()) << serbia_->routing->log();
  pact::intake::v1::EraseCaseRequest erase;
  erase.set_case_id(rs_case);
  erase.set_reason(common::ERASURE_REASON_DATA_SUBJECT_REQUEST);
  erase.set_idempotency_key("erase-1");
  pact::intake::v1::EraseCaseResponse erased;
  rpc::Caller rs_worker = serbia_->worker();
  ASSERT_TRUE(serbia_->intake->stub().EraseCase(context_for(rs_worker).get(), erase, &erased).ok());
  ASSERT_TRUE(pact::testing::eventually([&] {
    return has_handoff(handoff_events(serbia_->platform), rs_case, v1::HANDOFF_STATUS_ERASED) &&
           has_handoff(handoff_events(macedonia_->platform), rs_case, v1::HANDOFF_STATUS_ERASED);
  }, std::chrono::seconds(90))) << serbia_->routing->log() << "\n" << macedonia_->routing->log();
  pact::intake::v1::GetCaseRequest get;
  get.set_case_id(mk_case);
  get.set_purpose(common::ACCESS_PURPOSE_CASE_MANAGEMENT);
  pact::intake::v1::GetCaseResponse got;
  rpc::Caller mk_worker = macedonia_->worker();
  const grpc::Status status = macedonia_->intake->stub().GetCase(context_for(mk_worker).get(), get, &got);
  EXPECT_TRUE(!status.ok() || got.case_record().summary().status() == pact::intake::v1::CASE_STATUS_ERASED) << status.error_message();
  EXPECT_TRUE(got.case_record().encounter().person().given_name().empty());
}

TEST_F(HandoffIntegration, ARegistrationBecomesReferralsAndTheProviderReadsOnlyWhatItsReferralAllows) {
  auto request = intake::testing::sample_registration("chain-1");
  auto& consent = *request.mutable_encounter()->mutable_consent();
  consent.add_scopes(common::CONSENT_SCOPE_SERVICES);
  consent.set_given_by(common::CONSENT_GIVER_PERSON);
  consent.set_method(common::CONSENT_METHOD_VERBAL);
  consent.set_informed_in_language("ar");
  consent.mutable_recorded_by()->set_subject("officer-17");
  consent.mutable_recorded_by()->set_display_name("Officer Example");
  *consent.mutable_given_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  request.mutable_encounter()->mutable_needs(0)->set_details("needs a ground-floor room");
  request.mutable_encounter()->add_needs()->set_type(common::NEED_TYPE_LEGAL_AID);
  request.mutable_encounter()->mutable_needs(1)->set_details("asylum claim pending");
  const std::string rs_case = registered(*serbia_, request);
  auto stub = v1::RoutingService::NewStub(serbia_->routing->channel());
  const std::string shelter_referral = rs_case + "/shelter/1";
  v1::Referral referral;
  ASSERT_TRUE(pact::testing::eventually([&] {
    v1::GetReferralRequest get;
    get.set_referral_id(shelter_referral);
    v1::GetReferralResponse got;
    if (!stub->GetReferral(context_for(serbia_->worker()).get(), get, &got).ok()) return false;
    referral = got.referral();
    return true;
  }, std::chrono::seconds(60))) << serbia_->routing->log();
  const rpc::Caller shelter = provider(referral.organization_id());
  v1::GetReferralDataRequest read;
  read.set_referral_id(shelter_referral);
  read.set_purpose(common::ACCESS_PURPOSE_SERVICE_DELIVERY);
  v1::GetReferralDataResponse data;
  // Not before the provider acknowledged it ...
  EXPECT_EQ(stub->GetReferralData(context_for(shelter).get(), read, &data).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::AcknowledgeReferralRequest ack;
  ack.set_referral_id(shelter_referral);
  v1::AcknowledgeReferralResponse acked;
  ASSERT_TRUE(stub->AcknowledgeReferral(context_for(shelter).get(), ack, &acked).ok());
  // ... and never by anyone else, whatever their role.
  rpc::Caller admin = provider("pact-hub");
  admin.roles = {"routing_admin", "case_worker"};
  admin.jurisdictions = {"RS"};
  EXPECT_EQ(stub->GetReferralData(context_for(admin).get(), read, &data).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status status = stub->GetReferralData(context_for(shelter).get(), read, &data);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << serbia_->routing->log();
  EXPECT_EQ(data.data().person().given_name(), "Amir");
  ASSERT_EQ(data.data().needs_size(), 1);  // its own need only
  EXPECT_EQ(data.data().needs(0).details(), "needs a ground-floor room");
  EXPECT_TRUE(data.data().observed_indicator_ids().empty());
  EXPECT_FALSE(data.data().access_id().empty());
  // Each new referral carries its screening evidence sealed, never the indicator ids in clear.
  int sealed = 0;
  for (const auto& record : every_referral_event(serbia_->platform)) {
    if (!record.event.has_referral_requested() || record.event.case_id() != rs_case) continue;
    EXPECT_EQ(record.record.value.find("ILO-AL-D1-01"), std::string::npos);
    for (const auto& section : record.event.referral_requested().sealed()) {
      sealed += section.record_type() == "pact.routing.v1.Referral" && !section.ciphertext().empty();
    }
  }
  EXPECT_GT(sealed, 0);
}

}  // namespace
}  // namespace pact::routing
