#pragma once

#include <string>

#include <grpcpp/support/status.h>

#include "config/hub.h"
#include "kafka/producer.h"
#include "pact/events/v1/audit_events.pb.h"
#include "rpc/caller.h"

namespace pact::audit {

// What a caller did to a case, for the audit trail.
struct AuditEntry {
  events::v1::AuditAction action = events::v1::AUDIT_ACTION_UNSPECIFIED;
  std::string method;     // full RPC name
  std::string case_id;
  std::string record_id;  // a referral, decision, consent ... within the case; may be empty
  common::v1::AccessPurpose purpose = common::v1::ACCESS_PURPOSE_CASE_MANAGEMENT;
  std::string purpose_reference;
  std::string trace_id;  // empty: the current thread's
};

// A change to a case (or to `record_id` within it, e.g. a consent) made through `full_method`, for
// the case's management unless the caller says otherwise.
AuditEntry change(std::string full_method, std::string case_id, std::string record_id = "");

// Writes the hub's audit trail (topic pact.audit.v1, keyed by case id) and waits until the broker
// stored each record. Reads and key releases are recorded first and refused when the trail cannot
// take the record (no unrecorded access); changes are recorded once they are stored, and a change
// whose record failed is answered UNAVAILABLE so the caller's retry (idempotent) records it again.
class AuditTrail {
 public:
  AuditTrail(kafka::Producer& producer, const config::Hub& hub, std::string service);

  // OK once stored; UNAVAILABLE otherwise. `audit_id` (optional) receives the record's id.
  grpc::Status record(const rpc::Caller& who, const AuditEntry& what, std::string* audit_id = nullptr) const;

  // The record as it is written (for tests and tools).
  events::v1::AuditRecord build(const rpc::Caller& who, const AuditEntry& what) const;

 private:
  kafka::Producer& producer_;
  config::Hub hub_;
  std::string service_;
  std::string topic_;
};

}  // namespace pact::audit
