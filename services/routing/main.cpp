#include <memory>
#include <thread>
#include <vector>

#include <grpcpp/create_channel.h>

#include "case_updater.h"
#include "crypto/case_key_client.h"
#include "deadline_scheduler.h"
#include "directory_seed.h"
#include "directory_service.h"
#include "directory_store.h"
#include "handoff_inbox.h"
#include "handoff_sender.h"
#include "handoff_service.h"
#include "intake_gateway.h"
#include "ids/ids.h"
#include "kafka/consumer.h"
#include "kafka/consumer_metrics.h"
#include "kafka/outbox_relay.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "log/logger.h"
#include "pact/events/v1/referral_events.pb.h"
#include "redis/redis_client.h"
#include "routing_service.h"
#include "routing_settings.h"
#include "routing_store.h"
#include "screening_event_handler.h"
#include "service/service_main.h"

namespace {

// The identity routing presents to intake when it asks for a case key (audited there).
pact::rpc::Caller routing_identity() { return pact::rpc::service_caller("service:routing", "pact-hub", {"routing"}); }

std::chrono::system_clock::time_point wall_clock() { return std::chrono::system_clock::now(); }

// Wiring only: the routing service's parts, built from configuration, in dependency order. Each
// thread (consumer lanes, gRPC, timers, outbox) has its own Redis connection.
class RoutingProcess : public pact::service::Service {
 public:
  void read_config(pact::config::ConfigTree& tree, const pact::config::PlatformConfig& platform) override {
    settings_ = pact::routing::read_routing_settings(tree, platform.jurisdictions);
    settings_.handoffs.hub = platform.hub.prefix();
  }

  void start(pact::service::Runtime& runtime) override {
    using namespace pact;
    const config::Hub& hub = runtime.platform.hub;
    auto part = [&] { return std::make_unique<Part>(hub, runtime.platform.redis); };
    directory_redis_ = std::make_unique<redis::RedisClient>(runtime.platform.redis);
    directory_store_ = std::make_unique<routing::DirectoryStore>(hub, *directory_redis_);
    if (!settings_.directory_file.empty()) {
      if (auto seeded = routing::seed_directory_if_empty(*directory_store_, settings_.directory_file)) {
        log::info("directory seeded", {{"file", settings_.directory_file}, {"services", std::to_string(seeded)}});
      }
    }
    directory_cache_ = std::make_unique<routing::DirectoryCache>(*directory_store_, settings_.directory_refresh);
    keys_ = std::make_unique<crypto::CaseKeyClient>(
        runtime.calls.channel(settings_.intake_address), routing_identity(), runtime.calls,
        crypto::CaseKeyClient::Options{.purpose = common::v1::ACCESS_PURPOSE_REFERRAL_ROUTING,
                                       .deadline = settings_.key_release_timeout,
                                       .max_cached_cases = settings_.key_cache_cases});
    auto updater = [&](Part& p) {
      p.updater = std::make_unique<routing::CaseUpdater>(*settings_.sop, *directory_cache_, *p.store, settings_.deadline_profile,
                                                         hub.prefix(), wall_clock, &settings_.handoffs);
    };

    api_ = part();
    updater(*api_);
    producer_ = std::make_unique<kafka::Producer>(runtime.platform.kafka, "routing");
    audit_ = std::make_unique<audit::AuditTrail>(*producer_, hub, "routing");
    routing_service_ = std::make_unique<routing::RoutingService>(runtime.gate, *api_->updater, *api_->store, *keys_, *audit_,
                                                                 settings_.max_exception_days);
    directory_service_ = std::make_unique<routing::DirectoryService>(runtime.gate, *directory_store_, *directory_cache_,
                                                                     *api_->store, hub.prefix());
    intake_channel_ = runtime.calls.channel(settings_.intake_address);
    intake_gateway_ = std::make_unique<routing::IntakeGateway>(intake_channel_, std::chrono::seconds(10), runtime.calls);
    inbox_ = std::make_unique<routing::HandoffInbox>(hub, *api_->redis);
    handoff_service_ = std::make_unique<routing::HandoffService>(runtime.gate, *api_->updater, *api_->store, *inbox_,
                                                                 *intake_gateway_, settings_.handoffs);
    runtime.server.add_service(routing_service_.get(), "pact.routing.v1.RoutingService");
    runtime.server.add_service(handoff_service_.get(), "pact.routing.v1.HandoffService");
    runtime.server.add_service(directory_service_.get(), "pact.routing.v1.DirectoryService");

    relay_part_ = part();
    kafka::Outbox outbox{.list_key = relay_part_->store->key("outbox"),
                         .lease_key = relay_part_->store->key("outbox-lease"),
                         .topic_base = std::string(kafka::topic::kReferral),
                         .service = "routing",
                         .envelope_type = &events::v1::ReferralEvent::default_instance()};
    relay_ = std::make_unique<kafka::OutboxRelay>(hub, std::move(outbox), *relay_part_->redis, *producer_,
                                                  ids::instance_id("routing"), kafka::OutboxRelay::Options{});
    threads_.emplace_back([this] { relay_->run(); });
    timer_part_ = part();
    updater(*timer_part_);
    scheduler_ = std::make_unique<routing::DeadlineScheduler>(*timer_part_->updater, *timer_part_->store, settings_.deadline_tick);
    threads_.emplace_back([this] { scheduler_->run(); });
    handoff_part_ = part();
    updater(*handoff_part_);
    sender_ = std::make_unique<routing::HandoffSender>(*handoff_part_->updater, *handoff_part_->store, *keys_, settings_.handoffs,
                                                       settings_.handoff_retry, runtime.calls);
    threads_.emplace_back([this] { sender_->run(); });
    if (!settings_.consume_events) return;

    auto consumer_metrics = std::make_shared<kafka::ConsumerMetrics>();
    for (std::size_t i = 0; i < settings_.consumer_threads + 1; ++i) {
      const bool reports = i == settings_.consumer_threads;  // the last lane reads delivery reports
      auto& lane = lanes_.emplace_back(part());
      updater(*lane);
      if (reports) lane->handler = std::make_unique<routing::NotificationEventHandler>(*lane->updater);
      else lane->handler = std::make_unique<routing::ScreeningEventHandler>(*lane->updater, keys_.get());
      kafka::ConsumerOptions options{.group = reports ? "routing-reports" : "routing",
                                     .topics = {std::string(reports ? kafka::topic::kNotification : kafka::topic::kScreening)}};
      options.deduplicate_by_sequence = !reports;
      lane->consumer = std::make_unique<kafka::Consumer>(runtime.platform, options, *lane->redis, *producer_, *lane->handler);
      consumer_metrics->watch(*lane->consumer, options.group);
      threads_.emplace_back([consumer = lane->consumer.get()] { consumer->run(); });
    }
    runtime.metrics.add_collectable(consumer_metrics);
  }

