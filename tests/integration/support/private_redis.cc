#include "support/private_redis.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace pact::testing {

namespace fs = std::filesystem;

PrivateRedis::PrivateRedis(const std::string& name)
    : state_(fs::path(::testing::TempDir()) / (name + "-redis-" + std::to_string(::getpid()))) {
  fs::remove_all(state_);
  run("start");
  std::ifstream in(state_ / "port");
  in >> port_;
}

PrivateRedis::~PrivateRedis() {
  try {
    run("stop");
  } catch (const std::exception&) {
    // Already stopped by the test.
  }
}

void PrivateRedis::stop() { run("stop"); }
void PrivateRedis::start() { run("start"); }

void PrivateRedis::save_aof(const fs::path& to) const {
  fs::remove_all(to);
  fs::copy(state_ / "appendonlydir", to, fs::copy_options::recursive);
}

void PrivateRedis::restore_aof(const fs::path& from) const {
  fs::remove_all(state_ / "appendonlydir");
  fs::copy(from, state_ / "appendonlydir", fs::copy_options::recursive);
}

void PrivateRedis::run(const std::string& action) const {
  std::string command = "PACT_REDIS_STATE_DIR='" + state_.string() + "' PACT_REDIS_APPENDFSYNC=always '" +
                        PACT_SOURCE_DIR + "/deploy/redis/redis.sh' " + action + " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("redis.sh " + action + " failed");
}

}  // namespace pact::testing
