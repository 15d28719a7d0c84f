#pragma once

#include <mutex>
#include <string>

namespace pact::redis {

// A Lua script run with EVALSHA. The SHA is learnt from SCRIPT LOAD on first use and the script is
// loaded again when Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH).
class LuaScript {
 public:
  explicit LuaScript(std::string source) : source_(std::move(source)) {}

  const std::string& source() const { return source_; }
  std::string sha() const;
  void remember_sha(std::string sha) const;

 private:
  std::string source_;
  mutable std::mutex mutex_;
  mutable std::string sha_;
};

}  // namespace pact::redis
