#include <memory>
#include <thread>

#include "diagnostics/diagnostics_service.h"
#include "kafka/consumer.h"
#include "kafka/consumer_metrics.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "redis/redis_client.h"
#include "service/service_main.h"

namespace {

// Wiring of the diagnostics process: Echo (the load generator's baseline) and RoundTrip (the
// platform's end-to-end check through Kafka and Redis).
class DiagnosticsProcess : public pact::service::Service {
 public:
  void start(pact::service::Runtime& runtime) override {
    redis_ = std::make_unique<pact::redis::RedisClient>(runtime.platform.redis);
    producer_ = std::make_unique<pact::kafka::Producer>(runtime.platform.kafka, "diagnostics");
    service_ = std::make_unique<pact::diagnostics::DiagnosticsService>(runtime.platform, runtime.gate, *producer_);
    consumer_ = std::make_unique<pact::kafka::Consumer>(
        runtime.platform, pact::kafka::ConsumerOptions{.group = "diagnostics", .topics = {std::string(pact::kafka::topic::kDiagnostics)}},
        *redis_, *producer_, *service_);
    auto consumer_metrics = std::make_shared<pact::kafka::ConsumerMetrics>();
    consumer_metrics->watch(*consumer_, "diagnostics");
    runtime.metrics.add_collectable(consumer_metrics);
    consumer_thread_ = std::thread([this] { consumer_->run(); });
    runtime.server.add_service(service_.get(), "pact.diagnostics.v1.DiagnosticsService");
  }

  // Also runs after a failed start, with whatever was built by then.
  void stop() override {
    if (consumer_) consumer_->stop();
    if (consumer_thread_.joinable()) consumer_thread_.join();
    if (service_) service_->abandon_waiting_calls();
  }

 private:
  std::unique_ptr<pact::redis::RedisClient> redis_;
  std::unique_ptr<pact::kafka::Producer> producer_;
  std::unique_ptr<pact::diagnostics::DiagnosticsService> service_;
  std::unique_ptr<pact::kafka::Consumer> consumer_;
  std::thread consumer_thread_;
};

}  // namespace

int main(int argc, char** argv) {
  return pact::service::run_service(argc, argv, "diagnostics", std::make_unique<DiagnosticsProcess>());
}
