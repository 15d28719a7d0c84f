#include "situation_view.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include <google/protobuf/util/time_util.h>

namespace pact::situation {
namespace {

using google::protobuf::util::TimeUtil;
namespace rv1 = routing::v1;

struct CaseTally {
  std::uint32_t total = 0, awaiting_screening = 0, none_observed = 0, indications = 0, combination = 0;
  std::uint32_t children = 0, unaccompanied = 0, urgent_medical = 0, immediate_danger = 0;

  void add(const v1::CaseEntry& entry) {
    ++total;
    if (entry.screened_sequence() == 0) ++awaiting_screening;
    if (entry.screened_sequence() != 0) {
      switch (entry.level()) {
        case screening::v1::LEVEL_NO_INDICATORS_OBSERVED: ++none_observed; break;
        case screening::v1::LEVEL_INDICATIONS_PRESENT: ++indications; break;
        case screening::v1::LEVEL_COMBINATION_MET: ++combination; break;
        default: break;
      }
    }
    children += entry.child() ? 1u : 0u;
    unaccompanied += entry.unaccompanied_or_separated() ? 1u : 0u;
    urgent_medical += entry.urgent_medical() ? 1u : 0u;
    immediate_danger += entry.immediate_danger() ? 1u : 0u;
  }

  v1::CaseFigures shown(std::uint32_t k) const {
    v1::CaseFigures figures;
    *figures.mutable_total() = shown_count(total, k);
    *figures.mutable_awaiting_screening() = shown_count(awaiting_screening, k);
    *figures.mutable_no_indicators_observed() = shown_count(none_observed, k);
    *figures.mutable_indications_present() = shown_count(indications, k);
    *figures.mutable_combination_met() = shown_count(combination, k);
    *figures.mutable_children() = shown_count(children, k);
    *figures.mutable_unaccompanied_or_separated() = shown_count(unaccompanied, k);
    *figures.mutable_urgent_medical() = shown_count(urgent_medical, k);
    *figures.mutable_immediate_danger() = shown_count(immediate_danger, k);
    return figures;
  }
};

struct ReferralTally {
  std::uint32_t awaiting_acknowledgement = 0, awaiting_acceptance = 0, in_progress = 0, completed = 0, rejected = 0,
                failed_or_cancelled = 0;

  void add(rv1::ReferralStatus status) {
    switch (status) {
      case rv1::REFERRAL_STATUS_REQUESTED: ++awaiting_acknowledgement; break;
      case rv1::REFERRAL_STATUS_RECEIVED: ++awaiting_acceptance; break;
      case rv1::REFERRAL_STATUS_ACCEPTED:
      case rv1::REFERRAL_STATUS_IN_PROGRESS:
      case rv1::REFERRAL_STATUS_ON_HOLD: ++in_progress; break;
      case rv1::REFERRAL_STATUS_COMPLETED: ++completed; break;
      case rv1::REFERRAL_STATUS_REJECTED: ++rejected; break;
      case rv1::REFERRAL_STATUS_FAILED:
      case rv1::REFERRAL_STATUS_CANCELLED: ++failed_or_cancelled; break;
      default: break;
    }
  }

  v1::ReferralFigures shown(rv1::ServiceType type, std::uint32_t k) const {
    v1::ReferralFigures figures;
    figures.set_service_type(type);
    *figures.mutable_awaiting_acknowledgement() = shown_count(awaiting_acknowledgement, k);
    *figures.mutable_awaiting_acceptance() = shown_count(awaiting_acceptance, k);
    *figures.mutable_in_progress() = shown_count(in_progress, k);
    *figures.mutable_completed() = shown_count(completed, k);
    *figures.mutable_rejected() = shown_count(rejected, k);
    *figures.mutable_failed_or_cancelled() = shown_count(failed_or_cancelled, k);
    return figures;
  }
};

struct AreaTally {
  CaseTally cases;
  std::map<rv1::ServiceType, ReferralTally> referrals;
  std::uint32_t overdue = 0;
  std::uint32_t open_escalations = 0;

