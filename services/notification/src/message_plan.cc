#include "message_plan.h"

#include <algorithm>
#include <cctype>
#include <map>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/time_util.h>

namespace pact::notification {
namespace {

namespace referral_events = ::pact::events::v1;
namespace common = ::pact::common::v1;
namespace routing_v1 = ::pact::routing::v1;
using notification::v1::MessageKind;

void put_text(MessageFacts& facts, const char* name, const std::string& value) {
  if (!value.empty()) facts[name] = value;
}

template <typename Enum>
void put_enum(MessageFacts& facts, const char* name, Enum value) {
  put_text(facts, name, enum_value_name(value));
}

void put_time(MessageFacts& facts, const char* name, const google::protobuf::Timestamp& at) {
  if (at.seconds() == 0 && at.nanos() == 0) return;  // not set
  facts[name] = google::protobuf::util::TimeUtil::ToString(at);
}

void put_number(MessageFacts& facts, const char* name, std::uint32_t value) {
  if (value > 0) facts[name] = std::to_string(value);
}

// Escalations go to coordination contacts, whose channels serve escalations; so do reminders and
// cancellations of an escalation attempt.
routing_v1::ContactPurpose purpose_for(const referral_events::ReferralInfo& referral) {
  return referral.kind() == routing_v1::REFERRAL_KIND_ESCALATION ? routing_v1::CONTACT_PURPOSE_ESCALATIONS
                                                                 : routing_v1::CONTACT_PURPOSE_REFERRALS;
}

void add_referral(const referral_events::ReferralInfo& referral, MessageFacts& facts) {
  put_text(facts, "referral_id", referral.referral_id());
  put_text(facts, "reference_code", referral.reference_code().code());
  if (!facts.contains("case_id")) put_text(facts, "case_id", referral.attempt_id().case_id());
  put_enum(facts, "need_type", referral.attempt_id().need_type());
  put_number(facts, "attempt", referral.attempt_id().attempt());
  put_enum(facts, "service_type", referral.service_type());
  put_enum(facts, "priority", referral.priority());
  put_enum(facts, "status", referral.status());
  put_enum(facts, "jurisdiction", referral.jurisdiction());
  // Only the site id: a site is a reception or transit centre, never a confidential location, and
  // its municipality would say more than a message needs.
  put_text(facts, "site_id", referral.site().site_id());
  put_text(facts, "emergency_id", referral.emergency_id());
}

void add_deadlines(const routing_v1::Deadlines& deadlines, MessageFacts& facts) {
  put_time(facts, "acknowledge_by", deadlines.acknowledge_by());
  put_time(facts, "accept_by", deadlines.accept_by());
}

bool is_child_band(common::AgeBand band) { return band == common::AGE_BAND_0_8 || band == common::AGE_BAND_9_17; }

// The coarse attributes DESIGN.md allows in clear, as far as a provider needs them to get ready
// (interpreter, child-appropriate staff). Nationality, consent scopes and duplicate counts are left
// out: the provider reads what the referral allows through the referral API.
void add_case_summary(const intake::v1::CaseSummary& summary, MessageFacts& facts) {
  put_enum(facts, "age_band", summary.age().band());
  put_enum(facts, "gender", summary.gender());
  std::string languages;
  for (const std::string& language : summary.languages()) {
    if (!language.empty()) languages += (languages.empty() ? "" : ",") + language;
  }
  put_text(facts, "languages", languages);
  std::string needs;
  for (int need : summary.need_types()) {
    std::string name = enum_value_name(*common::NeedType_descriptor(), need);
    if (!name.empty()) needs += (needs.empty() ? "" : ",") + name;
  }
  put_text(facts, "need_types", needs);
  // A presumed child is treated as a child (REFERENCE section 0), whatever the band says.
  const bool child = summary.reported_flags().presumed_child() || summary.age().presumed_minor() ||
                     is_child_band(summary.age().band());
  const bool separated = summary.companion_status() == common::COMPANION_STATUS_UNACCOMPANIED ||
                         summary.companion_status() == common::COMPANION_STATUS_SEPARATED;
  facts["child"] = child ? "yes" : "no";
  facts["unaccompanied"] = summary.reported_flags().unaccompanied_or_separated() || (child && separated) ? "yes" : "no";
}

void add_handoff(const referral_events::HandoffInfo& handoff, MessageFacts& facts) {
  put_text(facts, "handoff_id", handoff.handoff_id());
  // HandoffInfo carries no reference code; the handoff id is what coordinators on both sides can
  // quote (the receiving hub has no case of its own until it accepts).
  put_text(facts, "reference_code", handoff.handoff_id());
  put_enum(facts, "handoff_status", handoff.status());
  put_enum(facts, "handoff_direction", handoff.direction());
  put_enum(facts, "handoff_reason", handoff.reason());
  put_enum(facts, "sending_jurisdiction", handoff.sending_jurisdiction());
  put_enum(facts, "receiving_jurisdiction", handoff.receiving_jurisdiction());
}

bool is_stop_by_routing(routing_v1::ReferralStatus status) {
  // Cancelled (deadline missed, consent withdrawn, case erased, need resolved …) and entered in
  // error end the attempt without the provider's doing: tell it to stop work. Rejected, completed
  // and failed are the provider's own answers; it needs no notice of them.
  return status == routing_v1::REFERRAL_STATUS_CANCELLED || status == routing_v1::REFERRAL_STATUS_ENTERED_IN_ERROR;
}

PlannedMessage planned(MessageKind kind, bool acknowledgement_required, routing_v1::ContactPurpose purpose,
                       std::string referral_id, MessageFacts facts) {
  PlannedMessage message;
  message.kind = kind;
  message.acknowledgement_required = acknowledgement_required;
  message.purpose = purpose;
  message.referral_id = std::move(referral_id);
  if (auto code = facts.find("reference_code"); code != facts.end()) message.reference_code = code->second;
  message.facts = std::move(facts);
  return message;
}

// Handoff notices go to coordination contacts, on their escalation channels; they concern a
// handoff, not one referral attempt.
PlannedMessage handoff_notice(MessageFacts facts) {
  return planned(notification::v1::MESSAGE_KIND_HANDOFF_NOTICE, false, routing_v1::CONTACT_PURPOSE_ESCALATIONS, "",
                 std::move(facts));
}

}  // namespace

std::optional<PlannedMessage> plan_message(const events::v1::ReferralEvent& event) {
  if (event.notify_recipient_ids().empty()) return std::nullopt;
  MessageFacts facts;
  put_text(facts, "case_id", event.case_id());
  // No default: a new kind of referral event must be decided here (-Wswitch flags a missing case).
  switch (event.event_case()) {
    case referral_events::ReferralEvent::kReferralRequested: {
      const auto& requested = event.referral_requested();
      facts["event_type"] = "referral_requested";
      add_referral(requested.referral(), facts);
      add_deadlines(requested.deadlines(), facts);
      if (requested.has_case_summary()) add_case_summary(requested.case_summary(), facts);
      return planned(notification::v1::MESSAGE_KIND_REFERRAL_REQUEST, true, purpose_for(requested.referral()),
                     requested.referral().referral_id(), std::move(facts));
    }
    case referral_events::ReferralEvent::kReferralReminderDue: {
      const auto& reminder = event.referral_reminder_due();
      facts["event_type"] = "referral_reminder_due";
      add_referral(reminder.referral(), facts);
      put_enum(facts, "deadline_kind", reminder.deadline());
      put_time(facts, "deadline_at", reminder.deadline_at());
      put_number(facts, "reminder_number", reminder.reminder_number());
      return planned(notification::v1::MESSAGE_KIND_REMINDER, true, purpose_for(reminder.referral()),
                     reminder.referral().referral_id(), std::move(facts));
    }
    case referral_events::ReferralEvent::kReferralEscalated: {
      const auto& escalated = event.referral_escalated();
      facts["event_type"] = "referral_escalated";
      add_referral(escalated.escalation(), facts);
      const auto level = escalated.level() != routing_v1::ESCALATION_LEVEL_UNSPECIFIED
                             ? escalated.level()
                             : escalated.escalation().escalation_level();
      put_enum(facts, "escalation_level", level);
      put_enum(facts, "escalation_reason", escalated.reason());
      put_text(facts, "escalated_referral_id", escalated.escalated_referral_id());
      put_text(facts, "handoff_id", escalated.handoff_id());
      add_deadlines(escalated.deadlines(), facts);
      if (escalated.has_case_summary()) add_case_summary(escalated.case_summary(), facts);
      return planned(notification::v1::MESSAGE_KIND_ESCALATION, true, routing_v1::CONTACT_PURPOSE_ESCALATIONS,
                     escalated.escalation().referral_id(), std::move(facts));
    }
    case referral_events::ReferralEvent::kReferralStatusChanged: {
      const auto& changed = event.referral_status_changed();
      if (!is_stop_by_routing(changed.referral().status())) return std::nullopt;
      facts["event_type"] = "referral_status_changed";
      add_referral(changed.referral(), facts);
      put_enum(facts, "previous_status", changed.previous_status());
      put_enum(facts, "reason", changed.reason());
      return planned(notification::v1::MESSAGE_KIND_REFERRAL_CANCELLED, false, purpose_for(changed.referral()),
                     changed.referral().referral_id(), std::move(facts));
    }
    case referral_events::ReferralEvent::kHandoffOffered:
      facts["event_type"] = "handoff_offered";
      add_handoff(event.handoff_offered().handoff(), facts);
      return handoff_notice(std::move(facts));
    case referral_events::ReferralEvent::kHandoffAccepted:
      facts["event_type"] = "handoff_accepted";
      add_handoff(event.handoff_accepted().handoff(), facts);
      return handoff_notice(std::move(facts));
    case referral_events::ReferralEvent::kHandoffDeclined:
      facts["event_type"] = "handoff_declined";
      add_handoff(event.handoff_declined().handoff(), facts);
      put_enum(facts, "decline_reason", event.handoff_declined().reason());
      return handoff_notice(std::move(facts));
    case referral_events::ReferralEvent::kHandoffErased:
      facts["event_type"] = "handoff_erased";
      add_handoff(event.handoff_erased().handoff(), facts);
      put_enum(facts, "erasure_reason", event.handoff_erased().reason());
      put_time(facts, "erased_at", event.handoff_erased().erased_at());
      return handoff_notice(std::move(facts));
    case referral_events::ReferralEvent::kDecisionRecorded: {
      const auto& decision = event.decision_recorded();
      facts["event_type"] = "decision_recorded";
      put_text(facts, "decision_id", decision.decision_id());
      // DecisionRecorded carries no reference code; the decision id is what the recipient can quote.
      put_text(facts, "reference_code", decision.decision_id());
      put_text(facts, "referral_id", decision.referral_id());
      put_enum(facts, "decision_type", decision.type());
      put_enum(facts, "decision_outcome", decision.outcome());
      put_time(facts, "decided_at", decision.decided_at());
      put_time(facts, "reflection_period_start", decision.reflection_period_start());
      put_time(facts, "reflection_period_end", decision.reflection_period_end());
      put_time(facts, "exception_valid_until", decision.exception_valid_until());
      return planned(notification::v1::MESSAGE_KIND_DECISION_NOTICE, false, routing_v1::CONTACT_PURPOSE_REFERRALS,
                     decision.referral_id(), std::move(facts));
    }
    case referral_events::ReferralEvent::kCapacityChanged:    // figures for the read model, not a message
    case referral_events::ReferralEvent::kDeliveryCancelled:  // the caller stops deliveries itself
    case referral_events::ReferralEvent::EVENT_NOT_SET:
      return std::nullopt;
  }
  return std::nullopt;  // an event_case value this build does not know
}

std::string enum_value_name(const google::protobuf::EnumDescriptor& type, int number) {
  if (number == 0) return "";
  const google::protobuf::EnumValueDescriptor* value = type.FindValueByNumber(number);
  if (value == nullptr) return "";
  // Every enum of the contracts starts with <PREFIX>_UNSPECIFIED = 0 (buf lint ENUM_ZERO_VALUE_SUFFIX).
  std::string prefix;
  if (const auto* zero = type.FindValueByNumber(0); zero != nullptr && zero->name().ends_with("UNSPECIFIED")) {
    prefix = zero->name().substr(0, zero->name().size() - std::string_view("UNSPECIFIED").size());
  }
  std::string name = value->name();
  if (!prefix.empty() && name.starts_with(prefix)) name.erase(0, prefix.size());
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

std::string message_kind_name(notification::v1::MessageKind kind) { return enum_value_name(kind); }

const std::vector<notification::v1::MessageKind>& deliverable_message_kinds() {
  static const std::vector<MessageKind> kinds = {
      notification::v1::MESSAGE_KIND_REFERRAL_REQUEST,     notification::v1::MESSAGE_KIND_REMINDER,
      notification::v1::MESSAGE_KIND_ESCALATION,           notification::v1::MESSAGE_KIND_REFERRAL_CANCELLED,
      notification::v1::MESSAGE_KIND_HANDOFF_NOTICE,       notification::v1::MESSAGE_KIND_DECISION_NOTICE};
  return kinds;
}

namespace {

// Widths are generous guesses of real values (reference codes "RS-ABCD-EFGH", or a 36-character
// handoff id standing in for one; ack links up to 100 characters). Terms: the loader uses the
// longest words of their group instead.
constexpr std::size_t kIdWidth = 80;
const std::vector<FactDefinition> kFacts = {
    {"event_type", FactFormat::text, "", 24},
    {"reference_code", FactFormat::text, "", 40},
    {"referral_id", FactFormat::text, "", kIdWidth},
    {"case_id", FactFormat::text, "", 40},
    {"need_type", FactFormat::term, "need_type", 0},
    {"attempt", FactFormat::number, "", 3},
    {"service_type", FactFormat::term, "service_type", 0},
    {"priority", FactFormat::term, "priority", 0},
    {"status", FactFormat::term, "referral_status", 0},
    {"previous_status", FactFormat::term, "referral_status", 0},
    {"reason", FactFormat::term, "status_reason", 0},
    {"jurisdiction", FactFormat::term, "jurisdiction", 0},
    {"site_id", FactFormat::text, "", 64},
    {"emergency_id", FactFormat::text, "", 64},
    {"acknowledge_by", FactFormat::time, "", 20},
    {"accept_by", FactFormat::time, "", 20},
    {"deadline_kind", FactFormat::term, "deadline_kind", 0},
    {"deadline_at", FactFormat::time, "", 20},
    {"reminder_number", FactFormat::number, "", 3},
    {"escalation_level", FactFormat::term, "escalation_level", 0},
    {"escalation_reason", FactFormat::term, "escalation_reason", 0},
    {"escalated_referral_id", FactFormat::text, "", kIdWidth},
    {"handoff_id", FactFormat::text, "", 40},
    {"handoff_status", FactFormat::term, "handoff_status", 0},
    {"handoff_direction", FactFormat::term, "handoff_direction", 0},
    {"handoff_reason", FactFormat::term, "handoff_reason", 0},
    {"sending_jurisdiction", FactFormat::term, "jurisdiction", 0},
    {"receiving_jurisdiction", FactFormat::term, "jurisdiction", 0},
    {"decline_reason", FactFormat::term, "handoff_decline_reason", 0},
    {"erasure_reason", FactFormat::term, "erasure_reason", 0},
    {"erased_at", FactFormat::time, "", 20},
    {"decision_id", FactFormat::text, "", 40},
    {"decision_type", FactFormat::term, "decision_type", 0},
    {"decision_outcome", FactFormat::term, "decision_outcome", 0},
    {"decided_at", FactFormat::time, "", 20},
    {"reflection_period_start", FactFormat::time, "", 20},
    {"reflection_period_end", FactFormat::time, "", 20},
    {"exception_valid_until", FactFormat::time, "", 20},
    {"age_band", FactFormat::term, "age_band", 0},
    {"gender", FactFormat::term, "gender", 0},
    {"languages", FactFormat::text_list, "", 30},
    {"need_types", FactFormat::term_list, "need_type", 0},
    {"child", FactFormat::term, "yes_no", 0},
    {"unaccompanied", FactFormat::term, "yes_no", 0},
    // Delivery facts (DeliveryFacts), known only when a message is rendered for one recipient.
    {"delivery_id", FactFormat::text, "", 64},
    {"recipient_name", FactFormat::text, "", 80},
    {"ack_token", FactFormat::text, "", 48},
    {"ack_link", FactFormat::text, "", 100},
};

const std::map<std::string, const google::protobuf::EnumDescriptor*, std::less<>>& enum_term_groups() {
  static const std::map<std::string, const google::protobuf::EnumDescriptor*, std::less<>> groups = {
      {"service_type", routing_v1::ServiceType_descriptor()},
      {"need_type", common::NeedType_descriptor()},
      {"priority", routing_v1::ReferralPriority_descriptor()},
      {"referral_status", routing_v1::ReferralStatus_descriptor()},
      {"status_reason", routing_v1::ReferralStatusReason_descriptor()},
      {"jurisdiction", common::Jurisdiction_descriptor()},
      {"deadline_kind", routing_v1::DeadlineKind_descriptor()},
      {"escalation_level", routing_v1::EscalationLevel_descriptor()},
      {"escalation_reason", routing_v1::EscalationReason_descriptor()},
      {"handoff_status", routing_v1::HandoffStatus_descriptor()},
      {"handoff_direction", routing_v1::HandoffDirection_descriptor()},
      {"handoff_reason", routing_v1::HandoffReason_descriptor()},
      {"handoff_decline_reason", routing_v1::HandoffDeclineReason_descriptor()},
      {"erasure_reason", common::ErasureReason_descriptor()},
      {"decision_type", routing_v1::DecisionType_descriptor()},
      {"decision_outcome", routing_v1::DecisionOutcome_descriptor()},
      {"age_band", common::AgeBand_descriptor()},
      {"gender", common::Gender_descriptor()},
  };
  return groups;
}

}  // namespace

const std::vector<FactDefinition>& fact_definitions() { return kFacts; }

const FactDefinition* find_fact(std::string_view name) {
  for (const FactDefinition& fact : kFacts) {
    if (fact.name == name) return &fact;
  }
  return nullptr;
}

const std::set<std::string, std::less<>>& facts_always_present(notification::v1::MessageKind kind) {
  using Set = std::set<std::string, std::less<>>;
  // Routing fills these in every well-formed event of the kind (referral identity, deadlines of a
  // new attempt, the escalation's level and reason …); see plan_message.
  static const Set referral = {"event_type", "reference_code", "referral_id", "case_id", "need_type", "attempt",
                               "service_type", "priority", "status", "jurisdiction", "delivery_id"};
  const auto with = [](Set base, std::initializer_list<const char*> more) {
    base.insert(more.begin(), more.end());
    return base;
  };
  static const Set acknowledged = with(referral, {"ack_token", "ack_link"});
  static const Set request = with(acknowledged, {"acknowledge_by"});
  static const Set reminder = with(acknowledged, {"deadline_kind", "deadline_at", "reminder_number"});
  static const Set escalation = with(acknowledged, {"acknowledge_by", "escalation_level", "escalation_reason"});
  static const Set cancelled = referral;
  static const Set handoff = {"event_type",        "reference_code",       "handoff_id",
                              "handoff_status",    "handoff_direction",    "sending_jurisdiction",
                              "receiving_jurisdiction", "delivery_id"};
  static const Set decision = {"event_type", "reference_code", "decision_id", "decision_type", "decision_outcome",
                               "delivery_id"};
  static const Set none = {};
  switch (kind) {
    case notification::v1::MESSAGE_KIND_REFERRAL_REQUEST: return request;
    case notification::v1::MESSAGE_KIND_REMINDER: return reminder;
    case notification::v1::MESSAGE_KIND_ESCALATION: return escalation;
    case notification::v1::MESSAGE_KIND_REFERRAL_CANCELLED: return cancelled;
    case notification::v1::MESSAGE_KIND_HANDOFF_NOTICE: return handoff;
    case notification::v1::MESSAGE_KIND_DECISION_NOTICE: return decision;
    default: return none;
  }
}

const std::vector<std::string>& term_group_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, type] : enum_term_groups()) out.push_back(name);
    out.push_back("yes_no");
    std::sort(out.begin(), out.end());
    return out;
  }();
  return names;
}

std::vector<std::string> term_group_values(std::string_view group) {
  if (group == "yes_no") return {"yes", "no"};
  auto found = enum_term_groups().find(group);
  if (found == enum_term_groups().end()) return {};
  std::vector<std::string> values;
  for (int i = 0; i < found->second->value_count(); ++i) {
    std::string name = enum_value_name(*found->second, found->second->value(i)->number());
    if (!name.empty()) values.push_back(std::move(name));
  }
  return values;
}

}  // namespace pact::notification
