// Message planning, template loading and rendering: pure domain code, no service around it.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "message_plan.h"
#include "message_renderer.h"
#include "message_templates.h"

namespace pact::notification {
namespace {

namespace ev = ::pact::events::v1;
namespace common = ::pact::common::v1;
namespace rv1 = ::pact::routing::v1;
namespace nv1 = ::pact::notification::v1;

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kCaseId[] = "case-7kq4m2xdabcdefghijklmnop";
constexpr char kReferralId[] = "case-7kq4m2xdabcdefghijklmnop/need/shelter/attempt/1";
constexpr char kReferenceCode[] = "RS-7KQ4-M2XD";
constexpr char kHandoffId[] = "hof-2qv7k3m9x4tzp8wr6n5y1bcdfghjklmq";
// Personal-data canaries in Latin, Cyrillic and Arabic script, as the leak checks use them.
const std::vector<std::string> kCanaries = {"CANARY-NAME", "КАНАРИНАЦ", "كناري"};
// Not personal, but more than a message needs: the site's municipality is never copied.
constexpr char kMunicipality[] = "MUNICIPALITY-MARKER";

const std::string kTemplateDir = std::string(PACT_REFERENCE_DIR) + "/notification/templates";

const MessageTemplates& shipped() {
  static const MessageTemplates templates = load_message_templates(kTemplateDir);
  return templates;
}

google::protobuf::Timestamp at(const std::string& rfc3339) {
  google::protobuf::Timestamp timestamp;
  if (!google::protobuf::util::TimeUtil::FromString(rfc3339, &timestamp)) ADD_FAILURE() << "bad time " << rfc3339;
  return timestamp;
}

void seal(google::protobuf::RepeatedPtrField<common::EncryptedSection>* sealed, const std::string& record_type) {
  common::EncryptedSection* section = sealed->Add();
  section->set_record_type(record_type);
  std::string plaintext_stand_in;
  for (const std::string& canary : kCanaries) plaintext_stand_in += canary + " ";
  section->set_ciphertext(plaintext_stand_in);
  section->set_key_version(1);
}

ev::ReferralEvent envelope() {
  ev::ReferralEvent event;
  event.set_event_id("evt-5mq2k7x9");
  event.set_case_id(kCaseId);
  event.set_sequence(7);
  event.set_hub("rs-1");
  *event.mutable_occurred_at() = at("2026-11-28T17:00:00Z");
  event.add_notify_recipient_ids("svc-atina-shelter");
  return event;
}

void fill_referral(ev::ReferralInfo& referral, rv1::ReferralStatus status = rv1::REFERRAL_STATUS_REQUESTED) {
  referral.set_referral_id(kReferralId);
  referral.mutable_attempt_id()->set_case_id(kCaseId);
  referral.mutable_attempt_id()->set_need_type(common::NEED_TYPE_SHELTER);
  referral.mutable_attempt_id()->set_attempt(1);
  referral.mutable_reference_code()->set_code(kReferenceCode);
  referral.set_kind(rv1::REFERRAL_KIND_SOP);
  referral.set_service_type(rv1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  referral.set_organization_id("org-atina");
  referral.set_service_id("svc-atina-shelter");
  referral.set_status(status);
  referral.set_priority(rv1::REFERRAL_PRIORITY_URGENT);
  referral.set_jurisdiction(common::JURISDICTION_RS);
  referral.mutable_site()->set_site_id("rs-presevo-rc");
  referral.mutable_site()->set_municipality(kMunicipality);
  referral.mutable_site()->set_jurisdiction(common::JURISDICTION_RS);
  referral.set_emergency_id("2026-presevo-surge");
}

void fill_case_summary(intake::v1::CaseSummary& summary) {
  summary.set_case_id(kCaseId);
  summary.mutable_reference_code()->set_code(kReferenceCode);
  summary.mutable_age()->set_band(common::AGE_BAND_9_17);
  summary.mutable_age()->set_presumed_minor(true);
  summary.set_gender(common::GENDER_FEMALE);
  summary.mutable_nationality()->set_status(common::NATIONALITY_STATUS_KNOWN);
  summary.mutable_nationality()->set_country_code("SY");
  summary.add_languages("ar");
  summary.add_languages("fa");
  summary.set_companion_status(common::COMPANION_STATUS_UNACCOMPANIED);
  summary.add_need_types(common::NEED_TYPE_SHELTER);
  summary.add_need_types(common::NEED_TYPE_LEGAL_AID);
  summary.mutable_reported_flags()->set_presumed_child(true);
  summary.mutable_reported_flags()->set_unaccompanied_or_separated(true);
}

ev::ReferralEvent referral_requested() {
  ev::ReferralEvent event = envelope();
  ev::ReferralRequested& requested = *event.mutable_referral_requested();
  fill_referral(*requested.mutable_referral());
  *requested.mutable_deadlines()->mutable_acknowledge_by() = at("2026-11-28T21:00:00Z");
  *requested.mutable_deadlines()->mutable_accept_by() = at("2026-11-29T09:00:00Z");
  fill_case_summary(*requested.mutable_case_summary());
  seal(requested.mutable_sealed(), "pact.routing.v1.Referral");
  return event;
}

ev::ReferralEvent reminder_due(rv1::ReferralKind kind = rv1::REFERRAL_KIND_SOP) {
  ev::ReferralEvent event = envelope();
  ev::ReferralReminderDue& reminder = *event.mutable_referral_reminder_due();
  fill_referral(*reminder.mutable_referral());
  reminder.mutable_referral()->set_kind(kind);
  reminder.set_deadline(rv1::DEADLINE_KIND_ACKNOWLEDGEMENT);
  *reminder.mutable_deadline_at() = at("2026-11-28T21:00:00Z");
  reminder.set_reminder_number(2);
  return event;
}

ev::ReferralEvent referral_escalated() {
  ev::ReferralEvent event = envelope();
  event.set_notify_recipient_ids(0, "svc-rs-eoc-duty-desk");
  ev::ReferralEscalated& escalated = *event.mutable_referral_escalated();
  fill_referral(*escalated.mutable_escalation());
  escalated.mutable_escalation()->set_referral_id("case-7kq4m2xdabcdefghijklmnop/need/shelter/attempt/3");
  escalated.mutable_escalation()->set_kind(rv1::REFERRAL_KIND_ESCALATION);
  escalated.mutable_escalation()->set_service_type(rv1::SERVICE_TYPE_EOC_DUTY_DESK);
  escalated.mutable_escalation()->set_escalation_level(rv1::ESCALATION_LEVEL_EOC_DUTY_DESK);
  escalated.set_level(rv1::ESCALATION_LEVEL_EOC_DUTY_DESK);
  escalated.set_reason(rv1::ESCALATION_REASON_NO_ELIGIBLE_PROVIDER);
  escalated.set_escalated_referral_id("case-7kq4m2xdabcdefghijklmnop/need/shelter/attempt/2");
  *escalated.mutable_deadlines()->mutable_acknowledge_by() = at("2026-11-28T19:00:00Z");
  fill_case_summary(*escalated.mutable_case_summary());
  return event;
}

ev::ReferralEvent status_changed(rv1::ReferralStatus status) {
  ev::ReferralEvent event = envelope();
  ev::ReferralStatusChanged& changed = *event.mutable_referral_status_changed();
  fill_referral(*changed.mutable_referral(), status);
  changed.set_previous_status(rv1::REFERRAL_STATUS_REQUESTED);
  changed.set_reason(rv1::REFERRAL_STATUS_REASON_CONSENT_WITHDRAWN);
  changed.set_changed_by_subject("");
  seal(changed.mutable_sealed(), "pact.routing.v1.Referral");
  return event;
}

void fill_handoff(ev::HandoffInfo& handoff, rv1::HandoffStatus status,
                  common::Jurisdiction receiving = common::JURISDICTION_MK) {
  handoff.set_handoff_id(kHandoffId);
  handoff.set_direction(rv1::HANDOFF_DIRECTION_OUTGOING);
  handoff.set_status(status);
  handoff.set_sending_hub("rs-1");
  handoff.set_sending_jurisdiction(common::JURISDICTION_RS);
  handoff.set_sending_case_id(kCaseId);
  handoff.set_receiving_hub("mk-1");
  handoff.set_receiving_jurisdiction(receiving);
  handoff.set_reason(rv1::HANDOFF_REASON_NEXT_DESTINATION);
}

ev::ReferralEvent handoff_offered(common::Jurisdiction receiving = common::JURISDICTION_MK) {
  ev::ReferralEvent event = envelope();
  event.set_notify_recipient_ids(0, "svc-rs-national-coordinator");
  fill_handoff(*event.mutable_handoff_offered()->mutable_handoff(), rv1::HANDOFF_STATUS_OFFERED, receiving);
  event.mutable_handoff_offered()->set_offer_attempts(1);
  return event;
}

ev::ReferralEvent handoff_accepted() {
  ev::ReferralEvent event = envelope();
  fill_handoff(*event.mutable_handoff_accepted()->mutable_handoff(), rv1::HANDOFF_STATUS_ACCEPTED);
  event.mutable_handoff_accepted()->mutable_handoff()->set_receiving_case_id("case-mkreceivedcase0000000000");
  return event;
}

ev::ReferralEvent handoff_declined() {
  ev::ReferralEvent event = envelope();
  fill_handoff(*event.mutable_handoff_declined()->mutable_handoff(), rv1::HANDOFF_STATUS_DECLINED);
  event.mutable_handoff_declined()->set_reason(rv1::HANDOFF_DECLINE_REASON_INSUFFICIENT_BASIS);
  seal(event.mutable_handoff_declined()->mutable_sealed(), "pact.routing.v1.Handoff");
  return event;
}

ev::ReferralEvent handoff_erased() {
  ev::ReferralEvent event = envelope();
  fill_handoff(*event.mutable_handoff_erased()->mutable_handoff(), rv1::HANDOFF_STATUS_ERASED);
  event.mutable_handoff_erased()->set_reason(common::ERASURE_REASON_DATA_SUBJECT_REQUEST);
  *event.mutable_handoff_erased()->mutable_erased_at() = at("2026-12-01T08:30:00Z");
  return event;
}

ev::ReferralEvent decision_recorded() {
  ev::ReferralEvent event = envelope();
  ev::DecisionRecorded& decision = *event.mutable_decision_recorded();
  decision.set_decision_id("dec-4hq8z2m6");
  decision.set_type(rv1::DECISION_TYPE_REASONABLE_GROUNDS);
  decision.set_outcome(rv1::DECISION_OUTCOME_POSITIVE);
  decision.set_decided_by_subject("subject-cztl-officer-12");
  decision.set_authority_organization_id("org-rs-cztl");
  *decision.mutable_decided_at() = at("2026-11-30T10:00:00Z");
  *decision.mutable_reflection_period_start() = at("2026-11-30T10:00:00Z");
  *decision.mutable_reflection_period_end() = at("2026-12-30T10:00:00Z");
  decision.set_referral_id(kReferralId);
  seal(decision.mutable_sealed(), "pact.routing.v1.Decision");
  return event;
}

// One realistic event of every kind that becomes a message.
std::vector<std::pair<std::string, ev::ReferralEvent>> deliverable_events() {
  return {{"referral_requested", referral_requested()},
          {"referral_reminder_due", reminder_due()},
          {"referral_escalated", referral_escalated()},
          {"referral_cancelled", status_changed(rv1::REFERRAL_STATUS_CANCELLED)},
          {"handoff_offered", handoff_offered()},
          {"handoff_accepted", handoff_accepted()},
          {"handoff_declined", handoff_declined()},
          {"handoff_erased", handoff_erased()},
          {"decision_recorded", decision_recorded()}};
}

PlannedMessage plan(const ev::ReferralEvent& event) {
  std::optional<PlannedMessage> planned = plan_message(event);
  if (!planned) {
    ADD_FAILURE() << "nothing planned for " << event.ShortDebugString();
    return {};
  }
  return *planned;
}

// A 43-character token (32 random bytes, base64url) and its link, as the service makes them; the
// long variant fills the 100 characters the loader's SMS estimate allows for a link.
DeliveryFacts delivery_for(const PlannedMessage& message, bool exercise = false, bool long_link = false) {
  DeliveryFacts delivery;
  delivery.delivery_id = "dlv-7k2qj4m9xw3pz8rt5y6n1bvcdf";
  delivery.recipient_name = "Atina — shelter referrals desk";
  if (message.acknowledgement_required) {
    delivery.ack_token = "Qm9vdHN0cmFwLXRva2VuLWZvci10ZXN0cy1vbmx5LTQ";
    delivery.ack_link = long_link ? "https://notification.pact-hub.rs.example.org/v1/ack/keys/" + delivery.ack_token
                                  : "https://pact-rs.example.org/ack/" + delivery.ack_token;
  }
  delivery.exercise = exercise;
  return delivery;
}

const std::vector<std::string>& shipped_languages() {
  static const std::vector<std::string> languages = {"en", "sr-Latn", "mk", "sq", "bs"};
  return languages;
}

const std::vector<nv1::Channel>& channels() {
  static const std::vector<nv1::Channel> all = {nv1::CHANNEL_EMAIL, nv1::CHANNEL_SMS, nv1::CHANNEL_WEBHOOK};
  return all;
}

// No placeholder left, no value missing from a sentence, no layout debris from skipped sections.
void expect_well_formed(const std::string& text) {
  EXPECT_THAT(text, Not(HasSubstr("{{")));
  EXPECT_THAT(text, Not(HasSubstr("}}")));
  EXPECT_THAT(text, Not(HasSubstr("\x01")));
  EXPECT_THAT(text, Not(HasSubstr(" .")));
  EXPECT_THAT(text, Not(HasSubstr(" ,")));
  EXPECT_THAT(text, Not(HasSubstr("()")));
  EXPECT_THAT(text, Not(HasSubstr("  ")));
  EXPECT_THAT(text, Not(HasSubstr(": \n")));
  EXPECT_THAT(text, Not(HasSubstr("\n\n\n")));
}

// Every e-mail text has one heading ("What to do:"); any other line ending in ':' lost its value.
int lines_ending_with_colon(const std::string& text) {
  int count = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start && text[end - 1] == ':') ++count;
    start = end + 1;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Planning

TEST(MessagePlan, ReferralRequestedAsksTheProviderToAcknowledge) {
  const PlannedMessage message = plan(referral_requested());
  EXPECT_EQ(message.kind, nv1::MESSAGE_KIND_REFERRAL_REQUEST);
  EXPECT_TRUE(message.acknowledgement_required);
  EXPECT_EQ(message.purpose, rv1::CONTACT_PURPOSE_REFERRALS);
  EXPECT_EQ(message.referral_id, kReferralId);
  EXPECT_EQ(message.reference_code, kReferenceCode);
  const MessageFacts expected = {
      {"event_type", "referral_requested"},
      {"reference_code", kReferenceCode},
      {"referral_id", kReferralId},
      {"case_id", kCaseId},
      {"need_type", "shelter"},
      {"attempt", "1"},
      {"service_type", "safe_accommodation"},
      {"priority", "urgent"},
      {"status", "requested"},
      {"jurisdiction", "rs"},
      {"site_id", "rs-presevo-rc"},
      {"emergency_id", "2026-presevo-surge"},
      {"acknowledge_by", "2026-11-28T21:00:00Z"},
      {"accept_by", "2026-11-29T09:00:00Z"},
      {"age_band", "9_17"},
      {"gender", "female"},
      {"languages", "ar,fa"},
      {"need_types", "shelter,legal_aid"},
      {"child", "yes"},
      {"unaccompanied", "yes"},
  };
  EXPECT_EQ(message.facts, expected);
}

TEST(MessagePlan, ReminderEscalationCancellationHandoffAndDecision) {
  const PlannedMessage reminder = plan(reminder_due());
  EXPECT_EQ(reminder.kind, nv1::MESSAGE_KIND_REMINDER);
  EXPECT_TRUE(reminder.acknowledgement_required);
  EXPECT_EQ(reminder.purpose, rv1::CONTACT_PURPOSE_REFERRALS);
  EXPECT_EQ(reminder.referral_id, kReferralId);
  EXPECT_EQ(reminder.facts.at("deadline_kind"), "acknowledgement");
  EXPECT_EQ(reminder.facts.at("deadline_at"), "2026-11-28T21:00:00Z");
  EXPECT_EQ(reminder.facts.at("reminder_number"), "2");

  const PlannedMessage escalation = plan(referral_escalated());
  EXPECT_EQ(escalation.kind, nv1::MESSAGE_KIND_ESCALATION);
  EXPECT_TRUE(escalation.acknowledgement_required);
  EXPECT_EQ(escalation.purpose, rv1::CONTACT_PURPOSE_ESCALATIONS);
  EXPECT_EQ(escalation.referral_id, "case-7kq4m2xdabcdefghijklmnop/need/shelter/attempt/3");
  EXPECT_EQ(escalation.facts.at("escalation_level"), "eoc_duty_desk");
  EXPECT_EQ(escalation.facts.at("escalation_reason"), "no_eligible_provider");
  EXPECT_EQ(escalation.facts.at("escalated_referral_id"), "case-7kq4m2xdabcdefghijklmnop/need/shelter/attempt/2");
  EXPECT_EQ(escalation.facts.at("acknowledge_by"), "2026-11-28T19:00:00Z");

  const PlannedMessage cancelled = plan(status_changed(rv1::REFERRAL_STATUS_CANCELLED));
  EXPECT_EQ(cancelled.kind, nv1::MESSAGE_KIND_REFERRAL_CANCELLED);
  EXPECT_FALSE(cancelled.acknowledgement_required);
  EXPECT_EQ(cancelled.purpose, rv1::CONTACT_PURPOSE_REFERRALS);
  EXPECT_EQ(cancelled.referral_id, kReferralId);
  EXPECT_EQ(cancelled.facts.at("status"), "cancelled");
  EXPECT_EQ(cancelled.facts.at("reason"), "consent_withdrawn");
  EXPECT_EQ(cancelled.facts.at("previous_status"), "requested");

  for (const auto& [name, event] :
       {std::pair{"handoff_offered", handoff_offered()}, std::pair{"handoff_accepted", handoff_accepted()},
        std::pair{"handoff_declined", handoff_declined()}, std::pair{"handoff_erased", handoff_erased()}}) {
    SCOPED_TRACE(name);
    const PlannedMessage handoff = plan(event);
    EXPECT_EQ(handoff.kind, nv1::MESSAGE_KIND_HANDOFF_NOTICE);
    EXPECT_FALSE(handoff.acknowledgement_required);
    EXPECT_EQ(handoff.purpose, rv1::CONTACT_PURPOSE_ESCALATIONS);
    EXPECT_EQ(handoff.referral_id, "");
    EXPECT_EQ(handoff.facts.at("event_type"), name);
    EXPECT_EQ(handoff.facts.at("handoff_id"), kHandoffId);
    EXPECT_EQ(handoff.reference_code, kHandoffId);
    EXPECT_EQ(handoff.facts.at("sending_jurisdiction"), "rs");
    EXPECT_EQ(handoff.facts.at("receiving_jurisdiction"), "mk");
  }
  EXPECT_EQ(plan(handoff_declined()).facts.at("decline_reason"), "insufficient_basis");
  EXPECT_EQ(plan(handoff_erased()).facts.at("erasure_reason"), "data_subject_request");
  EXPECT_EQ(plan(handoff_erased()).facts.at("erased_at"), "2026-12-01T08:30:00Z");

  const PlannedMessage decision = plan(decision_recorded());
  EXPECT_EQ(decision.kind, nv1::MESSAGE_KIND_DECISION_NOTICE);
  EXPECT_FALSE(decision.acknowledgement_required);
  EXPECT_EQ(decision.purpose, rv1::CONTACT_PURPOSE_REFERRALS);
  EXPECT_EQ(decision.referral_id, kReferralId);
  EXPECT_EQ(decision.facts.at("decision_type"), "reasonable_grounds");
  EXPECT_EQ(decision.facts.at("decision_outcome"), "positive");
  EXPECT_EQ(decision.facts.at("reflection_period_end"), "2026-12-30T10:00:00Z");
  EXPECT_FALSE(decision.facts.contains("decided_by_subject"));
}

TEST(MessagePlan, NothingToDeliverWithoutRecipients) {
  for (auto [name, event] : deliverable_events()) {
    SCOPED_TRACE(name);
    event.clear_notify_recipient_ids();
    EXPECT_FALSE(plan_message(event).has_value());
  }
}

TEST(MessagePlan, CapacityChangesAndDeliveryCancellationsAreNotMessages) {
  ev::ReferralEvent capacity = envelope();
  capacity.mutable_capacity_changed()->set_service_id("svc-atina-shelter");
  capacity.mutable_capacity_changed()->set_service_name("Atina shelter");
  EXPECT_FALSE(plan_message(capacity).has_value());

  ev::ReferralEvent cancel = envelope();
  cancel.mutable_delivery_cancelled()->set_referral_id(kReferralId);
  cancel.mutable_delivery_cancelled()->set_reason(rv1::REFERRAL_STATUS_REASON_CONSENT_WITHDRAWN);
  EXPECT_FALSE(plan_message(cancel).has_value());

  EXPECT_FALSE(plan_message(envelope()).has_value()) << "an event without a body";
}

TEST(MessagePlan, OnlyAStopByRoutingTellsTheProviderAboutAStatusChange) {
  for (auto status : {rv1::REFERRAL_STATUS_RECEIVED, rv1::REFERRAL_STATUS_ACCEPTED, rv1::REFERRAL_STATUS_REJECTED,
                      rv1::REFERRAL_STATUS_IN_PROGRESS, rv1::REFERRAL_STATUS_COMPLETED, rv1::REFERRAL_STATUS_FAILED,
                      rv1::REFERRAL_STATUS_ON_HOLD}) {
    EXPECT_FALSE(plan_message(status_changed(status)).has_value()) << rv1::ReferralStatus_Name(status);
  }
  for (auto status : {rv1::REFERRAL_STATUS_CANCELLED, rv1::REFERRAL_STATUS_ENTERED_IN_ERROR}) {
    const auto message = plan_message(status_changed(status));
    ASSERT_TRUE(message.has_value()) << rv1::ReferralStatus_Name(status);
    EXPECT_EQ(message->kind, nv1::MESSAGE_KIND_REFERRAL_CANCELLED);
  }
}

TEST(MessagePlan, MessagesAboutAnEscalationAttemptUseEscalationChannels) {
  EXPECT_EQ(plan(reminder_due(rv1::REFERRAL_KIND_ESCALATION)).purpose, rv1::CONTACT_PURPOSE_ESCALATIONS);
}

TEST(MessagePlan, EveryEventCarriesTheFactsItsKindPromisesTemplates) {
  const std::set<std::string> delivery_facts = {"delivery_id", "recipient_name", "ack_token", "ack_link"};
  for (const auto& [name, event] : deliverable_events()) {
    SCOPED_TRACE(name);
    const PlannedMessage message = plan(event);
    for (const std::string& fact : facts_always_present(message.kind)) {
      if (delivery_facts.contains(fact)) continue;
      EXPECT_TRUE(message.facts.contains(fact)) << fact;
    }
    for (const auto& [fact, value] : message.facts) {
      EXPECT_NE(find_fact(fact), nullptr) << "a fact templates cannot name: " << fact;
      EXPECT_FALSE(value.empty()) << fact;
    }
  }
}

TEST(MessagePlan, EnumValuesAreNamedWithoutTheirPrefix) {
  EXPECT_EQ(enum_value_name(rv1::SERVICE_TYPE_SAFE_ACCOMMODATION), "safe_accommodation");
  EXPECT_EQ(enum_value_name(common::AGE_BAND_0_8), "0_8");
  EXPECT_EQ(enum_value_name(common::JURISDICTION_XK), "xk");
  EXPECT_EQ(enum_value_name(rv1::REFERRAL_PRIORITY_STAT), "stat");
  EXPECT_EQ(enum_value_name(rv1::SERVICE_TYPE_UNSPECIFIED), "");
  EXPECT_EQ(enum_value_name(*rv1::ServiceType_descriptor(), 999), "") << "a value from a newer producer";
  EXPECT_EQ(message_kind_name(nv1::MESSAGE_KIND_REFERRAL_CANCELLED), "referral_cancelled");
}

TEST(MessagePlan, SealedSectionsAndSiteDetailsReachNoFactAndNoMessage) {
  for (const auto& [name, event] : deliverable_events()) {
    SCOPED_TRACE(name);
    const PlannedMessage message = plan(event);
    std::vector<std::string> outputs;
    for (const auto& [fact, value] : message.facts) outputs.push_back(value);
    for (const std::string& language : shipped_languages()) {
      for (nv1::Channel channel : channels()) {
        for (bool exercise : {false, true}) {
          const auto rendered = render(shipped(), message, delivery_for(message, exercise), channel, language);
          outputs.push_back(rendered.subject());
          outputs.push_back(rendered.body());
        }
      }
    }
    for (const std::string& output : outputs) {
      for (const std::string& canary : kCanaries) EXPECT_THAT(output, Not(HasSubstr(canary)));
      EXPECT_THAT(output, Not(HasSubstr(kMunicipality)));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Loading

class TemplateFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "pact-message-templates-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& content) { std::ofstream(dir_ / name) << content; }

  std::vector<std::string> problems() {
    try {
      load_message_templates(dir_.string());
    } catch (const MessageTemplatesError& e) {
      return e.problems();
    }
    ADD_FAILURE() << "the templates were accepted";
    return {};
  }

  // A complete English file with trivial texts, built from the vocabulary so that it stays
  // complete when a message kind or an enum value is added.
  static std::string english(std::optional<nv1::MessageKind> without_message = std::nullopt,
                             const std::string& without_term = "") {
    std::string yaml = "language: en\nversion: \"t1\"\nreviewed: true\nexercise_banner: \"EXERCISE\"\nmessages:\n";
    for (nv1::MessageKind kind : deliverable_message_kinds()) {
      if (without_message == kind) continue;
      yaml += "  " + message_kind_name(kind) +
              ":\n    subject: \"S {{reference_code}}\"\n    text: \"T {{reference_code}}\"\n"
              "    sms: \"M {{reference_code}}\"\n";
    }
    yaml += "terms:\n";
    for (const std::string& group : term_group_names()) {
      yaml += "  " + group + ":\n";
      for (const std::string& value : term_group_values(group)) {
        if (value != without_term) yaml += "    \"" + value + "\": \"" + value + "\"\n";
      }
    }
    return yaml;
  }

  std::filesystem::path dir_;
};

TEST_F(TemplateFiles, ATrivialCompleteEnglishFileLoads) {
  write("en.yaml", english());
  const MessageTemplates templates = load_message_templates(dir_.string());
  EXPECT_EQ(templates.english().language, "en");
  EXPECT_EQ(templates.english().messages.size(), deliverable_message_kinds().size());
}

TEST_F(TemplateFiles, EveryProblemIsReportedAtOnceWithItsLine) {
  write("en.yaml", english());
  write("sq.yaml",
        "language: sq\n"                                             // 1
        "version: \"t1\"\n"                                          // 2
        "reviewed: false\n"                                          // 3
        "colour: blue\n"                                             // 4
        "messages:\n"                                                // 5
        "  referal_request:\n"                                       // 6
        "    subject: \"S {{reference_code}}\"\n"                    // 7
        "  reminder:\n"                                              // 8
        "    subject: \"S {{reference_code}} {{servce_type}}\"\n"    // 9
        "    text: |\n"                                              // 10
        "      first line {{reference_code}}\n"                      // 11
        "      second line {{nope}}\n"                               // 12
        "    sms: \"M {{reference_code}} {{accept_by}}\"\n"          // 13
        "    colour: red\n");                                        // 14
  const auto found = problems();
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:4:"), HasSubstr("unknown key 'colour'"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:6:"), HasSubstr("unknown message kind 'referal_request'"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:9:"), HasSubstr("unknown placeholder '{{servce_type}}'"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:12:"), HasSubstr("unknown placeholder '{{nope}}'"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:13:"),
                                    HasSubstr("'{{accept_by}}' is not in every reminder message"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:14:"), HasSubstr("messages.reminder: unknown key 'colour'"))));
  EXPECT_GE(found.size(), 6u);
}

TEST_F(TemplateFiles, AMessageNeedsEveryPartAndTheReferenceCode) {
  write("en.yaml", english());
  write("sq.yaml",
        "language: sq\n"                            // 1
        "version: \"t1\"\n"                         // 2
        "reviewed: false\n"                         // 3
        "messages:\n"                               // 4
        "  reminder:\n"                             // 5
        "    subject: \"Kujtesë\"\n"                // 6
        "    text: \"T {{reference_code}}\"\n");    // 7
  const auto found = problems();
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:6:"), HasSubstr("messages.reminder.subject: must show "
                                                                        "{{reference_code}}"))));
  EXPECT_THAT(found, Contains(ContainsRegex("sq\\.yaml:[0-9]+: messages\\.reminder: missing 'sms'")));
}

TEST_F(TemplateFiles, TheReferenceCodeInsideASectionDoesNotCount) {
  write("en.yaml", english());
  write("sq.yaml",
        "language: sq\nversion: \"t1\"\nreviewed: false\nmessages:\n  reminder:\n"
        "    subject: \"S {{reference_code}}\"\n"
        "    text: \"T {{reference_code}}\"\n"
        "    sms: \"{{#site_id}}{{reference_code}}{{/site_id}}\"\n");  // 8
  EXPECT_THAT(problems(), Contains(AllOf(HasSubstr("sq.yaml:8:"), HasSubstr("must show {{reference_code}}"))));
}

TEST_F(TemplateFiles, SectionsMustBeClosedAndPlaceholdersWellFormed) {
  write("en.yaml", english());
  write("sq.yaml",
        "language: sq\n"                                              // 1
        "version: \"t1\"\n"                                           // 2
        "reviewed: false\n"                                           // 3
        "messages:\n"                                                 // 4
        "  reminder:\n"                                               // 5
        "    subject: \"S {{reference_code}} {{#site_id}}x\"\n"       // 6
        "    text: \"T {{reference_code}} {{/site_id}}\"\n"           // 7
        "    sms: \"M {{reference_code}} {{ site_id }}\"\n");         // 8
  const auto found = problems();
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:6:"), HasSubstr("'{{#site_id}}' is never closed"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:7:"), HasSubstr("'{{/site_id}}' closes no open"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:8:"), HasSubstr("'{{ site_id }}' is not a placeholder"))));
}

TEST_F(TemplateFiles, UnknownTermGroupsAndValuesAreReported) {
  write("en.yaml", english());
  write("sq.yaml",
        "language: sq\n"                  // 1
        "version: \"t1\"\n"               // 2
        "reviewed: false\n"               // 3
        "messages: {}\n"                  // 4
        "terms:\n"                        // 5
        "  colour: {red: \"e kuqe\"}\n"   // 6
        "  priority:\n"                   // 7
        "    urgentish: \"x\"\n"          // 8
        "    urgent: \"urgjente\"\n");    // 9
  const auto found = problems();
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:6:"), HasSubstr("unknown term group 'colour'"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:8:"), HasSubstr("terms.priority: unknown value 'urgentish'"))));
  EXPECT_EQ(found.size(), 2u);
}

