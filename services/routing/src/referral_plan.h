#pragma once

#include <string>
#include <vector>

#include "case_facts.h"
#include "sop_book.h"

namespace pact::routing {

// One referral the SOP (with the safety net) requires for a case now.
struct PlannedReferral {
  common::NeedType need = common::NEED_TYPE_UNSPECIFIED;
  v1::ServiceType service = v1::SERVICE_TYPE_UNSPECIFIED;
  v1::ReferralPriority priority = v1::REFERRAL_PRIORITY_ROUTINE;
  DeadlineSpec deadlines;
  v1::SopRuleRef rule;  // empty sop_id when the safety net added it
  screening::RecommendationType recommendation = screening::RECOMMENDATION_TYPE_UNSPECIFIED;
  common::SharingBasis basis;
  std::vector<common::DataCategory> shared;
  std::string safety_rule;  // the safety rule that forced or changed it, if any
};

// A referral the SOP requires but may not be sent yet: its consent scope is not effective.
struct HeldReferral {
  common::NeedType need = common::NEED_TYPE_UNSPECIFIED;
  v1::ServiceType service = v1::SERVICE_TYPE_UNSPECIFIED;
  common::ConsentScope missing_scope = common::CONSENT_SCOPE_UNSPECIFIED;
  v1::SopRuleRef rule;
};

struct ReferralPlan {
  std::vector<PlannedReferral> referrals;  // urgent medical care first, then by priority
  std::vector<HeldReferral> held;
};

// What the SOP in force in the case's jurisdiction requires, with the safety rules of REFERENCE
// section 0 applied whatever the files say. Deterministic and free of I/O: the same facts and
// book give the same plan, which is what makes reprocessing an event harmless.
ReferralPlan plan_referrals(const SopBook& book, const CaseFacts& facts, const std::string& profile);

}  // namespace pact::routing
