#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "exec/bounded_executor.h"
#include "log/logger.h"
#include "log/trace_context.h"
#include "rpc/authenticator.h"
#include "rpc/call_metrics.h"
#include "rpc/caller.h"
#include "rpc/status.h"
#include "security/access_policy.h"
#include "security/caller_rate_limiter.h"

namespace pact::rpc {

// Finishes one unary call exactly once, from whichever thread the answer is ready on.
class UnaryCompletion {
 public:
  UnaryCompletion(grpc::ServerUnaryReactor* reactor, std::string method, std::string trace_id,
                  std::shared_ptr<CallMetrics> metrics);
  void operator()(const grpc::Status& status) const;
  const std::string& trace_id() const { return state_->trace_id; }
  // Who the call is from, for the log line of a denial (organisation and roles only).
  void set_caller(const Caller& caller) const;

 private:
  struct State {
    grpc::ServerUnaryReactor* reactor;
    std::string method;
    std::string trace_id;
    std::shared_ptr<CallMetrics> metrics;
    std::string caller_kind;
    std::string caller_organisation;
    std::vector<std::string> caller_roles;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::atomic<bool> finished{false};
  };
  std::shared_ptr<State> state_;
};

// What the wrapper checks once it knows the caller. Either part may be absent (development without
// a policy file, tests, tools).
struct CallPolicy {
  std::shared_ptr<const security::AccessPolicy> access;         // roles per RPC
  std::shared_ptr<security::CallerRateLimiter> rate_limiter;    // calls per person
};

// The one wrapper every RPC handler runs through (DESIGN.md "Data protection"): it establishes the
// caller before any handler code runs, checks the access policy and the caller's rate, carries the trace id into the logs, contains exceptions
// (INTERNAL without details to the client), and offloads blocking work to the bounded executor,
// answering RESOURCE_EXHAUSTED with RetryInfo when it is full.
class CallGate {
 public:
  // `metrics` may be null (tests, tools).
  CallGate(std::shared_ptr<const Authenticator> authenticator, exec::BoundedExecutor& blocking_executor,
           std::shared_ptr<CallMetrics> metrics = nullptr, CallPolicy policy = {});

  // The gate for one gRPC service's handlers: the policy names methods as "package.Service/Method".
  CallGate for_service(std::string full_service_name) const;

  // Runs blocking follow-up work of a call on the bounded executor (e.g. from a Kafka delivery
  // report, whose thread must not block); false when the executor is full.
  bool offload(std::function<void()> work) const { return executor_.try_submit(std::move(work)); }

  // handler(const Caller&, UnaryCompletion): answers now or later (e.g. from a delivery report).
  // Runs inside the gRPC reaction: it must not block.
  template <class Handler>
  grpc::ServerUnaryReactor* async_unary(grpc::CallbackServerContext* context, std::string_view method,
                                        Handler&& handler) const {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    UnaryCompletion completion(reactor, std::string(method), trace_id_of(*context), metrics_);
    log::ScopedTraceId trace(completion.trace_id());
    Authentication authentication = authenticate(*context, method);
    if (!authentication.caller) {
      log::info("call refused", {{"method", method}, {"code", static_cast<int>(authentication.refusal.error_code())}});
      completion(authentication.refusal);
      return reactor;
    }
    completion.set_caller(*authentication.caller);
    if (auto refusal = admit(*authentication.caller, method)) {
      completion(*refusal);
      return reactor;
    }
    try {
      handler(*authentication.caller, completion);
    } catch (const std::exception& e) {
      fail_internal(completion, method, e);
    }
    return reactor;
  }

  // For a streaming handler, which finishes its own reactor: the caller, once authenticated and
  // admitted like a unary call's, or the status to finish the stream with.
  std::variant<Caller, grpc::Status> admit_stream(const grpc::CallbackServerContext& context,
                                                  std::string_view method) const;

  // handler(const Caller&, UnaryCompletion), run on the bounded executor (it may block on Redis)
  // and free to answer later from another thread (e.g. once Kafka stored an event).
  template <class Handler>
  grpc::ServerUnaryReactor* offloaded_unary(grpc::CallbackServerContext* context, std::string_view method,
                                            Handler&& handler) const {
    return async_unary(context, method, [this, method, handler = std::forward<Handler>(handler)](
                                            const Caller& caller, UnaryCompletion completion) mutable {
      bool accepted = executor_.try_submit([caller, completion, method, handler]() mutable {
        log::ScopedTraceId trace(completion.trace_id());
        try {
          handler(caller, completion);
        } catch (const std::exception& e) {
          fail_internal(completion, method, e);
        }
      });
      if (!accepted) completion(resource_exhausted("server busy, retry shortly", std::chrono::milliseconds(200)));
    });
  }

  // handler(const Caller&) -> grpc::Status, run on the bounded executor (it may block on Redis).
  template <class Handler>
  grpc::ServerUnaryReactor* blocking_unary(grpc::CallbackServerContext* context, std::string_view method,
                                           Handler&& handler) const {
    return offloaded_unary(context, method, [handler = std::forward<Handler>(handler)](
                                                const Caller& caller, UnaryCompletion completion) mutable {
      completion(handler(caller));
    });
  }

 private:
  // PERMISSION_DENIED when the policy does not let the caller's roles call the method,
  // RESOURCE_EXHAUSTED when a person calls faster than their rate; nullopt to go ahead.
  std::optional<grpc::Status> admit(const Caller& caller, std::string_view method) const;
  // The authenticator's answer; an exception (it reads untrusted input) is UNAUTHENTICATED.
  Authentication authenticate(const grpc::CallbackServerContext& context, std::string_view method) const;
  static std::string trace_id_of(const grpc::CallbackServerContext& context);
  static void fail_internal(const UnaryCompletion& completion, std::string_view method, const std::exception& e);

  std::shared_ptr<const Authenticator> authenticator_;
  exec::BoundedExecutor& executor_;
  std::shared_ptr<CallMetrics> metrics_;
  CallPolicy policy_;
  std::string service_name_;
};

}  // namespace pact::rpc
