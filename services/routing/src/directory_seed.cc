#include "directory_seed.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "directory_import.h"

namespace pact::routing {

std::size_t seed_directory_if_empty(const DirectoryStore& store, const std::string& path) {
  if (!store.read()->services().empty()) return 0;
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the directory file");
  std::stringstream content;
  content << in.rdbuf();
  const DirectoryRecords records = parse_directory_json(content.str(), path, {});
  if (!records.errors.empty()) {
    std::string message;
    for (const auto& error : records.errors) {
      message += (message.empty() ? "" : "\n") + path + ":" + std::to_string(error.row()) + ": " + error.field() + ": " + error.message();
    }
    throw std::runtime_error(message);
  }
  store.upsert(records.organizations, records.services);
  return records.services.size();
}

}  // namespace pact::routing
