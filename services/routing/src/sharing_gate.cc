#include "sharing_gate.h"

#include <algorithm>

namespace pact::routing {
namespace {

SharingDecision by_consent(common::ConsentScope scope, const std::vector<common::DataCategory>& share) {
  SharingDecision decision;
  decision.basis.set_kind(common::SHARING_BASIS_KIND_CONSENT);
  decision.basis.add_consent_scopes(scope);
  decision.shared = share;
  return decision;
}

SharingDecision by_exception(const ExceptionInForce& exception, const std::vector<common::DataCategory>& share) {
  SharingDecision decision;
  decision.basis.set_kind(common::SHARING_BASIS_KIND_RECORDED_EXCEPTION);
  decision.basis.set_decision_id(exception.decision_id);
  // Only what both the rule and the person who recorded the exception allow.
  for (auto category : share) {
    if (std::find(exception.data.begin(), exception.data.end(), category) != exception.data.end()) {
      decision.shared.push_back(category);
    }
  }
  return decision;
}

SharingDecision nothing_personal() {
  SharingDecision decision;
  decision.basis.set_kind(common::SHARING_BASIS_KIND_NO_PERSONAL_DATA);
  return decision;
}

}  // namespace

std::optional<SharingDecision> sharing_for(v1::ServiceType service, std::optional<common::ConsentScope> consent,
                                           const std::vector<common::DataCategory>& share, const CaseFacts& facts) {
  if (service == v1::SERVICE_TYPE_POLICE_ANTI_TRAFFICKING) {
    if (facts.consent.count(common::CONSENT_SCOPE_POLICE)) return by_consent(common::CONSENT_SCOPE_POLICE, share);
    for (const auto& exception : facts.exceptions) {
      if (!exception.scopes.count(common::CONSENT_SCOPE_POLICE)) continue;
      const bool allowed = exception.type == v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION ||
                           (exception.type == v1::DECISION_TYPE_CHILD_PROTECTION_EXCEPTION && facts.presumed_child());
      if (allowed) return by_exception(exception, share);
    }
    return std::nullopt;  // never on a flag, never by default
  }
  if (service == v1::SERVICE_TYPE_CHILD_PROTECTION || service == v1::SERVICE_TYPE_GUARDIANSHIP) {
    if (facts.presumed_child()) {
      SharingDecision decision;
      decision.basis.set_kind(common::SHARING_BASIS_KIND_CHILD_PROTECTION_LAW);
      decision.shared = share;
      return decision;
    }
  }
  if (!consent) {
    // Contacted whatever the consent; personal data only with the services scope.
    if (facts.consent.count(common::CONSENT_SCOPE_SERVICES)) return by_consent(common::CONSENT_SCOPE_SERVICES, share);
    if (const auto* exception = facts.exception_covering(common::CONSENT_SCOPE_SERVICES)) return by_exception(*exception, share);
    return nothing_personal();
  }
  if (facts.consent.count(*consent)) return by_consent(*consent, share);
  if (const auto* exception = facts.exception_covering(*consent)) return by_exception(*exception, share);
  return std::nullopt;
}

bool basis_in_force(const common::SharingBasis& basis, const CaseFacts& facts) {
  switch (basis.kind()) {
    case common::SHARING_BASIS_KIND_CONSENT:
      return !basis.consent_scopes().empty() &&
             std::all_of(basis.consent_scopes().begin(), basis.consent_scopes().end(),
                         [&](int scope) { return facts.consent.count(static_cast<common::ConsentScope>(scope)) > 0; });
    case common::SHARING_BASIS_KIND_RECORDED_EXCEPTION:
      return std::any_of(facts.exceptions.begin(), facts.exceptions.end(), [&](const ExceptionInForce& exception) {
        return exception.decision_id == basis.decision_id() &&
               (exception.type != v1::DECISION_TYPE_CHILD_PROTECTION_EXCEPTION || facts.presumed_child());
      });
    case common::SHARING_BASIS_KIND_CHILD_PROTECTION_LAW: return facts.presumed_child();
    default: return false;
  }
}

}  // namespace pact::routing
