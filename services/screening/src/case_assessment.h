#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/hub.h"
#include "pact/events/v1/case_events.pb.h"
#include "pact/events/v1/screening_events.pb.h"
#include "pact/intake/v1/intake.pb.h"
#include "pact/screening/v1/screening.pb.h"

namespace pact::screening {

// The coarse part of the latest assessment of a case, as screening keeps it (in clear: level,
// recommendation types and flags may travel in clear, DESIGN.md), plus the sealed request it came
// from, so that ExplainResult(case_id) can explain it again.
struct StoredAssessment {
  std::uint64_t sequence = 0;
  v1::Level level = v1::LEVEL_UNSPECIFIED;
  std::vector<v1::RecommendationType> recommendations;
  std::uint32_t flags = 0;
  common::v1::Jurisdiction jurisdiction = common::v1::JURISDICTION_UNSPECIFIED;  // coarse: checked before any key release
  common::v1::EncryptedSection sealed_request;
};

// The case snapshot inside a case event (absent for an erasure).
const events::v1::CaseSnapshot* snapshot_of(const events::v1::CaseEvent& event);

// One assessment event for one case event: derived id, the case's sequence, what changed, the
// snapshot routing needs, the coarse assessment and the sealed full result. `result` and `sealed`
// are absent for an erasure (and when the case's key is gone: its data can no longer be read).
events::v1::ScreeningEvent assessment_event(const config::Hub& hub, const events::v1::CaseEvent& input,
                                            const v1::ScreeningResult* result,
                                            const common::v1::EncryptedSection* sealed_result,
                                            const std::optional<StoredAssessment>& previous);

// The coarse record kept for the case after this assessment.
StoredAssessment stored_assessment(std::uint64_t sequence, common::v1::Jurisdiction jurisdiction,
                                   const v1::ScreeningResult& result, common::v1::EncryptedSection sealed_request);

}  // namespace pact::screening
