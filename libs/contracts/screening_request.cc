#include "screening_request.h"

namespace pact::contracts {

screening::v1::ScreeningRequest screening_request_for(const intake::v1::Encounter& encounter,
                                                      common::v1::Jurisdiction jurisdiction,
                                                      const std::string& language) {
  screening::v1::ScreeningRequest request;
  request.set_sector(encounter.reporter().sector());
  *request.mutable_age() = encounter.person().age();
  *request.mutable_reported_flags() = encounter.reported_flags();
  request.set_companion_status(encounter.person().companion_status());
  *request.mutable_observed_indicator_ids() = encounter.observed_indicator_ids();
  request.set_language(language.empty() ? "en" : language);
  request.set_jurisdiction(jurisdiction);
  return request;
}

screening::v1::ScreeningRequest screening_request_for(const intake::v1::Case& case_record, const std::string& language) {
  // The encounter holds the flags as amended (the summary is derived from it, and may not be yet).
  screening::v1::ScreeningRequest request =
      screening_request_for(case_record.encounter(), case_record.summary().jurisdiction(), language);
  request.set_case_id(case_record.summary().case_id());
  return request;
}

}  // namespace pact::contracts
