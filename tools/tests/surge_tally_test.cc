// SurgeTally and the surge report: what `pactctl surge` and the local run tell an operator a surge
// led to, built from the hub's events. Records are built as the event follower hands them on
// (topic without the hub prefix, the envelope still encoded), so no broker is needed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <google/protobuf/util/time_util.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/topic_follower.h"
#include "kafka/topics.h"
#include "load_runner.h"
#include "pact/events/v1/notification_events.pb.h"
#include "pact/events/v1/referral_events.pb.h"
#include "pact/events/v1/screening_events.pb.h"
#include "surge_report.h"
#include "surge_tally.h"

namespace pactscenario {
namespace {

namespace events = pact::events::v1;
namespace routing = pact::routing::v1;
namespace screening = pact::screening::v1;
namespace notification = pact::notification::v1;
using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;
using Clock = std::chrono::system_clock;

// 2026-02-25, a fixed instant so latencies are exact.
const Clock::time_point kSurgeStart{std::chrono::milliseconds(1'772'000'000'000)};

Clock::time_point after_ms(std::int64_t ms) { return kSurgeStart + std::chrono::milliseconds(ms); }

google::protobuf::Timestamp timestamp_after_ms(std::int64_t ms) {
  return TimeUtil::MillisecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>(after_ms(ms).time_since_epoch()).count());
}

FollowedRecord record(std::string_view topic_base, const google::protobuf::Message& event) {
  FollowedRecord followed;
  followed.topic_base = std::string(topic_base);
  followed.value = event.SerializeAsString();
  return followed;
}

struct AssessmentFlags {
  bool presumed_child = false;
  bool unaccompanied_or_separated = false;
  bool urgent_medical = false;
};

events::ScreeningEvent assessed(const std::string& event_id, const std::string& case_id, screening::Level level,
                                AssessmentFlags flags = {}) {
  events::ScreeningEvent event;
  event.set_event_id(event_id);
  event.set_case_id(case_id);
  auto& assessment = *event.mutable_assessment_completed()->mutable_assessment();
  assessment.set_level(level);
  assessment.mutable_flags()->set_presumed_child(flags.presumed_child);
  assessment.mutable_flags()->set_unaccompanied_or_separated(flags.unaccompanied_or_separated);
  assessment.mutable_flags()->set_urgent_medical(flags.urgent_medical);
  return event;
}

events::ReferralEvent referral_event(const std::string& event_id, const std::string& case_id) {
  events::ReferralEvent event;
  event.set_event_id(event_id);
  event.set_case_id(case_id);
  return event;
}

void describe(events::ReferralInfo& info, const std::string& referral_id, routing::ServiceType service,
              routing::ReferralStatus status) {
  info.set_referral_id(referral_id);
  info.set_service_type(service);
  info.set_status(status);
}

events::ReferralEvent requested(const std::string& event_id, const std::string& case_id, const std::string& referral_id,
                                routing::ServiceType service, const std::string& previous_referral_id = "") {
  auto event = referral_event(event_id, case_id);
  auto& requested_event = *event.mutable_referral_requested();
  describe(*requested_event.mutable_referral(), referral_id, service, routing::REFERRAL_STATUS_REQUESTED);
  requested_event.set_previous_referral_id(previous_referral_id);
  return event;
}

events::ReferralEvent status_changed(const std::string& event_id, const std::string& case_id,
                                     const std::string& referral_id, routing::ServiceType service,
                                     routing::ReferralStatus status) {
  auto event = referral_event(event_id, case_id);
  describe(*event.mutable_referral_status_changed()->mutable_referral(), referral_id, service, status);
  return event;
}

events::ReferralEvent escalated(const std::string& event_id, const std::string& case_id, routing::EscalationLevel level) {
  auto event = referral_event(event_id, case_id);
  event.mutable_referral_escalated()->set_level(level);
  return event;
}

events::ReferralEvent reminder_due(const std::string& event_id, const std::string& case_id) {
  auto event = referral_event(event_id, case_id);
  event.mutable_referral_reminder_due()->set_reminder_number(1);
  return event;
}

events::NotificationEvent notification_event(const std::string& event_id, const std::string& case_id) {
  events::NotificationEvent event;
  event.set_event_id(event_id);
  event.set_case_id(case_id);
  return event;
}

events::NotificationEvent delivered(const std::string& event_id, const std::string& case_id,
                                    notification::MessageKind kind, std::int64_t delivered_after_ms) {
  auto event = notification_event(event_id, case_id);
  auto& delivered_event = *event.mutable_notification_delivered();
  delivered_event.mutable_delivery()->set_kind(kind);
  *delivered_event.mutable_delivered_at() = timestamp_after_ms(delivered_after_ms);
  return event;
}

class SurgeTallyTest : public ::testing::Test {
 protected:
  void see(const events::ScreeningEvent& event) { tally_.observe(record(pact::kafka::topic::kScreening, event)); }
  void see(const events::ReferralEvent& event) { tally_.observe(record(pact::kafka::topic::kReferral, event)); }
  void see(const events::NotificationEvent& event) { tally_.observe(record(pact::kafka::topic::kNotification, event)); }
  void register_case(const std::string& case_id, std::int64_t sent_after_ms = 0) {
    tally_.registration_sent(case_id, after_ms(sent_after_ms));
  }

