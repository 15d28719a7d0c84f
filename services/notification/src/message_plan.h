#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/generated_enum_reflection.h>

#include "message.h"
#include "pact/events/v1/referral_events.pb.h"

namespace pact::notification {

// What routing asked us to tell the event's notify_recipient_ids, or nullopt when there is nothing
// to deliver: no recipients, or an event that is not a message (CapacityChanged; DeliveryCancelled,
// which the caller handles itself; a status change that is not a stop by routing).
//
// Facts are copied from the event's clear fields only (ids, enum values, deadlines, the coarse case
// summary); sealed sections and anything else about the person are never read.
std::optional<PlannedMessage> plan_message(const events::v1::ReferralEvent& event);

// An enum value as facts and template files name it: the proto name without the enum's prefix, in
// lower case (SERVICE_TYPE_SAFE_ACCOMMODATION -> "safe_accommodation", AGE_BAND_0_8 -> "0_8").
// Empty for the UNSPECIFIED value and for numbers this build does not know (a newer producer).
std::string enum_value_name(const google::protobuf::EnumDescriptor& type, int number);

template <typename Enum>
std::string enum_value_name(Enum value) {
  return enum_value_name(*google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

// "referral_request" for MESSAGE_KIND_REFERRAL_REQUEST: the key of a message in template files and
// the `type` of a webhook document.
std::string message_kind_name(notification::v1::MessageKind kind);

// Every message kind a template file must (English) or may (other languages) define.
const std::vector<notification::v1::MessageKind>& deliverable_message_kinds();

// ---- The fact vocabulary: what templates may name, shared by the loader and the renderer. ----

enum class FactFormat {
  text,       // shown as it is (ids, reference codes, links)
  text_list,  // comma-separated values ("ar,fa"), shown joined by ", "
  number,     // a whole number
  time,       // RFC 3339 UTC in the facts; shown as "2026-11-28 21:00 UTC"
  term,       // an enum value name; shown as the term's display words in the message's language
  term_list,  // comma-separated enum value names ("shelter,legal_aid"); each shown as a term
};

struct FactDefinition {
  std::string_view name;
  FactFormat format = FactFormat::text;
  std::string_view term_group;  // for term and term_list
  // Longest rendering expected, for the loader's SMS length estimate (terms: their longest words).
  std::size_t max_width = 0;
};

// Every fact a template may name: the event facts plan_message produces and the delivery facts
// (delivery_id, recipient_name, ack_token, ack_link).
const std::vector<FactDefinition>& fact_definitions();
const FactDefinition* find_fact(std::string_view name);

// The facts every message of `kind` carries, delivery facts included. A template may name any other
// fact only inside a section on it ({{#emergency_id}}…{{emergency_id}}…{{/emergency_id}}), so a
// message never shows an empty value.
const std::set<std::string, std::less<>>& facts_always_present(notification::v1::MessageKind kind);

// Term groups (the `terms:` keys of template files) and the values each may define. Every group but
// yes_no is a proto enum; its values are the enum's value names.
const std::vector<std::string>& term_group_names();
// Empty when there is no such group.
std::vector<std::string> term_group_values(std::string_view group);

}  // namespace pact::notification
