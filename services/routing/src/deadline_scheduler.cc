#include "deadline_scheduler.h"

#include <thread>

#include "log/logger.h"

namespace pact::routing {

std::size_t DeadlineScheduler::fire_due() {
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(updater_.now().time_since_epoch()).count();
  std::size_t fired = 0;
  for (const std::string& member : store_.due_deadlines(now_ms, 256)) {
    const auto result = updater_.update(case_of_deadline(member), member, false, [&](CaseRouter& router) {
      router.fire(member);
      return true;
    });
    if (result.outcome == CaseUpdater::Result::Outcome::missing) {
      store_.drop_deadline(member);  // the case is gone from routing: nothing left to remind about
    } else if (result.outcome == CaseUpdater::Result::Outcome::committed) {
      ++fired;
    }
  }
  return fired;
}

void DeadlineScheduler::run() {
  while (!stopping_) {
    std::size_t fired = 0;
    try {
      fired = fire_due();
    } catch (const std::exception& e) {
      log::warn("deadline scheduler paused", {{"error", e.what()}});
    }
    if (fired == 0) std::this_thread::sleep_for(tick_);
  }
}

}  // namespace pact::routing
