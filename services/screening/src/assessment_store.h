#pragma once

#include <optional>
#include <string>

#include "case_assessment.h"
#include "config/hub.h"
#include "kafka/consumed_record.h"
#include "redis/redis_client.h"

namespace pact::screening {

// Screening's own Redis state: the latest assessment of each case.
//   <hub>:screening:assessment:<case id>  hash
//     sequence         the case event sequence it reflects
//     level            pact.screening.v1.Level number
//     recommendations  recommendation type numbers, comma-separated, in order
//     flags            FlagBit mask
//     request          serialized EncryptedSection: the ScreeningRequest under the case key
//     jurisdiction     pact.common.v1.Jurisdiction number (coarse: access is checked before any key release)
// Written only through the consumer's WriteBatch, so it moves together with the consumer position.
class AssessmentStore {
 public:
  explicit AssessmentStore(const config::Hub& hub) : hub_(hub) {}

  std::optional<StoredAssessment> load(redis::RedisClient& redis, const std::string& case_id) const;
  void save(kafka::WriteBatch& batch, const std::string& case_id, const StoredAssessment& assessment) const;
  void erase(kafka::WriteBatch& batch, const std::string& case_id) const;

 private:
  std::string key(const std::string& case_id) const { return hub_.redis_key({"screening", "assessment", case_id}); }
  const config::Hub& hub_;
};

}  // namespace pact::screening
