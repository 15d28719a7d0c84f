#include "redis/redis_value.h"

#include <charconv>

namespace pact::redis {

std::optional<std::string> RedisValue::as_text() const {
  switch (kind) {
    case Kind::nil:
      return std::nullopt;
    case Kind::integer:
      return std::to_string(integer);
    default:
      return text;
  }
}

long long RedisValue::as_integer() const {
  if (kind == Kind::integer) return integer;
  if (kind == Kind::string || kind == Kind::status) {
    long long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) return value;
  }
  throw std::runtime_error("redis reply is not an integer");
}

}  // namespace pact::redis
