#include <gtest/gtest.h>

#include <google/protobuf/util/time_util.h>

#include "retention_policy.h"

namespace pact::intake {
namespace {

using google::protobuf::util::TimeUtil;
using std::chrono::hours;
using std::chrono::milliseconds;

v1::CaseSummary summary(v1::CaseStatus status, std::int64_t changed_ms = 1'000'000) {
  v1::CaseSummary s;
  s.set_status(status);
  s.mutable_age()->set_years(30);
  s.mutable_age()->set_band(common::v1::AGE_BAND_30_38);
  *s.mutable_created_at() = TimeUtil::MillisecondsToTimestamp(changed_ms / 2);
  *s.mutable_updated_at() = TimeUtil::MillisecondsToTimestamp(changed_ms);
  return s;
}

config::ConfigTree tree_of(const std::string& yaml) { return config::ConfigTree::from_string(yaml, "test.yaml", {}); }

TEST(RetentionPolicy, EachCaseIsInExactlyOneClass) {
  EXPECT_EQ(data_class_of(summary(v1::CASE_STATUS_OPEN)), DataClass::open_case);
  EXPECT_EQ(data_class_of(summary(v1::CASE_STATUS_CLOSED)), DataClass::closed_case);
  EXPECT_EQ(data_class_of(summary(v1::CASE_STATUS_ERASED)), DataClass::erased_case);
  auto drill = summary(v1::CASE_STATUS_OPEN);
  drill.set_exercise(true);
  EXPECT_EQ(data_class_of(drill), DataClass::exercise_case) << "an exercise case is never a real person's";
  drill.set_status(v1::CASE_STATUS_ERASED);
  EXPECT_EQ(data_class_of(drill), DataClass::erased_case);
}

TEST(RetentionPolicy, AClosedCaseOfSomeoneWhoIsOrMayBeAChildIsAChildCase) {
  auto band = summary(v1::CASE_STATUS_CLOSED);
  band.mutable_age()->set_band(common::v1::AGE_BAND_9_17);
  band.mutable_age()->clear_years();
  EXPECT_EQ(data_class_of(band), DataClass::closed_child_case);
  auto presumed = summary(v1::CASE_STATUS_CLOSED);
  presumed.mutable_age()->set_presumed_minor(true);
  EXPECT_EQ(data_class_of(presumed), DataClass::closed_child_case) << "a documented adult age does not clear it";
  auto flagged = summary(v1::CASE_STATUS_CLOSED);
  flagged.mutable_reported_flags()->set_presumed_child(true);
  EXPECT_EQ(data_class_of(flagged), DataClass::closed_child_case);
  auto estimate = summary(v1::CASE_STATUS_CLOSED);
  estimate.mutable_age()->clear_years();
  estimate.mutable_age()->set_estimate_min_years(16);
  estimate.mutable_age()->set_estimate_max_years(19);
  EXPECT_EQ(data_class_of(estimate), DataClass::closed_child_case) << "an estimate reaching below 18";
  auto young = summary(v1::CASE_STATUS_CLOSED);
  young.mutable_age()->set_years(17);
  EXPECT_EQ(data_class_of(young), DataClass::closed_child_case);
  auto alone = summary(v1::CASE_STATUS_CLOSED);
  alone.set_companion_status(common::v1::COMPANION_STATUS_UNACCOMPANIED);
  EXPECT_EQ(data_class_of(alone), DataClass::closed_child_case) << "unaccompanied is a child's status";
  auto separated = summary(v1::CASE_STATUS_CLOSED);
  separated.mutable_reported_flags()->set_unaccompanied_or_separated(true);
  EXPECT_EQ(data_class_of(separated), DataClass::closed_child_case);
}

TEST(RetentionPolicy, AnUnknownAgeIsAChildsCaseUntilAnAdultIsShown) {
  auto unknown = summary(v1::CASE_STATUS_CLOSED);
  unknown.mutable_age()->Clear();
  EXPECT_EQ(data_class_of(unknown), DataClass::closed_child_case) << "nothing recorded";
  unknown.mutable_age()->set_band(common::v1::AGE_BAND_UNKNOWN);
  unknown.mutable_age()->set_certainty(common::v1::AGE_CERTAINTY_UNKNOWN);
  EXPECT_EQ(data_class_of(unknown), DataClass::closed_child_case) << "recorded as unknown";
  auto estimated_adult = summary(v1::CASE_STATUS_CLOSED);
  estimated_adult.mutable_age()->clear_years();
  estimated_adult.mutable_age()->clear_band();
  estimated_adult.mutable_age()->set_estimate_min_years(25);
  estimated_adult.mutable_age()->set_estimate_max_years(30);
  EXPECT_EQ(data_class_of(estimated_adult), DataClass::closed_case);
  auto adult_band_only = summary(v1::CASE_STATUS_CLOSED);
  adult_band_only.mutable_age()->clear_years();
  adult_band_only.mutable_age()->set_band(common::v1::AGE_BAND_18_20);
  EXPECT_EQ(data_class_of(adult_band_only), DataClass::closed_case);
}

TEST(RetentionPolicy, ThePeriodRunsFromTheLastChangeAndAKeptClassIsNeverDue) {
  RetentionPolicy policy;
  policy.closed_case = hours(48);
  auto closed = summary(v1::CASE_STATUS_CLOSED, 5'000);
  auto due = erasure_due(closed, policy);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->time_since_epoch(), milliseconds(5'000) + hours(48));
  closed.clear_updated_at();
  EXPECT_EQ(erasure_due(closed, policy)->time_since_epoch(), milliseconds(2'500) + hours(48))
      << "without a change time, from the registration";
  EXPECT_FALSE(erasure_due(summary(v1::CASE_STATUS_OPEN), policy)) << "open cases are kept by default";
  EXPECT_FALSE(erasure_due(summary(v1::CASE_STATUS_ERASED), policy)) << "the tombstone is kept";
}

TEST(RetentionPolicy, DefaultsKeepOpenCasesAndNameTheShortestPeriod) {
  auto tree = tree_of("intake: {}\n");
  RetentionPolicy policy = read_retention_policy(tree);
  tree.ignore("intake");
  EXPECT_NO_THROW(tree.finish());
  EXPECT_FALSE(policy.open_case);
  EXPECT_EQ(policy.exercise_case, hours(24 * 30));
  EXPECT_EQ(policy.closed_case, hours(24 * 730));
  EXPECT_EQ(policy.closed_child_case, hours(24 * 3650));
  EXPECT_EQ(policy.shortest_period(), hours(24 * 30));
  EXPECT_EQ(policy.sweep_interval, hours(1));
}

TEST(RetentionPolicy, ConfigurationSetsEachClassOrNever) {
  auto tree = tree_of(
      "intake:\n  retention:\n    exercise_cases: never\n    closed_cases: 90d\n    closed_child_cases: never\n"
      "    open_cases: 1825d\n    sweep_interval: 10m\n    batch: 50\n");
  RetentionPolicy policy = read_retention_policy(tree);
  EXPECT_NO_THROW(tree.finish());
  EXPECT_FALSE(policy.exercise_case);
  EXPECT_EQ(policy.closed_case, hours(24 * 90));
  EXPECT_FALSE(policy.closed_child_case);
  EXPECT_EQ(policy.open_case, hours(24 * 1825));
  EXPECT_EQ(policy.shortest_period(), hours(24 * 90));
  EXPECT_EQ(policy.sweep_interval, std::chrono::minutes(10));
  EXPECT_EQ(policy.batch, 50u);

  auto none = tree_of(
      "intake:\n  retention:\n    exercise_cases: never\n    closed_cases: never\n    closed_child_cases: never\n");
  EXPECT_FALSE(read_retention_policy(none).shortest_period()) << "nothing is ever due";
}

TEST(RetentionPolicy, BadValuesAreNamedNotGuessed) {
  auto tree = tree_of(
      "intake:\n  retention:\n    exercise_cases: 0s\n    closed_cases: forever\n    sweep_interval: 1ms\n"
      "    batch: 0\n");
  read_retention_policy(tree);
  try {
    tree.finish();
    FAIL() << "accepted";
  } catch (const config::ConfigError& e) {
    std::string all;
    for (const auto& p : e.problems()) all += p + "\n";
    EXPECT_NE(all.find("intake.retention.exercise_cases"), std::string::npos) << all;
    EXPECT_NE(all.find("intake.retention.closed_cases"), std::string::npos) << all;
    EXPECT_NE(all.find("intake.retention.sweep_interval"), std::string::npos) << all;
    EXPECT_NE(all.find("intake.retention.batch"), std::string::npos) << all;
  }
}

}  // namespace
}  // namespace pact::intake