TEST_F(TemplateFiles, LanguageTagsMustBeValidAndUnique) {
  write("en.yaml", english());
  write("xx.yaml", "language: Serbian!\nversion: \"t1\"\nreviewed: false\nmessages: {}\n");
  write("sq-copy.yaml", "language: sq\nversion: \"t1\"\nreviewed: false\nmessages: {}\n");
  write("sq.yaml", "language: sq\nversion: \"t1\"\nreviewed: false\nmessages: {}\n");
  const auto found = problems();
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("xx.yaml:1:"), HasSubstr("'Serbian!' is not a BCP 47 language tag"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("sq.yaml:1:"), HasSubstr("is also defined in"),
                                    HasSubstr("sq-copy.yaml"))));
}

TEST_F(TemplateFiles, AnSmsThatCouldGrowPastTheLimitIsRefused) {
  write("en.yaml", english());
  write("sq.yaml",
        "language: sq\nversion: \"t1\"\nreviewed: false\nmessages:\n  reminder:\n"
        "    subject: \"S {{reference_code}}\"\n"
        "    text: \"T {{reference_code}}\"\n"
        "    sms: \"" + std::string(200, 'x') + " {{reference_code}} {{ack_link}}\"\n");  // 8
  EXPECT_THAT(problems(), Contains(AllOf(HasSubstr("sq.yaml:8:"), HasSubstr("messages.reminder.sms: may be"),
                                         HasSubstr("limit 320"))));
}

