#include "security/hub_certificate_authority.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace pact::security {
namespace {

constexpr std::size_t kMaxRememberedCertificates = 4096;

using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;

std::vector<Certificate> read_certificates(std::string_view pem) {
  std::vector<Certificate> certificates;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certificates.emplace_back(certificate, X509_free);
  }
  return certificates;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the CA file " + file.string());
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

HubCertificateAuthority::HubCertificateAuthority(std::filesystem::path ca_file, std::chrono::milliseconds refresh_interval)
    : ca_file_(std::move(ca_file)),
      refresh_interval_(refresh_interval),
      loaded_(load(ca_file_)),
      loaded_at_(std::chrono::steady_clock::now()) {}

std::shared_ptr<const HubCertificateAuthority::Loaded> HubCertificateAuthority::load(const std::filesystem::path& file) {
  auto loaded = std::make_shared<Loaded>();
  loaded->content = read_text(file);
  loaded->store = std::shared_ptr<X509_STORE>(X509_STORE_new(), X509_STORE_free);
  std::size_t added = 0;
  for (const auto& certificate : read_certificates(loaded->content)) {
    if (X509_STORE_add_cert(loaded->store.get(), certificate.get()) == 1) ++added;
  }
  if (added == 0) throw std::runtime_error("no certificate in the CA file " + file.string());
  // The file's certificates are the anchors, intermediates included (as the handshake treats them).
  X509_STORE_set_flags(loaded->store.get(), X509_V_FLAG_PARTIAL_CHAIN);
  return loaded;
}

std::shared_ptr<const HubCertificateAuthority::Loaded> HubCertificateAuthority::current() const {
  // Called with mutex_ held.
  const auto now = std::chrono::steady_clock::now();
  if (now - loaded_at_ >= refresh_interval_) {
    loaded_at_ = now;
    try {
      if (read_text(ca_file_) != loaded_->content) {
        loaded_ = load(ca_file_);
        verdicts_.clear();
      }
    } catch (const std::exception&) {
      // A rotation caught half-written: keep the CA we have until the file reads whole.
    }
  }
  return loaded_;
}

bool HubCertificateAuthority::issued(const std::string& leaf_pem, std::string_view chain_pem) const {
  std::shared_ptr<const Loaded> loaded;
  {
    std::lock_guard lock(mutex_);
    loaded = current();
    if (auto known = verdicts_.find(leaf_pem); known != verdicts_.end()) return known->second;
  }
  auto leaf = read_certificates(leaf_pem);
  if (leaf.empty()) return false;
  auto presented = read_certificates(chain_pem);
  // The stack only borrows the certificates `presented` owns.
  struct FreeStack {
    void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }
  };
  std::unique_ptr<STACK_OF(X509), FreeStack> untrusted(sk_X509_new_null());
  for (const auto& certificate : presented) sk_X509_push(untrusted.get(), certificate.get());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  const bool verified = context &&
                        X509_STORE_CTX_init(context.get(), loaded->store.get(), leaf.front().get(), untrusted.get()) == 1 &&
                        X509_verify_cert(context.get()) == 1;
  std::lock_guard lock(mutex_);
  if (loaded == loaded_) {
    if (verdicts_.size() >= kMaxRememberedCertificates) verdicts_.clear();
    verdicts_.emplace(leaf_pem, verified);
  }
  return verified;
}

}  // namespace pact::security
