#pragma once

// ReferralAnswerer: lets pact-webhook-receiver stand in for the providers (NGOs) of the local run.
// It answers the referral requests the receiver takes in as a provider's staff would: some are
// accepted, some rejected with a reason, some never answered, so that routing's deadlines remind,
// re-route and escalate. Which answer a referral gets comes from its id (answer_mix.h).
//
// Each answer goes out `answer_after` after its request arrived, from one worker thread (the HTTP
// handler only queues it), in three steps:
//   1. GetReferral as a service: the webhook body names neither the provider organisation nor its
//      service, and only a person of that organisation may answer; the referral also says whether
//      it still waits for an answer (not cancelled, re-routed or answered meanwhile).
//   2. A POST on the message's acknowledgement link, as a person pressing "Confirm receipt".
//   3. AcceptReferral or RejectReferral as `subject`, a person of that organisation with the
//      provider role. Identities travel as the development authenticator's metadata, so the hub must
//      run in development mode (security.mode).
// Reminders, escalations, cancellations, handoff and decision notices are counted, never answered;
// a referral id is answered at most once however often its request arrives.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include "answer_mix.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "receiver.h"
#include "rpc/caller.h"
#include "security/tool_identity.h"

namespace pact::tools::webhook_receiver {

struct AnswererOptions {
  AnswerMix mix;
  std::chrono::milliseconds answer_after{300};    // from the request's arrival: a person reading it
  std::string subject = "ngo-desk";               // who answers, within the referral's organisation
  std::chrono::milliseconds call_deadline{5000};  // each routing call and each press of the link
  int attempts = 4;                               // per step, while routing or the page is unavailable
  std::chrono::milliseconds first_backoff{250};   // doubled after each failed attempt
  std::size_t max_pending = 10000;                // answers waiting to go out; more are counted failed
};

class ReferralAnswerer : public MessageListener {
 public:
  // `routing`: a channel to the routing service. Starts the worker.
  // Calls routing at `routing_address` identified the way `tool` says (a minted provider token per
  // organisation in the local run).
  ReferralAnswerer(AnswererOptions options, std::shared_ptr<const security::ToolIdentity> tool,
                   const std::string& routing_address);
  ~ReferralAnswerer() override;
  ReferralAnswerer(const ReferralAnswerer&) = delete;
  ReferralAnswerer& operator=(const ReferralAnswerer&) = delete;

  // Counts the message; queues the answer to a referral request seen for the first time.
  void on_message(const ReceivedMessage& message) override;

  // {"answers":{"accept_percent","reject_percent","answer_after_ms","pending",
  //             "accepted","rejected","unanswered" (chosen not to answer),
  //             "too_late" (routing had cancelled, re-routed or closed it first),
  //             "failed","last_error" (null until one fails),
  //             "acknowledged","acknowledge_failed","repeated_requests",
  //             "by_type":{"referral_request":n,"reminder":n,…},
  //             "referrals":[{"referral_id","answer":"accept|reject|none",
  //                           "outcome":"pending|accepted|rejected|unanswered|too_late|failed"}]}}
  // (referrals, by id, omitted when `summary`)
  nlohmann::json stats(bool summary) const override;

  // Forgets counts and referrals; answers already queued still go out and are counted afresh.
  void reset() override;

  // Drops the answers not yet given, cancels the call in flight and joins the worker. Idempotent.
  void stop();

 private:
  enum class Outcome { pending, accepted, rejected, unanswered, too_late, failed };

  struct PendingAnswer {
    std::string referral_id;
    std::string ack_url;
    ProviderAnswer answer = ProviderAnswer::none;
    std::chrono::steady_clock::time_point due;
  };

  struct Decision {
    ProviderAnswer answer = ProviderAnswer::none;
    Outcome outcome = Outcome::pending;
  };

  static const char* outcome_name(Outcome outcome);

  void work();
  Outcome give(const PendingAnswer& pending);
  void acknowledge(const PendingAnswer& pending);
  template <typename Call>
  grpc::Status call_routing(const rpc::Caller& caller, Call call);
  // Waits `backoff` before another attempt; false when stopping.
  bool pause(std::chrono::milliseconds backoff);
  // Keeps `message` as the last error; returns Outcome::failed.
  Outcome failed(std::string message);

  const AnswererOptions options_;
  const std::shared_ptr<const security::ToolIdentity> tool_;
  const std::unique_ptr<routing::v1::RoutingService::Stub> routing_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // new work or stop
  std::deque<PendingAnswer> pending_;  // in arrival order, which is due order (one fixed delay)
  std::map<std::string, Decision> decisions_;  // every referral request taken in, by referral id
  std::map<std::string, std::uint64_t> by_type_;
  std::uint64_t accepted_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t unanswered_ = 0;
  std::uint64_t too_late_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t acknowledged_ = 0;
  std::uint64_t acknowledge_failed_ = 0;
  std::uint64_t repeated_requests_ = 0;
  std::string last_error_;
  bool in_progress_ = false;                       // the worker is giving an answer
  grpc::ClientContext* call_in_flight_ = nullptr;  // cancelled by stop()
  bool stopping_ = false;

  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace pact::tools::webhook_receiver
