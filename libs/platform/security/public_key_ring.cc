#include "security/public_key_ring.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <stdexcept>

#include "log/logger.h"

namespace pact::security {

PublicKey read_public_key_pem(const std::filesystem::path& file) {
  std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  EVP_PKEY* key = PEM_read_PUBKEY(in.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) throw std::runtime_error(file.string() + " is not a PEM public key");
  return PublicKey(key, &EVP_PKEY_free);
}

PublicKeyRing::PublicKeyRing(std::filesystem::path directory, std::chrono::milliseconds refresh_interval)
    : directory_(std::move(directory)), refresh_interval_(refresh_interval) {
  auto keys = std::make_shared<const Keys>(load(directory_));
  if (keys->empty()) throw std::runtime_error("no token public key (*.pem) in " + directory_.string());
  keys_ = std::move(keys);
  loaded_at_ = std::chrono::steady_clock::now();
}

PublicKeyRing::Keys PublicKeyRing::load(const std::filesystem::path& directory) {
  Keys keys;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    // Kubernetes mounts files through "..data" symlinks; hidden entries are its bookkeeping.
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || entry.path().extension() != ".pem") continue;
    keys.emplace(entry.path().stem().string(), read_public_key_pem(entry.path()));
  }
  if (error) throw std::runtime_error("cannot list " + directory.string() + ": " + error.message());
  return keys;
}

void PublicKeyRing::refresh_if_due() const {
  const auto now = std::chrono::steady_clock::now();
  if (now - loaded_at_ < refresh_interval_) return;
  loaded_at_ = now;
  try {
    auto keys = load(directory_);
    if (keys.empty()) {
      log::warn("token key directory is empty; keeping the keys loaded before", {{"directory", directory_.string()}});
      return;
    }
    keys_ = std::make_shared<const Keys>(std::move(keys));
  } catch (const std::exception& e) {
    // A half-written rotation must not lock everyone out: keep verifying with the previous keys.
    log::warn("token keys not reloaded; keeping the keys loaded before", {{"error", e.what()}});
  }
}

PublicKey PublicKeyRing::find(const std::string& key_id) const {
  std::lock_guard lock(mutex_);
  refresh_if_due();
  auto found = keys_->find(key_id);
  return found == keys_->end() ? nullptr : found->second;
}

std::size_t PublicKeyRing::size() const {
  std::lock_guard lock(mutex_);
  return keys_->size();
}

}  // namespace pact::security
