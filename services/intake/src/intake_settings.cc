#include "intake_settings.h"

namespace pact::intake {
namespace {

crypto::SecretKey read_key(config::ConfigTree& tree, const std::string& path) {
  std::string file = tree.text(path);
  if (file.empty()) return {};
  try {
    return crypto::SecretKey::from_file(file);
  } catch (const std::invalid_argument& e) {
    tree.reject(path, e.what());
    return {};
  }
}

}  // namespace

IntakeSettings read_intake_settings(config::ConfigTree& tree) {
  IntakeSettings settings;
  settings.master_key = read_key(tree, "intake.master_key_file");
  settings.id_key = read_key(tree, "intake.id_key_file");
  settings.blind_index_key = read_key(tree, "intake.blind_index_key_file");
  settings.redis_connections = static_cast<std::size_t>(tree.integer("intake.redis_connections", 8, 1, 64));
  settings.key_cache_ttl = tree.duration("intake.key_cache_ttl", std::chrono::seconds(60));
  settings.screening_address = tree.text("intake.screening_address", "");
  settings.screening_deadline = tree.duration("intake.screening_deadline", std::chrono::milliseconds(300));
  settings.retention = read_retention_policy(tree);
  return settings;
}

}  // namespace pact::intake
