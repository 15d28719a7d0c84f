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
  if (status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
    // Every denial, by the policy or by a service's record-level scope, in one place. Denial
    // messages name no record and no person; the caller appears by organisation and roles only.
    log::warn("call denied", {{"method", state_->method},
                              {"reason", status.error_message()},
                              {"caller_kind", state_->caller_kind},
                              {"organisation", state_->caller_organisation},
                              {"roles", state_->caller_roles}});
  }
  if (state_->metrics) {
    state_->metrics->record(state_->method, status.error_code(), std::chrono::steady_clock::now() - state_->started);
  }
  state_->reactor->Finish(status);
}

void UnaryCompletion::set_caller(const Caller& caller) const {
  state_->caller_kind = caller.kind == CallerKind::service ? "service" : "person";
  state_->caller_organisation = caller.organisation;
  state_->caller_roles = caller.roles;
}

CallGate::CallGate(std::shared_ptr<const Authenticator> authenticator, exec::BoundedExecutor& blocking_executor,
                   std::shared_ptr<CallMetrics> metrics, CallPolicy policy)
    : authenticator_(std::move(authenticator)),
      executor_(blocking_executor),
      metrics_(std::move(metrics)),
      policy_(std::move(policy)) {}

CallGate CallGate::for_service(std::string full_service_name) const {
  CallGate gate(*this);
  gate.service_name_ = std::move(full_service_name);
  return gate;
}

std::variant<Caller, grpc::Status> CallGate::admit_stream(const grpc::CallbackServerContext& context,
                                                         std::string_view method) const {
  Authentication authentication = authenticate(context, method);
  if (!authentication.caller) {
    log::info("call refused", {{"method", method}, {"code", static_cast<int>(authentication.refusal.error_code())}});
    return authentication.refusal;
  }
  if (auto refusal = admit(*authentication.caller, method)) return *refusal;
  return *authentication.caller;
}

Authentication CallGate::authenticate(const grpc::CallbackServerContext& context, std::string_view method) const {
  try {
    return authenticator_->authenticate(context);
  } catch (const std::exception& e) {
    log::warn("authentication failed on malformed credentials", {{"method", method}, {"error", e.what()}});
    return {std::nullopt, grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "the credentials could not be read")};
  }
}

std::optional<grpc::Status> CallGate::admit(const Caller& caller, std::string_view method) const {
  if (policy_.access) {
    const std::string full_method = service_name_ + "/" + std::string(method);
    if (!policy_.access->allows(full_method, caller)) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "your role may not call " + full_method);
    }
  }
  // Services are paced by their own consumers and the executor bound; people (and scripts acting
  // as them) are paced per person so one of them cannot starve the others.
  if (policy_.rate_limiter && caller.kind == CallerKind::person) {
    std::chrono::milliseconds retry_after{0};
    if (!policy_.rate_limiter->try_acquire(caller.organisation + "/" + caller.subject,
                                           security::CallerRateLimiter::Clock::now(), retry_after)) {
      return resource_exhausted("too many calls from you; slow down", retry_after);
    }
  }
  return std::nullopt;
}

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
