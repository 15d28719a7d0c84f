#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

typedef struct evp_pkey_st EVP_PKEY;

namespace pact::security {

using PublicKey = std::shared_ptr<EVP_PKEY>;

// The token issuers' public keys: one PEM file per key in a directory, the key id (JWT "kid") being
// the file name without ".pem". A mounted Secret or ConfigMap is such a directory, so keys are
// rotated by adding the new key's file before the issuer uses it and removing the old one later;
// the ring rereads the directory at most once per refresh interval.
class PublicKeyRing {
 public:
  // Throws std::runtime_error when the directory cannot be read or holds no usable key.
  PublicKeyRing(std::filesystem::path directory, std::chrono::milliseconds refresh_interval);

  // nullptr when no key has that id.
  PublicKey find(const std::string& key_id) const;
  std::size_t size() const;

 private:
  using Keys = std::map<std::string, PublicKey>;
  static Keys load(const std::filesystem::path& directory);
  void refresh_if_due() const;

  std::filesystem::path directory_;
  std::chrono::milliseconds refresh_interval_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Keys> keys_;
  mutable std::chrono::steady_clock::time_point loaded_at_;
};

// Reads one PEM public key (RSA, EC P-256 or Ed25519); throws std::runtime_error.
PublicKey read_public_key_pem(const std::filesystem::path& file);

}  // namespace pact::security