TEST_F(TemplateFiles, EnglishIsRequired) {
  write("sq.yaml", "language: sq\nversion: \"t1\"\nreviewed: false\nmessages: {}\n");
  EXPECT_THAT(problems(), Contains(AllOf(HasSubstr("en.yaml:1:"), HasSubstr("no English templates"))));
}

TEST_F(TemplateFiles, EnglishMustBeComplete) {
  write("en.yaml", english(nv1::MESSAGE_KIND_REMINDER, "stat"));
  const auto found = problems();
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("en.yaml:"), HasSubstr("English must define 'reminder'"))));
  EXPECT_THAT(found, Contains(AllOf(HasSubstr("en.yaml:"), HasSubstr("terms.priority: English must define 'stat'"))));
}

TEST_F(TemplateFiles, NotValidYamlNamesTheLine) {
  write("en.yaml", english());
  write("sq.yaml", "language: sq\nmessages:\n  reminder: [unclosed\n");
  EXPECT_THAT(problems(), Contains(AllOf(HasSubstr("sq.yaml:"), HasSubstr("not valid YAML"))));
}

TEST_F(TemplateFiles, ProblemsAreARuntimeErrorListingThemAll) {
  write("sq.yaml", "language: sq\nversion: \"t1\"\nreviewed: false\nmessages: {}\n");
  EXPECT_THROW(load_message_templates(dir_.string()), std::runtime_error);
  EXPECT_THROW(load_message_templates((dir_ / "missing").string()), std::runtime_error);
}

