#pragma once

#include <string>

#include "referral_plan.h"

namespace pact::routing {

// The safety rules of REFERENCE section 0 that no SOP file can switch off, applied to a plan made
// from the rules: urgent medical care first (and at stat), child protection for any presumed child
// without waiting for consent, a guardian for an unaccompanied or separated child. (The consent and
// police gates are in sharing_gate.) `immediate` is the deadline class they use when no rule gave one.
void apply_safety_net(const CaseFacts& facts, const DeadlineSpec& immediate, ReferralPlan& plan);

// Orders a plan: urgent medical care first, then higher priority, then the order the rules gave.
void order_plan(ReferralPlan& plan);

}  // namespace pact::routing
