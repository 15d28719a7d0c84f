#include "redis/lua_script.h"

namespace pact::redis {

std::string LuaScript::sha() const {
  std::lock_guard lock(mutex_);
  return sha_;
}

void LuaScript::remember_sha(std::string sha) const {
  std::lock_guard lock(mutex_);
  sha_ = std::move(sha);
}

}  // namespace pact::redis
