#include "security/certificate_authorities.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/err.h>
#include <openssl/evp.h>
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
  ERR_clear_error();  // the loop ends on "no start line": not an error, and gRPC's threads share the queue
  return certificates;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the CA file " + file.string());
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string fingerprint_of(X509* certificate) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(certificate, EVP_sha256(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

// The length of the chain from `leaf` to the store's CA, if it verifies.
std::optional<std::size_t> chain_length(X509_STORE* store, X509* leaf, STACK_OF(X509) * untrusted) {
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  std::optional<std::size_t> length;
  if (context && X509_STORE_CTX_init(context.get(), store, leaf, untrusted) == 1 && X509_verify_cert(context.get()) == 1) {
    length = static_cast<std::size_t>(sk_X509_num(X509_STORE_CTX_get0_chain(context.get())));
  }
  ERR_clear_error();
  return length;
}

}  // namespace

std::string normalized_fingerprint(std::string_view text) {
  std::string hex;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c))) hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return hex;
}

CertificateAuthorities::CertificateAuthorities(std::filesystem::path file, std::chrono::milliseconds refresh_interval)
    : file_(std::move(file)),
      refresh_interval_(refresh_interval),
      loaded_(load(file_)),
      loaded_at_(std::chrono::steady_clock::now()) {}

std::shared_ptr<const CertificateAuthorities::Loaded> CertificateAuthorities::load(const std::filesystem::path& file) {
  auto loaded = std::make_shared<Loaded>();
  loaded->content = read_text(file);
  for (const auto& certificate : read_certificates(loaded->content)) {
    Authority authority{fingerprint_of(certificate.get()), std::shared_ptr<X509_STORE>(X509_STORE_new(), X509_STORE_free)};
    if (X509_STORE_add_cert(authority.store.get(), certificate.get()) != 1) continue;
    // The file's certificates are anchors, intermediates included (as the handshake treats them).
    X509_STORE_set_flags(authority.store.get(), X509_V_FLAG_PARTIAL_CHAIN);
    loaded->authorities.push_back(std::move(authority));
  }
  ERR_clear_error();
  if (loaded->authorities.empty()) throw std::runtime_error("no certificate in the CA file " + file.string());
  return loaded;
}

std::shared_ptr<const CertificateAuthorities::Loaded> CertificateAuthorities::current() const {
  const auto now = std::chrono::steady_clock::now();
  if (now - loaded_at_ >= refresh_interval_) {
    loaded_at_ = now;
    try {
      if (read_text(file_) != loaded_->content) {
        loaded_ = load(file_);
        issuers_.clear();
      }
    } catch (const std::exception&) {
      // A rotation caught half-written: keep the CAs we have until the file reads whole.
    }
  }
  return loaded_;
}

std::vector<std::string> CertificateAuthorities::fingerprints() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& authority : current()->authorities) out.push_back(authority.fingerprint);
  return out;
}

std::optional<CertificateAuthorities::Issuer> CertificateAuthorities::issuer_of(const std::string& leaf_pem,
                                                                              std::string_view chain_pem) const {
  std::shared_ptr<const Loaded> loaded;
  {
    std::lock_guard lock(mutex_);
    loaded = current();
    if (auto known = issuers_.find(leaf_pem); known != issuers_.end()) return known->second;
  }
  std::optional<Issuer> issuer;
  auto leaf = read_certificates(leaf_pem);
  if (!leaf.empty()) {
    auto presented = read_certificates(chain_pem);
    // The stack only borrows the certificates `presented` owns.
    struct FreeStack {
      void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }
    };
    std::unique_ptr<STACK_OF(X509), FreeStack> untrusted(sk_X509_new_null());
    for (const auto& certificate : presented) sk_X509_push(untrusted.get(), certificate.get());
    for (const auto& authority : loaded->authorities) {
      const auto length = chain_length(authority.store.get(), leaf.front().get(), untrusted.get());
      if (length && (!issuer || *length < issuer->distance)) issuer = Issuer{authority.fingerprint, *length};
    }
  }
  std::lock_guard lock(mutex_);
  if (loaded == loaded_) {
    if (issuers_.size() >= kMaxRememberedCertificates) issuers_.clear();
    issuers_.emplace(leaf_pem, issuer);
  }
  return issuer;
}

}  // namespace pact::security
