#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pact::screening {

// A text in several languages (BCP 47 tags). English is always present in loaded data; a request
// for "sr-Latn" tries "sr-Latn", then "sr", then "en" (REFERENCE: untranslated falls back to English).
class LocalisedText {
 public:
  void set(std::string language, std::string text);
  bool empty() const { return texts_.empty(); }
  bool has(std::string_view language) const;

  // The text in the best available language; `used` receives the language actually used.
  const std::string& in(std::string_view language, std::string_view* used = nullptr) const;
  const std::vector<std::pair<std::string, std::string>>& all() const { return texts_; }

 private:
  const std::string* find(std::string_view language) const;
  std::vector<std::pair<std::string, std::string>> texts_;  // few entries: a vector beats a map
};

// "sr-Latn-RS" -> "sr"; "" stays "".
std::string_view primary_language(std::string_view tag);

// Lower-cases the language subtag and keeps the rest as given ("SR-Latn" -> "sr-Latn"); empty -> "en".
std::string normalise_language(std::string_view tag);

}  // namespace pact::screening
