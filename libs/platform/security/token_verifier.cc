#include "security/token_verifier.h"

#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>

#include <nlohmann/json.hpp>

#include "security/base64url.h"

namespace pact::security {
namespace {

using Json = nlohmann::json;

TokenCheck refuse(std::string problem) { return {std::nullopt, std::move(problem)}; }

std::optional<Json> decode_json_part(std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  Json value = Json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

bool key_fits_algorithm(EVP_PKEY* key, std::string_view algorithm) {
  const int type = EVP_PKEY_get_base_id(key);
  if (algorithm == "EdDSA") return type == EVP_PKEY_ED25519;
  if (algorithm == "RS256") return type == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) >= 2048;
  if (algorithm == "ES256") {
    if (type != EVP_PKEY_EC) return false;
    char group[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1) {
      return false;
    }
    return std::string_view(group, length) == "prime256v1";
  }
  return false;
}

// JWS carries ES256 signatures as r||s (32 bytes each); OpenSSL verifies DER.
std::optional<std::string> es256_to_der(std::string_view signature) {
  if (signature.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()) + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int length = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (length <= 0) return std::nullopt;
  std::string result(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return result;
}

std::optional<std::vector<std::string>> string_array(const Json& claims, const char* name) {
  auto found = claims.find(name);
  if (found == claims.end()) return std::vector<std::string>{};
  if (!found->is_array()) return std::nullopt;
  std::vector<std::string> items;
  for (const auto& item : *found) {
    if (!item.is_string()) return std::nullopt;
    items.push_back(item.get<std::string>());
  }
  return items;
}

bool audience_matches(const Json& claims, const std::string& audience) {
  auto found = claims.find("aud");
  if (found == claims.end()) return false;
  if (found->is_string()) return found->get<std::string>() == audience;
  if (!found->is_array()) return false;
  for (const auto& item : *found) {
    if (item.is_string() && item.get<std::string>() == audience) return true;
  }
  return false;
}

// NumericDate (RFC 7519): whole seconds. Only integers in [0, 2^53) are taken, so no arithmetic on
// them can overflow.
std::optional<std::int64_t> seconds_claim(const Json& claims, const char* name) {
  auto found = claims.find(name);
  if (found == claims.end()) return std::nullopt;
  constexpr std::int64_t kLimit = std::int64_t{1} << 53;
  if (found->is_number_unsigned()) {
    const auto value = found->get<std::uint64_t>();
    if (value < static_cast<std::uint64_t>(kLimit)) return static_cast<std::int64_t>(value);
  } else if (found->is_number_integer()) {
    const auto value = found->get<std::int64_t>();
    if (value >= 0 && value < kLimit) return value;
  }
  return std::nullopt;
}

// A string member, or empty when absent or not a string (a token is untrusted input until verified).
std::string string_member(const Json& object, const char* name) {
  auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

bool signature_matches(const PublicKey& key, std::string_view algorithm, std::string_view signed_part,
                       std::string_view signature) {
  if (!key || !key_fits_algorithm(key.get(), algorithm)) return false;
  std::string der;
  if (algorithm == "ES256") {
    auto converted = es256_to_der(signature);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  }
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!context) return false;
  // Ed25519 hashes internally and takes no digest.
  const EVP_MD* digest = algorithm == "EdDSA" ? nullptr : EVP_sha256();
  if (EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

TokenVerifier::TokenVerifier(const config::TokenSettings& settings)
    : settings_(settings), keys_(settings.public_keys_directory, settings.refresh_interval) {}

TokenCheck TokenVerifier::verify(std::string_view token, std::chrono::system_clock::time_point now) const {
  const std::size_t first_dot = token.find('.');
  const std::size_t second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
    return refuse("the bearer token is not a signed JWT");
  }
  auto header = decode_json_part(token.substr(0, first_dot));
  auto claims = decode_json_part(token.substr(first_dot + 1, second_dot - first_dot - 1));
  auto signature = base64url_decode(token.substr(second_dot + 1));
  if (!header || !claims || !signature) return refuse("the bearer token is not a well-formed JWT");

  const std::string algorithm = string_member(*header, "alg");
  if (algorithm != "EdDSA" && algorithm != "ES256" && algorithm != "RS256") {
    return refuse("token algorithm not accepted (EdDSA, ES256 or RS256)");
  }
  const std::string key_id = string_member(*header, "kid");
  PublicKey key = keys_.find(key_id);
  if (!key) return refuse("token signed with an unknown key");
  if (!signature_matches(key, algorithm, token.substr(0, second_dot), *signature)) {
    return refuse("token signature does not verify");
  }

  const auto leeway = std::chrono::duration_cast<std::chrono::seconds>(settings_.leeway).count();
  const auto now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  auto expires = seconds_claim(*claims, "exp");
  if (!expires) return refuse("token has no expiry");
  if (*expires + leeway <= now_seconds) return refuse("token expired");
  auto not_before = seconds_claim(*claims, "nbf");
  if (not_before && *not_before - leeway > now_seconds) return refuse("token not valid yet");
  // The lifetime counts from issue: a token without iat, or issued in the future, could be a
  // long-lived token presented near its end.
  auto issued = seconds_claim(*claims, "iat");
  if (!issued) return refuse("token has no issue time");
  if (*issued - leeway > now_seconds) return refuse("token issued in the future");
  const auto start = not_before ? std::min(*issued, *not_before) : *issued;
  const auto max_lifetime = std::chrono::duration_cast<std::chrono::seconds>(settings_.max_lifetime).count();
  if (*expires - start > max_lifetime) return refuse("token lifetime exceeds security.tokens.max_lifetime");
  if (string_member(*claims, "iss") != settings_.issuer) return refuse("token from another issuer");
  if (!audience_matches(*claims, settings_.audience)) return refuse("token for another audience");

  rpc::Caller caller;
  caller.kind = rpc::CallerKind::person;
  caller.subject = string_member(*claims, "sub");
  caller.organisation = string_member(*claims, "org");
  caller.sector = string_member(*claims, "sector");
  auto roles = string_array(*claims, "roles");
  auto jurisdictions = string_array(*claims, "jurisdictions");
  if (caller.subject.empty() || caller.organisation.empty() || !roles || !jurisdictions) {
    return refuse("token lacks sub, org, roles or jurisdictions");
  }
  caller.roles = std::move(*roles);
  caller.jurisdictions = std::move(*jurisdictions);
  caller.bearer_token = std::string(token);
  return {std::move(caller), {}};
}

}  // namespace pact::security
