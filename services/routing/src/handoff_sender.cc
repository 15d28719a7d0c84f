#include "handoff_sender.h"

#include <thread>

#include <grpcpp/create_channel.h>

#include "crypto/sealed_message.h"
#include "handoff_offer.h"
#include "log/logger.h"
#include "pact/routing/v1/handoff.grpc.pb.h"
#include "rpc/authenticator.h"

namespace pact::routing {
namespace {

std::unique_ptr<grpc::ClientContext> peer_context(const security::ClientIdentity& calls, const std::string& this_hub) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  calls.identify(*context, rpc::service_caller("service:routing", this_hub, {"routing", "hub"}));
  return context;
}

std::pair<std::string, std::string> split_member(const std::string& member) {
  const auto bar = member.find('|');
  return {member.substr(0, bar), bar == std::string::npos ? std::string() : member.substr(bar + 1)};
}

}  // namespace

HandoffSender::HandoffSender(const CaseUpdater& updater, const RoutingStore& store, crypto::CaseKeyClient& keys,
                             const HandoffPolicy& policy, std::chrono::milliseconds first_retry,
                             security::ClientIdentity calls)
    : updater_(updater), store_(store), keys_(keys), policy_(policy), first_retry_(first_retry), calls_(std::move(calls)) {}

bool HandoffSender::due(const std::string& member) {
  auto found = backoff_.find(member);
  return found == backoff_.end() || std::chrono::steady_clock::now() >= found->second.next;
}

void HandoffSender::pause(const std::string& member) {
  Backoff& backoff = backoff_[member];
  backoff.pause = backoff.pause.count() == 0 ? first_retry_ : std::min(backoff.pause * 2, std::chrono::milliseconds(30000));
  backoff.next = std::chrono::steady_clock::now() + backoff.pause;
}

void HandoffSender::settled(const std::string& member) { backoff_.erase(member); }

std::shared_ptr<grpc::Channel> HandoffSender::channel_to(const std::string& peer_hub) {
  const PeerHub* peer = policy_.peer_named(peer_hub);
  if (!peer) return nullptr;
  auto& channel = channels_[peer->address];
  if (!channel) channel = calls_.peer_channel(peer->address);
  return channel;
}

void HandoffSender::offer(const std::string& case_id, const std::string& handoff_id, std::size_t& answered) {
  const std::string member = case_id + "|" + handoff_id;
  auto state = updater_.load(case_id);
  const v1::Handoff* handoff = nullptr;
  if (state) {
    for (const auto& candidate : state->handoffs()) {
      if (candidate.handoff_id() == handoff_id) handoff = &candidate;
    }
  }
  if (!handoff || handoff->status() != v1::HANDOFF_STATUS_PENDING || state->sealed_case().empty()) return;
  auto key = keys_.key(case_id, state->sealed_case(0).key_version(), handoff_id);
  if (!key) return;  // erased meanwhile: the erasure withdraws the handoff
  pact::intake::v1::Case case_record;
  if (!crypto::open_message(*key, case_id, state->sealed_case(0), case_record)) {
    log::error("handoff not offered: the case does not open with its key", {{"handoff_id", handoff_id}});
    return;
  }
  std::optional<v1::Decision> exception;
  if (handoff->sharing_basis().kind() == common::SHARING_BASIS_KIND_RECORDED_EXCEPTION) {
    for (const auto& section : state->sealed()) {
      v1::Decision decision;
      if (section.record_type() == v1::Decision::descriptor()->full_name() && crypto::open_message(*key, case_id, section, decision) &&
          decision.decision_id() == handoff->sharing_basis().decision_id()) {
        exception = decision;
      }
    }
  }
  v1::OfferHandoffRequest request;
  *request.mutable_offer() = build_offer(*handoff, *state, case_record, exception);
  auto channel = channel_to(handoff->receiving_hub());
  if (!channel) return;
  v1::OfferHandoffResponse response;
  const grpc::Status status = v1::HandoffService::NewStub(channel)->OfferHandoff(peer_context(calls_, policy_.hub).get(), request, &response);
  if (status.ok()) {
    ++answered;
    settled(member);
    updater_.update(case_id, "offered:" + handoff_id, false, [&](CaseRouter& router) {
      router.offer_delivered(handoff_id, response);
      return true;
    });
    return;
  }
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION || status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    // The peer will never take this offer as it is: a decline, which escalates.
    ++answered;
    settled(member);
    v1::AnswerHandoffRequest declined;
    declined.set_handoff_id(handoff_id);
    declined.mutable_declined()->set_reason(status.error_code() == grpc::StatusCode::FAILED_PRECONDITION
                                                ? v1::HANDOFF_DECLINE_REASON_INSUFFICIENT_BASIS
                                                : v1::HANDOFF_DECLINE_REASON_INCOMPLETE);
    updater_.update(case_id, "refused:" + handoff_id, false, [&](CaseRouter& router) {
      router.handoff_answered(declined);
      return true;
    });
    return;
  }
  pause(member);
  const std::string error = std::to_string(static_cast<int>(status.error_code())) + " " + status.error_message();
  log::warn("peer hub did not take the handoff offer; will retry", {{"handoff_id", handoff_id}, {"peer", handoff->receiving_hub()},
                                                                     {"error", error}});
  updater_.update(case_id, "offer-failed:" + handoff_id + ":" + std::to_string(handoff->offer_attempts()), false,
                  [&](CaseRouter& router) {
                    router.offer_failed(handoff_id, error);
                    return true;
                  });
}

