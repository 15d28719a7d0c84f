#include <gtest/gtest.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

#include "security/base64url.h"
#include "security/token_signer.h"
#include "security/token_verifier.h"

namespace pact::security {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;
using KeyPointer = std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)>;

KeyPointer generate(const char* type, const char* parameter = nullptr) {
  EVP_PKEY* key = nullptr;
  if (std::string(type) == "RSA") {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  } else if (parameter != nullptr) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, type, parameter);
  } else {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, type);
  }
  return KeyPointer(key, &EVP_PKEY_free);
}

void write_pem(const fs::path& file, EVP_PKEY* key, bool private_key) {
  std::unique_ptr<FILE, int (*)(FILE*)> out(std::fopen(file.c_str(), "wb"), &std::fclose);
  ASSERT_TRUE(out);
  if (private_key) {
    ASSERT_EQ(PEM_write_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  } else {
    ASSERT_EQ(PEM_write_PUBKEY(out.get(), key), 1);
  }
}

std::string sign_raw(EVP_PKEY* key, const EVP_MD* digest, const std::string& data) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestSignInit(context.get(), nullptr, digest, nullptr, key);
  std::size_t length = 0;
  EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string signature(length, '\0');
  EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(data.data()), data.size());
  signature.resize(length);
  return signature;
}

// ES256 in JWS is r||s, OpenSSL signs DER.
std::string der_to_raw(const std::string& der) {
  const unsigned char* cursor = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size()));
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  return raw;
}

class TokenVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("pact-token-test-" + std::to_string(::getpid()));
    fs::remove_all(directory_);
    fs::create_directories(directory_ / "public");
    fs::create_directories(directory_ / "private");
    auto ed = generate("ED25519");
    write_pem(directory_ / "public" / "issuer-1.pem", ed.get(), false);
    write_pem(directory_ / "private" / "issuer-1.pem", ed.get(), true);
    auto other = generate("ED25519");
    write_pem(directory_ / "private" / "stranger.pem", other.get(), true);
    settings_.issuer = "https://idp.example";
    settings_.audience = "pact";
    settings_.public_keys_directory = (directory_ / "public").string();
  }
  void TearDown() override { fs::remove_all(directory_); }

  TokenRequest request(Clock::time_point issued = Clock::now()) {
    TokenRequest token;
    token.person.subject = "u-1207";
    token.person.organisation = "csr-belgrade";
    token.person.roles = {"case_worker"};
    token.person.jurisdictions = {"RS"};
    token.issuer = settings_.issuer;
    token.issued_at = issued;
    return token;
  }

  std::string unsigned_token(const nlohmann::json& header, const nlohmann::json& claims) {
    return base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  }

  nlohmann::json claims() {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
    return {{"iss", settings_.issuer}, {"aud", "pact"}, {"sub", "u-9"}, {"org", "ngo-atina"},
            {"roles", {"provider"}}, {"jurisdictions", {"RS"}}, {"iat", now}, {"exp", now + 600}};
  }

  fs::path directory_;
  config::TokenSettings settings_;
};

TEST_F(TokenVerifierTest, AValidEdDsaTokenGivesThePerson) {
  TokenVerifier verifier(settings_);
  TokenSigner signer(directory_ / "private" / "issuer-1.pem");
  const std::string token = signer.sign(request());
  TokenCheck check = verifier.verify(token, Clock::now());
  ASSERT_TRUE(check.caller) << check.problem;
  EXPECT_EQ(check.caller->kind, rpc::CallerKind::person);
  EXPECT_EQ(check.caller->subject, "u-1207");
  EXPECT_EQ(check.caller->organisation, "csr-belgrade");
  EXPECT_EQ(check.caller->roles, std::vector<std::string>{"case_worker"});
  EXPECT_EQ(check.caller->jurisdictions, std::vector<std::string>{"RS"});
  EXPECT_EQ(check.caller->bearer_token, token);
}

