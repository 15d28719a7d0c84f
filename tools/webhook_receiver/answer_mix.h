#pragma once

// Which answer a provider gives to a referral request, when pact-webhook-receiver stands in for the
// providers (referral_answerer.h). Decided by a hash of the referral id alone, so the same run
// gives the same answers every time, and a re-routed attempt (a new id) is decided afresh.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pact/routing/v1/routing.pb.h"

namespace pact::tools::webhook_receiver {

// Percentages of referral requests accepted and rejected; the rest are never answered, so that
// routing's deadlines remind, re-route and escalate as they would with real providers.
struct AnswerMix {
  int accept_percent = 50;
  int reject_percent = 25;
};

// "accept=50,reject=25" (either may be left out: 0); each 0..100, together at most 100. On error
// returns nullopt and sets `error`.
std::optional<AnswerMix> parse_answer_mix(std::string_view text, std::string& error);

enum class ProviderAnswer { accept, reject, none };

// "accept", "reject", "none": for stats.
const char* answer_name(ProviderAnswer answer);

// The answer the mix gives `referral_id`; the same id always gets the same answer.
ProviderAnswer choose_answer(const AnswerMix& mix, std::string_view referral_id);

// The reason a rejection of `referral_id` gives: what providers say most during mass arrivals (no
// capacity), or another reason a provider can give on its own (outside the service area, service
// unavailable). Never one that ends the need (the person declined), so every rejection re-routes.
routing::v1::ReferralStatusReason rejection_reason(std::string_view referral_id);

}  // namespace pact::tools::webhook_receiver
