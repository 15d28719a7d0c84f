#include "ids/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace pact::ids {
namespace {

crypto::SecretKey key(char fill) { return crypto::SecretKey::from_bytes(std::string(32, fill)); }

TEST(CaseId, IsDeterministicPerHubOrganisationAndKey) {
  IdMinter minter(key('k'));
  std::string first = minter.case_id("wb-rs", "crc-nis", "encounter-17");
  EXPECT_EQ(first, minter.case_id("wb-rs", "crc-nis", "encounter-17"));
  EXPECT_NE(first, minter.case_id("wb-rs", "crc-beograd", "encounter-17"));
  EXPECT_NE(first, minter.case_id("wb-mk", "crc-nis", "encounter-17"));
  EXPECT_NE(first, minter.case_id("wb-rs", "crc-nis", "encounter-18"));
  EXPECT_EQ(first.rfind("case-", 0), 0u);
  EXPECT_EQ(first.size(), 5u + 24u);
}

TEST(CaseId, DependsOnTheSecretKey) {
  EXPECT_NE(IdMinter(key('a')).case_id("h", "o", "k"), IdMinter(key('b')).case_id("h", "o", "k"));
}

TEST(CaseId, PartsCannotBeShiftedIntoACollision) {
  IdMinter minter(key('k'));
  EXPECT_NE(minter.case_id("hub", "org-a", "bc"), minter.case_id("hub", "org-ab", "c"));
}

TEST(EventId, IsDerivedFromInputStageAndPosition) {
  std::string id = derive_event_id("evt-in", "screening", 0);
  EXPECT_EQ(id, derive_event_id("evt-in", "screening", 0));
  std::set<std::string> distinct = {id, derive_event_id("evt-in", "screening", 1),
                                    derive_event_id("evt-in", "routing", 0), derive_event_id("evt-other", "screening", 0)};
  EXPECT_EQ(distinct.size(), 4u);
}

TEST(ReferralIds, NeedAndAttemptNeverEncodeTime) {
  std::string need = need_id("case-x", "URGENT_MEDICAL");
  EXPECT_EQ(need, "case-x/need/URGENT_MEDICAL");
  EXPECT_EQ(attempt_id(need, 2), "case-x/need/URGENT_MEDICAL/attempt/2");
}

TEST(Base32, MatchesRfc4648Vectors) {
  EXPECT_EQ(crypto::base32_lower("f"), "my");
  EXPECT_EQ(crypto::base32_lower("fo"), "mzxq");
  EXPECT_EQ(crypto::base32_lower("foobar"), "mzxw6ytboi");
}

}  // namespace
}  // namespace pact::ids
