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
  // Not while the history is still being read: referrals whose answers are not read yet would all
  // look overdue, and the alerts would go out to other centres before they could be cancelled.
  const bool caught_up = follower_ == nullptr || follower_->caught_up(live_.positions());
  if (caught_up && now - last_alert_check_ >= settings_.alerts.check_interval) {
    // A new message is in the snapshot before it is published: a crash in between republishes the
    // same message, never a different one under the same identifier.
    if (check_alerts(now) > 0) snapshot_now = true;
    last_alert_check_ = now;
  }
  if (snapshot_now) {
    save_snapshot();
    last_snapshot_ = now;
  }
  publish_pending();
  if (now - last_snapshot_ >= settings_.snapshot_interval) {
    save_snapshot();
    last_snapshot_ = now;
  }
}

int SituationTicker::check_alerts(Clock::time_point now) {
  int issued = 0;
  // The rules count every overdue referral, not only the page's capped list.
  ViewSettings uncapped = settings_.view;
  uncapped.action_list_limit = std::numeric_limits<int>::max();
  for (bool exercise : {false, true}) {
    const auto situation = live_.read_state(
        [&](const v1::SituationState& state) { return build_situation(state, exercise, now, uncapped); });
    const auto holding = conditions_holding(situation, settings_.alerts);
    live_.update_state([&](v1::SituationState& state) {
      const int messages = ledger_.reconcile(state, exercise, holding, now);
      issued += messages;
      return messages > 0;
    });
  }
  return issued;
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
