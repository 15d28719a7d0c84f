#pragma once

#include <string>

#include "directory_store.h"

namespace pact::routing {

// Imports a directory file (JSON, or CSV of services) into an empty directory, so that a fresh hub
// (the local run, a drill) can refer at once. A directory that has entries is left alone: people
// maintain it through the API from then on. Throws std::runtime_error listing the file's problems.
// Returns the number of services imported (0 when the directory was not empty).
std::size_t seed_directory_if_empty(const DirectoryStore& store, const std::string& path);

}  // namespace pact::routing
