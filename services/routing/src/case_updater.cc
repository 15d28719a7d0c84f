#include "case_updater.h"

#include <google/protobuf/util/time_util.h>

#include "call_errors.h"
#include "capacity_event.h"
#include "ids/ids.h"
#include "log/logger.h"

namespace pact::routing {

CaseUpdater::Result CaseUpdater::update(const std::string& case_id, const std::string& cause_id, bool create,
                                        const Change& change) const {
  std::set<std::string> full_services;
  // Bounded: each round either commits, or learns one more full provider, or lost a race to a
  // change that did commit. A case under heavy contention still gets through in a few rounds.
  for (int round = 0; round < 64; ++round) {
    std::optional<v1::CaseRoutingState> stored = store_.load(case_id);
    if (!stored && !create) return {Result::Outcome::missing, {}, {}};
    v1::CaseRoutingState state = stored.value_or(v1::CaseRoutingState{});
    if (!stored) state.set_case_id(case_id);
    const auto directory = directory_.current();
    RoutingContext context{book_, *directory, profile_, hub_, now_(), full_services, handoffs_};
    CaseRouter router(context, std::move(state), cause_id);
    if (!change(router)) return {Result::Outcome::declined, router.state(), {}};
    const CommitResult result = store_.commit(case_id, router.commit());
    switch (result.outcome) {
      case CommitResult::Outcome::committed:
        publish_capacity(result, cause_id, router.commit().state);
        return {Result::Outcome::committed, router.commit().state, router.next_referral_id()};
      case CommitResult::Outcome::deadline_gone: return {Result::Outcome::deadline_gone, {}, {}};
      case CommitResult::Outcome::no_capacity:
        full_services.insert(result.full_service_id);
        directory_.invalidate();
        break;
      case CommitResult::Outcome::conflict: break;
    }
  }
  throw CaseContended("case " + case_id + " keeps changing under routing; retry later");
}

// Capacity events carry absolute figures with a version, so one lost in a crash right here is
// superseded by the next; they are not worth a second atomic step.
void CaseUpdater::publish_capacity(const CommitResult& result, const std::string& cause_id,
                                   const v1::CaseRoutingState& state) const {
  const auto directory = directory_.current();
  std::uint32_t position = 1000;  // after the commit's own events
  for (const CapacityAfter& after : result.capacity) {
    if (!after.changed) continue;
    const v1::Service* service = directory->service(after.service_id);
    if (!service || !service->capacity().tracked()) continue;
    events::v1::ReferralEvent event;
    event.set_event_id(ids::derive_event_id(cause_id, "routing-capacity", position++));
    event.set_case_id(state.case_id());
    event.set_sequence(state.sequence());
    event.set_hub(hub_);
    *event.mutable_occurred_at() = google::protobuf::util::TimeUtil::MillisecondsToTimestamp(
        std::chrono::duration_cast<std::chrono::milliseconds>(now_().time_since_epoch()).count());
    event.set_exercise(state.exercise());
    event.set_cause_id(cause_id);
    v1::Capacity capacity = service->capacity();
    capacity.set_available(after.available);
    capacity.set_maximum(after.maximum);
    capacity.set_version(after.version);
    *event.mutable_capacity_changed() = capacity_changed(
        *service, capacity,
        after.reserved ? events::v1::CAPACITY_CHANGE_REASON_RESERVED : events::v1::CAPACITY_CHANGE_REASON_RELEASED, after.referral_id);
    store_.outbox_push(event);
  }
}

}  // namespace pact::routing
