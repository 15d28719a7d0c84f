#include "kafka/offset_ledger.h"

#include <gtest/gtest.h>

#include "support/infrastructure.h"

namespace pact::testing {
namespace {

using Outcome = kafka::OffsetLedger::Outcome;

class OffsetLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    redis_ = std::make_unique<redis::RedisClient>(Infrastructure::instance().redis_endpoint());
    hub_ = std::make_unique<config::Hub>("t-ledger-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000));
  }

  kafka::WriteBatch push(const std::string& value) {
    kafka::WriteBatch batch;
    batch.add({"RPUSH", hub_->redis_key({"effects"}), value});
    return batch;
  }
  long long effect_count() { return redis_->command({"LLEN", hub_->redis_key({"effects"})}).as_integer(); }

  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<config::Hub> hub_;
};

TEST_F(OffsetLedgerTest, AFencedOutConsumersWriteIsRefused) {
  kafka::OffsetLedger old_owner(*redis_, *hub_, "group", "consumer-a");
  kafka::OffsetLedger new_owner(*redis_, *hub_, "group", "consumer-b");
  auto claim_a = old_owner.claim("topic", 0);
  ASSERT_EQ(old_owner.apply("topic", 0, {claim_a.epoch, claim_a.next_offset}, 0, "", 0, push("a0")).outcome,
            Outcome::applied);
  // A rebalance gives the partition to b; a is still running (e.g. paused in GC) and tries to write.
  auto claim_b = new_owner.claim("topic", 0);
  EXPECT_GT(claim_b.epoch, claim_a.epoch);
  EXPECT_EQ(claim_b.next_offset, 1);
  EXPECT_EQ(old_owner.apply("topic", 0, {claim_a.epoch, 1}, 1, "", 0, push("a1")).outcome, Outcome::fenced);
  EXPECT_EQ(new_owner.apply("topic", 0, {claim_b.epoch, 1}, 1, "", 0, push("b1")).outcome, Outcome::applied);
  EXPECT_EQ(effect_count(), 2) << "the fenced write left no effect";
}

TEST_F(OffsetLedgerTest, SameEpochFromAnotherOwnerIsFencedToo) {
  kafka::OffsetLedger a(*redis_, *hub_, "group", "consumer-a");
  kafka::OffsetLedger b(*redis_, *hub_, "group", "consumer-b");
  auto claim_b = b.claim("topic", 3);
  EXPECT_EQ(a.apply("topic", 3, {claim_b.epoch, claim_b.next_offset}, 0, "", 0, push("x")).outcome, Outcome::fenced);
}

TEST_F(OffsetLedgerTest, LostWritesAreDetectedAndRewound) {
  kafka::OffsetLedger ledger(*redis_, *hub_, "group", "consumer-a");
  auto claim = ledger.claim("topic", 1);
  ASSERT_EQ(ledger.apply("topic", 1, {claim.epoch, std::nullopt}, 10, "", 0, push("r10")).outcome, Outcome::applied);
  ASSERT_EQ(ledger.apply("topic", 1, {claim.epoch, 11}, 11, "", 0, push("r11")).outcome, Outcome::applied);
  // Redis forgets the last write (as after a restart from an older AOF).
  redis_->command({"HSET", ledger.partition_key("topic", 1), "next", "11"});
  auto result = ledger.apply("topic", 1, {claim.epoch, 12}, 12, "", 0, push("r12"));
  EXPECT_EQ(result.outcome, Outcome::rewind);
  EXPECT_EQ(result.rewind_to, 11);
  EXPECT_EQ(ledger.verify("topic", 1, {claim.epoch, 11}).outcome, Outcome::in_place);
}

TEST_F(OffsetLedgerTest, ARedisThatLostTheClaimItselfHandsThePartitionBackAndRewinds) {
  kafka::OffsetLedger ledger(*redis_, *hub_, "group", "consumer-a");
  auto claim = ledger.claim("topic", 2);
  ASSERT_EQ(ledger.apply("topic", 2, {claim.epoch, std::nullopt}, 0, "", 0, push("z0")).outcome, Outcome::applied);
  redis_->command({"DEL", ledger.partition_key("topic", 2)});
  auto result = ledger.verify("topic", 2, {claim.epoch, 1});
  EXPECT_EQ(result.outcome, Outcome::rewind);
  EXPECT_FALSE(result.rewind_to) << "nothing stored: start from the beginning";
  EXPECT_EQ(ledger.verify("topic", 2, {claim.epoch, std::nullopt}).outcome, Outcome::in_place)
      << "the partition was claimed back at our epoch";
}

TEST_F(OffsetLedgerTest, SequenceAlreadyAppliedIsSkippedButTheOffsetMoves) {
  kafka::OffsetLedger ledger(*redis_, *hub_, "group", "consumer-a");
  auto claim = ledger.claim("topic", 0);
  EXPECT_EQ(ledger.apply("topic", 0, {claim.epoch, std::nullopt}, 0, "case-1", 1, push("s1")).outcome, Outcome::applied);
  EXPECT_EQ(ledger.apply("topic", 0, {claim.epoch, 1}, 1, "case-1", 1, push("s1-again")).outcome, Outcome::duplicate);
  EXPECT_EQ(ledger.applied_sequence("topic", "case-1"), 1u);
  EXPECT_EQ(ledger.apply("topic", 0, {claim.epoch, 2}, 2, "case-1", 2, push("s2")).outcome, Outcome::applied);
  EXPECT_EQ(effect_count(), 2);
}

}  // namespace
}  // namespace pact::testing
