#include <memory>
#include <thread>

#include "alert_publisher.h"
#include "console_auth.h"
#include "console_http.h"
#include "kafka/producer.h"
#include "kafka/topic_follower.h"
#include "kafka/topics.h"
#include "live_situation.h"
#include "log/logger.h"
#include "redis/redis_client.h"
#include "security/access_policy.h"
#include "security/token_verifier.h"
#include "service/service_main.h"
#include "situation_service.h"
#include "situation_settings.h"
#include "situation_snapshot.h"
#include "situation_ticker.h"

namespace {

// Wiring only: the situation read model's parts, in dependency order. It follows the case,
// screening and referral topics from its snapshot's positions (or from the beginning when there is
// none), serves the picture over gRPC and the console, and keeps its snapshot and alerts on one
// housekeeping thread.
class SituationProcess : public pact::service::Service {
 public:
  void read_config(pact::config::ConfigTree& tree, const pact::config::PlatformConfig& platform) override {
    settings_ = pact::situation::read_situation_settings(tree, platform.hub.prefix());
    console_tls_ = tree.boolean("situation.console.tls", platform.security.tls.enabled());
  }

  void start(pact::service::Runtime& runtime) override {
    using namespace pact;
    using namespace pact::situation;
    const config::PlatformConfig& platform = runtime.platform;
    const config::Hub& hub = platform.hub;

    redis_ = std::make_unique<redis::RedisClient>(platform.redis);
    snapshots_ = std::make_unique<SnapshotStore>(*redis_, hub);
    const auto snapshot = snapshots_->load();
    live_ = std::make_unique<LiveSituation>(settings_.view, snapshot);
    log::info(snapshot ? "situation resumes from its snapshot" : "situation rebuilds from the topics",
              {{"revision", live_->revision()}});

    follower_ = std::make_unique<kafka::TopicFollower>(
        platform.kafka, hub.prefix(),
        std::vector<std::string>{std::string(kafka::topic::kCase), std::string(kafka::topic::kScreening),
                                 std::string(kafka::topic::kReferral)},
        [live = live_.get()](const kafka::FollowedRecord& record) { live->apply(record); },
        kafka::TopicFollower::Options{.start_at = kafka::TopicFollower::StartAt::beginning,
                                      .resume = live_->positions(),
                                      .commit_group = hub.consumer_group("situation")});

    producer_ = std::make_unique<kafka::Producer>(platform.kafka, "situation");
    publisher_ = std::make_unique<KafkaAlertPublisher>(*producer_, hub.topic(kafka::topic::kAlert));
    ticker_ = std::make_unique<SituationTicker>(*live_, settings_, *snapshots_, *publisher_, follower_.get());

    service_ = std::make_unique<SituationService>(
        runtime.gate, *live_,
        SituationService::Streaming{settings_.push_interval, settings_.idle_push_interval, settings_.console_max_streams});
    runtime.server.add_service(service_.get(), "pact.situation.v1.SituationService");

    std::shared_ptr<const security::TokenVerifier> tokens;
    if (platform.security.tokens.enabled()) tokens = std::make_shared<const security::TokenVerifier>(platform.security.tokens);
    std::shared_ptr<const security::AccessPolicy> policy;
    if (!platform.security.policy_file.empty()) {
      policy = std::make_shared<const security::AccessPolicy>(security::AccessPolicy::from_file(platform.security.policy_file));
    }
    auth_ = std::make_unique<ConsoleAuthenticator>(platform.security.mode, tokens, policy, platform.jurisdictions);
    ConsoleHttp::Options console{.listen = settings_.console_listen,
                                 .static_dir = settings_.console_dir,
                                 .max_streams = settings_.console_max_streams,
                                 .secure_cookie = settings_.console_secure_cookie || console_tls_,
                                 .certificate_file = {},
                                 .private_key_file = {},
                                 .push_interval = settings_.push_interval,
                                 .idle_push_interval = settings_.idle_push_interval};
    if (console_tls_) {
      console.certificate_file = platform.security.tls.certificate_file;
      console.private_key_file = platform.security.tls.private_key_file;
    }
    console_ = std::make_unique<ConsoleHttp>(*live_, *auth_, console);
    console_->start();

    follower_->start();
    threads_.emplace_back([this] { ticker_->run(); });
  }

  void describe_ready(nlohmann::json& ready) const override {
    if (console_) ready["console_port"] = console_->port();
  }

  void stopping() override {
    if (live_) live_->close();
    if (service_) service_->stop();
  }

  // Also runs after a failed start, with whatever was built by then.
  void stop() override {
    stopping();
    if (console_) console_->stop();
    if (follower_) follower_->stop();
    if (ticker_) ticker_->stop();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    try {
      // The last state and positions, so a restart resumes exactly here.
      if (ticker_) ticker_->save_snapshot();
    } catch (const std::exception& e) {
      pact::log::warn("situation snapshot not saved at stop; the next start resumes from the previous one",
                      {{"error", e.what()}});
    }
    if (producer_) producer_->flush(std::chrono::seconds(5));
  }

 private:
  pact::situation::SituationSettings settings_;
  bool console_tls_ = false;
  std::unique_ptr<pact::redis::RedisClient> redis_;
  std::unique_ptr<pact::situation::SnapshotStore> snapshots_;
  std::unique_ptr<pact::situation::LiveSituation> live_;
  std::unique_ptr<pact::kafka::TopicFollower> follower_;
  std::unique_ptr<pact::kafka::Producer> producer_;
  std::unique_ptr<pact::situation::KafkaAlertPublisher> publisher_;
  std::unique_ptr<pact::situation::SituationTicker> ticker_;
  std::unique_ptr<pact::situation::SituationService> service_;
  std::unique_ptr<pact::situation::ConsoleAuthenticator> auth_;
  std::unique_ptr<pact::situation::ConsoleHttp> console_;
  std::vector<std::thread> threads_;
};

}  // namespace

int main(int argc, char** argv) {
  return pact::service::run_service(argc, argv, "situation", std::make_unique<SituationProcess>());
}