TEST_F(TokenVerifierTest, ExpiredTokensAreRefusedAfterTheLeeway) {
  TokenVerifier verifier(settings_);
  TokenSigner signer(directory_ / "private" / "issuer-1.pem");
  const auto issued = Clock::now() - std::chrono::hours(2);
  const std::string token = signer.sign(request(issued));  // lifetime 1 h: expired an hour ago
  TokenCheck check = verifier.verify(token, Clock::now());
  EXPECT_FALSE(check.caller);
  EXPECT_EQ(check.problem, "token expired");
  // Thirty seconds after expiry is within the 60 s leeway for clock skew.
  EXPECT_TRUE(verifier.verify(token, issued + std::chrono::hours(1) + std::chrono::seconds(30)).caller);
}

TEST_F(TokenVerifierTest, ASignatureByAnotherKeyOrATamperedClaimIsRefused) {
  TokenVerifier verifier(settings_);
  // The stranger's key claims the trusted key id: the signature does not verify.
  const fs::path impostor = directory_ / "private" / "issuer-1-impostor";
  fs::create_directories(impostor);
  fs::copy_file(directory_ / "private" / "stranger.pem", impostor / "issuer-1.pem");
  TokenSigner forger(impostor / "issuer-1.pem");
  EXPECT_EQ(verifier.verify(forger.sign(request()), Clock::now()).problem, "token signature does not verify");

  TokenSigner unknown(directory_ / "private" / "stranger.pem");
  EXPECT_EQ(verifier.verify(unknown.sign(request()), Clock::now()).problem, "token signed with an unknown key");

  // Raising one's own roles breaks the signature.
  TokenSigner signer(directory_ / "private" / "issuer-1.pem");
  std::string token = signer.sign(request());
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  auto claims = nlohmann::json::parse(*base64url_decode(token.substr(first + 1, second - first - 1)));
  claims["roles"] = {"coordinator"};
  std::string tampered = token.substr(0, first + 1) + base64url_encode(claims.dump()) + token.substr(second);
  EXPECT_EQ(verifier.verify(tampered, Clock::now()).problem, "token signature does not verify");
}

TEST_F(TokenVerifierTest, UnsignedAndHmacTokensAreNeverAccepted) {
  TokenVerifier verifier(settings_);
  const std::string none = unsigned_token({{"alg", "none"}, {"kid", "issuer-1"}}, claims()) + ".";
  EXPECT_FALSE(verifier.verify(none, Clock::now()).caller);
  const std::string hmac = unsigned_token({{"alg", "HS256"}, {"kid", "issuer-1"}}, claims()) + ".c2ln";
  EXPECT_FALSE(verifier.verify(hmac, Clock::now()).caller);
  EXPECT_FALSE(verifier.verify("not-a-token", Clock::now()).caller);
  EXPECT_FALSE(verifier.verify("a.b.c.d", Clock::now()).caller);
}

TEST_F(TokenVerifierTest, IssuerAudienceLifetimeAndRequiredClaimsAreChecked) {
  TokenVerifier verifier(settings_);
  TokenSigner signer(directory_ / "private" / "issuer-1.pem");
  TokenRequest other_issuer = request();
  other_issuer.issuer = "https://elsewhere.example";
  EXPECT_EQ(verifier.verify(signer.sign(other_issuer), Clock::now()).problem, "token from another issuer");
  TokenRequest other_audience = request();
  other_audience.audience = "another-system";
  EXPECT_EQ(verifier.verify(signer.sign(other_audience), Clock::now()).problem, "token for another audience");
  TokenRequest month = request();
  month.lifetime = std::chrono::hours(24 * 30);
  EXPECT_EQ(verifier.verify(signer.sign(month), Clock::now()).problem,
            "token lifetime exceeds security.tokens.max_lifetime");
  TokenRequest nobody = request();
  nobody.person.organisation.clear();
  EXPECT_EQ(verifier.verify(signer.sign(nobody), Clock::now()).problem,
            "token lacks sub, org, roles or jurisdictions");
}

