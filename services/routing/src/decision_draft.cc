#include "decision_draft.h"

#include <google/protobuf/util/time_util.h>

#include "ids/ids.h"

namespace pact::routing {
namespace {

using google::protobuf::util::TimeUtil;
namespace v1 = ::pact::routing::v1;
constexpr std::int64_t kDayMs = 86400000;

std::int64_t ms(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

bool is_exception(v1::DecisionType type) {
  return type == v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION || type == v1::DECISION_TYPE_CHILD_PROTECTION_EXCEPTION;
}

}  // namespace

DecisionDraft draft_decision(const v1::RecordDecisionRequest& request, const rpc::Caller& caller,
                             const std::vector<v1::Decision>& existing, const DecisionPolicy& policy,
                             std::chrono::system_clock::time_point now) {
  DecisionDraft draft;
  auto& problems = draft.violations;
  if (request.idempotency_key().empty()) problems.push_back({"idempotency_key", "is required (makes retries safe)"});
  if (request.case_id().empty()) problems.push_back({"case_id", "is required"});
  if (request.type() == v1::DECISION_TYPE_UNSPECIFIED || !v1::DecisionType_IsValid(request.type())) {
    problems.push_back({"type", "say which decision: reasonable grounds, formal identification or a consent exception"});
  }
  if (request.outcome() == v1::DECISION_OUTCOME_UNSPECIFIED || !v1::DecisionOutcome_IsValid(request.outcome())) {
    problems.push_back({"outcome", "say what was decided"});
  }
  if (request.decided_by().display_name().empty()) {
    problems.push_back({"decided_by.display_name", "name the person who decided: software never decides"});
  }
  if (request.reason().empty()) problems.push_back({"reason", "a decision without a reason is refused"});
  const std::int64_t now_ms = ms(now);
  std::int64_t decided_ms = now_ms;
  if (request.has_decided_at()) {
    decided_ms = TimeUtil::TimestampToMilliseconds(request.decided_at());
    if (decided_ms > now_ms + 5 * 60 * 1000) problems.push_back({"decided_at", "is in the future"});
  }
  const bool exception = is_exception(request.type());
  if (exception) {
    if (request.exception_scopes().empty()) problems.push_back({"exception_scopes", "name the consent scopes the exception stands in for"});
    if (request.exception_data().empty()) problems.push_back({"exception_data", "name the data it allows to share (only what is needed)"});
    if (request.has_exception_valid_until() && TimeUtil::TimestampToMilliseconds(request.exception_valid_until()) <= now_ms) {
      problems.push_back({"exception_valid_until", "is already past"});
    }
    if (request.has_exception_valid_until() &&
        TimeUtil::TimestampToMilliseconds(request.exception_valid_until()) > now_ms + policy.max_exception_days * kDayMs) {
      problems.push_back({"exception_valid_until", "an exception holds at most " + std::to_string(policy.max_exception_days) +
                                                       " days; record a new decision when it must go on"});
    }
  } else if (!request.exception_scopes().empty() || !request.exception_data().empty()) {
    problems.push_back({"exception_scopes", "only consent exceptions carry scopes and data"});
  }
  if (request.reflection_period_days() != 0 && request.reflection_period_days() < 30) {
    problems.push_back({"reflection_period_days", "the recovery and reflection period is at least 30 days (CoE Convention art. 13)"});
  }
  if (!problems.empty()) return draft;

  v1::Decision& decision = draft.decision;
  decision.set_decision_id(ids::content_id("dec", {request.case_id(), caller.organisation, request.idempotency_key()}));
  decision.set_case_id(request.case_id());
  decision.set_type(request.type());
  decision.set_outcome(request.outcome());
  *decision.mutable_decided_by() = request.decided_by();
  if (decision.decided_by().subject().empty()) decision.mutable_decided_by()->set_subject(caller.subject);
  decision.set_authority_organization_id(request.authority_organization_id().empty() ? caller.organisation
                                                                                       : request.authority_organization_id());
  decision.set_reason(request.reason());
  *decision.mutable_decided_at() = TimeUtil::MillisecondsToTimestamp(decided_ms);
  decision.set_recorded_by_subject(caller.subject);
  *decision.mutable_recorded_at() = TimeUtil::MillisecondsToTimestamp(now_ms);
  decision.set_referral_id(request.referral_id());
  const bool identification = request.type() == v1::DECISION_TYPE_REASONABLE_GROUNDS ||
                              request.type() == v1::DECISION_TYPE_FORMAL_IDENTIFICATION;
  if (identification && request.outcome() == v1::DECISION_OUTCOME_POSITIVE) {
    bool already_running = false;
    for (const auto& earlier : existing) already_running |= earlier.has_reflection_period_start();
    if (!already_running) {
      const std::uint32_t days = request.reflection_period_days() != 0 ? request.reflection_period_days()
                                                                       : std::max<std::uint32_t>(policy.reflection_period_days, 30);
      *decision.mutable_reflection_period_start() = TimeUtil::MillisecondsToTimestamp(decided_ms);
      *decision.mutable_reflection_period_end() =
          TimeUtil::MillisecondsToTimestamp(decided_ms + static_cast<std::int64_t>(days) * kDayMs);
    }
  }
  if (exception) {
    *decision.mutable_exception_scopes() = request.exception_scopes();
    *decision.mutable_exception_data() = request.exception_data();
    *decision.mutable_exception_valid_until() =
        request.has_exception_valid_until() ? request.exception_valid_until()
                                            : TimeUtil::MillisecondsToTimestamp(now_ms + policy.max_exception_days * kDayMs);
  }
  return draft;
}

}  // namespace pact::routing
