#pragma once

#include <functional>
#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "case_journal.h"
#include "case_store.h"
#include "guidance_source.h"
#include "crypto/key_wrap.h"
#include "pact/events/v1/case_events.pb.h"
#include "pact/intake/v1/intake.pb.h"
#include "redis/append_only_rewriter.h"
#include "rpc/caller.h"

namespace pact::intake {

// Changes to a registered case: amendments, consent given or withdrawn, erasure. Each change
// takes the next sequence number, is staged with its event in one atomic step (refused if the case
// moved on meanwhile) and is answered once the event is stored in Kafka. A change repeated with
// the same idempotency key answers with the sequence it produced the first time.
class CaseEditor {
 public:
  // `rewriter` takes an erased case's key out of Redis's append-only files too.
  CaseEditor(const config::Hub& hub, CaseStore& store, CaseJournal& journal, const crypto::KeyWrapper& key_wrapper,
             GuidanceSource& guidance, redis::AppendOnlyRewriter& rewriter);

  grpc::Status amend(const rpc::Caller& caller, const v1::AmendCaseRequest& request, const std::string& trace_id,
                     v1::AmendCaseResponse& response);
  grpc::Status record_consent(const rpc::Caller& caller, const v1::RecordConsentRequest& request,
                              const std::string& trace_id, v1::RecordConsentResponse& response);
  grpc::Status withdraw_consent(const rpc::Caller& caller, const v1::WithdrawConsentRequest& request,
                                const std::string& trace_id, v1::WithdrawConsentResponse& response);
  grpc::Status erase(const rpc::Caller& caller, const v1::EraseCaseRequest& request, const std::string& trace_id,
                     v1::EraseCaseResponse& response);

  // Retention's erasure (reason RETENTION_EXPIRED), made only if `still_due` holds for the case as
  // stored at the moment it is shredded.
  enum class Expiry {
    erased,                // shredded and announced
    erased_event_pending,  // shredded; the event is staged and the journal publishes it shortly
    no_longer_due,         // changed since it was found due (reopened, now a child's case ...)
    already_erased,        // by someone else meanwhile
    failed,                // nothing done (Redis or Kafka unavailable, or the case moved): try again later
  };
  Expiry erase_expired(const rpc::Caller& service, const std::string& case_id,
                       const std::function<bool(const v1::CaseSummary&)>& still_due, const std::string& trace_id);

 private:
  // Applies `change` to the decrypted case and fills the concrete event; returns the new sequence
  // through `sequence`, or, when `op_key` already produced a change, that change's sequence with
  // `replayed` set (nothing is applied again). `change` answers non-OK to refuse.
  using Change = std::function<grpc::Status(v1::Case& case_record, events::v1::CaseEvent& event)>;
  grpc::Status apply(const rpc::Caller& caller, const std::string& case_id, const std::string& op_key,
                     std::uint64_t expected_sequence,
                     const std::string& trace_id, const Change& change, std::uint64_t& sequence, v1::Case& result,
                     bool& replayed);
  // Deletes the case's key, blind-index entries and sealed state at the next sequence (refused if the
  // case moved past `stored.sequence`) and publishes the erasure event.
  struct Shredding {
    grpc::Status status;          // of the whole step; not OK with `staged`: the event is still to be published
    bool staged = false;          // this call shredded the case
    bool already_erased = false;  // someone else had
    v1::CaseSummary tombstone;
  };
  Shredding shred(const CaseStore::Stored& stored, const v1::CaseSummary& summary, common::v1::ErasureReason reason,
                  const std::string& erased_by, const std::string& op_key, const std::string& trace_id);
  // Loads the case, first publishing an event a failed earlier change left staged.
  grpc::Status load_settled(const std::string& case_id, const std::string& trace_id, CaseStore::Stored& stored);

  const config::Hub& hub_;
  CaseStore& store_;
  CaseJournal& journal_;
  const crypto::KeyWrapper& key_wrapper_;
  GuidanceSource& guidance_;
  redis::AppendOnlyRewriter& rewriter_;
};

}  // namespace pact::intake
