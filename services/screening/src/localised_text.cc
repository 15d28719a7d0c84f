#include "localised_text.h"

#include <cctype>

namespace pact::screening {

void LocalisedText::set(std::string language, std::string text) {
  for (auto& entry : texts_) {
    if (entry.first == language) {
      entry.second = std::move(text);
      return;
    }
  }
  texts_.emplace_back(std::move(language), std::move(text));
}

bool LocalisedText::has(std::string_view language) const { return find(language) != nullptr; }

const std::string* LocalisedText::find(std::string_view language) const {
  for (const auto& entry : texts_) {
    if (entry.first == language) return &entry.second;
  }
  return nullptr;
}

const std::string& LocalisedText::in(std::string_view language, std::string_view* used) const {
  static const std::string kEmpty;
  for (std::string_view candidate : {language, primary_language(language), std::string_view("en")}) {
    if (const std::string* text = find(candidate)) {
      if (used != nullptr) *used = candidate;
      return *text;
    }
  }
  if (used != nullptr) *used = "en";
  return kEmpty;
}

std::string_view primary_language(std::string_view tag) {
  return tag.substr(0, tag.find('-'));
}

std::string normalise_language(std::string_view tag) {
  if (tag.empty()) return "en";
  std::string out(tag);
  for (char& c : out) {
    if (c == '-') break;
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace pact::screening
