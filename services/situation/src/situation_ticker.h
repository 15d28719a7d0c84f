#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "alert_ledger.h"
#include "alert_publisher.h"
#include "kafka/topic_follower.h"
#include "live_situation.h"
#include "situation_settings.h"
#include "situation_snapshot.h"

namespace pact::situation {

// The read model's housekeeping, on one thread: checks the alert thresholds against both pictures
// (real and exercise), publishes the CAP messages that are not on the topic yet, and saves the
// snapshot (state and positions) when it moved. Failures (Redis or Kafka away) are logged and
// tried again on the next tick: nothing is lost, the snapshot only gets older.
class SituationTicker {
 public:
  using Clock = std::chrono::system_clock;

  SituationTicker(LiveSituation& live, const SituationSettings& settings, SnapshotStore& snapshots,
                  AlertPublisher& publisher, kafka::TopicFollower* follower);

  void run();
  void stop();
  // One pass (the loop's body, for tests): alerts at `now`, publishing, the snapshot if due.
  void tick(Clock::time_point now, bool snapshot_now = false);
  // Saves the snapshot now if it moved (at stop).
  void save_snapshot();

  std::uint64_t snapshots_saved() const { return snapshots_saved_.load(); }

 private:
  // Returns how many messages it issued.
  int check_alerts(Clock::time_point now);
  void publish_pending();

  LiveSituation& live_;
  const SituationSettings& settings_;
  AlertLedger ledger_;
  SnapshotStore& snapshots_;
  AlertPublisher& publisher_;
  kafka::TopicFollower* follower_;
  Clock::time_point last_snapshot_{};
  Clock::time_point last_alert_check_{};
  std::uint64_t saved_revision_ = 0;
  kafka::FollowPositions saved_positions_;
  std::atomic<std::uint64_t> snapshots_saved_{0};
  // A published mark the snapshot does not hold yet (it moves no revision).
  bool published_since_snapshot_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace pact::situation
