#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "pact/common/v1/common.pb.h"

namespace pact::routing {

namespace common = ::pact::common::v1;

// Another hub this one hands cases to (config `routing.peers`).
struct PeerHub {
  std::string hub;                                // its prefix, e.g. "mk"
  std::vector<common::Jurisdiction> jurisdictions;  // what it serves
  std::string address;                            // its routing's gRPC address
};

// Where cases go when people move on: which jurisdictions this hub serves itself, which peer
// serves the others, and what a handoff may carry.
struct HandoffPolicy {
  std::string hub;
  std::vector<common::Jurisdiction> served;
  std::vector<PeerHub> peers;
  // The minimum the receiving services need; narrowed further by the basis of each handoff.
  std::vector<common::DataCategory> shared_data = {common::DATA_CATEGORY_IDENTITY, common::DATA_CATEGORY_NEED_DETAILS,
                                                   common::DATA_CATEGORY_INDICATORS, common::DATA_CATEGORY_TRAVEL_PLANS};
  // Escalate a handoff the peer neither accepted nor declined by then (unreachable included).
  std::chrono::seconds answer_timeout{std::chrono::hours(2)};

  bool serves(common::Jurisdiction jurisdiction) const;
  const PeerHub* peer_for(common::Jurisdiction jurisdiction) const;
  const PeerHub* peer_named(const std::string& hub_name) const;
};

}  // namespace pact::routing
