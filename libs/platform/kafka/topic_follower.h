#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "config/platform_config.h"

namespace pact::kafka {

// One record as the follower hands it on: which topic (without the hub prefix), its headers and
// its value (the event envelope, still encoded).
struct FollowedRecord {
  std::string topic_base;
  std::string key;
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string value;
  std::string header(const std::string& name) const;
};

// (topic base name, partition) -> the next offset to read.
using FollowPositions = std::map<std::pair<std::string, std::int32_t>, std::int64_t>;

// Follows every partition of some of a hub's topics on a thread of its own, without joining a
// consumer group: it disturbs no service's offsets, and each follower sees everything (a read
// model needs every partition, not a share). Hands every record to `on_record` on that thread.
// Each partition starts where `resume` says, else at the current end (a surge follows only what it
// causes) or at the beginning (what the topics still hold, for a rebuild).
class TopicFollower {
 public:
  using OnRecord = std::function<void(const FollowedRecord&)>;
  enum class StartAt { end, beginning };
  struct Options {
    StartAt start_at = StartAt::end;
    FollowPositions resume;
    // Where the follower's position is committed for lag monitoring (never read back); empty: never.
    std::string commit_group;
  };

  // `settings` carries the bootstrap servers and the operator's librdkafka properties (TLS, SASL).
  TopicFollower(const config::KafkaSettings& settings, const std::string& hub_prefix,
                const std::vector<std::string>& topic_bases, OnRecord on_record, Options options);
  TopicFollower(const config::KafkaSettings& settings, const std::string& hub_prefix,
                const std::vector<std::string>& topic_bases, OnRecord on_record, StartAt start_at = StartAt::end)
      : TopicFollower(settings, hub_prefix, topic_bases, std::move(on_record), Options{.start_at = start_at, .resume = {}, .commit_group = {}}) {}
  ~TopicFollower();
  TopicFollower(const TopicFollower&) = delete;
  TopicFollower& operator=(const TopicFollower&) = delete;

  // Starting offsets are fixed in the constructor, so nothing produced after it returns is missed.
  void start();
  // Stops the thread (the record being handed on is finished first). Idempotent.
  void stop();
  // True once `positions` (what the reader has handled) reach where every partition ended when the
  // follower started: the history is read, what follows is live.
  bool caught_up(const FollowPositions& positions) const;
  // Commits `positions` under the commit group (asynchronously, best effort: only lag metrics read it).
  void commit(const FollowPositions& positions);

 private:
  struct Consumer;
  void run();
  std::unique_ptr<Consumer> consumer_;
  OnRecord on_record_;
  std::string hub_prefix_;
  FollowPositions ends_at_start_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace pact::kafka
