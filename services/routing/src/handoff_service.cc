#include "handoff_service.h"

#include <google/protobuf/util/time_util.h>

#include "handoff_offer.h"
#include "ids/ids.h"
#include "log/logger.h"
#include "call_errors.h"
#include "rpc/status.h"
#include "vocabulary.h"

namespace pact::routing {
namespace {

grpc::Status outside_scope() {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "the case belongs to a jurisdiction you do not work in");
}

using google::protobuf::util::TimeUtil;

grpc::Status peers_only() {
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "the handoff protocol is for peer hubs' services");
}

v1::Handoff incoming(const v1::HandoffOffer& offer, const std::string& this_hub) {
  v1::Handoff handoff;
  handoff.set_handoff_id(offer.handoff_id());
  handoff.set_direction(v1::HANDOFF_DIRECTION_INCOMING);
  handoff.set_status(v1::HANDOFF_STATUS_OFFERED);
  handoff.set_sending_hub(offer.sending_hub());
  handoff.set_sending_jurisdiction(offer.sending_jurisdiction());
  handoff.set_sending_case_id(offer.sending_case_id());
  handoff.set_receiving_hub(this_hub);
  handoff.set_receiving_jurisdiction(offer.receiving_jurisdiction());
  handoff.set_reason(offer.reason());
  *handoff.mutable_sharing_basis() = offer.sharing_basis();
  *handoff.mutable_shared_data() = offer.shared_data();
  *handoff.mutable_offered_at() = TimeUtil::GetCurrentTime();
  handoff.set_exercise(offer.exercise());
  return handoff;
}

}  // namespace

void HandoffService::record(const v1::Handoff& handoff, const std::string& cause, std::uint32_t position) const {
  events::v1::ReferralEvent event;
  event.set_event_id(ids::derive_event_id(cause, "routing-handoff", position));
  event.set_case_id(handoff.receiving_case_id());
  event.set_hub(policy_.hub);
  *event.mutable_occurred_at() = TimeUtil::GetCurrentTime();
  event.set_exercise(handoff.exercise());
  event.set_cause_id(cause);
  const auto info = handoff_info_of(handoff);
  switch (handoff.status()) {
    case v1::HANDOFF_STATUS_OFFERED: *event.mutable_handoff_offered()->mutable_handoff() = info; break;
    case v1::HANDOFF_STATUS_ACCEPTED: *event.mutable_handoff_accepted()->mutable_handoff() = info; break;
    case v1::HANDOFF_STATUS_DECLINED:
      *event.mutable_handoff_declined()->mutable_handoff() = info;
      event.mutable_handoff_declined()->set_reason(handoff.decline().reason());
      break;
    default:
      *event.mutable_handoff_erased()->mutable_handoff() = info;
      event.mutable_handoff_erased()->set_reason(common::ERASURE_REASON_ERASED_AT_SENDING_HUB);
      *event.mutable_handoff_erased()->mutable_erased_at() = handoff.erased_at();
      break;
  }
  store_.outbox_push(event);
}

grpc::Status HandoffService::receive(const rpc::Caller& caller, const v1::HandoffOffer& offer, v1::OfferHandoffResponse& response) const {
  if (caller.kind != rpc::CallerKind::service) return peers_only();
  // Only a configured peer offers, and only its own cases.
  if (!policy_.peer_named(offer.sending_hub()) || caller.organisation != offer.sending_hub()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "offers are taken from configured peer hubs, for their own cases");
  }
  std::vector<rpc::FieldViolation> problems = offer_problems(offer);
  const bool malformed = std::any_of(problems.begin(), problems.end(), [](const auto& p) {
    return p.field != "offer.consent" && p.field != "offer.exception_decision" && p.field != "offer.sharing_basis";
  });
  if (malformed) return rpc::invalid_argument("the offer is not valid", problems);
  response.set_handoff_id(offer.handoff_id());
  if (auto known = inbox_.load(offer.handoff_id())) {  // a retried offer: the answer it had
    response.set_status(known->status());
    response.set_receiving_case_id(known->receiving_case_id());
    return grpc::Status::OK;
  }
  if (!problems.empty()) {
    // Nothing is taken without a basis (REFERENCE section 0): refused, not stored.
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, problems.front().field + ": " + problems.front().description);
  }
  v1::Handoff handoff = incoming(offer, policy_.hub);
  record(handoff, offer.handoff_id(), 0);
  if (!policy_.serves(offer.receiving_jurisdiction())) {
    handoff.set_status(v1::HANDOFF_STATUS_DECLINED);
    handoff.mutable_decline()->set_reason(v1::HANDOFF_DECLINE_REASON_NOT_SERVED_HERE);
  } else {
    pact::intake::v1::RegisterEncounterResponse registered;
    const grpc::Status status = intake_.register_handed_in(offer, registered);
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      handoff.set_status(v1::HANDOFF_STATUS_DECLINED);
      handoff.mutable_decline()->set_reason(v1::HANDOFF_DECLINE_REASON_INCOMPLETE);
      log::warn("handoff declined: intake refused the encounter", {{"handoff_id", offer.handoff_id()}, {"error", status.error_message()}});
    } else if (!status.ok()) {
      // Not the offer's fault: the sender retries, and the same handoff id makes it one case.
      return rpc::unavailable("this hub's intake cannot register the case now; offer again", std::chrono::seconds(1));
    } else {
      handoff.set_status(v1::HANDOFF_STATUS_ACCEPTED);
      handoff.set_receiving_case_id(registered.case_id());
    }
  }
  *handoff.mutable_answered_at() = TimeUtil::GetCurrentTime();
  inbox_.save(handoff);
  record(handoff, offer.handoff_id(), 1);
  log::info("handoff received", {{"handoff_id", offer.handoff_id()}, {"from", offer.sending_hub()},
                                 {"status", v1::HandoffStatus_Name(handoff.status())}});
  response.set_status(handoff.status());
  response.set_receiving_case_id(handoff.receiving_case_id());
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* HandoffService::OfferHandoff(grpc::CallbackServerContext* context, const v1::OfferHandoffRequest* request,
                                                       v1::OfferHandoffResponse* response) {
  return gate_.blocking_unary(context, "OfferHandoff", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] { return receive(caller, request->offer(), *response); });
  });
}

