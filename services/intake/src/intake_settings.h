#pragma once

#include <chrono>
#include <string>

#include "config/config_tree.h"
#include "crypto/secret_key.h"
#include "retention_policy.h"

namespace pact::intake {

// Intake's own configuration. The three keys are secrets mounted as files (never in the
// configuration or the repository): the master key wraps every case's data key; the id key makes
// case ids unguessable; the blind-index key makes duplicate-detection tokens unlinkable elsewhere.
struct IntakeSettings {
  crypto::SecretKey master_key;
  crypto::SecretKey id_key;
  crypto::SecretKey blind_index_key;
  std::size_t redis_connections = 8;
  std::chrono::milliseconds key_cache_ttl{60000};  // how long services may cache a released key
  // Where to ask for immediate guidance at registration; empty: guidance is always pending.
  std::string screening_address;
  // How long a registration waits for guidance before answering with guidance pending.
  std::chrono::milliseconds screening_deadline{300};
  RetentionPolicy retention;
};

IntakeSettings read_intake_settings(config::ConfigTree& tree);

}  // namespace pact::intake
