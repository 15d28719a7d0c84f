#include <memory>
#include <thread>
#include <vector>

#include <grpcpp/create_channel.h>

#include "ack_page.h"
#include "ack_token.h"
#include "acknowledgements.h"
#include "channel_requests.h"
#include "circuit_breakers.h"
#include "delivery_planner.h"
#include "delivery_store.h"
#include "dispatcher.h"
#include "ids/ids.h"
#include "kafka/consumer.h"
#include "kafka/consumer_metrics.h"
#include "kafka/outbox_relay.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "log/logger.h"
#include "notification_service.h"
#include "notification_settings.h"
#include "pact/events/v1/notification_events.pb.h"
#include "recipient_directory.h"
#include "redis/redis_client.h"
#include "referral_event_handler.h"
#include "service/service_main.h"
#include "signing_secrets.h"
#include "transfer_engine.h"

namespace {

// The identity notification presents to routing's directory.
pact::rpc::Caller notification_identity() {
  return pact::rpc::service_caller("service:notification", "pact-hub", {"notification"});
}

// Wiring only: notification's parts, built from configuration, in dependency order. Each thread
// (consumer, dispatcher, outbox relay, gRPC and the ack page) has its own Redis connection.
class NotificationProcess : public pact::service::Service {
 public:
  void read_config(pact::config::ConfigTree& tree, const pact::config::PlatformConfig&) override {
    settings_ = pact::notification::read_notification_settings(tree);
  }

  void start(pact::service::Runtime& runtime) override {
    using namespace pact;
    using namespace pact::notification;
    const config::Hub& hub = runtime.platform.hub;
    const std::string worker = ids::instance_id("notification");
    auto store_on_own_connection = [&] {
      auto& redis = connections_.emplace_back(std::make_unique<redis::RedisClient>(runtime.platform.redis));
      return std::make_unique<DeliveryStore>(hub, *redis);
    };

    tokens_ = std::make_unique<AckTokens>(settings_.ack_key);
    directory_ = std::make_unique<RecipientDirectory>(
        runtime.calls.channel(settings_.directory_address), notification_identity(), runtime.calls,
        settings_.directory_refresh);
    planner_ = std::make_unique<DeliveryPlanner>(hub, *settings_.templates, *tokens_, settings_.ack_base_url);
    secrets_ = std::make_unique<SigningSecrets>(settings_.secrets_dir, std::chrono::seconds(30));
    requests_ = std::make_unique<ChannelRequests>(settings_, *secrets_);
    breakers_ = std::make_unique<CircuitBreakers>(settings_.delivery.circuit_failures, settings_.delivery.circuit_open_for);
    engine_ = std::make_unique<TransferEngine>(TransferEngine::Options{});

    dispatch_store_ = store_on_own_connection();
    dispatcher_ = std::make_unique<Dispatcher>(
        Dispatcher::Parts{hub, *dispatch_store_, *engine_, *requests_, *breakers_, *planner_, *directory_},
        settings_.delivery, worker);
    auto new_work = [this] { dispatcher_->wake(); };

    api_store_ = store_on_own_connection();
    acknowledgements_ = std::make_unique<Acknowledgements>(hub, *api_store_, *tokens_);
    service_ = std::make_unique<NotificationService>(runtime.gate, *api_store_, *acknowledgements_, *planner_,
                                                     *directory_, new_work);
    runtime.server.add_service(service_.get(), "pact.notification.v1.NotificationService");
    if (!settings_.ack_listen.empty()) {
      page_store_ = store_on_own_connection();
      page_acknowledgements_ = std::make_unique<Acknowledgements>(hub, *page_store_, *tokens_);
      page_ = std::make_unique<AckPage>(*page_acknowledgements_, settings_.ack_listen);
    }

    producer_ = std::make_unique<kafka::Producer>(runtime.platform.kafka, "notification");
    auto& relay_redis = connections_.emplace_back(std::make_unique<redis::RedisClient>(runtime.platform.redis));
    relay_ = std::make_unique<kafka::OutboxRelay>(
        hub,
        kafka::Outbox{.list_key = dispatch_store_->outbox_key(),
                      .lease_key = dispatch_store_->outbox_lease_key(),
                      .topic_base = std::string(kafka::topic::kNotification),
                      .service = "notification",
                      .envelope_type = &events::v1::NotificationEvent::default_instance()},
        *relay_redis, *producer_, worker, kafka::OutboxRelay::Options{});
    threads_.emplace_back([this] { relay_->run(); });
    threads_.emplace_back([this] { dispatcher_->run(); });
    if (!settings_.consume_events) return;

    // Several referral events of a case share one sequence; replays are harmless (deterministic
    // delivery ids, created once), so records are not skipped by sequence.
    kafka::ConsumerOptions options{.group = "notification", .topics = {std::string(kafka::topic::kReferral)}};
    options.deduplicate_by_sequence = false;
    auto consumer_metrics = std::make_shared<kafka::ConsumerMetrics>();
    for (std::size_t i = 0; i < settings_.consumer_threads; ++i) {
      auto& lane = *lanes_.emplace_back(std::make_unique<Lane>());
      lane.store = store_on_own_connection();
      lane.handler = std::make_unique<ReferralEventHandler>(*lane.store, *directory_, *planner_, new_work);
      auto& consumer_redis = connections_.emplace_back(std::make_unique<redis::RedisClient>(runtime.platform.redis));
      lane.consumer = std::make_unique<kafka::Consumer>(runtime.platform, options, *consumer_redis, *producer_, *lane.handler);
      consumer_metrics->watch(*lane.consumer, options.group);
      threads_.emplace_back([consumer = lane.consumer.get()] { consumer->run(); });
    }
    runtime.metrics.add_collectable(consumer_metrics);
  }