  // Also runs after a failed start, with whatever was built by then.
  void stop() override {
    for (auto& lane : lanes_) lane->consumer->stop();
    if (scheduler_) scheduler_->stop();
    if (sender_) sender_->stop();
    if (relay_) relay_->stop();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    try {
      if (relay_) relay_->relay_once();  // what the last changes wrote, before leaving
    } catch (const std::exception& e) {
      // Nothing is lost: the outbox stays in Redis and the next start relays it.
      pact::log::warn("outbox not drained at stop", {{"error", e.what()}});
    }
    if (producer_) producer_->flush(std::chrono::seconds(10));
  }

 private:
  // One Redis connection with the stores and the updater that use it.
  struct Part {
    Part(const pact::config::Hub& hub, const pact::redis::RedisEndpoint& endpoint)
        : redis(std::make_unique<pact::redis::RedisClient>(endpoint)),
          store(std::make_unique<pact::routing::RoutingStore>(hub, *redis)) {}
    std::unique_ptr<pact::redis::RedisClient> redis;
    std::unique_ptr<pact::routing::RoutingStore> store;
    std::unique_ptr<pact::routing::CaseUpdater> updater;
    std::unique_ptr<pact::kafka::RecordHandler> handler;
    std::unique_ptr<pact::kafka::Consumer> consumer;
  };

  pact::routing::RoutingSettings settings_;
  std::unique_ptr<pact::redis::RedisClient> directory_redis_;
  std::unique_ptr<pact::routing::DirectoryStore> directory_store_;
  std::unique_ptr<pact::routing::DirectoryCache> directory_cache_;
  std::unique_ptr<pact::crypto::CaseKeyClient> keys_;
  std::unique_ptr<Part> api_;
  std::unique_ptr<pact::routing::RoutingService> routing_service_;
  std::unique_ptr<pact::routing::DirectoryService> directory_service_;
  std::unique_ptr<pact::kafka::Producer> producer_;
  std::unique_ptr<pact::audit::AuditTrail> audit_;
  std::unique_ptr<Part> relay_part_;
  std::unique_ptr<pact::kafka::OutboxRelay> relay_;
  std::unique_ptr<Part> timer_part_;
  std::unique_ptr<pact::routing::DeadlineScheduler> scheduler_;
  std::shared_ptr<grpc::Channel> intake_channel_;
  std::unique_ptr<pact::routing::IntakeGateway> intake_gateway_;
  std::unique_ptr<pact::routing::HandoffInbox> inbox_;
  std::unique_ptr<pact::routing::HandoffService> handoff_service_;
  std::unique_ptr<Part> handoff_part_;
  std::unique_ptr<pact::routing::HandoffSender> sender_;
  std::vector<std::unique_ptr<Part>> lanes_;
  std::vector<std::thread> threads_;
};

}  // namespace

int main(int argc, char** argv) {
  return pact::service::run_service(argc, argv, "routing", std::make_unique<RoutingProcess>());
}
