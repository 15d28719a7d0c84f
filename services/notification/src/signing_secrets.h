#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace pact::notification {

// Webhook signing secrets from notification's own secret configuration: one file per secret id in a
// directory (a mounted Kubernetes Secret, whose files change in place when it is rotated). Read on
// first use and again after `reread_after`, so a rotation needs no restart.
class SigningSecrets {
 public:
  SigningSecrets(std::string directory, std::chrono::milliseconds reread_after)
      : directory_(std::move(directory)), reread_after_(reread_after) {}

  // The secret, or nullopt when there is no such file (or the id is not a plain file name).
  std::optional<std::string> secret(const std::string& secret_id);

 private:
  struct Entry {
    std::optional<std::string> value;
    std::chrono::steady_clock::time_point read_at;
  };

  const std::string directory_;
  const std::chrono::milliseconds reread_after_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace pact::notification
