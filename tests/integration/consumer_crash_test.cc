#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <set>

#include "kafka/producer.h"
#include "support/child_process.h"
#include "support/infrastructure.h"
#include "support/records.h"

namespace pact::testing {
namespace {

constexpr int kCases = 40;
constexpr int kEventsPerCase = 50;  // 2,000 records

// A consumer killed with SIGKILL mid-batch loses nothing and applies nothing twice: its effects
// and its positions were written together, so the restarted consumer continues exactly where the
// dead one's last atomic step left off.
TEST(ConsumerCrash, SigkillMidBatchLosesAndDoubleAppliesNothing) {
  PACT_REQUIRE_INFRASTRUCTURE();
  auto& infrastructure = Infrastructure::instance();
  config::PlatformConfig platform = infrastructure.new_hub("crash");
  redis::RedisClient redis(platform.redis);
  {
    kafka::Producer producer(platform.kafka, "crash-producer");
    std::atomic<int> stored{0};
    for (int sequence = 1; sequence <= kEventsPerCase; ++sequence) {
      for (int c = 0; c < kCases; ++c) {
        std::string case_id = "case-" + std::to_string(c);
        std::string value = case_id + "#" + std::to_string(sequence);
        producer.produce(case_record(platform, case_id, static_cast<std::uint64_t>(sequence), value),
                         [&](const kafka::DeliveryResult& result) { stored += result.stored() ? 1 : 0; });
        // A few produce retries leave duplicates on the topic; they must be skipped.
        if (sequence % 10 == 0 && c % 7 == 0) {
          producer.produce(case_record(platform, case_id, static_cast<std::uint64_t>(sequence), value + "-duplicate"),
                           [&](const kafka::DeliveryResult& result) { stored += result.stored() ? 1 : 0; });
        }
      }
    }
    ASSERT_TRUE(producer.flush(std::chrono::seconds(30)));
  }
  const std::string list_key = platform.hub.redis_key({"applied"});
  auto count = [&] { return redis.command({"LLEN", list_key}).as_integer(); };
  const std::string program = std::string(PACT_BINARY_DIR) + "/tests/integration/pact-test-consumer";
  const std::vector<std::string> args = {platform.kafka.bootstrap_servers, platform.redis.host,
                                         std::to_string(platform.redis.port), platform.hub.prefix()};
  const std::string log = ::testing::TempDir() + "/crash-consumer-" + platform.hub.prefix() + ".log";
  long long applied_at_kill = 0;
  {
    ChildProcess first(program, args, log);
    ASSERT_TRUE(eventually([&] { return count() >= 300; }, std::chrono::seconds(90))) << first.log();
    first.signal(SIGKILL);
    first.wait(std::chrono::seconds(10));
    applied_at_kill = count();
  }
  ASSERT_LT(applied_at_kill, kCases * kEventsPerCase) << "the kill must land mid-stream for this test to mean anything";
  {
    ChildProcess second(program, args, log);
    ASSERT_TRUE(eventually([&] { return count() >= kCases * kEventsPerCase; }, std::chrono::seconds(120))) << second.log();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // room for a wrong extra apply to show
    second.signal(SIGTERM);
    EXPECT_EQ(second.wait(std::chrono::seconds(30)), 0);
  }
  std::multiset<std::string> applied;
  std::map<std::string, int> last_sequence;
  bool in_order = true;
  for (const auto& item : redis.command({"LRANGE", list_key, "0", "-1"}).elements) {
    applied.insert(item.text);
    std::string case_id = item.text.substr(0, item.text.find('#'));
    int sequence = std::stoi(item.text.substr(item.text.find('#') + 1));
    in_order = in_order && sequence == last_sequence[case_id] + 1;
    last_sequence[case_id] = sequence;
  }
  EXPECT_EQ(applied.size(), static_cast<size_t>(kCases * kEventsPerCase));
  for (int c = 0; c < kCases; ++c) {
    for (int sequence = 1; sequence <= kEventsPerCase; ++sequence) {
      std::string value = "case-" + std::to_string(c) + "#" + std::to_string(sequence);
      ASSERT_EQ(applied.count(value), 1u) << value << " (killed after " << applied_at_kill << " applied)";
    }
  }
  EXPECT_TRUE(in_order) << "each case's events were applied in sequence";
}

}  // namespace
}  // namespace pact::testing
