#include "exec/bounded_executor.h"

#include "log/logger.h"

namespace pact::exec {

BoundedExecutor::BoundedExecutor(std::string name, std::size_t threads, std::size_t queue_capacity)
    : name_(std::move(name)), capacity_(queue_capacity) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

BoundedExecutor::~BoundedExecutor() { shutdown(); }

bool BoundedExecutor::try_submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

std::size_t BoundedExecutor::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void BoundedExecutor::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void BoundedExecutor::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      task();
    } catch (const std::exception& e) {
      // A task must report its own failures; this only keeps the pool alive.
      log::error("executor task threw", {{"executor", name_}, {"error", e.what()}});
    }
  }
}

}  // namespace pact::exec
