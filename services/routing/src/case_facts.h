#pragma once

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "pact/routing/v1/routing_state.pb.h"
#include "sop.h"

namespace pact::routing {

// A consent exception recorded by a named person that is in force now.
struct ExceptionInForce {
  std::string decision_id;
  v1::DecisionType type = v1::DECISION_TYPE_UNSPECIFIED;
  std::set<common::ConsentScope> scopes;
  std::vector<common::DataCategory> data;
};

// What SOP rules and the safety net look at: the case's coarse attributes, its latest assessment,
// its effective consent and the decisions people recorded. Built from routing's state only.
struct CaseFacts {
  common::Jurisdiction jurisdiction = common::JURISDICTION_UNSPECIFIED;
  screening::Level level = screening::LEVEL_UNSPECIFIED;
  std::set<screening::RecommendationType> recommendations;
  screening::Flags flags;
  std::set<common::NeedType> needs;
  std::set<common::ConsentScope> consent;
  bool reasonable_grounds = false;       // a positive decision of the competent authority
  bool formal_identification = false;    // a positive decision of the competent authority
  std::vector<ExceptionInForce> exceptions;

  bool presumed_child() const { return flags.presumed_child(); }
  bool has_flag(const std::string& name) const;
  bool has_exception(v1::DecisionType type) const;
  // The exception in force that stands in for `scope`, if any.
  const ExceptionInForce* exception_covering(common::ConsentScope scope) const;
};

CaseFacts facts_of(const v1::CaseRoutingState& state, std::chrono::system_clock::time_point now);

}  // namespace pact::routing
