#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

typedef struct x509_store_st X509_STORE;

namespace pact::security {

// The CA certificates of one PEM file, each kept apart, to tell which of them issued a client's
// certificate: the handshake only says that one of all the trusted CAs did. The hub's own CAs
// (security.tls.ca_file) prove its services; each peer hub's CA proves only the policy entries
// pinned to it. The file is reread at most once per refresh interval, when its content changed.
class CertificateAuthorities {
 public:
  // Throws std::runtime_error when the file cannot be read or holds no certificate.
  CertificateAuthorities(std::filesystem::path file, std::chrono::milliseconds refresh_interval);

  // The CA in this file nearest to `leaf_pem` in a chain that verifies (the rest of the presented
  // chain, `chain_pem`, may serve as intermediates), or nothing. The nearest, because a CA in the
  // file may have signed another (a peer's CA under a regional root): the one that issued the
  // certificate, or the intermediate under it, is the one it belongs to.
  struct Issuer {
    std::string fingerprint;  // SHA-256 of the CA certificate, lowercase hex
    std::size_t distance = 0;  // certificates from the leaf to that CA, both counted
  };
  std::optional<Issuer> issuer_of(const std::string& leaf_pem, std::string_view chain_pem) const;
  // The fingerprints of the CAs in the file as it was read last.
  std::vector<std::string> fingerprints() const;

 private:
  struct Authority {
    std::string fingerprint;
    std::shared_ptr<X509_STORE> store;  // this CA alone
  };
  struct Loaded {
    std::string content;
    std::vector<Authority> authorities;
  };
  static std::shared_ptr<const Loaded> load(const std::filesystem::path& file);
  std::shared_ptr<const Loaded> current() const;  // with mutex_ held

  std::filesystem::path file_;
  std::chrono::milliseconds refresh_interval_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const Loaded> loaded_;
  mutable std::chrono::steady_clock::time_point loaded_at_;
  // Answers by leaf certificate under the CAs they were found with: a signature check per call
  // would cost more than the call's own work.
  mutable std::map<std::string, std::optional<Issuer>, std::less<>> issuers_;
};

// "AB:CD:..." (openssl x509 -fingerprint -sha256) or "abcd...": lowercase hex without separators.
std::string normalized_fingerprint(std::string_view text);

}  // namespace pact::security
