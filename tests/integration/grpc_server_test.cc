#include <gtest/gtest.h>

#include <prometheus/text_serializer.h>

#include <thread>

#include "diagnostics/diagnostics_service.h"
#include "exec/bounded_executor.h"
#include "kafka/consumer.h"
#include "kafka/consumer_metrics.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "rpc/authenticator.h"
#include "rpc/call_gate.h"
#include "rpc/health_probe.h"
#include "rpc/server_host.h"
#include "support/infrastructure.h"
#include "support/reflection_probe.h"

namespace pact::testing {
namespace {

using diagnostics::v1::DiagnosticsService;

rpc::Caller frontline() {
  rpc::Caller caller;
  caller.subject = "worker-17";
  caller.organisation = "crc-nis";
  caller.roles = {"frontline"};
  caller.jurisdictions = {"RS"};
  return caller;
}

// A real in-process gRPC server (the diagnostics service on the platform's ServerHost, with its
// Kafka consumer), called through real clients.
class GrpcServer : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    platform_ = Infrastructure::instance().new_hub("grpc");
    redis_ = std::make_unique<redis::RedisClient>(platform_.redis);
    producer_ = std::make_unique<kafka::Producer>(platform_.kafka, "grpc-test");
    executor_ = std::make_unique<exec::BoundedExecutor>("grpc-test", 2, 16);
    registry_ = std::make_shared<prometheus::Registry>();
    gate_ = std::make_unique<rpc::CallGate>(std::make_shared<rpc::DevelopmentAuthenticator>(platform_.security.mode), *executor_,
                                            std::make_shared<rpc::CallMetrics>(*registry_));
    service_ = std::make_unique<diagnostics::DiagnosticsService>(platform_, *gate_, *producer_);
    consumer_ = std::make_unique<kafka::Consumer>(
        platform_, kafka::ConsumerOptions{.group = "diagnostics", .topics = {std::string(kafka::topic::kDiagnostics)}},
        *redis_, *producer_, *service_);
    consuming_ = std::thread([this] { consumer_->run(); });
    host_ = std::make_unique<rpc::ServerHost>(rpc::ServerHostOptions{});
    host_->add_service(service_.get(), "pact.diagnostics.v1.DiagnosticsService");
    host_->start();
    stub_ = DiagnosticsService::NewStub(grpc::CreateChannel(address(), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (host_) host_->shutdown();
    if (consumer_) consumer_->stop();
    if (consuming_.joinable()) consuming_.join();
  }

  std::string address() const { return "127.0.0.1:" + std::to_string(host_->port()); }
  std::string health_address() const { return "127.0.0.1:" + std::to_string(host_->health_port()); }

  config::PlatformConfig platform_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<exec::BoundedExecutor> executor_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<rpc::CallGate> gate_;
  std::unique_ptr<diagnostics::DiagnosticsService> service_;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::thread consuming_;
  std::unique_ptr<rpc::ServerHost> host_;
  std::unique_ptr<DiagnosticsService::Stub> stub_;
};

TEST_F(GrpcServer, HealthIsServedOnBothPortsAndMirrored) {
  EXPECT_EQ(rpc::check_health(address()).status, rpc::HealthStatus::serving);
  EXPECT_EQ(rpc::check_health(health_address()).status, rpc::HealthStatus::serving);
  EXPECT_EQ(rpc::check_health(health_address(), "pact.diagnostics.v1.DiagnosticsService").status,
            rpc::HealthStatus::serving);
  host_->set_serving(false);
  EXPECT_EQ(rpc::check_health(address()).status, rpc::HealthStatus::not_serving);
  EXPECT_EQ(rpc::check_health(health_address()).status, rpc::HealthStatus::not_serving);
  host_->set_serving(true);
  EXPECT_EQ(rpc::check_health(health_address()).status, rpc::HealthStatus::serving);
}

TEST_F(GrpcServer, ReflectionListsServicesOnTheMainPortOnly) {
  ReflectionAnswer main = list_services(address());
  ASSERT_TRUE(main.status.ok()) << main.status.error_message();
  EXPECT_NE(main.raw_response.find("pact.diagnostics.v1.DiagnosticsService"), std::string::npos);
  EXPECT_NE(main.raw_response.find("grpc.health.v1.Health"), std::string::npos);
  ReflectionAnswer health_port = list_services(health_address());
  EXPECT_EQ(health_port.status.error_code(), grpc::StatusCode::UNIMPLEMENTED)
      << "the plaintext probe port serves health and nothing else";
}

TEST_F(GrpcServer, TheHealthPortServesNoApi) {
  auto stub = DiagnosticsService::NewStub(grpc::CreateChannel(health_address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  rpc::attach_development_identity(context, frontline());
  diagnostics::v1::EchoRequest request;
  diagnostics::v1::EchoResponse response;
  EXPECT_EQ(stub->Echo(&context, request, &response).error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(GrpcServer, CallsWithoutAnIdentityAreRefusedBeforeAnyHandlerRuns) {
  grpc::ClientContext context;
  diagnostics::v1::EchoRequest request;
  request.set_payload("hello");
  diagnostics::v1::EchoResponse response;
  grpc::Status status = stub_->Echo(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(response.payload().empty());
}

TEST_F(GrpcServer, EchoAnswersWithTheSamePayload) {
  grpc::ClientContext context;
  rpc::attach_development_identity(context, frontline());
  diagnostics::v1::EchoRequest request;
  request.set_payload(std::string(300, 'p'));
  diagnostics::v1::EchoResponse response;
  ASSERT_TRUE(stub_->Echo(&context, request, &response).ok());
  EXPECT_EQ(response.payload(), request.payload());
}

TEST_F(GrpcServer, RoundTripTravelsThroughKafkaAndRedisAndBack) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  rpc::attach_development_identity(context, frontline());
  diagnostics::v1::RoundTripRequest request;
  request.set_probe_id("probe-1");
  request.set_payload("ping");
  diagnostics::v1::RoundTripResponse response;
  grpc::Status status = stub_->RoundTrip(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.consumed());
  EXPECT_EQ(response.topic(), platform_.hub.topic(kafka::topic::kDiagnostics));
  EXPECT_EQ(redis_->command({"GET", platform_.hub.redis_key({"diagnostics", "probe", "probe-1"})}).as_integer(),
            response.offset());
}

TEST_F(GrpcServer, CallsAndConsumedRecordsAreCountedForPrometheus) {
  kafka::ConsumerMetrics consumer_metrics;
  consumer_metrics.watch(*consumer_, "diagnostics");
  for (const char* probe : {"count-1", "count-2"}) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    rpc::attach_development_identity(context, frontline());
    diagnostics::v1::RoundTripRequest request;
    request.set_probe_id(probe);
    diagnostics::v1::RoundTripResponse response;
    ASSERT_TRUE(stub_->RoundTrip(&context, request, &response).ok());
  }
  grpc::ClientContext refused;
  diagnostics::v1::EchoRequest echo;
  diagnostics::v1::EchoResponse echoed;
  stub_->Echo(&refused, echo, &echoed);
  prometheus::TextSerializer serializer;
  const std::string calls = serializer.Serialize(registry_->Collect());
  EXPECT_NE(calls.find("pact_grpc_server_handled_total{code=\"OK\",method=\"RoundTrip\"} 2"), std::string::npos) << calls;
  EXPECT_NE(calls.find("pact_grpc_server_handled_total{code=\"UNAUTHENTICATED\",method=\"Echo\"} 1"), std::string::npos)
      << calls;
  const std::string records = serializer.Serialize(consumer_metrics.Collect());
  EXPECT_NE(records.find("pact_consumer_records_total{group=\"diagnostics\",outcome=\"applied\"} 2"), std::string::npos)
      << records;
}

TEST_F(GrpcServer, BadInputGetsFieldViolations) {
  grpc::ClientContext context;
  rpc::attach_development_identity(context, frontline());
  diagnostics::v1::RoundTripRequest request;  // no probe id
  diagnostics::v1::RoundTripResponse response;
  grpc::Status status = stub_->RoundTrip(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto violations = rpc::field_violations(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "probe_id");
}

}  // namespace
}  // namespace pact::testing

namespace pact::testing {
namespace {

// A channel's state after it has been connected for `connected_for`.
grpc_connectivity_state state_after(const rpc::ServerHostOptions& options, std::chrono::milliseconds connected_for) {
  rpc::ServerHost host(options);
  host.start();
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(host.port()), grpc::InsecureChannelCredentials());
  EXPECT_TRUE(channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5)));
  std::this_thread::sleep_for(connected_for);
  grpc_connectivity_state state = channel->GetState(false);
  host.shutdown();
  return state;
}

// Replicas added behind a Kubernetes Service during a surge get calls only from new connections:
// with grpc.max_connection_age the server closes old ones, so clients reconnect and spread.
TEST(ServerHostConnectionAge, AnAgedConnectionIsClosedSoTheClientReconnectsElsewhere) {
  rpc::ServerHostOptions aged;
  aged.max_connection_age = std::chrono::milliseconds(300);
  aged.drain_timeout = std::chrono::milliseconds(200);
  EXPECT_NE(state_after(aged, std::chrono::seconds(2)), GRPC_CHANNEL_READY) << "the server sent GOAWAY";
  EXPECT_EQ(state_after(rpc::ServerHostOptions{}, std::chrono::seconds(2)), GRPC_CHANNEL_READY)
      << "without an age the connection stays";
}

}  // namespace
}  // namespace pact::testing
