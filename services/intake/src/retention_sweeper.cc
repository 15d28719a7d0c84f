#include "retention_sweeper.h"

#include "events/traceparent.h"
#include "log/logger.h"
#include "log/trace_context.h"

namespace pact::intake {
namespace {

std::string period_text(std::chrono::milliseconds period) {
  const auto ms = period.count();
  if (ms % 86'400'000 == 0) return std::to_string(ms / 86'400'000) + "d";
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace

RetentionSweeper::RetentionSweeper(CaseStore& store, CaseEditor& editor, const audit::AuditTrail& audit,
                                   RetentionPolicy policy, rpc::Caller identity)
    : store_(store), editor_(editor), audit_(audit), policy_(std::move(policy)), identity_(std::move(identity)) {}

bool RetentionSweeper::record(const std::string& case_id, const std::string& why) {
  audit::AuditEntry entry{events::v1::AUDIT_ACTION_CHANGE, "pact.intake.v1.IntakeService/EraseCase", case_id, "",
                          common::v1::ACCESS_PURPOSE_RETENTION, why, ""};
  return audit_.record(identity_, entry).ok();
}

bool RetentionSweeper::erase_expired(const std::string& case_id, const v1::CaseSummary& summary) {
  const DataClass data_class = data_class_of(summary);
  const std::string why =
      std::string(data_class_name(data_class)) + " kept " + period_text(*policy_.period_of(data_class));
  v1::EraseCaseRequest request;
  request.set_case_id(case_id);
  request.set_reason(common::v1::ERASURE_REASON_RETENTION_EXPIRED);
  // One key for every pass: a pass repeated after a crash or by another replica erases once.
  request.set_idempotency_key("retention");
  v1::EraseCaseResponse response;
  const grpc::Status erased = editor_.erase(identity_, request, log::current_trace_id(), response);
  if (!erased.ok()) {
    log::warn("a case due for erasure was not erased; next pass retries",
              {{"data_class", data_class_name(data_class)}, {"code", static_cast<int>(erased.error_code())},
               {"error", erased.error_message()}});
    return false;
  }
  if (!record(case_id, why)) unrecorded_.emplace_back(case_id, why);
  return true;
}

RetentionSweeper::Pass RetentionSweeper::sweep_once(std::chrono::system_clock::time_point now) {
  Pass pass;
  log::ScopedTraceId trace(events::TraceParent::new_root().trace_id);
  std::erase_if(unrecorded_, [this](const auto& erased) { return record(erased.first, erased.second); });
  const auto shortest = policy_.shortest_period();
  if (!shortest) return pass;
  // Cases kept (their class has a longer period, or none) stay in the index: skip past them.
  std::size_t kept = 0;
  for (;;) {
    const auto candidates = store_.changed_before(now - *shortest, kept, policy_.batch);
    const auto summaries = store_.summaries(candidates);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      ++pass.examined;
      v1::CaseSummary summary;
      if (!summaries[i] || !summary.ParseFromString(*summaries[i])) {
        ++kept;  // a case being registered right now, or unreadable: not ours to decide here
        continue;
      }
      const auto due = erasure_due(summary, policy_);
      if (!due || *due > now) {
        ++kept;
      } else if (erase_expired(candidates[i], summary)) {
        ++pass.erased;
      } else {
        ++pass.failed;
        ++kept;
      }
    }
    if (candidates.size() < policy_.batch) break;
  }
  if (pass.erased > 0 || pass.failed > 0) {
    log::info("retention pass", {{"examined", pass.examined}, {"erased", pass.erased}, {"failed", pass.failed},
                                 {"unrecorded", unrecorded_.size()}});
  }
  return pass;
}

void RetentionSweeper::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      sweep_once(std::chrono::system_clock::now());
    } catch (const std::exception& e) {
      log::warn("retention pass stopped early; next pass continues", {{"error", e.what()}});
    }
    lock.lock();
    wake_.wait_for(lock, policy_.sweep_interval, [this] { return stopping_; });
  }
}

void RetentionSweeper::stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  wake_.notify_all();
}

}  // namespace pact::intake
