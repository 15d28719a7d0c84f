#include "handoff_policy.h"

#include <algorithm>

namespace pact::routing {

bool HandoffPolicy::serves(common::Jurisdiction jurisdiction) const {
  return std::find(served.begin(), served.end(), jurisdiction) != served.end();
}

const PeerHub* HandoffPolicy::peer_for(common::Jurisdiction jurisdiction) const {
  for (const auto& peer : peers) {
    if (std::find(peer.jurisdictions.begin(), peer.jurisdictions.end(), jurisdiction) != peer.jurisdictions.end()) return &peer;
  }
  return nullptr;
}

const PeerHub* HandoffPolicy::peer_named(const std::string& hub_name) const {
  for (const auto& peer : peers) {
    if (peer.hub == hub_name) return &peer;
  }
  return nullptr;
}

}  // namespace pact::routing
