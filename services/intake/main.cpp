#include <memory>
#include <thread>

#include <grpcpp/create_channel.h>

#include "case_editor.h"
#include "case_journal.h"
#include "case_reader.h"
#include "case_store.h"
#include "guidance_source.h"
#include "intake_service.h"
#include "intake_settings.h"
#include "kafka/producer.h"
#include "redis/append_only_rewriter.h"
#include "redis/redis_pool.h"
#include "registrar.h"
#include "retention_sweeper.h"
#include "service/service_main.h"

namespace {

// The identity intake presents to screening when it asks for guidance on a person's behalf.
pact::rpc::Caller intake_identity() { return pact::rpc::service_caller("service:intake", "pact-hub", {"intake"}); }

// Wiring only: the intake service's parts, built from configuration, in dependency order.
class IntakeProcess : public pact::service::Service {
 public:
  void read_config(pact::config::ConfigTree& tree, const pact::config::PlatformConfig&) override {
    settings_ = pact::intake::read_intake_settings(tree);
  }

  void start(pact::service::Runtime& runtime) override {
    using namespace pact;
    const config::Hub& hub = runtime.platform.hub;
    redis_ = std::make_unique<redis::RedisPool>(runtime.platform.redis, settings_.redis_connections);
    producer_ = std::make_unique<kafka::Producer>(runtime.platform.kafka, "intake");
    key_wrapper_ = std::make_unique<crypto::KeyWrapper>(settings_.master_key);
    ids_ = std::make_unique<ids::IdMinter>(settings_.id_key);
    fingerprints_ = std::make_unique<crypto::KeyedHasher>(settings_.id_key);
    blind_index_ = std::make_unique<intake::BlindIndexer>(settings_.blind_index_key);
    store_ = std::make_unique<intake::CaseStore>(*redis_, hub);
    journal_ = std::make_unique<intake::CaseJournal>(hub, "intake", *store_, *producer_);
    if (settings_.screening_address.empty()) {
      guidance_ = std::make_unique<intake::NoGuidance>();
    } else {
      guidance_ = std::make_unique<intake::ScreeningClient>(
          runtime.calls.channel(settings_.screening_address), settings_.screening_deadline, intake_identity(),
          runtime.calls);
    }
    registrar_ = std::make_unique<intake::Registrar>(hub, *store_, *journal_, *key_wrapper_, *ids_, *blind_index_,
                                                     *fingerprints_, *guidance_);
    rewriter_ = std::make_unique<redis::AppendOnlyRewriter>(runtime.platform.redis);
    editor_ = std::make_unique<intake::CaseEditor>(hub, *store_, *journal_, *key_wrapper_, *guidance_, *rewriter_);
    reader_ = std::make_unique<intake::CaseReader>(hub, *store_, *key_wrapper_, settings_.key_cache_ttl);
    audit_ = std::make_unique<audit::AuditTrail>(*producer_, hub, "intake");
    service_ = std::make_unique<intake::IntakeService>(runtime.gate, *registrar_, *editor_, *reader_, *audit_);
    runtime.server.add_service(service_.get(), "pact.intake.v1.IntakeService");
    sweeper_ = std::make_unique<intake::RetentionSweeper>(*store_, *editor_, *audit_, settings_.retention,
                                                          intake_identity());
    sweeper_thread_ = std::thread([this] { sweeper_->run(); });
  }

  void stop() override {
    if (sweeper_) sweeper_->stop();
    if (sweeper_thread_.joinable()) sweeper_thread_.join();
    if (producer_) producer_->flush(std::chrono::seconds(10));
  }

 private:
  pact::intake::IntakeSettings settings_;
  std::unique_ptr<pact::redis::RedisPool> redis_;
  std::unique_ptr<pact::crypto::KeyWrapper> key_wrapper_;
  std::unique_ptr<pact::ids::IdMinter> ids_;
  std::unique_ptr<pact::crypto::KeyedHasher> fingerprints_;
  std::unique_ptr<pact::intake::BlindIndexer> blind_index_;
  std::unique_ptr<pact::intake::CaseStore> store_;
  std::unique_ptr<pact::intake::CaseJournal> journal_;
  std::unique_ptr<pact::intake::GuidanceSource> guidance_;
  std::unique_ptr<pact::intake::Registrar> registrar_;
  std::unique_ptr<pact::redis::AppendOnlyRewriter> rewriter_;
  std::unique_ptr<pact::intake::CaseEditor> editor_;
  std::unique_ptr<pact::intake::CaseReader> reader_;
  std::unique_ptr<pact::audit::AuditTrail> audit_;
  std::unique_ptr<pact::intake::IntakeService> service_;
  std::unique_ptr<pact::intake::RetentionSweeper> sweeper_;
  std::thread sweeper_thread_;
  // Last, so it is destroyed first: a delivery report still in flight at exit (flush timed out)
  // runs while the journal, the registrar and the audit trail it calls back into still exist.
  std::unique_ptr<pact::kafka::Producer> producer_;
};

}  // namespace

int main(int argc, char** argv) {
  return pact::service::run_service(argc, argv, "intake", std::make_unique<IntakeProcess>());
}
