#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "case_router.h"
#include "routing_fixture.h"

namespace pact::routing {
namespace {

using Clock = std::chrono::system_clock;

// Runs CaseRouter the way CaseUpdater does, on state kept in memory: each change starts from the
// state the previous one left, as if it had been committed.
class CaseRouterTest : public ::testing::Test {
 protected:
  CaseRouterTest() : directory_({}, testing::one_of_each()) {}

  CaseCommit run(const std::string& cause, const std::function<void(CaseRouter&)>& change) {
    RoutingContext context{testing::repository_sop(), directory_, "standard", "test", now_, {}};
    CaseRouter router(context, state_, cause);
    change(router);
    state_ = router.commit().state;
    state_.set_version(state_.version() + 1);
    return router.commit();
  }

  const v1::Referral* referral(const std::string& id) const {
    for (const auto& r : state_.referrals()) {
      if (r.referral_id() == id) return &r;
    }
    return nullptr;
  }

  std::vector<const v1::Referral*> open_for(common::NeedType need) const {
    std::vector<const v1::Referral*> out;
    for (const auto& r : state_.referrals()) {
      if (r.attempt_id().need_type() == need && is_open(r.status())) out.push_back(&r);
    }
    return out;
  }

  static int count(const CaseCommit& commit, events::v1::ReferralEvent::EventCase which) {
    return static_cast<int>(std::count_if(commit.events.begin(), commit.events.end(), [&](const auto& e) { return e.event_case() == which; }));
  }

  testing::CaseSpec shelter_case() {
    testing::CaseSpec spec;
    spec.needs = {common::NEED_TYPE_SHELTER};
    spec.consent = {common::CONSENT_SCOPE_SERVICES};
    return spec;
  }

