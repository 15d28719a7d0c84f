#include "alert_rules.h"

#include <algorithm>
#include <map>
#include <set>

#include "pact/routing/v1/directory.pb.h"

namespace pact::situation {
namespace {

const std::map<std::string, std::string>& jurisdiction_names() {
  static const std::map<std::string, std::string> names = {
      {"AL", "Albania"}, {"BA", "Bosnia and Herzegovina"}, {"XK", "Kosovo*"}, {"ME", "Montenegro"},
      {"MK", "North Macedonia"}, {"RS", "Serbia"}, {"OTHER", "another jurisdiction"}};
  return names;
}

// "Safe accommodation" for SERVICE_TYPE_SAFE_ACCOMMODATION.
std::string readable(routing::v1::ServiceType type) {
  std::string name = routing::v1::ServiceType_Name(type);
  name = name.substr(std::string("SERVICE_TYPE_").size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    name[i] = i == 0 ? name[i] : (name[i] == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(name[i]))));
  }
  return name;
}

// Area blocks for jurisdictions (with their ISO 3166-1 geocode) and, where given, configured sites
// (reception and transit centres; a confidential location never reaches the picture).
std::vector<CapArea> areas_of(const std::set<std::string>& jurisdictions, const std::vector<std::string>& sites) {
  std::vector<CapArea> areas;
  for (const auto& code : jurisdictions) {
    CapArea area{.area_desc = jurisdiction_label(code), .geocodes = {}};
    if (code.size() == 2) area.geocodes.push_back({"ISO3166-1", code});
    areas.push_back(std::move(area));
  }
  for (const auto& site : sites) areas.push_back(CapArea{.area_desc = "Site " + site, .geocodes = {}});
  if (areas.empty()) areas.push_back(CapArea{.area_desc = "Area served by this hub", .geocodes = {}});
  return areas;
}

CapInfo base_info(std::string event, CapSeverity severity, CapUrgency urgency) {
  CapInfo info;
  info.categories = {CapCategory::Rescue, CapCategory::Health};
  info.event = std::move(event);
  info.severity = severity;
  info.urgency = urgency;
  info.certainty = CapCertainty::Observed;
  info.response_types = {CapResponseType::Assess};
  return info;
}

void capacity_rule(const v1::Situation& situation, const AlertThresholds& thresholds, std::vector<AlertCondition>& out) {
  if (!thresholds.capacity_rule) return;
  for (const auto& provider : situation.capacity()) {
    const std::string type = routing::v1::ServiceType_Name(provider.service_type());
    if (std::find(thresholds.capacity_service_types.begin(), thresholds.capacity_service_types.end(), type) ==
        thresholds.capacity_service_types.end()) {
      continue;
    }
    if (provider.maximum() == 0 || provider.available() > thresholds.capacity_free_at_or_below) continue;
    const std::string unit = provider.unit().empty() ? "places" : provider.unit();
    AlertCondition condition;
    condition.condition = "capacity-exhausted/" + provider.service_id();
    condition.figures = std::to_string(provider.available()) + "/" + std::to_string(provider.maximum());
    condition.info = base_info(readable(provider.service_type()) + " capacity exhausted", CapSeverity::Severe,
                               CapUrgency::Immediate);
    condition.info.headline = provider.service_name() + ": " + std::to_string(provider.available()) + " of " +
                              std::to_string(provider.maximum()) + " " + unit + " free";
    condition.info.description = readable(provider.service_type()) + " provider " + provider.service_name() + " has " +
                                 std::to_string(provider.available()) + " of " + std::to_string(provider.maximum()) +
                                 " " + unit + " free. New referrals of this type go to other providers or escalate.";
    condition.info.instruction =
        "Find additional capacity in the area or in neighbouring jurisdictions and update the directory.";
    condition.info.parameters = {{"available", std::to_string(provider.available())},
                                 {"maximum", std::to_string(provider.maximum())}};
    std::set<std::string> jurisdictions(provider.jurisdictions().begin(), provider.jurisdictions().end());
    condition.jurisdictions.assign(jurisdictions.begin(), jurisdictions.end());
    condition.info.areas =
        areas_of(jurisdictions, std::vector<std::string>(provider.site_ids().begin(), provider.site_ids().end()));
    out.push_back(std::move(condition));
  }
}