  SurgeTally tally_;
};

TEST_F(SurgeTallyTest, CountsOnlyTheCasesThisRunRegistered) {
  register_case("case-1");
  see(assessed("s-1", "case-1", screening::LEVEL_INDICATIONS_PRESENT));
  see(requested("r-1", "case-1", "case-1/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION));
  // Another run's case on the same broker.
  see(assessed("s-2", "case-other", screening::LEVEL_COMBINATION_MET, {.presumed_child = true}));
  see(requested("r-2", "case-other", "case-other/legal_aid/1", routing::SERVICE_TYPE_LEGAL_AID));
  see(escalated("r-3", "case-other", routing::ESCALATION_LEVEL_EOC_DUTY_DESK));
  see(delivered("n-1", "case-other", notification::MESSAGE_KIND_REFERRAL_REQUEST, 100));

  const SurgeFigures figures = tally_.figures();
  EXPECT_EQ(figures.registered, 1u);
  EXPECT_EQ(figures.screened, 1u);
  EXPECT_THAT(figures.cases_by_level, ElementsAre(Pair("indications present", 1u)));
  EXPECT_EQ(figures.children, 0u);
  EXPECT_EQ(figures.referral_attempts, 1u);
  EXPECT_THAT(figures.referrals, ElementsAre(Pair("safe accommodation", ElementsAre(Pair("requested", 1u)))));
  EXPECT_EQ(figures.escalations(), 0u);
  EXPECT_EQ(figures.delivered, 0u);
  EXPECT_EQ(figures.cases_reached, 0u);
}

TEST_F(SurgeTallyTest, EventsArrivingBeforeTheRegistrationAnswerCountOnceTheCaseIsRegistered) {
  see(assessed("s-1", "case-1", screening::LEVEL_COMBINATION_MET, {.urgent_medical = true}));
  see(requested("r-1", "case-1", "case-1/urgent_medical_care/1", routing::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE));
  see(delivered("n-1", "case-1", notification::MESSAGE_KIND_REFERRAL_REQUEST, 700));

  const SurgeFigures before = tally_.figures();
  EXPECT_EQ(before.registered, 0u);
  EXPECT_EQ(before.screened, 0u);
  EXPECT_EQ(before.referral_attempts, 0u);
  EXPECT_THAT(before.referrals, IsEmpty());

  register_case("case-1");
  const SurgeFigures after = tally_.figures();
  EXPECT_EQ(after.registered, 1u);
  EXPECT_EQ(after.screened, 1u);
  EXPECT_EQ(after.urgent_medical, 1u);
  EXPECT_EQ(after.referral_attempts, 1u);
  EXPECT_EQ(after.referrals_in("requested"), 1u);
  EXPECT_EQ(after.delivered, 1u);
  EXPECT_THAT(after.end_to_end_ms, ElementsAre(700.0));
}

TEST_F(SurgeTallyTest, ADuplicatedEventCountsOnce) {
  register_case("case-1");
  const auto request = requested("r-1", "case-1", "case-1/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION);
  const auto reminder = reminder_due("r-2", "case-1");
  const auto delivery = delivered("n-1", "case-1", notification::MESSAGE_KIND_REFERRAL_REQUEST, 50);
  const auto escalation = escalated("r-3", "case-1", routing::ESCALATION_LEVEL_EOC_DUTY_DESK);
  for (int replay = 0; replay < 3; ++replay) {
    see(request);
    see(reminder);
    see(delivery);
    see(escalation);
  }

  const SurgeFigures figures = tally_.figures();
  EXPECT_EQ(figures.referral_attempts, 1u);
  EXPECT_EQ(figures.reminders, 1u);
  EXPECT_EQ(figures.delivered, 1u);
  EXPECT_EQ(figures.escalations(), 1u);
}

TEST_F(SurgeTallyTest, EventsWithTheSameContentButDifferentIdsEachCount) {
  register_case("case-1");
  see(reminder_due("r-1", "case-1"));
  see(reminder_due("r-2", "case-1"));
  EXPECT_EQ(tally_.figures().reminders, 2u);
}

TEST_F(SurgeTallyTest, RegisteringTheSameCaseTwiceCountsItOnceFromTheFirstSending) {
  register_case("case-1", 0);
  register_case("case-1", 400);  // an idempotent replay answered again
  tally_.registration_failed();
  tally_.registration_failed();
  see(delivered("n-1", "case-1", notification::MESSAGE_KIND_REFERRAL_REQUEST, 1000));

  const SurgeFigures figures = tally_.figures();
  EXPECT_EQ(figures.registered, 1u);
  EXPECT_EQ(figures.registration_errors, 2u);
  EXPECT_THAT(figures.end_to_end_ms, ElementsAre(1000.0));
}

TEST_F(SurgeTallyTest, ACaseCountsUnderItsLatestLevelAndKeepsEveryFlagItWasEverGiven) {
  register_case("case-1");
  register_case("case-2");
  see(assessed("s-1", "case-1", screening::LEVEL_INDICATIONS_PRESENT, {.urgent_medical = true}));
  see(assessed("s-2", "case-1", screening::LEVEL_COMBINATION_MET,
               {.presumed_child = true, .unaccompanied_or_separated = true}));
  see(assessed("s-3", "case-2", screening::LEVEL_NO_INDICATORS_OBSERVED));

  const SurgeFigures figures = tally_.figures();
  EXPECT_EQ(figures.screened, 2u);
  EXPECT_THAT(figures.cases_by_level,
              UnorderedElementsAre(Pair("combination met", 1u), Pair("no indicators observed", 1u)));
  EXPECT_EQ(figures.children, 1u);
  EXPECT_EQ(figures.unaccompanied_or_separated, 1u);
  EXPECT_EQ(figures.urgent_medical, 1u);
}

TEST_F(SurgeTallyTest, AnAssessmentWithoutItsCoarsePartLeavesTheCaseAsItWas) {
  register_case("case-1");
  see(assessed("s-1", "case-1", screening::LEVEL_COMBINATION_MET));
  events::ScreeningEvent erased;  // after erasure screening sends no assessment
  erased.set_event_id("s-2");
  erased.set_case_id("case-1");
  erased.mutable_assessment_completed()->set_change(events::CASE_CHANGE_ERASED);
  see(erased);

  const SurgeFigures figures = tally_.figures();
  EXPECT_EQ(figures.screened, 1u);
  EXPECT_THAT(figures.cases_by_level, ElementsAre(Pair("combination met", 1u)));
}

TEST_F(SurgeTallyTest, EachReferralCountsOnceUnderItsServiceTypeWithItsLatestStatus) {
  register_case("case-1");
  register_case("case-2");
  see(requested("r-1", "case-1", "case-1/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION));
  see(status_changed("r-2", "case-1", "case-1/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION,
                     routing::REFERRAL_STATUS_RECEIVED));
  see(status_changed("r-3", "case-1", "case-1/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION,
                     routing::REFERRAL_STATUS_ACCEPTED));
  see(requested("r-4", "case-1", "case-1/legal_aid/1", routing::SERVICE_TYPE_LEGAL_AID));
  see(requested("r-5", "case-2", "case-2/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION));
  see(status_changed("r-6", "case-2", "case-2/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION,
                     routing::REFERRAL_STATUS_IN_PROGRESS));

  const SurgeFigures figures = tally_.figures();
  EXPECT_THAT(figures.referrals,
              UnorderedElementsAre(
                  Pair("safe accommodation", UnorderedElementsAre(Pair("accepted", 1u), Pair("in progress", 1u))),
                  Pair("legal aid", ElementsAre(Pair("requested", 1u)))));
  EXPECT_EQ(figures.referrals_in("accepted"), 1u);
  EXPECT_EQ(figures.referrals_in("requested"), 1u);
  EXPECT_EQ(figures.referrals_in("received"), 0u);
  EXPECT_EQ(figures.referral_attempts, 3u);
  EXPECT_EQ(figures.cases_with_referral, 2u);
}

TEST_F(SurgeTallyTest, AStatusChangeOfAReferralNeverSeenRequestedIsNotCounted) {
  register_case("case-1");
  // An escalation attempt changes status too; it is the coordination contact's, not a provider's.
  see(status_changed("r-1", "case-1", "case-1/escalation/1", routing::SERVICE_TYPE_EOC_DUTY_DESK,
                     routing::REFERRAL_STATUS_ACCEPTED));
  const SurgeFigures figures = tally_.figures();
  EXPECT_THAT(figures.referrals, IsEmpty());
  EXPECT_EQ(figures.referrals_in("accepted"), 0u);
}

TEST_F(SurgeTallyTest, ReRoutesAreTheRequestsThatReplaceAnEarlierAttempt) {
  register_case("case-1");
  see(requested("r-1", "case-1", "case-1/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION));
  see(status_changed("r-2", "case-1", "case-1/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION,
                     routing::REFERRAL_STATUS_REJECTED));
  see(requested("r-3", "case-1", "case-1/shelter/2", routing::SERVICE_TYPE_SAFE_ACCOMMODATION, "case-1/shelter/1"));
  see(requested("r-4", "case-1", "case-1/legal_aid/1", routing::SERVICE_TYPE_LEGAL_AID));

  const SurgeFigures figures = tally_.figures();
  EXPECT_EQ(figures.reroutes, 1u);
  EXPECT_EQ(figures.referral_attempts, 3u);
  EXPECT_EQ(figures.cases_with_referral, 1u);
  EXPECT_THAT(figures.referrals.at("safe accommodation"),
              UnorderedElementsAre(Pair("rejected", 1u), Pair("requested", 1u)));
}

TEST_F(SurgeTallyTest, EscalationsAreCountedByLevel) {
  register_case("case-1");
  register_case("case-2");
  see(escalated("r-1", "case-1", routing::ESCALATION_LEVEL_EOC_DUTY_DESK));
  see(escalated("r-2", "case-1", routing::ESCALATION_LEVEL_NATIONAL_COORDINATOR));
  see(escalated("r-3", "case-2", routing::ESCALATION_LEVEL_EOC_DUTY_DESK));

  const SurgeFigures figures = tally_.figures();
  EXPECT_THAT(figures.escalations_by_level,
              UnorderedElementsAre(Pair("eoc duty desk", 2u), Pair("national coordinator", 1u)));
  EXPECT_EQ(figures.escalations(), 3u);
}

TEST_F(SurgeTallyTest, HandoffsAndNotificationOutcomesAreCounted) {
  register_case("case-1");
  auto offered = referral_event("r-1", "case-1");
  offered.mutable_handoff_offered()->set_offer_attempts(1);
  auto accepted = referral_event("r-2", "case-1");
  accepted.mutable_handoff_accepted();
  auto declined = referral_event("r-3", "case-1");
  declined.mutable_handoff_declined();
  see(offered);
  see(accepted);
  see(declined);

  auto sent = notification_event("n-1", "case-1");
  sent.mutable_notification_sent()->set_attempt(1);
  auto sent_again = notification_event("n-2", "case-1");
  sent_again.mutable_notification_sent()->set_attempt(2);
  auto failed = notification_event("n-3", "case-1");
  failed.mutable_notification_failed()->set_attempts(5);
  auto acknowledged = notification_event("n-4", "case-1");
  acknowledged.mutable_notification_acknowledged();
  see(sent);
  see(sent_again);
  see(failed);
  see(acknowledged);
  see(delivered("n-5", "case-1", notification::MESSAGE_KIND_REFERRAL_REQUEST, 10));
  see(delivered("n-6", "case-1", notification::MESSAGE_KIND_REMINDER, 20));
  see(delivered("n-7", "case-1", notification::MESSAGE_KIND_REMINDER, 30));

  const SurgeFigures figures = tally_.figures();
  EXPECT_EQ(figures.handoffs_offered, 1u);
  EXPECT_EQ(figures.handoffs_accepted, 1u);
  EXPECT_EQ(figures.handoffs_declined, 1u);
  EXPECT_EQ(figures.deliveries_sent, 2u);
  EXPECT_EQ(figures.delivery_failures, 1u);
  EXPECT_EQ(figures.acknowledged, 1u);
  EXPECT_EQ(figures.delivered, 3u);
  EXPECT_THAT(figures.delivered_by_kind, UnorderedElementsAre(Pair("referral request", 1u), Pair("reminder", 2u)));
}

TEST_F(SurgeTallyTest, EndToEndLatencyRunsFromTheRegistrationToTheFirstReferralOrEscalationDelivered) {
  register_case("case-1", 0);
  register_case("case-2", 200);
  register_case("case-3", 300);  // never reaches anyone who must act
  register_case("case-4", 400);  // no provider: its need reaches the EOC duty desk
  // A reminder is not the first news of a need.
  see(delivered("n-1", "case-1", notification::MESSAGE_KIND_REMINDER, 100));
  // Deliveries may arrive out of order: the earliest delivered_at counts.
  see(delivered("n-3", "case-1", notification::MESSAGE_KIND_REFERRAL_REQUEST, 1500));
  see(delivered("n-4", "case-1", notification::MESSAGE_KIND_REFERRAL_REQUEST, 900));
  see(delivered("n-5", "case-2", notification::MESSAGE_KIND_REFERRAL_REQUEST, 500));
  see(delivered("n-6", "case-4", notification::MESSAGE_KIND_ESCALATION, 1400));

  const SurgeFigures figures = tally_.figures();
  EXPECT_EQ(figures.registered, 4u);
  EXPECT_EQ(figures.cases_reached, 3u);
  EXPECT_THAT(figures.end_to_end_ms, ElementsAre(300.0, 900.0, 1000.0));  // sorted
  // Three cases reached between the first registration sent (0 ms) and the last reached (1400 ms).
  EXPECT_NEAR(figures.reached_per_second, 3.0 / 1.4, 1e-9);
}

TEST_F(SurgeTallyTest, WithoutADeliveryTimeTheEventTimeIsUsed) {
  register_case("case-1", 0);
  auto event = notification_event("n-1", "case-1");
  event.mutable_notification_delivered()->mutable_delivery()->set_kind(notification::MESSAGE_KIND_REFERRAL_REQUEST);
  *event.mutable_occurred_at() = timestamp_after_ms(1234);
  see(event);
  EXPECT_THAT(tally_.figures().end_to_end_ms, ElementsAre(1234.0));
}

TEST_F(SurgeTallyTest, RecordsOfOtherTopicsAndUnreadableRecordsAreIgnored) {
  register_case("case-1");
  tally_.observe(record(pact::kafka::topic::kCase,
                        requested("r-1", "case-1", "case-1/shelter/1", routing::SERVICE_TYPE_SAFE_ACCOMMODATION)));
  FollowedRecord garbage;
  garbage.topic_base = std::string(pact::kafka::topic::kReferral);
  garbage.value = std::string(6, static_cast<char>(0xff));  // a tag no protobuf message has
  tally_.observe(garbage);

  const SurgeFigures figures = tally_.figures();
  EXPECT_EQ(figures.registered, 1u);
  EXPECT_EQ(figures.referral_attempts, 0u);
  EXPECT_THAT(figures.referrals, IsEmpty());
}

TEST(SurgeFigures, PercentilesAreNearestRankOverTheSortedLatencies) {
  SurgeFigures figures;
  for (int ms = 1; ms <= 100; ++ms) figures.end_to_end_ms.push_back(ms);
  EXPECT_DOUBLE_EQ(figures.percentile_ms(0.5), 50.0);
  EXPECT_DOUBLE_EQ(figures.percentile_ms(0.9), 90.0);
  EXPECT_DOUBLE_EQ(figures.percentile_ms(0.99), 99.0);
  EXPECT_DOUBLE_EQ(figures.percentile_ms(1.0), 100.0);
  EXPECT_DOUBLE_EQ(figures.percentile_ms(0.0), 1.0);
}

TEST(SurgeFigures, PercentilesOfASingleOrNoLatency) {
  SurgeFigures figures;
  EXPECT_DOUBLE_EQ(figures.percentile_ms(0.5), 0.0);
  figures.end_to_end_ms = {42.0};
  EXPECT_DOUBLE_EQ(figures.percentile_ms(0.5), 42.0);
  EXPECT_DOUBLE_EQ(figures.percentile_ms(0.99), 42.0);
}

TEST(ReadableEnum, DropsThePrefixAndReadsInLowerCaseWords) {
  EXPECT_EQ(readable_enum("REFERRAL_STATUS_ACCEPTED", "REFERRAL_STATUS_"), "accepted");
  EXPECT_EQ(readable_enum("REFERRAL_STATUS_IN_PROGRESS", "REFERRAL_STATUS_"), "in progress");
  EXPECT_EQ(readable_enum("SERVICE_TYPE_EOC_DUTY_DESK", "SERVICE_TYPE_"), "eoc duty desk");
}

TEST(ReadableEnum, KeepsANameWithoutThePrefixWhole) {
  EXPECT_EQ(readable_enum("LEVEL_COMBINATION_MET", "SERVICE_TYPE_"), "level combination met");
  // The prefix only counts at the start.
  EXPECT_EQ(readable_enum("X_LEVEL_MET", "LEVEL_"), "x level met");
  EXPECT_EQ(readable_enum("", "LEVEL_"), "");
}

// --- surge report -------------------------------------------------------------------------------

SurgeFigures sample_figures() {
  SurgeFigures figures;
  figures.registered = 12;
  figures.registration_errors = 3;
  figures.screened = 10;
  figures.cases_by_level = {{"combination met", 4}, {"indications present", 6}};
  figures.children = 2;
  figures.unaccompanied_or_separated = 1;
  figures.urgent_medical = 5;
  figures.cases_with_referral = 9;
  figures.referral_attempts = 11;
  figures.referrals = {{"safe accommodation", {{"accepted", 4}, {"requested", 3}, {"rejected", 2}}},
                       {"legal aid", {{"requested", 2}}}};
  figures.reroutes = 2;
  figures.reminders = 7;
  figures.escalations_by_level = {{"eoc duty desk", 2}, {"national coordinator", 1}};
  figures.handoffs_offered = 1;
  figures.handoffs_accepted = 1;
  figures.deliveries_sent = 20;
  figures.delivered = 18;
  figures.delivery_failures = 1;
  figures.acknowledged = 8;
  figures.delivered_by_kind = {{"referral request", 11}, {"reminder", 7}};
  figures.cases_reached = 2;
  figures.end_to_end_ms = {300.0, 900.0};
  return figures;
}

pactload::LoadReport sample_registrations() {
  pactload::LoadReport report;
  report.ok = 12;
  report.errors = 3;
  report.seconds = 4;
  report.latencies_ms = {10.0, 20.0, 30.0};
  return report;
}

TEST(SurgeReport, SummaryJsonCarriesTheFigures) {
  const nlohmann::json summary = summary_json(sample_figures(), sample_registrations());

  EXPECT_EQ(summary.at("cases").at("registered").get<int>(), 12);
  EXPECT_EQ(summary.at("cases").at("refused").get<int>(), 3);
  EXPECT_EQ(summary.at("cases").at("screened").get<int>(), 10);
  EXPECT_EQ(summary.at("cases").at("by_level").at("combination met").get<int>(), 4);
  EXPECT_EQ(summary.at("cases").at("presumed_children").get<int>(), 2);
  EXPECT_EQ(summary.at("cases").at("with_referral").get<int>(), 9);
  EXPECT_EQ(summary.at("cases").at("reached").get<int>(), 2);

  EXPECT_DOUBLE_EQ(summary.at("registrations").at("per_second").get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(summary.at("registrations").at("p50_ms").get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(summary.at("registrations").at("p99_ms").get<double>(), 30.0);

  const nlohmann::json referrals = summary.at("referrals");
  EXPECT_EQ(referrals.at("attempts").get<int>(), 11);
  EXPECT_EQ(referrals.at("by_service_type").at("safe accommodation").at("accepted").get<int>(), 4);
  EXPECT_EQ(referrals.at("by_service_type").at("legal aid").at("requested").get<int>(), 2);
  EXPECT_EQ(referrals.at("rerouted").get<int>(), 2);
  EXPECT_EQ(referrals.at("reminders").get<int>(), 7);
  EXPECT_EQ(referrals.at("escalations").at("eoc duty desk").get<int>(), 2);
  EXPECT_EQ(referrals.at("escalations").at("national coordinator").get<int>(), 1);

  EXPECT_EQ(summary.at("handoffs").at("offered").get<int>(), 1);
  EXPECT_EQ(summary.at("notifications").at("delivered").get<int>(), 18);
  EXPECT_EQ(summary.at("notifications").at("delivered_by_kind").at("reminder").get<int>(), 7);
  EXPECT_EQ(summary.at("notifications").at("acknowledged").get<int>(), 8);
  EXPECT_EQ(summary.at("notifications").at("send_attempts").get<int>(), 20);
  EXPECT_EQ(summary.at("notifications").at("failed").get<int>(), 1);

  const nlohmann::json latency = summary.at("end_to_end_ms");
  EXPECT_EQ(latency.at("count").get<int>(), 2);
  EXPECT_DOUBLE_EQ(latency.at("p50").get<double>(), 300.0);
  EXPECT_DOUBLE_EQ(latency.at("p99").get<double>(), 900.0);
  EXPECT_DOUBLE_EQ(latency.at("max").get<double>(), 900.0);
}

TEST(SurgeReport, SummaryJsonOfAnEmptyRunHasZerosAndEmptyObjects) {
  const nlohmann::json summary = summary_json(SurgeFigures{}, pactload::LoadReport{});
  EXPECT_EQ(summary.at("cases").at("registered").get<int>(), 0);
  EXPECT_TRUE(summary.at("referrals").at("by_service_type").is_object());
  EXPECT_TRUE(summary.at("referrals").at("by_service_type").empty());
  EXPECT_EQ(summary.at("end_to_end_ms").at("count").get<int>(), 0);
  EXPECT_DOUBLE_EQ(summary.at("end_to_end_ms").at("max").get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(summary.at("registrations").at("per_second").get<double>(), 0.0);
}

TEST(SurgeReport, FormatSummaryMentionsTheCounts) {
  const std::string text = format_summary(sample_figures(), sample_registrations());
  EXPECT_THAT(text, HasSubstr("registered 12 (3 refused)"));
  EXPECT_THAT(text, HasSubstr("3.0 registrations/s"));
  EXPECT_THAT(text, HasSubstr("screened   10"));
  EXPECT_THAT(text, HasSubstr("combination met 4"));
  EXPECT_THAT(text, HasSubstr("indications present 6"));
  EXPECT_THAT(text, HasSubstr("presumed children 2, unaccompanied or separated 1, urgent medical 5"));
  EXPECT_THAT(text, HasSubstr("11 attempts for 9 cases"));
  EXPECT_THAT(text, HasSubstr("safe accommodation"));
  EXPECT_THAT(text, HasSubstr("legal aid"));
  EXPECT_THAT(text, HasSubstr("re-routed 2, reminders 7, escalations 3 (eoc duty desk 2) (national coordinator 1)"));
  EXPECT_THAT(text, HasSubstr("handoffs offered 1, accepted 1, declined 0"));
  EXPECT_THAT(text, HasSubstr("delivered 18"));
  EXPECT_THAT(text, HasSubstr("acknowledged 8, send attempts 20, failed for good 1"));
  EXPECT_THAT(text, HasSubstr("2 of 12 cases reached someone who must act (0.0/s); p50 300 ms"));
  EXPECT_THAT(text, HasSubstr("max 900 ms"));
}

TEST(SurgeReport, FormatSummaryListsStatusColumnsInTheOrderAReferralMovesThroughThem) {
  SurgeFigures figures;
  figures.referrals = {{"legal aid", {{"rejected", 1}, {"accepted", 1}, {"requested", 1}, {"entered in error", 1}}}};
  const std::string text = format_summary(figures, pactload::LoadReport{});
  const auto header = text.find("service type");
  ASSERT_NE(header, std::string::npos);
  const std::string header_line = text.substr(header, text.find('\n', header) - header);
  const auto requested_at = header_line.find("requested");
  const auto accepted_at = header_line.find("accepted");
  const auto rejected_at = header_line.find("rejected");
  const auto other_at = header_line.find("entered in error");
  ASSERT_NE(other_at, std::string::npos);
  EXPECT_LT(requested_at, accepted_at);
  EXPECT_LT(accepted_at, rejected_at);
  EXPECT_LT(rejected_at, other_at);  // statuses the order does not know come last
}

TEST(SurgeReport, FormatSummaryLeavesOutLatenciesWhenNoCaseReachedAProvider) {
  SurgeFigures figures;
  figures.registered = 5;
  const std::string text = format_summary(figures, pactload::LoadReport{});
  EXPECT_THAT(text, HasSubstr("0 of 5 cases reached someone who must act (0.0/s)\n"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("p90")));
}

SurgeFigures progress_figures() {
  SurgeFigures figures;
  figures.registered = 5;
  figures.screened = 4;
  figures.referral_attempts = 3;
  figures.delivered = 2;
  figures.acknowledged = 1;
  figures.escalations_by_level = {{"eoc duty desk", 1}};
  return figures;
}

TEST(SurgeReport, ProgressLineWithoutABarIsAPlainLine) {
  EXPECT_EQ(progress_line(progress_figures(), 10, 2.5, false),
            "5/10 registered (2/s)  screened 4  referrals 3  delivered 2  acknowledged 1  escalations 1");
}

TEST(SurgeReport, ProgressLineWithABarRedrawsInPlaceAndFillsInProportion) {
  const std::string line = progress_line(progress_figures(), 10, 2.5, true);
  EXPECT_THAT(line, StartsWith("\r[" + std::string(14, '#') + std::string(14, '.') + "] 5/10 registered"));
  EXPECT_THAT(line, ::testing::EndsWith("escalations 1   "));
}

TEST(SurgeReport, ProgressBarNeverOverflows) {
  SurgeFigures figures = progress_figures();
  figures.registered = 25;  // more than planned: replays answered again
  EXPECT_THAT(progress_line(figures, 10, 1, true), StartsWith("\r[" + std::string(28, '#') + "] 25/10"));
  EXPECT_THAT(progress_line(figures, 0, 1, true), StartsWith("\r[" + std::string(28, '#') + "] 25/0"));
}

TEST(SurgeReport, ProgressRateIsZeroBeforeAnyTimePassed) {
  EXPECT_THAT(progress_line(progress_figures(), 10, 0, false), HasSubstr("(0/s)"));
}

// The load report's lowest percentile is its fastest call (it used to wrap around to the slowest).
TEST(LoadReportPercentiles, TheZerothPercentileIsTheFastestCall) {
  pactload::LoadReport report;
  report.latencies_ms = {1.0, 2.0, 30.0};
  EXPECT_EQ(report.percentile(0), 1.0);
  EXPECT_EQ(report.percentile(0.5), 2.0);
  EXPECT_EQ(report.percentile(1.0), 30.0);
}

}  // namespace
}  // namespace pactscenario
