#pragma once

#include <chrono>
#include <string>

#include "pact/events/v1/case_events.pb.h"
#include "pact/events/v1/referral_events.pb.h"
#include "pact/events/v1/screening_events.pb.h"
#include "pact/situation/v1/situation_state.pb.h"

namespace pact::situation {

// The situation read model: folds the hub's events into what an EOC needs to count — per case its
// area, screening level and flags; per referral its service type, status and deadlines; per
// handoff its status; per provider its capacity — and nothing personal. Every change is a "set",
// so applying an event twice changes nothing, and each entity keeps the highest sequence (or
// capacity version) it has seen, so an older event arriving late changes nothing either: the same
// events in any order give the same state. Not thread-safe: LiveSituation serialises access.
class SituationModel {
 public:
  SituationModel() = default;
  explicit SituationModel(v1::SituationState state) : state_(std::move(state)) {}

  // Each returns true when the state changed (the revision then grows).
  bool apply(const events::v1::CaseEvent& event);
  bool apply(const events::v1::ScreeningEvent& event);
  bool apply(const events::v1::ReferralEvent& event);

  const v1::SituationState& state() const { return state_; }
  // Alerts live in the state (so the snapshot keeps them) but are the alert ledger's business.
  v1::SituationState& mutable_state() { return state_; }
  std::uint64_t revision() const { return state_.revision(); }

  // Capacity keeps this many recent values per provider, for the trend and the sparkline.
  static constexpr int kCapacityHistory = 48;

 private:
  bool apply_referral(const events::v1::ReferralEvent& event, const events::v1::ReferralInfo& info,
                      const routing::v1::Deadlines* deadlines);
  bool apply_escalation(const events::v1::ReferralEvent& event, const events::v1::ReferralEscalated& escalated);
  bool apply_capacity(const events::v1::ReferralEvent& event, const events::v1::CapacityChanged& changed);
  bool apply_handoff(const events::v1::ReferralEvent& event, const events::v1::HandoffInfo& handoff);
  bool changed();

  v1::SituationState state_;
};

// "RS" for JURISDICTION_RS; "" for unspecified.
std::string jurisdiction_code(int jurisdiction);

// The key of a provider's capacity in the state: exercise and real capacity are kept apart.
std::string capacity_key(bool exercise, const std::string& service_id);

}  // namespace pact::situation
