#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include <grpcpp/channel.h>

#include "pact/screening/v1/screening.grpc.pb.h"
#include "rpc/caller.h"
#include "security/client_identity.h"

namespace pact::intake {

// Immediate screening guidance for the frontline worker waiting on a registration.
class GuidanceSource {
 public:
  virtual ~GuidanceSource() = default;
  // The result, or nullopt when screening did not answer in time or is down: the registration then
  // goes ahead with guidance pending (screening assesses the case from its event).
  virtual std::optional<screening::v1::ScreeningResult> screen(const rpc::Caller& caller,
                                                               const screening::v1::ScreeningRequest& request) = 0;
};

// No screening configured: guidance is always pending.
class NoGuidance final : public GuidanceSource {
 public:
  std::optional<screening::v1::ScreeningResult> screen(const rpc::Caller&,
                                                       const screening::v1::ScreeningRequest&) override {
    return std::nullopt;
  }
};

// Calls ScreeningService.Screen with a short deadline, as intake on the person's behalf.
class ScreeningClient final : public GuidanceSource {
 public:
  ScreeningClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline, rpc::Caller identity,
                  security::ClientIdentity calls);
  std::optional<screening::v1::ScreeningResult> screen(const rpc::Caller& caller,
                                                       const screening::v1::ScreeningRequest& request) override;

 private:
  std::unique_ptr<screening::v1::ScreeningService::Stub> stub_;
  std::chrono::milliseconds deadline_;
  rpc::Caller identity_;
  security::ClientIdentity calls_;
};

}  // namespace pact::intake
