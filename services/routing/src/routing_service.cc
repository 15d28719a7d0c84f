#include "routing_service.h"

#include <algorithm>
#include <map>

#include <google/protobuf/util/time_util.h>

#include "crypto/sealed_message.h"
#include "ids/ids.h"
#include "log/logger.h"
#include "case_facts.h"
#include "referral_data.h"
#include "sharing_gate.h"
#include "vocabulary.h"
#include "call_errors.h"
#include "rpc/status.h"

namespace pact::routing {
namespace {

using google::protobuf::util::TimeUtil;

grpc::Status not_found(const std::string& what) { return grpc::Status(grpc::StatusCode::NOT_FOUND, what); }
// A record outside the caller's scope (another jurisdiction, another organisation's referral). The
// message names no record: the caller already holds the id they asked about.
grpc::Status out_of_scope(const std::string& why) { return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, why); }


const v1::Referral* find(const v1::CaseRoutingState& state, const std::string& referral_id) {
  for (const auto& referral : state.referrals()) {
    if (referral.referral_id() == referral_id) return &referral;
  }
  return nullptr;
}

const char* answer_name(Answer answer) {
  switch (answer) {
    case Answer::acknowledge: return "acknowledge";
    case Answer::accept: return "accept";
    case Answer::reject: return "reject";
    case Answer::start: return "start";
    case Answer::complete: return "complete";
    case Answer::fail: return "fail";
  }
  return "answer";
}

// Handlers run on the bounded executor; the dependencies they wait on map to UNAVAILABLE.
}  // namespace

bool sees_every_referral(const rpc::Caller& caller) {
  return caller.has_role("case_worker") || caller.has_role("coordinator") || caller.has_role("competent_authority") ||
         caller.has_role("routing_admin");
}

bool works_on(const rpc::Caller& caller, const pact::intake::v1::CaseSummary& summary) {
  if (caller.kind == rpc::CallerKind::service) return true;
  return sees_every_referral(caller) && caller.works_in(vocabulary::jurisdiction_name(summary.jurisdiction()));
}

audit::AuditEntry change_of(std::string_view method, const std::string& case_id, const std::string& record_id) {
  return audit::change("pact.routing.v1.RoutingService/" + std::string(method), case_id, record_id);
}

bool may_answer(const rpc::Caller& caller, const v1::Referral& referral, const pact::intake::v1::CaseSummary& summary) {
  if (!caller.organisation.empty() && caller.organisation == referral.organization_id()) return true;
  return caller.has_role("routing_admin") && caller.works_in(vocabulary::jurisdiction_name(summary.jurisdiction()));
}

bool may_read_data(const rpc::Caller& caller, const v1::Referral& referral) {
  return !caller.organisation.empty() && caller.organisation == referral.organization_id();
}

std::optional<crypto::SecretKey> RoutingService::case_key(const v1::CaseRoutingState& state, const std::string& purpose) const {
  if (state.sealed_case().empty()) return std::nullopt;
  return keys_.key(state.case_id(), state.sealed_case(0).key_version(), purpose);
}

v1::Referral RoutingService::view_for(const rpc::Caller& caller, const v1::Referral& referral) const {
  v1::Referral view = referral;
  const auto directory = updater_.directory().current();
  if (const v1::Service* service = directory->service(referral.service_id())) {
    // A confidential location only for the referral's own provider.
    const bool entitled = caller.organisation == referral.organization_id();
    if (!service->confidential_location() || entitled) *view.mutable_service_location() = service->location();
  }
  return view;
}

