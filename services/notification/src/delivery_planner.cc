#include "delivery_planner.h"

#include <algorithm>

#include <google/protobuf/util/time_util.h>

#include "ids/ids.h"
#include "message_renderer.h"
#include "report_events.h"

namespace pact::notification {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp timestamp(Clock::time_point time) {
  return TimeUtil::MillisecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count());
}

bool serves(const routing::v1::ContactChannel& channel, routing::v1::ContactPurpose purpose) {
  const auto used_for = channel.purpose();
  return used_for == routing::v1::CONTACT_PURPOSE_UNSPECIFIED || used_for == routing::v1::CONTACT_PURPOSE_ALL ||
         used_for == purpose;
}

bool usable(const routing::v1::ContactChannel& channel, routing::v1::ContactPurpose purpose) {
  return channel.active() && !channel.address().empty() && channel.channel() != v1::CHANNEL_UNSPECIFIED &&
         serves(channel, purpose);
}

// The message itself, before it is addressed: what every delivery of it shares.
v1::StoredDelivery message_record(const MessageSource& source, const PlannedMessage& message,
                                  const std::string& recipient_id, Clock::time_point now) {
  v1::StoredDelivery stored;
  auto& delivery = *stored.mutable_delivery();
  delivery.set_source_event_id(source.event_id);
  delivery.set_case_id(source.case_id);
  delivery.set_referral_id(message.referral_id);
  delivery.mutable_reference_code()->set_code(message.reference_code);
  delivery.set_recipient_id(recipient_id);
  delivery.set_kind(message.kind);
  delivery.set_acknowledgement_required(message.acknowledgement_required);
  delivery.set_exercise(source.exercise);
  *delivery.mutable_created_at() = timestamp(now);
  stored.set_source_sequence(source.sequence);
  stored.set_purpose(message.purpose);
  return stored;  // facts are added per delivery, once it is addressed (copied once, not per step)
}

PlannedMessage planned_from(const v1::StoredDelivery& stored) {
  PlannedMessage message;
  const auto& delivery = stored.delivery();
  message.kind = delivery.kind();
  message.acknowledgement_required = delivery.acknowledgement_required();
  message.purpose = static_cast<routing::v1::ContactPurpose>(stored.purpose());
  message.referral_id = delivery.referral_id();
  message.reference_code = delivery.reference_code().code();
  message.facts = MessageFacts(stored.facts().begin(), stored.facts().end());
  return message;
}

}  // namespace

