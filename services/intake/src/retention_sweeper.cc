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
  audit::AuditEntry entry = audit::change("pact.intake.v1.IntakeService/EraseCase", case_id);
  entry.purpose = common::v1::ACCESS_PURPOSE_RETENTION;
  entry.purpose_reference = why;
  return audit_.record(identity_, entry).ok();
}

RetentionSweeper::Outcome RetentionSweeper::erase_expired(const std::string& case_id, const v1::CaseSummary& summary,
                                                          std::chrono::system_clock::time_point now) {
  const DataClass data_class = data_class_of(summary);
  const std::string why =
      std::string(data_class_name(data_class)) + " kept " + period_text(*policy_.period_of(data_class));
  auto still_due = [&](const v1::CaseSummary& current) {
    const auto due = erasure_due(current, policy_);
    return due && *due <= now;
  };
  switch (editor_.erase_expired(identity_, case_id, still_due, log::current_trace_id())) {
    case CaseEditor::Expiry::erased:
    case CaseEditor::Expiry::erased_event_pending:
      if (!record(case_id, why)) unrecorded_.emplace_back(case_id, why);
      return Outcome::erased;
    case CaseEditor::Expiry::already_erased:
      return Outcome::gone;  // another replica's, and its audit record
    case CaseEditor::Expiry::no_longer_due:
      return Outcome::kept;
    case CaseEditor::Expiry::failed:
      break;
  }
  log::warn("a case due for erasure was not erased; the next pass retries", {{"data_class", data_class_name(data_class)}});
  return Outcome::failed;
}

RetentionSweeper::Pass RetentionSweeper::sweep_once(std::chrono::system_clock::time_point now) {
  Pass pass;
  log::ScopedTraceId trace(events::TraceParent::new_root().trace_id);
  std::erase_if(unrecorded_, [this](const auto& erased) { return record(erased.first, erased.second); });
  const auto shortest = policy_.shortest_period();
  if (!shortest) return pass;
  if (!older_cases_indexed_) {
    if (const std::size_t added = store_.index_older_changes(policy_.batch); added > 0) {
      log::info("cases registered before retention was indexed are now in its index", {{"count", added}});
    }
    older_cases_indexed_ = true;
  }
  // Cases kept (their class has a longer period, or none) stay in the index: skip past them.
  std::size_t kept = 0;
  for (;;) {
    const auto candidates = store_.changed_before(now - *shortest, kept, policy_.batch);
    const auto summaries = store_.summaries(candidates);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (stopping()) return pass;
      ++pass.examined;
      v1::CaseSummary summary;
      const auto due = summaries[i] && summary.ParseFromString(*summaries[i]) ? erasure_due(summary, policy_) : std::nullopt;
      if (!due || *due > now) {
        ++kept;  // kept by its class, not due yet, or being registered right now
        continue;
      }
      switch (erase_expired(candidates[i], summary, now)) {
        case Outcome::erased: ++pass.erased; break;
        case Outcome::gone: break;
        case Outcome::kept: ++kept; break;
        case Outcome::failed:
          ++pass.failed;
          ++kept;
          break;
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

bool RetentionSweeper::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void RetentionSweeper::run() {
  std::unique_lock lock(mutex_);
  // The first pass waits an interval too: a process that fails to start, or is stopped at once,
  // erases nothing, and an operator who deployed new periods sees them before they act.
  while (!wake_.wait_for(lock, policy_.sweep_interval, [this] { return stopping_; })) {
    lock.unlock();
    try {
      sweep_once(std::chrono::system_clock::now());
    } catch (const std::exception& e) {
      log::warn("retention pass stopped early; the next pass continues", {{"error", e.what()}});
    }
    lock.lock();
  }
}

void RetentionSweeper::stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  wake_.notify_all();
}

}  // namespace pact::intake
