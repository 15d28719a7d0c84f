#include <gtest/gtest.h>

#include "crypto/aead.h"
#include "crypto/key_wrap.h"
#include "crypto/keyed_hash.h"
#include "crypto/secret_key.h"

namespace pact::crypto {
namespace {

TEST(Aead, RoundTripsWithTheSameAssociatedData) {
  SecretKey key = SecretKey::generate();
  std::string ad = case_associated_data("case-1", "pact.intake.v1.Person");
  std::string envelope = seal(key, "Марко / مرقس", ad);
  EXPECT_EQ(envelope.find("Марко"), std::string::npos);
  EXPECT_EQ(open(key, envelope, ad), "Марко / مرقس");
}

TEST(Aead, RefusesAnotherCaseAnotherRecordTypeOrAnotherKey) {
  SecretKey key = SecretKey::generate();
  std::string envelope = seal(key, "secret", case_associated_data("case-1", "pact.intake.v1.Person"));
  EXPECT_FALSE(open(key, envelope, case_associated_data("case-2", "pact.intake.v1.Person")));
  EXPECT_FALSE(open(key, envelope, case_associated_data("case-1", "pact.intake.v1.Need")));
  EXPECT_FALSE(open(SecretKey::generate(), envelope, case_associated_data("case-1", "pact.intake.v1.Person")));
}

TEST(Aead, DetectsTamperingAndTruncation) {
  SecretKey key = SecretKey::generate();
  std::string envelope = seal(key, "secret", "ad");
  for (size_t i = 0; i < envelope.size(); ++i) {
    std::string changed = envelope;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    EXPECT_FALSE(open(key, changed, "ad")) << "byte " << i;
  }
  EXPECT_FALSE(open(key, envelope.substr(0, 10), "ad"));
  EXPECT_FALSE(open(key, "", "ad"));
}

TEST(Aead, UsesAFreshNonceEachTime) {
  SecretKey key = SecretKey::generate();
  EXPECT_NE(seal(key, "same", "ad"), seal(key, "same", "ad"));
}

TEST(KeyWrap, WrappedKeyOpensOnlyForItsCaseAndMaster) {
  KeyWrapper wrapper(SecretKey::generate());
  SecretKey data_key = SecretKey::generate();
  std::string wrapped = wrapper.wrap(data_key, "case-1");
  auto unwrapped = wrapper.unwrap(wrapped, "case-1");
  ASSERT_TRUE(unwrapped);
  EXPECT_EQ(unwrapped->view(), data_key.view());
  EXPECT_FALSE(wrapper.unwrap(wrapped, "case-2"));
  EXPECT_FALSE(KeyWrapper(SecretKey::generate()).unwrap(wrapped, "case-1"));
}

TEST(SecretKey, ParsesHexAndBase64AndRejectsTheRest) {
  std::string hex(64, 'a');
  EXPECT_EQ(SecretKey::from_text(hex + "\n").view(), std::string(32, '\xaa'));
  EXPECT_EQ(SecretKey::from_text("qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=").view(), std::string(32, '\xaa'));
  EXPECT_THROW(SecretKey::from_text("too short"), std::invalid_argument);
  EXPECT_THROW(SecretKey::from_text(std::string(62, 'a')), std::invalid_argument);
  EXPECT_THROW(SecretKey::from_file("/nonexistent/master.key"), std::invalid_argument);
}

TEST(KeyedHash, IsHmacSha256OverLengthPrefixedParts) {
  KeyedHasher hasher(SecretKey::from_bytes(std::string(32, 'k')));
  EXPECT_EQ(hasher.digest({"a", "b"}).size(), 32u);
  EXPECT_EQ(hasher.digest({"a", "b"}), hasher.digest({"a", "b"}));
  EXPECT_NE(hasher.digest({"ab", ""}), hasher.digest({"a", "b"}));
  EXPECT_NE(hasher.digest({"a", "b"}), KeyedHasher(SecretKey::from_bytes(std::string(32, 'j'))).digest({"a", "b"}));
}

}  // namespace
}  // namespace pact::crypto
