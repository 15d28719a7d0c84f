#include <random>

#include <gtest/gtest.h>

#include "decision.h"
#include "screening_fixture.h"

namespace pact::screening {
namespace {

bool refers(const Decision& decision) {
  for (const auto& entry : decision.recommendations) {
    if (entry.type != v1::RECOMMENDATION_TYPE_INFORM_ABOUT_RIGHTS_AND_ASSISTANCE &&
        entry.type != v1::RECOMMENDATION_TYPE_INTERPRETATION) {
      return true;
    }
  }
  return false;
}

// Adding an indicator never lowers the level, never un-sets a flag, and never takes away a referral
// (REFERENCE section 0; DESIGN.md "property tests"). Checked on random requests over the full
// repository catalogues and over the synthetic one.
void check_monotone(const CatalogueSet& set, std::uint32_t seed, int rounds) {
  std::mt19937 random(seed);
  std::vector<std::string> ids;
  for (std::uint32_t i = 0; i < set.indicator_count(); ++i) ids.push_back(set.indicator(i).id);
  std::uniform_int_distribution<std::size_t> pick(0, ids.size() - 1);
  std::uniform_int_distribution<int> age(5, 60);
  std::bernoulli_distribution coin(0.2);
  Decision before;
  Decision after;
  for (int round = 0; round < rounds; ++round) {
    v1::ScreeningRequest request = testing::adult_request();
    request.mutable_age()->set_years(static_cast<std::uint32_t>(age(random)));
    request.mutable_age()->set_band(common::v1::AGE_BAND_UNKNOWN);
    request.mutable_reported_flags()->set_immediate_danger(coin(random));
    request.mutable_reported_flags()->set_language_barrier(coin(random));
    request.set_companion_status(coin(random) ? common::v1::COMPANION_STATUS_UNACCOMPANIED
                                              : common::v1::COMPANION_STATUS_ACCOMPANIED);
    decide(set, request, before);
    for (int step = 0; step < 25; ++step) {
      request.add_observed_indicator_ids(ids[pick(random)]);
      decide(set, request, after);
      ASSERT_GE(after.level, before.level) << request.ShortDebugString();
      ASSERT_EQ(after.flags & before.flags, before.flags) << request.ShortDebugString();
      ASSERT_TRUE(!refers(before) || refers(after)) << request.ShortDebugString();
      ASSERT_GE(after.observed.size(), before.observed.size());
      std::swap(before, after);
    }
  }
}

TEST(Properties, AddingAnIndicatorNeverLowersTheLevelOrUnsetsAFlagOnTheRepositoryCatalogues) {
  check_monotone(*testing::repository_set(), 20261128, 400);
}

TEST(Properties, AddingAnIndicatorNeverLowersTheLevelOrUnsetsAFlagOnTheSyntheticCatalogue) {
  check_monotone(*testing::synthetic_set(), 7, 400);
}

}  // namespace
}  // namespace pact::screening
