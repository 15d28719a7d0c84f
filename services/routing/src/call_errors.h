#pragma once

#include <chrono>
#include <stdexcept>

#include <grpcpp/support/status.h>

#include "crypto/case_key_client.h"
#include "redis/redis_value.h"
#include "rpc/status.h"

namespace pact::routing {

// Thrown by CaseUpdater when a case keeps changing under it: the caller may simply retry.
class CaseContended : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs a handler body, mapping what it waits on to the codes clients retry on (UNAVAILABLE or
// ABORTED with RetryInfo) instead of INTERNAL. Every routing handler goes through it.
template <class Body>
grpc::Status with_retryable_errors(Body&& body) {
  try {
    return body();
  } catch (const redis::RedisUnavailable&) {
    return rpc::unavailable("routing's store is unavailable; try again", std::chrono::seconds(1));
  } catch (const crypto::CaseKeyUnavailable&) {
    return rpc::unavailable("the case key cannot be fetched from intake now; try again", std::chrono::seconds(1));
  } catch (const CaseContended& e) {
    return grpc::Status(grpc::StatusCode::ABORTED, e.what());
  }
}

}  // namespace pact::routing
