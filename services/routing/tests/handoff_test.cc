#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "case_router.h"
#include "handoff_offer.h"
#include "routing_fixture.h"

namespace pact::routing {
namespace {

namespace intake = ::pact::intake::v1;

intake::Case case_with_everything() {
  intake::Case case_record;
  auto& encounter = *case_record.mutable_encounter();
  encounter.mutable_reporter()->set_sector(common::SECTOR_POLICE);
  encounter.mutable_reporter()->set_organization_id("rs-border-police");
  encounter.mutable_reporter()->set_jurisdiction(common::JURISDICTION_RS);
  encounter.mutable_reporter()->mutable_site()->set_site_id("rs-presevo-rc");
  auto& person = *encounter.mutable_person();
  person.set_given_name("Amira");
  person.set_date_of_birth("2001-02-03");
  person.add_identifiers()->set_value("P1234567");
  person.add_contacts()->set_value("+38160000000");
  person.add_languages("ar");
  encounter.add_observed_indicator_ids("ILO-AL-D1-01");
  auto* need = encounter.add_needs();
  need->set_type(common::NEED_TYPE_SHELTER);
  need->set_details("ground floor");
  encounter.mutable_context()->mutable_exact_location()->set_description("behind the station");
  encounter.mutable_next_destination()->set_jurisdiction(common::JURISDICTION_MK);
  encounter.mutable_next_destination()->set_details("bus on Tuesday");
  encounter.set_notes("met at night");
  return case_record;
}

TEST(HandoffOffer, OnlyTheSharedCategoriesCrossTheBorder) {
  const auto minimal = minimised_encounter(case_with_everything(), {common::DATA_CATEGORY_IDENTITY, common::DATA_CATEGORY_NEED_DETAILS},
                                           common::JURISDICTION_MK, "rs-hub");
  EXPECT_EQ(minimal.person().given_name(), "Amira");
  EXPECT_EQ(minimal.needs(0).details(), "ground floor");
  EXPECT_TRUE(minimal.person().identifiers().empty());
  EXPECT_TRUE(minimal.person().contacts().empty());
  EXPECT_TRUE(minimal.observed_indicator_ids().empty());
  EXPECT_FALSE(minimal.context().has_exact_location());
  EXPECT_TRUE(minimal.next_destination().details().empty());
  EXPECT_TRUE(minimal.notes().empty());
  EXPECT_EQ(minimal.reporter().organization_id(), "rs-hub");
  EXPECT_EQ(minimal.reporter().jurisdiction(), common::JURISDICTION_MK);
  EXPECT_EQ(minimal.person().languages(0), "ar");  // coarse attributes always travel
  const auto nothing = minimised_encounter(case_with_everything(), {}, common::JURISDICTION_MK, "rs-hub");
  EXPECT_TRUE(nothing.person().given_name().empty());
  EXPECT_TRUE(nothing.needs(0).details().empty());
  EXPECT_EQ(nothing.needs(0).type(), common::NEED_TYPE_SHELTER);
}

TEST(HandoffOffer, NothingIsTakenWithoutCrossBorderConsentOrARecordedException) {
  v1::HandoffOffer offer;
  offer.set_handoff_id("hof-1");
  offer.set_sending_hub("rs");
  offer.set_sending_case_id("case-1");
  offer.set_receiving_jurisdiction(common::JURISDICTION_MK);
  EXPECT_THAT(offer_problems(offer), ::testing::Contains(::testing::Field(&rpc::FieldViolation::field, "offer.sharing_basis")));
  offer.mutable_sharing_basis()->set_kind(common::SHARING_BASIS_KIND_CONSENT);
  offer.mutable_sharing_basis()->add_consent_scopes(common::CONSENT_SCOPE_CROSS_BORDER);
  offer.mutable_consent()->add_scopes(common::CONSENT_SCOPE_SERVICES);
  EXPECT_FALSE(offer_problems(offer).empty());  // the consent itself does not cover it
  offer.mutable_consent()->add_scopes(common::CONSENT_SCOPE_CROSS_BORDER);
  EXPECT_TRUE(offer_problems(offer).empty());
  offer.mutable_consent()->set_withdrawn(true);
  EXPECT_FALSE(offer_problems(offer).empty());
  offer.mutable_sharing_basis()->set_kind(common::SHARING_BASIS_KIND_RECORDED_EXCEPTION);
  auto& decision = *offer.mutable_exception_decision();
  decision.set_outcome(v1::DECISION_OUTCOME_POSITIVE);
  decision.add_exception_scopes(common::CONSENT_SCOPE_CROSS_BORDER);
  EXPECT_FALSE(offer_problems(offer).empty());  // no named person, no reason
  decision.mutable_decided_by()->set_display_name("Coordinator Example");
  decision.set_reason("Risk to life if the shelter does not know");
  EXPECT_TRUE(offer_problems(offer).empty());
}

class CaseRouterHandoff : public ::testing::Test {
 protected:
  CaseRouterHandoff() : directory_({}, testing::one_of_each()) {
    policy_.hub = "rs-hub";
    policy_.served = {common::JURISDICTION_RS};
    policy_.peers = {{"mk-hub", {common::JURISDICTION_MK}, "127.0.0.1:1"}};
  }