grpc::Status RoutingService::answer(const rpc::Caller& caller, const std::string& referral_id, Answer answer,
                                    v1::ReferralStatusReason reason, const std::string& note, AnswerOutcome& outcome) const {
  if (referral_id.empty()) return rpc::invalid_argument("say which referral", {{"referral_id", "is required"}});
  if (reason == v1::REFERRAL_STATUS_REASON_OTHER && note.empty()) {
    return rpc::invalid_argument("explain the reason", {{"note", "is required with reason OTHER"}});
  }
  const std::string case_id = case_of_referral(referral_id);
  auto state = updater_.load(case_id);
  const v1::Referral* current = state ? find(*state, referral_id) : nullptr;
  if (!current) return not_found("no referral " + referral_id);
  if (!may_answer(caller, *current, state->summary())) return out_of_scope("the referral is addressed to another organisation");
  std::optional<common::EncryptedSection> sealed_note;
  if (!note.empty()) {
    // Notes are personal: kept only under the case key.
    auto key = case_key(*state, referral_id);
    if (!key) return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the case was erased");
    v1::Referral note_record;
    note_record.set_referral_id(referral_id);
    auto* change = note_record.add_history();
    change->set_note(note);
    change->set_changed_by_subject(caller.subject);
    sealed_note = crypto::seal_message(*key, case_id, note_record, state->sealed_case(0).key_version());
  }
  const std::string cause = referral_id + "#" + answer_name(answer) + "#" + std::to_string(current->history_size());
  AnswerRefusal refusal;
  const auto result = updater_.update(case_id, cause, false, [&](CaseRouter& router) {
    refusal = router.answer(referral_id, answer, reason, caller.subject, sealed_note ? &*sealed_note : nullptr);
    return refusal.kind == AnswerRefusal::Kind::none && !router.commit().events.empty();
  });
  switch (refusal.kind) {
    case AnswerRefusal::Kind::not_found: return not_found(refusal.message);
    case AnswerRefusal::Kind::wrong_state: return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, refusal.message);
    case AnswerRefusal::Kind::bad_reason: return rpc::invalid_argument(refusal.message, {{"reason", refusal.message}});
    case AnswerRefusal::Kind::none: break;
  }
  if (result.outcome == CaseUpdater::Result::Outcome::missing) return not_found("no referral " + referral_id);
  const v1::Referral* after = find(result.state, referral_id);
  outcome.referral = view_for(caller, after ? *after : *current);
  outcome.next_referral_id = result.next_referral_id;
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* RoutingService::GetReferral(grpc::CallbackServerContext* context, const v1::GetReferralRequest* request,
                                                      v1::GetReferralResponse* response) {
  return gate_.blocking_unary(context, "GetReferral", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] {
      if (request->referral_id().empty()) return rpc::invalid_argument("say which referral", {{"referral_id", "is required"}});
      auto state = updater_.load(case_of_referral(request->referral_id()));
      const v1::Referral* referral = state ? find(*state, request->referral_id()) : nullptr;
      if (!referral) return not_found("no referral " + request->referral_id());
      if (!(works_on(caller, state->summary()) || may_answer(caller, *referral, state->summary()))) {
        return out_of_scope("the referral belongs to another jurisdiction or organisation");
      }
      *response->mutable_referral() = view_for(caller, *referral);
      return grpc::Status::OK;
    });
  });
}