  // Also runs after a failed start, with whatever was built by then.
  void stop() override {
    for (auto& lane : lanes_) lane->consumer->stop();
    if (page_) page_->stop();
    if (dispatcher_) dispatcher_->stop();  // lets attempts in flight finish and records them
    if (relay_) relay_->stop();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    try {
      if (relay_) relay_->relay_once();  // the last reports, before leaving
    } catch (const std::exception& e) {
      // Nothing is lost: the outbox stays in Redis and the next start relays it.
      pact::log::warn("outbox not drained at stop", {{"error", e.what()}});
    }
    if (producer_) producer_->flush(std::chrono::seconds(10));
    if (engine_) engine_->stop();
  }

 private:
  pact::notification::NotificationSettings settings_;
  std::vector<std::unique_ptr<pact::redis::RedisClient>> connections_;
  std::unique_ptr<pact::notification::AckTokens> tokens_;
  std::unique_ptr<pact::notification::RecipientDirectory> directory_;
  std::unique_ptr<pact::notification::DeliveryPlanner> planner_;
  std::unique_ptr<pact::notification::SigningSecrets> secrets_;
  std::unique_ptr<pact::notification::ChannelRequests> requests_;
  std::unique_ptr<pact::notification::CircuitBreakers> breakers_;
  std::unique_ptr<pact::notification::TransferEngine> engine_;
  std::unique_ptr<pact::notification::DeliveryStore> dispatch_store_;
  std::unique_ptr<pact::notification::Dispatcher> dispatcher_;
  std::unique_ptr<pact::notification::DeliveryStore> api_store_;
  std::unique_ptr<pact::notification::Acknowledgements> acknowledgements_;
  std::unique_ptr<pact::notification::NotificationService> service_;
  std::unique_ptr<pact::notification::DeliveryStore> page_store_;
  std::unique_ptr<pact::notification::Acknowledgements> page_acknowledgements_;
  std::unique_ptr<pact::notification::AckPage> page_;
  std::unique_ptr<pact::kafka::Producer> producer_;
  std::unique_ptr<pact::kafka::OutboxRelay> relay_;
  // One Kafka consumer of referral events with its handler and store (its own Redis connections).
  struct Lane {
    std::unique_ptr<pact::notification::DeliveryStore> store;
    std::unique_ptr<pact::notification::ReferralEventHandler> handler;
    std::unique_ptr<pact::kafka::Consumer> consumer;
  };
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::vector<std::thread> threads_;
};

}  // namespace

int main(int argc, char** argv) {
  return pact::service::run_service(argc, argv, "notification", std::make_unique<NotificationProcess>());
}
