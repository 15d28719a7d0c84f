#include "guidance_source.h"

#include <grpcpp/client_context.h>

#include "log/logger.h"
#include "rpc/authenticator.h"

namespace pact::intake {

ScreeningClient::ScreeningClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds deadline,
                                 rpc::Caller identity, security::ClientIdentity calls)
    : stub_(screening::v1::ScreeningService::NewStub(std::move(channel))),
      deadline_(deadline),
      identity_(std::move(identity)),
      calls_(std::move(calls)) {}

std::optional<screening::v1::ScreeningResult> ScreeningClient::screen(const rpc::Caller& caller,
                                                                      const screening::v1::ScreeningRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  rpc::Caller acting = identity_;
  acting.on_behalf_of = std::make_shared<const rpc::Caller>(caller);
  calls_.identify(context, acting);
  screening::v1::ScreenRequest call;
  *call.mutable_request() = request;
  screening::v1::ScreenResponse response;
  grpc::Status status = stub_->Screen(&context, call, &response);
  if (!status.ok()) {
    log::warn("screening guidance pending", {{"code", static_cast<int>(status.error_code())}});
    return std::nullopt;
  }
  return std::move(*response.mutable_result());
}

}  // namespace pact::intake