TEST_F(TokenVerifierTest, Rs256AndEs256TokensFromAnIdentityProviderVerify) {
  auto rsa = generate("RSA");
  auto ec = generate("EC", "P-256");
  write_pem(directory_ / "public" / "rsa-key.pem", rsa.get(), false);
  write_pem(directory_ / "public" / "ec-key.pem", ec.get(), false);
  TokenVerifier verifier(settings_);

  const std::string rs_part = unsigned_token({{"alg", "RS256"}, {"kid", "rsa-key"}}, claims());
  const std::string rs_token = rs_part + "." + base64url_encode(sign_raw(rsa.get(), EVP_sha256(), rs_part));
  TokenCheck rs = verifier.verify(rs_token, Clock::now());
  ASSERT_TRUE(rs.caller) << rs.problem;
  EXPECT_EQ(rs.caller->roles, std::vector<std::string>{"provider"});

  const std::string es_part = unsigned_token({{"alg", "ES256"}, {"kid", "ec-key"}}, claims());
  const std::string es_token =
      es_part + "." + base64url_encode(der_to_raw(sign_raw(ec.get(), EVP_sha256(), es_part)));
  TokenCheck es = verifier.verify(es_token, Clock::now());
  EXPECT_TRUE(es.caller) << es.problem;

  // An RSA key cannot be used to pass an EdDSA or ES256 token off.
  const std::string confused = unsigned_token({{"alg", "ES256"}, {"kid", "rsa-key"}}, claims());
  EXPECT_FALSE(verifier.verify(confused + "." + base64url_encode(std::string(64, 'x')), Clock::now()).caller);
}

TEST_F(TokenVerifierTest, MalformedOrOpenEndedClaimsAreRefusedNeverThrown) {
  TokenVerifier verifier(settings_);
  std::unique_ptr<FILE, int (*)(FILE*)> in(std::fopen((directory_ / "private" / "issuer-1.pem").c_str(), "rb"), &std::fclose);
  KeyPointer key(PEM_read_PrivateKey(in.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  ASSERT_TRUE(key);
  auto signed_token = [&](const nlohmann::json& header, const nlohmann::json& body) {
    const std::string part = unsigned_token(header, body);
    return part + "." + base64url_encode(sign_raw(key.get(), nullptr, part));
  };
  const nlohmann::json header = {{"alg", "EdDSA"}, {"kid", "issuer-1"}};
  // Not strings where strings belong: refused, not an exception out of the handler wrapper.
  EXPECT_FALSE(verifier.verify(signed_token({{"alg", 5}, {"kid", "issuer-1"}}, claims()), Clock::now()).caller);
  EXPECT_FALSE(verifier.verify(signed_token({{"alg", "EdDSA"}, {"kid", {1, 2}}}, claims()), Clock::now()).caller);
  nlohmann::json odd = claims();
  odd["iss"] = 42;
  EXPECT_EQ(verifier.verify(signed_token(header, odd), Clock::now()).problem, "token from another issuer");
  // A lifetime must count from issue: no iat, or an iat in the future, is refused.
  nlohmann::json undated = claims();
  undated.erase("iat");
  EXPECT_EQ(verifier.verify(signed_token(header, undated), Clock::now()).problem, "token has no issue time");
  nlohmann::json future = claims();
  future["iat"] = future["exp"].get<std::int64_t>() - 10;
  EXPECT_EQ(verifier.verify(signed_token(header, future), Clock::now()).problem, "token issued in the future");
  // Expiry far beyond any clock, or not an integer: refused, no overflow.
  nlohmann::json forever = claims();
  forever["exp"] = 1e300;
  EXPECT_EQ(verifier.verify(signed_token(header, forever), Clock::now()).problem, "token has no expiry");
  forever["exp"] = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(verifier.verify(signed_token(header, forever), Clock::now()).problem, "token has no expiry");
}

TEST_F(TokenVerifierTest, AnEmptyKeyDirectoryIsAStartupError) {
  fs::create_directories(directory_ / "empty");
  settings_.public_keys_directory = (directory_ / "empty").string();
  EXPECT_THROW(TokenVerifier{settings_}, std::runtime_error);
}

TEST(Base64Url, RoundTripsEveryLengthAndRefusesForeignCharacters) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64url_decode("ab+c"));
  EXPECT_FALSE(base64url_decode("a"));
}

}  // namespace
}  // namespace pact::security
