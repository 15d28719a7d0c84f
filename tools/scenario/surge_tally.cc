#include "surge_tally.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "kafka/topics.h"
#include "pact/events/v1/notification_events.pb.h"
#include "pact/events/v1/referral_events.pb.h"
#include "pact/events/v1/screening_events.pb.h"

namespace pactscenario {
namespace {

namespace events = pact::events::v1;
using google::protobuf::util::TimeUtil;

std::int64_t to_ms(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

}  // namespace

std::string readable_enum(const std::string& name, const std::string& prefix) {
  std::string text = name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
  for (char& c : text) c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

double SurgeFigures::percentile_ms(double q) const {
  if (end_to_end_ms.empty()) return 0;
  auto index = static_cast<std::size_t>(std::ceil(q * static_cast<double>(end_to_end_ms.size())));
  return end_to_end_ms[std::min(index == 0 ? 0 : index - 1, end_to_end_ms.size() - 1)];
}

std::uint64_t SurgeFigures::escalations() const {
  std::uint64_t total = 0;
  for (const auto& [level, count] : escalations_by_level) total += count;
  return total;
}

std::uint64_t SurgeFigures::referrals_in(const std::string& status) const {
  std::uint64_t total = 0;
  for (const auto& [service, by_status] : referrals) {
    if (auto found = by_status.find(status); found != by_status.end()) total += found->second;
  }
  return total;
}

void SurgeTally::registration_sent(const std::string& case_id, std::chrono::system_clock::time_point sent_at) {
  std::lock_guard lock(mutex_);
  CaseProgress& progress = cases_[case_id];
  if (progress.registered) return;  // the same case answered twice (an idempotent replay)
  progress.registered = true;
  progress.sent_at_ms = to_ms(sent_at);
}

void SurgeTally::registration_failed() {
  std::lock_guard lock(mutex_);
  ++registration_errors_;
}

bool SurgeTally::first_time(const std::string& event_id) {
  return event_id.empty() || seen_events_.insert(event_id).second;
}

void SurgeTally::observe(const FollowedRecord& record) {
  std::lock_guard lock(mutex_);
  if (record.topic_base == pact::kafka::topic::kScreening) {
    observe_screening(record.value);
  } else if (record.topic_base == pact::kafka::topic::kReferral) {
    observe_referral(record.value);
  } else if (record.topic_base == pact::kafka::topic::kNotification) {
    observe_notification(record.value);
  }
}

void SurgeTally::observe_screening(const std::string& value) {
  events::ScreeningEvent event;
  if (!event.ParseFromString(value) || !event.has_assessment_completed() || !first_time(event.event_id())) return;
  const auto& completed = event.assessment_completed();
  if (!completed.has_assessment()) return;  // erased
  CaseProgress& progress = cases_[event.case_id()];
  progress.screened = true;
  progress.level = readable_enum(pact::screening::v1::Level_Name(completed.assessment().level()), "LEVEL_");
  // Flags only grow (screening's rule): a case once presumed a child stays counted as one.
  const auto& flags = completed.assessment().flags();
  progress.child = progress.child || flags.presumed_child();
  progress.unaccompanied_or_separated = progress.unaccompanied_or_separated || flags.unaccompanied_or_separated();
  progress.urgent_medical = progress.urgent_medical || flags.urgent_medical();
}

void SurgeTally::observe_referral(const std::string& value) {
  events::ReferralEvent event;
  if (!event.ParseFromString(value) || !first_time(event.event_id())) return;
  CaseProgress& progress = cases_[event.case_id()];
  auto track = [&](const events::ReferralInfo& info) {
    ReferralProgress& referral = referrals_[info.referral_id()];
    referral.case_id = event.case_id();
    referral.service_type = readable_enum(pact::routing::v1::ServiceType_Name(info.service_type()), "SERVICE_TYPE_");
    referral.status = readable_enum(pact::routing::v1::ReferralStatus_Name(info.status()), "REFERRAL_STATUS_");
  };
  switch (event.event_case()) {
    case events::ReferralEvent::kReferralRequested:
      track(event.referral_requested().referral());
      ++progress.referral_attempts;
      if (!event.referral_requested().previous_referral_id().empty()) ++progress.reroutes;
      break;
    case events::ReferralEvent::kReferralStatusChanged:
      // Only referrals this tally saw requested: an escalation's status is not a provider's.
      if (referrals_.count(event.referral_status_changed().referral().referral_id())) {
        track(event.referral_status_changed().referral());
      }
      break;
    case events::ReferralEvent::kReferralReminderDue:
      ++progress.reminders;
      break;
    case events::ReferralEvent::kReferralEscalated:
      progress.escalation_levels.push_back(
          readable_enum(pact::routing::v1::EscalationLevel_Name(event.referral_escalated().level()), "ESCALATION_LEVEL_"));
      break;
    case events::ReferralEvent::kHandoffOffered: ++progress.handoffs_offered; break;
    case events::ReferralEvent::kHandoffAccepted: ++progress.handoffs_accepted; break;
    case events::ReferralEvent::kHandoffDeclined: ++progress.handoffs_declined; break;
    default: break;
  }
}

void SurgeTally::observe_notification(const std::string& value) {
  events::NotificationEvent event;
  if (!event.ParseFromString(value) || !first_time(event.event_id())) return;
  CaseProgress& progress = cases_[event.case_id()];
  switch (event.event_case()) {
    case events::NotificationEvent::kNotificationSent: ++progress.sent; break;
    case events::NotificationEvent::kNotificationFailed: ++progress.failed; break;
    case events::NotificationEvent::kNotificationAcknowledged: ++progress.acknowledged; break;
    case events::NotificationEvent::kNotificationDelivered: {
      const auto& delivered = event.notification_delivered();
      ++progress.delivered;
      ++progress.delivered_by_kind[readable_enum(pact::notification::v1::MessageKind_Name(delivered.delivery().kind()),
                                                 "MESSAGE_KIND_")];
      // The first news of a need that someone must act on: a provider's referral request, or, when
      // no provider was eligible, the escalation to the coordination desk (itself a referral).
      const auto kind = delivered.delivery().kind();
      if (kind == pact::notification::v1::MESSAGE_KIND_REFERRAL_REQUEST ||
          kind == pact::notification::v1::MESSAGE_KIND_ESCALATION) {
        const std::int64_t at = TimeUtil::TimestampToMilliseconds(
            delivered.has_delivered_at() ? delivered.delivered_at() : event.occurred_at());
        if (progress.first_delivered_ms == 0 || at < progress.first_delivered_ms) progress.first_delivered_ms = at;
      }
      break;
    }
    default: break;
  }
}

SurgeFigures SurgeTally::figures() const {
  std::lock_guard lock(mutex_);
  SurgeFigures figures;
  figures.registration_errors = registration_errors_;
  std::optional<std::int64_t> first_sent_ms;
  std::int64_t last_reached_ms = 0;
  for (const auto& [case_id, progress] : cases_) {
    if (!progress.registered) continue;  // another run's case, or not answered yet
    ++figures.registered;
    first_sent_ms = std::min(first_sent_ms.value_or(progress.sent_at_ms), progress.sent_at_ms);
    last_reached_ms = std::max(last_reached_ms, progress.first_delivered_ms);
    if (progress.screened) {
      ++figures.screened;
      ++figures.cases_by_level[progress.level];
    }
    figures.children += progress.child;
    figures.unaccompanied_or_separated += progress.unaccompanied_or_separated;
    figures.urgent_medical += progress.urgent_medical;
    figures.cases_with_referral += progress.referral_attempts > 0;
    figures.referral_attempts += progress.referral_attempts;
    figures.reroutes += progress.reroutes;
    figures.reminders += progress.reminders;
    for (const auto& level : progress.escalation_levels) ++figures.escalations_by_level[level];
    figures.handoffs_offered += progress.handoffs_offered;
    figures.handoffs_accepted += progress.handoffs_accepted;
    figures.handoffs_declined += progress.handoffs_declined;
    figures.deliveries_sent += progress.sent;
    figures.delivered += progress.delivered;
    figures.delivery_failures += progress.failed;
    figures.acknowledged += progress.acknowledged;
    for (const auto& [kind, count] : progress.delivered_by_kind) figures.delivered_by_kind[kind] += count;
    if (progress.first_delivered_ms > 0) {
      ++figures.cases_reached;
      figures.end_to_end_ms.push_back(static_cast<double>(progress.first_delivered_ms - progress.sent_at_ms));
    }
  }
  for (const auto& [referral_id, referral] : referrals_) {
    auto owner = cases_.find(referral.case_id);
    if (owner == cases_.end() || !owner->second.registered) continue;
    ++figures.referrals[referral.service_type][referral.status];
  }
  std::sort(figures.end_to_end_ms.begin(), figures.end_to_end_ms.end());
  if (first_sent_ms && last_reached_ms > *first_sent_ms) {
    figures.reached_per_second =
        static_cast<double>(figures.cases_reached) * 1000.0 / static_cast<double>(last_reached_ms - *first_sent_ms);
  }
  return figures;
}

}  // namespace pactscenario
