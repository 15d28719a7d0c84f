// The answer mix pact-webhook-receiver uses when it stands in for the providers (--answers).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "answer_mix.h"

namespace pact::tools::webhook_receiver {
namespace {

using ::testing::HasSubstr;

constexpr int kIds = 10'000;

// Referral ids as routing makes them: case, need, attempt.
std::string referral_id(int case_number, int attempt = 1) {
  char text[64];
  std::snprintf(text, sizeof text, "case-%05d/shelter/%d", case_number, attempt);
  return text;
}

std::map<ProviderAnswer, int> answers_over_many_ids(const AnswerMix& mix) {
  std::map<ProviderAnswer, int> counts;
  for (int i = 0; i < kIds; ++i) ++counts[choose_answer(mix, referral_id(i))];
  return counts;
}

double share(int count) { return static_cast<double>(count) / kIds; }

TEST(ParseAnswerMix, ReadsBothPercentages) {
  std::string error;
  const auto mix = parse_answer_mix("accept=50,reject=25", error);
  ASSERT_TRUE(mix.has_value()) << error;
  EXPECT_EQ(mix->accept_percent, 50);
  EXPECT_EQ(mix->reject_percent, 25);
}

TEST(ParseAnswerMix, TheOrderDoesNotMatter) {
  std::string error;
  const auto mix = parse_answer_mix("reject=10,accept=70", error);
  ASSERT_TRUE(mix.has_value()) << error;
  EXPECT_EQ(mix->accept_percent, 70);
  EXPECT_EQ(mix->reject_percent, 10);
}

TEST(ParseAnswerMix, APercentageLeftOutIsZero) {
  std::string error;
  const auto accept_only = parse_answer_mix("accept=80", error);
  ASSERT_TRUE(accept_only.has_value()) << error;
  EXPECT_EQ(accept_only->accept_percent, 80);
  EXPECT_EQ(accept_only->reject_percent, 0);

  const auto reject_only = parse_answer_mix("reject=30", error);
  ASSERT_TRUE(reject_only.has_value()) << error;
  EXPECT_EQ(reject_only->accept_percent, 0);
  EXPECT_EQ(reject_only->reject_percent, 30);
}

TEST(ParseAnswerMix, TheLimitsThemselvesAreAccepted) {
  std::string error;
  const auto full = parse_answer_mix("accept=60,reject=40", error);
  ASSERT_TRUE(full.has_value()) << error;
  EXPECT_EQ(full->accept_percent + full->reject_percent, 100);

  const auto silent = parse_answer_mix("accept=0,reject=0", error);
  ASSERT_TRUE(silent.has_value()) << error;
  EXPECT_EQ(silent->accept_percent, 0);
  EXPECT_EQ(silent->reject_percent, 0);
}

TEST(ParseAnswerMix, MoreThanAHundredTogetherIsRefused) {
  std::string error;
  EXPECT_FALSE(parse_answer_mix("accept=60,reject=41", error).has_value());
  EXPECT_THAT(error, HasSubstr("more than 100"));
}

TEST(ParseAnswerMix, AWordTwiceIsRefused) {
  std::string error;
  EXPECT_FALSE(parse_answer_mix("accept=10,accept=20", error).has_value());
  EXPECT_THAT(error, HasSubstr("accept is given twice"));
}

TEST(ParseAnswerMix, NothingIsRefused) {
  std::string error;
  EXPECT_FALSE(parse_answer_mix("", error).has_value());
  EXPECT_FALSE(error.empty());
}

// Each of these is refused with a message naming the item that is wrong.
struct BadItem {
  const char* text;
  const char* named_in_error;
};

class ParseAnswerMixBadItem : public ::testing::TestWithParam<BadItem> {};

TEST_P(ParseAnswerMixBadItem, IsRefusedNamingTheItem) {
  std::string error;
  EXPECT_FALSE(parse_answer_mix(GetParam().text, error).has_value());
  EXPECT_THAT(error, HasSubstr(std::string("\"") + GetParam().named_in_error + "\""));
  EXPECT_THAT(error, HasSubstr("0..100"));
}

INSTANTIATE_TEST_SUITE_P(
    Refused, ParseAnswerMixBadItem,
    ::testing::Values(BadItem{"maybe=10", "maybe=10"},                   // unknown word
                      BadItem{"accept=50,ignore=25", "ignore=25"},       // unknown word after a good one
                      BadItem{"Accept=50", "Accept=50"},                 // words are lower case
                      BadItem{"accept=-5", "accept=-5"},                 // negative
                      BadItem{"reject=101", "reject=101"},               // over 100 alone
                      BadItem{"accept=lots", "accept=lots"},             // not a number
                      BadItem{"accept=50%", "accept=50%"},               // trailing text
                      BadItem{"accept=2.5", "accept=2.5"},               // not whole
                      BadItem{"accept=", "accept="},                     // no number
                      BadItem{"accept", "accept"},                       // no '='
                      BadItem{"accept = 50", "accept = 50"},             // spaces are not trimmed
                      BadItem{",accept=50", ""}));                       // an empty item

TEST(ChooseAnswer, TheSameReferralAlwaysGetsTheSameAnswer) {
  const AnswerMix mix{40, 30};
  for (int i = 0; i < 200; ++i) {
    const std::string id = referral_id(i);
    const ProviderAnswer first = choose_answer(mix, id);
    EXPECT_EQ(choose_answer(AnswerMix{40, 30}, id), first) << id;
    EXPECT_EQ(choose_answer(mix, std::string(id)), first) << id;
  }
}

TEST(ChooseAnswer, ProportionsFollowTheMixOverManyReferrals) {
  const auto counts = answers_over_many_ids(AnswerMix{50, 25});
  EXPECT_NEAR(share(counts.count(ProviderAnswer::accept) ? counts.at(ProviderAnswer::accept) : 0), 0.50, 0.02);
  EXPECT_NEAR(share(counts.count(ProviderAnswer::reject) ? counts.at(ProviderAnswer::reject) : 0), 0.25, 0.02);
  EXPECT_NEAR(share(counts.count(ProviderAnswer::none) ? counts.at(ProviderAnswer::none) : 0), 0.25, 0.02);
}

TEST(ChooseAnswer, AnUnevenMixIsFollowedToo) {
  const auto counts = answers_over_many_ids(AnswerMix{10, 80});
  EXPECT_NEAR(share(counts.count(ProviderAnswer::accept) ? counts.at(ProviderAnswer::accept) : 0), 0.10, 0.02);
  EXPECT_NEAR(share(counts.count(ProviderAnswer::reject) ? counts.at(ProviderAnswer::reject) : 0), 0.80, 0.02);
  EXPECT_NEAR(share(counts.count(ProviderAnswer::none) ? counts.at(ProviderAnswer::none) : 0), 0.10, 0.02);
}

TEST(ChooseAnswer, AllOrNothingMixesAreExact) {
  EXPECT_EQ(answers_over_many_ids(AnswerMix{100, 0}).at(ProviderAnswer::accept), kIds);
  EXPECT_EQ(answers_over_many_ids(AnswerMix{0, 100}).at(ProviderAnswer::reject), kIds);
  EXPECT_EQ(answers_over_many_ids(AnswerMix{0, 0}).at(ProviderAnswer::none), kIds);
}

TEST(ChooseAnswer, AReRoutedAttemptIsDecidedAfresh) {
  // Attempt 1 and 2 of the same need differ in one character; if the answer followed the id's
  // likeness, a rejected need would be rejected again on every re-route. With 50/25/25, two
  // independent answers agree 0.5² + 0.25² + 0.25² = 37.5% of the time.
  const AnswerMix mix{50, 25};
  int same = 0;
  for (int i = 0; i < kIds; ++i) same += choose_answer(mix, referral_id(i, 1)) == choose_answer(mix, referral_id(i, 2));
  EXPECT_NEAR(share(same), 0.375, 0.04);
}

TEST(AnswerName, NamesEachAnswerForTheStats) {
  EXPECT_STREQ(answer_name(ProviderAnswer::accept), "accept");
  EXPECT_STREQ(answer_name(ProviderAnswer::reject), "reject");
  EXPECT_STREQ(answer_name(ProviderAnswer::none), "none");
}

TEST(RejectionReason, IsAlwaysAReasonAProviderGivesThatLeadsToAReRoute) {
  for (int i = 0; i < kIds; ++i) {
    const auto reason = rejection_reason(referral_id(i));
    EXPECT_TRUE(reason == routing::v1::REFERRAL_STATUS_REASON_NO_CAPACITY ||
                reason == routing::v1::REFERRAL_STATUS_REASON_OUTSIDE_SERVICE_AREA ||
                reason == routing::v1::REFERRAL_STATUS_REASON_SERVICE_UNAVAILABLE)
        << referral_id(i) << ": " << routing::v1::ReferralStatusReason_Name(reason);
  }
}

TEST(RejectionReason, TheSameReferralAlwaysGetsTheSameReason) {
  for (int i = 0; i < 200; ++i) EXPECT_EQ(rejection_reason(referral_id(i)), rejection_reason(referral_id(i)));
}

TEST(RejectionReason, AboutHalfOfTheRejectedReferralsHaveNoCapacity) {
  // Counted among the referrals the mix rejects: the reason must not follow the answer's bucket.
  const AnswerMix mix{50, 25};
  int rejected = 0;
  int no_capacity = 0;
  for (int i = 0; i < kIds; ++i) {
    const std::string id = referral_id(i);
    if (choose_answer(mix, id) != ProviderAnswer::reject) continue;
    ++rejected;
    no_capacity += rejection_reason(id) == routing::v1::REFERRAL_STATUS_REASON_NO_CAPACITY;
  }
  ASSERT_GT(rejected, 0);
  EXPECT_NEAR(static_cast<double>(no_capacity) / rejected, 0.5, 0.04);
}

}  // namespace
}  // namespace pact::tools::webhook_receiver