void HandoffSender::pass_on_erasure(const std::string& case_id, const std::string& handoff_id, std::size_t& answered) {
  const std::string member = case_id + "|" + handoff_id;
  auto state = updater_.load(case_id);
  std::string peer_hub;
  if (state) {
    for (const auto& candidate : state->handoffs()) {
      if (candidate.handoff_id() == handoff_id) peer_hub = candidate.receiving_hub();
    }
  }
  auto channel = peer_hub.empty() ? nullptr : channel_to(peer_hub);
  if (!channel) return;
  v1::EraseHandedOffCaseRequest request;
  request.set_handoff_id(handoff_id);
  request.set_sending_case_id(case_id);
  request.set_reason(common::ERASURE_REASON_ERASED_AT_SENDING_HUB);
  v1::EraseHandedOffCaseResponse response;
  const grpc::Status status = v1::HandoffService::NewStub(channel)->EraseHandedOffCase(peer_context(calls_, policy_.hub).get(), request, &response);
  if (!status.ok()) {
    pause(member);
    log::warn("peer hub did not confirm the erasure; will retry", {{"handoff_id", handoff_id}, {"peer", peer_hub}});
    return;
  }
  ++answered;
  settled(member);
  updater_.update(case_id, "erased:" + handoff_id, false, [&](CaseRouter& router) {
    router.handoff_erased(handoff_id, response.erased_at());
    return true;
  });
}

std::size_t HandoffSender::deliver_due() {
  std::size_t answered = 0;
  for (const std::string& member : store_.index_members("handoffs-pending")) {
    if (!due(member)) continue;
    const auto [case_id, handoff_id] = split_member(member);
    try {
      offer(case_id, handoff_id, answered);
    } catch (const crypto::CaseKeyUnavailable& e) {
      pause(member);
      log::warn("handoff waits for the case key", {{"handoff_id", handoff_id}, {"error", e.what()}});
    }
  }
  for (const std::string& member : store_.index_members("handoffs-erase")) {
    if (!due(member)) continue;
    const auto [case_id, handoff_id] = split_member(member);
    pass_on_erasure(case_id, handoff_id, answered);
  }
  return answered;
}

void HandoffSender::run() {
  while (!stopping_) {
    try {
      deliver_due();
    } catch (const std::exception& e) {
      log::warn("handoff sender paused", {{"error", e.what()}});
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace pact::routing
