#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pact::redis {

// A decoded Redis reply, detached from hiredis memory so it can outlive the connection.
struct RedisValue {
  enum class Kind { nil, integer, string, status, error, array };

  Kind kind = Kind::nil;
  long long integer = 0;
  std::string text;  // string, status and error replies
  std::vector<RedisValue> elements;

  bool is_nil() const { return kind == Kind::nil; }
  bool is_error() const { return kind == Kind::error; }
  // The reply as text; integers are rendered in decimal; nil gives nullopt.
  std::optional<std::string> as_text() const;
  // The reply as an integer; a decimal string is parsed. Throws std::runtime_error otherwise.
  long long as_integer() const;
};

// Redis could not be reached or did not answer in time; the command may or may not have run.
class RedisUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Redis answered with an error reply (a bug or a data problem, not an outage).
class RedisCommandError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace pact::redis
