#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pact/events/v1/referral_events.pb.h"
#include "pact/intake/v1/intake.pb.h"
#include "pact/routing/v1/handoff.pb.h"
#include "pact/routing/v1/routing_state.pb.h"
#include "rpc/status.h"

namespace pact::routing {

// What the receiving intake registers: the encounter minimised to `categories` (coarse attributes,
// need types, the consent and the flags always travel; names, identifiers, contacts, exact
// location, indicators, notes and travel details only when their category is shared). The reporter
// becomes the sending hub, handling the case in the receiving jurisdiction.
pact::intake::v1::Encounter minimised_encounter(const pact::intake::v1::Case& case_record,
                                                const std::vector<pact::common::v1::DataCategory>& categories,
                                                pact::common::v1::Jurisdiction receiving, const std::string& sending_hub);

// The offer for `handoff`, from the case as intake sealed it and routing's state. `exception` is
// the decision (with name and reason, opened from the sealed copy) when the basis is one.
pact::routing::v1::HandoffOffer build_offer(const pact::routing::v1::Handoff& handoff,
                                            const pact::routing::v1::CaseRoutingState& state,
                                            const pact::intake::v1::Case& case_record,
                                            const std::optional<pact::routing::v1::Decision>& exception);

// The coarse identity and state of a handoff, as its events carry it (no personal data).
pact::events::v1::HandoffInfo handoff_info_of(const pact::routing::v1::Handoff& handoff);

// Receiving side: what is wrong with an offer (empty: it may be registered). Without cross-border
// consent or a recorded exception covering it, nothing is taken.
std::vector<rpc::FieldViolation> offer_problems(const pact::routing::v1::HandoffOffer& offer);

}  // namespace pact::routing
