#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "kafka/consumer.h"
#include "kafka/producer.h"
#include "kafka/topics.h"
#include "support/infrastructure.h"
#include "support/records.h"
#include "support/topic_reader.h"

namespace pact::testing {
namespace {

// Applies a record as RPUSH of its value, remembers what it saw, and can be told to fail.
class RecordingHandler : public kafka::RecordHandler {
 public:
  explicit RecordingHandler(std::string list_key) : list_key_(std::move(list_key)) {}

  void handle(const kafka::ConsumedRecord& record, kafka::WriteBatch& effects) override {
    if (record.value.rfind("poison", 0) == 0) throw kafka::PoisonRecord("payload cannot be decoded");
    if (record.value.rfind("always-fails", 0) == 0) throw std::runtime_error("downstream refused");
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(record);
    }
    effects.add({"RPUSH", list_key_, record.value});
  }

  std::vector<kafka::ConsumedRecord> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::string list_key_;
  std::mutex mutex_;
  std::vector<kafka::ConsumedRecord> seen_;
};

class KafkaRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    platform_ = Infrastructure::instance().new_hub("round-trip");
    redis_ = std::make_unique<redis::RedisClient>(platform_.redis);
    producer_ = std::make_unique<kafka::Producer>(platform_.kafka, "test-producer");
    handler_ = std::make_unique<RecordingHandler>(list_key());
  }

  void start_consumer(kafka::ConsumerOptions options) {
    options.group = "round-trip";
    options.topics = {std::string(kafka::topic::kCase)};
    consumer_ = std::make_unique<kafka::Consumer>(platform_, options, *redis_, *producer_, *handler_);
    thread_ = std::thread([this] { consumer_->run(); });
  }

  void TearDown() override {
    if (consumer_) consumer_->stop();
    if (thread_.joinable()) thread_.join();
  }

  std::string list_key() const { return platform_.hub.redis_key({"applied"}); }
  std::vector<std::string> applied() {
    std::vector<std::string> values;
    for (const auto& item : redis_->command({"LRANGE", list_key(), "0", "-1"}).elements) values.push_back(item.text);
    return values;
  }

  config::PlatformConfig platform_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::unique_ptr<kafka::Producer> producer_;
  std::unique_ptr<RecordingHandler> handler_;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::thread thread_;
};

TEST_F(KafkaRoundTrip, ProducedEventArrivesWithItsHeadersAndIsAppliedOnce) {
  kafka::DeliveryResult delivery = producer_->produce_and_wait(case_record(platform_, "case-a", 1, "first"));
  ASSERT_TRUE(delivery.stored()) << delivery.error;
  EXPECT_GE(delivery.offset, 0);
  start_consumer({});
  ASSERT_TRUE(eventually([&] { return applied().size() == 1; }));
  auto seen = handler_->seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].key, "case-a");
  EXPECT_EQ(seen[0].value, "first");
  EXPECT_EQ(seen[0].event.id, "case-a/1");
  EXPECT_EQ(seen[0].event.type, "pact.events.v1.CaseEvent");
  EXPECT_EQ(seen[0].event.subject, "case-a");
  EXPECT_EQ(seen[0].event.sequence, 1u);
  EXPECT_EQ(seen[0].event.content_type, "application/protobuf");
  EXPECT_EQ(seen[0].event.traceparent.trace_id.size(), 32u);
  // The position moved with the effect, in Redis.
  std::string position_key = platform_.hub.redis_key(
      {"kafka", platform_.hub.consumer_group("round-trip"), platform_.hub.topic(kafka::topic::kCase),
       std::to_string(seen[0].partition)});
  EXPECT_EQ(redis_->command({"HGET", position_key, "next"}).as_integer(), seen[0].offset + 1);
}

TEST_F(KafkaRoundTrip, DuplicateRecordOfACaseEventIsSkipped) {
  // A produce retried after a timeout leaves the same event twice on the topic.
  for (const auto& [sequence, value] : std::vector<std::pair<int, std::string>>{
           {1, "seq1"}, {2, "seq2"}, {2, "seq2-again"}, {1, "seq1-again"}, {3, "seq3"}}) {
    ASSERT_TRUE(producer_->produce_and_wait(case_record(platform_, "case-dup", static_cast<std::uint64_t>(sequence), value)).stored());
  }
  start_consumer({});
  ASSERT_TRUE(eventually([&] { return consumer_->stats().applied + consumer_->stats().duplicates == 5; }));
  EXPECT_EQ(applied(), (std::vector<std::string>{"seq1", "seq2", "seq3"}));
  EXPECT_EQ(consumer_->stats().duplicates.load(), 2u);
}

