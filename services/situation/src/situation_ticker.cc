#include "situation_ticker.h"

#include <limits>

#include "log/logger.h"

namespace pact::situation {

SituationTicker::SituationTicker(LiveSituation& live, const SituationSettings& settings, SnapshotStore& snapshots,
                                 AlertPublisher& publisher, kafka::TopicFollower* follower)
    : live_(live),
      settings_(settings),
      ledger_(settings.alerts, settings.view.hub),
      snapshots_(snapshots),
      publisher_(publisher),
      follower_(follower) {}

void SituationTicker::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      tick(Clock::now());
    } catch (const std::exception& e) {
      log::warn("situation housekeeping failed, retrying", {{"error", e.what()}});
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; });
  }
}

void SituationTicker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void SituationTicker::tick(Clock::time_point now, bool snapshot_now) {
  if (now - last_alert_check_ >= settings_.alerts.check_interval) {
    check_alerts(now);
    last_alert_check_ = now;
  }
  publish_pending();
  if (snapshot_now || now - last_snapshot_ >= settings_.snapshot_interval) {
    save_snapshot();
    last_snapshot_ = now;
  }
}

void SituationTicker::check_alerts(Clock::time_point now) {
  // The rules count every overdue referral, not only the page's capped list.
  ViewSettings uncapped = settings_.view;
  uncapped.action_list_limit = std::numeric_limits<int>::max();
  for (bool exercise : {false, true}) {
    const auto situation = live_.read_state(
        [&](const v1::SituationState& state) { return build_situation(state, exercise, now, uncapped); });
    const auto holding = conditions_holding(situation, settings_.alerts);
    live_.update_state([&](v1::SituationState& state) { return ledger_.reconcile(state, exercise, holding, now) > 0; });
  }
}

void SituationTicker::publish_pending() {
  const auto pending = live_.read_state([](const v1::SituationState& state) { return AlertLedger::unpublished(state); });
  for (const auto& key : pending) {
    const auto alert = live_.read_state([&](const v1::SituationState& state) { return state.alerts().at(key).alert(); });
    if (!publisher_.publish(key, alert)) return;  // the broker is away: the rest waits for the next tick
    live_.update_state([&](v1::SituationState& state) {
      auto& record = (*state.mutable_alerts())[key];
      // A newer message issued meanwhile stays pending.
      if (record.alert().identifier() == alert.identifier()) record.set_unpublished(false);
      return false;
    });
    published_since_snapshot_ = true;
  }
}

void SituationTicker::save_snapshot() {
  const auto positions = live_.positions();
  const auto revision = live_.revision();
  if (revision == saved_revision_ && positions == saved_positions_ && !published_since_snapshot_ &&
      snapshots_saved_ > 0) {
    return;
  }
  published_since_snapshot_ = false;
  snapshots_.save(live_.snapshot());
  saved_revision_ = revision;
  saved_positions_ = positions;
  ++snapshots_saved_;
  if (follower_ != nullptr) follower_->commit(positions);
}

}  // namespace pact::situation