TEST(ShippedTemplates, EveryLanguageLoadsAndOnlyEnglishIsReviewed) {
  const MessageTemplates& templates = shipped();
  std::set<std::string> languages;
  for (const LanguageTemplates& language : templates.languages()) {
    SCOPED_TRACE(language.language);
    languages.insert(language.language);
    EXPECT_EQ(language.reviewed, language.language == "en");
    EXPECT_FALSE(language.version.empty());
    EXPECT_EQ(language.messages.size(), deliverable_message_kinds().size());
    EXPECT_FALSE(language.exercise_banner.empty());
  }
  EXPECT_EQ(languages, (std::set<std::string>{"en", "sr-Latn", "mk", "sq", "bs"}));
}

// ---------------------------------------------------------------------------------------------
// Rendering

TEST(MessageRenderer, AnEmailSaysWhatToDoByWhenAndHowToAcknowledge) {
  const PlannedMessage message = plan(referral_requested());
  const DeliveryFacts delivery = delivery_for(message);
  const auto email = render(shipped(), message, delivery, nv1::CHANNEL_EMAIL, "en");
  EXPECT_EQ(email.subject(), "[PaCT] New referral RS-7KQ4-M2XD: safe accommodation (urgent)");
  EXPECT_EQ(email.content_type(), "text/plain; charset=utf-8");
  const std::string& text = email.body();
  EXPECT_THAT(text, HasSubstr("To: Atina — shelter referrals desk\n"));
  EXPECT_THAT(text, HasSubstr("Reference: RS-7KQ4-M2XD\n"));
  EXPECT_THAT(text, HasSubstr("Priority: urgent\n"));
  EXPECT_THAT(text, HasSubstr("Jurisdiction: Serbia\n"));
  EXPECT_THAT(text, HasSubstr("Site: rs-presevo-rc\n"));
  EXPECT_THAT(text, HasSubstr("Age band: 9–17 years\n"));
  EXPECT_THAT(text, HasSubstr("Languages spoken: ar, fa\n"));
  EXPECT_THAT(text, HasSubstr("Needs reported: shelter, legal aid\n"));
  EXPECT_THAT(text, HasSubstr("CHILD: treat the person as a child."));
  EXPECT_THAT(text, HasSubstr("a guardian is needed"));
  EXPECT_THAT(text, HasSubstr("Acknowledge by 2026-11-28 21:00 UTC: open " + delivery.ack_link));
  EXPECT_THAT(text, HasSubstr("send the token " + delivery.ack_token));
  EXPECT_THAT(text, HasSubstr("(referral " + std::string(kReferralId) + ") by 2026-11-29 09:00 UTC."));
  EXPECT_THAT(text, HasSubstr("reject it at once with a reason"));
  EXPECT_THAT(text, HasSubstr("call the EOC duty desk of Serbia and quote RS-7KQ4-M2XD"));
  EXPECT_THAT(text, Not(HasSubstr("EXERCISE")));
  EXPECT_EQ(lines_ending_with_colon(text), 1);
  expect_well_formed(text);
}

