#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <map>
#include <thread>

#include "live_situation.h"
#include "pact/situation/v1/situation.grpc.pb.h"
#include "rpc/call_gate.h"

namespace pact::situation {

// The situation over gRPC, for EOC systems and tools: the picture, a stream of pictures (one per
// change, coalesced), and the CAP alerts. Authenticated and authorised by the one call gate.
class SituationService final : public v1::SituationService::CallbackService {
 public:
  struct Streaming {
    std::chrono::milliseconds push_interval{1000};
    std::chrono::milliseconds idle_push_interval{5000};
    std::size_t max_streams = 64;
  };

  SituationService(const rpc::CallGate& gate, LiveSituation& live, Streaming streaming);
  ~SituationService() override;

  grpc::ServerUnaryReactor* GetSituation(grpc::CallbackServerContext* context, const v1::GetSituationRequest* request,
                                         v1::Situation* response) override;
  grpc::ServerWriteReactor<v1::Situation>* WatchSituation(grpc::CallbackServerContext* context,
                                                          const v1::GetSituationRequest* request) override;
  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* context, const v1::ListAlertsRequest* request,
                                       v1::ListAlertsResponse* response) override;

  // Ends every open stream (OK: the server is going away) and stops offering pictures. Idempotent.
  void stop();

 private:
  class Watch;
  void pump();
  // Drops the service's hold on a finished stream (its last reference may go with it).
  std::shared_ptr<Watch> forget(Watch* watch);

  rpc::CallGate gate_;
  LiveSituation& live_;
  Streaming streaming_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<Watch*, std::shared_ptr<Watch>> watches_;  // every stream not yet done
  bool stopping_ = false;
  std::thread pump_;
};

}  // namespace pact::situation
