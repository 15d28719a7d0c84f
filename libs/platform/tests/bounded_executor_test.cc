#include "exec/bounded_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace pact::exec {
namespace {

TEST(BoundedExecutor, RunsSubmittedWork) {
  BoundedExecutor executor("test", 2, 16);
  std::atomic<int> ran{0};
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(executor.try_submit([&] { ++ran; }));
  executor.shutdown();
  EXPECT_EQ(ran.load(), 10);
}

TEST(BoundedExecutor, RefusesWhenTheQueueIsFullInsteadOfGrowing) {
  BoundedExecutor executor("test", 1, 2);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(executor.try_submit([&] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();  // the only thread is busy now
  EXPECT_TRUE(executor.try_submit([gate] { gate.wait(); }));
  EXPECT_TRUE(executor.try_submit([gate] { gate.wait(); }));
  EXPECT_FALSE(executor.try_submit([] {})) << "a third queued task exceeds the bound";
  EXPECT_EQ(executor.queued(), 2u);
  release.set_value();
  executor.shutdown();
}

TEST(BoundedExecutor, RefusesAfterShutdownAndSurvivesThrowingTasks) {
  BoundedExecutor executor("test", 1, 4);
  ASSERT_TRUE(executor.try_submit([] { throw std::runtime_error("boom"); }));
  std::atomic<bool> ran{false};
  ASSERT_TRUE(executor.try_submit([&] { ran = true; }));
  executor.shutdown();
  EXPECT_TRUE(ran);
  EXPECT_FALSE(executor.try_submit([] {}));
}

}  // namespace
}  // namespace pact::exec