TEST(MessageRenderer, EveryKindRendersCompletelyInEveryLanguageAndChannel) {
  for (const auto& [name, event] : deliverable_events()) {
    const PlannedMessage message = plan(event);
    for (const std::string& language : shipped_languages()) {
      for (bool exercise : {false, true}) {
        SCOPED_TRACE(name + " in " + language + (exercise ? " (exercise)" : ""));
        const DeliveryFacts delivery = delivery_for(message, exercise);
        const auto email = render(shipped(), message, delivery, nv1::CHANNEL_EMAIL, language);
        expect_well_formed(email.subject());
        EXPECT_THAT(email.subject(), HasSubstr(message.reference_code));
        EXPECT_THAT(email.subject(), Not(HasSubstr("\n")));
        expect_well_formed(email.body());
        EXPECT_THAT(email.body(), HasSubstr(message.reference_code));
        if (!exercise) {
          EXPECT_EQ(lines_ending_with_colon(email.body()), 1) << email.body();
        }
        const auto sms = render(shipped(), message, delivery, nv1::CHANNEL_SMS, language);
        expect_well_formed(sms.body());
        EXPECT_THAT(sms.body(), HasSubstr(message.reference_code));
        if (message.acknowledgement_required) {
          EXPECT_THAT(email.body(), HasSubstr(delivery.ack_link));
          EXPECT_THAT(email.body(), HasSubstr(delivery.ack_token));
          EXPECT_THAT(sms.body(), HasSubstr(delivery.ack_link));
        }
      }
    }
  }
}

