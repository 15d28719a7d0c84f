#include "rpc/status.h"

#include <grpcpp/support/error_details.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pact::rpc {
namespace {

grpc::Status with_detail(grpc::StatusCode code, const std::string& message, const google::protobuf::Message& detail) {
  google::rpc::Status status;
  status.set_code(code);
  status.set_message(message);
  status.add_details()->PackFrom(detail);
  grpc::Status out;
  grpc::SetErrorDetails(status, &out);
  return out;
}

google::rpc::RetryInfo retry_info(std::chrono::milliseconds delay) {
  google::rpc::RetryInfo info;
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(delay);
  info.mutable_retry_delay()->set_seconds(seconds.count());
  info.mutable_retry_delay()->set_nanos(static_cast<int>((delay - seconds).count() * 1'000'000));
  return info;
}

}  // namespace

grpc::Status invalid_argument(const std::string& message, const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  for (const auto& violation : violations) {
    auto* entry = bad_request.add_field_violations();
    entry->set_field(violation.field);
    entry->set_description(violation.description);
  }
  return with_detail(grpc::StatusCode::INVALID_ARGUMENT, message, bad_request);
}

grpc::Status resource_exhausted(const std::string& message, std::chrono::milliseconds retry_after) {
  return with_detail(grpc::StatusCode::RESOURCE_EXHAUSTED, message, retry_info(retry_after));
}

grpc::Status unavailable(const std::string& message, std::chrono::milliseconds retry_after) {
  return with_detail(grpc::StatusCode::UNAVAILABLE, message, retry_info(retry_after));
}

std::vector<FieldViolation> field_violations(const grpc::Status& status) {
  google::rpc::Status details;
  std::vector<FieldViolation> violations;
  if (!grpc::ExtractErrorDetails(status, &details).ok()) return violations;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.UnpackTo(&bad_request)) continue;
    for (const auto& entry : bad_request.field_violations()) violations.push_back({entry.field(), entry.description()});
  }
  return violations;
}

std::optional<std::chrono::milliseconds> retry_delay(const grpc::Status& status) {
  google::rpc::Status details;
  if (!grpc::ExtractErrorDetails(status, &details).ok()) return std::nullopt;
  for (const auto& any : details.details()) {
    google::rpc::RetryInfo info;
    if (any.UnpackTo(&info)) {
      return std::chrono::seconds(info.retry_delay().seconds()) +
             std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(info.retry_delay().nanos()));
    }
  }
  return std::nullopt;
}

}  // namespace pact::rpc
