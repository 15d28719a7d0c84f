#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "arguments.h"
#include "rpc/caller.h"
#include "security/tool_identity.h"

namespace pactctl {

// The services pactctl talks to. Each has its own address: a deployment may run them anywhere,
// so there are no default ports to guess.
enum class ServiceName { intake, screening, routing, notification };

std::string_view name_of(ServiceName service);

// The flags every service command takes: addresses, identity, deadline and output format.
extern const std::vector<std::string_view> kSessionFlags;
extern const char* const kSessionUsage;

// `command_flags` plus kSessionFlags; UsageError for anything else.
void allow_session_flags_and(const Arguments& args, std::vector<std::string_view> command_flags);

// Connection settings, caller identity and output format of one pactctl run, from flags first and
// the environment second (PACT_INTAKE_ADDRESS, PACT_SUBJECT, ...).
class Session {
 public:
  // Throws UsageError when the identity is incomplete or a flag value is malformed.
  static Session open(const Arguments& args);

  const pact::rpc::Caller& caller() const { return caller_; }
  bool json() const { return json_; }
  bool has_address(ServiceName service) const { return addresses_.count(service) > 0; }
  // "127.0.0.1:50051"; UsageError naming the flag and variable when none was given.
  const std::string& address(ServiceName service) const;
  // "intake RegisterEncounter at 10.0.0.5:50051", for failure reports.
  std::string describe(ServiceName service, std::string_view method) const;
  // One channel per service, made on first use (so not thread-safe: make the stubs before starting
  // threads; call() and context() are safe from any thread).
  std::shared_ptr<grpc::Channel> channel(ServiceName service) const;

  // A fresh context with the deadline and the caller's identity as call metadata.
  std::unique_ptr<grpc::ClientContext> context() const;

  // Runs one unary call: `invoke(grpc::ClientContext*)` returns its grpc::Status.
  template <typename Invoke>
  grpc::Status call(Invoke&& invoke) const {
    auto call_context = context();
    return std::forward<Invoke>(invoke)(call_context.get());
  }

 private:
  pact::rpc::Caller caller_;
  std::shared_ptr<const pact::security::ToolIdentity> tool_;
  std::chrono::milliseconds deadline_{};
  bool json_ = false;
  std::map<ServiceName, std::string> addresses_;
  mutable std::map<ServiceName, std::shared_ptr<grpc::Channel>> channels_;
};

// "10s", "500ms", "2m" or a number of seconds; UsageError naming `flag` otherwise.
std::chrono::milliseconds parse_duration(const std::string& text, std::string_view flag);

}  // namespace pactctl