  Directory directory_;
  v1::CaseRoutingState state_;
  Clock::time_point now_ = testing::monday_morning();
};

const std::string kShelter1 = "case-1/shelter/1";

TEST_F(CaseRouterTest, AnAssessmentYieldsReferralsWithDeadlinesCapacityAndEvents) {
  const auto commit = run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  const v1::Referral* shelter = referral(kShelter1);
  ASSERT_NE(shelter, nullptr);
  EXPECT_EQ(shelter->status(), v1::REFERRAL_STATUS_REQUESTED);
  EXPECT_EQ(shelter->service_type(), v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  EXPECT_EQ(shelter->rule().rule_id(), "need-shelter");
  EXPECT_FALSE(shelter->rule().sop_version().empty());
  EXPECT_EQ(shelter->sharing_basis().kind(), common::SHARING_BASIS_KIND_CONSENT);
  EXPECT_TRUE(shelter->deadlines().has_acknowledge_by());
  EXPECT_GE(count(commit, events::v1::ReferralEvent::kReferralRequested), 1);
  EXPECT_THAT(commit.add_deadlines, ::testing::Contains(::testing::Field(&DeadlineEntry::member, kShelter1 + "|ack")));
  EXPECT_THAT(commit.capacity, ::testing::Contains(::testing::Field(&CapacityOp::referral_id, kShelter1)));
  for (const auto& event : commit.events) EXPECT_EQ(event.case_id(), "case-1");
}

TEST_F(CaseRouterTest, ReprocessingAnEventOrANewSopVersionCreatesNoDuplicate) {
  const auto first = run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  const int referrals = state_.referrals_size();
  const auto again = run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  EXPECT_EQ(state_.referrals_size(), referrals);
  EXPECT_EQ(count(again, events::v1::ReferralEvent::kReferralRequested), 0);
  // Event ids derive from the cause: a repeat of the first change would carry the same ids.
  EXPECT_FALSE(first.events.empty());
}

TEST_F(CaseRouterTest, ARejectionReleasesThePlaceAndTriesTheNextProvider) {
  auto second = testing::service("svc-6b", v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  auto services = testing::one_of_each();
  services.push_back(second);
  directory_ = Directory({}, services);
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  const std::string first_provider = referral(kShelter1)->service_id();
  CaseCommit commit = run("answer", [&](CaseRouter& r) {
    EXPECT_EQ(r.answer(kShelter1, Answer::reject, v1::REFERRAL_STATUS_REASON_NO_CAPACITY, "provider-1", nullptr).kind,
              AnswerRefusal::Kind::none);
    EXPECT_EQ(r.next_referral_id(), "case-1/shelter/2");
  });
  EXPECT_EQ(referral(kShelter1)->status(), v1::REFERRAL_STATUS_REJECTED);
  ASSERT_NE(referral("case-1/shelter/2"), nullptr);
  EXPECT_NE(referral("case-1/shelter/2")->service_id(), first_provider);
  EXPECT_EQ(referral("case-1/shelter/2")->previous_referral_id(), kShelter1);
  EXPECT_THAT(commit.capacity, ::testing::Contains(::testing::AllOf(::testing::Field(&CapacityOp::kind, CapacityOp::Kind::release),
                                                                   ::testing::Field(&CapacityOp::referral_id, kShelter1))));
  EXPECT_THAT(commit.remove_deadlines, ::testing::Contains(kShelter1 + "|ack"));
  // The rejected attempt stays in the history.
  EXPECT_EQ(state_.referrals_size(), static_cast<int>(state_.referrals().size()));
}

TEST_F(CaseRouterTest, WhenNoProviderIsLeftTheNeedGoesToTheEocThenTheNationalCoordinator) {
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  const auto rejected = run("answer", [&](CaseRouter& r) {
    r.answer(kShelter1, Answer::reject, v1::REFERRAL_STATUS_REASON_NO_CAPACITY, "provider-1", nullptr);
  });
  EXPECT_EQ(count(rejected, events::v1::ReferralEvent::kReferralEscalated), 1);
  const v1::Referral* desk = referral("case-1/shelter/2");
  ASSERT_NE(desk, nullptr);
  EXPECT_EQ(desk->kind(), v1::REFERRAL_KIND_ESCALATION);
  EXPECT_EQ(desk->service_id(), "eoc-desk");
  EXPECT_EQ(desk->sharing_basis().kind(), common::SHARING_BASIS_KIND_NO_PERSONAL_DATA);
  // The duty desk lets its acknowledgement deadline pass: on to the national coordinator.
  now_ += std::chrono::hours(2);
  run("case-1/shelter/2|ack", [&](CaseRouter& r) { r.fire("case-1/shelter/2|ack"); });
  EXPECT_EQ(referral("case-1/shelter/2")->status(), v1::REFERRAL_STATUS_CANCELLED);
  EXPECT_EQ(referral("case-1/shelter/2")->status_reason(), v1::REFERRAL_STATUS_REASON_ACKNOWLEDGEMENT_DEADLINE_MISSED);
  const v1::Referral* coordinator = referral("case-1/shelter/3");
  ASSERT_NE(coordinator, nullptr);
  EXPECT_EQ(coordinator->escalation_level(), v1::ESCALATION_LEVEL_NATIONAL_COORDINATOR);
  // Nobody above the coordinator: the escalation stays open and overdue, never dropped.
  now_ += std::chrono::hours(2);
  run("case-1/shelter/3|ack", [&](CaseRouter& r) { r.fire("case-1/shelter/3|ack"); });
  EXPECT_EQ(referral("case-1/shelter/3")->status(), v1::REFERRAL_STATUS_REQUESTED);
  EXPECT_TRUE(referral("case-1/shelter/3")->overdue());
}

TEST_F(CaseRouterTest, AMissedAcknowledgementCancelsTheAttemptAndRoutesOn) {
  auto services = testing::one_of_each();
  services.push_back(testing::service("svc-6b", v1::SERVICE_TYPE_SAFE_ACCOMMODATION));
  directory_ = Directory({}, services);
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  const auto reminder = run(kShelter1 + "|ack-reminder-1", [&](CaseRouter& r) { r.fire(kShelter1 + "|ack-reminder-1"); });
  EXPECT_EQ(count(reminder, events::v1::ReferralEvent::kReferralReminderDue), 1);
  EXPECT_EQ(reminder.fired_deadline, kShelter1 + "|ack-reminder-1");
  const auto missed = run(kShelter1 + "|ack", [&](CaseRouter& r) { r.fire(kShelter1 + "|ack"); });
  EXPECT_EQ(referral(kShelter1)->status_reason(), v1::REFERRAL_STATUS_REASON_ACKNOWLEDGEMENT_DEADLINE_MISSED);
  EXPECT_EQ(open_for(common::NEED_TYPE_SHELTER).size(), 1U);
  EXPECT_EQ(open_for(common::NEED_TYPE_SHELTER)[0]->referral_id(), "case-1/shelter/2");
  EXPECT_EQ(count(missed, events::v1::ReferralEvent::kDeliveryCancelled), 1);
  // The timer of an answered attempt does nothing.
  const auto late = run(kShelter1 + "|ack", [&](CaseRouter& r) { r.fire(kShelter1 + "|ack"); });
  EXPECT_TRUE(late.events.empty());
}

TEST_F(CaseRouterTest, AcknowledgementStartsTheAcceptanceDeadline) {
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  now_ += std::chrono::minutes(5);
  const auto commit = run("ack", [&](CaseRouter& r) {
    EXPECT_EQ(r.answer(kShelter1, Answer::acknowledge, {}, "provider", nullptr).kind, AnswerRefusal::Kind::none);
  });
  EXPECT_EQ(referral(kShelter1)->status(), v1::REFERRAL_STATUS_RECEIVED);
  EXPECT_THAT(commit.add_deadlines, ::testing::Contains(::testing::Field(&DeadlineEntry::member, kShelter1 + "|accept")));
  EXPECT_THAT(commit.remove_deadlines, ::testing::Contains(kShelter1 + "|ack"));
  // Accept, start, complete; answers out of order are refused.
  run("accept", [&](CaseRouter& r) { EXPECT_EQ(r.answer(kShelter1, Answer::accept, {}, "p", nullptr).kind, AnswerRefusal::Kind::none); });
  run("start", [&](CaseRouter& r) { EXPECT_EQ(r.answer(kShelter1, Answer::start, {}, "p", nullptr).kind, AnswerRefusal::Kind::none); });
  run("reject", [&](CaseRouter& r) {
    EXPECT_EQ(r.answer(kShelter1, Answer::reject, v1::REFERRAL_STATUS_REASON_NO_CAPACITY, "p", nullptr).kind,
              AnswerRefusal::Kind::wrong_state);
  });
  run("complete", [&](CaseRouter& r) { EXPECT_EQ(r.answer(kShelter1, Answer::complete, {}, "p", nullptr).kind, AnswerRefusal::Kind::none); });
  EXPECT_EQ(referral(kShelter1)->status(), v1::REFERRAL_STATUS_COMPLETED);
  EXPECT_EQ(referral(kShelter1)->history_size(), 5);
}

TEST_F(CaseRouterTest, ARejectionNeedsAReason) {
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  run("reject", [&](CaseRouter& r) {
    EXPECT_EQ(r.answer(kShelter1, Answer::reject, v1::REFERRAL_STATUS_REASON_UNSPECIFIED, "p", nullptr).kind,
              AnswerRefusal::Kind::bad_reason);
  });
}

TEST_F(CaseRouterTest, WithdrawnConsentCancelsReferralsOutsideTheRemainingScopeAndTellsTheProvider) {
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  testing::CaseSpec withdrawn = shelter_case();
  withdrawn.sequence = 2;
  withdrawn.consent = {};
  const auto commit = run("evt-2", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(withdrawn)); });
  EXPECT_EQ(referral(kShelter1)->status(), v1::REFERRAL_STATUS_CANCELLED);
  EXPECT_EQ(referral(kShelter1)->status_reason(), v1::REFERRAL_STATUS_REASON_CONSENT_WITHDRAWN);
  bool provider_told = false;
  for (const auto& event : commit.events) {
    if (event.has_referral_status_changed() && event.referral_status_changed().referral().referral_id() == kShelter1) {
      provider_told = !event.notify_recipient_ids().empty();
    }
  }
  EXPECT_TRUE(provider_told);
  // Consent given again: a new attempt, the cancelled one stays in the history.
  testing::CaseSpec again = shelter_case();
  again.sequence = 3;
  run("evt-3", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(again)); });
  ASSERT_NE(referral("case-1/shelter/2"), nullptr);
  EXPECT_EQ(referral("case-1/shelter/2")->status(), v1::REFERRAL_STATUS_REQUESTED);
}