std::string HandoffService::case_of_handoff(const std::string& handoff_id) const {
  const auto cases = store_.index_members("handoff:" + handoff_id);
  return cases.empty() ? std::string() : cases.front();
}

grpc::ServerUnaryReactor* HandoffService::AnswerHandoff(grpc::CallbackServerContext* context, const v1::AnswerHandoffRequest* request,
                                                        v1::AnswerHandoffResponse* response) {
  return gate_.blocking_unary(context, "AnswerHandoff", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] {
      if (caller.kind != rpc::CallerKind::service) return peers_only();
      if (!request->has_accepted() && !request->has_declined()) {
        return rpc::invalid_argument("accept or decline", {{"answer", "is required"}});
      }
      const std::string case_id = case_of_handoff(request->handoff_id());
      if (case_id.empty()) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no handoff " + request->handoff_id());
      AnswerRefusal refusal;
      const auto result = updater_.update(case_id, "answer:" + request->handoff_id(), false, [&](CaseRouter& router) {
        const v1::Handoff* sent = router.handoff(request->handoff_id());
        if (sent && sent->receiving_hub() != caller.organisation) {
          refusal = {AnswerRefusal::Kind::wrong_state, "only the receiving hub answers"};
          return false;
        }
        refusal = router.handoff_answered(*request);
        return refusal.kind == AnswerRefusal::Kind::none && !router.commit().events.empty();
      });
      if (refusal.kind == AnswerRefusal::Kind::not_found) return grpc::Status(grpc::StatusCode::NOT_FOUND, refusal.message);
      if (refusal.kind != AnswerRefusal::Kind::none) return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, refusal.message);
      for (const auto& handoff : result.state.handoffs()) {
        if (handoff.handoff_id() == request->handoff_id()) *response->mutable_handoff() = handoff;
      }
      return grpc::Status::OK;
    });
  });
}

grpc::ServerUnaryReactor* HandoffService::GetHandoff(grpc::CallbackServerContext* context, const v1::GetHandoffRequest* request,
                                                     v1::GetHandoffResponse* response) {
  return gate_.blocking_unary(context, "GetHandoff", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] {
      const bool allowed = caller.kind == rpc::CallerKind::service || caller.has_role("case_worker") || caller.has_role("coordinator");
      if (!allowed) return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "handoffs are for case workers, coordinators and hubs");
      // A person sees the handoffs of their jurisdiction at this hub: the ones it sent, and the
      // ones handed to it. A peer hub sees only the handoffs between it and this hub.
      auto may_see = [&](common::Jurisdiction jurisdiction, const std::string& other_hub) {
        if (caller.has_role("hub")) return caller.organisation == other_hub;
        return caller.kind == rpc::CallerKind::service || caller.works_in(vocabulary::jurisdiction_name(jurisdiction));
      };
      if (auto received = inbox_.load(request->handoff_id())) {
        if (!may_see(received->receiving_jurisdiction(), received->sending_hub())) return outside_scope();
        *response->mutable_handoff() = *received;
        return grpc::Status::OK;
      }
      const std::string case_id = case_of_handoff(request->handoff_id());
      if (auto state = case_id.empty() ? std::nullopt : updater_.load(case_id)) {
        for (const auto& handoff : state->handoffs()) {
          if (handoff.handoff_id() == request->handoff_id()) {
            if (!may_see(handoff.sending_jurisdiction(), handoff.receiving_hub())) return outside_scope();
            *response->mutable_handoff() = handoff;
            return grpc::Status::OK;
          }
        }
      }
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no handoff " + request->handoff_id());
    });
  });
}

