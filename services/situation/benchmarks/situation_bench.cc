// How fast the situation read model keeps up with a surge and how long a picture takes to make.
// Each figure has its baseline from the same run: applying an event against decoding it alone, a
// picture against copying the state it reads.
//   build/services/situation/benchmarks/situation_bench
#include <benchmark/benchmark.h>

#include <google/protobuf/util/json_util.h>

#include "situation_events.h"
#include "situation_model.h"
#include "situation_view.h"

namespace {

using namespace pact::situation;
using namespace pact::situation::testing;

const Clock::time_point kStart = Clock::time_point(std::chrono::hours(24 * 20000));
const char* const kSites[] = {"rs-presevo-rc", "rs-sid-tc", "rs-obrenovac-ac", "mk-tabanovce-tc", "mk-vinojug-tc"};

// The encoded screening events of a surge of `count` arrivals, as the follower hands them over.
std::vector<std::string> encoded_surge(int count) {
  std::vector<std::string> encoded;
  for (int i = 0; i < count; ++i) {
    Person person{.case_id = "case-" + std::to_string(i),
                  .jurisdiction = i % 5 < 3 ? pact::common::v1::JURISDICTION_RS : pact::common::v1::JURISDICTION_MK,
                  .site = kSites[i % 5],
                  .emergency = "wb-2026-surge",
                  .age = 10 + i % 40};
    encoded.push_back(screened(person, kStart + std::chrono::seconds(i / 40), 1,
                               {.child = person.age < 18, .unaccompanied = i % 11 == 0, .urgent_medical = i % 13 == 0})
                          .SerializeAsString());
  }
  return encoded;
}

// A model holding `cases` cases, each with a referral, and ten providers.
SituationModel surge_model(int cases) {
  SituationModel model;
  for (const auto& bytes : encoded_surge(cases)) {
    pact::events::v1::ScreeningEvent event;
    event.ParseFromString(bytes);
    model.apply(event);
    Person person{.case_id = event.case_id(), .site = event.assessment_completed().snapshot().summary().site().site_id()};
    Referral referral{.referral_id = "r-" + event.case_id(), .person = &person};
    model.apply(requested(referral, kStart, 2, std::chrono::seconds(30)));
  }
  for (int p = 0; p < 10; ++p) {
    model.apply(capacity(Provider{.service_id = "svc-" + std::to_string(p)}, kStart, 1, static_cast<std::uint32_t>(p)));
  }
  return model;
}

void BM_DecodeScreeningEvent(benchmark::State& state) {
  const auto events = encoded_surge(10000);
  std::size_t i = 0;
  for (auto _ : state) {
    pact::events::v1::ScreeningEvent event;
    benchmark::DoNotOptimize(event.ParseFromString(events[i++ % events.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeScreeningEvent);

void BM_DecodeAndApplyScreeningEvent(benchmark::State& state) {
  const auto events = encoded_surge(10000);
  SituationModel model;
  std::size_t i = 0;
  for (auto _ : state) {
    pact::events::v1::ScreeningEvent event;
    event.ParseFromString(events[i++ % events.size()]);
    benchmark::DoNotOptimize(model.apply(event));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeAndApplyScreeningEvent);

void BM_CopyState(benchmark::State& state) {
  const auto model = surge_model(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    pact::situation::v1::SituationState copy = model.state();
    benchmark::DoNotOptimize(copy);
  }
  state.counters["state_bytes_per_case"] =
      static_cast<double>(model.state().ByteSizeLong()) / static_cast<double>(state.range(0));
}
BENCHMARK(BM_CopyState)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_BuildPicture(benchmark::State& state) {
  const auto model = surge_model(static_cast<int>(state.range(0)));
  const ViewSettings settings{.hub = "bench", .suppression_threshold = 5, .timeline_bucket = std::chrono::minutes(15),
                              .timeline_buckets = 48};
  for (auto _ : state) {
    benchmark::DoNotOptimize(build_situation(model.state(), false, kStart + std::chrono::minutes(5), settings));
  }
}
BENCHMARK(BM_BuildPicture)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_PictureAsJson(benchmark::State& state) {
  const auto model = surge_model(static_cast<int>(state.range(0)));
  const ViewSettings settings{.hub = "bench", .suppression_threshold = 5, .timeline_bucket = std::chrono::minutes(15),
                              .timeline_buckets = 48};
  const auto picture = build_situation(model.state(), false, kStart + std::chrono::minutes(5), settings);
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(picture, &json, options);
    bytes = json.size();
  }
  state.counters["json_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_PictureAsJson)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