TEST_F(KafkaRoundTrip, PoisonAndFailingRecordsAreDeadLetteredWhileLaterRecordsFlow) {
  ASSERT_TRUE(producer_->produce_and_wait(case_record(platform_, "case-p", 1, "poison-1")).stored());
  ASSERT_TRUE(producer_->produce_and_wait(case_record(platform_, "case-p", 2, "always-fails-2")).stored());
  kafka::OutgoingRecord headerless{platform_.hub.topic(kafka::topic::kCase), "case-p", "no-headers", {}};
  ASSERT_TRUE(producer_->produce_and_wait(headerless).stored());
  ASSERT_TRUE(producer_->produce_and_wait(case_record(platform_, "case-p", 3, "good-3")).stored());
  kafka::ConsumerOptions options;
  options.max_attempts = 3;
  options.first_retry_delay = std::chrono::milliseconds(10);
  start_consumer(options);
  ASSERT_TRUE(eventually([&] { return applied().size() == 1; }));
  EXPECT_EQ(applied(), std::vector<std::string>{"good-3"});
  EXPECT_EQ(consumer_->stats().dead_lettered.load(), 3u);
  EXPECT_EQ(consumer_->stats().handler_retries.load(), 2u) << "always-fails is tried max_attempts times";

  auto dead = read_topic(platform_.kafka.bootstrap_servers, platform_.hub.topic(kafka::topic::kDeadLetter),
                         kafka::find_topic(kafka::topic::kDeadLetter)->partitions, 3);
  ASSERT_EQ(dead.size(), 3u);
  std::map<std::string, ReadRecord> by_value;
  for (const auto& record : dead) by_value[record.value] = record;
  EXPECT_EQ(by_value["poison-1"].header("pact_dlq_reason"), "payload cannot be decoded");
  EXPECT_EQ(by_value["always-fails-2"].header("pact_dlq_reason"), "downstream refused");
  EXPECT_EQ(by_value["always-fails-2"].header("pact_dlq_attempts"), "3");
  EXPECT_NE(by_value["no-headers"].header("pact_dlq_reason").find("missing header ce_specversion"), std::string::npos);
  EXPECT_EQ(by_value["poison-1"].header("pact_dlq_source_topic"), platform_.hub.topic(kafka::topic::kCase));
  EXPECT_EQ(by_value["poison-1"].header("ce_id"), "case-p/1") << "original headers travel with the dead letter";
}

TEST_F(KafkaRoundTrip, ConsumerResumesFromThePositionStoredInRedis) {
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(producer_->produce_and_wait(case_record(platform_, "case-r", static_cast<std::uint64_t>(i), "v" + std::to_string(i))).stored());
  }
  start_consumer({});
  ASSERT_TRUE(eventually([&] { return applied().size() == 3; }));
  consumer_->stop();
  thread_.join();
  consumer_.reset();
  for (int i = 4; i <= 5; ++i) {
    ASSERT_TRUE(producer_->produce_and_wait(case_record(platform_, "case-r", static_cast<std::uint64_t>(i), "v" + std::to_string(i))).stored());
  }
  start_consumer({});
  ASSERT_TRUE(eventually([&] { return applied().size() == 5; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // room for a wrong re-delivery to show
  EXPECT_EQ(applied(), (std::vector<std::string>{"v1", "v2", "v3", "v4", "v5"}));
}

TEST_F(KafkaRoundTrip, ProducerReportsQueueFullInsteadOfGrowing) {
  config::KafkaSettings tiny = platform_.kafka;
  tiny.properties["queue.buffering.max.messages"] = "1";
  tiny.properties["linger.ms"] = "1000";
  kafka::Producer producer(tiny, "tiny-queue");
  std::vector<kafka::DeliveryStatus> statuses;
  std::mutex mutex;
  for (int i = 0; i < 3; ++i) {
    producer.produce(case_record(platform_, "case-q", static_cast<std::uint64_t>(i + 1), "x"),
                     [&](const kafka::DeliveryResult& result) {
                       std::lock_guard lock(mutex);
                       statuses.push_back(result.status);
                     });
  }
  ASSERT_TRUE(producer.flush(std::chrono::seconds(10)));
  std::lock_guard lock(mutex);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), kafka::DeliveryStatus::queue_full), 2);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), kafka::DeliveryStatus::stored), 1);
}

}  // namespace
}  // namespace pact::testing
