#include "audit/audit_trail.h"

#include <google/protobuf/util/time_util.h>

#include "crypto/keyed_hash.h"
#include "crypto/secret_key.h"
#include "kafka/topics.h"
#include "log/logger.h"
#include "log/trace_context.h"
#include "rpc/status.h"

namespace pact::audit {
namespace {

void describe(const rpc::Caller& caller, events::v1::AuditActor& actor) {
  actor.set_kind(caller.kind == rpc::CallerKind::service ? "service" : "person");
  actor.set_subject(caller.subject);
  actor.set_organisation(caller.organisation);
  for (const auto& role : caller.roles) actor.add_roles(role);
}

}  // namespace

AuditTrail::AuditTrail(kafka::Producer& producer, const config::Hub& hub, std::string service)
    : producer_(producer), hub_(hub), service_(std::move(service)), topic_(hub.topic(kafka::topic::kAudit)) {}

AuditEntry change(std::string full_method, std::string case_id, std::string record_id) {
  return {events::v1::AUDIT_ACTION_CHANGE, std::move(full_method), std::move(case_id), std::move(record_id),
          common::v1::ACCESS_PURPOSE_CASE_MANAGEMENT, "", ""};
}

events::v1::AuditRecord AuditTrail::build(const rpc::Caller& who, const AuditEntry& what) const {
  events::v1::AuditRecord record;
  record.set_audit_id("aud-" + crypto::to_hex(crypto::SecretKey::generate().view().substr(0, 12)));
  *record.mutable_occurred_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  record.set_hub(hub_.prefix());
  record.set_service(service_);
  record.set_method(what.method);
  record.set_action(what.action);
  record.set_case_id(what.case_id);
  record.set_record_id(what.record_id);
  record.set_purpose(what.purpose);
  record.set_purpose_reference(what.purpose_reference);
  describe(who, *record.mutable_actor());
  if (who.on_behalf_of) describe(*who.on_behalf_of, *record.mutable_on_behalf_of());
  record.set_trace_id(what.trace_id.empty() ? log::current_trace_id() : what.trace_id);
  return record;
}

grpc::Status AuditTrail::record(const rpc::Caller& who, const AuditEntry& what, std::string* audit_id) const {
  events::v1::AuditRecord record = build(who, what);
  kafka::DeliveryResult stored =
      producer_.produce_and_wait({topic_, what.case_id, record.SerializeAsString(), {}});
  if (!stored.stored()) {
    log::error("audit record not stored", {{"method", what.method}, {"error", stored.error}});
    return rpc::unavailable("the audit trail cannot record this now; try again", std::chrono::seconds(1));
  }
  if (audit_id != nullptr) *audit_id = record.audit_id();
  return grpc::Status::OK;
}

}  // namespace pact::audit
