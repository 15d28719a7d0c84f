#include "surge_report.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

namespace pactscenario {
namespace {

std::string number(std::uint64_t value) { return std::to_string(value); }

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Statuses in the order a referral moves through them, then any other.
const std::vector<std::string>& status_order() {
  static const std::vector<std::string> order = {"requested", "received", "accepted",  "in progress", "completed",
                                                 "rejected",  "failed",   "cancelled", "on hold"};
  return order;
}

}  // namespace

std::string format_summary(const SurgeFigures& figures, const pactload::LoadReport& registrations) {
  std::ostringstream out;
  out << "Cases\n";
  out << "  registered " << figures.registered << " (" << figures.registration_errors << " refused), "
      << fixed(registrations.throughput(), 1) << " registrations/s, registration p50 "
      << fixed(registrations.percentile(0.5), 1) << " ms, p99 " << fixed(registrations.percentile(0.99), 1) << " ms\n";
  out << "  screened   " << figures.screened;
  for (const auto& [level, count] : figures.cases_by_level) out << "  |  " << level << " " << count;
  out << "\n  presumed children " << figures.children << ", unaccompanied or separated "
      << figures.unaccompanied_or_separated << ", urgent medical " << figures.urgent_medical << "\n";

  out << "Referrals (" << figures.referral_attempts << " attempts for " << figures.cases_with_referral
      << " cases; latest status of each attempt)\n";
  std::set<std::string> statuses;
  for (const auto& [service, by_status] : figures.referrals) {
    for (const auto& [status, count] : by_status) statuses.insert(status);
  }
  std::vector<std::string> columns;
  for (const auto& status : status_order()) {
    if (statuses.erase(status)) columns.push_back(status);
  }
  columns.insert(columns.end(), statuses.begin(), statuses.end());
  char cell[64];
  std::snprintf(cell, sizeof cell, "  %-34s", "service type");
  out << cell;
  for (const auto& status : columns) {
    std::snprintf(cell, sizeof cell, " %11s", status.c_str());
    out << cell;
  }
  out << "\n";
  for (const auto& [service, by_status] : figures.referrals) {
    std::snprintf(cell, sizeof cell, "  %-34s", service.c_str());
    out << cell;
    for (const auto& status : columns) {
      auto found = by_status.find(status);
      std::snprintf(cell, sizeof cell, " %11s", found == by_status.end() ? "-" : number(found->second).c_str());
      out << cell;
    }
    out << "\n";
  }
  out << "  re-routed " << figures.reroutes << ", reminders " << figures.reminders << ", escalations "
      << figures.escalations();
  for (const auto& [level, count] : figures.escalations_by_level) out << " (" << level << " " << count << ")";
  out << "\n  handoffs offered " << figures.handoffs_offered << ", accepted " << figures.handoffs_accepted
      << ", declined " << figures.handoffs_declined << "\n";

  out << "Notifications\n";
  out << "  delivered " << figures.delivered;
  for (const auto& [kind, count] : figures.delivered_by_kind) out << "  |  " << kind << " " << count;
  out << "\n  acknowledged " << figures.acknowledged << ", send attempts " << figures.deliveries_sent
      << ", failed for good " << figures.delivery_failures << "\n";

  out << "End to end (registration sent -> first referral delivered: to a provider, or escalated to a desk)\n";
  out << "  " << figures.cases_reached << " of " << figures.registered << " cases reached someone who must act ("
      << fixed(figures.reached_per_second, 1) << "/s)";
  if (!figures.end_to_end_ms.empty()) {
    out << "; p50 " << fixed(figures.percentile_ms(0.5), 0) << " ms, p90 " << fixed(figures.percentile_ms(0.9), 0)
        << " ms, p99 " << fixed(figures.percentile_ms(0.99), 0) << " ms, max "
        << fixed(figures.end_to_end_ms.back(), 0) << " ms";
  }
  out << "\n";
  return out.str();
}

nlohmann::json summary_json(const SurgeFigures& figures, const pactload::LoadReport& registrations) {
  nlohmann::json referrals = nlohmann::json::object();
  for (const auto& [service, by_status] : figures.referrals) referrals[service] = by_status;
  return {
      {"cases",
       {{"registered", figures.registered},
        {"refused", figures.registration_errors},
        {"screened", figures.screened},
        {"by_level", figures.cases_by_level},
        {"presumed_children", figures.children},
        {"unaccompanied_or_separated", figures.unaccompanied_or_separated},
        {"urgent_medical", figures.urgent_medical},
        {"with_referral", figures.cases_with_referral},
        {"reached", figures.cases_reached}}},
      {"registrations",
       {{"per_second", registrations.throughput()},
        {"p50_ms", registrations.percentile(0.5)},
        {"p99_ms", registrations.percentile(0.99)}}},
      {"referrals",
       {{"attempts", figures.referral_attempts},
        {"by_service_type", referrals},
        {"rerouted", figures.reroutes},
        {"reminders", figures.reminders},
        {"escalations", figures.escalations_by_level}}},
      {"handoffs",
       {{"offered", figures.handoffs_offered},
        {"accepted", figures.handoffs_accepted},
        {"declined", figures.handoffs_declined}}},
      {"notifications",
       {{"delivered", figures.delivered},
        {"delivered_by_kind", figures.delivered_by_kind},
        {"acknowledged", figures.acknowledged},
        {"send_attempts", figures.deliveries_sent},
        {"failed", figures.delivery_failures}}},
      {"end_to_end_ms",
       {{"count", figures.end_to_end_ms.size()},
        {"reached_per_second", figures.reached_per_second},
        {"p50", figures.percentile_ms(0.5)},
        {"p90", figures.percentile_ms(0.9)},
        {"p99", figures.percentile_ms(0.99)},
        {"max", figures.end_to_end_ms.empty() ? 0.0 : figures.end_to_end_ms.back()}}},
  };
}

std::string progress_line(const SurgeFigures& figures, std::uint64_t planned, double seconds, bool bar) {
  const double rate = seconds > 0 ? static_cast<double>(figures.registered) / seconds : 0;
  std::ostringstream out;
  if (bar) {
    constexpr int kWidth = 28;
    const int filled = planned == 0 ? kWidth
                                    : static_cast<int>(kWidth * std::min<double>(1.0, static_cast<double>(figures.registered) /
                                                                                          static_cast<double>(planned)));
    out << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
        << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] ";
  }
  out << figures.registered << "/" << planned << " registered (" << fixed(rate, 0) << "/s)  screened "
      << figures.screened << "  referrals " << figures.referral_attempts << "  delivered " << figures.delivered
      << "  acknowledged " << figures.acknowledged << "  escalations " << figures.escalations();
  if (bar) out << "   ";  // wipes the tail of a longer previous line
  return out.str();
}

}  // namespace pactscenario
