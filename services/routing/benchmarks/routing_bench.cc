// Figures for issue 5: routing decisions per second — the SOP rules with the safety net, then
// provider selection for every referral, over a directory of 1,000 providers, in memory — and the
// whole in-memory change of a case (plan, select, build attempts, timers and events). With
// PACT_BENCH_REDIS_ADDRESS set, also the full decision with its atomic commit and capacity
// reservation in Redis, next to a Redis round trip measured in the same run.
//
//   build/services/routing/benchmarks/routing_bench
//   tools/loadgen/bench-routing.sh        (starts a private redis-server for the Redis figures)
#include <atomic>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "case_facts.h"
#include "case_router.h"
#include "case_updater.h"
#include "directory_store.h"
#include "provider_selection.h"
#include "redis/redis_client.h"
#include "referral_plan.h"
#include "routing_store.h"
#include "sop_loader.h"

namespace pact::routing {
namespace {

using Clock = std::chrono::system_clock;

const SopBook& book() {
  static const SopBook sop = SopBook::build(load_sop_dir(std::string(PACT_REFERENCE_DIR) + "/routing/sop"));
  return sop;
}

Clock::time_point monday_morning() { return Clock::time_point(std::chrono::seconds(1796032800)); }

const std::vector<common::Jurisdiction> kJurisdictions = {common::JURISDICTION_AL, common::JURISDICTION_BA, common::JURISDICTION_XK,
                                                          common::JURISDICTION_ME, common::JURISDICTION_MK, common::JURISDICTION_RS};

// 1,000 providers: every type, all six jurisdictions, a third with office hours, a quarter with
// tracked capacity, some limited to sites and municipalities, age and gender limits.
std::vector<v1::Service> thousand_providers() {
  std::mt19937 random(7);
  std::vector<v1::Service> services;
  for (int i = 0; i < 1000; ++i) {
    v1::Service service;
    service.set_service_id("svc-" + std::to_string(i));
    service.set_organization_id("org-" + std::to_string(i / 3));
    service.set_name("Provider " + std::to_string(i));
    service.set_type(static_cast<v1::ServiceType>(1 + i % 18));
    service.set_status(i % 29 == 0 ? v1::SERVICE_STATUS_TEMPORARILY_CLOSED : v1::SERVICE_STATUS_ACTIVE);
    const auto jurisdiction = kJurisdictions[static_cast<std::size_t>(random() % kJurisdictions.size())];
    service.mutable_area()->add_jurisdictions(jurisdiction);
    if (i % 5 == 0) service.mutable_area()->add_site_ids("site-" + std::to_string(i % 11));
    if (i % 7 == 0) service.mutable_area()->add_municipalities("municipality-" + std::to_string(i % 13));
    if (service.type() == v1::SERVICE_TYPE_EOC_DUTY_DESK || service.type() == v1::SERVICE_TYPE_NATIONAL_COORDINATOR) {
      service.add_coordinates_jurisdictions(jurisdiction);
    }
    if (i % 3 == 0) {
      service.mutable_schedule()->set_time_zone("Europe/Belgrade");
      for (std::uint32_t day = 1; day <= 5; ++day) {
        auto* hours = service.mutable_schedule()->add_hours();
        hours->set_weekday(day);
        hours->set_opens_at("08:00");
        hours->set_closes_at("16:00");
      }
    } else {
      service.mutable_schedule()->set_open_24_7(true);
    }
    if (i % 4 == 0) {
      service.mutable_capacity()->set_tracked(true);
      service.mutable_capacity()->set_maximum(20);
      service.mutable_capacity()->set_available(static_cast<std::uint32_t>(random() % 21));
    }
    if (i % 9 == 0) service.mutable_eligibility()->set_maximum_age(17);
    if (i % 11 == 0) service.mutable_eligibility()->add_genders(common::GENDER_FEMALE);
    service.add_languages(i % 2 ? "en" : "ar");
    services.push_back(std::move(service));
  }
  return services;
}

const Directory& directory() {
  static const Directory providers({}, thousand_providers());
  return providers;
}

// A realistic mix of cases: a third children, some unaccompanied, urgent medical needs, danger,
// language barriers, two or three reported needs, consent given in most cases.
std::vector<v1::CaseRoutingState> cases() {
  std::mt19937 random(42);
  std::bernoulli_distribution child(0.3), flag(0.15), consent(0.8);
  const std::vector<common::NeedType> needs = {common::NEED_TYPE_SHELTER, common::NEED_TYPE_HEALTH_CARE, common::NEED_TYPE_LEGAL_AID,
                                               common::NEED_TYPE_PSYCHOSOCIAL_SUPPORT, common::NEED_TYPE_MATERIAL_ASSISTANCE};
  std::vector<v1::CaseRoutingState> out(256);
  int n = 0;
  for (auto& state : out) {
    state.set_case_id("case-" + std::to_string(n++));
    auto& summary = *state.mutable_summary();
    summary.set_jurisdiction(kJurisdictions[static_cast<std::size_t>(random() % kJurisdictions.size())]);
    summary.mutable_site()->set_site_id("site-" + std::to_string(random() % 11));
    summary.mutable_site()->set_municipality("municipality-" + std::to_string(random() % 13));
    const bool is_child = child(random);
    summary.mutable_age()->set_years(is_child ? 15 : 30);
    summary.set_gender(random() % 2 ? common::GENDER_FEMALE : common::GENDER_MALE);
    summary.add_languages("ar");
    for (int k = 0; k < 2 + static_cast<int>(random() % 2); ++k) summary.add_need_types(needs[static_cast<std::size_t>(random() % needs.size())]);
    if (consent(random)) summary.add_consent_scopes(common::CONSENT_SCOPE_SERVICES);
    if (consent(random)) summary.add_consent_scopes(common::CONSENT_SCOPE_IDENTIFICATION);
    state.set_level(random() % 3 == 0 ? screening::LEVEL_COMBINATION_MET : screening::LEVEL_INDICATIONS_PRESENT);
    if (state.level() == screening::LEVEL_COMBINATION_MET) state.add_recommendations(screening::RECOMMENDATION_TYPE_REFER_FOR_FORMAL_IDENTIFICATION);
    auto& flags = *state.mutable_flags();
    flags.set_presumed_child(is_child);
    flags.set_unaccompanied_or_separated(is_child && flag(random));
    flags.set_urgent_medical(flag(random));
    flags.set_immediate_danger(flag(random));
    flags.set_language_barrier(flag(random));
  }
  return out;
}

events::v1::ScreeningEvent event_for(const v1::CaseRoutingState& state, std::size_t round) {
  events::v1::ScreeningEvent event;
  event.set_event_id("evt-" + state.case_id() + "-" + std::to_string(round));
  event.set_case_id(state.case_id() + "-" + std::to_string(round));
  event.set_sequence(1);
  auto& completed = *event.mutable_assessment_completed();
  *completed.mutable_snapshot()->mutable_summary() = state.summary();
  completed.mutable_snapshot()->mutable_summary()->set_case_id(event.case_id());
  completed.mutable_assessment()->set_level(state.level());
  *completed.mutable_assessment()->mutable_recommendations() = state.recommendations();
  *completed.mutable_assessment()->mutable_flags() = state.flags();
  return event;
}

// Baseline: what any consumer of an assessment does at the least — decode the event.
void BM_Baseline_DecodeAssessmentEvent(benchmark::State& state) {
  const auto prepared = cases();
  std::vector<std::string> wire;
  for (std::size_t i = 0; i < prepared.size(); ++i) wire.push_back(event_for(prepared[i], 0).SerializeAsString());
  std::size_t i = 0;
  for (auto _ : state) {
    events::v1::ScreeningEvent event;
    benchmark::DoNotOptimize(event.ParseFromString(wire[i++ % wire.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Baseline_DecodeAssessmentEvent);

// A decision: the SOP rules and safety net for the case, then the ranked eligible providers for
// every referral they require.
void BM_RoutingDecision_1000Providers(benchmark::State& state) {
  const auto prepared = cases();
  const SopBook& sop = book();
  const Directory& providers = directory();
  const auto now = monday_morning();
  std::size_t i = 0;
  std::size_t referrals = 0;
  for (auto _ : state) {
    const auto& case_state = prepared[i++ % prepared.size()];
    const CaseFacts facts = facts_of(case_state, now);
    const ReferralPlan plan = plan_referrals(sop, facts, "standard");
    const PersonProfile person = profile_of(case_state.summary(), facts.presumed_child());
    for (const auto& referral : plan.referrals) {
      auto ranked = rank_providers(providers, referral.service, person, {}, now);
      benchmark::DoNotOptimize(ranked.data());
      ++referrals;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["referrals_per_decision"] = static_cast<double>(referrals) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_RoutingDecision_1000Providers);

// The whole change of a new case, in memory: decision, attempts, timers, capacity and events.
void BM_CaseChange_InMemory(benchmark::State& state) {
  const auto prepared = cases();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& case_state = prepared[i % prepared.size()];
    RoutingContext context{book(), directory(), "standard", "bench", monday_morning(), {}};
    CaseRouter router(context, v1::CaseRoutingState{}, "evt");
    router.apply_assessment(event_for(case_state, i++));
    benchmark::DoNotOptimize(router.commit().events.size());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CaseChange_InMemory);

std::optional<redis::RedisEndpoint> bench_redis() {
  const char* address = std::getenv("PACT_BENCH_REDIS_ADDRESS");
  if (!address || !*address) return std::nullopt;
  const std::string text = address;
  redis::RedisEndpoint endpoint;
  endpoint.host = text.substr(0, text.find(':'));
  endpoint.port = std::stoi(text.substr(text.find(':') + 1));
  return endpoint;
}

// Baseline for the Redis figures: one round trip on one connection.
void BM_Baseline_RedisRoundTrip(benchmark::State& state) {
  auto endpoint = bench_redis();
  if (!endpoint) return state.SkipWithError("set PACT_BENCH_REDIS_ADDRESS (tools/loadgen/bench-routing.sh does)");
  redis::RedisClient redis(*endpoint);
  for (auto _ : state) benchmark::DoNotOptimize(redis.command({"PING"}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Baseline_RedisRoundTrip)->Threads(1)->Threads(4)->UseRealTime();

// A decision committed: load, decide, commit atomically with capacity reserved in Redis.
void BM_RoutingDecision_WithRedisReservation(benchmark::State& state) {
  auto endpoint = bench_redis();
  if (!endpoint) return state.SkipWithError("set PACT_BENCH_REDIS_ADDRESS (tools/loadgen/bench-routing.sh does)");
  static config::Hub hub("bench");
  redis::RedisClient directory_redis(*endpoint);
  DirectoryStore directory_store(hub, directory_redis);
  if (state.thread_index() == 0) {
    directory_redis.command({"FLUSHALL"});
    std::vector<v1::Service> services = thousand_providers();
    for (auto& service : services) {
      // Plenty of places, so that the figure is about routing, not about running out.
      if (service.capacity().tracked()) {
        service.mutable_capacity()->set_available(1000000);
        service.mutable_capacity()->set_maximum(1000000);
      }
    }
    directory_store.upsert({}, services);
  }
  static std::atomic<std::uint64_t> next_case{0};
  redis::RedisClient redis(*endpoint);
  RoutingStore store(hub, redis);
  DirectoryCache cache(directory_store, std::chrono::hours(1));
  CaseUpdater updater(book(), cache, store, "standard", "bench", monday_morning);
  const auto prepared = cases();
  for (auto _ : state) {
    const std::uint64_t n = next_case++;
    const auto event = event_for(prepared[n % prepared.size()], n);
    updater.update(event.case_id(), event.event_id(), true, [&](CaseRouter& router) {
      router.apply_assessment(event);
      return true;
    });
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RoutingDecision_WithRedisReservation)->Threads(1)->Threads(4)->UseRealTime();

}  // namespace
}  // namespace pact::routing

BENCHMARK_MAIN();