void escalation_rule(const v1::Situation& situation, const AlertThresholds& thresholds,
                     std::vector<AlertCondition>& out) {
  if (thresholds.escalations_above == 0) return;
  for (const auto& area : situation.jurisdictions()) {
    if (area.open_escalations() <= thresholds.escalations_above) continue;
    const std::string where = area.jurisdiction().empty() ? "unknown" : area.jurisdiction();
    AlertCondition condition;
    condition.condition = "escalations-above/" + where;
    const bool double_the_limit = area.open_escalations() > 2 * thresholds.escalations_above;
    // An Update when the severity changes, not on every escalation: in a surge the count moves
    // every few seconds and the page shows it live anyway.
    condition.figures = double_the_limit ? "above twice the threshold" : "above the threshold";
    condition.info = base_info("Open escalations above threshold",
                               double_the_limit ? CapSeverity::Severe : CapSeverity::Moderate, CapUrgency::Expected);
    condition.info.headline = jurisdiction_label(area.jurisdiction()) + ": " + std::to_string(area.open_escalations()) +
                              " open escalations (threshold " + std::to_string(thresholds.escalations_above) + ")";
    condition.info.description = std::to_string(area.open_escalations()) +
                                 " needs no provider took are escalated to the EOC duty desk or the national "
                                 "coordinator and not yet resolved.";
    condition.info.instruction = "Review the open escalations on the situation console and assign providers.";
    condition.info.parameters = {{"open_escalations", std::to_string(area.open_escalations())},
                                 {"threshold", std::to_string(thresholds.escalations_above)}};
    condition.info.areas = areas_of({area.jurisdiction()}, {});
    if (!area.jurisdiction().empty()) condition.jurisdictions = {area.jurisdiction()};
    out.push_back(std::move(condition));
  }
}

void acknowledgement_rule(const v1::Situation& situation, const AlertThresholds& thresholds,
                          std::vector<AlertCondition>& out) {
  if (thresholds.unacknowledged_referrals == 0) return;
  struct Overdue {
    std::string provider;  // display name
    std::uint32_t count = 0;
    std::set<std::string> jurisdictions;
  };
  std::map<std::string, Overdue> by_service;  // by id: two services may share a name
  for (const auto& item : situation.overdue()) {
    if (item.kind() != v1::ActionItem::KIND_ACKNOWLEDGEMENT_OVERDUE) continue;
    Overdue& overdue = by_service[item.service_id().empty() ? item.provider() : item.service_id()];
    overdue.provider = item.provider();
    ++overdue.count;
    if (!item.jurisdiction().empty()) overdue.jurisdictions.insert(item.jurisdiction());
  }
  for (const auto& [service, overdue] : by_service) {
    if (overdue.count < thresholds.unacknowledged_referrals) continue;
    const std::string& provider = overdue.provider;
    AlertCondition condition;
    condition.condition = "provider-not-acknowledging/" + service;
    condition.figures = overdue.count >= 2 * thresholds.unacknowledged_referrals ? "twice the threshold" : "the threshold";
    condition.info = base_info("Provider not acknowledging referrals", CapSeverity::Moderate, CapUrgency::Expected);
    condition.info.headline =
        provider + ": " + std::to_string(overdue.count) + " referrals not acknowledged by their deadline";
    condition.info.description = "The provider has not acknowledged " + std::to_string(overdue.count) +
                                 " referrals past their acknowledgement deadline; reminders were sent.";
    condition.info.instruction = "Contact the provider by phone; re-route urgent referrals if it cannot respond.";
    condition.info.parameters = {{"unacknowledged_referrals", std::to_string(overdue.count)}};
    condition.info.areas = areas_of(overdue.jurisdictions, {});
    condition.jurisdictions.assign(overdue.jurisdictions.begin(), overdue.jurisdictions.end());
    out.push_back(std::move(condition));
  }
}

}  // namespace

std::string jurisdiction_label(const std::string& code) {
  auto name = jurisdiction_names().find(code);
  if (name == jurisdiction_names().end()) return code.empty() ? "Unknown jurisdiction" : code;
  return code == "OTHER" ? name->second : name->second + " (" + code + ")";
}

std::vector<AlertCondition> conditions_holding(const v1::Situation& situation, const AlertThresholds& thresholds) {
  std::vector<AlertCondition> holding;
  capacity_rule(situation, thresholds, holding);
  escalation_rule(situation, thresholds, holding);
  acknowledgement_rule(situation, thresholds, holding);
  return holding;
}

}  // namespace pact::situation
