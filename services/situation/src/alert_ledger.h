#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "alert_rules.h"
#include "pact/situation/v1/situation_state.pb.h"
#include "situation_settings.h"

namespace pact::situation {

// One CAP alert per condition, for as long as it lasts: an Alert when a threshold is first
// crossed, an Update when its figures change, a Cancel once it has not held for `clear_after`
// (so a figure hovering at its threshold does not page the EOC on every event). The records live
// in the read model's state, so a restart neither repeats nor forgets an alert. Each new message
// is rendered once into its record and marked unpublished until the alert topic has it.
class AlertLedger {
 public:
  AlertLedger(AlertThresholds thresholds, std::string hub);

  // Brings the records of one picture (real or exercise) in line with what holds at `now`.
  // Returns how many messages it issued.
  int reconcile(v1::SituationState& state, bool exercise, const std::vector<AlertCondition>& holding,
                std::chrono::system_clock::time_point now) const;

  // The keys of records whose latest message the alert topic does not have yet.
  static std::vector<std::string> unpublished(const v1::SituationState& state);

 private:
  // Renders the next message and, only once it rendered, stores it in `record` (throws
  // std::invalid_argument, leaving the record as it was, when CAP would refuse it).
  void issue(v1::AlertRecord& record, bool exercise, CapMsgType type, const CapInfo& info, const std::string& condition,
             const std::vector<std::string>& jurisdictions, std::chrono::system_clock::time_point now) const;

  AlertThresholds thresholds_;
  std::string hub_;
};

}  // namespace pact::situation
