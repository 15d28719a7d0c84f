#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <grpcpp/channel.h>

#include "case_updater.h"
#include "crypto/case_key_client.h"
#include "handoff_policy.h"
#include "routing_store.h"
#include "security/client_identity.h"

namespace pact::routing {

// Delivers what the sending side of handoffs owes its peers: pending offers (the minimum data,
// opened with the case key) and erasures to pass on. A peer that does not answer is tried again
// with growing pauses; the answer timer (CaseRouter) escalates a handoff that is never answered.
class HandoffSender {
 public:
  HandoffSender(const CaseUpdater& updater, const RoutingStore& store, crypto::CaseKeyClient& keys, const HandoffPolicy& policy,
                std::chrono::milliseconds first_retry, security::ClientIdentity calls);

  void run();
  void stop() { stopping_ = true; }
  // One pass over what is owed now; returns how many calls a peer answered.
  std::size_t deliver_due();

 private:
  bool due(const std::string& member);
  void pause(const std::string& member);
  void settled(const std::string& member);
  std::shared_ptr<grpc::Channel> channel_to(const std::string& peer_hub);
  void offer(const std::string& case_id, const std::string& handoff_id, std::size_t& answered);
  void pass_on_erasure(const std::string& case_id, const std::string& handoff_id, std::size_t& answered);

  const CaseUpdater& updater_;
  const RoutingStore& store_;
  crypto::CaseKeyClient& keys_;
  const HandoffPolicy& policy_;
  std::chrono::milliseconds first_retry_;
  std::atomic<bool> stopping_{false};
  struct Backoff {
    std::chrono::steady_clock::time_point next;
    std::chrono::milliseconds pause{0};
  };
  std::map<std::string, Backoff> backoff_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
  security::ClientIdentity calls_;
};

}  // namespace pact::routing
