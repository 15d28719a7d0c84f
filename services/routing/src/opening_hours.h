#pragma once

#include <chrono>

#include "pact/routing/v1/directory.pb.h"

namespace pact::routing {

// Whether a service takes referrals at `now`, in its schedule's time zone (24/7 services always).
// An unknown time zone counts as closed outside 24/7: better to try the next provider than to
// send a referral to an office nobody reads.
bool open_at(const pact::routing::v1::Schedule& schedule, std::chrono::system_clock::time_point now);

}  // namespace pact::routing
