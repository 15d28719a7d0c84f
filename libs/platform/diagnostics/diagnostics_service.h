#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <string>
#include <unordered_map>

#include "config/platform_config.h"
#include "kafka/consumed_record.h"
#include "kafka/producer.h"
#include "pact/diagnostics/v1/diagnostics.grpc.pb.h"
#include "rpc/call_gate.h"

namespace pact::diagnostics {

// The platform's own end-to-end check and load-generator baseline:
// - Echo answers at once: the trivial service every throughput figure is compared with;
// - RoundTrip produces a probe event, and answers once this process's consumer has applied that
//   event to Redis: one gRPC call through Kafka and Redis and back.
// It is also the RecordHandler of the diagnostics topic's consumer.
class DiagnosticsService final : public pact::diagnostics::v1::DiagnosticsService::CallbackService,
                                 public kafka::RecordHandler {
 public:
  DiagnosticsService(const config::PlatformConfig& platform, const rpc::CallGate& gate, kafka::Producer& producer);
  ~DiagnosticsService() override;

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context, const v1::EchoRequest* request,
                                 v1::EchoResponse* response) override;
  grpc::ServerUnaryReactor* RoundTrip(grpc::CallbackServerContext* context, const v1::RoundTripRequest* request,
                                      v1::RoundTripResponse* response) override;

  void handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) override;
  void applied(const kafka::ConsumedRecord& record) override;

  // Answers every call still waiting (UNAVAILABLE): used when the process stops.
  void abandon_waiting_calls();

 private:
  struct Waiting {
    rpc::UnaryCompletion completion;
    v1::RoundTripResponse* response;
    std::chrono::steady_clock::time_point started;
  };
  void expire_stale_calls();
  // Answers calls whose probe was never consumed, so no call waits forever (gRPC's shutdown waits
  // for every open call).
  void run_expiry();

  const config::PlatformConfig& platform_;
  rpc::CallGate gate_;
  kafka::Producer& producer_;
  std::mutex mutex_;
  std::unordered_map<std::string, Waiting> waiting_;
  std::condition_variable stop_expiry_;
  bool stopping_ = false;
  std::thread expiry_;
};

}  // namespace pact::diagnostics