grpc::Status HandoffService::erase(const rpc::Caller& caller, const v1::EraseHandedOffCaseRequest& request,
                                   v1::EraseHandedOffCaseResponse& response) const {
  if (caller.kind != rpc::CallerKind::service) return peers_only();
  auto handoff = inbox_.load(request.handoff_id());
  response.set_handoff_id(request.handoff_id());
  if (!handoff) {
    // Never arrived: nothing of the person is here.
    *response.mutable_erased_at() = TimeUtil::GetCurrentTime();
    return grpc::Status::OK;
  }
  if (handoff->sending_case_id() != request.sending_case_id() || handoff->sending_hub() != caller.organisation) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "only the sending hub passes on the erasure of its case");
  }
  if (handoff->status() != v1::HANDOFF_STATUS_ERASED && handoff->status() != v1::HANDOFF_STATUS_WITHDRAWN) {
    if (!handoff->receiving_case_id().empty()) {
      pact::intake::v1::EraseCaseResponse erased;
      const grpc::Status status = intake_.erase(handoff->receiving_case_id(), handoff->handoff_id(), handoff->sending_hub(), erased);
      if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
        return rpc::unavailable("this hub's intake cannot erase the case now; try again", std::chrono::seconds(1));
      }
      handoff->set_status(v1::HANDOFF_STATUS_ERASED);
    } else {
      handoff->set_status(v1::HANDOFF_STATUS_WITHDRAWN);
    }
    *handoff->mutable_erased_at() = TimeUtil::GetCurrentTime();
    inbox_.save(*handoff);
    record(*handoff, handoff->handoff_id() + "#erased", 0);
  }
  response.set_receiving_case_id(handoff->receiving_case_id());
  *response.mutable_erased_at() = handoff->erased_at();
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* HandoffService::EraseHandedOffCase(grpc::CallbackServerContext* context,
                                                             const v1::EraseHandedOffCaseRequest* request,
                                                             v1::EraseHandedOffCaseResponse* response) {
  return gate_.blocking_unary(context, "EraseHandedOffCase", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] { return erase(caller, *request, *response); });
  });
}

grpc::ServerUnaryReactor* HandoffService::RequestTransfer(grpc::CallbackServerContext* context, const v1::RequestTransferRequest* request,
                                                          v1::RequestTransferResponse* response) {
  return gate_.blocking_unary(context, "RequestTransfer", [this, request, response](const rpc::Caller& caller) {
    return with_retryable_errors([&] {
      if (!caller.has_role("case_worker") && !caller.has_role("coordinator")) {
        return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "transfers are requested by case workers and coordinators");
      }
      if (request->case_id().empty()) return rpc::invalid_argument("say which case", {{"case_id", "is required"}});
      const auto current = updater_.load(request->case_id());
      if (!current) return grpc::Status(grpc::StatusCode::NOT_FOUND, "routing has no case " + request->case_id());
      if (!caller.works_in(vocabulary::jurisdiction_name(current->summary().jurisdiction()))) return outside_scope();
      AnswerRefusal refusal;
      const auto result = updater_.update(request->case_id(),
                                          "transfer:" + request->case_id() + ":" + std::to_string(request->receiving_jurisdiction()), false,
                                          [&](CaseRouter& router) {
                                            refusal = router.request_transfer(request->receiving_jurisdiction(), caller.subject);
                                            return refusal.kind == AnswerRefusal::Kind::none;
                                          });
      if (result.outcome == CaseUpdater::Result::Outcome::missing) {
        return grpc::Status(grpc::StatusCode::NOT_FOUND, "routing has no case " + request->case_id());
      }
      if (refusal.kind == AnswerRefusal::Kind::bad_reason) {
        return rpc::invalid_argument(refusal.message, {{"receiving_jurisdiction", refusal.message}});
      }
      if (refusal.kind != AnswerRefusal::Kind::none) return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, refusal.message);
      log::info("transfer requested", {{"case_id", request->case_id()}, {"caller", caller.subject}});
      for (const auto& handoff : result.state.handoffs()) {
        if (handoff.receiving_jurisdiction() == request->receiving_jurisdiction()) *response->mutable_handoff() = handoff;
      }
      return grpc::Status::OK;
    });
  });
}

}  // namespace pact::routing
