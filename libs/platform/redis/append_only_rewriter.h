#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "redis/redis_client.h"

namespace pact::redis {

// Makes sure an AOF rewrite starts after each request, so values deleted before the request leave
// the append-only files. BGREWRITEAOF alone does not: while a rewrite runs Redis refuses another,
// and the running one was forked before the deletion, so its new base file still holds the value.
// Requests made meanwhile are folded into one rewrite started once the running one finished.
// One rewrite is also requested at start: a process that stopped owing one (a crash) is covered.
class AppendOnlyRewriter {
 public:
  explicit AppendOnlyRewriter(const RedisEndpoint& endpoint,
                              std::chrono::milliseconds retry_interval = std::chrono::milliseconds(500));
  ~AppendOnlyRewriter();  // tries the owed rewrite for a few seconds more, then stops
  AppendOnlyRewriter(const AppendOnlyRewriter&) = delete;
  AppendOnlyRewriter& operator=(const AppendOnlyRewriter&) = delete;

  // Call after the deletion was committed; returns at once.
  void request();
  // True when a rewrite started after every request so far (for tests and tools).
  bool caught_up();

 private:
  void run();
  enum class Attempt { accepted, busy, failed };  // busy: a rewrite that started earlier is running
  Attempt try_rewrite();

  RedisEndpoint endpoint_;
  std::chrono::milliseconds retry_interval_;
  std::chrono::milliseconds failures_wait_ = retry_interval_;  // doubles while Redis refuses
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t requested_ = 1;  // the rewrite owed from the start
  std::uint64_t started_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything it uses exists
};

}  // namespace pact::redis
