#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace pactscenario {

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

// Follows some of a hub's topics on a thread of its own, without joining a consumer group (it
// disturbs no service's offsets), and hands every record to `on_record` on that thread. It starts
// at the current end of each partition (a surge follows only what it causes) or at the beginning
// (what the topics still hold).
class EventFollower {
 public:
  using OnRecord = std::function<void(const FollowedRecord&)>;
  enum class StartAt { end, beginning };
  EventFollower(const std::string& bootstrap_servers, const std::string& hub_prefix,
                const std::vector<std::string>& topic_bases, OnRecord on_record, StartAt start_at = StartAt::end);
  ~EventFollower();
  EventFollower(const EventFollower&) = delete;
  EventFollower& operator=(const EventFollower&) = delete;

  // Starting offsets are fixed in the constructor, so nothing produced after it returns is missed.
  void start();

 private:
  struct Consumer;
  void run();

  std::unique_ptr<Consumer> consumer_;
  OnRecord on_record_;
  std::string hub_prefix_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace pactscenario
