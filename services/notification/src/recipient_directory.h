#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <grpcpp/channel.h>

#include "pact/routing/v1/directory.grpc.pb.h"
#include "rpc/caller.h"
#include "security/client_identity.h"

namespace pact::notification {

// Every recipient — providers and coordination contacts alike — as routing's directory API gives
// it, cached for `refresh` so a surge asks routing once per recipient, not once per message. When
// routing cannot be asked, a cached entry is used however old (a provider's webhook rarely moves,
// and a message late is worse than one to last hour's address).
class RecipientDirectory {
 public:
  RecipientDirectory(std::shared_ptr<grpc::Channel> routing, rpc::Caller identity, security::ClientIdentity calls, std::chrono::milliseconds refresh,
                     std::chrono::milliseconds deadline = std::chrono::seconds(3));

  // The recipient; nullopt when the directory has no such recipient. Throws
  // kafka::DependencyUnavailable when routing cannot answer and nothing is cached.
  std::optional<routing::v1::Recipient> recipient(const std::string& recipient_id);

 private:
  struct Entry {
    std::optional<routing::v1::Recipient> recipient;
    std::chrono::steady_clock::time_point fetched_at;
  };

  std::unique_ptr<routing::v1::DirectoryService::Stub> stub_;
  rpc::Caller identity_;
  security::ClientIdentity calls_;
  std::chrono::milliseconds refresh_;
  std::chrono::milliseconds deadline_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace pact::notification
