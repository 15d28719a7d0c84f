#include "surge_run.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <tuple>

#include "encounter_mix.h"
#include "kafka/topic_follower.h"
#include "kafka/topics.h"
#include "registration_call.h"
#include "surge_report.h"

namespace pactscenario {
namespace {

// Counts whose change means the hub is still working on the surge.
auto activity(const SurgeFigures& figures) {
  return std::make_tuple(figures.registered, figures.screened, figures.referral_attempts, figures.delivered,
                         figures.acknowledged, figures.escalations(), figures.reminders, figures.delivery_failures,
                         figures.handoffs_offered, figures.referrals_in("accepted"), figures.referrals_in("rejected"));
}

// Redraws the progress line until stopped.
class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream* out, bool bar, const SurgeTally& tally, std::uint64_t planned)
      : out_(out), bar_(bar), tally_(tally), planned_(planned), started_(std::chrono::steady_clock::now()) {
    if (out_ != nullptr) thread_ = std::thread([this] { run(); });
  }
  ~ProgressPrinter() { stop(); }
  void registrations_done() { registrations_seconds_ = seconds(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return;
      stopped_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (out_ != nullptr) *out_ << progress_text() << "\n" << std::flush;
  }

 private:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }
  std::string progress_text() const {
    const double registering_for = registrations_seconds_ > 0 ? registrations_seconds_.load() : seconds();
    return progress_line(tally_.figures(), planned_, registering_for, bar_);
  }
  void run() {
    const auto every = bar_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(2000);
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every, [this] { return stopped_; })) {
      *out_ << progress_text() << (bar_ ? "" : "\n") << std::flush;
    }
  }

  std::ostream* out_;
  bool bar_;
  const SurgeTally& tally_;
  std::uint64_t planned_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<double> registrations_seconds_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace

SurgeOutcome run_surge(const SurgeOptions& options, std::ostream* progress, bool bar) {
  SurgeTally tally;
  pact::kafka::TopicFollower follower(
      pact::config::KafkaSettings{.bootstrap_servers = options.kafka_bootstrap}, options.hub,
      {std::string(pact::kafka::topic::kScreening), std::string(pact::kafka::topic::kReferral),
       std::string(pact::kafka::topic::kNotification)},
      [&tally](const FollowedRecord& record) { tally.observe(record); });
  follower.start();

  grpc::ChannelArguments channel_arguments;
  channel_arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // TLS and tokens as the environment says (PACT_CA_FILE, PACT_TOKEN_SIGNING_KEY: see ToolIdentity).
  const auto tool = pact::security::ToolIdentity::from_environment();
  auto intake = pact::intake::v1::IntakeService::NewStub(tool.channel(options.intake_address, channel_arguments));
  const std::string run_id = options.run_id.empty()
                                 ? std::to_string(std::chrono::system_clock::now().time_since_epoch().count())
                                 : options.run_id;

  pactload::LoadOptions load;
  load.warmup = std::chrono::milliseconds(0);
  load.rate = options.rate;
  load.concurrency = options.concurrency;
  load.max_calls = options.arrivals;
  // Long enough for every arrival even when intake falls behind the rate.
  load.duration = std::chrono::milliseconds(static_cast<std::int64_t>(
                      1000.0 * static_cast<double>(options.arrivals) / std::max(options.rate, 1.0) * 3)) +
                  std::chrono::minutes(2);

  ProgressPrinter printer(progress, bar, tally, options.arrivals);
  pactload::LoadRunner runner(load, [&](std::uint64_t sequence, std::function<void(bool)> done) {
    const auto sent_at = std::chrono::system_clock::now();
    pactload::register_async(*intake, tool, pactload::load_identity("pactctl-surge", sequence),
                             pactload::encounter_for(sequence, run_id, options.exercise),
                             [&tally, sent_at, done](const grpc::Status& status,
                                                     const pact::intake::v1::RegisterEncounterResponse& response) {
                               if (status.ok()) {
                                 tally.registration_sent(response.case_id(), sent_at);
                               } else {
                                 tally.registration_failed();
                               }
                               done(status.ok());
                             });
  });
  SurgeOutcome outcome;
  outcome.registrations = runner.run();
  printer.registrations_done();

  const auto settle_until = std::chrono::steady_clock::now() + options.settle;
  auto last_activity = activity(tally.figures());
  auto last_change = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < settle_until &&
         std::chrono::steady_clock::now() - last_change < options.quiet) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    if (auto now_activity = activity(tally.figures()); now_activity != last_activity) {
      last_activity = now_activity;
      last_change = std::chrono::steady_clock::now();
    }
  }
  printer.stop();
  outcome.figures = tally.figures();
  return outcome;
}

}  // namespace pactscenario
