#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit_trail.h"
#include "case_editor.h"
#include "case_store.h"
#include "retention_policy.h"
#include "rpc/caller.h"

namespace pact::intake {

// Erases the cases whose retention period expired, the way a person's erasure request does
// (crypto-shredding, a CaseErased event with reason RETENTION_EXPIRED, an AOF rewrite), and writes
// each erasure to the audit trail with the data class and period that made it due. Several intake
// replicas may sweep at once: an erasure is idempotent, and the loser of a race retries next pass.
class RetentionSweeper {
 public:
  RetentionSweeper(CaseStore& store, CaseEditor& editor, const audit::AuditTrail& audit, RetentionPolicy policy,
                   rpc::Caller identity);

  struct Pass {
    std::size_t examined = 0;
    std::size_t erased = 0;
    std::size_t failed = 0;  // left for the next pass
  };
  // One pass over the cases whose last change is older than the shortest period.
  Pass sweep_once(std::chrono::system_clock::time_point now);

  // Sweeps every sweep_interval until stop(); a pass in progress stops at the next case.
  void run();
  void stop();

 private:
  enum class Outcome { erased, gone, kept, failed };
  Outcome erase_expired(const std::string& case_id, const v1::CaseSummary& summary,
                        std::chrono::system_clock::time_point now);
  bool record(const std::string& case_id, const std::string& why);
  bool stopping();

  CaseStore& store_;
  CaseEditor& editor_;
  const audit::AuditTrail& audit_;
  RetentionPolicy policy_;
  rpc::Caller identity_;
  // Erased but not yet in the audit trail (the trail was unavailable): recorded first next pass.
  std::vector<std::pair<std::string, std::string>> unrecorded_;
  bool older_cases_indexed_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace pact::intake
