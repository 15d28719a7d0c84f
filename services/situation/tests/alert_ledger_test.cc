#include <gtest/gtest.h>

#include "alert_ledger.h"
#include "alert_rules.h"
#include "cap_alert.h"
#include "console_auth.h"
#include "view_scope.h"
#include "situation_events.h"
#include "situation_model.h"
#include "situation_view.h"

namespace pact::situation {
namespace {

using namespace pact::situation::testing;
using namespace std::chrono_literals;

const Clock::time_point kStart = Clock::time_point(std::chrono::hours(24 * 20000));

AlertThresholds thresholds() {
  AlertThresholds t;
  t.escalations_above = 1;
  t.unacknowledged_referrals = 2;
  t.clear_after = 30s;
  t.sender = "situation@test.pact";
  return t;
}

struct Hub {
  SituationModel model;
  AlertLedger ledger{thresholds(), "test"};

  // Reconciles, then marks every message published (as the ticker does once the topic has it).
  int reconcile(Clock::time_point now, bool exercise = false, bool publish = true) {
    const auto situation =
        build_situation(model.state(), exercise, now, ViewSettings{.hub = "test", .suppression_threshold = 5});
    const int issued = ledger.reconcile(model.mutable_state(), exercise, conditions_holding(situation, thresholds()), now);
    if (publish) {
      for (auto& [key, record] : *model.mutable_state().mutable_alerts()) record.set_unpublished(false);
    }
    return issued;
  }
  const v1::AlertRecord& record(const std::string& key) { return model.state().alerts().at(key); }
};

TEST(AlertLedger, CapacityExhaustedRaisesAnAlertThenUpdatesThenCancels) {
  Hub hub;
  Provider shelter;
  hub.model.apply(capacity(shelter, kStart, 1, 2));
  EXPECT_EQ(hub.reconcile(kStart), 0);

  hub.model.apply(capacity(shelter, kStart + 1s, 2, 0));
  EXPECT_EQ(hub.reconcile(kStart + 1s), 1);
  const auto& raised = hub.record("r/capacity-exhausted/svc-shelter-1");
  EXPECT_EQ(raised.alert().msg_type(), "Alert");
  EXPECT_TRUE(raised.alert().active());
  EXPECT_EQ(raised.alert().severity(), "Severe");
  EXPECT_NE(raised.alert().headline().find("0 of 20 beds free"), std::string::npos);
  EXPECT_TRUE(check_cap_structure(raised.alert().cap_xml()).empty());
  EXPECT_NE(raised.alert().cap_xml().find("<scope>Restricted</scope>"), std::string::npos);
  EXPECT_NE(raised.alert().cap_xml().find("<status>Actual</status>"), std::string::npos);
  const std::string first_identifier = raised.alert().identifier();

  EXPECT_EQ(hub.reconcile(kStart + 2s), 0);  // nothing changed: nothing to say

  // Still exhausted, but a bigger shelter now: the figures moved, so an Update.
  hub.model.apply(capacity(shelter, kStart + 3s, 3, 0, 30));
  EXPECT_EQ(hub.reconcile(kStart + 3s), 1);
  const auto& updated = hub.record("r/capacity-exhausted/svc-shelter-1");
  EXPECT_EQ(updated.alert().msg_type(), "Update");
  EXPECT_NE(updated.alert().identifier(), first_identifier);
  EXPECT_NE(updated.alert().cap_xml().find("<references>situation@test.pact," + first_identifier), std::string::npos);
  EXPECT_TRUE(check_cap_structure(updated.alert().cap_xml()).empty());

  // Places free again: cancelled only once it stayed clear for clear_after.
  hub.model.apply(capacity(shelter, kStart + 4s, 4, 5, 30));
  EXPECT_EQ(hub.reconcile(kStart + 10s), 0);
  EXPECT_TRUE(hub.record("r/capacity-exhausted/svc-shelter-1").alert().active());
  EXPECT_EQ(hub.reconcile(kStart + 40s), 1);
  const auto& cancelled = hub.record("r/capacity-exhausted/svc-shelter-1");
  EXPECT_EQ(cancelled.alert().msg_type(), "Cancel");
  EXPECT_FALSE(cancelled.alert().active());
  EXPECT_TRUE(check_cap_structure(cancelled.alert().cap_xml()).empty());

  // Exhausted again later: a new incident, a fresh Alert with a new identifier.
  hub.model.apply(capacity(shelter, kStart + 50s, 5, 0, 30));
  EXPECT_EQ(hub.reconcile(kStart + 50s), 1);
  const auto& again = hub.record("r/capacity-exhausted/svc-shelter-1");
  EXPECT_EQ(again.alert().msg_type(), "Alert");
  EXPECT_EQ(again.messages(), 4u);
  EXPECT_EQ(again.alert().cap_xml().find("<references>"), std::string::npos);
}

TEST(AlertLedger, EscalationsAboveTheThresholdAndAProviderNotAcknowledging) {
  Hub hub;
  Person a{"c1"}, b{"c2"};
  Referral e1{"e1", &a, rv1::SERVICE_TYPE_SAFE_ACCOMMODATION, "eoc", rv1::REFERRAL_KIND_ESCALATION};
  Referral e2{"e2", &b, rv1::SERVICE_TYPE_SAFE_ACCOMMODATION, "eoc", rv1::REFERRAL_KIND_ESCALATION};
  hub.model.apply(escalated(e1, kStart, 2));
  EXPECT_EQ(hub.reconcile(kStart), 0);  // one is not above one
  hub.model.apply(escalated(e2, kStart, 2));
  hub.model.apply(requested(Referral{"r1", &a, rv1::SERVICE_TYPE_LEGAL_AID, "svc-legal"}, kStart, 1, 10s));
  hub.model.apply(requested(Referral{"r2", &b, rv1::SERVICE_TYPE_LEGAL_AID, "svc-legal"}, kStart, 1, 10s));
  EXPECT_EQ(hub.reconcile(kStart + 1s), 1);  // escalations now; acknowledgements not yet overdue
  EXPECT_EQ(hub.reconcile(kStart + 20s), 1);  // both legal-aid referrals past their deadline
  const auto& escalations = hub.record("r/escalations-above/RS");
  EXPECT_NE(escalations.alert().headline().find("Serbia (RS): 2 open escalations"), std::string::npos);
  EXPECT_NE(escalations.alert().cap_xml().find("<valueName>ISO3166-1</valueName>"), std::string::npos);
  // One more escalation crosses twice the threshold: an Update; another changes no band: nothing.
  Person c{.case_id = "c3"}, d{.case_id = "c4"};
  hub.model.apply(escalated(Referral{"e3", &c, rv1::SERVICE_TYPE_SAFE_ACCOMMODATION, "eoc", rv1::REFERRAL_KIND_ESCALATION},
                            kStart + 21s, 2));
  EXPECT_EQ(hub.reconcile(kStart + 21s), 1);
  EXPECT_EQ(hub.record("r/escalations-above/RS").alert().msg_type(), "Update");
  EXPECT_EQ(hub.record("r/escalations-above/RS").alert().severity(), "Severe");
  hub.model.apply(escalated(Referral{"e4", &d, rv1::SERVICE_TYPE_SAFE_ACCOMMODATION, "eoc", rv1::REFERRAL_KIND_ESCALATION},
                            kStart + 22s, 2));
  EXPECT_EQ(hub.reconcile(kStart + 22s), 0);

  const auto& provider = hub.record("r/provider-not-acknowledging/svc-legal");  // by service id
  EXPECT_EQ(provider.alert().msg_type(), "Alert");
  EXPECT_TRUE(check_cap_structure(provider.alert().cap_xml()).empty());
  // No person's data: reference codes and case ids stay out of the alert.
  EXPECT_EQ(provider.alert().cap_xml().find("REF-"), std::string::npos);
  EXPECT_EQ(provider.alert().cap_xml().find("c1"), std::string::npos);
}

TEST(AlertLedger, NoNewMessageUntilThePreviousOneIsPublished) {
  Hub hub;
  Provider shelter;
  hub.model.apply(capacity(shelter, kStart, 1, 0));
  EXPECT_EQ(hub.reconcile(kStart, false, /*publish=*/false), 1);
  EXPECT_TRUE(hub.record("r/capacity-exhausted/svc-shelter-1").unpublished());
  // The broker is away: the situation changes, but the Alert is still not on the topic.
  hub.model.apply(capacity(shelter, kStart + 1s, 2, 0, 30));
  EXPECT_EQ(hub.reconcile(kStart + 1s, false, false), 0);
  hub.model.apply(capacity(shelter, kStart + 2s, 3, 5, 30));
  EXPECT_EQ(hub.reconcile(kStart + 60s, false, false), 0);  // not even its Cancel
  EXPECT_EQ(hub.record("r/capacity-exhausted/svc-shelter-1").alert().msg_type(), "Alert");
  // Once published, the Cancel follows.
  EXPECT_EQ(hub.reconcile(kStart + 61s), 0);
  EXPECT_EQ(hub.reconcile(kStart + 62s), 1);
  EXPECT_EQ(hub.record("r/capacity-exhausted/svc-shelter-1").alert().msg_type(), "Cancel");
}

TEST(AlertLedger, IdentifiersNameTheIncidentSoARebuildNeverReusesOne) {
  Hub first;
  Provider shelter;
  first.model.apply(capacity(shelter, kStart, 1, 0));
  first.reconcile(kStart);
  Hub rebuilt;  // the same events read again later: its counts start again
  rebuilt.model.apply(capacity(shelter, kStart, 1, 0));
  rebuilt.reconcile(kStart + 1h);
  EXPECT_NE(first.record("r/capacity-exhausted/svc-shelter-1").alert().identifier(),
            rebuilt.record("r/capacity-exhausted/svc-shelter-1").alert().identifier());
}

TEST(AlertLedger, AnAlertNamingNoJurisdictionIsForTheWholeHubOnly) {
  Hub hub;
  Person nowhere{.case_id = "c1", .jurisdiction = common::v1::JURISDICTION_UNSPECIFIED};
  for (const char* id : {"e1", "e2"}) {
    hub.model.apply(escalated(Referral{id, &nowhere, rv1::SERVICE_TYPE_SAFE_ACCOMMODATION, "eoc",
                                       rv1::REFERRAL_KIND_ESCALATION},
                              kStart, 2));
  }
  EXPECT_EQ(hub.reconcile(kStart), 1);
  const ViewScope serbia{.whole_hub = false, .jurisdictions = {"RS"}};
  EXPECT_EQ(list_alerts(hub.model.state(), false, false, serbia).alerts_size(), 0);
  EXPECT_EQ(list_alerts(hub.model.state(), false, false, ViewScope{}).alerts_size(), 1);
}

TEST(AlertLedger, ExerciseAlertsAreMarkedAndKeptApart) {
  Hub hub;
  Provider drill_shelter{.exercise = true};
  hub.model.apply(capacity(drill_shelter, kStart, 1, 0));
  EXPECT_EQ(hub.reconcile(kStart, false), 0);
  EXPECT_EQ(hub.reconcile(kStart, true, false), 1);
  const auto& record = hub.record("x/capacity-exhausted/svc-shelter-1");
  EXPECT_TRUE(record.alert().exercise());
  EXPECT_NE(record.alert().cap_xml().find("<status>Exercise</status>"), std::string::npos);
  EXPECT_EQ(AlertLedger::unpublished(hub.model.state()), std::vector<std::string>{"x/capacity-exhausted/svc-shelter-1"});
  const auto listed = list_alerts(hub.model.state(), true, false);
  ASSERT_EQ(listed.alerts_size(), 1);
  EXPECT_EQ(list_alerts(hub.model.state(), false, true).alerts_size(), 0);
}

TEST(ConsoleAuthenticator, DevelopmentLetsTheLaptopInProductionNeedsAToken) {
  ConsoleAuthenticator development(config::SecurityMode::development, nullptr, nullptr, {"RS", "MK"});
  auto caller = development.authenticate("", "", "pact.situation.v1.SituationService/GetSituation");
  ASSERT_TRUE(std::holds_alternative<rpc::Caller>(caller));
  EXPECT_TRUE(std::get<rpc::Caller>(caller).has_role("eoc_duty_officer"));
  // The laptop's duty officer sees the hub's jurisdictions.
  EXPECT_TRUE(scope_of(std::get<rpc::Caller>(caller)).covers("MK"));
  EXPECT_THROW(ConsoleAuthenticator(config::SecurityMode::production, nullptr, nullptr), std::invalid_argument);
  // A token where none can be verified is refused, not ignored.
  auto refused = development.authenticate("Bearer abc", "", "pact.situation.v1.SituationService/GetSituation");
  ASSERT_TRUE(std::holds_alternative<ConsoleRefusal>(refused));
  EXPECT_EQ(std::get<ConsoleRefusal>(refused).http_status, 401);
}

TEST(ConsoleAuthenticator, CookieValues) {
  EXPECT_EQ(cookie_value("a=1; pact_console=tok.en.sig; b=2", "pact_console"), "tok.en.sig");
  EXPECT_EQ(cookie_value("pact_console_x=1", "pact_console"), "");
  EXPECT_EQ(cookie_value("", "pact_console"), "");
}

}  // namespace
}  // namespace pact::situation