std::string DeliveryPlanner::endpoint_of(v1::Channel channel, const std::string& address) {
  if (channel == v1::CHANNEL_EMAIL) return "smtp";
  if (channel == v1::CHANNEL_SMS) return "sms";
  const auto scheme_end = address.find("://");
  if (scheme_end == std::string::npos) return address;
  std::string scheme = address.substr(0, scheme_end);
  const auto host_start = scheme_end + 3;
  std::string authority = address.substr(host_start, address.find_first_of("/?#", host_start) - host_start);
  if (const auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  std::transform(authority.begin(), authority.end(), authority.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool has_port = authority.find(':', authority.rfind(']') == std::string::npos ? 0 : authority.rfind(']')) !=
                        std::string::npos;
  if (!has_port) authority += scheme == "https" ? ":443" : ":80";
  return scheme + "://" + authority;
}

v1::StoredDelivery DeliveryPlanner::delivery_on(const v1::StoredDelivery& message, const PlannedMessage& planned,
                                                const routing::v1::Recipient& recipient,
                                                const routing::v1::ContactChannel& channel,
                                                Clock::time_point now) const {
  v1::StoredDelivery stored = message;
  stored.clear_facts();
  auto& delivery = *stored.mutable_delivery();
  // A fail-over or a resend on another channel starts its own history (attempts, failures, answers).
  delivery.clear_attempts();
  delivery.clear_last_failure();
  delivery.clear_last_error();
  delivery.clear_next_attempt_at();
  delivery.clear_delivered_at();
  delivery.clear_acknowledged_at();
  delivery.clear_acknowledgement_method();
  delivery.set_delivery_id(ids::content_id(
      "dlv", {delivery.source_event_id(), delivery.recipient_id(), v1::Channel_Name(channel.channel()), channel.address()}));
  delivery.set_channel(channel.channel());
  delivery.set_address(channel.address());
  const std::string language =
      !channel.language().empty() ? channel.language() : (!recipient.language().empty() ? recipient.language() : "en");
  delivery.set_language(language);
  delivery.set_status(v1::DELIVERY_STATUS_PENDING);
  delivery.set_idempotency_key(delivery.delivery_id());
  *delivery.mutable_created_at() = timestamp(now);
  stored.set_endpoint(endpoint_of(channel.channel(), channel.address()));
  stored.set_secret_id(channel.secret_id());
  stored.set_recipient_name(recipient.name());
  stored.set_channel_priority(channel.priority());

  DeliveryFacts facts;
  facts.delivery_id = delivery.delivery_id();
  facts.recipient_name = recipient.name();
  facts.exercise = delivery.exercise();
  if (delivery.acknowledgement_required()) {
    facts.ack_token = tokens_.token_for(delivery.delivery_id());
    facts.ack_link = ack_base_url_ + "/ack/" + facts.ack_token;
  }
  *stored.mutable_message() = render(templates_, planned, facts, channel.channel(), language);
  stored.mutable_facts()->insert(planned.facts.begin(), planned.facts.end());
  return stored;
}

std::vector<DeliveryStore::NewDelivery> DeliveryPlanner::on_group(const v1::StoredDelivery& message,
                                                                  const PlannedMessage& planned,
                                                                  const routing::v1::Recipient& recipient,
                                                                  std::optional<std::uint32_t> after_priority,
                                                                  Clock::time_point now) const {
  const auto purpose = static_cast<routing::v1::ContactPurpose>(message.purpose());
  std::optional<std::uint32_t> group;
  for (const auto& channel : recipient.channels()) {
    if (!usable(channel, purpose) || (after_priority && channel.priority() <= *after_priority)) continue;
    if (!group || channel.priority() < *group) group = channel.priority();
  }
  std::vector<DeliveryStore::NewDelivery> deliveries;
  if (!group) return deliveries;
  for (const auto& channel : recipient.channels()) {
    if (usable(channel, purpose) && channel.priority() == *group) {
      deliveries.push_back({delivery_on(message, planned, recipient, channel, now), {}});
    }
  }
  return deliveries;
}

std::vector<DeliveryStore::NewDelivery> DeliveryPlanner::plan(const MessageSource& source,
                                                              const PlannedMessage& message,
                                                              const std::string& recipient_id,
                                                              const std::optional<routing::v1::Recipient>& recipient,
                                                              Clock::time_point now) const {
  const v1::StoredDelivery record = message_record(source, message, recipient_id, now);
  if (recipient && recipient->active()) {
    auto deliveries = on_group(record, message, *recipient, std::nullopt, now);
    if (!deliveries.empty()) return deliveries;
  }
  // Dead on arrival: recorded like any delivery so the case worker sees why nobody was told.
  v1::StoredDelivery dead = record;
  dead.mutable_facts()->insert(message.facts.begin(), message.facts.end());
  auto& delivery = *dead.mutable_delivery();
  delivery.set_delivery_id(ids::content_id("dlv", {source.event_id, recipient_id, "no-channel", ""}));
  delivery.set_idempotency_key(delivery.delivery_id());
  delivery.set_status(v1::DELIVERY_STATUS_DEAD_LETTERED);
  delivery.set_last_failure(v1::FAILURE_REASON_NO_CHANNEL);
  const std::string why = !recipient ? "the directory has no recipient " + recipient_id
                                     : (!recipient->active() ? "the recipient is not active"
                                                             : "the recipient has no active channel for this message");
  delivery.set_last_error(why);
  if (recipient) dead.set_recipient_name(recipient->name());
  std::vector<DeliveryStore::NewDelivery> out;
  out.push_back({dead, {failed_event(hub_, dead, v1::FAILURE_REASON_NO_CHANNEL, why, now)}});
  return out;
}

std::vector<DeliveryStore::NewDelivery> DeliveryPlanner::fail_over(
    const v1::StoredDelivery& given_up, const std::optional<routing::v1::Recipient>& recipient,
    Clock::time_point now) const {
  if (!recipient || !recipient->active()) return {};
  return on_group(given_up, planned_from(given_up), *recipient, given_up.channel_priority(), now);
}

std::optional<DeliveryStore::NewDelivery> DeliveryPlanner::on_channel(const v1::StoredDelivery& original,
                                                                      const routing::v1::Recipient& recipient,
                                                                      v1::Channel channel, Clock::time_point now) const {
  const auto purpose = static_cast<routing::v1::ContactPurpose>(original.purpose());
  for (const auto& candidate : recipient.channels()) {
    if (candidate.channel() == channel && usable(candidate, purpose)) {
      return DeliveryStore::NewDelivery{delivery_on(original, planned_from(original), recipient, candidate, now), {}};
    }
  }
  return std::nullopt;
}

}  // namespace pact::notification
