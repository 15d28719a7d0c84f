#include <algorithm>
#include <random>
#include <variant>

#include <gtest/gtest.h>

#include "situation_events.h"
#include "situation_model.h"
#include "situation_view.h"

namespace pact::situation {
namespace {

using namespace pact::situation::testing;
using namespace std::chrono_literals;

const Clock::time_point kStart = Clock::time_point(std::chrono::hours(24 * 20000));

ViewSettings settings(std::uint32_t threshold = 1) {
  return ViewSettings{.hub = "test", .suppression_threshold = threshold, .timeline_bucket = 60s, .timeline_buckets = 10};
}

v1::Situation picture(const SituationModel& model, Clock::time_point now = kStart + 5min, bool exercise = false,
                      std::uint32_t threshold = 1) {
  return build_situation(model.state(), exercise, now, settings(threshold));
}

const v1::AreaFigures* site(const v1::Situation& situation, const std::string& site_id) {
  for (const auto& area : situation.sites()) {
    if (area.site_id() == site_id) return &area;
  }
  return nullptr;
}

using AnyEvent = std::variant<ev::CaseEvent, ev::ScreeningEvent, ev::ReferralEvent>;

void apply_all(SituationModel& model, const std::vector<AnyEvent>& events) {
  for (const auto& event : events) std::visit([&](const auto& e) { model.apply(e); }, event);
}

// A small surge: cases registered and screened at two sites, referrals with every outcome, an
// escalation, capacity moving, a handoff; exercise data beside it.
std::vector<AnyEvent> scenario() {
  std::vector<AnyEvent> events;
  static const Person adult{"c1", common::v1::JURISDICTION_RS, "rs-presevo-rc", "em-1", 30};
  static const Person child{"c2", common::v1::JURISDICTION_RS, "rs-presevo-rc", "em-1", 15};
  static const Person other{"c3", common::v1::JURISDICTION_MK, "mk-tabanovce-tc", "", 40};
  static const Person drill{"x1", common::v1::JURISDICTION_RS, "rs-presevo-rc", "", 25, true};
  events.push_back(registered(adult, kStart));
  events.push_back(screened(adult, kStart + 1s, 1, {.level = screening::v1::LEVEL_COMBINATION_MET}));
  events.push_back(registered(child, kStart + 10s));
  events.push_back(screened(child, kStart + 11s, 1, {.child = true, .unaccompanied = true, .urgent_medical = true}));
  events.push_back(registered(other, kStart + 70s));
  events.push_back(registered(drill, kStart + 20s));
  events.push_back(screened(drill, kStart + 21s, 1));

  static const Referral shelter{"r1", &adult};
  static const Referral protection{"r2", &child, rv1::SERVICE_TYPE_CHILD_PROTECTION, "svc-cp-1"};
  static const Referral medical{"r3", &child, rv1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE, "svc-med-1"};
  static const Referral escalation{"e1", &adult, rv1::SERVICE_TYPE_SAFE_ACCOMMODATION, "eoc-desk", rv1::REFERRAL_KIND_ESCALATION};
  events.push_back(requested(shelter, kStart + 2s, 1, 60s));      // never acknowledged: overdue at +62s
  events.push_back(requested(protection, kStart + 12s, 1, 60s));  // acknowledged, then accepted
  events.push_back(status_changed(protection, kStart + 20s, 2, rv1::REFERRAL_STATUS_RECEIVED));
  events.push_back(status_changed(protection, kStart + 30s, 3, rv1::REFERRAL_STATUS_ACCEPTED));
  events.push_back(requested(medical, kStart + 12s, 1, 60s));
  events.push_back(status_changed(medical, kStart + 40s, 2, rv1::REFERRAL_STATUS_REJECTED));
  events.push_back(escalated(escalation, kStart + 45s, 2));

  static const Provider shelter_provider;
  events.push_back(capacity(shelter_provider, kStart, 1, 3));
  events.push_back(capacity(shelter_provider, kStart + 2s, 2, 2));
  events.push_back(handoff("h1", kStart + 50s, 4, rv1::HANDOFF_STATUS_OFFERED));
  events.push_back(handoff("h2", kStart + 50s, 4, rv1::HANDOFF_STATUS_OFFERED));
  events.push_back(handoff("h2", kStart + 55s, 5, rv1::HANDOFF_STATUS_ACCEPTED));
  return events;
}

TEST(SituationModel, CountsCasesByAreaLevelAndFlags) {
  SituationModel model;
  apply_all(model, scenario());
  const auto situation = picture(model);
  EXPECT_EQ(situation.cases().total().value(), 3u);
  EXPECT_EQ(situation.cases().combination_met().value(), 1u);
  EXPECT_EQ(situation.cases().indications_present().value(), 1u);
  EXPECT_EQ(situation.cases().awaiting_screening().value(), 1u);  // c3: registered, not screened
  EXPECT_EQ(situation.cases().children().value(), 1u);
  EXPECT_EQ(situation.cases().unaccompanied_or_separated().value(), 1u);
  EXPECT_EQ(situation.cases().urgent_medical().value(), 1u);
  ASSERT_EQ(situation.jurisdictions_size(), 2);
  EXPECT_EQ(situation.jurisdictions(0).jurisdiction(), "MK");
  EXPECT_EQ(situation.jurisdictions(1).jurisdiction(), "RS");
  EXPECT_EQ(situation.jurisdictions(1).cases().total().value(), 2u);
  ASSERT_NE(site(situation, "rs-presevo-rc"), nullptr);
  EXPECT_EQ(site(situation, "rs-presevo-rc")->cases().total().value(), 2u);
  ASSERT_EQ(situation.emergencies_size(), 1);
  EXPECT_EQ(situation.emergencies(0).emergency_id(), "em-1");
  EXPECT_EQ(situation.emergencies(0).cases().total().value(), 2u);
}

TEST(SituationModel, ReferralsByServiceTypeAndStatusOverdueAndEscalations) {
  SituationModel model;
  apply_all(model, scenario());
  // At +5 min the shelter referral's acknowledgement deadline (+62 s) has passed.
  const auto situation = picture(model);
  std::map<rv1::ServiceType, v1::ReferralFigures> by_type;
  for (const auto& figures : situation.referrals()) by_type[figures.service_type()] = figures;
  EXPECT_EQ(by_type[rv1::SERVICE_TYPE_SAFE_ACCOMMODATION].awaiting_acknowledgement().value(), 1u);
  EXPECT_EQ(by_type[rv1::SERVICE_TYPE_CHILD_PROTECTION].in_progress().value(), 1u);
  EXPECT_EQ(by_type[rv1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE].rejected().value(), 1u);
  ASSERT_EQ(situation.overdue_size(), 1);
  EXPECT_EQ(situation.overdue(0).kind(), v1::ActionItem::KIND_ACKNOWLEDGEMENT_OVERDUE);
  EXPECT_EQ(situation.overdue(0).reference_code(), "REF-c1");
  EXPECT_EQ(situation.overdue(0).provider(), "Safe House Alpha");  // the name from the capacity events
  EXPECT_EQ(situation.overdue(0).age_seconds(), 300u - 62u);
  ASSERT_EQ(situation.escalations_size(), 1);
  EXPECT_EQ(situation.escalations(0).escalation_level(), rv1::ESCALATION_LEVEL_EOC_DUTY_DESK);
  EXPECT_EQ(situation.escalations(0).age_seconds(), 300u - 45u);
  EXPECT_EQ(situation.jurisdictions(1).open_escalations(), 1u);
  EXPECT_EQ(situation.jurisdictions(1).overdue(), 1u);
  EXPECT_EQ(situation.handoffs_in_flight().value(), 1u);

  // Before the deadline nothing is overdue.
  EXPECT_EQ(picture(model, kStart + 30s).overdue_size(), 0);
  // The escalation, once completed, is no longer open.
  static const Person adult{"c1"};
  model.apply(status_changed(Referral{"e1", &adult, rv1::SERVICE_TYPE_SAFE_ACCOMMODATION, "eoc-desk",
                                      rv1::REFERRAL_KIND_ESCALATION},
                             kStart + 60s, 3, rv1::REFERRAL_STATUS_COMPLETED));
  EXPECT_EQ(picture(model).escalations_size(), 0);
}

TEST(SituationModel, CapacityKeepsTheNewestVersionAndItsTrend) {
  SituationModel model;
  Provider provider;
  model.apply(capacity(provider, kStart - 2h, 1, 10));
  model.apply(capacity(provider, kStart - 30min, 3, 4));
  model.apply(capacity(provider, kStart - 50min, 2, 6));  // late: joins the history, not the figures
  const auto situation = picture(model, kStart);
  ASSERT_EQ(situation.capacity_size(), 1);
  EXPECT_EQ(situation.capacity(0).available(), 4u);
  EXPECT_EQ(situation.capacity(0).maximum(), 20u);
  EXPECT_EQ(situation.capacity(0).unit(), "beds");
  EXPECT_EQ(situation.capacity(0).change_last_hour(), 4 - 10);  // an hour ago it had 10 free
  ASSERT_EQ(situation.capacity(0).recent_size(), 3);
  EXPECT_EQ(situation.capacity(0).recent(1).available(), 6u);  // in time order
  Provider interpreters{.service_id = "svc-int", .name = "Interpreters", .type = rv1::SERVICE_TYPE_INTERPRETATION};
  model.apply(capacity(interpreters, kStart, 1, 2));
  const auto with_interpreters = picture(model, kStart);
  for (const auto& shown : with_interpreters.capacity()) {
    EXPECT_EQ(shown.site_ids_size(), shown.service_id() == "svc-int" ? 1 : 0);  // shelters never
  }
}

TEST(SituationModel, AConfidentialLocationIsNeverTiedToASite) {
  SituationModel model;
  Provider safe_house{.service_id = "svc-safe", .name = "Safe house B", .type = rv1::SERVICE_TYPE_LEGAL_AID,
                      .confidential = true};
  model.apply(capacity(safe_house, kStart, 1, 0));
  // A shelter from before routing set the flag (a rebuild reads such events): no sites either.
  Provider old_shelter{.service_id = "svc-old", .name = "Shelter C", .confidential = false};
  model.apply(capacity(old_shelter, kStart, 1, 3));
  const auto situation = picture(model, kStart);
  ASSERT_EQ(situation.capacity_size(), 2);
  for (const auto& provider : situation.capacity()) {
    EXPECT_EQ(provider.site_ids_size(), 0) << provider.service_id();
    EXPECT_EQ(provider.jurisdictions(0), "RS");
  }
}

TEST(SituationModel, DuplicatesChangeNothing) {
  SituationModel model;
  const auto events = scenario();
  apply_all(model, events);
  const auto revision = model.revision();
  const std::string state = model.state().SerializeAsString();
  apply_all(model, events);
  EXPECT_EQ(model.revision(), revision);  // open pages are not woken for nothing
  EXPECT_EQ(model.state().SerializeAsString(), state);
}

TEST(SituationModel, AnyOrderGivesTheSameFigures) {
  SituationModel in_order;
  const auto events = scenario();
  apply_all(in_order, events);
  const auto expected = picture(in_order);
  std::mt19937 shuffle(7);
  for (int round = 0; round < 20; ++round) {
    auto shuffled = events;
    std::shuffle(shuffled.begin(), shuffled.end(), shuffle);
    SituationModel model;
    apply_all(model, shuffled);
    auto got = picture(model);
    got.set_revision(expected.revision());  // how many steps it took may differ; the figures may not
    EXPECT_EQ(got.SerializeAsString(), expected.SerializeAsString()) << "round " << round;
  }
}

TEST(SituationModel, AnOlderEventDoesNotUndoANewerOne) {
  SituationModel model;
  Person person{"c9"};
  Referral referral{"r9", &person};
  model.apply(status_changed(referral, kStart + 20s, 3, rv1::REFERRAL_STATUS_ACCEPTED));
  model.apply(requested(referral, kStart, 1));  // arrives late
  auto situation = picture(model);
  ASSERT_EQ(situation.referrals_size(), 1);
  EXPECT_EQ(situation.referrals(0).in_progress().value(), 1u);
  EXPECT_EQ(situation.referrals(0).awaiting_acknowledgement().value(), 0u);

  // Same sequence (routing emits several events per case event): the later stage stays.
  Referral other{"r10", &person};
  model.apply(status_changed(other, kStart + 20s, 5, rv1::REFERRAL_STATUS_RECEIVED));
  model.apply(requested(other, kStart + 19s, 5));
  situation = picture(model);
  std::uint32_t awaiting_acceptance = 0;
  for (const auto& figures : situation.referrals()) awaiting_acceptance += figures.awaiting_acceptance().value();
  EXPECT_EQ(awaiting_acceptance, 1u);
}

TEST(SituationModel, AnErasedCaseLeavesTheFiguresAndStaysOut) {
  SituationModel model;
  Person person{"c1"};
  model.apply(registered(person, kStart));
  model.apply(screened(person, kStart + 1s, 1));
  model.apply(erased(person, kStart + 2s, 2));
  model.apply(amended(person, kStart + 1s, 1));  // older than the erasure: no resurrection
  EXPECT_EQ(picture(model).cases().total().value(), 0u);
  auto erasure = screened(person, kStart + 3s, 2, {}, ev::CASE_CHANGE_ERASED);
  model.apply(erasure);
  EXPECT_EQ(picture(model).cases().total().value(), 0u);
}

TEST(SituationModel, ExerciseDataIsAPictureOfItsOwn) {
  SituationModel model;
  apply_all(model, scenario());
  const auto drill = picture(model, kStart + 5min, true);
  EXPECT_TRUE(drill.exercise());
  EXPECT_EQ(drill.cases().total().value(), 1u);
  EXPECT_EQ(drill.referrals_size(), 0);
  EXPECT_EQ(drill.capacity_size(), 0);
  EXPECT_EQ(picture(model).cases().total().value(), 3u);
}

TEST(SituationModel, SmallCountsAreSuppressed) {
  SituationModel model;
  apply_all(model, scenario());
  const auto situation = picture(model, kStart + 5min, false, 3);
  EXPECT_EQ(situation.suppression_threshold(), 3u);
  EXPECT_FALSE(situation.cases().total().suppressed());
  EXPECT_EQ(situation.cases().total().value(), 3u);
  EXPECT_TRUE(situation.cases().children().suppressed());
  EXPECT_EQ(situation.cases().children().value(), 0u);  // the value itself never leaves
  EXPECT_FALSE(situation.cases().immediate_danger().suppressed());  // zero is not small
  for (const auto& area : situation.sites()) EXPECT_TRUE(area.cases().total().suppressed());
  EXPECT_TRUE(situation.handoffs_in_flight().suppressed());
  for (const auto& bucket : situation.timeline()) {
    EXPECT_TRUE(bucket.arrivals().value() == 0 || bucket.arrivals().value() >= 3);
  }
  EXPECT_EQ(shown_count(2, 0).value(), 2u);  // a threshold of 0 turns suppression off
  EXPECT_EQ(shown_count(2, 1).value(), 2u);
  EXPECT_TRUE(shown_count(4, 5).suppressed());
  EXPECT_EQ(shown_count(5, 5).value(), 5u);
}

TEST(SituationModel, TimelineBucketsArrivalsAndReferrals) {
  SituationModel model;
  apply_all(model, scenario());
  const auto situation = picture(model, kStart + 90s);
  ASSERT_EQ(situation.timeline_size(), 10);
  EXPECT_EQ(situation.timeline_bucket_seconds(), 60u);
  std::uint32_t arrivals = 0, referrals = 0;
  for (const auto& bucket : situation.timeline()) {
    arrivals += bucket.arrivals().value();
    referrals += bucket.referrals().value();
  }
  EXPECT_EQ(arrivals, 3u);
  EXPECT_EQ(referrals, 3u);  // escalations are not referrals made
  EXPECT_EQ(situation.timeline(9).arrivals().value(), 1u);  // c3 at +70 s, in the last minute
}

TEST(SituationModel, RebuildFromZeroGivesTheSameFiguresAsResumingFromASnapshot) {
  const auto events = scenario();
  const auto half = static_cast<std::ptrdiff_t>(events.size() / 2);
  SituationModel first;
  apply_all(first, std::vector<AnyEvent>(events.begin(), events.begin() + half));
  v1::SituationState saved;
  ASSERT_TRUE(saved.ParseFromString(first.state().SerializeAsString()));
  SituationModel resumed(saved);
  apply_all(resumed, std::vector<AnyEvent>(events.begin() + half, events.end()));
  SituationModel rebuilt;
  apply_all(rebuilt, events);
  EXPECT_EQ(picture(resumed).SerializeAsString(), picture(rebuilt).SerializeAsString());
}

TEST(SituationModel, ADutyOfficerSeesTheJurisdictionsOfTheirToken) {
  SituationModel model;
  apply_all(model, scenario());
  const ViewScope macedonia{.whole_hub = false, .jurisdictions = {"MK"}};
  const auto mk = build_situation(model.state(), false, kStart + 5min, settings(), macedonia);
  EXPECT_EQ(mk.cases().total().value(), 1u);
  ASSERT_EQ(mk.jurisdictions_size(), 1);
  EXPECT_EQ(mk.jurisdictions(0).jurisdiction(), "MK");
  EXPECT_EQ(mk.overdue_size(), 0);     // the overdue referral is Serbia's
  EXPECT_EQ(mk.escalations_size(), 0);
  EXPECT_EQ(mk.capacity_size(), 0);    // the shelter serves Serbia
  const ViewScope nowhere{.whole_hub = false, .jurisdictions = {}};
  EXPECT_EQ(build_situation(model.state(), false, kStart + 5min, settings(), nowhere).cases().total().value(), 0u);

  rpc::Caller officer;
  officer.roles = {"eoc_duty_officer"};
  officer.jurisdictions = {"RS"};
  EXPECT_FALSE(scope_of(officer).whole_hub);
  EXPECT_TRUE(scope_of(officer).covers("RS"));
  EXPECT_FALSE(scope_of(officer).covers("MK"));
  officer.roles.push_back("administrator");
  EXPECT_TRUE(scope_of(officer).whole_hub);
}

TEST(SituationModel, ActionListsKeepTheOldestAndCountAll) {
  SituationModel model;
  Person person{.case_id = "c1"};
  for (int i = 0; i < 5; ++i) {
    model.apply(requested(Referral{.referral_id = "r" + std::to_string(i), .person = &person}, kStart + std::chrono::seconds(i),
                          1, 10s));
  }
  auto view_settings = settings();
  view_settings.action_list_limit = 2;
  const auto situation = build_situation(model.state(), false, kStart + 5min, view_settings);
  EXPECT_EQ(situation.overdue_total(), 5u);
  ASSERT_EQ(situation.overdue_size(), 2);
  EXPECT_GT(situation.overdue(0).age_seconds(), situation.overdue(1).age_seconds());
}

TEST(SituationModel, JurisdictionCodes) {
  EXPECT_EQ(jurisdiction_code(common::v1::JURISDICTION_XK), "XK");
  EXPECT_EQ(jurisdiction_code(common::v1::JURISDICTION_UNSPECIFIED), "");
  EXPECT_EQ(jurisdiction_code(999), "OTHER");
}

}  // namespace
}  // namespace pact::situation
