#include "assessment_store.h"

#include <sstream>
#include <stdexcept>

namespace pact::screening {

std::optional<StoredAssessment> AssessmentStore::load(redis::RedisClient& redis, const std::string& case_id) const {
  redis::RedisValue reply =
      redis.command({"HMGET", key(case_id), "sequence", "level", "recommendations", "flags", "request", "jurisdiction"});
  if (reply.elements.size() != 6 || reply.elements[0].is_nil()) return std::nullopt;
  StoredAssessment stored;
  stored.sequence = static_cast<std::uint64_t>(reply.elements[0].as_integer());
  stored.level = static_cast<v1::Level>(reply.elements[1].as_integer());
  std::stringstream recommendations(reply.elements[2].as_text().value_or(""));
  for (std::string type; std::getline(recommendations, type, ',');) {
    if (!type.empty()) stored.recommendations.push_back(static_cast<v1::RecommendationType>(std::stoi(type)));
  }
  stored.flags = static_cast<std::uint32_t>(reply.elements[3].as_integer());
  stored.jurisdiction = static_cast<common::v1::Jurisdiction>(
      reply.elements[5].is_nil() ? 0 : reply.elements[5].as_integer());
  if (!stored.sealed_request.ParseFromString(reply.elements[4].as_text().value_or(""))) {
    throw std::runtime_error("the stored assessment of " + case_id + " is damaged");
  }
  return stored;
}

void AssessmentStore::save(kafka::WriteBatch& batch, const std::string& case_id,
                           const StoredAssessment& assessment) const {
  std::string recommendations;
  for (auto type : assessment.recommendations) {
    recommendations += (recommendations.empty() ? "" : ",") + std::to_string(static_cast<int>(type));
  }
  batch.add({"HSET", key(case_id), "sequence", std::to_string(assessment.sequence), "level",
             std::to_string(static_cast<int>(assessment.level)), "recommendations", recommendations, "flags",
             std::to_string(assessment.flags), "request", assessment.sealed_request.SerializeAsString(), "jurisdiction",
             std::to_string(static_cast<int>(assessment.jurisdiction))});
}

void AssessmentStore::erase(kafka::WriteBatch& batch, const std::string& case_id) const {
  batch.add({"DEL", key(case_id)});
}

}  // namespace pact::screening
