#include "security/token_signer.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "security/base64url.h"

namespace pact::security {

TokenSigner::TokenSigner(const std::filesystem::path& private_key_file)
    : key_(nullptr, &EVP_PKEY_free), key_id_(private_key_file.stem().string()) {
  std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen(private_key_file.c_str(), "rb"), &std::fclose);
  if (!in) throw std::runtime_error("cannot read " + private_key_file.string());
  EVP_PKEY* key = PEM_read_PrivateKey(in.get(), nullptr, nullptr, nullptr);
  if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    throw std::runtime_error(private_key_file.string() + " is not an Ed25519 private key in PEM");
  }
  key_ = PublicKey(key, &EVP_PKEY_free);
}

std::string TokenSigner::sign(const TokenRequest& request) const {
  const auto issued = std::chrono::duration_cast<std::chrono::seconds>(request.issued_at.time_since_epoch()).count();
  nlohmann::json header = {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", key_id_}};
  nlohmann::json claims = {{"iss", request.issuer},
                           {"aud", request.audience},
                           {"sub", request.person.subject},
                           {"org", request.person.organisation},
                           {"roles", request.person.roles},
                           {"jurisdictions", request.person.jurisdictions},
                           {"iat", issued},
                           {"nbf", issued},
                           {"exp", issued + request.lifetime.count()}};
  if (!request.person.sector.empty()) claims["sector"] = request.person.sector;
  const std::string signed_part = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());

  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::string signature(64, '\0');
  std::size_t length = signature.size();
  if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) != 1) {
    throw std::runtime_error("token signing failed");
  }
  signature.resize(length);
  return signed_part + "." + base64url_encode(signature);
}

}  // namespace pact::security