  v1::AreaFigures shown(std::uint32_t k) const {
    v1::AreaFigures figures;
    *figures.mutable_cases() = cases.shown(k);
    for (const auto& [type, tally] : referrals) *figures.add_referrals() = tally.shown(type, k);
    figures.set_overdue(overdue);
    figures.set_open_escalations(open_escalations);
    return figures;
  }
};

bool settled(rv1::ReferralStatus status) {
  switch (status) {
    case rv1::REFERRAL_STATUS_REJECTED:
    case rv1::REFERRAL_STATUS_COMPLETED:
    case rv1::REFERRAL_STATUS_FAILED:
    case rv1::REFERRAL_STATUS_CANCELLED: return true;
    default: return false;
  }
}

bool in_flight(rv1::HandoffStatus status) {
  return status == rv1::HANDOFF_STATUS_PENDING || status == rv1::HANDOFF_STATUS_OFFERED;
}

// The tallies a case or referral adds to: the hub, its jurisdiction, its site, its emergency.
struct Areas {
  AreaTally hub;
  std::map<std::string, AreaTally> jurisdictions;
  std::map<std::pair<std::string, std::string>, AreaTally> sites;
  std::map<std::string, AreaTally> emergencies;

  template <class Visit>
  void each(const std::string& jurisdiction, const std::string& site, const std::string& emergency, Visit&& visit) {
    visit(hub);
    visit(jurisdictions[jurisdiction]);
    if (!site.empty()) visit(sites[{jurisdiction, site}]);
    if (!emergency.empty()) visit(emergencies[emergency]);
  }
};

v1::ActionItem action_item(const v1::ReferralEntry& referral, v1::ActionItem::Kind kind, std::int64_t since_ms,
                           std::int64_t now_ms, const std::unordered_map<std::string, std::string>& provider_names) {
  v1::ActionItem item;
  item.set_kind(kind);
  item.set_reference_code(referral.reference_code());
  item.set_service_type(referral.service_type());
  item.set_service_id(referral.service_id());
  auto name = provider_names.find(referral.service_id());
  item.set_provider(name != provider_names.end() ? name->second
                                                 : (referral.service_id().empty() ? referral.organization_id()
                                                                                  : referral.service_id()));
  item.set_jurisdiction(referral.jurisdiction());
  item.set_site_id(referral.site_id());
  item.set_emergency_id(referral.emergency_id());
  item.set_priority(referral.priority());
  item.set_escalation_level(referral.escalation_level());
  item.set_escalation_reason(referral.escalation_reason());
  *item.mutable_since() = TimeUtil::MillisecondsToTimestamp(since_ms);
  item.set_age_seconds(static_cast<std::uint64_t>(std::max<std::int64_t>(0, (now_ms - since_ms) / 1000)));
  return item;
}

void sort_oldest_first(google::protobuf::RepeatedPtrField<v1::ActionItem>& items) {
  std::sort(items.begin(), items.end(), [](const v1::ActionItem& a, const v1::ActionItem& b) {
    return std::make_tuple(TimeUtil::TimestampToMilliseconds(a.since()), a.reference_code(), a.provider()) <
           std::make_tuple(TimeUtil::TimestampToMilliseconds(b.since()), b.reference_code(), b.provider());
  });
}

// Available now minus available an hour before: the trend of a provider's capacity.
std::int32_t change_over_last_hour(const v1::CapacityEntry& entry, std::int64_t now_ms) {
  const std::int64_t hour_ago = now_ms - 3'600'000;
  std::int64_t before = -1;
  for (const auto& point : entry.recent()) {
    if (TimeUtil::TimestampToMilliseconds(point.at()) <= hour_ago) before = point.available();
  }
  // With no value from before the hour, the oldest known one is the baseline.
  if (before < 0 && !entry.recent().empty()) before = entry.recent(0).available();
  if (before < 0) return 0;
  return static_cast<std::int32_t>(static_cast<std::int64_t>(entry.available()) - before);
}

}  // namespace

v1::Count shown_count(std::uint32_t count, std::uint32_t threshold) {
  v1::Count shown;
  if (count > 0 && count < threshold) {
    shown.set_suppressed(true);
  } else {
    shown.set_value(count);
  }
  return shown;
}

v1::Situation build_situation(const v1::SituationState& state, bool exercise,
                              std::chrono::system_clock::time_point now, const ViewSettings& settings,
                              const ViewScope& scope) {
  const std::uint32_t k = settings.suppression_threshold;
  const std::int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::int64_t bucket_ms = std::max<std::int64_t>(1000, settings.timeline_bucket.count() * 1000);
  const int buckets = std::max(1, settings.timeline_buckets);
  const std::int64_t last_bucket_start = now_ms - (now_ms % bucket_ms);
  const std::int64_t first_bucket_start = last_bucket_start - (buckets - 1) * bucket_ms;
  std::vector<std::uint32_t> arrivals(static_cast<std::size_t>(buckets)), referrals_made(static_cast<std::size_t>(buckets));
  auto bucket_of = [&](std::int64_t at_ms) -> std::optional<std::size_t> {
    if (at_ms < first_bucket_start || at_ms >= last_bucket_start + bucket_ms) return std::nullopt;
    return static_cast<std::size_t>((at_ms - first_bucket_start) / bucket_ms);
  };

  v1::Situation situation;
  situation.set_hub(settings.hub);
  *situation.mutable_as_of() = TimeUtil::MillisecondsToTimestamp(now_ms);
  situation.set_exercise(exercise);
  situation.set_suppression_threshold(k);
  situation.set_revision(state.revision());

  Areas areas;
  for (const auto& [id, entry] : state.cases()) {
    if (entry.exercise() != exercise || entry.erased() || !scope.covers(entry.jurisdiction())) continue;
    // A case known only from a late event (no registration seen) still counts where it is.
    areas.each(entry.jurisdiction(), entry.site_id(), entry.emergency_id(), [&](AreaTally& area) { area.cases.add(entry); });
    if (auto bucket = bucket_of(entry.registered_at_ms())) ++arrivals[*bucket];
  }

  std::unordered_map<std::string, std::string> provider_names;
  for (const auto& [key, capacity] : state.providers()) {
    if (!capacity.service_name().empty()) provider_names[capacity.service_id()] = capacity.service_name();
  }

  for (const auto& [id, referral] : state.referrals()) {
    if (referral.exercise() != exercise || !scope.covers(referral.jurisdiction())) continue;
    if (referral.kind() == rv1::REFERRAL_KIND_ESCALATION) {
      if (settled(referral.status())) continue;
      areas.each(referral.jurisdiction(), referral.site_id(), referral.emergency_id(),
                 [](AreaTally& area) { ++area.open_escalations; });
      *situation.add_escalations() =
          action_item(referral, v1::ActionItem::KIND_ESCALATION_OPEN, referral.requested_at_ms(), now_ms, provider_names);
      continue;
    }
    areas.each(referral.jurisdiction(), referral.site_id(), referral.emergency_id(),
               [&](AreaTally& area) { area.referrals[referral.service_type()].add(referral.status()); });
    if (auto bucket = bucket_of(referral.requested_at_ms())) ++referrals_made[*bucket];

    std::optional<std::pair<v1::ActionItem::Kind, std::int64_t>> overdue;
    if (referral.status() == rv1::REFERRAL_STATUS_REQUESTED && referral.acknowledge_by_ms() > 0 &&
        referral.acknowledge_by_ms() < now_ms) {
      overdue = {{v1::ActionItem::KIND_ACKNOWLEDGEMENT_OVERDUE, referral.acknowledge_by_ms()}};
    } else if (referral.status() == rv1::REFERRAL_STATUS_RECEIVED && referral.accept_by_ms() > 0 &&
               referral.accept_by_ms() < now_ms) {
      overdue = {{v1::ActionItem::KIND_ACCEPTANCE_OVERDUE, referral.accept_by_ms()}};
    }
    if (overdue) {
      areas.each(referral.jurisdiction(), referral.site_id(), referral.emergency_id(),
                 [](AreaTally& area) { ++area.overdue; });
      *situation.add_overdue() = action_item(referral, overdue->first, overdue->second, now_ms, provider_names);
    }
  }
  situation.set_overdue_total(static_cast<std::uint32_t>(situation.overdue_size()));
  situation.set_escalations_total(static_cast<std::uint32_t>(situation.escalations_size()));
  for (auto* items : {situation.mutable_overdue(), situation.mutable_escalations()}) {
    sort_oldest_first(*items);
    const int limit = std::max(1, settings.action_list_limit);
    if (items->size() > limit) items->DeleteSubrange(limit, items->size() - limit);
  }

  *situation.mutable_cases() = areas.hub.cases.shown(k);
  for (const auto& [type, tally] : areas.hub.referrals) *situation.add_referrals() = tally.shown(type, k);
  for (const auto& [code, tally] : areas.jurisdictions) {
    auto& figures = *situation.add_jurisdictions() = tally.shown(k);
    figures.set_jurisdiction(code);
  }
  for (const auto& [where, tally] : areas.sites) {
    auto& figures = *situation.add_sites() = tally.shown(k);
    figures.set_jurisdiction(where.first);
    figures.set_site_id(where.second);
  }
  for (const auto& [emergency, tally] : areas.emergencies) {
    auto& figures = *situation.add_emergencies() = tally.shown(k);
    figures.set_emergency_id(emergency);
  }

  std::uint32_t handoffs = 0;
  for (const auto& [id, handoff] : state.handoffs()) {
    if (handoff.exercise() == exercise && in_flight(handoff.status()) && scope.covers_any(handoff.jurisdictions())) {
      ++handoffs;
    }
  }
  *situation.mutable_handoffs_in_flight() = shown_count(handoffs, k);

  std::vector<const v1::CapacityEntry*> providers;
  for (const auto& [key, capacity] : state.providers()) {
    if (capacity.exercise() == exercise && capacity.tracked() && scope.covers_any(capacity.jurisdictions())) {
      providers.push_back(&capacity);
    }
  }
  std::sort(providers.begin(), providers.end(), [](const v1::CapacityEntry* a, const v1::CapacityEntry* b) {
    return std::make_tuple(static_cast<int>(a->service_type()), a->service_name(), a->service_id()) <
           std::make_tuple(static_cast<int>(b->service_type()), b->service_name(), b->service_id());
  });
  for (const v1::CapacityEntry* entry : providers) {
    v1::ProviderCapacity& shown = *situation.add_capacity();
    shown.set_service_id(entry->service_id());
    shown.set_service_name(entry->service_name());
    shown.set_organization_id(entry->organization_id());
    shown.set_service_type(entry->service_type());
    *shown.mutable_jurisdictions() = entry->jurisdictions();
    *shown.mutable_site_ids() = entry->site_ids();
    shown.set_available(entry->available());
    shown.set_maximum(entry->maximum());
    shown.set_unit(entry->unit());
    *shown.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(entry->updated_at_ms());
    shown.set_change_last_hour(change_over_last_hour(*entry, now_ms));
    *shown.mutable_recent() = entry->recent();
  }

  situation.set_timeline_bucket_seconds(static_cast<std::uint32_t>(bucket_ms / 1000));
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    v1::TimeBucket& bucket = *situation.add_timeline();
    *bucket.mutable_start() =
        TimeUtil::MillisecondsToTimestamp(first_bucket_start + static_cast<std::int64_t>(i) * bucket_ms);
    *bucket.mutable_arrivals() = shown_count(arrivals[i], k);
    *bucket.mutable_referrals() = shown_count(referrals_made[i], k);
  }

