#pragma once

#include <chrono>
#include <string>

#include <grpcpp/grpcpp.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace pact::rpc {

// Per-method call counts by status code and handling time, for the EOC's dashboards and alerts
// (e.g. a rise in UNAVAILABLE or RESOURCE_EXHAUSTED during a surge). Labels are method and code only.
class CallMetrics {
 public:
  explicit CallMetrics(prometheus::Registry& registry);
  void record(const std::string& method, grpc::StatusCode code, std::chrono::steady_clock::duration elapsed);

 private:
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
};

const char* status_code_name(grpc::StatusCode code);

}  // namespace pact::rpc