  CaseCommit run(const std::string& cause, const std::function<void(CaseRouter&)>& change) {
    RoutingContext context{testing::repository_sop(), directory_, "standard", "rs-hub", testing::monday_morning(), {}, &policy_};
    CaseRouter router(context, state_, cause);
    change(router);
    state_ = router.commit().state;
    return router.commit();
  }

  events::v1::ScreeningEvent moving_to(common::Jurisdiction destination, std::vector<common::ConsentScope> consent) {
    testing::CaseSpec spec;
    spec.consent = std::move(consent);
    auto event = testing::assessment(spec);
    event.mutable_assessment_completed()->mutable_snapshot()->mutable_summary()->set_next_destination_jurisdiction(destination);
    return event;
  }

  Directory directory_;
  HandoffPolicy policy_;
  v1::CaseRoutingState state_;
};

TEST_F(CaseRouterHandoff, AMoveToAPeersJurisdictionWaitsForCrossBorderConsent) {
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(moving_to(common::JURISDICTION_MK, {common::CONSENT_SCOPE_SERVICES})); });
  EXPECT_EQ(state_.handoffs_size(), 0);
  EXPECT_EQ(state_.handoff_awaiting_consent(), common::JURISDICTION_MK);
  auto event = moving_to(common::JURISDICTION_MK, {common::CONSENT_SCOPE_SERVICES, common::CONSENT_SCOPE_CROSS_BORDER});
  event.set_sequence(2);
  const auto commit = run("evt-2", [&](CaseRouter& r) { r.apply_assessment(event); });
  ASSERT_EQ(state_.handoffs_size(), 1);
  EXPECT_EQ(state_.handoffs(0).status(), v1::HANDOFF_STATUS_PENDING);
  EXPECT_EQ(state_.handoffs(0).receiving_hub(), "mk-hub");
  EXPECT_THAT(commit.index_add, ::testing::Contains(::testing::Pair("handoffs-pending", "case-1|" + state_.handoffs(0).handoff_id())));
  // The same move again is the same handoff.
  event.set_sequence(3);
  run("evt-3", [&](CaseRouter& r) { r.apply_assessment(event); });
  EXPECT_EQ(state_.handoffs_size(), 1);
}

TEST_F(CaseRouterHandoff, AMoveWithinThisHubsJurisdictionsIsNoHandoff) {
  policy_.served.push_back(common::JURISDICTION_MK);
  run("evt-1", [&](CaseRouter& r) {
    r.apply_assessment(moving_to(common::JURISDICTION_MK, {common::CONSENT_SCOPE_CROSS_BORDER}));
  });
  EXPECT_EQ(state_.handoffs_size(), 0);
}

