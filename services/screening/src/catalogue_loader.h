#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "catalogue.h"

namespace pact::screening {

// Every problem found in catalogue files, one per line ("file:line: problem").
class CatalogueError : public std::runtime_error {
 public:
  explicit CatalogueError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Parses and validates one catalogue file (format: docs/screening-catalogues.md). Throws
// CatalogueError listing every problem with its line. Checks within the file only; ids across
// files are checked by CatalogueSet.
Catalogue parse_catalogue(std::string_view yaml, const std::string& source_name);
Catalogue load_catalogue_file(const std::filesystem::path& path);

// Every *.yaml file of the directories, in name order. Problems of all files are reported together.
std::vector<Catalogue> load_catalogue_dirs(const std::vector<std::filesystem::path>& directories);

}  // namespace pact::screening
