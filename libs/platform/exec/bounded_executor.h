#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pact::exec {

// A fixed pool of threads with a bounded queue, for blocking work (Redis, waiting on Kafka) that
// must never run inside a gRPC reaction. When the queue is full, try_submit refuses at once so the
// caller can answer RESOURCE_EXHAUSTED with RetryInfo instead of growing memory.
class BoundedExecutor {
 public:
  BoundedExecutor(std::string name, std::size_t threads, std::size_t queue_capacity);
  ~BoundedExecutor();
  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // False when the queue is full or the executor is stopping; the task is then not run.
  bool try_submit(std::function<void()> task);
  // Runs what is queued, then joins the threads. Further submissions are refused.
  void shutdown();

  std::size_t queued() const;
  std::size_t capacity() const { return capacity_; }

 private:
  void work();

  std::string name_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace pact::exec
