#include "rpc/call_metrics.h"

namespace pact::rpc {

CallMetrics::CallMetrics(prometheus::Registry& registry)
    : handled_(prometheus::BuildCounter()
                   .Name("pact_grpc_server_handled_total")
                   .Help("gRPC calls answered, by method and status code")
                   .Register(registry)),
      handling_seconds_(prometheus::BuildHistogram()
                            .Name("pact_grpc_server_handling_seconds")
                            .Help("Time from a call's arrival to its answer, by method")
                            .Register(registry)) {}

void CallMetrics::record(const std::string& method, grpc::StatusCode code,
                         std::chrono::steady_clock::duration elapsed) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                   0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
  handled_.Add({{"method", method}, {"code", status_code_name(code)}}).Increment();
  handling_seconds_.Add({{"method", method}}, kBuckets)
      .Observe(std::chrono::duration<double>(elapsed).count());
}

const char* status_code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

}  // namespace pact::rpc
