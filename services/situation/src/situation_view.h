#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "pact/situation/v1/situation.pb.h"
#include "pact/situation/v1/situation_state.pb.h"
#include "view_scope.h"

namespace pact::situation {

struct ViewSettings {
  std::string hub;
  // Counts of people from 1 to threshold - 1 are suppressed; 0 or 1 turns suppression off.
  std::uint32_t suppression_threshold = 5;
  std::chrono::seconds timeline_bucket{std::chrono::minutes(15)};
  int timeline_buckets = 48;
  // The overdue and escalation lists keep the oldest this many (a page of thousands helps nobody;
  // the totals still count all).
  int action_list_limit = 200;
};

// A count as the console may show it: small counts (1 .. threshold - 1) suppressed.
v1::Count shown_count(std::uint32_t count, std::uint32_t threshold);

// The picture an EOC sees at `now`, from the read model's state: the real one or the exercise one,
// never a mix, of the jurisdictions `scope` covers. Deadlines are judged against `now`, so the same
// state gives a newer picture later.
v1::Situation build_situation(const v1::SituationState& state, bool exercise,
                              std::chrono::system_clock::time_point now, const ViewSettings& settings,
                              const ViewScope& scope = ViewScope{});

}  // namespace pact::situation

namespace pact::situation {

// The alerts of one picture (real or exercise), newest first; cleared ones (last message a
// Cancel) only when asked for. Each is the latest message about its condition.
v1::ListAlertsResponse list_alerts(const v1::SituationState& state, bool exercise, bool include_cleared,
                                   const ViewScope& scope = ViewScope{});

}  // namespace pact::situation
