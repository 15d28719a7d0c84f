#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <google/protobuf/util/time_util.h>

#include "case_router.h"
#include "pact/notification/v1/notification.pb.h"
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
  auto& delivery = *failed.mutable_notification_failed()->mutable_delivery();
  delivery.set_referral_id(kShelter1);
  delivery.set_kind(notification::v1::MESSAGE_KIND_REFERRAL_REQUEST);
  delivery.set_recipient_id("svc-6");
  run("n-1", [&](CaseRouter& r) { r.apply_notification(failed); });
  EXPECT_EQ(referral(kShelter1)->status_reason(), v1::REFERRAL_STATUS_REASON_UNDELIVERABLE);
  events::v1::NotificationEvent acknowledged;
  acknowledged.set_case_id("case-1");
  acknowledged.mutable_notification_acknowledged()->mutable_delivery()->set_referral_id("case-1/shelter/2");
  run("n-2", [&](CaseRouter& r) { r.apply_notification(acknowledged); });
  EXPECT_EQ(referral("case-1/shelter/2")->status(), v1::REFERRAL_STATUS_RECEIVED);
  const auto twice = run("n-3", [&](CaseRouter& r) { r.apply_notification(acknowledged); });
  EXPECT_TRUE(twice.events.empty());
  // A reminder that could not be delivered after the acknowledgement changes nothing.
  events::v1::NotificationEvent reminder_failed;
  reminder_failed.set_case_id("case-1");
  auto& reminder = *reminder_failed.mutable_notification_failed()->mutable_delivery();
  reminder.set_referral_id("case-1/shelter/2");
  reminder.set_kind(notification::v1::MESSAGE_KIND_REMINDER);
  const auto ignored = run("n-4", [&](CaseRouter& r) { r.apply_notification(reminder_failed); });
  EXPECT_TRUE(ignored.events.empty());
  EXPECT_EQ(referral("case-1/shelter/2")->status(), v1::REFERRAL_STATUS_RECEIVED);
}

TEST_F(CaseRouterTest, TheAcknowledgementEventCarriesTheAcceptanceDeadline) {
  using google::protobuf::util::TimeUtil;
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  // Before the acknowledgement the acceptance deadline is provisional: acknowledge_by + accept.
  const auto& requested = referral(kShelter1)->deadlines();
  const std::int64_t accept_seconds =
      TimeUtil::TimestampToSeconds(requested.accept_by()) - TimeUtil::TimestampToSeconds(requested.acknowledge_by());
  now_ += std::chrono::minutes(10);
  const auto commit = run("ack", [&](CaseRouter& r) { r.answer(kShelter1, Answer::acknowledge, {}, "p", nullptr); });
  for (const auto& event : commit.events) {
    if (!event.has_referral_status_changed()) continue;
    const auto& deadlines = event.referral_status_changed().deadlines();
    EXPECT_EQ(TimeUtil::TimestampToSeconds(deadlines.accept_by()),
              std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count() + accept_seconds);
    for (const auto& reminder : deadlines.reminders()) EXPECT_EQ(reminder.deadline(), v1::DEADLINE_KIND_ACCEPTANCE);
  }
}

TEST_F(CaseRouterTest, WhenTheSopSendsANeedElsewhereTheOldProviderLosesItAndNeverReadsMore) {
  // A presumed child (estimated 16) needs schooling; an age assessment then finds 19.
  testing::CaseSpec child;
  child.age = 16;
  child.flags.set_presumed_child(true);
  child.needs = {common::NEED_TYPE_EDUCATION};
  child.consent = {common::CONSENT_SCOPE_SERVICES};
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(child)); });
  const v1::Referral* school = referral("case-1/education/1");
  ASSERT_NE(school, nullptr);
  EXPECT_EQ(school->service_type(), v1::SERVICE_TYPE_EDUCATION);
  testing::CaseSpec adult = child;
  adult.sequence = 2;
  adult.age = 19;
  adult.flags.set_presumed_child(false);
  run("evt-2", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(adult)); });
  EXPECT_EQ(referral("case-1/education/1")->status(), v1::REFERRAL_STATUS_CANCELLED);
  EXPECT_EQ(referral("case-1/education/1")->status_reason(), v1::REFERRAL_STATUS_REASON_PLAN_CHANGED);
  ASSERT_NE(referral("case-1/education/2"), nullptr);
  EXPECT_EQ(referral("case-1/education/2")->service_type(), v1::SERVICE_TYPE_EMPLOYMENT_AND_INCLUSION);
}

TEST_F(CaseRouterTest, BroaderConsentNeverWidensWhatAnOpenReferralShares) {
  testing::CaseSpec spec;
  spec.flags.set_language_barrier(true);
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(spec)); });
  const v1::Referral* interpreter = referral("case-1/interpreter/1");
  ASSERT_NE(interpreter, nullptr);
  EXPECT_EQ(interpreter->shared_data_size(), 0);
  spec.sequence = 2;
  spec.consent = {common::CONSENT_SCOPE_SERVICES};
  run("evt-2", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(spec)); });
  EXPECT_EQ(referral("case-1/interpreter/1")->shared_data_size(), 0);
}

