#include "redis/append_only_rewriter.h"

#include <algorithm>
#include <memory>

#include "log/logger.h"

namespace pact::redis {
namespace {

constexpr auto kLastTriesAtStop = std::chrono::seconds(5);
// A Redis that refuses the command itself (an ACL, a managed service) is asked less and less often.
constexpr auto kLongestWait = std::chrono::minutes(5);

}  // namespace

AppendOnlyRewriter::AppendOnlyRewriter(const RedisEndpoint& endpoint, std::chrono::milliseconds retry_interval)
    : endpoint_(endpoint), retry_interval_(retry_interval), thread_([this] { run(); }) {}

AppendOnlyRewriter::~AppendOnlyRewriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void AppendOnlyRewriter::request() {
  {
    std::lock_guard lock(mutex_);
    ++requested_;
  }
  changed_.notify_all();
}

bool AppendOnlyRewriter::caught_up() {
  std::lock_guard lock(mutex_);
  return started_ == requested_;
}

AppendOnlyRewriter::Attempt AppendOnlyRewriter::try_rewrite() {
  try {
    // A connection of its own, opened when needed: the rewriter waits, and Redis may be down.
    RedisClient redis(endpoint_);
    redis.command({"BGREWRITEAOF"});  // "started", or "scheduled" behind a running RDB save
    return Attempt::accepted;
  } catch (const RedisCommandError& e) {
    // "already in progress": that one was forked before the request; ask again when it is done.
    if (std::string_view(e.what()).find("in progress") != std::string_view::npos) return Attempt::busy;
    log::warn("AOF rewrite refused; erased keys stay in the AOF until a rewrite runs", {{"error", e.what()}});
  } catch (const std::exception& e) {
    log::warn("AOF rewrite not requested; retrying", {{"error", e.what()}});
  }
  return Attempt::failed;
}

void AppendOnlyRewriter::run() {
  std::unique_lock lock(mutex_);
  std::chrono::steady_clock::time_point give_up = std::chrono::steady_clock::time_point::max();
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || started_ < requested_; });
    if (stopping_) {
      if (started_ == requested_) return;
      if (give_up == std::chrono::steady_clock::time_point::max()) give_up = std::chrono::steady_clock::now() + kLastTriesAtStop;
      if (std::chrono::steady_clock::now() > give_up) {
        log::warn("stopping while an AOF rewrite is owed; the next start requests one");
        return;
      }
    }
    const std::uint64_t covering = requested_;
    lock.unlock();
    const Attempt attempt = try_rewrite();
    lock.lock();
    if (attempt == Attempt::accepted) {
      started_ = covering;
      failures_wait_ = retry_interval_;
      continue;
    }
    auto wait = retry_interval_;
    if (attempt == Attempt::failed) {
      wait = failures_wait_;
      failures_wait_ = std::min<std::chrono::milliseconds>(failures_wait_ * 2, kLongestWait);
    }
    // A stop cuts a long wait short; then the last tries come every retry interval.
    if (stopping_) wait = std::min(wait, retry_interval_);
    changed_.wait_for(lock, wait, [this, was_stopping = stopping_] { return stopping_ && !was_stopping; });
  }
}

}  // namespace pact::redis
