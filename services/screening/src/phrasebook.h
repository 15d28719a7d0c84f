#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "localised_text.h"

namespace pact::screening {

// The sentences of results and explanations, per language, from a data file
// (reference/screening/messages.yaml), so that translators work on data, not code. Placeholders are
// written {name}. English is required for every message the service uses; others fall back to it.
class Phrasebook {
 public:
  using Values = std::initializer_list<std::pair<std::string_view, std::string_view>>;

  // Throws CatalogueError (file:line) for a missing English text or a message the code needs but the
  // file lacks.
  static Phrasebook parse(std::string_view yaml, const std::string& source_name);
  static Phrasebook load(const std::filesystem::path& path);

  // The message in the language (falling back to English) with its placeholders filled.
  std::string render(std::string_view id, std::string_view language, Values values = {}) const;
  // Whether the file has any message in this language (the result then says it is in that language).
  bool speaks(std::string_view language) const;

  // Every message id the service renders; the loader checks each is present.
  static const std::initializer_list<std::string_view>& required_ids();

 private:
  std::map<std::string, LocalisedText, std::less<>> messages_;
  std::map<std::string, bool, std::less<>> languages_;
};

}  // namespace pact::screening
