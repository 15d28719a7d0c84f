#include "crypto/case_key_client.h"

#include <google/protobuf/util/time_util.h>
#include <grpcpp/client_context.h>

#include "rpc/authenticator.h"

namespace pact::crypto {

CaseKeyClient::CaseKeyClient(std::shared_ptr<grpc::Channel> intake, rpc::Caller service_identity,
                             security::ClientIdentity calls, Options options)
    : stub_(intake::v1::IntakeService::NewStub(std::move(intake))),
      identity_(std::move(service_identity)),
      calls_(std::move(calls)),
      options_(options) {}

std::optional<SecretKey> CaseKeyClient::key(const std::string& case_id, std::uint32_t key_version,
                                            const std::string& purpose_reference) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (auto found = cache_.find(case_id); found != cache_.end() && found->second.expires > now) {
      for (const auto& [version, key] : found->second.keys) {
        if (version == key_version) return key;
      }
    }
  }
  intake::v1::ReleaseCaseKeyRequest request;
  request.set_case_id(case_id);
  request.set_purpose(options_.purpose);
  request.set_purpose_reference(purpose_reference);
  intake::v1::ReleaseCaseKeyResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options_.deadline);
  calls_.identify(context, identity_);
  grpc::Status status = stub_->ReleaseCaseKey(&context, request, &response);
  switch (status.error_code()) {
    case grpc::StatusCode::OK: break;
    case grpc::StatusCode::NOT_FOUND: return std::nullopt;
    case grpc::StatusCode::INVALID_ARGUMENT:
      throw std::runtime_error("intake refused the key request as invalid: " + status.error_message());
    default:
      // Unreachable, overloaded, or refusing for a reason that is not the case's (a permission or
      // key misconfigured, a rolling deploy): the caller waits and retries rather than give up on
      // the case. Operators see the code in the logs.
      throw CaseKeyUnavailable("intake did not release the case key (code " + std::to_string(status.error_code()) +
                               "): " + status.error_message());
  }
  Cached cached;
  cached.expires = now + std::chrono::milliseconds(
                             google::protobuf::util::TimeUtil::DurationToMilliseconds(response.cache_ttl()));
  std::optional<SecretKey> wanted;
  for (const auto& released : response.keys()) {
    SecretKey key = SecretKey::from_bytes(released.key());
    if (released.key_version() == key_version) wanted = key;
    cached.keys.emplace_back(released.key_version(), std::move(key));
  }
  remember(case_id, std::move(cached));
  return wanted;
}

void CaseKeyClient::remember(const std::string& case_id, Cached cached) {
  std::lock_guard lock(mutex_);
  if (cache_.size() >= options_.max_cached_cases) {
    // Bounded memory: drop what has expired; if that is not enough, start afresh (keys are refetched).
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(cache_, [now](const auto& entry) { return entry.second.expires <= now; });
    if (cache_.size() >= options_.max_cached_cases) cache_.clear();
  }
  cache_[case_id] = std::move(cached);
}

void CaseKeyClient::forget(const std::string& case_id) {
  std::lock_guard lock(mutex_);
  cache_.erase(case_id);
}

}  // namespace pact::crypto
