#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

typedef struct x509_store_st X509_STORE;

namespace pact::security {

// Tells certificates the hub's own CA issued from those a peer hub's CA did. The TLS handshake
// trusts both (security.tls.ca_file and peer_ca_file); only the first may prove a service of
// this hub. The CA file is reread at most once per refresh interval, when its content changed.
class HubCertificateAuthority {
 public:
  // Throws std::runtime_error when the file cannot be read or holds no certificate.
  HubCertificateAuthority(std::filesystem::path ca_file, std::chrono::milliseconds refresh_interval);

  // `leaf_pem` is the client's certificate, `chain_pem` what else it presented (may be empty).
  bool issued(const std::string& leaf_pem, std::string_view chain_pem) const;

 private:
  struct Loaded {
    std::string content;
    std::shared_ptr<X509_STORE> store;
  };
  static std::shared_ptr<const Loaded> load(const std::filesystem::path& file);
  std::shared_ptr<const Loaded> current() const;

  std::filesystem::path ca_file_;
  std::chrono::milliseconds refresh_interval_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Loaded> loaded_;
  mutable std::chrono::steady_clock::time_point loaded_at_;
  // Verdicts by leaf certificate, for the CA content they were made under: a signature check per
  // call would cost more than the call's own work.
  mutable std::map<std::string, bool, std::less<>> verdicts_;
};

}  // namespace pact::security