grpc::Status RoutingService::list(const rpc::Caller& caller, const v1::ListReferralsRequest& request,
                                  v1::ListReferralsResponse& response) const {
  const bool everything = sees_every_referral(caller);
  if (!everything && !request.organization_id().empty() && request.organization_id() != caller.organisation) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "providers list their own referrals only");
  }
  // Candidates from the narrowest index, then every filter on the referral itself.
  std::vector<std::string> candidates;
  if (!request.case_id().empty()) {
    if (auto state = updater_.load(request.case_id())) {
      for (const auto& referral : state->referrals()) candidates.push_back(referral.referral_id());
    }
  } else if (!request.service_id().empty()) {
    candidates = store_.index_members("service:" + request.service_id());
  } else if (!request.organization_id().empty() || !everything) {
    candidates = store_.index_members("organization:" + (everything ? request.organization_id() : caller.organisation));
  } else if (request.overdue_only()) {
    candidates = store_.index_members("overdue");
  } else {
    std::vector<int> statuses(request.statuses().begin(), request.statuses().end());
    if (statuses.empty()) {
      statuses = {v1::REFERRAL_STATUS_REQUESTED, v1::REFERRAL_STATUS_RECEIVED, v1::REFERRAL_STATUS_ACCEPTED,
                  v1::REFERRAL_STATUS_IN_PROGRESS, v1::REFERRAL_STATUS_ON_HOLD};
    }
    for (int status : statuses) {
      auto members = store_.index_members("status:" + std::to_string(status));
      candidates.insert(candidates.end(), members.begin(), members.end());
    }
  }
  std::map<std::string, std::vector<std::string>> by_case;
  for (const auto& id : candidates) by_case[case_of_referral(id)].push_back(id);
  std::vector<v1::Referral> matches;
  const auto exercise = request.exercise();
  for (const auto& [case_id, ids] : by_case) {
    auto state = updater_.load(case_id);
    if (!state) continue;
    for (const auto& id : ids) {
      const v1::Referral* referral = find(*state, id);
      if (!referral) continue;
      if (!everything && referral->organization_id() != caller.organisation) continue;
      if (everything && !works_on(caller, state->summary())) continue;
      if (!request.organization_id().empty() && referral->organization_id() != request.organization_id()) continue;
      if (!request.service_id().empty() && referral->service_id() != request.service_id()) continue;
      if (!request.statuses().empty() &&
          std::find(request.statuses().begin(), request.statuses().end(), referral->status()) == request.statuses().end()) {
        continue;
      }
      if (request.overdue_only() && !referral->overdue()) continue;
      if (request.jurisdiction() != common::JURISDICTION_UNSPECIFIED && referral->case_summary().jurisdiction() != request.jurisdiction()) continue;
      if (request.service_type() != v1::SERVICE_TYPE_UNSPECIFIED && referral->service_type() != request.service_type()) continue;
      if (request.need_type() != common::NEED_TYPE_UNSPECIFIED && referral->attempt_id().need_type() != request.need_type()) continue;
      if (request.escalations_only() && referral->kind() != v1::REFERRAL_KIND_ESCALATION) continue;
      const bool real = !referral->exercise();
      if ((exercise == common::EXERCISE_FILTER_UNSPECIFIED || exercise == common::EXERCISE_FILTER_REAL_ONLY) && !real) continue;
      if (exercise == common::EXERCISE_FILTER_EXERCISE_ONLY && real) continue;
      matches.push_back(view_for(caller, *referral));
    }
  }
  // Oldest deadline first (what needs chasing first), then id for a stable order across pages.
  auto due = [](const v1::Referral& referral) {
    const auto& deadlines = referral.deadlines();
    return referral.status() == v1::REFERRAL_STATUS_REQUESTED ? TimeUtil::TimestampToMilliseconds(deadlines.acknowledge_by())
                                                               : TimeUtil::TimestampToMilliseconds(deadlines.accept_by());
  };
  std::sort(matches.begin(), matches.end(), [&](const v1::Referral& a, const v1::Referral& b) {
    if (due(a) != due(b)) return due(a) < due(b);
    return a.referral_id() < b.referral_id();
  });
  const std::size_t page_size = request.page().page_size() == 0 ? 50 : std::min<std::size_t>(request.page().page_size(), 500);
  std::size_t offset = 0;
  if (!request.page().page_token().empty()) {
    try {
      offset = std::stoul(request.page().page_token());
    } catch (const std::exception&) {
      return rpc::invalid_argument("the page token is not one this service gave", {{"page.page_token", "unknown token"}});
    }
  }
  for (std::size_t i = offset; i < matches.size() && i < offset + page_size; ++i) *response.add_referrals() = matches[i];
  if (offset + page_size < matches.size()) response.mutable_page()->set_next_page_token(std::to_string(offset + page_size));
  response.mutable_page()->set_total_count(matches.size());
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* RoutingService::ListReferrals(grpc::CallbackServerContext* context,
                                                        const v1::ListReferralsRequest* request,
                                                        v1::ListReferralsResponse* response) {
  return gate_.blocking_unary(context, "ListReferrals", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] { return list(caller, *request, *response); });
  });
}

grpc::ServerUnaryReactor* RoutingService::AcknowledgeReferral(grpc::CallbackServerContext* context,
                                                              const v1::AcknowledgeReferralRequest* request,
                                                              v1::AcknowledgeReferralResponse* response) {
  return answer_call(context, "AcknowledgeReferral", Answer::acknowledge, *request, *response, v1::REFERRAL_STATUS_REASON_UNSPECIFIED, std::string());
}

grpc::ServerUnaryReactor* RoutingService::AcceptReferral(grpc::CallbackServerContext* context, const v1::AcceptReferralRequest* request,
                                                         v1::AcceptReferralResponse* response) {
  return answer_call(context, "AcceptReferral", Answer::accept, *request, *response, v1::REFERRAL_STATUS_REASON_UNSPECIFIED, request->note());
}

grpc::ServerUnaryReactor* RoutingService::RejectReferral(grpc::CallbackServerContext* context, const v1::RejectReferralRequest* request,
                                                         v1::RejectReferralResponse* response) {
  return answer_call(context, "RejectReferral", Answer::reject, *request, *response, request->reason(), request->note());
}

grpc::ServerUnaryReactor* RoutingService::StartReferral(grpc::CallbackServerContext* context, const v1::StartReferralRequest* request,
                                                        v1::StartReferralResponse* response) {
  return answer_call(context, "StartReferral", Answer::start, *request, *response, v1::REFERRAL_STATUS_REASON_UNSPECIFIED, request->note());
}

