#include "safety_net.h"

#include <algorithm>

#include "sharing_gate.h"

namespace pact::routing {
namespace {

PlannedReferral* find_need(ReferralPlan& plan, common::NeedType need) {
  for (auto& referral : plan.referrals) {
    if (referral.need == need) return &referral;
  }
  return nullptr;
}

void drop_held(ReferralPlan& plan, common::NeedType need) {
  std::erase_if(plan.held, [&](const HeldReferral& held) { return held.need == need; });
}

// Makes sure the plan holds `need` at `service` with at least `priority`.
void require(ReferralPlan& plan, const CaseFacts& facts, const DeadlineSpec& immediate, common::NeedType need,
             v1::ServiceType service, v1::ReferralPriority priority, const std::string& safety_rule,
             const std::vector<common::DataCategory>& default_share) {
  drop_held(plan, need);
  if (PlannedReferral* existing = find_need(plan, need)) {
    if (existing->service != service) {
      existing->service = service;
      existing->safety_rule = safety_rule;
    }
    if (existing->priority < priority) {
      existing->priority = priority;
      existing->safety_rule = safety_rule;
    }
    if (auto sharing = sharing_for(service, std::nullopt, existing->shared, facts)) {
      existing->basis = sharing->basis;
      existing->shared = sharing->shared;
    }
    return;
  }
  PlannedReferral referral;
  referral.need = need;
  referral.service = service;
  referral.priority = priority;
  referral.deadlines = immediate;
  referral.safety_rule = safety_rule;
  auto sharing = sharing_for(service, std::nullopt, default_share, facts);
  referral.basis = sharing->basis;  // consent `none` always yields a basis
  referral.shared = sharing->shared;
  plan.referrals.push_back(std::move(referral));
}

}  // namespace

void apply_safety_net(const CaseFacts& facts, const DeadlineSpec& immediate, ReferralPlan& plan) {
  const bool urgent_medical = facts.flags.urgent_medical() ||
                              facts.recommendations.count(screening::RECOMMENDATION_TYPE_URGENT_MEDICAL_CARE) ||
                              facts.needs.count(common::NEED_TYPE_URGENT_MEDICAL_CARE);
  if (urgent_medical) {
    require(plan, facts, immediate, common::NEED_TYPE_URGENT_MEDICAL_CARE, v1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE,
            v1::REFERRAL_PRIORITY_STAT, "urgent-medical-care-first",
            {common::DATA_CATEGORY_IDENTITY, common::DATA_CATEGORY_LOCATION, common::DATA_CATEGORY_NEED_DETAILS});
  }
  if (facts.presumed_child()) {
    require(plan, facts, immediate, common::NEED_TYPE_CHILD_PROTECTION_AND_GUARDIAN, v1::SERVICE_TYPE_CHILD_PROTECTION,
            v1::REFERRAL_PRIORITY_ASAP, "child-protection-always",
            {common::DATA_CATEGORY_IDENTITY, common::DATA_CATEGORY_LOCATION, common::DATA_CATEGORY_NEED_DETAILS,
             common::DATA_CATEGORY_TRAVEL_PLANS});
    if (facts.flags.unaccompanied_or_separated()) {
      require(plan, facts, immediate, common::NEED_TYPE_GUARDIAN, v1::SERVICE_TYPE_GUARDIANSHIP,
              v1::REFERRAL_PRIORITY_ASAP, "guardian-for-unaccompanied-child",
              {common::DATA_CATEGORY_IDENTITY, common::DATA_CATEGORY_LOCATION});
    }
  }
  // The police gate, again, whatever a plan says: nothing reaches the police without a basis.
  std::erase_if(plan.referrals, [&](const PlannedReferral& referral) {
    return referral.service == v1::SERVICE_TYPE_POLICE_ANTI_TRAFFICKING &&
           referral.basis.kind() != common::SHARING_BASIS_KIND_CONSENT &&
           referral.basis.kind() != common::SHARING_BASIS_KIND_RECORDED_EXCEPTION;
  });
  order_plan(plan);
}

void order_plan(ReferralPlan& plan) {
  std::stable_sort(plan.referrals.begin(), plan.referrals.end(), [](const PlannedReferral& a, const PlannedReferral& b) {
    const bool a_medical = a.service == v1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE;
    const bool b_medical = b.service == v1::SERVICE_TYPE_EMERGENCY_MEDICAL_CARE;
    if (a_medical != b_medical) return a_medical;
    return a.priority > b.priority;
  });
}

}  // namespace pact::routing
