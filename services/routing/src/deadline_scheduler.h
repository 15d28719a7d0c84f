#pragma once

#include <atomic>
#include <chrono>

#include "case_updater.h"

namespace pact::routing {

// Fires the timers routing keeps in Redis (acknowledgement and acceptance deadlines, reminders)
// when they come due. Timers are data, not memory: after a crash the next scheduler finds them,
// and the commit removes a timer in the same atomic step as its effect, so each fires once.
class DeadlineScheduler {
 public:
  DeadlineScheduler(const CaseUpdater& updater, const RoutingStore& store, std::chrono::milliseconds tick)
      : updater_(updater), store_(store), tick_(tick) {}

  void run();
  void stop() { stopping_ = true; }
  // Fires what is due now; returns how many timers took effect.
  std::size_t fire_due();

 private:
  const CaseUpdater& updater_;
  const RoutingStore& store_;
  std::chrono::milliseconds tick_;
  std::atomic<bool> stopping_{false};
};

}  // namespace pact::routing