grpc::ServerUnaryReactor* RoutingService::CompleteReferral(grpc::CallbackServerContext* context,
                                                           const v1::CompleteReferralRequest* request,
                                                           v1::CompleteReferralResponse* response) {
  return answer_call(context, "CompleteReferral", Answer::complete, *request, *response, v1::REFERRAL_STATUS_REASON_UNSPECIFIED, request->note());
}

grpc::ServerUnaryReactor* RoutingService::FailReferral(grpc::CallbackServerContext* context, const v1::FailReferralRequest* request,
                                                       v1::FailReferralResponse* response) {
  return answer_call(context, "FailReferral", Answer::fail, *request, *response, request->reason(), request->note());
}

grpc::Status RoutingService::record_decision(const rpc::Caller& caller, const v1::RecordDecisionRequest& request,
                                             v1::Decision& out) const {
  const bool identification = request.type() == v1::DECISION_TYPE_REASONABLE_GROUNDS ||
                              request.type() == v1::DECISION_TYPE_FORMAL_IDENTIFICATION;
  const bool allowed = identification ? caller.has_role("competent_authority")
                                      : caller.has_role("case_worker") || caller.has_role("coordinator") ||
                                            caller.has_role("competent_authority");
  if (!allowed) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        identification ? "identification decisions are recorded by the competent authority"
                                       : "consent exceptions are recorded by case workers, coordinators or the competent authority");
  }
  auto state = request.case_id().empty() ? std::nullopt : updater_.load(request.case_id());
  if (!request.case_id().empty() && !state) return not_found("routing has no case " + request.case_id());
  if (state && !works_on(caller, state->summary())) return out_of_scope("the case belongs to another jurisdiction");
  const std::vector<v1::Decision> existing = state ? std::vector<v1::Decision>(state->decisions().begin(), state->decisions().end())
                                                   : std::vector<v1::Decision>{};
  DecisionPolicy policy{updater_.book().reflection_period_days(state ? state->summary().jurisdiction() : common::JURISDICTION_UNSPECIFIED),
                        max_exception_days_};
  DecisionDraft draft = draft_decision(request, caller, existing, policy, updater_.now());
  if (!draft.violations.empty()) return rpc::invalid_argument("the decision is not valid", draft.violations);
  if (state->erased()) return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the case was erased");
  if (request.type() == v1::DECISION_TYPE_CHILD_PROTECTION_EXCEPTION && !facts_of(*state, updater_.now()).presumed_child()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "a child protection exception is for a presumed child only");
  }
  auto key = case_key(*state, draft.decision.decision_id());
  if (!key) return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "routing holds no data of this case yet");
  const auto sealed = crypto::seal_message(*key, request.case_id(), draft.decision, state->sealed_case(0).key_version());
  // In clear only what identifies staff and the decision; name and reason stay sealed.
  v1::Decision clear = draft.decision;
  clear.clear_reason();
  clear.mutable_decided_by()->clear_display_name();
  updater_.update(request.case_id(), draft.decision.decision_id(), false, [&](CaseRouter& router) {
    router.record_decision(clear, sealed);
    return true;
  });
  out = draft.decision;
  for (const auto& earlier : existing) {
    if (earlier.decision_id() == draft.decision.decision_id()) {
      out = earlier;  // a retry answers with the decision as first recorded
      out.set_reason(request.reason());
      *out.mutable_decided_by() = request.decided_by();
    }
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* RoutingService::RecordDecision(grpc::CallbackServerContext* context, const v1::RecordDecisionRequest* request,
                                                         v1::RecordDecisionResponse* response) {
  return gate_.blocking_unary(context, "RecordDecision", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] {
      grpc::Status status = record_decision(caller, *request, *response->mutable_decision());
      if (!status.ok()) return status;
      return audit_.record(caller, change_of("RecordDecision", request->case_id(), response->decision().decision_id()));
    });
  });
}