  for (const auto& [key, record] : state.alerts()) {
    if (record.alert().exercise() != exercise || !record.alert().active()) continue;
    if (!scope.covers_any(record.alert().jurisdictions())) continue;  // none named: the whole hub's callers
    v1::Alert& alert = *situation.add_alerts() = record.alert();
    alert.clear_cap_xml();  // the document is one request away (ListAlerts, /api/alerts/<id>.xml)
  }
  std::sort(situation.mutable_alerts()->begin(), situation.mutable_alerts()->end(),
            [](const v1::Alert& a, const v1::Alert& b) { return a.condition() < b.condition(); });
  return situation;
}

}  // namespace pact::situation

namespace pact::situation {

v1::ListAlertsResponse list_alerts(const v1::SituationState& state, bool exercise, bool include_cleared,
                                   const ViewScope& scope) {
  v1::ListAlertsResponse response;
  for (const auto& [key, record] : state.alerts()) {
    if (record.alert().exercise() != exercise) continue;
    if (!scope.covers_any(record.alert().jurisdictions())) continue;
    if (!record.alert().active() && !include_cleared) continue;
    *response.add_alerts() = record.alert();
  }
  std::sort(response.mutable_alerts()->begin(), response.mutable_alerts()->end(),
            [](const v1::Alert& a, const v1::Alert& b) {
              return std::make_tuple(TimeUtil::TimestampToMilliseconds(b.sent()), b.identifier()) <
                     std::make_tuple(TimeUtil::TimestampToMilliseconds(a.sent()), a.identifier());
            });
  return response;
}

}  // namespace pact::situation