TEST_F(CaseRouterTest, ErasureCancelsEveryOpenReferralAndDropsSealedData) {
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  events::v1::ScreeningEvent erased;
  erased.set_event_id("evt-erased");
  erased.set_case_id("case-1");
  erased.set_sequence(2);
  erased.mutable_assessment_completed()->mutable_erasure();
  run("evt-erased", [&](CaseRouter& r) { r.apply_assessment(erased); });
  EXPECT_TRUE(state_.erased());
  EXPECT_EQ(state_.sealed_case_size(), 0);
  for (const auto& r : state_.referrals()) {
    EXPECT_FALSE(is_open(r.status())) << r.referral_id();
    EXPECT_EQ(r.status_reason(), v1::REFERRAL_STATUS_REASON_CASE_ERASED);
  }
}

TEST_F(CaseRouterTest, DeliveryReportsAcknowledgeOrRouteOn) {
  auto services = testing::one_of_each();
  services.push_back(testing::service("svc-6b", v1::SERVICE_TYPE_SAFE_ACCOMMODATION));
  directory_ = Directory({}, services);
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  events::v1::NotificationEvent failed;
  failed.set_case_id("case-1");
  failed.mutable_notification_failed()->mutable_delivery()->set_referral_id(kShelter1);
  run("n-1", [&](CaseRouter& r) { r.apply_notification(failed); });
  EXPECT_EQ(referral(kShelter1)->status_reason(), v1::REFERRAL_STATUS_REASON_UNDELIVERABLE);
  events::v1::NotificationEvent acknowledged;
  acknowledged.set_case_id("case-1");
  acknowledged.mutable_notification_acknowledged()->mutable_delivery()->set_referral_id("case-1/shelter/2");
  run("n-2", [&](CaseRouter& r) { r.apply_notification(acknowledged); });
  EXPECT_EQ(referral("case-1/shelter/2")->status(), v1::REFERRAL_STATUS_RECEIVED);
  const auto twice = run("n-3", [&](CaseRouter& r) { r.apply_notification(acknowledged); });
  EXPECT_TRUE(twice.events.empty());
}

TEST_F(CaseRouterTest, AFullProviderIsSkippedWhenRoutingIsRedone) {
  auto services = testing::one_of_each();
  services.push_back(testing::service("svc-6b", v1::SERVICE_TYPE_SAFE_ACCOMMODATION));
  directory_ = Directory({}, services);
  RoutingContext context{testing::repository_sop(), directory_, "standard", "test", now_, {"svc-6"}};
  CaseRouter router(context, state_, "evt-1");
  router.apply_assessment(testing::assessment(shelter_case()));
  for (const auto& r : router.state().referrals()) {
    if (r.attempt_id().need_type() == common::NEED_TYPE_SHELTER) {
      EXPECT_EQ(r.service_id(), "svc-6b");
    }
  }
}

}  // namespace
}  // namespace pact::routing