grpc::ServerUnaryReactor* RoutingService::ListDecisions(grpc::CallbackServerContext* context, const v1::ListDecisionsRequest* request,
                                                        v1::ListDecisionsResponse* response) {
  return gate_.blocking_unary(context, "ListDecisions", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] {
      if (!sees_every_referral(caller)) return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "decisions are for case workers and authorities");
      if (request->case_id().empty()) return rpc::invalid_argument("say which case", {{"case_id", "is required"}});
      auto state = updater_.load(request->case_id());
      if (!state) return not_found("routing has no case " + request->case_id());
      if (!works_on(caller, state->summary())) return out_of_scope("the case belongs to another jurisdiction");
      std::optional<crypto::SecretKey> key;
      if (!state->decisions().empty()) {
        key = case_key(*state, "list-decisions");
        // The reasons are personal data: the read is recorded before they are opened.
        const grpc::Status recorded = audit_.record(
            caller, {events::v1::AUDIT_ACTION_PERSONAL_DATA_READ, "pact.routing.v1.RoutingService/ListDecisions",
                     request->case_id(), "", common::ACCESS_PURPOSE_CASE_MANAGEMENT, "", ""});
        if (!recorded.ok()) return recorded;
      }
      for (const auto& decision : state->decisions()) {
        if (!request->types().empty() &&
            std::find(request->types().begin(), request->types().end(), decision.type()) == request->types().end()) {
          continue;
        }
        v1::Decision& out = *response->add_decisions();
        out = decision;
        if (!key) continue;
        for (const auto& section : state->sealed()) {
          v1::Decision sealed;
          if (section.record_type() == v1::Decision::descriptor()->full_name() &&
              crypto::open_message(*key, state->case_id(), section, sealed) && sealed.decision_id() == decision.decision_id()) {
            out.set_reason(sealed.reason());
            *out.mutable_decided_by() = sealed.decided_by();
          }
        }
      }
      return grpc::Status::OK;
    });
  });
}

grpc::Status RoutingService::referral_data(const rpc::Caller& caller, const v1::GetReferralDataRequest& request,
                                           v1::ReferralData& out) const {
  if (request.referral_id().empty()) return rpc::invalid_argument("say which referral", {{"referral_id", "is required"}});
  if (request.purpose() == common::ACCESS_PURPOSE_UNSPECIFIED || !common::AccessPurpose_IsValid(request.purpose())) {
    return rpc::invalid_argument("say why the data is read (it is audited)", {{"purpose", "is required"}});
  }
  const std::string case_id = case_of_referral(request.referral_id());
  auto state = updater_.load(case_id);
  const v1::Referral* referral = state ? find(*state, request.referral_id()) : nullptr;
  if (!referral) return not_found("no referral " + request.referral_id());
  if (!may_read_data(caller, *referral)) return out_of_scope("the referral is addressed to another organisation");
  const auto status = referral->status();
  if (status != v1::REFERRAL_STATUS_RECEIVED && status != v1::REFERRAL_STATUS_ACCEPTED && status != v1::REFERRAL_STATUS_IN_PROGRESS) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "the referral's data is readable once acknowledged and while it is open (it is " +
                            v1::ReferralStatus_Name(status) + ")");
  }
  // The basis is checked again now: a withdrawn consent or a lapsed exception stops the reading
  // at once, whatever the referral recorded when it was made.
  if (!basis_in_force(referral->sharing_basis(), facts_of(*state, updater_.now()))) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "the basis for sharing this person's data with you no longer holds; no personal data is shared");
  }
  auto key = case_key(*state, request.referral_id());
  if (!key) return grpc::Status(grpc::StatusCode::NOT_FOUND, "the case's data was erased");
  pact::intake::v1::Case case_record;
  if (!crypto::open_message(*key, case_id, state->sealed_case(0), case_record)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "the case data does not open with its key");
  }
  // Recorded before the answer leaves: every read of personal data is on record.
  std::string access_id;
  const grpc::Status recorded = audit_.record(
      caller,
      {events::v1::AUDIT_ACTION_PERSONAL_DATA_READ, "pact.routing.v1.RoutingService/GetReferralData", case_id,
       request.referral_id(), request.purpose(), "", ""},
      &access_id);
  if (!recorded.ok()) return recorded;
  out = referral_data_of(case_record, *referral);
  out.set_access_id(access_id);
  log::info("referral data read", {{"access_id", access_id}, {"referral_id", request.referral_id()},
                                   {"organisation", caller.organisation}});
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* RoutingService::GetReferralData(grpc::CallbackServerContext* context,
                                                          const v1::GetReferralDataRequest* request,
                                                          v1::GetReferralDataResponse* response) {
  return gate_.blocking_unary(context, "GetReferralData", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] { return referral_data(caller, *request, *response->mutable_data()); });
  });
}

}  // namespace pact::routing
