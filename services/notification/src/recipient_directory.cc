#include "recipient_directory.h"

#include <grpcpp/client_context.h>

#include "kafka/consumed_record.h"
#include "log/logger.h"
#include "rpc/authenticator.h"

namespace pact::notification {

RecipientDirectory::RecipientDirectory(std::shared_ptr<grpc::Channel> routing, rpc::Caller identity,
                                       security::ClientIdentity calls,
                                       std::chrono::milliseconds refresh, std::chrono::milliseconds deadline)
    : stub_(routing::v1::DirectoryService::NewStub(std::move(routing))),
      identity_(std::move(identity)),
      calls_(std::move(calls)),
      refresh_(refresh),
      deadline_(deadline) {}

std::optional<routing::v1::Recipient> RecipientDirectory::recipient(const std::string& recipient_id) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(recipient_id);
    if (found != entries_.end() && now - found->second.fetched_at < refresh_) return found->second.recipient;
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline_);
  calls_.identify(context, identity_);
  routing::v1::GetRecipientRequest request;
  request.set_recipient_id(recipient_id);
  routing::v1::GetRecipientResponse response;
  const grpc::Status status = stub_->GetRecipient(&context, request, &response);
  std::lock_guard lock(mutex_);
  if (status.ok() || status.error_code() == grpc::StatusCode::NOT_FOUND) {
    Entry entry{status.ok() ? std::optional(response.recipient()) : std::nullopt, now};
    entries_[recipient_id] = entry;
    return entry.recipient;
  }
  if (auto found = entries_.find(recipient_id); found != entries_.end()) {
    log::warn("directory unavailable; using a cached recipient",
              {{"recipient_id", recipient_id}, {"code", static_cast<int>(status.error_code())}});
    return found->second.recipient;
  }
  throw kafka::DependencyUnavailable("routing's directory cannot be asked for recipient " + recipient_id + ": " +
                                     status.error_message());
}

}  // namespace pact::notification
