#include "rpc/status.h"

#include <gtest/gtest.h>

#include "config/platform_config.h"
#include "rpc/authenticator.h"

namespace pact::rpc {
namespace {

TEST(RpcStatus, InvalidArgumentCarriesOneViolationPerField) {
  grpc::Status status = invalid_argument("registration is invalid", {{"person.nationality.code", "not ISO 3166"},
                                                                     {"reporter.sector", "is required"}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "registration is invalid");
  auto violations = field_violations(status);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "person.nationality.code");
  EXPECT_EQ(violations[1].description, "is required");
}

TEST(RpcStatus, SheddingLoadCarriesRetryInfo) {
  grpc::Status status = resource_exhausted("busy", std::chrono::milliseconds(1500));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(retry_delay(status), std::chrono::milliseconds(1500));
  grpc::Status down = unavailable("kafka down", std::chrono::seconds(2));
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(retry_delay(down), std::chrono::milliseconds(2000));
}

TEST(RpcStatus, PlainStatusHasNoDetails) {
  grpc::Status status(grpc::StatusCode::NOT_FOUND, "no such case");
  EXPECT_TRUE(field_violations(status).empty());
  EXPECT_FALSE(retry_delay(status));
}

TEST(DevelopmentAuthenticator, IsRefusedOutsideDevelopmentMode) {
  EXPECT_THROW(DevelopmentAuthenticator(config::SecurityMode::production), std::logic_error);
  EXPECT_NO_THROW(DevelopmentAuthenticator(config::SecurityMode::development));
}

}  // namespace
}  // namespace pact::rpc
