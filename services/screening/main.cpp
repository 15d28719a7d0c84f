#include <memory>
#include <thread>
#include <vector>

#include <grpcpp/create_channel.h>

#include "assessment_handler.h"
#include "assessment_store.h"
#include "crypto/case_key_client.h"
#include "kafka/consumer.h"
#include "kafka/consumer_metrics.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "redis/redis_client.h"
#include "redis/redis_pool.h"
#include "screener.h"
#include "screening_service.h"
#include "screening_settings.h"
#include "service/service_main.h"

namespace {

// The identity screening presents to intake when it asks for a case key (audited there).
pact::rpc::Caller screening_identity() {
  return pact::rpc::service_caller("service:screening", "pact-hub", {"screening"});
}

// Wiring only: the screening service's parts, built from configuration, in dependency order.
class ScreeningProcess : public pact::service::Service {
 public:
  void read_config(pact::config::ConfigTree& tree, const pact::config::PlatformConfig&) override {
    settings_ = pact::screening::read_screening_settings(tree);
  }

  void start(pact::service::Runtime& runtime) override {
    using namespace pact;
    const config::Hub& hub = runtime.platform.hub;
    screener_ = std::make_unique<screening::Screener>(settings_.catalogues, settings_.phrases,
                                                      settings_.max_follow_up_questions);
    redis_pool_ = std::make_unique<redis::RedisPool>(runtime.platform.redis, settings_.redis_connections);
    keys_ = std::make_unique<crypto::CaseKeyClient>(
        runtime.calls.channel(settings_.intake_address), screening_identity(), runtime.calls,
        crypto::CaseKeyClient::Options{.purpose = common::v1::ACCESS_PURPOSE_SCREENING,
                                       .deadline = settings_.key_release_timeout,
                                       .max_cached_cases = settings_.key_cache_cases});
    store_ = std::make_unique<screening::AssessmentStore>(hub);
    // Each assessment waits for its delivery report before the consumer moves on, so the producer
    // sends at once instead of lingering for a batch that a waiting consumer never fills.
    config::KafkaSettings events = runtime.platform.kafka;
    events.properties.emplace("linger.ms", "0");
    producer_ = std::make_unique<kafka::Producer>(events, "screening");
    audit_ = std::make_unique<audit::AuditTrail>(*producer_, hub, "screening");
    service_ = std::make_unique<screening::ScreeningService>(runtime.gate, *screener_, *store_, *redis_pool_, *keys_,
                                                             *audit_);
    runtime.server.add_service(service_.get(), "pact.screening.v1.ScreeningService");
    if (!settings_.consume_case_events) return;

    auto consumer_metrics = std::make_shared<kafka::ConsumerMetrics>();
    for (std::size_t i = 0; i < settings_.consumer_threads; ++i) {
      auto& lane = lanes_.emplace_back(std::make_unique<ConsumerLane>());
      lane->redis = std::make_unique<redis::RedisClient>(runtime.platform.redis);
      lane->handler = std::make_unique<screening::AssessmentHandler>(hub, *screener_, *keys_, *producer_, *lane->redis,
                                                                     *store_);
      lane->consumer = std::make_unique<kafka::Consumer>(
          runtime.platform, kafka::ConsumerOptions{.group = "screening", .topics = {std::string(kafka::topic::kCase)}},
          *lane->redis, *producer_, *lane->handler);
      consumer_metrics->watch(*lane->consumer, "screening");
      lane->thread = std::thread([consumer = lane->consumer.get()] { consumer->run(); });
    }
    runtime.metrics.add_collectable(consumer_metrics);
  }

  // Also runs after a failed start, with whatever was built by then.
  void stop() override {
    for (auto& lane : lanes_) lane->consumer->stop();
    for (auto& lane : lanes_) {
      if (lane->thread.joinable()) lane->thread.join();
    }
    if (producer_) producer_->flush(std::chrono::seconds(10));
  }

 private:
  pact::screening::ScreeningSettings settings_;
  std::unique_ptr<pact::screening::Screener> screener_;
  std::unique_ptr<pact::redis::RedisPool> redis_pool_;
  std::unique_ptr<pact::crypto::CaseKeyClient> keys_;
  std::unique_ptr<pact::screening::AssessmentStore> store_;
  std::unique_ptr<pact::screening::ScreeningService> service_;
  // One consumer with its own Redis connection and handler per thread.
  struct ConsumerLane {
    std::unique_ptr<pact::redis::RedisClient> redis;
    std::unique_ptr<pact::screening::AssessmentHandler> handler;
    std::unique_ptr<pact::kafka::Consumer> consumer;
    std::thread thread;
  };
  std::unique_ptr<pact::kafka::Producer> producer_;
  std::unique_ptr<pact::audit::AuditTrail> audit_;
  std::vector<std::unique_ptr<ConsumerLane>> lanes_;
};

}  // namespace

int main(int argc, char** argv) {
  return pact::service::run_service(argc, argv, "screening", std::make_unique<ScreeningProcess>());
}