TEST_F(CaseRouterHandoff, ADestinationNoHubServesIsATransnationalReferralToTheNationalCoordinator) {
  const auto commit = run("evt-1", [&](CaseRouter& r) {
    r.apply_assessment(moving_to(common::JURISDICTION_OTHER, {common::CONSENT_SCOPE_CROSS_BORDER}));
  });
  EXPECT_EQ(state_.handoffs_size(), 0);
  bool transnational = false;
  for (const auto& event : commit.events) {
    if (event.has_referral_escalated()) {
      transnational |= event.referral_escalated().reason() == v1::ESCALATION_REASON_NO_PEER_HUB &&
                       event.referral_escalated().escalation().kind() == v1::REFERRAL_KIND_TRANSNATIONAL;
    }
  }
  EXPECT_TRUE(transnational);
}

TEST_F(CaseRouterHandoff, AcceptanceHandsOverOpenReferralsADeclineEscalates) {
  auto event = moving_to(common::JURISDICTION_MK, {common::CONSENT_SCOPE_SERVICES, common::CONSENT_SCOPE_CROSS_BORDER});
  event.mutable_assessment_completed()->mutable_snapshot()->mutable_summary()->add_need_types(common::NEED_TYPE_SHELTER);
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(event); });
  const std::string handoff_id = state_.handoffs(0).handoff_id();
  v1::OfferHandoffResponse response;
  response.set_status(v1::HANDOFF_STATUS_ACCEPTED);
  response.set_receiving_case_id("mk-case-9");
  run("offered", [&](CaseRouter& r) { r.offer_delivered(handoff_id, response); });
  EXPECT_EQ(state_.handoffs(0).status(), v1::HANDOFF_STATUS_ACCEPTED);
  EXPECT_EQ(state_.handoffs(0).receiving_case_id(), "mk-case-9");
  for (const auto& referral : state_.referrals()) {
    if (referral.kind() == v1::REFERRAL_KIND_SOP) {
      EXPECT_EQ(referral.status_reason(), v1::REFERRAL_STATUS_REASON_HANDED_OVER);
    }
  }
  // Erasure at this hub is passed on to the peer that has the case.
  events::v1::ScreeningEvent erased;
  erased.set_case_id("case-1");
  erased.set_sequence(2);
  erased.mutable_assessment_completed()->mutable_erasure();
  const auto commit = run("erased", [&](CaseRouter& r) { r.apply_assessment(erased); });
  EXPECT_THAT(commit.index_add, ::testing::Contains(::testing::Pair("handoffs-erase", "case-1|" + handoff_id)));
}

TEST_F(CaseRouterHandoff, ADeclineOrNoAnswerBecomesATransnationalReferral) {
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(moving_to(common::JURISDICTION_MK, {common::CONSENT_SCOPE_CROSS_BORDER})); });
  const std::string handoff_id = state_.handoffs(0).handoff_id();
  v1::AnswerHandoffRequest declined;
  declined.set_handoff_id(handoff_id);
  declined.mutable_declined()->set_reason(v1::HANDOFF_DECLINE_REASON_PERSON_NOT_PRESENT);
  declined.mutable_declined()->set_note("not here");
  const auto commit = run("declined", [&](CaseRouter& r) { EXPECT_EQ(r.handoff_answered(declined).kind, AnswerRefusal::Kind::none); });
  EXPECT_EQ(state_.handoffs(0).status(), v1::HANDOFF_STATUS_DECLINED);
  EXPECT_TRUE(state_.handoffs(0).decline().note().empty());  // personal free text is not kept in clear
  EXPECT_FALSE(state_.handoffs(0).escalation_referral_id().empty());
  EXPECT_THAT(commit.remove_deadlines, ::testing::Contains("case-1/handoff/" + handoff_id + "|answer"));
}

}  // namespace
}  // namespace pact::routing
