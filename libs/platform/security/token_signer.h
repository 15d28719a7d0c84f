#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "rpc/caller.h"
#include "security/public_key_ring.h"

namespace pact::security {

struct TokenRequest {
  rpc::Caller person;
  std::string issuer;
  std::string audience = "pact";
  std::chrono::system_clock::time_point issued_at = std::chrono::system_clock::now();
  std::chrono::seconds lifetime{3600};
};

// Mints EdDSA tokens for the local run, the tests and `pactctl token` (an identity provider does
// this in a deployment). The key id is the private key file's name without ".pem", matching the
// public key file the services read.
class TokenSigner {
 public:
  // Throws std::runtime_error when the file is not an Ed25519 private key in PEM.
  explicit TokenSigner(const std::filesystem::path& private_key_file);
  std::string sign(const TokenRequest& request) const;
  const std::string& key_id() const { return key_id_; }

 private:
  PublicKey key_;  // the private key (EVP_PKEY holds either)
  std::string key_id_;
};

}  // namespace pact::security
