#include "signing_secrets.h"

#include <fstream>
#include <sstream>

#include "config/yaml_reader.h"

namespace pact::notification {

std::optional<std::string> SigningSecrets::secret(const std::string& secret_id) {
  // Ids come from the directory, which providers' administrators edit: never a path.
  if (directory_.empty() || !config::is_identifier(secret_id)) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto found = entries_.find(secret_id);
  if (found != entries_.end() && now - found->second.read_at < reread_after_) return found->second.value;
  Entry entry{std::nullopt, now};
  if (std::ifstream in(directory_ + "/" + secret_id); in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string value = text.str();
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' ')) value.pop_back();
    if (!value.empty()) entry.value = std::move(value);
  }
  entries_[secret_id] = entry;
  return entry.value;
}

}  // namespace pact::notification
