#pragma once

#include <filesystem>
#include <string>

namespace pact::testing {

// A redis-server of the test's own, driven by the project's deploy/redis/redis.sh, for tests that
// stop, restart or reconfigure Redis (the shared one serves the rest of the suite).
class PrivateRedis {
 public:
  explicit PrivateRedis(const std::string& name);
  ~PrivateRedis();
  PrivateRedis(const PrivateRedis&) = delete;
  PrivateRedis& operator=(const PrivateRedis&) = delete;

  void stop();
  void start();
  void save_aof(const std::filesystem::path& to) const;
  void restore_aof(const std::filesystem::path& from) const;
  int port() const { return port_; }
  const std::filesystem::path& state() const { return state_; }

 private:
  void run(const std::string& action) const;
  std::filesystem::path state_;
  int port_ = 0;
};

}  // namespace pact::testing
