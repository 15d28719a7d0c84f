#include "request_validator.h"

#include <regex>

namespace pact::screening {

std::vector<rpc::FieldViolation> validate_screening_request(const v1::ScreeningRequest& request,
                                                            const std::string& prefix) {
  constexpr int kMaxObserved = 500;
  constexpr std::size_t kMaxIdLength = 64;
  std::vector<rpc::FieldViolation> violations;
  if (request.sector() == common::v1::SECTOR_UNSPECIFIED || !common::v1::Sector_IsValid(request.sector())) {
    violations.push_back({prefix + "sector", "say which sector observed (it selects the questions and their order)"});
  }
  if (!common::v1::Jurisdiction_IsValid(request.jurisdiction())) {
    violations.push_back({prefix + "jurisdiction", "is not a known jurisdiction"});
  }
  if (!common::v1::CompanionStatus_IsValid(request.companion_status())) {
    violations.push_back({prefix + "companion_status", "is not a known companion status"});
  }
  if (request.observed_indicator_ids_size() > kMaxObserved) {
    violations.push_back({prefix + "observed_indicator_ids", "at most " + std::to_string(kMaxObserved) + " ids"});
  }
  for (int i = 0; i < request.observed_indicator_ids_size(); ++i) {
    const std::string& id = request.observed_indicator_ids(i);
    if (id.empty() || id.size() > kMaxIdLength) {
      violations.push_back({prefix + "observed_indicator_ids[" + std::to_string(i) + "]",
                            "an indicator id has 1 to " + std::to_string(kMaxIdLength) + " characters"});
    }
  }
  static const std::regex kLanguage("([a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*)?");
  if (request.language().size() > 35 || !std::regex_match(request.language(), kLanguage)) {
    violations.push_back({prefix + "language", "a BCP 47 language tag such as \"en\" or \"sr-Latn\""});
  }
  for (int i = 0; i < request.catalogues_size(); ++i) {
    if (request.catalogues(i).catalogue_id().empty() || request.catalogues(i).version().empty()) {
      violations.push_back({prefix + "catalogues[" + std::to_string(i) + "]", "a pinned catalogue needs id and version"});
    }
  }
  return violations;
}

}  // namespace pact::screening