TEST_F(CaseRouterTest, TwoNeedsOneShelterMeetsAreOneReferralNotTwoBeds) {
  testing::CaseSpec spec = shelter_case();
  spec.flags.set_immediate_danger(true);
  const auto commit = run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(spec)); });
  int shelters = 0;
  for (const auto& r : state_.referrals()) shelters += r.service_type() == v1::SERVICE_TYPE_SAFE_ACCOMMODATION;
  EXPECT_EQ(shelters, 1);
  int reservations = 0;
  for (const auto& op : commit.capacity) reservations += op.service_id == "svc-6";
  EXPECT_EQ(reservations, 1);
}

TEST_F(CaseRouterTest, AChildsNoToChildProtectionGoesToTheNextServiceNotToNobody) {
  auto services = testing::one_of_each();
  services.push_back(testing::service("svc-3b", v1::SERVICE_TYPE_CHILD_PROTECTION));
  directory_ = Directory({}, services);
  testing::CaseSpec child;
  child.age = 15;
  child.flags.set_presumed_child(true);
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(child)); });
  const std::string first = "case-1/child_protection_and_guardian/1";
  ASSERT_NE(referral(first), nullptr);
  run("declined", [&](CaseRouter& r) {
    EXPECT_EQ(r.answer(first, Answer::reject, v1::REFERRAL_STATUS_REASON_PERSON_DECLINED, "p", nullptr).kind, AnswerRefusal::Kind::none);
  });
  ASSERT_NE(referral("case-1/child_protection_and_guardian/2"), nullptr);
  EXPECT_TRUE(is_open(referral("case-1/child_protection_and_guardian/2")->status()));
}

TEST_F(CaseRouterTest, AnEscalationWithNobodyAboveStaysOpenAndOverdue) {
  auto services = testing::one_of_each();
  std::erase_if(services, [](const v1::Service& s) { return s.type() == v1::SERVICE_TYPE_NATIONAL_COORDINATOR; });
  directory_ = Directory({}, services);
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(shelter_case())); });
  run("reject", [&](CaseRouter& r) { r.answer(kShelter1, Answer::reject, v1::REFERRAL_STATUS_REASON_NO_CAPACITY, "p", nullptr); });
  ASSERT_NE(referral("case-1/shelter/2"), nullptr);
  run("case-1/shelter/2|ack", [&](CaseRouter& r) { r.fire("case-1/shelter/2|ack"); });
  EXPECT_EQ(referral("case-1/shelter/2")->status(), v1::REFERRAL_STATUS_REQUESTED);
  EXPECT_TRUE(referral("case-1/shelter/2")->overdue());
}

TEST_F(CaseRouterTest, ALapsedExceptionEndsWhatItAllowed) {
  testing::CaseSpec spec;
  spec.level = screening::LEVEL_COMBINATION_MET;
  spec.recommendations = {screening::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION};
  run("evt-1", [&](CaseRouter& r) { r.apply_assessment(testing::assessment(spec)); });
  EXPECT_EQ(referral("case-1/formal_identification/1"), nullptr);  // no identification consent
  v1::Decision exception;
  exception.set_decision_id("dec-1");
  exception.set_case_id("case-1");
  exception.set_type(v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION);
  exception.set_outcome(v1::DECISION_OUTCOME_POSITIVE);
  exception.add_exception_scopes(common::CONSENT_SCOPE_IDENTIFICATION);
  exception.add_exception_data(common::DATA_CATEGORY_IDENTITY);
  *exception.mutable_exception_valid_until() = google::protobuf::util::TimeUtil::MillisecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>((now_ + std::chrono::hours(1)).time_since_epoch()).count());
  const auto recorded = run("dec-1", [&](CaseRouter& r) { r.record_decision(exception, common::EncryptedSection{}); });
  const v1::Referral* identification = referral("case-1/formal_identification/1");
  ASSERT_NE(identification, nullptr);
  EXPECT_EQ(identification->sharing_basis().kind(), common::SHARING_BASIS_KIND_RECORDED_EXCEPTION);
  EXPECT_EQ(identification->shared_data_size(), 1);  // only what the exception names
  EXPECT_THAT(recorded.add_deadlines, ::testing::Contains(::testing::Field(&DeadlineEntry::member, "case-1/exception/dec-1|lapse")));
  now_ += std::chrono::hours(2);
  run("case-1/exception/dec-1|lapse", [&](CaseRouter& r) { r.fire("case-1/exception/dec-1|lapse"); });
  EXPECT_EQ(referral("case-1/formal_identification/1")->status(), v1::REFERRAL_STATUS_CANCELLED);
  EXPECT_EQ(referral("case-1/formal_identification/1")->status_reason(), v1::REFERRAL_STATUS_REASON_EXCEPTION_LAPSED);
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
