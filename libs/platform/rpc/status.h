#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

namespace pact::rpc {

struct FieldViolation {
  std::string field;        // path in the request, e.g. "person.nationality.code"
  std::string description;  // what is wrong and what would be right; never echoes personal data
};

// INVALID_ARGUMENT with one google.rpc.BadRequest field violation per bad field.
grpc::Status invalid_argument(const std::string& message, const std::vector<FieldViolation>& violations);
// RESOURCE_EXHAUSTED with google.rpc.RetryInfo: shed load, try again after the delay.
grpc::Status resource_exhausted(const std::string& message, std::chrono::milliseconds retry_after);
// UNAVAILABLE with google.rpc.RetryInfo: a dependency (Kafka, Redis) is down; a retry with the same
// idempotency key completes the work.
grpc::Status unavailable(const std::string& message, std::chrono::milliseconds retry_after);

// Reads the details back (clients and tests).
std::vector<FieldViolation> field_violations(const grpc::Status& status);
std::optional<std::chrono::milliseconds> retry_delay(const grpc::Status& status);

}  // namespace pact::rpc
