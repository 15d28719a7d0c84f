#pragma once

#include <string>
#include <vector>

#include "cap_alert.h"
#include "pact/situation/v1/situation.pb.h"
#include "situation_settings.h"

namespace pact::situation {

// A threshold crossed in a picture: what to say about it in a CAP <info> block.
struct AlertCondition {
  // Stable while the condition lasts, e.g. "capacity-exhausted/svc-rs-shelter-1".
  std::string condition;
  // What an Update is sent for when it changes: a provider's free places, a count's severity band
  // (not every count: in a surge counts move every few seconds, and the console shows them live).
  std::string figures;
  // The jurisdictions it concerns (who may see it); empty: the whole hub's business.
  std::vector<std::string> jurisdictions;
  CapInfo info;
};

// Which thresholds the picture crosses now. Reads only what the console shows (capacity,
// escalations per jurisdiction, overdue referrals per provider), so an alert says nothing the duty
// officer's page does not, and never names a person or a confidential location.
std::vector<AlertCondition> conditions_holding(const v1::Situation& situation, const AlertThresholds& thresholds);

// "Serbia (RS)", "Kosovo* (XK)"; the code itself when unknown.
std::string jurisdiction_label(const std::string& code);

}  // namespace pact::situation
