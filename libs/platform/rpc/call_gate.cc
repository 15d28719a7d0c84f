#include "rpc/call_gate.h"

#include "events/traceparent.h"

namespace pact::rpc {

UnaryCompletion::UnaryCompletion(grpc::ServerUnaryReactor* reactor, std::string method, std::string trace_id,
                                 std::shared_ptr<CallMetrics> metrics)
    : state_(std::make_shared<State>()) {
  state_->reactor = reactor;
  state_->method = std::move(method);
  state_->trace_id = std::move(trace_id);
  state_->metrics = std::move(metrics);
}

void UnaryCompletion::operator()(const grpc::Status& status) const {
  if (state_->finished.exchange(true)) {
    log::error("a call was answered twice; the second answer is dropped", {{"method", state_->method}});
    return;
  }
  if (state_->metrics) {
    state_->metrics->record(state_->method, status.error_code(), std::chrono::steady_clock::now() - state_->started);
  }
  state_->reactor->Finish(status);
}

CallGate::CallGate(std::shared_ptr<const Authenticator> authenticator, exec::BoundedExecutor& blocking_executor,
                   std::shared_ptr<CallMetrics> metrics)
    : authenticator_(std::move(authenticator)), executor_(blocking_executor), metrics_(std::move(metrics)) {}

std::string CallGate::trace_id_of(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  if (auto found = metadata.find("traceparent"); found != metadata.end()) {
    if (auto parent = events::TraceParent::parse(std::string_view(found->second.data(), found->second.size()))) {
      return parent->trace_id;
    }
  }
  return events::TraceParent::new_root().trace_id;
}

void CallGate::fail_internal(const UnaryCompletion& completion, std::string_view method, const std::exception& e) {
  // Exception texts are written by our own code and must never carry personal data.
  log::error("handler failed", {{"method", method}, {"error", e.what()}});
  completion(grpc::Status(grpc::StatusCode::INTERNAL, "internal error; the failure is logged with this call's trace id"));
}

}  // namespace pact::rpc
