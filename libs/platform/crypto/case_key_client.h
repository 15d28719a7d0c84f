#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <grpcpp/channel.h>

#include "crypto/secret_key.h"
#include "pact/common/v1/common.pb.h"
#include "pact/intake/v1/intake.grpc.pb.h"
#include "rpc/caller.h"
#include "security/client_identity.h"

namespace pact::crypto {

// Intake did not release the key now (unreachable, overloaded, too slow, misconfigured): try later.
class CaseKeyUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Fetches case data keys from intake (ReleaseCaseKey, audited there) for a service that reads or
// writes a case's encrypted parts (DESIGN.md "Data protection"), and keeps them in memory only for
// the time intake allows, so that an erasure takes effect everywhere within that time.
class CaseKeyClient {
 public:
  struct Options {
    common::v1::AccessPurpose purpose = common::v1::ACCESS_PURPOSE_UNSPECIFIED;
    std::chrono::milliseconds deadline{2000};
    std::size_t max_cached_cases = 10000;
  };

  CaseKeyClient(std::shared_ptr<grpc::Channel> intake, rpc::Caller service_identity, security::ClientIdentity calls,
                Options options);

  // The key of this version; nullopt when the case has no key any more (erased: its data is gone
  // for good). Throws CaseKeyUnavailable when intake does not release it now, whatever the reason
  // (down, overloaded, a permission or key misconfigured): none of them is the case's fault.
  std::optional<SecretKey> key(const std::string& case_id, std::uint32_t key_version,
                               const std::string& purpose_reference);

  // Drops a cached key (after the case was erased).
  void forget(const std::string& case_id);

 private:
  struct Cached {
    std::vector<std::pair<std::uint32_t, SecretKey>> keys;
    std::chrono::steady_clock::time_point expires;
  };
  void remember(const std::string& case_id, Cached cached);

  std::unique_ptr<intake::v1::IntakeService::Stub> stub_;
  rpc::Caller identity_;
  security::ClientIdentity calls_;
  Options options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace pact::crypto
