#pragma once

// Validation of intake requests: pure functions, no I/O, no clock of their own.
//
// Each function returns one rpc::FieldViolation per bad field (all of them, not the first), ready
// for rpc::invalid_argument. `field` is the path in the request ("encounter.person.identifiers[2].
// issuing_country"); `description` says what is wrong and what would be right and never repeats
// the submitted value, because values can be personal data.
//
// What is checked here is the form of a request. Checks that need state or the caller stay with
// the service: the reporter's organisation matching the caller's, who may set handoff_origin,
// whether a case or indicator id exists (screening checks the catalogues).

#include <chrono>
#include <string_view>
#include <vector>

#include "pact/intake/v1/intake.pb.h"
#include "rpc/status.h"

namespace pact::intake {

// RegisterEncounter: the encounter, with the fields its reporter's sector requires.
std::vector<rpc::FieldViolation> validate_registration(const v1::RegisterEncounterRequest& request,
                                                       std::chrono::system_clock::time_point now);

// AmendCase: the amendment must change something; a replaced person is checked like a registered
// one, but without the sector's extra requirements (the request does not carry the sector).
std::vector<rpc::FieldViolation> validate_amendment(const v1::AmendCaseRequest& request,
                                                    std::chrono::system_clock::time_point now);

// RecordConsent: a consent being given now (not an already withdrawn one).
std::vector<rpc::FieldViolation> validate_consent(const v1::RecordConsentRequest& request,
                                                  std::chrono::system_clock::time_point now);

// WithdrawConsent: empty scopes withdraw all of them.
std::vector<rpc::FieldViolation> validate_withdrawal(const v1::WithdrawConsentRequest& request);

// True for ids of the form the screening catalogues use ("ILO-AL-D1-01", "HEALTH-PHY-03"):
// 3 to 40 characters, upper-case ASCII letters, digits and '-', starting with a letter.
// Whether the id exists in a catalogue is for screening to say.
bool is_well_formed_indicator_id(std::string_view id);

}  // namespace pact::intake
