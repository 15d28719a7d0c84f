#include "handoff_inbox.h"

namespace pact::routing {

std::optional<v1::Handoff> HandoffInbox::load(const std::string& handoff_id) const {
  auto reply = redis_.command({"GET", hub_.redis_key({"routing", "handoff-in", handoff_id})});
  if (reply.is_nil()) return std::nullopt;
  v1::Handoff handoff;
  if (!handoff.ParseFromString(reply.text)) throw std::runtime_error("stored handoff " + handoff_id + " is not a Handoff");
  return handoff;
}

void HandoffInbox::save(const v1::Handoff& handoff) const {
  redis_.command({"SET", hub_.redis_key({"routing", "handoff-in", handoff.handoff_id()}), handoff.SerializeAsString()});
}

}  // namespace pact::routing
