#pragma once

#include <chrono>
#include <vector>

#include "pact/routing/v1/routing.pb.h"
#include "rpc/caller.h"
#include "rpc/status.h"

namespace pact::routing {

// A decision as it will be recorded, or what is wrong with the request. Only people decide
// (REFERENCE section 0): the request must name who decided and why.
struct DecisionDraft {
  pact::routing::v1::Decision decision;
  std::vector<rpc::FieldViolation> violations;
};

struct DecisionPolicy {
  std::uint32_t reflection_period_days = 30;  // the jurisdiction's configured length
  std::uint32_t max_exception_days = 30;
};

// `existing`: the case's decisions so far (a period a reasonable-grounds decision started is not
// started again by the formal identification).
DecisionDraft draft_decision(const pact::routing::v1::RecordDecisionRequest& request, const rpc::Caller& caller,
                             const std::vector<pact::routing::v1::Decision>& existing, const DecisionPolicy& policy,
                             std::chrono::system_clock::time_point now);

}  // namespace pact::routing