TEST(MessageRenderer, MissingOptionalFactsLeaveNoEmptyLines) {
  ev::ReferralEvent event = referral_requested();
  ev::ReferralRequested& requested = *event.mutable_referral_requested();
  requested.mutable_referral()->clear_site();
  requested.mutable_referral()->clear_emergency_id();
  requested.mutable_deadlines()->clear_accept_by();
  requested.clear_case_summary();
  const PlannedMessage message = plan(event);
  for (const std::string& language : shipped_languages()) {
    SCOPED_TRACE(language);
    DeliveryFacts delivery = delivery_for(message);
    delivery.recipient_name.clear();
    const std::string text = render(shipped(), message, delivery, nv1::CHANNEL_EMAIL, language).body();
    expect_well_formed(text);
    EXPECT_EQ(lines_ending_with_colon(text), 1) << text;
    EXPECT_THAT(text, StartsWith("PaCT Referral Hub:"));
    EXPECT_THAT(text, Not(HasSubstr("rs-presevo-rc")));
  }
}

TEST(MessageRenderer, SmsStaysWithinTheLimitWithLongValues) {
  for (const auto& [name, event] : deliverable_events()) {
    const PlannedMessage message = plan(event);
    const DeliveryFacts delivery = delivery_for(message, true, true);
    if (message.acknowledgement_required) {
      ASSERT_EQ(character_count(delivery.ack_link), 100u);
    }
    for (const std::string& language : shipped_languages()) {
      SCOPED_TRACE(name + " in " + language);
      const auto sms = render(shipped(), message, delivery, nv1::CHANNEL_SMS, language);
      EXPECT_LE(character_count(sms.body()), kSmsCharacterLimit) << sms.body();
      EXPECT_EQ(sms.subject(), "");
      EXPECT_EQ(sms.content_type(), "text/plain; charset=utf-8");
    }
  }
  EXPECT_EQ(character_count("Шта? Çfarë —"), 12u);
}

