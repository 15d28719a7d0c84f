#pragma once

#include <ostream>
#include <string>

#include "pact/routing/v1/routing.pb.h"

namespace pactctl {

// How referrals and decisions look to people at a terminal.

// The deadline the referral waits on now ("2026-03-01 14:05Z (in 35m)"): acknowledgement while
// requested, acceptance while received; empty once answered.
std::string due_text(const pact::routing::v1::Referral& referral);

// One line per referral attempt, in the order given (routing sends the oldest deadline first).
void print_referrals(std::ostream& out, const google::protobuf::RepeatedPtrField<pact::routing::v1::Referral>& referrals,
                     const std::string& indent = "");

// One referral with its deadlines and history.
void print_referral(std::ostream& out, const pact::routing::v1::Referral& referral);

void print_decision(std::ostream& out, const pact::routing::v1::Decision& decision);

}  // namespace pactctl
