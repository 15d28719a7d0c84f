#include "screening_settings.h"

#include "catalogue_loader.h"

namespace pact::screening {

ScreeningSettings read_screening_settings(config::ConfigTree& tree) {
  ScreeningSettings settings;
  const auto directories = tree.text_list("screening.catalogue_dirs", std::nullopt);
  const std::string messages = tree.text("screening.messages_file");
  settings.max_follow_up_questions =
      static_cast<std::size_t>(tree.integer("screening.max_follow_up_questions", 12, 0, 200));
  settings.intake_address = tree.text("screening.intake_address");
  settings.key_release_timeout = tree.duration("screening.key_release_timeout", std::chrono::seconds(2));
  settings.key_cache_cases = static_cast<std::size_t>(tree.integer("screening.key_cache_cases", 10000, 1, 10000000));
  settings.consume_case_events = tree.boolean("screening.consume_case_events", true);
  settings.redis_connections = static_cast<std::size_t>(tree.integer("screening.redis_connections", 4, 1, 64));
  settings.consumer_threads = static_cast<std::size_t>(tree.integer("screening.consumer_threads", 4, 1, 64));
  if (!directories.empty()) {
    try {
      std::vector<std::filesystem::path> paths(directories.begin(), directories.end());
      settings.catalogues = std::make_shared<const CatalogueSet>(load_catalogue_dirs(paths));
    } catch (const CatalogueError& e) {
      for (const auto& problem : e.problems()) tree.reject("screening.catalogue_dirs", problem);
    }
  } else {
    tree.reject("screening.catalogue_dirs", "name at least one directory of catalogue files");
  }
  if (!messages.empty()) {
    try {
      settings.phrases = std::make_shared<const Phrasebook>(Phrasebook::load(messages));
    } catch (const CatalogueError& e) {
      for (const auto& problem : e.problems()) tree.reject("screening.messages_file", problem);
    }
  }
  return settings;
}

}  // namespace pact::screening
