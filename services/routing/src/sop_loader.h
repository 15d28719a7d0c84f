#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sop.h"

namespace pact::routing {

// Every problem found in SOP files, one per line ("file:line: problem").
class SopError : public std::runtime_error {
 public:
  explicit SopError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Parses and validates one SOP file, including the safety constraints a file can break on its own
// (docs/routing-sop.md "What the loader rejects"). Throws SopError listing every problem.
SopFile parse_sop(std::string_view yaml, const std::string& source_name);

// Every *.yaml file of the directory, in name order; problems of all files are reported together.
std::vector<SopFile> load_sop_dir(const std::filesystem::path& directory);

}  // namespace pact::routing
