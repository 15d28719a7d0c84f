// Figures for issue 4: decisions per second on the full adult and child catalogues, follow-up
// questions and explanation rendering measured separately, and catalogue load time. The baseline in
// the same run is the least any decision must do: look up the observed ids in the index.
//
//   build/services/screening/benchmarks/screening_bench
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "catalogue_loader.h"
#include "catalogue_set.h"
#include "decision.h"
#include "follow_up.h"
#include "screener.h"

namespace pact::screening {
namespace {

const std::string kCatalogues = std::string(PACT_REFERENCE_DIR) + "/screening/catalogues";
const std::string kMessages = std::string(PACT_REFERENCE_DIR) + "/screening/messages.yaml";

std::shared_ptr<const CatalogueSet> repository_set() {
  static auto set = std::make_shared<const CatalogueSet>(load_catalogue_dirs({kCatalogues}));
  return set;
}

// A realistic mix: adults and children, 0 to 12 observed ids from all lists, a few flags.
std::vector<v1::ScreeningRequest> requests() {
  auto set = repository_set();
  std::mt19937 random(42);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(set->indicator_count() - 1));
  std::uniform_int_distribution<int> observed(0, 12);
  std::bernoulli_distribution child(0.3);
  std::bernoulli_distribution flag(0.1);
  std::vector<v1::ScreeningRequest> out(256);
  for (auto& request : out) {
    request.set_sector(common::v1::SECTOR_HEALTH);
    request.set_jurisdiction(common::v1::JURISDICTION_RS);
    request.set_language("en");
    request.mutable_age()->set_years(child(random) ? 15 : 31);
    request.mutable_age()->set_certainty(common::v1::AGE_CERTAINTY_STATED);
    request.mutable_reported_flags()->set_immediate_danger(flag(random));
    request.mutable_reported_flags()->set_language_barrier(flag(random));
    for (int i = observed(random); i > 0; --i) request.add_observed_indicator_ids(set->indicator(pick(random)).id);
  }
  return out;
}

void BM_Baseline_IndexLookups(benchmark::State& state) {
  auto set = repository_set();
  auto prepared = requests();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& request = prepared[i++ % prepared.size()];
    std::uint32_t sum = 0;
    for (const auto& id : request.observed_indicator_ids()) sum += set->find(id);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Baseline_IndexLookups);

// Level, dimension results, flags, recommendations and evidence (as indicator indices).
void BM_Decide(benchmark::State& state) {
  auto set = repository_set();
  auto prepared = requests();
  Decision decision;
  std::size_t i = 0;
  for (auto _ : state) {
    decide(*set, prepared[i++ % prepared.size()], decision);
    benchmark::DoNotOptimize(decision.level);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Decide);

void BM_DecideAndFollowUps(benchmark::State& state) {
  auto set = repository_set();
  auto prepared = requests();
  Decision decision;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& request = prepared[i++ % prepared.size()];
    decide(*set, request, decision);
    auto questions = follow_up_questions(*set, request, decision, 12);
    benchmark::DoNotOptimize(questions.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideAndFollowUps);

// The whole result message the Screen RPC returns: reasons, evidence ids, follow-up texts, result id.
void BM_ScreenResult(benchmark::State& state) {
  Screener screener(repository_set(), std::make_shared<const Phrasebook>(Phrasebook::load(kMessages)), 12);
  auto prepared = requests();
  std::size_t i = 0;
  for (auto _ : state) {
    auto result = screener.screen(prepared[i++ % prepared.size()]);
    benchmark::DoNotOptimize(result.level());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScreenResult);

void BM_ExplanationRendering(benchmark::State& state) {
  Screener screener(repository_set(), std::make_shared<const Phrasebook>(Phrasebook::load(kMessages)), 12);
  auto prepared = requests();
  std::size_t i = 0;
  for (auto _ : state) {
    auto steps = screener.explain(prepared[i++ % prepared.size()], "en");
    benchmark::DoNotOptimize(steps.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ExplanationRendering);

// Parsing, validating and indexing every repository catalogue (the service does this at start).
void BM_CatalogueLoad(benchmark::State& state) {
  for (auto _ : state) {
    CatalogueSet set(load_catalogue_dirs({kCatalogues}));
    benchmark::DoNotOptimize(set.indicator_count());
  }
}
BENCHMARK(BM_CatalogueLoad)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pact::screening

BENCHMARK_MAIN();