TEST(MessageRenderer, LanguagesFallBackToTheirBaseAVariantThenEnglish) {
  const MessageTemplates& templates = shipped();
  const auto kind = nv1::MESSAGE_KIND_REFERRAL_REQUEST;
  EXPECT_EQ(rendered_language(templates, kind, "sr-Latn"), "sr-Latn");
  EXPECT_EQ(rendered_language(templates, kind, "sr-Latn-RS"), "sr-Latn");
  EXPECT_EQ(rendered_language(templates, kind, "sr"), "sr-Latn");
  EXPECT_EQ(rendered_language(templates, kind, "sr-Cyrl"), "sr-Latn");
  EXPECT_EQ(rendered_language(templates, kind, "mk-MK"), "mk");
  EXPECT_EQ(rendered_language(templates, kind, "SQ"), "sq");
  EXPECT_EQ(rendered_language(templates, kind, "de"), "en");
  EXPECT_EQ(rendered_language(templates, kind, ""), "en");

  const PlannedMessage message = plan(referral_requested());
  const auto serbian = render(templates, message, delivery_for(message), nv1::CHANNEL_EMAIL, "sr-Latn-RS");
  EXPECT_EQ(serbian.subject(), "[PaCT] Novo upućivanje RS-7KQ4-M2XD: bezbedan smeštaj (hitno)");
  EXPECT_THAT(serbian.body(), HasSubstr("Jurisdikcija: Srbija\n"));
  const auto macedonian = render(templates, message, delivery_for(message), nv1::CHANNEL_SMS, "mk");
  EXPECT_THAT(macedonian.body(), StartsWith("PaCT упатување RS-7KQ4-M2XD: безбедно сместување (итно)."));
}

TEST(MessageRenderer, AMissingMessageOrTermFallsBackToEnglish) {
  const LanguageTemplates partial = parse_language_templates(
      "language: xx\n"
      "version: \"t1\"\n"
      "reviewed: false\n"
      "messages:\n"
      "  referral_request:\n"
      "    subject: \"XX {{reference_code}}: {{service_type}} / {{priority}}\"\n"
      "    text: \"XX {{reference_code}}\"\n"
      "    sms: \"XX {{reference_code}}\"\n"
      "terms:\n"
      "  service_type: {safe_accommodation: \"xx-shelter\"}\n",
      "xx.yaml");
  const MessageTemplates templates({shipped().english(), partial});

  const PlannedMessage request = plan(referral_requested());
  const auto translated = render(templates, request, delivery_for(request), nv1::CHANNEL_EMAIL, "xx");
  EXPECT_EQ(translated.subject(), "XX RS-7KQ4-M2XD: xx-shelter / urgent") << "the term falls back word by word";

  const PlannedMessage reminder = plan(reminder_due());
  EXPECT_EQ(rendered_language(templates, reminder.kind, "xx"), "en");
  const auto english = render(templates, reminder, delivery_for(reminder), nv1::CHANNEL_EMAIL, "xx");
  EXPECT_THAT(english.subject(), StartsWith("[PaCT] Reminder 2: referral RS-7KQ4-M2XD"));
  EXPECT_THAT(english.body(), HasSubstr("Service requested: safe accommodation\n"))
      << "an English message shows English terms";

  const auto exercise = render(templates, request, delivery_for(request, true), nv1::CHANNEL_SMS, "xx");
  EXPECT_THAT(exercise.body(), StartsWith("EXERCISE — not a real case\nXX RS-7KQ4-M2XD")) << "the English banner";
}

