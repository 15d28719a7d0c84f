#include "assessment_handler.h"

#include "crypto/sealed_message.h"
#include "screening_request.h"
#include "kafka/envelope_record.h"
#include "kafka/topics.h"
#include "log/logger.h"

namespace pact::screening {
namespace {

const common::v1::EncryptedSection* sealed_case(const events::v1::CaseSnapshot& snapshot) {
  for (const auto& section : snapshot.sealed()) {
    if (section.record_type() == intake::v1::Case::descriptor()->full_name()) return &section;
  }
  return nullptr;
}

}  // namespace

void AssessmentHandler::handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) {
  events::v1::CaseEvent input;
  if (!input.ParseFromString(record.value) || input.event_case() == events::v1::CaseEvent::EVENT_NOT_SET ||
      input.case_id().empty()) {
    throw kafka::PoisonRecord("not a pact.events.v1.CaseEvent with an event and a case id");
  }
  const std::string& case_id = input.case_id();
  const std::optional<StoredAssessment> previous = store_.load(redis_, case_id);

  if (input.has_case_erased()) {
    keys_.forget(case_id);
    publish(assessment_event(hub_, input, nullptr, nullptr, previous), record);
    store_.erase(effects, case_id);
    return;
  }
  const events::v1::CaseSnapshot* snapshot = snapshot_of(input);
  const common::v1::EncryptedSection* section = snapshot ? sealed_case(*snapshot) : nullptr;
  if (section == nullptr) throw kafka::PoisonRecord("the case event carries no sealed pact.intake.v1.Case");

  std::optional<crypto::SecretKey> key;
  try {
    key = keys_.key(case_id, section->key_version(), input.event_id());
  } catch (const crypto::CaseKeyUnavailable& e) {
    throw kafka::DependencyUnavailable(e.what());
  }
  if (!key) {
    // Erased since this event was written: its data can no longer be read, and the erasure event
    // follows. Routing still sees this change, without an assessment.
    publish(assessment_event(hub_, input, nullptr, nullptr, previous), record);
    return;
  }
  intake::v1::Case case_record;
  if (!crypto::open_message(*key, case_id, *section, case_record)) {
    throw kafka::PoisonRecord("the sealed case does not open with the case key");
  }
  v1::ScreeningRequest request = contracts::screening_request_for(case_record, "en");
  const v1::ScreeningResult result = screener_.screen(request);
  // The stored request pins the catalogue versions, so the assessment can be explained as it was made.
  *request.mutable_catalogues() = result.catalogues();
  const common::v1::EncryptedSection sealed_result = crypto::seal_message(*key, case_id, result, section->key_version());
  publish(assessment_event(hub_, input, &result, &sealed_result, previous), record);
  store_.save(effects, case_id,
              stored_assessment(input.sequence(), request.jurisdiction(), result,
                                crypto::seal_message(*key, case_id, request, section->key_version())));
}

void AssessmentHandler::publish(const events::v1::ScreeningEvent& event, const kafka::ConsumedRecord& cause) {
  kafka::DeliveryResult delivery = producer_.produce_and_wait(
      kafka::envelope_record(hub_, kafka::topic::kScreening, "screening", event, cause.event.traceparent.trace_id));
  if (delivery.status == kafka::DeliveryStatus::failed) {
    throw std::runtime_error("Kafka refused the assessment event: " + delivery.error);  // counted, then dead-lettered
  }
  if (!delivery.stored()) {
    throw kafka::DependencyUnavailable("the assessment event was not stored by Kafka: " + delivery.error);
  }
}

}  // namespace pact::screening