TEST(MessageRenderer, AnExerciseSaysSoFirstOnEveryChannel) {
  const PlannedMessage message = plan(referral_requested());
  const DeliveryFacts delivery = delivery_for(message, true);
  const auto email = render(shipped(), message, delivery, nv1::CHANNEL_EMAIL, "en");
  EXPECT_THAT(email.subject(), StartsWith("[EXERCISE — not a real case] [PaCT] New referral"));
  EXPECT_THAT(email.body(), StartsWith("EXERCISE — not a real case\n\n"));
  EXPECT_THAT(email.body(), HasSubstr("\n\nEXERCISE — not a real case\n"));
  EXPECT_THAT(render(shipped(), message, delivery, nv1::CHANNEL_SMS, "en").body(),
              StartsWith("EXERCISE — not a real case\nPaCT referral RS-7KQ4-M2XD"));
  EXPECT_THAT(render(shipped(), message, delivery, nv1::CHANNEL_SMS, "sq").body(),
              StartsWith("USHTRIM — nuk është rast i vërtetë\n"));
  const auto webhook = nlohmann::json::parse(render(shipped(), message, delivery, nv1::CHANNEL_WEBHOOK, "en").body());
  EXPECT_TRUE(webhook.at("exercise").get<bool>());
  EXPECT_THAT(webhook.at("message").at("text").get<std::string>(), StartsWith("EXERCISE — not a real case"));
}

TEST(MessageRenderer, KosovoIsShownWithItsFootnote) {
  const PlannedMessage message = plan(handoff_offered(common::JURISDICTION_XK));
  for (const auto& [language, name, footnote] :
       {std::tuple{"en", "To: Kosovo*\n", "UNSCR 1244/1999"}, std::tuple{"sq", "Drejt: Kosova*\n", "1244/1999"},
        std::tuple{"mk", "Кон: Косово*\n", "1244/1999"}}) {
    SCOPED_TRACE(language);
    const std::string text = render(shipped(), message, delivery_for(message), nv1::CHANNEL_EMAIL, language).body();
    EXPECT_THAT(text, HasSubstr(name));
    EXPECT_THAT(text, HasSubstr(footnote));
    expect_well_formed(text);
  }
}

TEST(MessageRenderer, AWebhookIsAJsonDocumentWithTheTokenAndTheDeliveryId) {
  const PlannedMessage message = plan(referral_requested());
  const DeliveryFacts delivery = delivery_for(message);
  const auto rendered = render(shipped(), message, delivery, nv1::CHANNEL_WEBHOOK, "sr-Latn");
  EXPECT_EQ(rendered.content_type(), "application/json");
  EXPECT_EQ(rendered.subject(), "");
  const nlohmann::json document = nlohmann::json::parse(rendered.body());
  EXPECT_EQ(document.at("specversion"), "pact.notification/1");
  EXPECT_EQ(document.at("type"), "referral_request");
  EXPECT_EQ(document.at("delivery_id"), delivery.delivery_id);
  EXPECT_EQ(document.at("event_type"), "referral_requested");
  EXPECT_EQ(document.at("referral_id"), kReferralId);
  EXPECT_EQ(document.at("case_id"), kCaseId);
  EXPECT_EQ(document.at("reference_code"), kReferenceCode);
  EXPECT_FALSE(document.at("exercise").get<bool>());
  EXPECT_EQ(document.at("facts").at("service_type"), "safe_accommodation");
  EXPECT_EQ(document.at("facts").at("acknowledge_by"), "2026-11-28T21:00:00Z");
  EXPECT_EQ(document.at("facts").size(), message.facts.size());
  EXPECT_TRUE(document.at("acknowledgement").at("required").get<bool>());
  EXPECT_EQ(document.at("acknowledgement").at("token"), delivery.ack_token);
  EXPECT_EQ(document.at("acknowledgement").at("url"), delivery.ack_link);
  EXPECT_EQ(document.at("message").at("language"), "sr-Latn");
  EXPECT_THAT(document.at("message").at("subject").get<std::string>(), StartsWith("[PaCT] Novo upućivanje"));
  EXPECT_THAT(document.at("message").at("text").get<std::string>(), HasSubstr(delivery.ack_token));

  const PlannedMessage notice = plan(status_changed(rv1::REFERRAL_STATUS_CANCELLED));
  const nlohmann::json cancelled = nlohmann::json::parse(
      render(shipped(), notice, delivery_for(notice), nv1::CHANNEL_WEBHOOK, "en").body());
  EXPECT_FALSE(cancelled.at("acknowledgement").at("required").get<bool>());
  EXPECT_FALSE(cancelled.at("acknowledgement").contains("token"));
  EXPECT_EQ(cancelled.at("type"), "referral_cancelled");
}

TEST(MessageRenderer, ControlCharactersInValuesCannotBreakTheSubject) {
  PlannedMessage message = plan(referral_requested());
  message.facts["reference_code"] = "RS-1\r\nBcc: someone@example.org";
  const auto email = render(shipped(), message, delivery_for(message), nv1::CHANNEL_EMAIL, "en");
  EXPECT_THAT(email.subject(), Not(HasSubstr("\n")));
  EXPECT_THAT(email.subject(), Not(HasSubstr("\r")));
}

TEST(MessageRenderer, AChannelIsRequired) {
  const PlannedMessage message = plan(referral_requested());
  EXPECT_THROW(render(shipped(), message, delivery_for(message), nv1::CHANNEL_UNSPECIFIED, "en"),
               std::invalid_argument);
}

}  // namespace
}  // namespace pact::notification
